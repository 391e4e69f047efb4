"""``npswatch_offers_v1``: quantities, prices, purity and the offers they make, with EUR per gram.

Amounts are found with regular expressions over the text (so "10g", "10 g" and "10 gram" all work whatever the
tokenizer did) and reported with character offsets. Prices accept "€1.234,50", "1,234.50 USD", "0.0021 BTC",
"$40/g", "45,- EUR". Quantities and prices are paired in reading order: a price goes with the last quantity before it
("1g €15 | 5g €60"), or with the quantity right after it ("€15 for 1g"); "/g", "per gram", "each" make a unit price.
EUR values use the rate in force on the text's date (see :mod:`nlp.rates`); the rate and its date are kept.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import time
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from spacy.language import Language
from spacy.tokens import Doc

from nlp import resources
from nlp.components.state import (
    DATE,
    OFFER_QUANTITIES,
    RATES,
    MatchCache,
    check_order,
    doc_text,
    findings,
    space_at,
    values,
)
from nlp.rates import DEFAULT_RATES, RateTable, is_stale, load_rates
from nlp.types import Offer, Price, Purity, Quantity

GRAMS: Final = {"g": 1.0, "kg": 1000.0, "mg": 0.001, "µg": 1e-6, "oz": 28.349523125, "lb": 453.59237}
_UNIT_WORDS = {
    "g": "g|gr|grs|gram|grams|gramm|gramme|grammes|grammi|gms|gm|grammen|grammes",
    "kg": "kg|kgs|kilo|kilos|kilogram|kilograms|kilogramm|kilogramme|kilogrammes",
    "mg": "mg|mgs|milligram|milligrams|milligramm|milligramme|milligrammes",
    "µg": "µg|μg|ug|mcg|microgram|micrograms|mikrogramm|microgramme|microgrammes",
    "oz": "oz|ozs|ounce|ounces|onces|unzen",
    "lb": "lb|lbs|pound|pounds",
    "ml": "ml|mls|millilitre|milliliter|millilitres|milliliters",
    "pills": "pills|pill|pillen|pil|pilules|pilule|tabletten|tablette|tablets|tablet|comprimés|comprimé|caps|capsules"
    "|capsule|kapseln|kapsel|pcs|pieces|piece|pièces|pièce|pellets|pellet|cachets|cachet|stuks|stuk|stück|stücke|stk"
    "|st|x",
    "tabs": "tabs|tab",
    "blotters": "blotters|blotter|buvards|buvard|pappen|pappe|hits|hit|trips|tickets|blots",
}
_UNIT_OF: Final = {word: unit for unit, words in _UNIT_WORDS.items() for word in words.split("|")}
_NUM = r"\d+(?:[.,]\d+)?|[.,]\d+"
# the unit is any word, looked up in ``_UNIT_OF`` (one dict lookup instead of a 90-way alternation at every number)
_QTY: Final = re.compile(
    rf"(?<![\w.,])(?:(?P<count>\d{{1,4}})\s?[x×*]\s?)?(?P<num>{_NUM}|½|¼|¾|1/2|1/4|1/8|3/4)\s?(?P<unit>[^\W\d_]+)"
    r"(?![\w])",
)
_WORD_QTY: Final = re.compile(
    r"(?<![\w])(?P<word>eighth|8th|8-ball|8ball|eightball|half oz|half ounce|qp|hp|quarter oz|"
    r"quarter ounce)(?![\w])",
    re.IGNORECASE,
)
_WORD_QTY_VALUE: Final = {
    "eighth": (0.125, "oz"),
    "8th": (0.125, "oz"),
    "8-ball": (0.125, "oz"),
    "8ball": (0.125, "oz"),
    "eightball": (0.125, "oz"),
    "half oz": (0.5, "oz"),
    "half ounce": (0.5, "oz"),
    "qp": (0.25, "lb"),
    "hp": (0.5, "lb"),
    "quarter oz": (0.25, "oz"),
    "quarter ounce": (0.25, "oz"),
}
_FRACTIONS: Final = {"½": 0.5, "¼": 0.25, "¾": 0.75, "1/2": 0.5, "1/4": 0.25, "1/8": 0.125, "3/4": 0.75}

_CUR_SYMBOL: Final = {"€": "EUR", "$": "USD", "us$": "USD", "£": "GBP", "₿": "BTC", "ɱ": "XMR"}
_CUR_WORD: Final = {
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "gbp": "GBP",
    "quid": "GBP",
    "btc": "BTC",
    "bitcoin": "BTC",
    "bitcoins": "BTC",
    "xmr": "XMR",
    "monero": "XMR",
    "€": "EUR",
    "$": "USD",
    "£": "GBP",
    "₿": "BTC",
    "eu": "EUR",
}
_PRICE_NUM = r"\d{1,3}(?:[.,\s\u00a0\u202f']\d{3})+(?:[.,]\d{1,8})?|\d+(?:[.,]\d{1,8})?|[.,]\d+"
# currencies written before the number (case-sensitive) and after it (any case, "s?" for a plural)
_CURRENCY_SIGNS: Final[tuple[str, ...]] = ("€", "$", "£", "₿", "ɱ")
_CURRENCY_CODES: Final[tuple[str, ...]] = (
    "US$",
    *(v for code in ("eur", "usd", "gbp", "btc", "xmr") for v in (code.upper(), code)),
)
# the same as a set of the three-character codes and a string of the one-character signs (``in`` a tuple compares
# with each item: several times the cost of a set's look-up, and ``_currency_first`` asks at every amount)
_CODE_SET: Final = frozenset(_CURRENCY_CODES)
_SIGN_CHARS: Final = "".join(_CURRENCY_SIGNS)
assert all(len(code) == 3 for code in _CURRENCY_CODES) and len(_SIGN_CHARS) == len(_CURRENCY_SIGNS)
_CURRENCY_AFTER: tuple[str, ...] = (*_CURRENCY_SIGNS, "EUR", "euros?", "USD", "dollars?", "bucks", "GBP", "quid")
_CURRENCY_AFTER += ("BTC", "bitcoins?", "XMR", "monero")
_PRICE_BEFORE: Final = re.compile(
    rf"(?P<pre>{'|'.join(map(re.escape, _CURRENCY_SIGNS + _CURRENCY_CODES))})\s?(?P<num1>{_PRICE_NUM})(?:,-)?"
)
_AFTER_ALTERNATIVES = "|".join(w if w.endswith("s?") else re.escape(w) for w in _CURRENCY_AFTER)
_PRICE_AFTER: Final = re.compile(
    rf"(?P<num2>{_PRICE_NUM})(?:,-)?\s?(?P<post>{_AFTER_ALTERNATIVES})(?![\w])", re.IGNORECASE
)
# what ``may_be_price_after`` wants
_CURRENCY_AFTER_STARTS: Final = "".join(sorted({w[0].lower() for w in _CURRENCY_AFTER}))
# Quantities, prices after their number and percentages are matched only where an amount can start (anchored), so a
# text costs one pass over its characters (``amount_starts``) plus a few anchored matches.


def may_be_quantity(text: str, pos: int) -> bool:
    """Whether ``_QTY`` may match at ``pos``: after the number (digits, ".", ",", "/" or one "½", "¼", "¾") and at
    most one whitespace character comes a unit letter (``[^\\W\\d_]``) or a count's "×" or "*" ("10x", "10 × 5g").
    A necessary condition checked in a few steps; the expression, which costs far more, decides."""
    n = len(text)
    i = pos
    if text[i] in "½¼¾":
        i += 1
    else:
        while i < n:
            code = ord(text[i])  # (compiled, this reads the character without making a string of it)
            if (44 <= code <= 57 and code != 45) or (code > 127 and text[i].isdecimal()):  # a digit, ".", ",", "/"
                i += 1
            else:
                break
    if i < n and space_at(text, i):
        i += 1
    if i >= n:
        return False
    code = ord(text[i])
    if code < 128:  # a letter or "*"
        return 65 <= code <= 90 or 97 <= code <= 122 or code == 42
    ch = text[i]
    return (ch.isalnum() and not ch.isdecimal()) or ch == "×"


def may_be_price_after(text: str, pos: int) -> bool:
    """Whether ``_PRICE_AFTER`` may match at ``pos``: after the number (digits, separators, spaces, ",-") comes a
    character a currency sign or word can start with (in any case). A necessary condition, as ``may_be_quantity``."""
    n = len(text)
    i = pos
    while i < n:
        ch = text[i]
        if ch in "0123456789.,'" or ch.isspace() or ch.isdecimal() or (ch == "-" and text[i - 1] == ","):
            i += 1
        else:
            break
    return i < n and text[i].lower() in _CURRENCY_AFTER_STARTS


# the last character of each currency sign and code written before a number
_CURRENCY_ENDS: Final = "".join(sorted({code[-1] for code in _CURRENCY_CODES + _CURRENCY_SIGNS}))


def may_be_price(text: str, starts: list[int], free: list[int]) -> bool:
    """Whether ``_price_matches`` may find a price: a currency sign or the last character of a currency code right
    before an amount start or one whitespace character before it (``_currency_first``), or ``may_be_price_after`` at
    a free one. A necessary condition, in a few steps per amount (most texts have no price)."""
    for pos in starts:
        close = pos - 1 if pos > 0 and space_at(text, pos - 1) else pos
        if close >= 1 and text[close - 1] in _CURRENCY_ENDS:
            return True
    return any(may_be_price_after(text, pos) for pos in free)


# substrings (lower case) without which a text holds no word quantity (``_WORD_QTY``) or no price
_WORD_QUANTITY_HINTS: Final[tuple[str, ...]] = ("8th", "8-ball", "8ball", "eight", "half", "quarter", "qp", "hp")
_CURRENCY_HINTS: Final[tuple[str, ...]] = ("€", "$", "£", "eur", "usd", "btc", "gbp", "xmr", "dollar", "buck", "quid",
                                           "bitcoin", "monero", "₿", "ɱ")  # fmt: skip


# the word-quantity hints by a character each of them has (looked for first: most texts have none of them)
_WORD_QUANTITY_HINTS_BY: Final[tuple[tuple[str, tuple[str, ...]], ...]] = tuple(
    (char, tuple(hint for hint in _WORD_QUANTITY_HINTS if char in hint and not any(c in hint for c in "8hq"[:k])))
    for k, char in enumerate("8hq")
)
assert sum(len(hints) for _, hints in _WORD_QUANTITY_HINTS_BY) == len(_WORD_QUANTITY_HINTS), "each has 8, h or q"


def _has_any(low: str, hints: tuple[str, ...]) -> bool:
    return any(hint in low for hint in hints)


def has_word_quantity_hint(low: str) -> bool:
    """``_has_any(low, _WORD_QUANTITY_HINTS)``, in fewer substring searches."""
    return any(char in low and _has_any(low, hints) for char, hints in _WORD_QUANTITY_HINTS_BY)


def amount_starts(text: str) -> list[int]:
    """Where an amount can start: the start of each run of digits (a digit, then digits, "." and ","), moved back
    onto a "." or "," before it (".5g") unless that one follows a digit, "." or ","; and each "½", "¼", "¾".
    (The same as the starts of ``[½¼¾]|\\d[\\d.,]*`` matches, adjusted so; a test checks it on random text. A loop
    over the characters: in compiled code several times faster than the regular expression's search.)"""
    starts: list[int] = []
    in_run = False  # inside a run of digits, "." and ","
    n = len(text)
    i = 0
    while i < n:
        code = ord(text[i])  # (compiled, this reads the character without making a string of it)
        if code < 128:
            digit = 48 <= code <= 57
            separator = code == 46 or code == 44
        else:
            digit = text[i].isdecimal()  # as "\\d"
            separator = False
        if in_run:
            if not (digit or separator):
                in_run = False
                if 188 <= code <= 190:  # "¼", "½", "¾"
                    starts.append(i)
        elif digit:
            in_run = True
            start = i
            if i and text[i - 1] in ".,":
                if i > 1 and (text[i - 2].isdigit() or text[i - 2] in ".,"):
                    i += 1
                    continue
                start = i - 1
            starts.append(start)
        elif 188 <= code <= 190:
            starts.append(i)
        i += 1
    return starts


_PER_UNIT: Final = re.compile(
    r"\s?(?:/|per |p/|a |the |le |la |pro |je |each|ea\b|pp\b|la pièce|per stuk|/st)"
    r"\s?(?P<unit>g|gr|gram|gramme|gramm|pill|tab|stuk|stück|pièce|blotter|piece|unit)?",
    re.IGNORECASE,
)
_PURITY: Final = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:[.,]\d{1,2})?)\s?%\+?", re.IGNORECASE)
_CRYPTO: Final = {"BTC", "XMR"}
_WORDS: Final = re.compile(r"[a-zà-ÿ]+")


