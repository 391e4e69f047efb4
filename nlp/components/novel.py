"""``npswatch_novel_v1``: names absent from the lexicon that look like NPS names by chemical naming morphology.

Each family is one regular expression (position + substituent + core abbreviation, or a family suffix such as
-PINACA, -nitazene, -azolam, -fentanyl). Substituents may be abbreviated ("Cl", "MeO") or spelled out in English,
Dutch, French or German ("chloro", "chloor", "Chlor", "méthoxy"), several may precede the core ("2-Cl-3-MMC"), and an
N-alkyl prefix may lead ("N-éthyl-4-CMC", "N-Propyl-Hexedron"); suffixes accept the usual spellings ("-nitazen",
"-nitazène", "-azépam"). A cathinone core may follow its position after a space or glued in lower case ("3 CPMC",
"3cpmc").

The expressions run only where a word looks like a name: words that carry the shared name norm of :mod:`nlp.vocab`
(``doc._.nps_name_tokens``, which the substance matcher's one ``PhraseMatcher`` call fills; without it, this
component's own call finds them) and known
names a prefix may extend ("N-pyrrolidino" + "-nitazene"), so a text with no such word costs next to nothing. What
the expression found at a word is kept for the stretch of text it could read there (``state.MatchCache``), so a
name that comes again costs a dictionary look-up. A match is a candidate only if it stands alone (no letter or digit
glued to either side), is not a known substance (those are the lexicon's job) and does not look like an identifier
(hex key ids, long digit runs, dates). Candidates carry ``known: false``, ``canonical: null`` and the family as their
chemical group; the EWS reads every one, so the patterns favour precision.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp import resources
from nlp.components.state import NAME_TOKENS, RULE_SUBSTANCES, MatchCache, check_order, doc_text, findings, values
from nlp.lexicon import DEFAULT_LEXICON, Lexicon
from nlp.normalize import form_key
from nlp.types import SubstanceMention
from nlp.vocab import CORE, install_norms, name_pattern

_POS = r"(?:[2-6](?:,[3-6])?'?-?)"
_SUB = (
    r"(?:(?i:fluoro?|chloro?|chloor|bromo?|broom|iodo?|jod|trifluorom[eé]thyl|m[eé]thoxy|[eé]thoxy|hydroxy|"
    r"iso-?propyl|m[eé]thyl|[eé]thyl|propyl|butyl)|F|Fl|Cl|Br|I|Me|MeO|MeS|Et|EtO|CF3|CN|NO2|AcO|HO|OH|PrO|Pr|iPr|"
    r"Bu|Ph|Allyl)"
)
_SUBS = rf"(?:{_POS}{_SUB}-)*"  # further ring substituents before the last one: "2-Cl-" in "2-Cl-3-MMC"
_N_ALKYL = r"(?:N-(?i:m[eé]thyl|[eé]thyl|iso-?propyl|propyl|butyl|pentyl|hexyl|benzyl)-)?"
_CATHINONE_CORE = r"(?:MMC|CMC|BMC|FMC|MEC|CEC|EMC|EEC|BEC|FEC|PEC|IMC|MPD|EPD|MeOMC|DMMC|[A-Z]{1,2}PMC)"
_CATHINONE_CORE_ANY_CASE = r"(?i:mmc|cmc|bmc|fmc|mec|cec|[a-z]{1,2}pmc)"


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
        rf"{_N_ALKYL}{_SUBS}{_POS}{_SUB}?-?{_CATHINONE_CORE}|{_N_ALKYL}{_SUBS}[2-6][-\s]?{_CATHINONE_CORE_ANY_CASE}",
    ),
    Family(
        "pyrovalerone",
        "synthetic cathinone",
        "stimulant",
        rf"(?:{_SUBS}{_POS}{_SUB}-?|{_SUB}-|(?:α|alpha|a)-)(?:α-|a-|alpha-)?(?:PVP|PHP|PiHP|PBP|PPP|PVT|PHPP|POP|PCYP|PV\d)",
    ),
    Family(
        "cathinone-name",
        "synthetic cathinone",
        "stimulant",
        r"(?:N-\w+[-\s]?)?[a-zà-ÿ]{3,}(?:yl[oô]n|[eé]dron|ph[eé]dron)e?",
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
        r"[\w']{1,10}(?:-[\w']{1,10}){0,3}-(?:PINACA|PICA|BINACA|BUTINACA|FUBINACA|FUBICA|CHMINACA|CHMICA|INACA|BICA|BUTICA|"
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
        r"(?:N-(?:pyrrolidino|pip[eé]ridinyl|pip[eé]ridino|d[eé]s[eé]thyl|morpholino)[\s-])?[a-zà-ÿ]*(?:nitaz[eéè]ne?|"
        r"nitazepyne|nitazepipne)",
        re.IGNORECASE,
    ),
    Family(
        "fentanyl",
        "fentanyl analogue",
        "opioid",
        r"(?:[\w',-]*(?:yl|oyl|ro|xy)[\s-]?)?fentan[iy]l|[a-z]{3,}fentan[iy]l",
        re.IGNORECASE,
    ),
    Family(
        "benzodiazepine",
        "benzodiazepine",
        "depressant",
        r"[a-zà-ÿ]{3,}(?:azolam|az[eé]pam|zolam|z[eé]pam)",
        re.IGNORECASE,
    ),
    Family("U-opioid", "other opioid", "opioid", r"U-?4[789]\d{3}|U-?5\d{4}|AP-?23\d"),
)


# Families that need one of these endings somewhere in the text, as (case-insensitive) group k of ``_SUFFIX_GATE``
# (a lookahead, so that overlapping endings are all found: "nitazolam" has "nitaz" and "zolam").
# families named by a word ending, and the endings (lower case) without which they cannot match
_GATES = (
    ("cathinone-name", ("ylon", "ylôn", "edron", "édron")),
    ("nitazene", ("nitaz",)),
    ("fentanyl", ("fentan",)),
    ("benzodiazepine", ("zolam", "zepam", "zépam")),
)
_GATED = [(endings, frozenset(i for i, f in enumerate(FAMILIES) if f.name == name)) for name, endings in _GATES]
_ALL_FAMILIES = frozenset(range(len(FAMILIES)))
_ALWAYS = _ALL_FAMILIES.difference(*(families for _, families in _GATED))


def _possible_families(text: str) -> frozenset[int]:
    """The families that may match somewhere in ``text``: a gated family only if the text has one of its endings
    (substring tests on the lower-cased text, far cheaper than a case-insensitive scan)."""
    low = text.lower()
    possible = _ALWAYS
    for endings, families in _GATED:
        for ending in endings:
            if ending in low:
                possible = possible | families
                break
    return possible


@lru_cache(maxsize=64)
def _families_regex(families: frozenset[int]) -> re.Pattern[str]:
    """One alternation of the given families, in ``FAMILIES`` order (so the same family wins at a position as in the
    full expression: a family left out is one that cannot match anywhere in the text)."""
    alternatives = [
        f"(?P<f{i}>{'(?i:' + f.pattern + ')' if f.flags & re.IGNORECASE else f.pattern})"
        for i, f in enumerate(FAMILIES)
        if i in families
    ]
    return re.compile(r"(?<![\w'-])(?:" + "|".join(alternatives) + ")")


def family_of(name: str) -> Family | None:
    """The family whose expression takes ``name`` whole (the first in ``FAMILIES`` order), None if none does."""
    match = _families_regex(_ALL_FAMILIES).fullmatch(name)
    return None if match is None else FAMILIES[int(str(match.lastgroup)[1:])]


def _extends(word: str) -> bool:
    """A family word a prefix word may extend ("N-pyrrolidino" + "-nitazene", "ortho-methyl" + "fentanyl")."""
    low = word.lower()
    return "nitaz" in low or "fentan" in low


_IDENTIFIER = re.compile(r"^(?:0x)?[0-9A-F]{8,}$|\d{4,}|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
_THREE_LETTERS = re.compile(r"[a-z]{3}", re.IGNORECASE)
_SALT = re.compile(
    r"[\s-]*(?:HCl|HBr|hydrochloride|fumarate|freebase|base|citrate|tartrate|sulfate|sulphate)$", re.IGNORECASE
)


_CACHE_SIZE = 20_000  # stretches of text whose family match is kept, per set of possible families (16 at most)
# the family patterns take one whitespace character at most, and their look-behind rejects word characters, "'" and "-"
_SPACES = 2


def _encode(match: re.Match[str], start: int) -> int:
    """A family match as one number: its length times the number of families, plus its family's index."""
    return (match.end() - start) * len(FAMILIES) + int(str(match.lastgroup)[1:])


