"""``npswatch_novel_v1``: names absent from the lexicon that look like NPS names by chemical naming morphology.

Each family is one regular expression over the text (position + substituent + core abbreviation, or a family suffix
such as -PINACA, -nitazene, -azolam, -fentanyl). A match is a candidate only if it stands alone (no letter or digit
glued to either side), is not a known substance (those are the lexicon's job) and does not look like an identifier
(hex key ids, long digit runs, dates). Candidates carry ``known: false``, ``canonical: null`` and the family as
their chemical group; the EWS reads every one, so the patterns favour precision.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp import resources
from nlp.components.state import doc_text, findings
from nlp.lexicon import DEFAULT_LEXICON, Lexicon
from nlp.normalize import form_key
from nlp.types import SubstanceMention

_POS = r"(?:[2-6](?:,[3-6])?'?-?)"
_SUB = r"(?:F|Fl|Cl|Br|I|Me|MeO|MeS|Et|EtO|CF3|CN|NO2|AcO|HO|OH|PrO|Pr|iPr|Bu|Ph|Allyl)"


@dataclass(frozen=True)
class Family:
    name: str
    chemical_group: str
    effect_group: str
    pattern: str
    flags: int = 0


FAMILIES = (
    Family(
        "cathinone",
        "synthetic cathinone",
        "stimulant",
        rf"{_POS}{_SUB}?-?(?:MMC|CMC|BMC|FMC|MEC|CEC|EMC|EEC|BEC|FEC|PEC|IMC|MPD|EPD|MeOMC|DMMC|[A-Z]{{1,2}}PMC)",
    ),
    Family(
        "pyrovalerone",
        "synthetic cathinone",
        "stimulant",
        rf"(?:{_POS}{_SUB}-?|{_SUB}-|(?:α|alpha|a)-)(?:α-|a-|alpha-)?(?:PVP|PHP|PiHP|PBP|PPP|PVT|PHPP|POP|PCYP|PV\d)",
    ),
    Family(
        "cathinone-name",
        "synthetic cathinone",
        "stimulant",
        r"(?:N-\w+-?)?[a-z]{3,}(?:ylone|edrone|phedrone)",
        re.IGNORECASE,
    ),
    Family(
        "amphetamine",
        "amphetamine",
        "stimulant",
        rf"{_POS}{_SUB}?-?(?:FA|FMA|FEA|CA|CMA|BA|MMA|EMA|EA|MAR|DMAR|FPM|MPM)",
    ),
    Family("benzofuran", "benzofuran", "empathogen", rf"{_POS}(?:APB|MAPB|EAPB|APDB|MAPDB|EAPDB|APBT)"),
    Family("2C-x", "phenethylamine", "psychedelic", r"(?:bk-|βk-)?[23]C-[A-Z][A-Za-z]{0,3}(?:-\d{1,2})?"),
    Family("NBOMe", "phenethylamine", "psychedelic", r"\d{2}[A-Za-z0-9]{1,4}-NB(?:OMe|OH|F|Cl|MD|CN|Me|OEt|Br)"),
    Family(
        "tryptamine",
        "tryptamine",
        "psychedelic",
        rf"{_POS}(?:AcO|HO|MeO|PrO|PO|Me|F|Br|Cl|EtO|MeS|PrO)-?(?:DMT|DET|DPT|DiPT|MiPT|MET|MPT|EPT|EiPT|MALT|"
        r"DALT|PiPT|NiPT|MPMI|McPT|AMT|MiPT|DBT|DSBT|PET|MsBT)",
    ),
    Family(
        "lysergamide",
        "lysergamide",
        "psychedelic",
        r"1[A-Za-z]{1,3}-(?:LSD|AL-LAD|ETH-LAD|PRO-LAD|LSZ|MiPLA|LSM-775)|[A-Z]{2,5}-LAD",
    ),
    Family(
        "arylcyclohexylamine",
        "arylcyclohexylamine",
        "dissociative",
        rf"{_POS}?{_SUB}-?(?:PCP|PCE|PCPr|PCPy|PCMo|PCiP|DCK|DCEK|NENK|NENDCK)|[a-z]{{2,}}(?:xetamine|oroketamine)",
    ),
    Family("phenidate", "phenidate", "stimulant", rf"{_POS}?{_SUB}-?(?:MPH|EPH|IPH|PPH)|[a-z]{{3,}}phenidate"),
    Family(
        "synthetic cannabinoid",
        "synthetic cannabinoid",
        "cannabinoid",
        r"[\w']{1,10}(?:-[\w']{1,10}){0,3}-(?:PINACA|PICA|BINACA|BUTINACA|FUBINACA|FUBICA|CHMINACA|CHMICA|INACA|"
        r"HEXINACA|PENTINACA|P7AICA|7AICA|PEGACLONE|FUBIATA|PIATA|BUTIATA|CHIATA)|(?:JWH|AM|UR|EG|RCS)-\d{3,4}",
    ),
    Family(
        "semi-synthetic cannabinoid",
        "semi-synthetic cannabinoid",
        "cannabinoid",
        r"(?:HHC|THC|H4-?CBD|CBD|CBN)-(?:O|P|H|B|JD|PO|V|A|C4|X)",
    ),
    Family(
        "nitazene",
        "nitazene",
        "opioid",
        r"(?:N-(?:pyrrolidino|piperidinyl|piperidino|desethyl|morpholino)[\s-])?[a-z]*(?:nitazene|nitazepyne|"
        r"nitazepipne|desnitazene)",
        re.IGNORECASE,
    ),
    Family(
        "fentanyl",
        "fentanyl analogue",
        "opioid",
        r"(?:[\w',-]*(?:yl|oyl|ro|xy)[\s-]?)?fentan[iy]l|[a-z]{3,}fentan[iy]l",
        re.IGNORECASE,
    ),
    Family("benzodiazepine", "benzodiazepine", "depressant", r"[a-z]{3,}(?:azolam|azepam|zolam|zepam)", re.IGNORECASE),
    Family("U-opioid", "other opioid", "opioid", r"U-?4[789]\d{3}|U-?5\d{4}|AP-?23\d"),
)

# Where a candidate can start: a word with a digit, a family suffix or an N-substituent prefix. The family regex is
# tried only there, which keeps the cost per text low (most words of a post are none of these).
_SHAPE = re.compile(
    r"(?<![\w'-])(?=N-(?:pyrrolidino|piperidinyl|piperidino|desethyl|morpholino)|(?:hhc|thc|cbd|cbn|h4-?cbd)-|[\w'αβ,-]*?(?:\d|nitaz|fentan|zolam|"
    r"zepam|ylone|edrone|phedrone|phenidate|xetamine|oroketamine|inaca|pica|clone|iata|lad\b))",
    re.IGNORECASE,
)
_IDENTIFIER = re.compile(r"^(?:0x)?[0-9A-F]{8,}$|\d{4,}|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
_SALT = re.compile(
    r"[\s-]*(?:HCl|HBr|hydrochloride|fumarate|freebase|base|citrate|tartrate|sulfate|sulphate)$", re.IGNORECASE
)


class NovelCandidates:
    def __init__(self, nlp: Language, name: str, lexicon_path: str, min_length: int) -> None:
        self.name = name
        self.lexicon_path = lexicon_path or str(DEFAULT_LEXICON)
        self.min_length = min_length
        self._lexicon: Lexicon | None = None
        alternatives = [
            f"(?P<f{i}>{'(?i:' + f.pattern + ')' if f.flags & re.IGNORECASE else f.pattern})"
            for i, f in enumerate(FAMILIES)
        ]
        # one pass over the text for all families, tried only where a word starts
        self._regex = re.compile(r"(?<![\w'-])(?:" + "|".join(alternatives) + ")")

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self._lexicon = resources.lexicon(self.lexicon_path)

    def __call__(self, doc: Doc) -> Doc:
        if self._lexicon is None:
            self.initialize()
        assert self._lexicon is not None
        out = findings(doc)
        text = doc_text(doc)
        known = out.substances  # in text order (the substance matcher scans left to right)
        known_starts = [m.start for m in known]
        swallowed: set[int] = set()
        found: list[tuple[int, int, Family]] = []
        for shape in _SHAPE.finditer(text):
            match = self._regex.match(text, shape.start())
            if match is None:
                continue
            family = FAMILIES[int(str(match.lastgroup)[1:])]
            start, end = match.span()
            near = known[bisect.bisect_left(known_starts, start - 80) : bisect.bisect_left(known_starts, end)]
            # a longer novel name swallows a known name inside it ("N-pyrrolidino flunitazene", "4F-PiHP")
            inside = [m for m in near if start <= m.start and m.end <= end and m.end - m.start < end - start]
            taken = [(m.start, m.end) for m in near if m not in inside]
            if self._accept(text, start, end, taken):
                found.append((start, end, family))
                swallowed.update(m.start for m in inside)
        if swallowed:
            out.substances = [m for m in out.substances if m.start not in swallowed]
        for start, end, family in found:
            out.substances.append(
                SubstanceMention(
                    text[start:end], start, end, None, family.effect_group, family.chemical_group, True, False
                )
            )
        if found:
            out.substances.sort(key=lambda m: m.start)
        return doc

    def _accept(self, text: str, start: int, end: int, taken: list[tuple[int, int]]) -> bool:
        if end - start < self.min_length:
            return False
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-'"):
            return False
        if end < len(text) and (
            text[end].isalnum() or (text[end] == "-" and end + 1 < len(text) and text[end + 1].isalnum())
        ):
            return False
        if any(s < end and start < e for s, e in taken):
            return False
        name = text[start:end]
        if _IDENTIFIER.search(name.replace("-", "")) and not re.search(r"[a-z]{3}", name, re.IGNORECASE):
            return False
        assert self._lexicon is not None
        bare = _SALT.sub("", name)
        return not any(key in self._lexicon.by_key for key in (form_key(name), form_key(bare)))


@Language.factory("npswatch_novel_v1", default_config={"lexicon_path": "", "min_length": 4})
def make_novel_candidates(nlp: Language, name: str, lexicon_path: str, min_length: int) -> NovelCandidates:
    """Novel-substance candidates by naming morphology; runs after ``npswatch_substances_v1``."""
    return NovelCandidates(nlp, name, lexicon_path, min_length)