_NUMBER_SPACE: Final = re.compile(r"[\s\u00a0\u202f']")


def parse_number(raw: str, currency: str | None = None) -> float | None:
    """Parse "1.234,50", "1,234.50", "1 234", "0.0021", "45" into a float; None if it is not a number."""
    if raw.isdigit():
        return float(raw)
    s = _NUMBER_SPACE.sub("", raw)
    if not s:
        return None
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        head, _, tail = s.rpartition(sep)
        thousands = s.count(sep) > 1 or (
            len(tail) == 3 and head not in ("", "0") and currency not in _CRYPTO and len(head.replace(sep, "")) <= 3
        )
        s = s.replace(sep, "") if thousands else head.replace(sep, "") + "." + tail
    try:
        return float(s)
    except ValueError:
        return None


# matched prices and quantity contexts whose reading is kept (the cache is emptied when full)
_CACHE_SIZE: Final = 50_000
# what a quantity reading still needs from its context
_ACCEPT: Final = 0
_REJECT: Final = 1
_CHECK_NETWORK: Final = 2
_CHECK_TIMES: Final = 3
_NETWORK: Final = re.compile(r"\s?(?:LTE|network|netwerk|netz)", re.IGNORECASE)  # "4G LTE" is no amount
_AFTER_TIMES: Final = re.compile(r"\s?(?:\d|[a-z]{3})", re.IGNORECASE)  # "10x 200mg", "10x XTC"; not "10x" alone
_QuantityReading = tuple[int, float, str, "float | None"]
_QuantityHit = tuple[int, _QuantityReading]  # (match length, or -1 for no match; reading)
_NO_QUANTITY: Final[_QuantityHit] = (-1, (_REJECT, 0.0, "", None))
_QTY_SPACES: Final = 4  # ``_QTY`` takes three whitespace characters at most ("10 x 5 g") and looks one character back


