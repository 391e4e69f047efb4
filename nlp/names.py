"""A grammar of NPS names: substituents on a known core, or a family's systematic naming scheme.

A name is read as ``[N-alkyl prefix] [ring substituents] core`` (or, for the families named by a scheme, as the
scheme's parts: a synthetic cannabinoid's head, tail and core, a lysergamide's 1-acyl group and core, a nitazene's
alkoxy stem, N-substituent and ending). The pieces:

- **substituents** (:data:`SUBSTITUENTS`): a position ("4", "3,4", "2'", "para", "o") and a group, abbreviated
  ("F", "Cl", "MeO", "BzO") or spelled out in English, Dutch, French or German ("fluoro", "chloor", "méthoxy",
  "Brom", "Iod", "benzoyloxy"), with or without hyphens ("2-Br-", "2Br-", "2-bromo-", "4-Iodbutyr...");
- **cores**: each family's cores from its published naming scheme (:data:`FAMILIES`), plus the short names the
  lexicon knows for substances of that family's chemical group (:func:`lexicon_cores`: "NEP", "DCK", "EPT",
  "PRO-LAD"), so a new member of a family whose core the lexicon knows is read as one name ("2-Br-NEP",
  "N-allyl-2F-DCK", "4-BzO-EPT", "1B-PRO-LAD");
- **Greek letters** as written or spelled out ("α-", "alpha-", "alfa-", "a-"), spaces or no hyphen between parts
  ("EDMB 5en HEXINACA", "1B PRO LAD", "MDMB4en").

:func:`compile_grammar` joins every family into **one** regular expression (one alternation, a named group per
family, cores longest first), which the novel-name component tries only at name-shaped words. :func:`parse`
decomposes a name into its parts (family, core, substituents with position and group) with one expression per
family that names its parts; it explains a match and is what the grammar's tests check, not the hot path.

Nothing here reads a file: the lexicon's cores are passed in (:func:`lexicon_cores`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nlp.lexicon import Lexicon

# --- substituents -------------------------------------------------------------------------------------------------

# group -> abbreviations (case-sensitive) and spelled-out stems (case-insensitive; en, nl, fr, de)
SUBSTITUENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fluoro": (("F", "Fl"), ("fluoro", "fluor", "fluoor", "flouro")),
    "chloro": (("Cl",), ("chloro", "chlor", "chloor")),
    "bromo": (("Br",), ("bromo", "brom", "broom")),
    "iodo": (("I",), ("iodo", "iod", "jod", "jood")),
    "methyl": (("Me",), ("methyl", "méthyl", "metyl")),
    "ethyl": (("Et",), ("ethyl", "éthyl")),
    "propyl": (("Pr", "nPr"), ("propyl",)),
    "isopropyl": (("iPr",), ("isopropyl", "iso-propyl")),
    "butyl": (("Bu",), ("butyl",)),
    "allyl": (("All", "Allyl"), ("allyl",)),
    "cyclopropyl": (("cPr",), ("cyclopropyl",)),
    "methoxy": (("MeO", "OMe"), ("methoxy", "méthoxy", "metoxy")),
    "ethoxy": (("EtO",), ("ethoxy", "éthoxy")),
    "propoxy": (("PrO",), ("propoxy", "propionyloxy", "propionoxy")),
    "isopropoxy": (("iPrO",), ("isopropoxy",)),
    "hydroxy": (("HO", "OH"), ("hydroxy",)),
    "acetoxy": (("AcO",), ("acetoxy", "acétoxy")),
    "benzoyloxy": (("BzO",), ("benzoyloxy", "benzoyloxi")),
    "phosphoryloxy": (("PO",), ("phosphoryloxy",)),
    "methylthio": (("MeS",), ("methylthio", "méthylthio")),
    "ethylthio": (("EtS",), ("ethylthio",)),
    "trifluoromethyl": (("CF3",), ("trifluoromethyl", "trifluorméthyl", "trifluorométhyl")),
    "nitro": (("NO2",), ("nitro",)),
    "cyano": (("CN",), ("cyano",)),
    "amino": (("NH2",), ("amino",)),
    "phenyl": (("Ph",), ("phenyl", "phényl")),
    "methylenedioxy": (("MD",), ("methylenedioxy", "méthylènedioxy")),
}
_MULTIPLIERS = ("di", "tri", "bis")  # "2,5-dimethoxy", "3,4-diCl"
# a position and its hyphen: "4-", "4" (glued: "4F-"), "3,4-", "2'-", "para-", "o-"
_POSITION = r"(?:[2-7]'?(?:,[2-7]'?)*-?|(?i:ortho|meta|para|o|m|p)-)"
_ALPHA = r"(?:α|(?i:alpha|alfa|a))"


def _alternation(items: Iterable[str], escape: bool = True) -> str:
    """Longest first, so that "PCPr" is tried before "PCP" and "MeO" before "Me"."""
    unique = sorted(set(items), key=lambda s: (-len(s), s))
    return "|".join(re.escape(s) if escape else s for s in unique)


def _sub_abbreviation() -> str:
    abbr = [a for abbrs, _ in SUBSTITUENTS.values() for a in abbrs]
    return rf"(?:(?:{'|'.join(_MULTIPLIERS)})?(?:{_alternation(abbr)}))"


def _sub_spelled() -> str:
    stems = [s for _, stems in SUBSTITUENTS.values() for s in stems]
    return rf"(?i:(?:{'|'.join(_MULTIPLIERS)})?(?:{_alternation(stems)}))"


SUB = rf"(?:{_sub_spelled()}|{_sub_abbreviation()})"
# one ring substituent: position, optional hyphen, group, optional hyphen ("2-Br-", "2Br-", "4-EtO-", "2-bromo-")
RING = rf"(?:{_POSITION}{SUB}-?)"
RINGS = rf"(?:{RING}){{1,3}}"
# an N-substituent written before the name ("N-allyl-", "N-éthyl-", "N-Propyl-", "N,N-dimethyl-")
N_ALKYL = (
    r"(?:N(?:,N)?-(?i:(?:di)?(?:m[eé]thyl|[eé]thyl|iso-?propyl|propyl|butyl|pentyl|hexyl|benzyl|allyl|cyclopropyl|"
    r"cyclopropylmethyl))-?)"
)

# where a name may start: not inside a word or after a hyphen, nor after an apostrophe unless it ends a French elided
# word ("l'EDMB 4en PICA", "d'ADB-7en-BINACA", "qu'"; not "don'")
NAME_START = r"(?<![\w-])(?:(?<!')|(?<=\b[ldjmnstcLDJMNSTC]')|(?<=\b[qQ][uU]'))"

# --- families -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """One family of the grammar. ``pattern`` uses ``{cores}`` where the family's cores go (scheme cores and the
    lexicon's cores for ``lexicon_groups``), and the named groups ``nalkyl``, ``ring``, ``core``, ``head``,
    ``tail`` for :func:`parse` (dropped in the combined expression). ``gate``: lower-case strings one of which a text
    must contain for the family to match in it (empty: always tried)."""

    name: str
    chemical_group: str
    effect_group: str
    pattern: str
    cores: tuple[str, ...] = ()
    lexicon_groups: tuple[str, ...] = ()
    gate: tuple[str, ...] = ()
    ignore_case: bool = False


# cathinone cores by their published abbreviation scheme: ring letter + N-alkyl letter + "C" (3-MMC, 4-CEC, 4-BMC)
_CATHINONE_LETTERS = r"(?:MeO|DM|Me|Cl|Br|Et|M|C|B|F|E|I)"
_CATHINONE_N = r"(?:MC|EC|PC|iPC|BC|DMC)"
_CATHINONE_N_ALKYL = ("NEP", "NEH", "NEB", "NEHP", "NEPD", "NPP", "NiPP", "NPH", "NMP", "NDH", "NEK")
_PYROVALERONES = ("PVP", "PHP", "PiHP", "PHiP", "PBP", "PPP", "PVT", "PHPP", "POP", "PCYP", "PEP", "PCPP", "D2PV",
                  "PNP", "PV8", "PV9", "PVN", "PHPCP")  # fmt: skip
_TRYPTAMINE_ALKYL = ("M", "E", "P", "iP", "B", "iB", "sB", "AL", "All", "cP", "Pr")
_LAD_GROUPS = ("AL", "ETH", "PRO", "BU", "iP", "CP", "FE", "PARGY", "MET", "ALL", "PROP")
_ACH_CORES = ("PCP", "PCE", "PCPr", "PCPy", "PCMo", "PCiP", "PCM", "PCEEA", "PCMEA", "PCBu", "DCK", "DCEK", "DCPK",
              "NENK", "NENDCK", "MXE", "MXPr", "MXiPr", "MXM", "DMXE", "DXE", "HXE", "FXE", "TCPy")  # fmt: skip
_PHENIDATES = ("MPH", "EPH", "IPH", "PPH", "IPPH", "BPH", "CPH", "MNP")
_AMPHETAMINE_LETTERS = r"(?:MeO|Me|Cl|Br|F|C|B|I|M|E)"
SCRA_HEADS = ("ADB", "MDMB", "MMB", "EDMB", "AB", "AMB", "APP", "APICA", "CUMYL", "BZO", "MAB", "ADAMANTYL", "NNEI",
               "MN", "FUB", "AP", "ADMB", "PX", "A", "DMBA", "EMB", "MPP", "OXIZID", "SGT", "CH", "ADSB", "MDMBA",
               "EDMBA", "FDU", "NNE", "PTI", "QUCHIC", "TMCP", "CHM", "4F", "5F")  # fmt: skip
_SCRA_TAIL = r"(?:[3-7]'?(?:en|F|Cl|Br|CN|I|Me|OH|MeO)|CHM|CH|FUB|PEN|BUT|HEX|Bn|F)"
_SCRA_CORE_PREFIX = ("P", "B", "BUT", "PENT", "PEN", "HEX", "HEPT", "FUB", "CHM", "CH", "PR", "PX", "FUBI", "CHMI",
                     "BZ", "OX", "CYM", "")  # fmt: skip
_SCRA_CORE_SUFFIX = ("INACA", "ICA", "IATA", "OXIZID", "7AICA", "AICA")
_SCRA_CORES_WHOLE = ("PEGACLONE", "GACLONE", "P7AICA", "PINACA", "PICA", "BINACA", "BUTINACA")
_SCRA_CODES = r"(?:(?:JWH|UR|EG|RCS|XLR|THJ|FDU|SGT|AKB|STS|MDMB)-?\d{2,4}|(?:AM|CP|HU|MN|NM|WIN|BB|PB)-\d{2,4})"
_NITAZENE_N = (r"(?i:N-(?:pyrrolidino|pyrrolidinyl|pip[eé]ridinyl|pip[eé]ridino|d[eé]s[eé]thyl|d[eé]sm[eé]thyl|"
               r"morpholino|m[eé]thyl|[eé]thyl|propyl)[\s-]?)")  # fmt: skip
_NITAZENE_END = r"(?i:nitaz(?:[eéè]ne?|[eé]en|ine|epyne|epine|epipne|[eé]pane?|[eé]pam|[eé]pine|ole))"
_FENTANYL_ACYL = (r"(?i:acetyl|acryl(?:oyl)?|iso-?butyr(?:yl)?|butyr(?:yl)?|valeryl|furanyl|"
                  r"cyclo(?:propyl|butyl|pentyl|hexyl)|methoxyacetyl|tetrahydrofuranyl|benzyl|crotonyl|propionyl|hexanoyl|heptanoyl|thio|"
                  r"phenyl|methyl|ethyl|fluoro|chloro|bromo|iodo|iod|fluor|chlor|brom)")  # fmt: skip

FAMILIES: tuple[Family, ...] = (
    Family(
        "synthetic cannabinoid",
        "synthetic cannabinoid",
        "cannabinoid",
        # [tail-]head[-tail]-core ("5F-MDMB-PICA", "MDMB-4en-PINACA", "EDMB 5en HEXINACA", "BZO-5en-HEXOXIZID"), a
        # tail and core without the head ("7en-BINACA"), a generic upper-case head before a hyphen
        # ("XYZ-4en-PINACA"), or a code ("JWH-018")
        rf"(?:(?P<tail>{_SCRA_TAIL})-)?(?P<head>(?i:{{heads}}))(?:-?(?P<tail2>(?i:{_SCRA_TAIL})))?-(?P<core>(?i:{{cores}}))"
        rf"|(?P<head2>(?i:{{heads}}))[\s-]?(?P<tail3>(?i:{_SCRA_TAIL}))\s(?P<core2>(?i:{{cores}}))"
        rf"|(?P<head3>(?i:{{long_heads}}))\s(?P<core3>(?i:{{cores}}))"
        # a tail and a core without the head, as posts shorten a name ("7en-BINACA" for ADB-7en-BINACA)
        rf"|(?P<tail4>[3-7]'?(?i:en|F|Cl|Br|CN))[\s-](?P<core4>(?i:{{cores}}))"
        rf"|(?:{_SCRA_TAIL}-)?[A-Z][A-Z0-9]{{1,5}}(?:-(?i:{_SCRA_TAIL}))?-(?:{{cores}})"
        rf"|{_SCRA_CODES}",
        gate=(),
    ),
    Family(
        "nitazene",
        "nitazene",
        "opioid",
        # [N-substituent ]alkoxy stem + nitazene ending ("N-desethyl pentonitazeen", "isotonitazepane"); a bare
        # "nitazene" (the class word) has no stem
        rf"(?P<nalkyl>{_NITAZENE_N})?(?P<ring>(?i:[a-zà-ÿ]{{2,}}?))(?P<core>{_NITAZENE_END})",
        gate=("nitaz",),
    ),
    Family(
        "fentanyl",
        "fentanyl analogue",
        "opioid",
        # ring substituent and/or acyl group + fentanyl ("4-Iodbutyrfentanyl", "ortho-methyl fentanyl")
        rf"(?P<ring>{RINGS}|(?i:ortho|meta|para|o|m|p)-)?(?P<nalkyl>(?:{_FENTANYL_ACYL}[\s-]?){{1,2}}|(?i:[a-zà-ÿ]{{3,}})-?)"
        r"(?P<core>(?i:fentan[iy]le?))",
        gate=("fentan",),
    ),
    Family(
        "benzodiazepine",
        "benzodiazepine",
        "depressant",
        r"(?P<ring>(?i:[a-zà-ÿ]{3,}?))(?P<core>(?i:azolam|az[eé]pam|zolam|z[eé]pam|azepine))",
        gate=("zolam", "zepam", "zépam", "azepine"),
    ),
    Family(
        "cathinone",
        "synthetic cathinone",
        "stimulant",
        # ring substituents on a cathinone core: 3-CMC, 2-Cl-3-MMC, 2-Br-NEP, 4-EtO-α-PiHP, 3-EtO-PVP, "3 CPMC"
        rf"(?P<nalkyl>{N_ALKYL})?(?P<ring>{RING}{{0,2}}{_POSITION})(?P<core>{_CATHINONE_LETTERS}{_CATHINONE_N}"
        r"|[A-Z]{1,2}PMC|MeOMC)"
        rf"|(?P<ring2>{RINGS})(?:{_ALPHA}-?)?(?P<core2>{{cores}})"
        rf"|(?P<ring3>{RING}{{0,2}})(?:{_ALPHA}-)(?P<core3>{_alternation(_PYROVALERONES)})"
        r"|(?P<ring4>[2-6][-\s]?)(?P<core4>(?i:mmc|cmc|bmc|fmc|mec|cec|[a-z]{1,2}pmc))",
        cores=(*_CATHINONE_N_ALKYL, *_PYROVALERONES),
        lexicon_groups=("synthetic cathinone",),
    ),
    Family(
        "cathinone-name",
        "synthetic cathinone",
        "stimulant",
        rf"(?P<nalkyl>(?i:N-\w+[-\s]?))?(?P<ring>{RING}{{0,2}})(?P<core>(?i:[a-zà-ÿ]{{3,}}(?:yl[oô]n|[eé]dron|ph[eé]dron)e?))",
        gate=("ylon", "ylôn", "edron", "édron"),
    ),
    Family(
        "tryptamine",
        "tryptamine",
        "psychedelic",
        # ring substituent at 4-7 + N,N-dialkyl core (4-BzO-EPT, 5-EtO-MPT, 5-ethoxy-MPT, 4-Benzoyloxy-EPT)
        rf"(?P<nalkyl>(?:N,N-)?)(?P<ring>(?:[4-7]-?{SUB}-?){{1,2}})(?P<core>{{cores}})"
        rf"|(?P<ring2>(?:[4-7]-?{SUB}-?){{0,2}})(?P<core2>(?i:(?:N,N-)?[a-z]{{2,}}tryptamin[e]?))",
        cores=(
            *(f"D{a}T" for a in _TRYPTAMINE_ALKYL),
            *(f"{a}{b}T" for a in _TRYPTAMINE_ALKYL for b in _TRYPTAMINE_ALKYL if a != b),
            "AMT",
            "AET",
            "MALT",
            "DALT",
            "MPMI",
            "McPT",
            "EcPT",
            "DBT",
            "DSBT",
            "MsBT",
            "NMT",
        ),
        lexicon_groups=("tryptamine",),
    ),
    Family(
        "lysergamide",
        "lysergamide",
        "psychedelic",
        # 1-acyl + core (1P-LSD, 1cP-AL-LAD, 1V-BU-LAD, "1B PRO LAD"), or an N6 group + LAD (BU-LAD)
        rf"(?P<ring>1(?:c[A-Z]|[A-Z][a-z]{{0,2}})-|1(?:c[A-Z]|[A-FHIJMNO-WYZ][a-z]{{0,2}})\s?)(?P<core>{{cores}}|(?:{_alternation(_LAD_GROUPS)})[\s-]?LAD)"
        rf"|(?P<ring2>(?:{_alternation(_LAD_GROUPS)}))-(?P<core2>LAD)",
        cores=("LSD", "LSZ", "MiPLA", "LSM-775", "LSA", "MLD", "ALD"),
        lexicon_groups=("lysergamide",),
    ),
    Family(
        "arylcyclohexylamine",
        "arylcyclohexylamine",
        "dissociative",
        # N-substituent and/or ring substituents on a core (N-allyl-2F-DCK, 3-Br-PCPr, 3-MeO-PCMo), or a -ketamine /
        # -xetamine name (bromoketamine, deoxymethoxetamine)
        rf"(?P<nalkyl>{N_ALKYL})?(?P<ring>{RINGS})(?P<core>{{cores}})"
        rf"|(?P<nalkyl2>{N_ALKYL})(?P<ring2>{RING}{{0,3}})(?P<core2>{{cores}})"
        rf"|(?P<ring3>{RING}{{0,2}})(?P<core3>(?i:[a-z]{{2,}}(?:xetamine?|oroketamine?|oketamine?)))",
        cores=_ACH_CORES,
        lexicon_groups=("arylcyclohexylamine",),
    ),
    Family(
        "phenidate",
        "phenidate",
        "stimulant",
        rf"(?P<ring>{RINGS})(?P<core>{{cores}})|(?P<ring2>{RING}{{0,2}})(?P<core2>(?i:[a-z]{{3,}}ph[eé]nidat[e]?))",
        cores=_PHENIDATES,
        lexicon_groups=("phenidate",),
    ),
    Family(
        "amphetamine",
        "amphetamine",
        "stimulant",
        # 4-FA, 2-FMA, 3-Cl-MA; a ring substituent + amphetamine ("2-bromo-amphetamine")
        rf"(?P<ring>{RING}{{0,2}}{_POSITION})(?P<core>{_AMPHETAMINE_LETTERS}(?:MA|EA|PA|A)|MAR|DMAR|FPM|MPM)"
        rf"|(?P<ring2>{RINGS})(?P<core2>(?i:[a-z]*(?:amph[eé]tamine?|amfetamine?)))",
    ),
    Family(
        "benzofuran",
        "benzofuran",
        "empathogen",
        r"(?P<ring>[4-7]-?)(?P<core>APB|MAPB|EAPB|APDB|MAPDB|EAPDB|APBT|MBPB|APDI)",
    ),
    Family(
        "2C-x",
        "phenethylamine",
        "psychedelic",
        r"(?P<ring>(?:bk-|βk-)?[23]C-)(?P<core>[A-Z][A-Za-z]{0,3}(?:-\d{1,2}|-FLY|-DFLY)?)",
    ),
    Family(
        "NBOMe",
        "phenethylamine",
        "psychedelic",
        r"(?P<ring>2[456][A-Za-z0-9]{1,4})[\s-]?(?P<core>NB(?:OMe|OH|F|Cl|MD|CN|Me|OEt|Br|2OMe|OPr))",
    ),
    Family(
        "semi-synthetic cannabinoid",
        "semi-synthetic cannabinoid",
        "cannabinoid",
        r"(?P<core>HHC|THC|H4-?CBD|CBD|CBN|CBG|Δ\d{1,2}-THC|HHCP|THCP)-(?P<ring>O|P|H|B|JD|PO|V|A|C4|X|M|PH|HHCPO)",
    ),
    Family("U-opioid", "other opioid", "opioid", r"(?P<core>U-?4[789]\d{3}|U-?5\d{4}|AP-?2[3-4]\d)"),
)

# --- compiling ----------------------------------------------------------------------------------------------------

_NAMED = re.compile(r"\(\?P<(\w+)>")
_SHORT = re.compile(r"^[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*$")  # an acronym-like name: two capitals or more
_LAD = re.compile(r"^[A-Z]{2,5}-LAD$")


def lexicon_cores(forms: Iterable[tuple[str, str]], family: Family) -> tuple[str, ...]:
    """Cores the lexicon gives ``family``: the acronym-like names (2-7 characters, two capitals or more, "NEP",
    "DCK", "DiPT", "PCPy"; lysergamide "X-LAD" names) of substances whose chemical group is one of the family's
    ``lexicon_groups``. ``forms``: (surface form, chemical group) pairs."""
    if not family.lexicon_groups:
        return ()
    cores = set()
    for text, group in forms:
        if group not in family.lexicon_groups:
            continue
        if (2 <= len(text) <= 7 and _SHORT.match(text)) or _LAD.match(text):
            cores.add(text)
    return tuple(sorted(cores))


def _heads(shortest: int = 1) -> str:
    return _alternation(h for h in SCRA_HEADS if len(h) >= shortest)


def _scra_cores() -> str:
    combos = {p + s for p in _SCRA_CORE_PREFIX for s in _SCRA_CORE_SUFFIX if p + s} | set(_SCRA_CORES_WHOLE)
    return _alternation(combos)


def family_pattern(family: Family, extra_cores: Iterable[str] = (), named: bool = True) -> str:
    """The family's expression with its cores filled in; without named groups when ``named`` is false (the
    combined expression cannot repeat group names)."""
    cores = (*family.cores, *extra_cores)
    pattern = family.pattern.replace("{heads}", _heads()).replace("{long_heads}", _heads(3))
    pattern = pattern.replace("{cores}", _scra_cores() if family.name == "synthetic cannabinoid" else
                              _alternation(cores) or "(?!)")  # fmt: skip
    if not named:
        pattern = _NAMED.sub("(?:", pattern)
    return f"(?i:{pattern})" if family.ignore_case else pattern


@dataclass
class Grammar:
    """The compiled grammar: ``regex`` (every family, one alternation, group ``f<i>`` per family index) and the
    family order; :meth:`for_families` gives the alternation of a subset (families gated out of a text)."""

    families: tuple[Family, ...]
    cores: dict[str, tuple[str, ...]]
    _subsets: dict[frozenset[int], re.Pattern[str]] = field(default_factory=dict, init=False)

    @property
    def regex(self) -> re.Pattern[str]:
        """Every family in one expression (compiled on first use, as each subset is)."""
        return self.for_families(frozenset(range(len(self.families))))

    def for_families(self, indices: frozenset[int]) -> re.Pattern[str]:
        regex = self._subsets.get(indices)
        if regex is None:
            alternatives = [
                f"(?P<f{i}>{family_pattern(f, self.cores.get(f.name, ()), named=False)})"
                for i, f in enumerate(self.families)
                if i in indices
            ]
            # a name ends at a word's end: the engine backtracks to a longer core rather than stop inside a word
            regex = self._subsets[indices] = re.compile(
                NAME_START + r"(?:" + "|".join(alternatives) + r")(?![^\W_]|-[^\W_])"
            )
        return regex

    def gate_key(self, text: str) -> int:
        """Which gated families may match in ``text``, as a number: bit ``i`` is set if family ``i`` has a gate and the
        text holds one of its endings (a few substring tests; :meth:`families_of` gives the families, ungated ones
        included)."""
        low = text.lower()
        key = 0
        for i, family in enumerate(self.families):
            for ending in family.gate:
                if ending in low:
                    key |= 1 << i
                    break
        return key

    def families_of(self, key: int) -> frozenset[int]:
        """The families a :meth:`gate_key` stands for: the ungated ones and the gated ones whose bit is set."""
        return frozenset(i for i, f in enumerate(self.families) if not f.gate or key >> i & 1)

    def possible(self, text: str) -> frozenset[int]:
        """The families that may match in ``text``: gated families only if the text holds one of their endings."""
        return self.families_of(self.gate_key(text))


def compile_grammar(forms: Iterable[tuple[str, str]] = ()) -> Grammar:
    """The grammar with the lexicon's cores (``forms``: (surface form, chemical group) of every lexicon form)."""
    pairs = list(forms)
    return Grammar(FAMILIES, {f.name: lexicon_cores(pairs, f) for f in FAMILIES})