class NovelCandidates:
    """Novel-substance candidates: adds a :class:`nlp.types.SubstanceMention` with ``known: false`` per name that
    the family expressions accept to ``doc._.nps.substances`` (and removes a known mention that a longer novel name
    swallows). Reads the known mentions and ``doc._.nps_name_tokens`` when the substance matcher runs before it;
    alone, it finds the name-shaped words itself and extends no known name."""

    READS = (RULE_SUBSTANCES, "doc._.nps_name_tokens")
    ASSIGNS = (RULE_SUBSTANCES,)

    def __init__(self, nlp: Language, name: str, lexicon_path: str, min_length: int) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self._names = PhraseMatcher(nlp.vocab, attr="NORM")
        self.lexicon_path = lexicon_path or str(DEFAULT_LEXICON)
        self.min_length = min_length
        self._lexicon: Lexicon | None = None
        # per set of possible families: the ``_encode``d match at a word's context, or -1 for none
        self._matches: dict[frozenset[int], MatchCache[int]] = {}

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._lexicon = resources.lexicon(self.lexicon_path)
        install_norms(self.vocab, self._lexicon)
        self._names = PhraseMatcher(self.vocab, attr="NORM")
        self._names.add("NAME", [name_pattern(self.vocab)])

    def __call__(self, doc: Doc) -> Doc:
        if self._lexicon is None:
            self.initialize()
        assert self._lexicon is not None
        out = findings(doc)
        known = out.substances  # in text order (the substance matcher scans left to right)
        # ``_extends``, inline
        extensible = [m.start for m in known if "nitaz" in (low := m.text.lower()) or "fentan" in low] if known else []
        positions: Sequence[int] | None = values(doc).get(NAME_TOKENS)
        if positions is None:
            positions = [start for _, start, _ in self._names(doc)]
        if not positions and not extensible:
            return doc
        text = doc_text(doc)
        known_starts = [m.start for m in known]
        swallowed: set[int] = set()
        found: list[tuple[int, int, Family]] = []
        free = 0  # first character not inside an accepted candidate
        # families named by a word ending ("-zolam", "-nitazene") are left out when the text does not have that ending
        possible = _possible_families(text)
        regex = _families_regex(possible)
        kept = self._matches.get(possible)
        if kept is None:
            kept = self._matches[possible] = MatchCache(_SPACES, _CACHE_SIZE, _encode, -1)
        for start in self._starts(doc, text, positions, extensible):
            if start < free:
                continue
            found_at = kept.match(regex, text, start)
            if found_at < 0:
                continue
            family = FAMILIES[found_at % len(FAMILIES)]
            end = start + found_at // len(FAMILIES)
            near = known[bisect.bisect_left(known_starts, start - 80) : bisect.bisect_left(known_starts, end)]
            # a longer novel name swallows a known name inside it ("N-pyrrolidino flunitazene", "4F-PiHP")
            inside = [m for m in near if start <= m.start and m.end <= end and m.end - m.start < end - start]
            taken = [(m.start, m.end) for m in near if m not in inside]
            if self._accept(text, start, end, taken):
                found.append((start, end, family))
                swallowed.update(m.start for m in inside)
                free = end
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

    @staticmethod
    def _starts(doc: Doc, text: str, positions: Sequence[int], extensible: list[int]) -> list[int]:
        """Where a name may start: each name-shaped word, the word before a bare core ("3 CPMC"), and the word before
        a known family word a prefix may extend ("N-pyrrolidino" before "-nitazene", "ortho-methyl" before
        "fentanyl")."""
        starts = []
        for i in positions:
            token = doc[i]
            if i > 0 and (CORE.match(token.text) or _extends(token.text)):
                starts.append(doc[i - 1].idx)
            starts.append(token.idx)
        for start in extensible:
            if start > 1 and text[start - 1] in " -":
                starts.append(text.rfind(" ", 0, start - 1) + 1)
        return sorted(set(starts))

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
        if _IDENTIFIER.search(name.replace("-", "")) and not _THREE_LETTERS.search(name):
            return False
        assert self._lexicon is not None
        bare = _SALT.sub("", name)
        return not any(key in self._lexicon.by_key for key in (form_key(name), form_key(bare)))


@Language.factory("npswatch_novel_v1", default_config={"lexicon_path": "", "min_length": 4}, assigns=["doc._.nps"])
def make_novel_candidates(nlp: Language, name: str, lexicon_path: str, min_length: int) -> NovelCandidates:
    """Novel-substance candidates by naming morphology; after ``npswatch_substances_v1`` when both run."""
    return NovelCandidates(nlp, name, lexicon_path, min_length)
