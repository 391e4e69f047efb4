"""The substance matcher's rules for a broader lexicon: names of their own kind, co-use in warnings, names never
reported, a medicine's strength (nlp/components/substances.py, nlp/data/substance_cues.json)."""

import pytest

import nlp


def _found(text: str, lang: str = "en") -> list[tuple[str, str | None]]:
    return [(m.text, m.canonical) for m in nlp.extract(text, lang=lang).substances]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("🔥 Amnesia Haze 3.5/7/14/28g - indoor", "en", [("Amnesia Haze", "cannabis")]),
        ("Amnesia 5 gram / 10 gram - binnenteelt", "nl", [("Amnesia", "cannabis")]),
        ("Gorilla Glue half zip | vacuum sealed", "en", [("Gorilla Glue", "cannabis")]),
        ("a mix of Runtz, Girl Scout Cookies and Durban Poison, 28g total", "en",
         [("Runtz", "cannabis"), ("Girl Scout Cookies", "cannabis"), ("Durban Poison", "cannabis")]),
        ("Smoked a bowl of Jack Herer last night", "en", [("Jack Herer", "cannabis")]),
        ("Unser Gras kommt aus Spanien, Indoor, lange gecured.", "de", [("Gras", "cannabis")]),
    ],
)  # fmt: skip
def test_strain_names_count_with_cannabis_context(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("blackout and amnesia after two xanax, never again", "amnesia"),
        ("Best route to hike in the Hindu Kush? Planning a trip next summer.", "Hindu Kush"),
        ("I had cheese and gelato for dessert after the concert.", "gelato"),
        ("🍫 Shroom chocolate bars - 15 squares each", "bars"),
    ],
)
def test_ordinary_words_that_name_strains_or_pills_need_their_own_context(text: str, word: str) -> None:
    assert word not in [found for found, _ in _found(text)]


def test_bars_count_near_a_benzo_word_or_a_strength() -> None:
    assert _found("selling bars 2mg each, pfizer") == [("bars", "alprazolam")]
    assert _found("Xanax bars 2mg x100") == [("Xanax", "alprazolam")]  # the product word is no mention of its own


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Never combine with alcohol or other stimulants.", "en"),
        ("Do not combine with alcohol, opioids or other benzos.", "en"),
        ("Niet combineren met alcohol! 1g €20.", "nl"),
        ("Ne pas mélanger avec de l'alcool.", "fr"),
        ("Nicht mit Alkohol oder Opioiden mischen.", "de"),
        ("Careful with MAOI interactions folks, no alcohol, no aged cheese.", "en"),
    ],
)
def test_co_used_substances_in_warnings_are_not_reported(text: str, lang: str) -> None:
    assert not any(canonical == "alcohol" for _, canonical in _found(text, lang))


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Did a couple of bumps of 3-MMC. Also had 4 beers so idk.", "en", ("beers", "alcohol")),
        ("Gisteren wiet gerookt met een paar biertjes", "nl", ("biertjes", "alcohol")),
        ("Nie wieder Ketamin mit Alkohol, habe mich übergeben.", "de", ("Alkohol", "alcohol")),
        ("Seit ich Snus nehme, rauche ich weniger.", "de", ("Snus", "tobacco")),
    ],
)
def test_co_used_substances_are_reported_in_their_own_group(text: str, lang: str, expected: tuple[str, str]) -> None:
    mentions = nlp.extract(text, lang=lang).substances
    co_used = [m for m in mentions if m.canonical == expected[1]]
    assert [(m.text, m.canonical) for m in co_used] == [expected]
    assert co_used[0].chemical_group == "co-use" and co_used[0].nps is False


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Keep naloxone at hand. Narcan saves lives.", "en"),
        ("Naloxon-Schulung bei der Drogenhilfe, kostenlos.", "de"),
        ("Fentanyl test strips included free with orders over €100.", "en"),
        ("Verkaufe Marquis-Reagenzien sowie Fentanyl-Teststreifen.", "de"),
        ("Vente de réactifs Marquis + bandelettes fentanyl.", "fr"),
        ("Benzo test kits back in stock next week.", "en"),
        ("Shipped as coffee beans in a sealed bag.", "en"),
    ],
)
def test_rescue_medicines_test_kits_and_stealth_labels_are_never_reported(text: str, lang: str) -> None:
    assert _found(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Percocet 10 and roxy 30s from the plug", "en", [("Percocet 10", "oxycodone"), ("roxy 30s", "oxycodone")]),
        ("Oxycodone IR 30mg - 20 pills, pharma", "en", [("Oxycodone IR", "oxycodone")]),
        ("Mijn huisarts heeft me oxazepam voorgeschreven (Seresta 10)", "nl",
         [("oxazepam", "oxazepam"), ("Seresta 10", "oxazepam")]),
        ("Percocet 10 pills for 50", "en", [("Percocet", "oxycodone")]),
        ("Heroin 10 bags", "en", [("Heroin", "heroin")]),
    ],
)  # fmt: skip
def test_a_medicine_with_a_bare_strength_or_release_form_is_one_mention(
    text: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "canonical"),
    [
        ("San Pedro cactus powder 100g", "en", "mescaline"),
        ("Hawaiian baby woodrose seeds, untreated", "en", "LSA"),
        ("Mimosa hostilis root bark 1kg shredded", "en", "DMT"),
        ("Steppenraute + Mimosa Rinde: wie viel Gramm Raute nehmt ihr?", "de", "DMT"),
        ("Nootmuskaat werkt echt, maar daarna 2 dagen brak.", "nl", "nutmeg"),
        ("Le lotus bleu en infusion, c'est juste relaxant.", "fr", "blue lotus"),
        ("been on gabbies for nerve pain", "en", "gabapentin"),
        ("dialudid 8s are impossible to get now", "en", "hydromorphone"),
    ],
)
def test_plants_name_their_substance_and_medicines_their_inn(text: str, lang: str, canonical: str) -> None:
    assert canonical in [c for _, c in _found(text, lang)]
