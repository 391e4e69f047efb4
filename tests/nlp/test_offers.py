import datetime as dt
from pathlib import Path

import pytest

import nlp
from nlp.components.offers import parse_number
from nlp.errors import RatesError
from nlp.rates import DEFAULT_RATES, load_rates

DAY = dt.date(2025, 3, 15)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("€1.234,50", 1234.5, "EUR"),
        ("1,234.50 USD", 1234.5, "USD"),
        ("0.0021 BTC", 0.0021, "BTC"),
        ("$40/g", 40.0, "USD"),
        ("45,- EUR", 45.0, "EUR"),
        ("£120", 120.0, "GBP"),
        ("1.5 XMR", 1.5, "XMR"),
        ("25 euro", 25.0, "EUR"),
        ("€ 12,50", 12.5, "EUR"),
        ("1 234,50 €", 1234.5, "EUR"),
    ],
)
def test_price_formats(text: str, amount: float, currency: str) -> None:
    prices = nlp.extract(f"3-MMC 1g {text}", lang="en").prices
    assert [(p.amount, p.currency) for p in prices] == [(amount, currency)]


@pytest.mark.parametrize(
    ("text", "grams"),
    [
        ("10g", 10.0),
        ("10 g", 10.0),
        ("10 gram", 10.0),
        ("1kg", 1000.0),
        ("250mg", 0.25),
        ("100µg", 0.0001),
        ("100ug", 0.0001),
        ("1 oz", 28.349523125),
        ("1 lb", 453.59237),
        ("3,5g", 3.5),
        ("0.5 g", 0.5),
        ("5 Gramm", 5.0),
        ("5 grammes", 5.0),
    ],
)
def test_quantities_in_grams(text: str, grams: float) -> None:
    quantities = nlp.extract(f"MDMA {text}", lang="en").quantities
    assert [q.grams for q in quantities] == [pytest.approx(grams)]


@pytest.mark.parametrize(
    ("text", "unit", "amount"),
    [("50 pills", "pills", 50), ("10 tabs", "tabs", 10), ("25 blotters", "blotters", 25), ("100ml", "ml", 100)],
)
def test_count_and_volume_units_have_no_grams(text: str, unit: str, amount: float) -> None:
    (q,) = nlp.extract(f"LSD {text}", lang="en").quantities
    assert (q.unit, q.amount, q.grams) == (unit, amount, None)


def test_tiers_pair_each_quantity_with_its_price_and_give_eur_per_gram() -> None:
    e = nlp.extract("3-MMC 1g €12 | 5g €50 | 10g €90", lang="en", date=DAY)
    assert [(o.quantity_grams, o.price_amount, o.eur_per_gram) for o in e.offers] == [
        (1.0, 12.0, 12.0),
        (5.0, 50.0, 10.0),
        (10.0, 90.0, 9.0),
    ]


def test_price_before_quantity_pairs_forward() -> None:
    e = nlp.extract("MDMA: €25 for 1g, €100 for 5g", lang="en", date=DAY)
    assert [(o.quantity_grams, o.price_amount) for o in e.offers] == [(1.0, 25.0), (5.0, 100.0)]


def test_crypto_price_converted_with_dated_rate_kept() -> None:
    e = nlp.extract("Cocaine 1g 0.001 BTC", lang="en", date=DAY)
    (offer,) = e.offers
    rate = load_rates().rate("BTC", DAY)
    assert rate is not None
    assert offer.eur_rate == rate.eur_per_unit and offer.rate_date == rate.date.isoformat() == "2025-03-01"
    assert offer.eur == pytest.approx(0.001 * rate.eur_per_unit, abs=0.01)
    assert offer.eur_per_gram == pytest.approx(offer.eur, abs=0.01)
    assert offer.rate_stale  # the shipped BTC rows are monthly approximations: 14 days old on that day


def test_unit_price_per_gram() -> None:
    (offer,) = nlp.extract("Weed $10/g", lang="en", date=DAY).offers
    assert offer.quantity_grams == 1.0 and offer.price_currency == "USD" and offer.eur_per_gram is not None


def test_pills_offer_keeps_unit_count() -> None:
    (offer,) = nlp.extract("XTC 10x 200mg pills €40", lang="en", date=DAY).offers
    assert offer.units == 10 and offer.quantity_grams == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("text", "percent"), [("MDMA 84% pure", 84.0), ("Purity: 91.5%", 91.5), ("Kokain 90% rein", 90.0)]
)
def test_purity(text: str, percent: float) -> None:
    assert [p.percent for p in nlp.extract(text).purity] == [percent]


