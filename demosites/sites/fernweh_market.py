"""Fernweh Market (hold-out A): a modern card market rendered on the server, data in ``data-*`` attributes and
JSON-LD; prices in GBP with a litecoin equivalent; listings at ``/offer/<six letters and digits>``, sellers at
``/@Name``, categories at ``/explore/<slug>?page=N`` behind a "Show more" link."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from demosites.beds.holdout_a import MARKET_SPEC
from demosites.beds.market import Listing, MarketDay, groups, market_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render, slug

NAME = MARKET_SPEC.name
PER_PAGE = 20
GROUPS = {slug(g): g for g in groups(MARKET_SPEC) if slug(g)}  # a drug of no group gets no category page


def short_count(number: int) -> str:
    """1214 -> "1.2k", as modern markets show counts."""
    return f"{number / 1000:.1f}k" if number >= 1000 else str(number)


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", groups=list(GROUPS.items()), short=short_count, date_of=_date_of, **context)


def _date_of(day: int) -> str:
    return MARKET_SPEC.timeline.day_date(day).isoformat()


def _tiles(md: MarketDay, listings: Sequence[Listing]) -> list[tuple[Listing, str]]:
    return [(x, md.tiers(x)[0].shown[0]) for x in listings]


def json_ld(listing: Listing, md: MarketDay) -> dict[str, Any]:
    """The listing as schema.org Product data, as modern shops embed it."""
    offers = [{"@type": "Offer", "price": f"{t.amount:.2f}", "priceCurrency": "GBP", "eligibleQuantity": t.label}
              for t in md.tiers(listing)]  # fmt: skip
    return {"@context": "https://schema.org", "@type": "Product", "name": listing.title, "sku": listing.id,
            "category": listing.drug.group, "offers": offers, "seller": listing.vendor}  # fmt: skip


class FernwehMarket(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed, timeline=MARKET_SPEC.timeline)
        self.route(r"/", self.home)
        self.route(r"/explore/(?P<slug>[a-z0-9-]+)", self.explore)
        self.route(r"/offer/(?P<id>[a-z0-9]{6})", self.offer)
        self.route(r"/@(?P<name>[A-Za-z0-9_]+)", self.seller)
        self.route(r"/(?:account|cart|checkout|messages)(?:/.*)?", self.login)

    def day(self, day: int) -> MarketDay:
        return market_day(MARKET_SPEC, self.seed, day)

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        md = self.day(day)
        return _page("home.html", tiles=_tiles(md, md.listings[:24]), count=len(md.listings))

    def explore(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        group, number = GROUPS.get(match["slug"]), int_arg(query, "page", 1)
        if group is None or number is None:
            return None
        md = self.day(day)
        page = paginate(md.in_group(group), number, PER_PAGE)
        if page is None:
            return None
        return _page("explore.html", group=group, slug=match["slug"], page=page, tiles=_tiles(md, page.items))

    def offer(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        listing = md.listing(match["id"])
        if listing is None:
            return None
        return _page("offer.html", l=listing, v=md.universe.vendors[listing.vendor], tiers=md.tiers(listing),
                     ld=json_ld(listing, md), day=day, reviews=[r for r in listing.reviews if r[0] <= day][-5:],
                     group_slug=slug(listing.drug.group))  # fmt: skip

    def seller(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        vendor = md.universe.vendors.get(match["name"])
        if vendor is None:
            return None
        return _page("seller.html", v=vendor, day=day, tiles=_tiles(md, md.by_vendor(vendor.name)))

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("login.html")
