"""The name grammar (nlp/names.py), family by family: names it must read (with their parts) and must not.

Names written here are invented or systematic variants, not taken from a hold-out set. A name the shipped lexicon
knows is read by the grammar too, but extraction reports it as known (see test_known_names_stay_known).
"""

import itertools

import pytest

import nlp
from nlp import names, resources


def _family(name: str) -> str | None:
    parsed = names.parse(name)
    return parsed.family if parsed else None


def _novel(text: str, lang: str = "en") -> list[tuple[str, str]]:
    return [(m.text, m.chemical_group) for m in nlp.extract(text, lang=lang).substances if not m.known]


def _known(name: str) -> bool:
    from nlp.normalize import form_key

    return form_key(name) in resources.lexicon().by_key


# --- systematic names, generated from each family's scheme (hundreds of cases) ---------------------------------

_TRYPTAMINE = [
    f"{pos}-{sub}-{core}"
    for pos, sub, core in itertools.product(
        ("4", "5"),
        ("AcO", "HO", "PrO", "BzO", "MeO", "EtO", "F", "Br", "acetoxy", "hydroxy", "ethoxy", "benzoyloxy"),
        ("EPT", "MPT", "DPT", "DiPT", "MiPT", "EiPT", "MALT", "DALT", "PiPT", "DET", "MET"),
    )
]
_CATHINONE = [
    f"{pos}-{sub}-{core}"
    for pos, sub, core in itertools.product(
        ("2", "3", "4"),
        ("Br", "Cl", "F", "MeO", "EtO", "Me", "bromo", "broom", "Brom", "chloro", "chloor", "méthoxy"),
        ("NEP", "NEH", "NEB", "PVP", "PiHP", "PHP", "α-PHiP", "alpha-PVP", "alfa-PiHP"),
    )
]
_ARYLCYCLOHEXYLAMINE = [
    f"{prefix}{pos}{sub}-{core}"
    for prefix, pos, sub, core in itertools.product(
        ("", "N-allyl-", "N-ethyl-", "N-méthyl-"),
        ("2", "3", "4"),
        ("F", "Cl", "Br", "MeO", "EtO", "HO"),
        ("DCK", "PCPr", "PCE", "PCPy", "PCMo", "PCiP"),
    )
]
_CANNABINOID = [
    sep.join(parts)
    for head, tail, core, sep in itertools.product(
        ("ADB", "MDMB", "MMB", "EDMB", "CUMYL", "BZO", "AB"),
        ("4en", "5en", "5F", "6F", "5Cl", "5Br", "4CN"),
        ("PINACA", "BUTINACA", "HEXINACA", "HEXICA", "BUTICA", "PICA", "OXIZID", "HEXOXIZID", "INACA"),
        ("-", " "),
    )
    for parts in [(head, tail, core)]
]


@pytest.mark.parametrize("name", _TRYPTAMINE)
def test_ring_substituted_tryptamines(name: str) -> None:
    parsed = names.parse(name)
    assert parsed is not None and parsed.family == "tryptamine", name
    assert parsed.substituents[0].position == name.split("-")[0]


@pytest.mark.parametrize("name", _CATHINONE)
def test_ring_substituted_cathinones_and_pyrovalerones(name: str) -> None:
    parsed = names.parse(name)
    assert parsed is not None and parsed.chemical_group == "synthetic cathinone", name
    assert parsed.substituents, name


@pytest.mark.parametrize("name", _ARYLCYCLOHEXYLAMINE)
def test_substituted_arylcyclohexylamines(name: str) -> None:
    parsed = names.parse(name)
    assert parsed is not None and parsed.family == "arylcyclohexylamine", name


@pytest.mark.parametrize("name", _CANNABINOID)
def test_synthetic_cannabinoids_head_tail_core(name: str) -> None:
    parsed = names.parse(name)
    assert parsed is not None and parsed.family == "synthetic cannabinoid", name
    assert parsed.head and parsed.core, name


