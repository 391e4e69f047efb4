"""Market and shop pages: listings (with their offered prices) and vendors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from crawlers.items import Item, Listing, Price, Vendor
from crawlers.parsers.fields import as_list, first_text, joined, parse_bool, parse_float, parse_int, parse_price

if TYPE_CHECKING:
    from crawlers.config import Source
    from crawlers.parsers import Page

LISTING_PAGES = ("listing", "product")


def build(kind: str, values: dict[str, Any], page: Page, source: Source) -> tuple[list[Item], list[str]]:
    if kind in LISTING_PAGES:
        return _listing(values, page, source)
    if kind == "vendor":
        return _vendor(values, page, source)
    return [], []


def prices_of(values: dict[str, Any]) -> list[Price]:
    """Prices from a ``prices`` rows field (one row per quantity tier) and/or a single ``price`` field."""
    found: list[Price] = []
    rows = values.get("prices")
    for row in rows if isinstance(rows, list) else []:
        quantity = first_text(row.get("quantity"))
        for text in as_list(row.get("price")):
            price = parse_price(text, quantity)
            if price is not None:
                found.append(price)
    for text in as_list(values.get("price")):
        price = parse_price(text)
        if price is not None:
            found.append(price)
    return found


def _listing(values: dict[str, Any], page: Page, source: Source) -> tuple[list[Item], list[str]]:
    native_id = first_text(values.get("native_id"))
    title = first_text(values.get("title"))
    if not native_id:
        return [], ["drop/listing/missing_native_id"]
    if not title:
        return [], ["drop/listing/missing_title"]
    vendor = first_text(values.get("vendor"))
    vendor_url = first_text(values.get("vendor_url"))
    listing = Listing(
        source=source.name,
        market=source.title,
        native_id=native_id,
        url=page.url,
        title=title,
        seen_at=page.seen_at,
        description=joined(values.get("description")) or "",
        category=as_list(values.get("category")),
        vendor=vendor or (source.title if source.template == "shop" else None),
        vendor_url=urljoin(page.url, vendor_url) if vendor_url else None,
        prices=prices_of(values),
        ships_from=first_text(values.get("ships_from")),
        ships_to=as_list(values.get("ships_to")),
        feedback_count=parse_int(values.get("feedback_count")),
        rating=parse_float(values.get("rating")),
        escrow=parse_bool(values.get("escrow")),
        finalize_early=parse_bool(values.get("finalize_early")),
        warc_record_id=page.warc_record_id,
    )
    dropped = [] if listing.prices else ["field_missing/listing/prices"]
    return [listing], dropped


def _vendor(values: dict[str, Any], page: Page, source: Source) -> tuple[list[Item], list[str]]:
    name = first_text(values.get("name"))
    if not name:
        return [], ["drop/vendor/missing_name"]
    fingerprint = first_text(values.get("pgp_fingerprint"))
    vendor = Vendor(
        source=source.name,
        name=name,
        url=page.url,
        seen_at=page.seen_at,
        pgp_fingerprint="".join(fingerprint.split()).upper() if fingerprint else None,
        feedback_count=parse_int(values.get("feedback_count")),
        rating=parse_float(values.get("rating")),
        warc_record_id=page.warc_record_id,
    )
    return [vendor], []
