"""The engine-neutral storage interface.

The embedded SQLite store (``storage.sqlite``) implements it today; a search-cluster
backend implements the same interface later.  Documents are plain JSON dicts made by
``crawlers.items.item_to_document``: they carry ``id``, ``kind``, ``source`` and
``seen_at``.  A backend keeps one current version of each document plus one
*observation* per document and UTC day, so the history of a listing (first seen, last
seen, price and availability) survives every re-crawl, and a second crawl of the same
day changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

# Fields a search can filter and facet on.  A field holding a list is faceted per element.
KEYWORD_FIELDS: tuple[str, ...] = (
    "kind",
    "source",
    "market",
    "forum",
    "board",
    "vendor",
    "category",
    "ships_from",
    "ships_to",
    "currency",
    "language_hint",
    "is_trip_report",
    "author",
    # added by extraction (pipelines.enrich)
    "language",
    "substance",
    "novel_substance",
    "effect_group",
    "chemical_group",
    "nps",
    "effect",
    "adverse_effect",
    "severe",
    "adverse_substance",
    "severe_substance",
    "route",
)
# Fields the full-text index covers, in order of weight.
TEXT_FIELDS: tuple[str, ...] = ("title", "thread_title", "name", "description", "text")
# Fields that change on every crawl without the document changing: a write that differs only
# in these counts as ``unchanged`` (it still records an observation).
VOLATILE_FIELDS: tuple[str, ...] = ("seen_at", "warc_record_id")


def keyword_values(doc: Mapping[str, Any]) -> dict[str, list[str]]:
    """The facet values of a document, per keyword field (shared by every backend)."""
    out: dict[str, list[str]] = {}
    for name in KEYWORD_FIELDS:
        if name == "currency":
            raw: Any = [p.get("currency") for p in doc.get("prices") or []]
        else:
            raw = doc.get(name)
        values = raw if isinstance(raw, list) else [raw]
        kept = sorted({keyword_value(v) for v in values if v is not None and v != ""})
        if kept:
            out[name] = kept
    return out


def keyword_value(value: Any) -> str:
    """One keyword value as stored and filtered on: booleans as ``true``/``false``, the rest as ``str``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_keyword = keyword_value


def document_text(doc: Mapping[str, Any]) -> dict[str, str]:
    """The full-text fields of a document, as strings (shared by every backend)."""
    return {name: str(doc.get(name) or "") for name in TEXT_FIELDS}


class StorageError(Exception):
    """A storage operation that failed; the message names the backend and what was expected."""


@dataclass(frozen=True)
class SearchQuery:
    text: str = "*"  # full-text query; "*" matches everything
    kinds: Sequence[str] = ()
    sources: Sequence[str] = ()
    date_from: date | None = None  # documents observed on or after this day
    date_to: date | None = None  # documents observed on or before this day
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # keyword field -> accepted values
    facets: Sequence[str] = ()
    facet_size: int = 20  # top values returned per facet
    limit: int = 20
    offset: int = 0
    sort: str = "relevance"  # one of SORTS: best match first (then newest), or newest (last seen) first


SORTS: tuple[str, ...] = ("relevance", "newest")


@dataclass
class SearchResult:
    total: int
    hits: list[dict[str, Any]]
    facets: dict[str, dict[str, int]]

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "hits": self.hits, "facets": self.facets}