# --- parsing (explaining a match) -------------------------------------------------------------------------------

_ONE_RING = re.compile(rf"(?P<position>{_POSITION})(?P<group>{SUB})-?")
_SPELLING = {
    **{a.lower(): g for g, (abbrs, _) in SUBSTITUENTS.items() for a in abbrs},
    **{s.lower(): g for g, (_, stems) in SUBSTITUENTS.items() for s in stems},
}


@dataclass(frozen=True)
class Substituent:
    position: str
    group: str  # the group's name in :data:`SUBSTITUENTS` ("bromo", "benzoyloxy"), "di"/"tri" kept as a prefix


@dataclass(frozen=True)
class Parse:
    """A name read by the grammar: its family, core, substituents (position, group) and N-substituent or acyl
    part (``prefix``), and for synthetic cannabinoids the head and tail."""

    family: str
    chemical_group: str
    effect_group: str
    core: str
    substituents: tuple[Substituent, ...] = ()
    prefix: str = ""
    head: str = ""
    tail: str = ""


def _group_name(spelling: str) -> str:
    low = spelling.lower()
    for multiplier in _MULTIPLIERS:
        if low.startswith(multiplier) and low[len(multiplier) :] in _SPELLING:
            return multiplier + _SPELLING[low[len(multiplier) :]]
    return _SPELLING.get(low, spelling)


