"""Documents built the way the crawler builds them: crawlers.items, then item_to_document."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crawlers.items import Listing, Post, Price, Vendor, item_to_document

DAY1 = "2024-05-01T09:30:00Z"
DAY2 = "2024-05-02T10:00:00Z"
DAY3 = "2024-05-03T11:15:00Z"


def listing(native_id: str = "1", seen_at: str = DAY1, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source": "alpha",
        "market": "Alpha Market",
        "url": f"http://alpha.onion/listing/{native_id}",
        "title": "3-MMC crystals 10g",
        "description": "Pure 3-MMC, lab tested. Ships worldwide in stealth packaging.",
        "category": ["Stimulants", "RCs"],
        "vendor": "chemlab",
        "prices": [Price(Decimal("45.00"), "EUR", "€45.00", "10g")],
        "ships_from": "NL",
        "ships_to": ["EU", "UK"],
        "warc_record_id": f"<urn:uuid:{native_id}-{seen_at}>",
    }
    values.update(fields)
    return item_to_document(Listing(native_id=native_id, seen_at=seen_at, **values))


def eur(amount: str, quantity: str | None = "10g") -> Price:
    return Price(Decimal(amount), "EUR", f"€{amount}", quantity)


def post(post_id: str = "1", seen_at: str = DAY1, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source": "drugsforum",
        "forum": "Drugs Forum",
        "board": "Trip reports",
        "thread_id": "t1",
        "thread_title": "First time with 2-FMA",
        "url": f"http://forum.onion/t1#{post_id}",
        "text": "Took 20 mg of 2-FMA, felt clean stimulation for five hours.",
        "author": "psychonaut",
        "language_hint": "en",
        "is_trip_report": True,
    }
    values.update(fields)
    return item_to_document(Post(post_id=post_id, seen_at=seen_at, **values))


def vendor(name: str = "chemlab", seen_at: str = DAY1, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"source": "alpha", "url": f"http://alpha.onion/vendor/{name}", "rating": 4.8}
    values.update(fields)
    return item_to_document(Vendor(name=name, seen_at=seen_at, **values))