@pytest.mark.parametrize("text", ["20% off everything", "100% positive feedback", "save up to 30% on MDMA"])
def test_discounts_and_ratings_are_not_purity(text: str) -> None:
    assert nlp.extract(text, lang="en").purity == []


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.234,50", 1234.5),
        ("1,234.50", 1234.5),
        ("0.0021", 0.0021),
        ("12,5", 12.5),
        ("1.234", 1234.0),
        ("1 234", 1234.0),
    ],
)
def test_parse_number(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_shipped_rates_cover_the_currencies_prices_come_in() -> None:
    table = load_rates(DEFAULT_RATES)
    assert {"USD", "GBP", "BTC", "XMR"} <= set(table.currencies)
    eur = table.rate("EUR", DAY)  # EUR needs no row
    assert eur is not None and (eur.eur_per_unit, eur.date) == (1.0, DAY)


def test_shipped_fiat_rates_are_the_ecbs_of_the_day() -> None:
    usd = load_rates(DEFAULT_RATES).rate("USD", DAY)  # a Saturday: Friday's rate
    assert usd is not None and usd.date == dt.date(2025, 3, 14)
    assert usd.eur_per_unit == pytest.approx(1 / 1.0889, rel=1e-9)  # the ECB's 1.0889 USD per euro that day


@pytest.mark.parametrize(
    ("day", "stale"),
    [
        (dt.date(2025, 3, 14), False),
        (dt.date(2025, 3, 21), False),  # 7 days after the rate's day
        (dt.date(2025, 3, 22), True),
        (dt.date(2025, 3, 6), True),  # before the table's first row: the rate is from 8 days later
    ],
)
def test_a_rate_more_than_seven_days_from_the_day_converted_is_stale(tmp_path: Path, day: dt.date, stale: bool) -> None:
    path = tmp_path / "rates.csv"
    path.write_text("date,currency,eur_per_unit,source\n2025-03-14,USD,0.5,ecb\n", encoding="utf-8")
    (offer,) = nlp.extract("MDMA 1g $10", lang="en", date=day, rates=load_rates(path)).offers
    assert (offer.rate_date, offer.rate_stale, offer.eur) == ("2025-03-14", stale, 5.0)


def test_eur_prices_are_never_stale() -> None:
    (offer,) = nlp.extract("MDMA 1g €10", lang="en", date=dt.date(2031, 1, 1)).offers
    assert (offer.eur, offer.eur_rate, offer.rate_date, offer.rate_stale) == (10.0, 1.0, "2031-01-01", False)


def test_user_rates_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text("# mine\ndate,currency,eur_per_unit\n2025-03-14,USD,0.5\n2025-03-16,USD,0.9\n", encoding="utf-8")
    rate = load_rates(path).rate("USD", DAY)
    assert rate is not None and (rate.eur_per_unit, rate.date) == (0.5, dt.date(2025, 3, 14))


@pytest.mark.parametrize(
    "body",
    [
        "date,currency\n2025-01-01,USD\n",
        "date,currency,eur_per_unit\nsoon,USD,1\n",
        "date,currency,eur_per_unit\n2025-01-01,USD,-1\n",
        "date,currency,eur_per_unit\n",
    ],
)
def test_bad_rates_file_says_what_was_expected(tmp_path: Path, body: str) -> None:
    path = tmp_path / "rates.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RatesError, match="expected"):
        load_rates(path)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("Ware 10 ST. 50€", 10.0), ("10 pellets 2mg", 10.0), ("1 piece €10", 1.0), ("20 Stück à 5€", 20.0)],
)
def test_piece_words_are_unit_counts(text: str, amount: float) -> None:
    units = [q for q in nlp.extract(text, lang="de").quantities if q.unit == "pills"]
    assert [q.amount for q in units] == [amount]


@pytest.mark.parametrize("text", ["my 1st order", "I lost 2 st this year"])
def test_ordinals_and_stone_are_not_pieces(text: str) -> None:
    assert nlp.extract(text, lang="en").quantities == []


