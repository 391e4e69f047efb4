import pytest

import nlp


def _novel(text: str, lang: str = "en") -> list[tuple[str, str]]:
    return [(m.text, m.chemical_group) for m in nlp.extract(text, lang=lang).substances if not m.known]


@pytest.mark.parametrize(
    ("text", "name", "family"),
    [
        ("new stock: 4-Br-PVP 1g", "4-Br-PVP", "synthetic cathinone"),
        ("ADB-5F-HEXINACA on paper", "ADB-5F-HEXINACA", "synthetic cannabinoid"),
        ("found N-pyrrolidino butonitazene in fake oxys", "N-pyrrolidino butonitazene", "nitazene"),
        ("fluclobromazolam pellets 0.5mg", "fluclobromazolam", "benzodiazepine"),
        ("3-MeO-PCiP 1g", "3-MeO-PCiP", "arylcyclohexylamine"),
        ("5-MeO-PiPT 100mg", "5-MeO-PiPT", "tryptamine"),
        ("1F-LSD blotters", "1F-LSD", "lysergamide"),
        ("2C-YN 500mg", "2C-YN", "phenethylamine"),
        ("4F-PiHP 500mg", "4F-PiHP", "synthetic cathinone"),
        ("THC-H vape", "THC-H", "semi-synthetic cannabinoid"),
    ],
)
def test_novel_candidates_by_naming_morphology(text: str, name: str, family: str) -> None:
    found = nlp.extract(text, lang="en").substances
    novel = [m for m in found if not m.known]
    assert [(m.text, m.chemical_group) for m in novel] == [(name, family)]
    assert novel[0].canonical is None and novel[0].nps is True


@pytest.mark.parametrize(
    "text",
    [
        "Pressed M30 pills, imprint M 30, A215",
        "PGP fingerprint 0x9F3A2B1C 7D4E 8A21 C3B4 D5E6 F708 9A1B 2C3D",
        "Order #A-12345 shipped 2025-03-12, tracking RR123456789NL, ref ORD-2024-0012",
        "Size XL, 500ml, 4K TV, model U-2000, Windows KB5034441, error 0x80070643",
        "Call 0612345678 or visit room 4-B, seat 2C, gate B12, flight LH2045",
        "3-MMC and 2C-B and 5F-MDMB-PICA",
    ],
)
def test_identifiers_and_known_names_are_not_novel(text: str) -> None:
    assert _novel(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("selling 3cpmc 5g", "3cpmc"),
        ("3 CPMC 10g", "3 CPMC"),
        ("4-Br-3-MMC is the new thing", "4-Br-3-MMC"),
        ("Quelqu'un connaît le N-éthyl-4-CMC ?", "N-éthyl-4-CMC"),
        ("Hat jemand 3-Chlor-PHP probiert?", "3-Chlor-PHP"),
        ("4-Chloor-PHP is terug", "4-Chloor-PHP"),
        ("N-Propyl-Hexedron 5g neu", "N-Propyl-Hexedron"),
        ("In den Proben: N-Desethyl-Butonitazen", "N-Desethyl-Butonitazen"),
    ],
)
def test_morphology_covers_spacing_substituent_spellings_and_n_alkyl_prefixes(text: str, name: str) -> None:
    assert [n for n, _ in _novel(text)] == [name]


@pytest.mark.parametrize("text", ["I need 2 PHP developers", "We met on 4 MAR at gate 3 B", "Windows 10 ST edition"])
def test_spaced_positions_need_a_cathinone_core(text: str) -> None:
    assert _novel(text) == []


@pytest.mark.parametrize(
    ("text", "lang", "canonical"),
    [
        ("Stay off the current 4-Fluoramphetamin", "en", "4-FA"),
        ("4-Fluoramfetamin 1g", "de", "4-FA"),
        ("2-Fluordeschloroketamin, 5 g", "de", "2F-DCK"),
        ("de 4-fluoramfetamine van vorige week", "nl", "4-FA"),
    ],
)
def test_a_known_substance_spelled_another_way_is_known(text: str, lang: str, canonical: str) -> None:
    """A systematic name the grammar reads whole that is a lexicon name in another spelling (German "-in",
    "Fluor-" for "fluoro-", "f" for "ph") is that substance, not a novel candidate."""
    found = nlp.extract(text, lang=lang).substances
    assert [(m.canonical, m.known) for m in found] == [(canonical, True)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("4-Ethoxyamphetamin", "de"), ("2-Fluor-N-propylketamin", "de"), ("3-Bromfluormethcathinon", "de")],
)
def test_a_new_substituent_in_another_spelling_stays_novel(text: str, lang: str) -> None:
    assert [m.known for m in nlp.extract(text, lang=lang).substances] == [False]
