"""Le Comptoir (hold-out C, sealed): an old PHP market laid out in tables, every page ``/index.php?page=...``.

Categories (``rayons``) ``?page=rayon&id=N&p=M`` list their listings in a table; a listing ``?page=annonce&ref=N``
keeps its facts in a definition list (``<dt>Vendeur</dt><dd>...</dd>``) and its price tiers in a ``<select>`` whose
options read ``3.5 g – US$ 296.40 (≈ ₿0.00486)``: US dollars written the Swiss way (``US$ 1'064.50``) with a bitcoin
equivalent; sellers ``?page=vendeur&pseudo=Name``.  The site speaks French; listings are in French or English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from demosites.beds.holdout_c import MARKET_SPEC, btc_usd, swiss
from demosites.beds.market import Listing, MarketDay, Vendor, groups, market_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render

NAME = MARKET_SPEC.name
PER_PAGE = 15
RAYONS = {n: g for n, g in enumerate((g for g in groups(MARKET_SPEC) if g), start=1)}  # id -> category
RAYON_OF = {g: n for n, g in RAYONS.items()}
Page = Callable[[dict[str, str], MarketDay], Response | None]


def sales(vendor: Vendor, day: int) -> str:
    return f"{vendor.sales_on(day):,}".replace(",", "'")


def rating(vendor: Vendor) -> str:
    return f"{vendor.rating:.2f}".replace(".", ",")


def review_date(day: int) -> str:
    return MARKET_SPEC.timeline.day_date(day).strftime("%d.%m.%Y")


def _rows(md: MarketDay, listings: Sequence[Listing]) -> list[tuple[Listing, str]]:
    return [(x, md.tiers(x)[0].shown[0]) for x in listings]


class ComptoirMarket(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed, timeline=MARKET_SPEC.timeline)
        self.route(r"/(?:index\.php)?", self.dispatch)
        self.pages: dict[str, Page] = {"": self.home, "rayon": self.rayon, "annonce": self.annonce,
                                       "vendeur": self.vendeur}  # fmt: skip

    def render(self, template: str, md: MarketDay, **context: Any) -> Response:
        counts = [(n, g, len(md.in_group(g))) for n, g in RAYONS.items()]
        return render(f"{NAME}/{template}", rayons=counts, rate=swiss(btc_usd(md.day)), sales=sales, rating=rating,
                      day=md.day, **context)  # fmt: skip

    def dispatch(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = market_day(MARKET_SPEC, self.seed, day)
        page = query.get("page", "")
        if page in ("connexion", "panier", "messages", "commande", "inscription"):
            return self.render("connexion.html", md)
        handler = self.pages.get(page)
        return handler(query, md) if handler else None

    def home(self, query: dict[str, str], md: MarketDay) -> Response:
        return self.render("accueil.html", md, rows=_rows(md, md.listings[:25]), count=len(md.listings))

    def rayon(self, query: dict[str, str], md: MarketDay) -> Response | None:
        number, rayon = int_arg(query, "p", 1), int_arg(query, "id", 0)
        group = RAYONS.get(rayon or 0)
        if group is None or number is None:
            return None
        page = paginate(md.in_group(group), number, PER_PAGE)
        if page is None:
            return None
        return self.render("rayon.html", md, group=group, id=rayon, page=page, rows=_rows(md, page.items))

    def annonce(self, query: dict[str, str], md: MarketDay) -> Response | None:
        listing = md.listing(query.get("ref", ""))
        if listing is None:
            return None
        reviews = [r for r in listing.reviews if r[0] <= md.day][-5:]
        vendor = md.universe.vendors[listing.vendor]
        return self.render("annonce.html", md, l=listing, v=vendor, tiers=md.tiers(listing), reviews=reviews,
                           rayon=RAYON_OF[listing.drug.group], date_of=review_date)  # fmt: skip

    def vendeur(self, query: dict[str, str], md: MarketDay) -> Response | None:
        vendor = md.universe.vendors.get(query.get("pseudo", ""))
        if vendor is None:
            return None
        return self.render("vendeur.html", md, v=vendor, rows=_rows(md, md.by_vendor(vendor.name)))