def _quantity_hit(m: re.Match[str], start: int) -> _QuantityHit:
    return m.end() - start, _read_quantity(m)


def _start_of(item: Quantity) -> int:
    return item.start


def _read_quantity(m: re.Match[str]) -> _QuantityReading:
    """What a ``_QTY`` match says, from its own characters only: (check, amount, unit, grams)."""
    raw_num, word = m.group("num"), m.group("unit")
    rejected: _QuantityReading = (_REJECT, 0.0, "", None)
    unit = _UNIT_OF.get(word.lower())
    if unit is None:
        return rejected
    if word == "st" or (word.lower() == "st" and m.group(0)[-3:-2].isdigit()):
        return rejected  # "10 ST." and "10 St" are pieces (Stück); "1st" and "10 st" (stone) are not
    amount = _FRACTIONS.get(raw_num) or parse_number(raw_num)
    if amount is None or amount <= 0:
        return rejected
    check = _CHECK_NETWORK if word == "G" else _ACCEPT
    count = m.group("count")
    if count and unit in GRAMS:
        n = float(count)
        return (check, n, "pills", round(n * amount * GRAMS[unit], 9))
    if word.lower() == "x":
        check = _CHECK_TIMES  # word is "x", so it cannot also be "G"
    return (check, amount, unit, round(amount * GRAMS[unit], 9) if unit in GRAMS else None)