def substituents(ring: str) -> tuple[Substituent, ...]:
    """The (position, group) pairs of a ring-substituent prefix ("2-Cl-3-" -> 2 chloro; "4-BzO-" -> 4 benzoyloxy)."""
    return tuple(Substituent(m["position"].rstrip("-"), _group_name(m["group"])) for m in _ONE_RING.finditer(ring))


_SPELLED_KEY: re.Pattern[str] | None = None
_ABBREVIATION = {
    unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().upper(): abbrs[0].upper()
    for abbrs, stems in SUBSTITUENTS.values()
    for s in stems
}


def abbreviated(key: str) -> str:
    """An upper-case name key (letters and digits only, as ``signals.series.candidate_key`` makes) with each
    substituent spelled out after a position written as its abbreviation, and a spelled-out alpha before a
    pyrovalerone core left out (as "α" is): "4BROMOPIHP", "4BRALPHAPIHP" and "4BRPIHP" are one key, so are
    "25DIMETHOXY..." and "25DIMEO..."."""
    global _SPELLED_KEY
    if _SPELLED_KEY is None:
        stems = _alternation(_ABBREVIATION)
        multipliers = "|".join(_MULTIPLIERS).upper()
        _SPELLED_KEY = re.compile(rf"(?<=[0-9])((?:{multipliers})?)({stems})|(?<=[0-9A-Z])(?:ALPHA|ALFA)(?=P)")
    return _SPELLED_KEY.sub(lambda m: m[1] + _ABBREVIATION[m[2]] if m[2] else "", key)


