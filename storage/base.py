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

from collections.abc import Iterable, Mapping, Sequence
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

    def count(self, kind: str | None = None, source: str | None = None) -> int: ...

    def stats(self) -> dict[str, dict[str, int]]: ...  # {"kind": {kind: n}, "source": {source: n}}

    def close(self) -> None: ...
