"""Nova Market, market A: a modern grid layout, USD prices with BTC and XMR, quantity tiers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from demosites.markets import Listing, MarketDay, leaf_categories, market_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render, slug

NAME = "nova_market"
PER_PAGE = 12
LEAVES = {slug(leaf): (group, leaf) for group, leaf in leaf_categories()}


def _nav() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, (group, leaf) in LEAVES.items():
        groups.setdefault(group, []).append((key, leaf))
    return list(groups.items())


def _page(template: str, day: int, **context: Any) -> Response:
    return render(f"{NAME}/{template}", nav=_nav(), day=day, **context)


def _cards(day: MarketDay, listings: Sequence[Listing]) -> list[tuple[Listing, str]]:
    cards = []
    for listing in listings:
        tiers = day.tiers(listing)
        cards.append((listing, tiers[0].prices[0] if tiers else "price on request"))
    return cards


class NovaMarket(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed)
        self.route(r"/", self.home)
        self.route(r"/c/(?P<slug>[a-z0-9-]+)", self.category)
        self.route(r"/listing/(?P<id>\d+)", self.listing)
        self.route(r"/vendor/(?P<name>[A-Za-z0-9_]+)", self.vendor)
        self.route(r"/vendors", self.vendors)
        self.route(r"/(?:login|logout|register|messages/.*|order/.*)", self.login)

    def day(self, day: int) -> MarketDay:
        return market_day(NAME, self.seed, day)

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        md = self.day(day)
        latest = sorted(md.listings, key=lambda x: -x.id)[:PER_PAGE]
        return _page("home.html", day, cards=_cards(md, latest), count=len(md.listings))

    def category(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        key, number = match["slug"], int_arg(query, "page", 1)
        if key not in LEAVES or number is None:
            return None
        md = self.day(day)
        page = paginate(md.in_category(LEAVES[key][1]), number, PER_PAGE)
        if page is None:
            return None
        return _page(
            "category.html",
            day,
            group=LEAVES[key][0],
            leaf=LEAVES[key][1],
            slug=key,
            cards=_cards(md, page.items),
            page=page,
        )

    def listing(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        listing = md.listing(int(match["id"]))
        if listing is None:
            return None
        vendor = md.universe.vendors.get(listing.vendor or "")
        reviews = [r for r in listing.reviews if r[0] <= day][-5:]
        return _page(
            "listing.html",
            day,
            l=listing,
            vendor=vendor,
            tiers=md.tiers(listing),
            reviews=reviews,
            leaf_slug=slug(listing.sub.category[1]),
        )

    def vendor(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        vendor = md.universe.vendors.get(match["name"])
        if vendor is None:
            return None
        return _page("vendor.html", day, v=vendor, cards=_cards(md, md.by_vendor(vendor.name)))

    def vendors(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        md = self.day(day)
        return _page("vendors.html", day, vendors=sorted(md.universe.vendors.values(), key=lambda v: v.name))

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("login.html", day)