def round_to(value: float, digits: int) -> float:
    """``round(value, digits)``, without its decimal conversion when ``value`` is not close to a tie (an offer
    rounds two numbers, and ``round`` costs as much as the rest of making the offer). The result is the same double:
    the correctly rounded division of the same integer."""
    scale = 10.0**digits
    scaled = value * scale
    if 0.0 <= scaled < 1e8:  # there the product is within 1e-8 of the exact one, far from the guard below
        floor = math.floor(scaled)
        fraction = scaled - floor
        if abs(fraction - 0.5) > 1e-6:
            return (floor + 1 if fraction > 0.5 else floor) / scale
    return round(value, digits)


_PriceReading = tuple[str, float, int, int]
_UNSEEN: Final[Any] = object()


def _read_price(m: re.Match[str]) -> _PriceReading | None:
    """What a price match says, from its own characters only: (currency, amount, leading and trailing spaces)."""
    groups = m.groupdict()
    after = groups.get("post")
    sign = (groups.get("pre") or after or "").lower()
    currency = _CUR_SYMBOL.get(sign) or _CUR_WORD.get(sign)
    raw = groups.get("num1") or groups.get("num2")
    if currency is None or raw is None:
        return None
    if (after and sign in ("eu",)) or (sign == "bucks" and not raw):
        return None
    amount = parse_number(raw.strip(), currency)
    if amount is None or amount <= 0:
        return None
    whole = m.group(0)
    trail = len(whole) - len(whole.rstrip())
    lead = len(whole) - trail - len(whole.strip()) if trail < len(whole) else 0
    return currency, amount, lead, trail