@dataclass
class WriteResult:
    """What a write did: new documents, changed ones, unchanged ones, and new observation days."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    observations: int = 0

    def add(self, other: WriteResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.observations += other.observations


@dataclass(frozen=True)
class Observation:
    doc_id: str
    day: date
    seen_at: str  # the last time that day the document was seen
    prices: list[dict[str, Any]]
    warc_record_id: str | None


class Storage(Protocol):
    """What every backend offers.  Writes are idempotent by document id and observation day."""

    def write(self, documents: Iterable[Mapping[str, Any]]) -> WriteResult: ...

    def get(self, doc_id: str) -> dict[str, Any] | None: ...

    def history(self, doc_id: str) -> list[Observation]: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def scan(self, query: SearchQuery, page: int = 500) -> Iterator[dict[str, Any]]:
        """Every document ``query`` selects, once each, as search hits, past any result window (``limit``,
        ``offset`` and ``facets`` of the query are ignored)."""
        ...

    def count(self, kind: str | None = None, source: str | None = None) -> int: ...

    def stats(self) -> dict[str, dict[str, int]]: ...  # {"kind": {kind: n}, "source": {source: n}}

    def close(self) -> None: ...


# --- additions for trends and the search cluster ----------------------------------------------

# Fields the NLP stage adds to documents (lists of canonical names); indexed by every backend that
# supports trends, filterable and splittable in a ``TrendQuery``.
ENTITY_FIELDS: tuple[str, ...] = (
    "substance",
    "effect_group",
    "chemical_group",
    "novel_substance",
    "effect",
    "adverse_effect",
    "route",
    "language",
    "nps",
    "severe",
    "adverse_substance",
    "severe_substance",
)
TREND_FIELDS: tuple[str, ...] = KEYWORD_FIELDS + tuple(f for f in ENTITY_FIELDS if f not in KEYWORD_FIELDS)
TREND_INTERVALS: tuple[str, ...] = ("day", "week")  # a week starts on Monday (ISO 8601), as in Elasticsearch
_GRAMS = {"mg": 0.001, "g": 1.0, "gr": 1.0, "gram": 1.0, "grams": 1.0, "kg": 1000.0}
_QUANTITY = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(mg|g|gr|gram|grams|kg)\s*$", re.IGNORECASE)


class StorageUnavailable(StorageError):
    """The backend cannot be reached (a cluster outage): nothing, or not all, of the operation was done."""


def trend_values(doc: Mapping[str, Any]) -> dict[str, list[str]]:
    """The values a trend filters and splits on: keyword fields plus the NLP entity fields."""
    out = keyword_values(doc)
    for name in ENTITY_FIELDS:
        raw = doc.get(name)
        values = raw if isinstance(raw, list) else [raw]
        kept = sorted({keyword_value(v) for v in values if v is not None and v != "" and not isinstance(v, dict)})
        if kept:
            out[name] = kept
    return out


def eur_per_gram(doc: Mapping[str, Any], prices: Sequence[Mapping[str, Any]] | None = None) -> list[float]:
    """EUR per gram of a listing, every offer: what the NLP stage found (``offers[].eur_per_gram``, else its
    ``eur_per_gram``) when present, else every EUR price tier whose quantity reads as a mass ("10g",
    "500 mg", "1kg").  ``prices`` overrides the document's prices (an earlier day's)."""
    offers = doc.get("offers")
    if isinstance(offers, list):
        found = [o.get("eur_per_gram") for o in offers if isinstance(o, Mapping)]
        numbers = [float(v) for v in found if v is not None and _positive(v)]
        if numbers:
            return numbers
    if _positive(doc.get("eur_per_gram")):
        return [float(doc["eur_per_gram"])]
    out: list[float] = []
    for price in (doc.get("prices") or []) if prices is None else prices:
        found_quantity = _QUANTITY.match(str(price.get("quantity") or ""))
        if price.get("currency") != "EUR" or found_quantity is None:
            continue
        grams = float(found_quantity[1].replace(",", ".")) * _GRAMS[found_quantity[2].lower()]
        try:
            amount = float(price.get("amount") or 0)
        except ValueError:
            continue
        if grams > 0 and amount > 0:
            out.append(round(amount / grams, 4))
    return out


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@dataclass(frozen=True)
class TrendQuery:
    """Counts (and EUR-per-gram percentiles) of observed documents per period, split by one field."""

    by: str | None = "substance"  # one of TREND_FIELDS, or None for one series
    interval: str = "day"  # one of TREND_INTERVALS
    kinds: Sequence[str] = ("listing",)
    sources: Sequence[str] = ()
    date_from: date | None = None  # observation days, inclusive
    date_to: date | None = None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)  # TREND_FIELDS -> accepted values
    percents: Sequence[float] = (25.0, 50.0, 75.0)
    size: int = 50  # top values of ``by`` per period


@dataclass
class TrendBucket:
    period: date  # the first day of the period
    key: str | None  # the value of ``by`` (None when the query has no split)
    observations: int  # document-days observed in the period
    documents: int  # distinct documents observed in the period
    eur_per_gram: dict[str, float]  # percentile ("50.0") -> EUR per gram; empty without gram prices

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period.isoformat(),
            "key": self.key,
            "observations": self.observations,
            "documents": self.documents,
            "eur_per_gram": self.eur_per_gram,
        }


def check_trend(query: TrendQuery) -> None:
    """StorageError naming what is wrong in a trend query (shared by every backend)."""
    for name in [*([query.by] if query.by else []), *query.filters]:
        if name not in TREND_FIELDS:
            raise StorageError(f"unknown trend field {name!r}; expected one of {', '.join(TREND_FIELDS)}")
    if query.interval not in TREND_INTERVALS:
        raise StorageError(f"trend interval must be one of {', '.join(TREND_INTERVALS)}, found {query.interval!r}")
    if query.size < 1 or any(not 0 < p < 100 for p in query.percents):
        raise StorageError("trend size must be 1 or more and percents strictly between 0 and 100")