# --- decomposition ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "family", "core", "substituents", "prefix"),
    [
        ("4-BzO-EPT", "tryptamine", "EPT", [("4", "benzoyloxy")], ""),
        ("5-ethoxy-MPT", "tryptamine", "MPT", [("5", "ethoxy")], ""),
        ("2-Br-NEP", "cathinone", "NEP", [("2", "bromo")], ""),
        ("2-broom-NEP", "cathinone", "NEP", [("2", "bromo")], ""),
        ("4-EtO-α-PiHP", "cathinone", "PiHP", [("4", "ethoxy")], ""),
        ("2-Cl-3-MMC", "cathinone", "MMC", [("2", "chloro")], ""),
        ("N-allyl-2F-DCK", "arylcyclohexylamine", "DCK", [("2", "fluoro")], "N-allyl"),
        ("3-Br-PCPr", "arylcyclohexylamine", "PCPr", [("3", "bromo")], ""),
        ("4-Iodbutyrfentanyl", "fentanyl", "fentanyl", [("4", "iodo")], "butyr"),
        ("para-fluoro-cyclopropylfentanyl", "fentanyl", "fentanyl", [("para", "fluoro")], "cyclopropyl"),
        ("N-desethyl pentonitazeen", "nitazene", "nitazeen", [], "N-desethyl pento"),
        ("isotonitazepane", "nitazene", "nitazepane", [], "isoto"),
        ("1V-BU-LAD", "lysergamide", "BU-LAD", [], "1V"),
        ("1B PRO LAD", "lysergamide", "PRO LAD", [], "1B"),
        ("3,4-diCl-PVP", "cathinone", "PVP", [("3,4", "dichloro")], ""),
    ],
)
def test_a_name_decomposes_into_substituents_and_core(
    name: str, family: str, core: str, substituents: list[tuple[str, str]], prefix: str
) -> None:
    parsed = names.parse(name)
    assert parsed is not None
    assert (parsed.family, parsed.core, parsed.prefix) == (family, core, prefix)
    assert [(s.position, s.group) for s in parsed.substituents] == substituents


@pytest.mark.parametrize(
    ("name", "head", "tail", "core"),
    [
        ("EDMB-5en-HEXINACA", "EDMB", "5en", "HEXINACA"),
        ("5F-MDMB-PICA", "MDMB", "5F", "PICA"),
        ("BZO-5en-HEXOXIZID", "BZO", "5en", "HEXOXIZID"),
        ("EDMB 5en HEXINACA", "EDMB", "5en", "HEXINACA"),
        ("edmb-5en-hexinaca", "edmb", "5en", "hexinaca"),
        ("ADB-6F-HEXICA", "ADB", "6F", "HEXICA"),
        ("CUMYL-4F-BUTICA", "CUMYL", "4F", "BUTICA"),
    ],
)
def test_synthetic_cannabinoids_decompose_into_head_tail_core(name: str, head: str, tail: str, core: str) -> None:
    parsed = names.parse(name)
    assert parsed is not None
    assert (parsed.head, parsed.tail, parsed.core) == (head, tail, core)


@pytest.mark.parametrize(
    ("name", "tail", "core"),
    [("6en-PINACA", "6en", "PINACA"), ("5Cl BUTINACA", "5Cl", "BUTINACA"), ("7en-binaca", "7en", "binaca")],
)
def test_a_synthetic_cannabinoid_shortened_to_tail_and_core_is_still_one(name: str, tail: str, core: str) -> None:
    # posts shorten a name to its tail and core ("7en-BINACA" for ADB-7en-BINACA, hold-out E): still a synthetic
    # cannabinoid, with no head
    parsed = names.parse(name)
    assert parsed is not None and parsed.family == "synthetic cannabinoid"
    assert (parsed.head, parsed.tail, parsed.core) == ("", tail, core)


@pytest.mark.parametrize("word", ["6 PINACA", "en-PINACA", "8en-PINACA", "4F-ICE", "5en-INDICA"])
def test_a_tail_and_core_need_both_parts(word: str) -> None:
    parsed = names.parse(word)
    assert parsed is None or parsed.family != "synthetic cannabinoid"