# (second, date): ``date.today()`` costs as much as the rest of an offer, so it is asked once a second
_TODAY: Final[list[Any]] = [None, None]


def _today() -> dt.date:
    second = int(time.time())
    if _TODAY[0] != second:
        _TODAY[:] = [second, dt.date.today()]
    day: dt.date = _TODAY[1]
    return day


class _PriceHit:
    __slots__ = ("per_unit", "price")

    def __init__(self, price: Price, per_unit: str | None) -> None:
        self.price = price
        self.per_unit = per_unit  # "g" or "unit" for unit prices


class OfferExtractor:
    """Quantities, prices, purity and offers: adds them to ``doc._.nps`` (``quantities``, ``prices``, ``purity``,
    ``offers``) and the starts of the quantities that went into an offer to ``doc._.nps_offer_quantities``. Converts
    with ``doc._.nps_rates`` (default: the table of ``rates_path``) at ``doc._.nps_date`` (default today). Reads the
    substances found before it (a percentage with a substance in the text is a purity); alone, it finds purity by
    its cue words only. Its rate table loads in ``initialize``."""

    READS = ("doc._.nps.substances",)
    ASSIGNS = ("doc._.nps.quantities", "doc._.nps.prices", "doc._.nps.purity", "doc._.nps.offers",
               "doc._.nps_offer_quantities")  # fmt: skip

    def __init__(self, nlp: Language, name: str, rates_path: str, pair_distance: int) -> None:
        self.name = name
        self.rates_path = rates_path or str(DEFAULT_RATES)
        self.pair_distance = pair_distance
        self._rates: RateTable | None = None
        self.on_date: dt.date | None = None
        self._quantity_matches = MatchCache(_QTY_SPACES, _CACHE_SIZE, _quantity_hit, _NO_QUANTITY)
        self._parsed_prices: dict[tuple[str, bool], _PriceReading | None] = {}
        self._iso_dates: dict[dt.date, str] = {}  # rate dates, as offers report them

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._rates = load_rates(Path(self.rates_path))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the rates file the component uses, so a saved pipeline carries its own data."""
        target = Path(path)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.rates_path, target / "rates.csv")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> OfferExtractor:
        self.rates_path = str(Path(path) / "rates.csv")
        self.initialize()
        return self

    @property
    def rates(self) -> RateTable:
        if self._rates is None:
            self.initialize()
        assert self._rates is not None
        return self._rates

    def __call__(self, doc: Doc) -> Doc:
        user_data = values(doc)
        text = doc_text(doc, user_data)
        starts = amount_starts(text)
        if not starts:
            return doc
        out = findings(doc, user_data)
        # word quantities and prices are looked for only if the text has a hint of them (substring tests on the
        # lower-cased text: far cheaper than a case-insensitive regular expression scan). Every word-quantity hint has
        # an "8", an "h" or a "q", which rule most texts out in three character searches; the some 15 currency hints
        # are tried only if a price can be at an amount (``may_be_price``), which rules most texts out first.
        low = text.lower()
        quantities = self._quantities(text, starts, has_word_quantity_hint(low))
        out.quantities.extend(quantities)
        # a number that starts a quantity ("10g") is not a price's number
        taken = {q.start for q in quantities}
        free = [s for s in starts if s not in taken]
        prices = []
        if may_be_price(text, starts, free) and _has_any(low, _CURRENCY_HINTS):
            prices = self._prices(text, starts, free)
        if "%" in text:
            out.purity.extend(self._purity(text, starts, bool(out.substances)))
        if prices:
            out.prices.extend([p.price for p in prices])
            day = user_data.get(DATE) or self.on_date or _today()
            assert isinstance(day, dt.date)
            table = user_data.get(RATES) or self.rates
            assert isinstance(table, RateTable)
            paired: set[int] = set()  # starts of the quantities that went into an offer (no dose, then)
            out.offers.extend(self._pair(out.quantities, prices, day, table, paired))
            user_data[OFFER_QUANTITIES] = paired
        return doc

    def _quantities(self, text: str, starts: list[int], word_quantities: bool) -> list[Quantity]:
        found = []
        kept = self._quantity_matches
        taken_to = -1
        for pos in starts:  # ``_anchored``, inline
            if pos < taken_to or not may_be_quantity(text, pos):
                continue
            length, reading = kept.match(_QTY, text, pos)
            if length < 0:
                continue
            end = taken_to = pos + length
            whole = text[pos:end]
            check, amount, unit, grams = reading
            if check == _REJECT:
                continue
            if check == _CHECK_NETWORK and _NETWORK.match(text, end, end + 9):
                continue
            if check == _CHECK_TIMES and not _AFTER_TIMES.match(text, end, end + 4):
                continue
            found.append(Quantity(whole, pos, end, amount, unit, grams))
        if word_quantities:
            for m in _WORD_QTY.finditer(text):
                amount, unit = _WORD_QTY_VALUE[m.group("word").lower()]
                found.append(Quantity(m.group(0), m.start(), m.end(), amount, unit, round(amount * GRAMS[unit], 6)))
            found.sort(key=_start_of)
        return found

    def _prices(self, text: str, starts: list[int], free: list[int]) -> list[_PriceHit]:
        """Prices: currency first at any amount start (``starts``), currency after only at ``free`` ones (not the
        start of a quantity)."""
        found = []
        parsed = self._parsed_prices
        for m in _price_matches(text, starts, free):
            key = (m.group(0), m.re is _PRICE_BEFORE)
            reading = parsed.get(key, _UNSEEN)
            if reading is _UNSEEN:
                if len(parsed) >= _CACHE_SIZE:
                    parsed.clear()
                reading = parsed[key] = _read_price(m)
            if reading is None:
                continue
            currency, amount, lead, trail = reading
            start, end = m.start() + lead, m.end() - trail
            per = _PER_UNIT.match(text, end) if end < len(text) else None
            per_unit = None
            if per is not None:
                unit = (per.group("unit") or "").lower()
                per_unit = (
                    "g"
                    if unit.startswith("g")
                    else "unit"
                    if unit or per.group(0).strip() in ("each", "ea", "pp", "la pièce", "per stuk", "/st")
                    else None
                )
            found.append(_PriceHit(Price(text[start:end], start, end, amount, currency), per_unit))
        return found

    def _purity(self, text: str, starts: list[int], has_substance: bool) -> list[Purity]:
        """Percentages that state purity: a purity word near, or a substance in the text and 30% or more; not
        discounts ("20% off", "save 10%", "up to 90%")."""
        cues = resources.cues()
        found = []
        for m in _anchored(_PURITY, text, starts):
            value = parse_number(m.group("num"))
            if value is None or not 0 < value <= 100:
                continue
            after = text[m.end() : m.end() + 20].lower().split()
            before = text[max(0, m.start() - 25) : m.start()].lower()
            if (after and after[0].strip(".,:;!)") in cues.discount) or before.rstrip().endswith(("-", "up to", "tot")):
                continue
            if before.rstrip().endswith(("save", "korting", "rabatt", "remise", "bis zu", "jusqu'à")):
                continue
            near = (after[:2], _WORDS.findall(before)[-2:])
            cue_near = any(w.strip(".,:;!()") in cues.purity_words for w in [*near[0], *near[1]])
            if cue_near or (has_substance and value >= 30):
                found.append(Purity(m.group(0), value))
        return found

    def _pair(
        self, quantities: list[Quantity], prices: list[_PriceHit], day: dt.date, table: RateTable, paired: set[int]
    ) -> list[Offer]:
        offers: list[Offer] = []
        starts = [q.start for q in quantities]
        mode: str | None = None  # "before" ("1g €15") or "after" ("€15 for 1g"), fixed by the first pairing
        for hit in prices:
            price = hit.price
            if hit.per_unit is not None:
                grams, units = (1.0, None) if hit.per_unit == "g" else (None, 1.0)
                offers.append(self._offer(grams, units, price, day, table))
                continue
            b, a = _neighbours(quantities, starts, price, self.pair_distance)
            qty = (a or b) if mode == "after" else (b or a)
            if qty is None:
                continue
            mode = mode or ("before" if qty is b else "after")
            paired.add(qty.start)
            units = qty.amount if qty.unit in ("pills", "tabs", "blotters") else None
            offers.append(self._offer(qty.grams, units, price, day, table))
        return offers

    def _iso_date(self, day: dt.date) -> str:
        iso = self._iso_dates.get(day)
        if iso is None:
            iso = self._iso_dates[day] = day.isoformat()  # one entry per row of the rate table at most
        return iso

    def _offer(self, grams: float | None, units: float | None, price: Price, day: dt.date, table: RateTable) -> Offer:
        converted = table.to_eur(price.amount, price.currency, day)
        if converted is None:
            return Offer(grams, units, price.amount, price.currency, None, None, None, None, None)
        eur, rate = converted
        per_gram = round_to(eur / grams, 4) if grams else None
        return Offer(
            grams,
            units,
            price.amount,
            price.currency,
            round_to(eur, 2),
            per_gram,
            rate.eur_per_unit,
            self._iso_date(rate.date),
            is_stale(rate, day),
        )


def _anchored(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """Non-overlapping matches of ``pattern`` anchored at the amount starts, left to right (as ``finditer``)."""
    found: list[re.Match[str]] = []
    end = -1
    for pos in starts:
        if pos >= end:
            m = pattern.match(text, pos)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


def _match_start(m: re.Match[str]) -> int:
    return m.start()


def _currency_first(text: str, starts: list[int]) -> list[re.Match[str]]:
    """``_PRICE_BEFORE.finditer(text)``, looked for only where it can match: its number starts at an amount start,
    right after a currency sign or code or one whitespace character after it (the same matches, without a scan of the
    whole text that tries every "e", "u", "b", "g", "x")."""
    found: list[re.Match[str]] = []
    end = -1
    for pos in starts:
        close = pos - 1 if pos > 0 and text[pos - 1].isspace() else pos  # "\s?" between currency and number
        if close >= 3 and text[close - 3 : close] in _CODE_SET:  # all three characters long
            at = close - 3  # "US$" starts left of its "$": the leftmost match wins, as in a scan
        elif close >= 1 and text[close - 1] in _SIGN_CHARS:
            at = close - 1
        else:
            continue
        if at >= end:
            m = _PRICE_BEFORE.match(text, at)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


def _price_matches(text: str, starts: list[int], free: list[int]) -> list[re.Match[str]]:
    """Prices with the currency before the number ("€45", "BTC 0.002") or after it ("45 EUR"), left to right,
    non-overlapping (at one position the currency-first form wins, as in one alternation)."""
    after_starts = [pos for pos in free if may_be_price_after(text, pos)]
    before, after = _currency_first(text, starts), _anchored(_PRICE_AFTER, text, after_starts)
    both = sorted([*before, *after], key=_match_start) if before and after else before or after
    found: list[re.Match[str]] = []
    for m in both:
        if not found or m.start() >= found[-1].end():
            found.append(m)
    return found


def _neighbours(
    quantities: list[Quantity], starts: list[int], price: Price, distance: int
) -> tuple[Quantity | None, Quantity | None]:
    """The last quantity ending before the price and the first starting after it, each within ``distance``."""
    i = bisect_left(starts, price.start)
    before = None
    for q in reversed(quantities[max(0, i - 3) : i]):
        if q.end <= price.start and price.start - q.end <= distance:
            before = q
            break
    j = bisect_left(starts, price.end)
    after = quantities[j] if j < len(quantities) and quantities[j].start - price.end <= distance else None
    return before, after


@Language.factory(
    "npswatch_offers_v1",
    default_config={"rates_path": "", "pair_distance": 40},
    assigns=["doc._.nps", "doc._.nps_offer_quantities"],
)
def make_offer_extractor(nlp: Language, name: str, rates_path: str, pair_distance: int) -> OfferExtractor:
    """Quantities, prices, purity and offers. ``rates_path`` empty means the shipped ``nlp/data/rates.csv``."""
    return OfferExtractor(nlp, name, rates_path, pair_distance)
