"""Typed values from text as written on markets and forums."""

from __future__ import annotations

from decimal import Decimal

import pytest
from parsel import Selector
from pydantic import ValidationError

from crawlers.config import FieldSpec, RowsSpec
from crawlers.parsers.fields import (
    parse_bool,
    parse_datetime,
    parse_float,
    parse_int,
    parse_price,
    read_field,
    read_rows,
)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$40.00", "40.00", "USD"),
        ("0.00061 BTC", "0.00061", "BTC"),
        ("0.21 XMR", "0.21", "XMR"),
        ("€1.234,50", "1234.50", "EUR"),
        ("0,05 BTC", "0.05", "BTC"),
        ("$40/g", "40", "USD"),
        ("10g - 120€", "120", "EUR"),
        ("1,234.50 USD", "1234.50", "USD"),
        ("£12", "12", "GBP"),
        ("EUR 1 234,50", "1234.50", "EUR"),
        ("ɱ0.2", "0.2", "XMR"),
        ("price: 1.5 btc", "1.5", "BTC"),
    ],
)
def test_price_amount_and_currency(text: str, amount: str, currency: str) -> None:
    price = parse_price(text, "5g")
    assert price is not None
    assert (price.amount, price.currency, price.quantity, price.text) == (Decimal(amount), currency, "5g", text)


@pytest.mark.parametrize("text", ["", "call for price", "10g", "BTC only", "€"])
def test_text_without_a_price_gives_none(text: str) -> None:
    assert parse_price(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,234 ratings", 1234), ("(87)", 87), ("none yet", None), (None, None), (["12 sales"], 12)],
)
def test_parse_int(text: object, expected: int | None) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("4.87/5", 4.87), ("4,8 ★", 4.8), ("n/a", None)])
def test_parse_float(text: str, expected: float | None) -> None:
    assert parse_float(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Yes", True), ("Escrow: no", False), ("FE enabled", True), ("nee", False), ("✓", True), (None, None)],
)
def test_parse_bool(text: str | None, expected: bool | None) -> None:
    assert parse_bool(text) is expected


def test_parse_datetime_with_format_and_iso() -> None:
    assert parse_datetime("Mon Oct 05, 2026 9:14 pm", "%a %b %d, %Y %I:%M %p") == "2026-10-05T21:14:00+00:00"
    assert parse_datetime("2026-10-05T21:14:00+02:00", None) == "2026-10-05T19:14:00+00:00"
    assert parse_datetime("yesterday", None) is None


HTML = """<html><body>
<h1> Pure  <b>3-MMC</b> crystals </h1>
<ul class="cats"><li>Drugs</li><li>Stimulants</li></ul>
<table class="tiers"><tr><td class="q">1g</td><td class="p">$40</td><td class="p">0.0006 BTC</td></tr>
<tr><td class="q">5g</td><td class="p">$150</td></tr></table>
</body></html>"""


def test_read_field_joins_text_and_applies_regex() -> None:
    node = Selector(text=HTML)
    assert read_field(node, FieldSpec(css="h1 ::text"), "http://x/") == "Pure 3-MMC crystals"
    assert read_field(node, FieldSpec(css="h1 ::text", re=r"(\d-MMC)"), "http://x/") == "3-MMC"
    assert read_field(node, FieldSpec(css="ul.cats li::text", many=True), "http://x/") == ["Drugs", "Stimulants"]
    assert read_field(node, FieldSpec(from_url=r"/item/(\d+)"), "http://x/item/77?p=1") == "77"
    assert read_field(node, FieldSpec(css="h2::text"), "http://x/") is None


def test_read_rows_gives_one_dict_per_block() -> None:
    spec = RowsSpec(css="table.tiers tr", fields={"quantity": FieldSpec(css=".q::text"),
                                                  "price": FieldSpec(css=".p::text", many=True)})  # fmt: skip
    assert read_rows(Selector(text=HTML), spec, "http://x/") == [
        {"quantity": "1g", "price": ["$40", "0.0006 BTC"]},
        {"quantity": "5g", "price": ["$150"]},
    ]


def test_fields_read_as_parsel_serialises_them() -> None:
    node = Selector(text='<html><body><p class="fe"><b>FE</b> ok</p><i>1</i><i>2</i><u> </u></body></html>')
    assert read_field(node, FieldSpec(css="p.fe"), "http://x/") == '<p class="fe"><b>FE</b> ok</p>'  # the element
    assert read_field(node, FieldSpec(xpath="count(//i)"), "http://x/") == "2.0"
    assert read_field(node, FieldSpec(xpath="boolean(//u)"), "http://x/") == "1"
    assert read_field(node, FieldSpec(xpath="//i[text() = '2']/text()"), "http://x/") == "2"
    assert read_field(node, FieldSpec(css="u::text"), "http://x/") is None  # blank text is no value


def test_rows_of_text_nodes_have_no_fields_and_xml_pages_read_the_same() -> None:
    spec = RowsSpec(css="td.q::text", fields={"quantity": FieldSpec(css="span::text")})
    assert read_rows(Selector(text=HTML), spec, "http://x/") == [{"quantity": None}, {"quantity": None}]
    xml = Selector(text="<items><item><q>1g</q></item><item><q>5g</q></item></items>", type="xml")
    rows = RowsSpec(xpath="//item", fields={"quantity": FieldSpec(xpath="q/text()")})
    assert read_rows(xml, rows, "http://x/") == [{"quantity": "1g"}, {"quantity": "5g"}]


def test_a_bad_xpath_is_refused_when_the_spec_is_made_naming_the_query() -> None:
    with pytest.raises(ValidationError, match=r"'//a\[' is not a valid XPath"):
        FieldSpec(xpath="//a[")


def test_exslt_regexes_are_refused_they_would_run_on_pythons_backtracking_re() -> None:
    with pytest.raises(ValidationError, match=r"EXSLT re: functions are not offered .*: use the field's re: key"):
        FieldSpec(xpath="//i[re:test(text(), '^(a+)+$')]/text()")
