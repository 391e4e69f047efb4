"""ChemVendo: a clear-web research-chemical shop with WooCommerce markup and a robots.txt worth obeying."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from demosites.shop import NAME, Product, categories, shop_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, paginate, render, text

PER_PAGE = 24
ROBOTS = """User-agent: *
Disallow: /cart
Disallow: /checkout
Disallow: /my-account
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
"""
CATEGORIES = dict(categories())


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", categories=list(CATEGORIES.items()), **context)


def _cards(products: Sequence[Product], day: int) -> list[tuple[Product, list[tuple[str, str]]]]:
    return [(p, p.tiers(day)) for p in products]


class ChemvendoShop(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed)
        self.route(r"/robots\.txt", lambda m, q, d: text(ROBOTS))
        self.route(r"/", self.home)
        self.route(r"/shop/(?:page/(?P<n>\d+)/)?", self.shop)
        self.route(r"/product-category/(?P<slug>[a-z0-9-]+)/(?:page/(?P<n>\d+)/)?", self.category)
        self.route(r"/product/(?P<slug>[a-z0-9-]+)/", self.product)
        self.route(r"/(?P<what>cart|checkout|my-account)/.*", self.private)

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        newest = sorted(shop_day(self.seed, day), key=lambda p: -p.id)[:8]
        return _page("home.html", cards=_cards(newest, day))

    def shop(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        page = paginate(shop_day(self.seed, day), int(match["n"] or 1), PER_PAGE)
        if page is None:
            return None
        return _page("archive.html", title="Shop", base="/shop/", page=page, cards=_cards(page.items, day))

    def category(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        name = CATEGORIES.get(match["slug"])
        if name is None:
            return None
        found = [p for p in shop_day(self.seed, day) if p.category == name]
        page = paginate(found, int(match["n"] or 1), PER_PAGE)
        if page is None:
            return None
        return _page(
            "archive.html",
            title=name,
            base=f"/product-category/{match['slug']}/",
            page=page,
            cards=_cards(page.items, day),
        )

    def product(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        product = next((p for p in shop_day(self.seed, day) if p.slug == match["slug"]), None)
        if product is None:
            return None
        return _page(
            "product.html",
            p=product,
            tiers=product.tiers(day),
            category_slug=next(k for k, v in CATEGORIES.items() if v == product.category),
        )

    def private(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("private.html", what=match["what"])