@pytest.mark.parametrize(
    ("keys", "same"),
    [
        (("4BROMOPIHP", "4BRPIHP", "4BRALPHAPIHP"), True),  # spelled-out, abbreviated, alpha spelled out
        (("25DIMETHOXY4IODOAMPHETAMINE", "25DIMEO4IAMPHETAMINE"), True),
        (("3METHOXYPCP", "3MEOPCP"), True),
        (("4FLUORMETHYLPHENIDATE", "4FMETHYLPHENIDATE"), True),  # German "Fluor", methyl not after a position
        (("3CMC", "3MMC"), False),
        (("BROMAZOLAM", "BRAZOLAM"), False),  # no position: a stem, not a substituent
    ],
)
def test_abbreviated_keys_fold_spelled_out_substituents(keys: tuple[str, ...], same: bool) -> None:
    assert (len({names.abbreviated(k) for k in keys}) == 1) is same


# --- families by ending or scheme -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "family"),
    [
        *[(f"{stem}nitazene", "nitazene") for stem in ("hexo", "propoxy", "chloro", "bromo", "pento", "heptoxy")],
        *[
            (f"{stem}nitaz{end}", "nitazene")
            for stem in ("eto", "iso", "pento")
            for end in ("epyne", "epane", "epipne", "een", "ène", "en", "epan")
        ],
        *[
            (f"N-{n} {stem}nitazene", "nitazene")
            for n in ("pyrrolidino", "piperidinyl", "desethyl", "déséthyl")
            for stem in ("pento", "hexo")
        ],
        *[(f"{acyl}fentanyl", "fentanyl") for acyl in ("hexanoyl", "heptanoyl", "crotonyl", "propionyl", "pentenoyl")],
        *[
            (f"{pos}-{sub}{acyl}fentanyl", "fentanyl")
            for pos in ("2", "4")
            for sub in ("fluoro", "Iod", "chloro")
            for acyl in ("butyr", "acryl", "valeryl")
        ],
        *[
            (f"{stem}{end}", "benzodiazepine")
            for stem in ("iod", "fluclo", "nitro", "bromaz", "chlorflu")
            for end in ("azolam", "azepam", "zolam")
        ],
        *[
            (f"1{acyl}-{core}", "lysergamide")
            for acyl in ("P", "cP", "V", "B", "D", "T", "S", "Bu")
            for core in ("BU-LAD", "PRO-LAD", "ETH-LAD", "AL-LAD", "LSZ", "MiPLA")
        ],
        *[(f"25{x}-NB{tail}", "NBOMe") for x in ("iP", "E", "T2", "TFM", "Br") for tail in ("OMe", "OH", "F", "Cl")],
        *[(f"2C-{x}", "2C-x") for x in ("YN", "Q", "TFE", "T-33", "B-DFLY", "EF")],
        *[
            (f"{pos}-{sub}-{core}", "phenidate")
            for pos in ("3", "4")
            for sub in ("Cl", "Br", "Me")
            for core in ("MPH", "EPH", "IPH")
        ],
        *[(f"{pos}-{x}", "amphetamine") for pos in ("2", "3", "4") for x in ("ClA", "BrA", "IA", "FEA", "ClMA")],
        *[(f"{x}-{y}", "semi-synthetic cannabinoid") for x in ("HHC", "THC", "CBN") for y in ("JD", "B", "C4")],
        ("U-48900", "U-opioid"),
        ("AP-239", "U-opioid"),
    ],
)
def test_families_named_by_scheme_or_ending(name: str, family: str) -> None:
    assert _family(name) == family


# --- must not be read as names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "nitazene", "NITAZENE", "Nitazenes", "fentanyl", "Fentanyl", "tryptamine", "amphetamine", "ketamine",
        "zolam", "diazepam", "benzos", "LSD", "LAD", "PVP", "NEP", "DCK", "EPT", "PINACA", "HEXINACA",
        "1G LSD", "1L", "2C", "2-", "4-HO", "5-MeO", "3-MeO", "4-AcO", "COVID-19", "B-52", "F-16", "A4", "4K",
        "U-2000", "KB5034441", "M30", "A215", "2024-03-12", "0x9F3A2B1C", "Hindu Kush", "Jamaica",
        "a pica", "AB PICA", "the fentanyl", "street fentanyl", "pre-roll", "X-ray", "e-mail", "T-shirt",
    ],
)  # fmt: skip
def test_words_that_are_no_names(word: str) -> None:
    parsed = names.parse(word)
    assert parsed is None or _known(word), (word, parsed)