def parse(name: str, grammar: Grammar | None = None) -> Parse | None:
    """The first family whose expression matches all of ``name`` (in ``FAMILIES`` order, as the combined expression
    tries them), with its parts; None if no family reads it."""
    grammar = grammar or _default()
    for family in grammar.families:
        regex = _family_regex(family, grammar.cores.get(family.name, ()))
        m = regex.fullmatch(name)
        if m is None:
            continue
        parts = {k: v for k, v in m.groupdict().items() if v}
        core = next((parts[k] for k in ("core", "core2", "core3", "core4") if k in parts), name)
        head = parts.get("head") or parts.get("head2") or parts.get("head3") or ""
        tail = parts.get("tail") or parts.get("tail2") or parts.get("tail3") or parts.get("tail4") or ""
        ring = next((parts[k] for k in ("ring", "ring2", "ring3", "ring4") if k in parts), "")
        prefix = (parts.get("nalkyl") or parts.get("nalkyl2") or "").strip(" -")
        subs = substituents(ring) if family.name not in ("nitazene", "benzodiazepine", "lysergamide") else ()
        if family.name in ("nitazene", "benzodiazepine", "lysergamide", "semi-synthetic cannabinoid"):
            prefix = f"{prefix} {ring.strip(' -')}".strip()
        return Parse(family.name, family.chemical_group, family.effect_group, core, subs, prefix.strip(" -"), head,
                     tail)  # fmt: skip
    return None


_FAMILY_REGEX: dict[tuple[str, tuple[str, ...]], re.Pattern[str]] = {}


def _family_regex(family: Family, cores: tuple[str, ...]) -> re.Pattern[str]:
    key = (family.name, cores)
    regex = _FAMILY_REGEX.get(key)
    if regex is None:
        regex = _FAMILY_REGEX[key] = re.compile(family_pattern(family, cores))
    return regex


def _default() -> Grammar:
    """The grammar with the shipped lexicon's cores (for :func:`parse` without a grammar)."""
    from nlp import resources

    return resources.grammar()


def grammar_for(lexicon: Lexicon) -> Grammar:
    """The grammar with ``lexicon``'s cores."""
    forms = [(text, hit.substance.chemical_group) for text, hit in lexicon.forms]
    forms += [(text, hit.substance.chemical_group) for text, hits in lexicon.short_forms.items() for hit in hits]
    forms += [(s.canonical, s.chemical_group) for s in lexicon.substances.values()]
    return compile_grammar(forms)
