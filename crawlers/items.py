"""Typed items the spiders yield and the store indexes.

Every item has a deterministic ``id``: the same thing seen twice gets the same id, so
writes are idempotent.  Ids are derived from the source name, the item kind and the
site's own identifier (or canonical URL when the site has none).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["listing", "post", "vendor"]
KINDS: tuple[Kind, ...] = ("listing", "post", "vendor")


def make_id(kind: str, source: str, *native: str) -> str:
    """A stable 24-hex-digit id from the kind, the source and the native identifiers."""
    raw = "\x1f".join((kind, source, *native))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


@dataclass
class Price:
    """One price as offered: an amount in a currency, for a quantity tier when the site has tiers."""

    amount: Decimal
    currency: str  # ISO 4217 or a crypto ticker: EUR, USD, GBP, BTC, XMR, ...
    text: str  # the text as it stood on the page
    quantity: str | None = None  # the tier label as written ("10g", "1 oz"), None for a single price

    def to_dict(self) -> dict[str, Any]:
        return {
            "amount": str(self.amount),
            "currency": self.currency,
            "text": self.text,
            "quantity": self.quantity,
        }


@dataclass
class Evidence:
    """Where and when an item was seen: the page URL and the WARC record that holds its bytes."""

    url: str
    seen_at: str  # ISO 8601, UTC
    warc_record_id: str | None = None
    warc_file: str | None = None


@dataclass
class Listing:
    source: str
    market: str
    native_id: str
    url: str
    title: str
    seen_at: str
    description: str = ""
    category: list[str] = field(default_factory=list)
    vendor: str | None = None
    vendor_url: str | None = None
    prices: list[Price] = field(default_factory=list)
    ships_from: str | None = None
    ships_to: list[str] = field(default_factory=list)
    feedback_count: int | None = None
    rating: float | None = None
    escrow: bool | None = None
    finalize_early: bool | None = None
    warc_record_id: str | None = None
    nlp: dict[str, Any] | None = None  # what extraction found (pipelines.enrich), flattened into the document
    kind: Kind = "listing"

    @property
    def id(self) -> str:
        return make_id(self.kind, self.source, self.native_id)


@dataclass
class Post:
    source: str
    forum: str
    board: str | None
    thread_id: str
    thread_title: str
    post_id: str
    url: str
    text: str
    seen_at: str
    author: str | None = None
    posted_at: str | None = None
    language_hint: str | None = None
    is_trip_report: bool = False
    warc_record_id: str | None = None
    nlp: dict[str, Any] | None = None  # what extraction found (pipelines.enrich), flattened into the document
    kind: Kind = "post"

    @property
    def id(self) -> str:
        return make_id(self.kind, self.source, self.thread_id, self.post_id)


@dataclass
class Vendor:
    source: str
    name: str
    url: str
    seen_at: str
    pgp_fingerprint: str | None = None
    feedback_count: int | None = None
    rating: float | None = None
    warc_record_id: str | None = None
    kind: Kind = "vendor"

    @property
    def id(self) -> str:
        return make_id(self.kind, self.source, self.name.casefold())


Item = Listing | Post | Vendor


def item_to_document(item: Item) -> dict[str, Any]:
    """The engine-neutral document a storage backend indexes: plain JSON types plus ``id``."""
    doc = asdict(item)
    if isinstance(item, Listing):
        doc["prices"] = [p.to_dict() for p in item.prices]
    doc.update(doc.pop("nlp", None) or {})
    doc["id"] = item.id
    return doc
