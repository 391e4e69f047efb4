"""L'Étal (hold-out F, sealed): a Luxembourg market whose listings live in table grids, each row with its own
form (``<form action="/panier">``): the newest on the front page, the shelves at ``/rayon/<slug>?page=N`` (20 a
page, "Suivant ›"), a vendor's at ``/boutique/NAME``.  A listing (``/fiche/<ref>-<title slug>``) has its facts in a
two-column table (``<th>Vendeur</th>``) and its tiers in a table with a form per row; prices in euros written the
French way (``1 234,50 €``), during a sale beside the usual price struck through (``<s>``), and a price per unit
in a column of its own.  French, German and English listings; pages say ``lang="fr"``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from demosites.beds.holdout_f import MARKET_SPEC
from demosites.beds.market import Listing, MarketDay, Tier, groups
from demosites.beds.site import BedMarket
from demosites.timeline import SEED
from demosites.web import Response, int_arg, render, slug

NAME = MARKET_SPEC.name
PER_PAGE = 20
SHELVES = {slug(g): g for g in groups(MARKET_SPEC) if slug(g)}  # a drug of no group (alcohol...) gets no shelf
PER = {"g": "g", "pill": "comprimé", "tab": "buvard", "ml": "ml", "vial": "10 ml", "kit": "kit"}  # unit price per


def listing_path(listing: Listing) -> str:
    """``/fiche/48213-cocaine-92-qualite-verifiee``: the reference, then the title's slug."""
    return f"/fiche/{listing.id}-{slug(listing.title) or 'annonce'}"


def french(number: float, decimals: int = 2) -> str:
    """A number written the French way: 1 234,50 (a narrow no-break space between thousands)."""
    return f"{number:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def per_unit(listing: Listing, tiers: Sequence[Tier]) -> list[str]:
    """Each tier's price per unit ("49,00 € / g"), shown in a column of its own (not a price to read)."""
    rows, per = MARKET_SPEC.tiers[listing.drug.unit], PER[listing.drug.unit]
    return [f"{french(t.amount / units)}\u00a0€ / {per}" for t, (units, _, _) in zip(tiers, rows, strict=True)]


def _date_of(day: int) -> str:
    return MARKET_SPEC.timeline.day_date(day).isoformat()


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", shelves=list(SHELVES.items()), slug=slug, listing_path=listing_path,
                  french=french, date_of=_date_of, **context)  # fmt: skip


def _rows(md: MarketDay, listings: Sequence[Listing]) -> list[tuple[Listing, Tier]]:
    """Grid rows: a listing and its lowest tier ("dès 52,30 €")."""
    return [(x, md.tiers(x)[0]) for x in listings]


class EtalMarket(BedMarket):
    spec = MARKET_SPEC

    def __init__(self, seed: int = SEED) -> None:
        super().__init__(seed)
        self.route(r"/", self.home)
        self.route(r"/rayon/(?P<slug>[a-z0-9-]+)", self.rayon)
        self.route(r"/fiche/(?P<id>\d+)-[a-z0-9-]+", self.fiche)
        self.route(r"/boutique/(?P<name>[A-Za-z0-9_]+)", self.boutique)
        self.route(r"/(?:connexion|deconnexion|inscription|panier|commande|messages|favoris)(?:/.*)?", self.login)

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        md = self.day(day)
        return _page("accueil.html", rows=_rows(md, md.listings[:25]), count=len(md.listings))

    def rayon(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        group = SHELVES.get(match["slug"])
        page = self.shelf(group, int_arg(query, "page", 1), day, PER_PAGE)
        if group is None or page is None:
            return None
        md = self.day(day)
        return _page("rayon.html", page=page, rows=_rows(md, page.items), group=group, base=f"/rayon/{match['slug']}",
                     count=len(md.in_group(group)))  # fmt: skip

    def fiche(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        md = self.day(day)
        listing = md.listing(match["id"])
        if listing is None or match.group(0) != listing_path(listing):
            return None
        tiers, reviews = md.tiers(listing), [r for r in listing.reviews if r[0] <= day][-5:]
        return _page("fiche.html", l=listing, v=md.universe.vendors[listing.vendor], day=day, tiers=tiers,
                     units=per_unit(listing, tiers), reviews=reviews)  # fmt: skip

    def boutique(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        vendor = self.vendor(match["name"], day)
        if vendor is None:
            return None
        md = self.day(day)
        return _page("boutique.html", v=vendor, day=day, rows=_rows(md, md.by_vendor(vendor.name)))

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("connexion.html")
