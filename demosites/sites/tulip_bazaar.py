"""Tulip Bazaar, market B: an old table layout (uppercase tags, <FONT>), EUR and BTC in European formats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from demosites.markets import Listing, MarketDay, leaf_categories, market_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render

NAME = "tulip_bazaar"
PER_PAGE = 15
LEAVES = leaf_categories()  # category number n is LEAVES[n - 1]


def eu_int(number: int) -> str:
    """1204 -> "1.204"."""
    return f"{number:,}".replace(",", ".")


def _page(template: str, day: int, **context: Any) -> Response:
    return render(f"{NAME}/{template}", leaves=list(enumerate(LEAVES, 1)), day=day, eu_int=eu_int, **context)


def _rows(day: MarketDay, listings: Sequence[Listing]) -> list[tuple[Listing, str]]:
    rows = []
    for listing in listings:
        tiers = day.tiers(listing)
        rows.append((listing, tiers[0].prices[0] if tiers else "-"))
    return rows


class TulipBazaar(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed)
        self.route(r"/(?:index\.php)?", self.home)
        self.route(r"/cat\.php", self.category)
        self.route(r"/item\.php", self.item)
        self.route(r"/vendor\.php", self.vendor)
        self.route(r"/(?:login|logout|register|msg|buy)\.php", self.login)

    def day(self, day: int) -> MarketDay:
        return market_day(NAME, self.seed, day)

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        md = self.day(day)
        newest = sorted(md.listings, key=lambda x: -x.id)[:20]
        return _page("index.html", day, rows=_rows(md, newest), count=len(md.listings))

    def category(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        number, page_no = int_arg(query, "c", 0), int_arg(query, "p", 1)
        if number is None or page_no is None or not 1 <= number <= len(LEAVES):
            return None
        md = self.day(day)
        group, leaf = LEAVES[number - 1]
        page = paginate(md.in_category(leaf), page_no, PER_PAGE)
        if page is None:
            return None
        return _page("cat.html", day, c=number, group=group, leaf=leaf, rows=_rows(md, page.items), page=page)

    def item(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        listing_id = int_arg(query, "id", 0)
        listing = md.listing(listing_id) if listing_id else None
        if listing is None:
            return None
        vendor = md.universe.vendors.get(listing.vendor or "")
        reviews = [r for r in listing.reviews if r[0] <= day][-5:]
        c = LEAVES.index(listing.sub.category) + 1
        return _page("item.html", day, l=listing, vendor=vendor, tiers=md.tiers(listing), reviews=reviews, c=c)

    def vendor(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        vendor = md.universe.vendors.get(query.get("u", ""))
        if vendor is None:
            return None
        return _page("vendor.html", day, v=vendor, rows=_rows(md, md.by_vendor(vendor.name)))

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("login.html", day)
