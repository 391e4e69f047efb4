"""What the cluster indexes for a document and for an observation (see ``storage/mappings``).

A document is indexed with its keyword values (``storage.base.keyword_values``), its text fields, the NLP
entity fields when present, its offers (prices with grams and EUR per gram) and its first/last sighting;
the document itself is kept unindexed in ``doc``, so ``get`` gives back exactly what was written.
Numbers the mapping types (rating, feedback_count) are indexed only when they are numbers: a site that
prints "4.8 stars" must not make the cluster refuse the listing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from storage.base import ENTITY_FIELDS, TEXT_FIELDS, eur_per_gram, keyword_values, trend_values
from storage.sqlite import iso_time
from storage.sqlite_write import Prepared

_NUMBERS = {"rating": float, "feedback_count": int}


def observation_id(doc_id: str, day: str) -> str:
    """The deterministic id of the observation of ``doc_id`` on ``day`` (YYYY-MM-DD)."""
    return f"{doc_id}:{day}"


def document_source(row: Prepared, first_us: int, last_us: int, days: Sequence[str]) -> dict[str, Any]:
    """The indexed form of the current version ``row`` of a document."""
    doc = row.doc
    source: dict[str, Any] = {
        "id": row.id,
        **keyword_values(doc),
        **{name: values for name, values in trend_values(doc).items() if name in ENTITY_FIELDS},
        **{name: doc[name] for name in TEXT_FIELDS if doc.get(name)},
        "offers": nlp_offers(doc) or offers(doc.get("prices") or []),
        "eur_per_gram": eur_per_gram(doc),
        "url": doc.get("url") if isinstance(doc.get("url"), str) else None,
        "content_hash": row.content_hash,
        "current_us": row.seen_us,
        "first_us": first_us,
        "last_us": last_us,
        "first_seen": iso_time(first_us),
        "last_seen": iso_time(last_us),
        "days": sorted(days),
        "doc": dict(doc),
    }
    for name, kind in _NUMBERS.items():
        value = doc.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            source[name] = kind(value)
    return source


def observation_source(row: Prepared) -> dict[str, Any]:
    """The indexed observation of ``row``'s document on ``row.day``: the values of the version seen then."""
    doc = row.doc
    prices = doc.get("prices") or []
    return {
        "doc_id": row.id,
        "day": row.day,
        "seen_us": row.seen_us,
        "seen_at": iso_time(row.seen_us),
        "prices": list(prices),
        "warc_record_id": doc.get("warc_record_id"),
        **trend_values(doc),
        "offers": nlp_offers(doc) or offers(prices),
        "eur_per_gram": eur_per_gram(doc),
    }


def nlp_offers(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The offers the NLP stage found (``pipelines.enrich``: quantity in grams, price, EUR per gram), in the
    indexed shape; empty when the document has none."""
    found = doc.get("offers")
    if not isinstance(found, list):
        return []
    return [
        {
            "amount": _number(offer.get("price_amount")),
            "currency": _text(offer.get("price_currency")),
            "quantity": None,
            "grams": _number(offer.get("quantity_grams")),
            "eur_per_gram": _number(offer.get("eur_per_gram")),
        }
        for offer in found
        if isinstance(offer, Mapping)
    ]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def offers(prices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Prices as nested offers: amount as a number, currency, quantity label, grams and EUR per gram."""
    out = []
    for price in prices:
        if not isinstance(price, Mapping):
            continue
        try:
            amount: float | None = float(price.get("amount"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            amount = None
        per_gram = eur_per_gram({}, [price])
        offer = {
            "amount": amount,
            "currency": _text(price.get("currency")),
            "quantity": _text(price.get("quantity")),
            "eur_per_gram": per_gram[0] if per_gram else None,
        }
        if per_gram and amount:
            offer["grams"] = round(amount / per_gram[0], 6)
        out.append(offer)
    return out


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
