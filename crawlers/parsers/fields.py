"""Reading fields from a page: selectors from the source file, then typed values.

Everything here is a pure function of its arguments, so the template parsers that use
it stay pure functions of a response and its source config.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from lxml import etree
from parsel import Selector, SelectorList
from price_parser import Price as ParsedPrice

from crawlers.config import FieldSpec, PageSpec, RowsSpec
from crawlers.items import Price
from crawlers.patterns import regex, selector

_SPACE = re.compile(r"\s+")
_NUMBER = r"\d[\d.,'\u202f\u00a0 ]*\d|\d"
# Currency marks as written on markets and shops, mapped to ISO 4217 or a crypto ticker.
CURRENCY_MARKS: dict[str, str] = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "$": "USD", "us$": "USD", "usd": "USD",
    "£": "GBP", "gbp": "GBP",
    "₿": "BTC", "btc": "BTC", "xbt": "BTC",
    "ɱ": "XMR", "xmr": "XMR",
}  # fmt: skip
_MARK = "|".join(sorted((re.escape(m) for m in CURRENCY_MARKS), key=len, reverse=True))
_PRICE_AFTER = re.compile(rf"(?P<mark>{_MARK})\s?(?P<num>{_NUMBER})", re.IGNORECASE)
_PRICE_BEFORE = re.compile(rf"(?P<num>{_NUMBER})\s?(?P<mark>{_MARK})(?![a-z])", re.IGNORECASE)
_YES = {"yes", "true", "1", "on", "enabled", "✓", "✔", "ja", "oui", "y"}
_NO = {"no", "false", "0", "off", "disabled", "✗", "✘", "nee", "non", "nein", "n", "none", "-"}


def clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


# A field's selector is compiled once (crawlers.patterns) and run straight on the page's lxml tree, giving the
# strings parsel's ``SelectorList.getall()`` gives (same CSS translator) without building a Selector object per
# node.  XML pages (XmlResponse) keep parsel's own path.
Node: TypeAlias = Selector | etree._Element  # a page or a row: a parsel Selector, or an element of an HTML page's tree


def _fast(node: Node) -> etree._Element | None:
    """The lxml element to query directly, or None when parsel's path is needed."""
    if isinstance(node, etree._Element):
        return node
    return node.root if node.type == "html" and isinstance(node.root, etree._Element) else None


def _select(node: Node, spec: FieldSpec | RowsSpec) -> list[Any]:
    """What the spec selects: lxml results on the fast path, else parsel Selectors."""
    root = _fast(node)
    if root is None:
        assert isinstance(node, Selector)
        selected: SelectorList[Selector] = node.css(spec.css) if spec.css else node.xpath(spec.xpath or "")
        return list(selected)
    result = selector(spec.css, spec.xpath)(root)
    return result if isinstance(result, list) else [result]


def _serialised(value: Any) -> str:
    """A selected value as text, as ``parsel.Selector.get`` gives it."""
    if isinstance(value, Selector):
        return str(value.get())
    if isinstance(value, str):
        return value
    if isinstance(value, etree._Element):
        return str(etree.tostring(value, method="html", encoding="unicode", with_tail=False))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _row(value: Any) -> Node:
    """A selected row block as a node fields are read from (a text node becomes a Selector, as in parsel)."""
    return value if isinstance(value, Selector | etree._Element) else Selector(root=value, type="html")


def read_field(node: Node, spec: FieldSpec, url: str) -> str | list[str] | None:
    """The text a field spec selects: one cleaned string (parts joined), or a list with ``many``."""
    if spec.from_url:
        found = regex(spec.from_url).group(url)
        values = [] if found is None else [found]
    else:
        values = [clean(_serialised(v)) for v in _select(node, spec)]
        values = [v for v in values if v]
        if not spec.many:
            values = [clean(" ".join(values))] if values else []
    if spec.re:
        pattern = regex(spec.re)
        values = [kept for v in values if (kept := pattern.group(v)) is not None]
    if spec.many:
        return values
    return values[0] if values else None


def read_rows(node: Node, spec: RowsSpec, url: str) -> list[dict[str, Any]]:
    """One dict of fields per repeated block (a quantity tier, a post)."""
    rows = [_row(value) for value in _select(node, spec)]
    return [{name: read_field(row, field, url) for name, field in spec.fields.items()} for row in rows]


def read_page(node: Node, page: PageSpec, url: str) -> dict[str, Any]:
    """Every field of a page type, read from one page."""
    out: dict[str, Any] = {}
    for name, spec in page.fields.items():
        out[name] = read_rows(node, spec, url) if isinstance(spec, RowsSpec) else read_field(node, spec, url)
    return out


def first_text(value: Any) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value if isinstance(value, str) and value else None


def joined(value: Any) -> str | None:
    """A text field that may have been selected as many parts (``many: true``), as one string."""
    parts = as_list(value)
    return clean(" ".join(parts)) or None if parts else None


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [v for v in value if v] if isinstance(value, list) else [value]


def parse_int(value: Any) -> int | None:
    """The first whole number in the text: "1,234 ratings" -> 1234, "(87)" -> 87."""
    text = first_text(value)
    found = re.search(r"\d[\d,.'\u202f\u00a0 ]*", text or "")
    if not found:
        return None
    digits = re.sub(r"\D", "", found.group(0))
    return int(digits) if digits and len(digits) <= 12 else None


def parse_float(value: Any) -> float | None:
    """The first decimal number: "4.87/5" -> 4.87, "4,8" -> 4.8."""
    text = first_text(value)
    found = re.search(r"\d+(?:[.,]\d+)?", text or "")
    return float(found.group(0).replace(",", ".")) if found else None


def parse_bool(value: Any) -> bool | None:
    """Yes/no words in four languages; any other selected text means the flag is shown (True)."""
    text = first_text(value)
    if text is None:
        return None
    words = set(re.findall(r"[\w✓✔✗✘-]+", text.casefold()))
    return not (words & _NO and not words & _YES)


def parse_datetime(value: Any, fmt: str | None, zone: str = "UTC") -> str | None:
    """An ISO 8601 UTC timestamp from a date as written (naive dates are in ``zone``), or None."""
    text = first_text(value)
    if not text:
        return None
    try:
        parsed = datetime.strptime(text, fmt) if fmt else datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed.astimezone(UTC).isoformat()


def parse_price(text: str, quantity: str | None = None) -> Price | None:
    """An amount and a currency from text as offered: "€1.234,50", "0,05 BTC", "$40/g", "10g - 120€"."""
    found = _PRICE_AFTER.search(text) or _PRICE_BEFORE.search(text)
    if not found:
        return None
    number = found.group("num").replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace("'", "")
    amount = _amount(number)
    if amount is None:
        return None
    currency = CURRENCY_MARKS[found.group("mark").casefold()]
    return Price(amount=amount, currency=currency, text=clean(text), quantity=quantity)


@lru_cache(maxsize=4096)
def _amount(number: str) -> Decimal | None:
    """The amount of a number as written ("1.234,50" -> 1234.50); the same figures recur on every page."""
    amount = ParsedPrice.fromstring(number).amount
    return None if amount is None else Decimal(amount)
