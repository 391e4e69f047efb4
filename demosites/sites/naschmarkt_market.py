"""Naschmarkt (hold-out E, sealed): a Viennese classifieds market in HTML5, every listing an ``<article>``.

Categories ``/rubrik/<slug>?seite=N`` (12 a page) list ``<article class="anzeige">`` cards; a listing ``/anzeige/N``
is one ``<article class="inserat">`` whose price tiers are a ``<table class="staffel">`` (``25 g`` | ``1.634,40 €``:
euros only, written the German way) and whose facts are a ``<ul class="eckdaten">`` of ``<li data-k="...">``;
sellers ``/haendler/NAME`` with their rating (``4,7 von 5``) and sales (exact in ``data-anzahl``).  German site,
German and English listings.
"""

from __future__ import annotations

import re
from typing import Any

from demosites.beds.holdout_e import MARKET_SPEC, german
from demosites.beds.market import MarketDay, Vendor, groups, market_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render, slug

NAME = MARKET_SPEC.name
PER_PAGE = 12
RUBRIKEN = {slug(g): g for g in groups(MARKET_SPEC) if g}  # slug -> category
SLUG_OF = {g: s for s, g in RUBRIKEN.items()}


def sales(vendor: Vendor, day: int) -> str:
    """1214 -> "1.214"."""
    return german(vendor.sales_on(day))[:-3]


def rating(vendor: Vendor) -> str:
    return f"{vendor.rating:.1f}".replace(".", ",")


def review_date(day: int) -> str:
    return MARKET_SPEC.timeline.day_date(day).strftime("%d.%m.%Y")


class NaschmarktMarket(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed, timeline=MARKET_SPEC.timeline)
        self.route(r"/", self.home)
        self.route(r"/rubrik/(?P<slug>[a-z0-9-]+)", self.rubrik)
        self.route(r"/anzeige/(?P<id>\d+)", self.anzeige)
        self.route(r"/haendler/(?P<name>[A-Za-z0-9_]+)", self.haendler)
        self.route(r"/(?:anmelden|registrieren|merkliste|nachrichten/.*|kaufen/.*)", self.anmelden)

    def day(self, day: int) -> MarketDay:
        return market_day(MARKET_SPEC, self.seed, day)

    def page(self, template: str, md: MarketDay, **context: Any) -> Response:
        counts = [(s, g, len(md.in_group(g))) for s, g in RUBRIKEN.items()]
        return render(f"{NAME}/{template}", rubriken=counts, day=md.day, md=md, slug_of=SLUG_OF, sales=sales,
                      rating=rating, **context)  # fmt: skip

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        md = self.day(day)
        return self.page("start.html", md, ads=md.listings[:24], count=len(md.listings))

    def rubrik(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        group, number = RUBRIKEN.get(match["slug"]), int_arg(query, "seite", 1)
        if group is None or number is None:
            return None
        md = self.day(day)
        page = paginate(md.in_group(group), number, PER_PAGE)
        if page is None:
            return None
        return self.page("rubrik.html", md, group=group, slug=match["slug"], page=page, ads=page.items)

    def anzeige(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        listing = md.listing(match["id"])
        if listing is None:
            return None
        reviews = [r for r in listing.reviews if r[0] <= md.day][-5:]
        return self.page("anzeige.html", md, l=listing, v=md.universe.vendors[listing.vendor],
                         tiers=md.tiers(listing), reviews=reviews, date_of=review_date)  # fmt: skip

    def haendler(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        vendor = md.universe.vendors.get(match["name"])
        if vendor is None:
            return None
        return self.page("haendler.html", md, v=vendor, ads=md.by_vendor(vendor.name))

    def anmelden(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return self.page("anmelden.html", self.day(day))