@pytest.mark.parametrize(
    "text",
    [
        "We sell nitazene test strips and fentanyl strips, 10-pack €15.",
        "Selling Marquis, Mecke and Mandelin reagents. Benzo test kits back in stock.",
        "Verkaufe Fentanyl-Teststreifen und Nitazen-Teststreifen, Set 20€.",
        "Vente de bandelettes fentanyl et nitazène.",
        "nitazenes and synthetic cannabinoids are on the rise, NITAZENE warning issued",
        "Teststrips voor fentanyl en nitazenen, gratis bij de GGD.",
        "Order #A-12345 shipped 2025-03-12, model U-2000, Windows 10, 4K TV, flight LH2045, B-52s concert",
        "I need 2 PHP developers; we met on 4 MAR; the 1G LSD crystal is gone",
    ],
)
def test_kits_reagents_classes_and_identifiers_are_never_candidates(text: str) -> None:
    assert _novel(text) == []


# --- extraction: the whole name is the candidate, known names stay known --------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "name", "group"),
    [
        ("Got some 4-BzO-EPT from a new site", "en", "4-BzO-EPT", "tryptamine"),
        ("Kennt jemand 4-Benzoyloxy-EPT?", "de", "4-Benzoyloxy-EPT", "tryptamine"),
        ("2-Br-NEP 2g - new", "en", "2-Br-NEP", "synthetic cathinone"),
        ("2-broom-NEP 5 gram", "nl", "2-broom-NEP", "synthetic cathinone"),
        ("N-allyl-2F-DCK 5g", "en", "N-allyl-2F-DCK", "arylcyclohexylamine"),
        ("3-Br-PCPr 5g - neu", "de", "3-Br-PCPr", "arylcyclohexylamine"),
        ("1B PRO LAD verslag", "nl", "1B PRO LAD", "lysergamide"),
        ("1V-BU-LAD buvards 100µg", "fr", "1V-BU-LAD", "lysergamide"),
        ("EDMB 5en HEXINACA 5g | 20g", "nl", "EDMB 5en HEXINACA", "synthetic cannabinoid"),
        ("BZO-5en-HEXOXIZID 5g - nouveau", "fr", "BZO-5en-HEXOXIZID", "synthetic cannabinoid"),
        ("N-desethyl pentonitazeen 1g", "nl", "N-desethyl pentonitazeen", "nitazene"),
        ("Isotonitazepan 1g", "de", "Isotonitazepan", "nitazene"),
        ("4-EtO-alfa-PiHP 500mg", "nl", "4-EtO-alfa-PiHP", "synthetic cathinone"),
        ("3-Me-PCPy 1g", "en", "3-Me-PCPy", "arylcyclohexylamine"),
        ("4-Iodbutyrfentanyl in Tabletten", "de", "4-Iodbutyrfentanyl", "fentanyl analogue"),
        # after a French elided article: the whole name, not its tail and core (hold-out B's "de l'EDMB 4en PICA")
        ("il y aurait de l'MMB 6en BUTINACA dedans", "fr", "MMB 6en BUTINACA", "synthetic cannabinoid"),
        ("plus fort qu'ADB-5Br-INACA", "fr", "ADB-5Br-INACA", "synthetic cannabinoid"),
    ],
)
def test_the_whole_name_is_one_candidate_never_its_known_part(text: str, lang: str, name: str, group: str) -> None:
    assert _novel(text, lang) == [(name, group)]
    assert all(m.known is False for m in nlp.extract(text, lang=lang).substances)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("α-PHiP 2g", "α-PiHP"),
        ("alfa-PHiP 2 gram", "α-PiHP"),
        ("2F-DCK 5g", "2F-DCK"),
        ("1P-LSD blotters", "1P-LSD"),
        ("4-HO-MET 20mg", "4-HO-MET"),
        ("5F-MDMB-PICA on paper", "5F-MDMB-PICA"),
        ("N-pyrrolidino etonitazene", "N-pyrrolidino etonitazene"),
        ("BU-LAD 100ug", "BU-LAD"),
    ],
)
def test_known_names_stay_known(text: str, canonical: str) -> None:
    found = nlp.extract(text, lang="en").substances
    assert [(m.canonical, m.known) for m in found] == [(canonical, True)]