@pytest.mark.parametrize("text", ["1g .5g 1.234,50 €", "½ oz, ¼g", "v.5 and ..5 and 1.,5", "x45 EUR 3-MMC", ""])
def test_amount_starts_are_where_a_number_begins(text: str) -> None:
    import re

    from nlp.components.offers import amount_starts

    reference = re.compile(r"(?<![\d.,])(?:\d|[.,]\d)|[½¼¾]")  # the definition, as one (slower) regular expression
    assert amount_starts(text) == [m.start() for m in reference.finditer(text)]


def test_amount_starts_match_their_definition_on_random_text() -> None:
    import random
    import re

    from nlp.components.offers import amount_starts

    reference = re.compile(r"(?<![\d.,])(?:\d|[.,]\d)|[½¼¾]")
    rng = random.Random(7)
    alphabet = "ab -:x€0123456789.,½¼¾٣"  # "٣": a decimal digit outside ASCII, which "\d" matches too
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert amount_starts(text) == [m.start() for m in reference.finditer(text)], text


def test_word_quantity_hint_is_any_hint_in_the_text() -> None:
    import random

    from nlp.components import offers

    rng = random.Random(5)
    pieces = [*offers._WORD_QUANTITY_HINTS, "8", "h", "q", "e", "ig", "ht", "-", " ", "1", "ball", "p", "alf"]
    for _ in range(20_000):
        low = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert offers.has_word_quantity_hint(low) == offers._has_any(low, offers._WORD_QUANTITY_HINTS), low


def test_may_be_price_never_rules_out_a_price() -> None:
    import random

    from nlp.components import offers

    rng = random.Random(9)
    pieces = ["€", "$", "£", "US$", "EUR", "eur", "Euro", "USD", "btc", "XMR", "bucks", "quid", "ɱ", "₿", " ", "\u00a0"]
    pieces += ["5", "12", "1.5", ".5", "1 234", ",-", "g", "x", "a", "U", "S", "E", "-", "/"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        starts = offers.amount_starts(text)
        for free in (starts, starts[1:], []):
            if offers._price_matches(text, starts, free):
                assert offers.may_be_price(text, starts, free), (text, free)


def test_round_to_is_round() -> None:
    import random

    from nlp.components.offers import round_to

    rng = random.Random(11)
    values = [2.675, 0.125, 1.005, 2.5, 0.0, 45.0, 12.345, 99999.995, 1e7, 1e12, -3.14159, 0.045]
    for _ in range(50_000):
        scale = rng.choice([1, 10, 1000, 1e5, 1e7])
        values += [rng.random() * scale, round(rng.random() * 1000, 3) + rng.choice([0, 5e-5, 5e-3])]
    for value in values:
        for digits in (2, 4):
            assert round_to(value, digits) == round(value, digits), (value, digits)


def test_currency_first_prices_are_those_a_scan_finds() -> None:
    import random

    from nlp.components import offers

    rng = random.Random(3)
    pieces = ["€", "$", "£", "US$", "EUR", "eur", "USD", "btc", "XMR", " ", "  ", "\u00a0", "5", "12", "1.5", ".5"]
    pieces += ["1 234", ",-", "g", "x", "a", "U", "S", "E", "ɱ", "₿"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        found = offers._currency_first(text, offers.amount_starts(text))
        assert [m.span() for m in found] == [m.span() for m in offers._PRICE_BEFORE.finditer(text)], text


def test_may_be_quantity_never_rules_out_a_quantity() -> None:
    import random

    from nlp.components import offers

    rng = random.Random(9)
    pieces = ["1", "12", "0.5", ".5", "1,5", "½", "¼", "1/2", " ", "  ", "\u00a0", "g", "mg", "x", "×", "*", "ST."]
    pieces += ["%", "€", "-", "a", "²", "٣", "_", "Ⅻ", "/"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        for pos in offers.amount_starts(text):
            assert offers.may_be_quantity(text, pos) or not offers._QTY.match(text, pos), (text, pos)


def test_may_be_price_after_never_rules_out_a_price() -> None:
    import random

    from nlp.components import offers

    rng = random.Random(4)
    pieces = ["1", "12", "1 234", "0.5", ".5", "1,5", ",-", "-", " ", "  ", "\u00a0", "\u202f", "'", "EUR", "eur", "€"]
    pieces += ["$", "Ɱ", "ɱ", "euros", "bucks", "Dollar", "x", "g", "3-MMC", "monero", "٣", "²", "QUID"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        for pos in offers.amount_starts(text):
            assert offers.may_be_price_after(text, pos) or not offers._PRICE_AFTER.match(text, pos), (text, pos)
