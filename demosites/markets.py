"""The data behind the two markets: vendors and listings over the whole timeline, and any day's view of them.

A market's *universe* (every listing that ever lives, with its first and last day) is drawn once per
seed; a *day* picks the live listings and prices them for that day.  Both are cached.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache

from demosites import content
from demosites.timeline import LAST_DAY, events
from demosites.vocab import BY_KEY, COUNTRIES, SHIP_TO, SUBSTANCES, TIERS, Substance


@dataclass(frozen=True)
class MarketConfig:
    name: str
    n_listings: int
    n_vendors: int
    id_base: int
    currency: str  # USD (with BTC and XMR) or EUR (with BTC)
    tier_style: str  # "a": 5g, 10 pills; "b": 5 GR, 10 ST.


MARKETS = {
    "nova_market": MarketConfig("nova_market", 235, 20, 10400, "USD", "a"),
    "tulip_bazaar": MarketConfig("tulip_bazaar", 185, 16, 5000, "EUR", "b"),
}


@dataclass(frozen=True)
class Vendor:
    name: str
    pgp: str
    fingerprint: str
    base_feedback: int
    daily_feedback: int
    rating: float
    country: str
    since: str

    def feedback_on(self, day: int) -> int:
        return self.base_feedback + self.daily_feedback * day


@dataclass(frozen=True)
class Listing:
    id: int
    sub: Substance
    vendor: str | None
    title: str
    description: str
    ships_from: str
    ships_to: tuple[str, ...]
    escrow: bool
    finalize_early: bool
    start: int
    end: int
    unit_price: float  # USD per unit before tier discounts; 0 means "price on request"
    reviews: tuple[tuple[int, int, str], ...]  # (day, stars, text)

    def live(self, day: int) -> bool:
        return self.start <= day <= self.end

    @property
    def category(self) -> tuple[str, str, str]:
        return ("Drugs", *self.sub.category)


@dataclass(frozen=True)
class Tier:
    label: str
    prices: tuple[str, ...]  # the amounts as displayed: "$40.00", "0.00061 BTC", ...


@dataclass(frozen=True)
class Universe:
    config: MarketConfig
    vendors: dict[str, Vendor]
    listings: tuple[Listing, ...]


@dataclass(frozen=True)
class MarketDay:
    universe: Universe
    day: int
    listings: tuple[Listing, ...]  # live ones, by id

    def listing(self, listing_id: int) -> Listing | None:
        return next((x for x in self.listings if x.id == listing_id), None)

    def in_category(self, leaf: str) -> list[Listing]:
        return [x for x in self.listings if x.sub.category[1] == leaf]

    def by_vendor(self, name: str) -> list[Listing]:
        return [x for x in self.listings if x.vendor == name]

    def tiers(self, listing: Listing) -> list[Tier]:
        return price_tiers(self.universe.config, listing, self.day)


def leaf_categories() -> list[tuple[str, str]]:
    """(group, leaf) pairs in a stable order."""
    return sorted({s.category for s in SUBSTANCES})


# ---- prices -----------------------------------------------------------------------------------------------------


def btc_usd(day: int) -> float:
    return 65_000 * (1 + 0.04 * math.sin(day / 5))


def xmr_usd(day: int) -> float:
    return 190 * (1 + 0.03 * math.cos(day / 4))


EUR_USD = 1.08


def price_factor(config: MarketConfig, listing: Listing, day: int) -> float:
    """Day-to-day jitter of a few percent, times any scripted price drop."""
    factor = 1 + content.rng_for(config.name, listing.id, day).uniform(-0.03, 0.03)
    for event in events(config.name, "price_drop"):
        if event.substance == listing.sub.key and event.day <= day <= (event.until or LAST_DAY):
            factor *= event.factor
    return factor


def price_tiers(config: MarketConfig, listing: Listing, day: int) -> list[Tier]:
    if not listing.unit_price:
        return []
    factor = price_factor(config, listing, day)
    tiers = []
    for units, discount in TIERS[listing.sub.unit]:
        amount_usd = round(listing.unit_price * units * discount * factor)
        label = content.tier_label(units, listing.sub.unit, config.tier_style)
        tiers.append(Tier(label, _amounts(config, amount_usd, day)))
    return tiers


def _amounts(config: MarketConfig, amount_usd: float, day: int) -> tuple[str, ...]:
    btc = amount_usd / btc_usd(day)
    if config.currency == "USD":
        xmr = amount_usd / xmr_usd(day)
        return content.usd(amount_usd), content.crypto(btc, "BTC", 5), content.crypto(xmr, "XMR", 2)
    eur = round(amount_usd / EUR_USD, 1)
    return content.eur_eu(eur), content.crypto(btc, "BTC", 5, comma=True)


# ---- the universe -----------------------------------------------------------------------------------------------


def _vendors(config: MarketConfig, seed: int) -> dict[str, Vendor]:
    rng = content.rng_for(seed, config.name, "vendors")
    taken: set[str] = set()
    vendors = {}
    for _ in range(config.n_vendors):
        name = content.vendor_name(rng, taken)
        pgp, fingerprint = content.pgp_block(rng)
        vendors[name] = Vendor(
            name,
            pgp,
            fingerprint,
            rng.randint(3, 2400),
            rng.randint(0, 6),
            round(rng.uniform(4.1, 5.0), 2),
            rng.choice(COUNTRIES[:6]),
            f"20{rng.randint(22, 26)}-{rng.randint(1, 12):02d}",
        )
    return vendors


Draft = dict[str, object]


def _draft(rng: random.Random, sub: Substance, vendors: list[str], start: int, end: int) -> Draft:
    n_reviews = rng.randint(0, 6)
    return {
        "sub": sub,
        "vendor": rng.choice(vendors),
        "title": content.listing_title(rng, sub),
        "description": content.listing_description(rng, sub, rng.randint(2, 3)),
        "ships_from": rng.choice(COUNTRIES),
        "ships_to": tuple(rng.sample(SHIP_TO, rng.randint(1, 3))),
        "escrow": rng.random() < 0.8,
        "finalize_early": rng.random() < 0.3,
        "start": start,
        "end": end,
        "unit_price": round(sub.usd * rng.uniform(0.8, 1.25), 2),
        "reviews": tuple(
            sorted(
                (rng.randint(start, LAST_DAY), rng.choice((5, 5, 5, 4, 3, 1)), content.review(rng))
                for _ in range(n_reviews)
            )
        ),
    }


def _lifetime(rng: random.Random) -> tuple[int, int]:
    start = -rng.randint(1, 60) if rng.random() < 0.62 else rng.randint(1, LAST_DAY)
    end = LAST_DAY if rng.random() < 0.6 else min(LAST_DAY, max(start, 0) + rng.randint(5, 30))
    return start, end


def _base_drafts(config: MarketConfig, seed: int, vendors: list[str]) -> list[Draft]:
    rng = content.rng_for(seed, config.name, "listings")
    weights = [s.weight for s in SUBSTANCES]
    drafts = [
        _draft(rng, rng.choices(SUBSTANCES, weights)[0], vendors, *_lifetime(rng)) for _ in range(config.n_listings)
    ]
    _make_hostile(rng, drafts[:4])
    return drafts


def _make_hostile(rng: random.Random, drafts: list[Draft]) -> None:
    """Four listings that live all along and break things: script text, no vendor, no price, a huge description."""
    for draft in drafts:
        draft["start"], draft["end"] = -10, LAST_DAY
    drafts[0]["description"] = 'Best quality <script>alert(1)</script> — copy this: <b>bold</b> & "quotes"'
    drafts[1]["vendor"] = None
    drafts[2]["unit_price"] = 0.0
    sub = drafts[3]["sub"]
    assert isinstance(sub, Substance)
    drafts[3]["description"] = content.long_description(rng, sub)


def _event_drafts(config: MarketConfig, seed: int, vendors: list[str], base: list[Draft]) -> list[Draft]:
    rng = content.rng_for(seed, config.name, "events")
    drafts: list[Draft] = []
    for event in events(config.name, "new_substance"):
        drafts += [_draft(rng, BY_KEY[event.substance], vendors, event.day, LAST_DAY) for _ in range(event.count)]
    for event in events(config.name, "listing_spike"):
        sub = BY_KEY[event.substance]
        before = sum(1 for d in base if d["sub"] is sub and _live(d, event.day - 1))
        for i in range(round(before * (event.factor - 1))):
            start = event.day + i % ((event.until or event.day) - event.day + 1)
            drafts.append(_draft(rng, sub, vendors, start, LAST_DAY))
    return drafts


def _live(draft: Draft, day: int) -> bool:
    start, end = draft["start"], draft["end"]
    assert isinstance(start, int) and isinstance(end, int)
    return start <= day <= end


@lru_cache(maxsize=8)
def universe(name: str, seed: int) -> Universe:
    config = MARKETS[name]
    vendors = _vendors(config, seed)
    names = sorted(vendors)
    base = _base_drafts(config, seed, names)
    drafts = base + _event_drafts(config, seed, names, base)
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i]["start"], i))
    rng = content.rng_for(seed, config.name, "ids")
    listings, next_id = [], config.id_base
    for i in order:
        next_id += rng.randint(1, 4)
        listings.append(Listing(id=next_id, **drafts[i]))  # type: ignore[arg-type]
    return Universe(config, vendors, tuple(listings))


@lru_cache(maxsize=128)
def market_day(name: str, seed: int, day: int) -> MarketDay:
    u = universe(name, seed)
    return MarketDay(u, day, tuple(x for x in u.listings if x.live(day)))
