"""Grenspost (hold-out D, sealed): a JS-free Dutch shop.  Every listing is in one feed, newest first, 20 a page
(``/aanbod?p=N``, "Oudere aanbiedingen" to go on), and on shelves (``/schap/<slug>?p=N``); a listing page
(``/artikel/N``) marks up the product with microformats (``h-product``), its facts as a list of labelled items
(``<li><b>Verkoper</b> ...``) and its tiers as a list (``1 g · 0,00089120 BTC · ≈ € 52,30``): prices in bitcoin
with a euro equivalent.  Shops at ``/winkel/NAME``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from demosites.beds.holdout_d import MARKET_SPEC
from demosites.beds.market import Listing, MarketDay, groups, market_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render, slug

NAME = MARKET_SPEC.name
PER_PAGE = 20
SHELVES = {slug(g): g for g in groups(MARKET_SPEC) if slug(g)}  # a drug of no group gets no shelf


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", shelves=list(SHELVES.items()), slug=slug, date_of=_date_of, **context)


def _date_of(day: int) -> str:
    return MARKET_SPEC.timeline.day_date(day).isoformat()


def _entries(md: MarketDay, listings: Sequence[Listing]) -> list[tuple[Listing, str]]:
    """Feed entries: a listing and its lowest tier's price in bitcoin ("vanaf 0,00089120 BTC")."""
    return [(x, md.tiers(x)[0].shown[0]) for x in listings]


class GrenspostMarket(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed, timeline=MARKET_SPEC.timeline)
        self.route(r"/", self.feed)
        self.route(r"/aanbod", self.feed)
        self.route(r"/schap/(?P<slug>[a-z0-9-]+)", self.shelf)
        self.route(r"/artikel/(?P<id>\d+)", self.article)
        self.route(r"/winkel/(?P<name>[A-Za-z0-9_]+)", self.shop)
        self.route(r"/(?:inloggen|uitloggen|aanmelden|mandje|berichten|bestellen/\d+)", self.login)

    def day(self, day: int) -> MarketDay:
        return market_day(MARKET_SPEC, self.seed, day)

    def feed(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        number = int_arg(query, "p", 1)
        md = self.day(day)
        page = paginate(md.listings, number, PER_PAGE) if number is not None else None
        if page is None:
            return None
        return _page("aanbod.html", page=page, entries=_entries(md, page.items), base="/aanbod",
                     heading="Nieuw binnen", count=len(md.listings))  # fmt: skip

    def shelf(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        group, number = SHELVES.get(match["slug"]), int_arg(query, "p", 1)
        if group is None or number is None:
            return None
        md = self.day(day)
        page = paginate(md.in_group(group), number, PER_PAGE)
        if page is None:
            return None
        return _page("aanbod.html", page=page, entries=_entries(md, page.items), base=f"/schap/{match['slug']}",
                     heading=group, count=len(md.in_group(group)))  # fmt: skip

    def article(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        listing = md.listing(match["id"])
        if listing is None:
            return None
        return _page("artikel.html", l=listing, v=md.universe.vendors[listing.vendor], day=day,
                     tiers=md.tiers(listing), reviews=[r for r in listing.reviews if r[0] <= day][-5:])  # fmt: skip

    def shop(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        vendor = md.universe.vendors.get(match["name"])
        if vendor is None:
            return None
        return _page("winkel.html", v=vendor, day=day, entries=_entries(md, md.by_vendor(vendor.name)))

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("inloggen.html")
