"""Kruispunt · Carrefour (hold-out B): an old-school bilingual (Dutch/French) market in XHTML 1.0, every
listing a definition list (``<dt>Prijzen / Prix</dt>``), prices in Monero only (``1 gr — 0,2150 XMR``).
``/rubriek/N?blz=M`` (15 a page), ``/item/N``, ``/verkoper/NAME``."""

from __future__ import annotations

import re
from typing import Any

from demosites.beds.holdout_b import MARKET_SPEC
from demosites.beds.market import MarketDay, groups, market_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render

NAME = MARKET_SPEC.name
PER_PAGE = 15
GROUPS = groups(MARKET_SPEC)  # rubriek n is GROUPS[n - 1]


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", groups=list(enumerate(GROUPS, 1)), **context)


class KruispuntMarket(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed, timeline=MARKET_SPEC.timeline)
        self.route(r"/", self.home)
        self.route(r"/rubriek/(?P<n>\d+)", self.rubriek)
        self.route(r"/item/(?P<id>\d+)", self.item)
        self.route(r"/verkoper/(?P<name>[A-Za-z0-9_]+)", self.verkoper)
        self.route(r"/(?:login|logout|registreer|bericht/.*|bestel/.*)", self.login)

    def day(self, day: int) -> MarketDay:
        return market_day(MARKET_SPEC, self.seed, day)

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        md = self.day(day)
        rows = [(x, md.tiers(x)[0]) for x in md.listings[:25]]
        return _page("index.html", rows=rows, count=len(md.listings))

    def rubriek(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        n, number = int(match["n"]), int_arg(query, "blz", 1)
        if not 1 <= n <= len(GROUPS) or number is None:
            return None
        md = self.day(day)
        page = paginate(md.in_group(GROUPS[n - 1]), number, PER_PAGE)
        if page is None:
            return None
        rows = [(x, md.tiers(x)[0]) for x in page.items]
        return _page("rubriek.html", n=n, group=GROUPS[n - 1], page=page, rows=rows)

    def item(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        listing = md.listing(match["id"])
        if listing is None:
            return None
        return _page("item.html", l=listing, v=md.universe.vendors[listing.vendor], day=day, tiers=md.tiers(listing),
                     n=GROUPS.index(listing.drug.group) + 1)  # fmt: skip

    def verkoper(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        vendor = md.universe.vendors.get(match["name"])
        if vendor is None:
            return None
        rows = [(x, md.tiers(x)[0]) for x in md.by_vendor(vendor.name)]
        return _page("verkoper.html", v=vendor, day=day, rows=rows)

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("login.html")
