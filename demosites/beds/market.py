"""Any day of a test bed's market: vendors, listings that appear and vanish, prices that jitter and move.

A market's *universe* (every listing that ever lives, with its first and last day) is drawn once per seed from
its ``MarketSpec``; a *day* picks the live listings and prices them.  Prices are kept in the market's reference
currency and shown through the spec's ``money`` (GBP with LTC, XMR at the day's rate, ...).  Listings appear
more often early in the week (vendors restock after the weekend).
"""

from __future__ import annotations

import math
import random
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from demosites import content
from demosites.beds.model import (
    Appear,
    Arrive,
    Drug,
    Flood,
    MarketHappening,
    MarketWords,
    Pause,
    Rebrand,
    Relabel,
    Repost,
    Reprice,
    Sale,
    Spike,
)
from demosites.timeline import Timeline

Money = Callable[[float, int], tuple[str, ...]]  # reference-currency amount, day -> amounts as displayed
TierRow = tuple[float, float, str]  # units, discount factor, label


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a spec is a module constant, a cache key
class MarketSpec:
    name: str
    timeline: Timeline
    drugs: tuple[Drug, ...]
    words: MarketWords
    langs: tuple[str, ...]  # listing languages, drawn uniformly (repeat one to weigh it)
    n_listings: int  # background listings over the whole timeline
    n_vendors: int
    vendor_parts: tuple[tuple[str, ...], tuple[str, ...]]
    tiers: Mapping[str, tuple[TierRow, ...]]  # unit -> tiers
    countries: tuple[str, ...]
    ship_to: tuple[str, ...]
    money: Money
    happenings: tuple[MarketHappening, ...] = ()
    id_style: str = "int"  # "int": 4817, 4820, ...; "base36": six letters and digits
    id_base: int = 1000

    def drug(self, key: str) -> Drug:
        return next(d for d in self.drugs if d.key == key)


@dataclass(frozen=True)
class Vendor:
    name: str
    pgp: str
    fingerprint: str
    base_sales: int
    daily_sales: int
    rating: float
    country: str
    since: str

    def sales_on(self, day: int) -> int:
        return max(0, self.base_sales + self.daily_sales * max(day, 0))  # a new account (Rebrand) starts from 0


@dataclass(frozen=True)
class Listing:
    id: str
    drug: Drug
    vendor: str
    title: str
    description: str
    lang: str
    ships_from: str
    ships_to: tuple[str, ...]
    start: int
    end: int
    unit_price: float  # reference currency per unit, before tier discounts
    lag: int  # days this listing's vendor takes to follow a price change
    reviews: tuple[tuple[int, int, str], ...]  # (day, stars, text)

    def live(self, day: int) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Tier:
    label: str
    amount: float  # reference currency
    shown: tuple[str, ...]  # the amounts as displayed
    was: tuple[str, ...] = ()  # during a ``Sale``: the usual amounts as displayed (struck through)


@dataclass(frozen=True)
class Universe:
    spec: MarketSpec
    vendors: dict[str, Vendor]
    listings: tuple[Listing, ...]


@dataclass(frozen=True)
class MarketDay:
    universe: Universe
    day: int
    listings: tuple[Listing, ...]  # live ones, newest first

    def listing(self, listing_id: str) -> Listing | None:
        return next((x for x in self.listings if x.id == listing_id), None)

    def in_group(self, group: str) -> list[Listing]:
        return [x for x in self.listings if x.drug.group == group]

    def by_vendor(self, name: str) -> list[Listing]:
        return [x for x in self.listings if x.vendor == name]

    def of(self, key: str) -> list[Listing]:
        return [x for x in self.listings if x.drug.key == key]

    def tiers(self, listing: Listing) -> list[Tier]:
        return price_tiers(self.universe.spec, listing, self.day)


def groups(spec: MarketSpec) -> list[str]:
    """The market's categories, in a stable order."""
    return sorted({d.group for d in spec.drugs})


# ---- prices ------------------------------------------------------------------------------------------------------


def follows(spec: MarketSpec, change: Reprice, vendor: str) -> bool:
    """Whether a vendor follows a price change (each vendor drawn once, when only a share of them follow)."""
    return change.followers >= 1 or content.rng_for(spec.name, "follows", change, vendor).random() < change.followers


def price_factor(spec: MarketSpec, listing: Listing, day: int) -> float:
    """Day-to-day jitter of a few percent, times the scripted price changes the listing's vendor has followed."""
    factor = 1 + content.rng_for(spec.name, listing.id, day).uniform(-0.03, 0.03)
    for change in spec.happenings:
        if isinstance(change, Reprice) and change.drug == listing.drug.key:
            followed = change.day + min(listing.lag, change.spread - 1)
            on = followed <= day and (change.until is None or day <= change.until)
            if on and follows(spec, change, listing.vendor):
                factor *= change.factor
    return factor


def sale(spec: MarketSpec, day: int) -> Sale | None:
    """The market-wide sale on ``day``, if any."""
    return next((h for h in spec.happenings if isinstance(h, Sale) and h.day <= day <= h.until), None)


def price_tiers(spec: MarketSpec, listing: Listing, day: int) -> list[Tier]:
    factor, on_sale = price_factor(spec, listing, day), sale(spec, day)
    tiers = []
    for units, discount, label in spec.tiers[listing.drug.unit]:
        amount = round(listing.unit_price * units * discount * factor, 2)
        if on_sale is None:
            tiers.append(Tier(label, amount, spec.money(amount, day)))
        else:
            cut = round(amount * on_sale.factor, 2)
            tiers.append(Tier(label, cut, spec.money(cut, day), spec.money(amount, day)))
    return tiers


# ---- the universe ------------------------------------------------------------------------------------------------


def _vendors(spec: MarketSpec, seed: int) -> dict[str, Vendor]:
    rng = content.rng_for(seed, spec.name, "vendors")
    first, second = spec.vendor_parts
    names: set[str] = set()
    while len(names) < spec.n_vendors:
        names.add(rng.choice(first) + rng.choice(second))
    vendors = {}
    for name in sorted(names):
        pgp, fingerprint = content.pgp_block(rng)
        vendors[name] = Vendor(name, pgp, fingerprint, rng.randint(5, 2600), rng.randint(0, 7),
                               round(rng.uniform(4.2, 5.0), 2), rng.choice(spec.countries),
                               f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}")  # fmt: skip
    return vendors


Draft = dict[str, object]


def _draft(
    spec: MarketSpec, rng: random.Random, drug: Drug, vendor: str, start: int, end: int, lang: str | None = None
) -> Draft:
    """A listing of ``drug`` by ``vendor``, live from ``start`` to ``end``, in ``lang`` (else one of the market's)."""
    lang = lang or rng.choice(spec.langs)
    names = {"a": rng.choice(drug.names) if rng.random() < 0.6 else drug.key, "key": drug.key,
             "purity": rng.choice((82, 88, 92, 96, 99)), "e": rng.choice(spec.words.emoji)}  # fmt: skip
    blurbs = drug.blurbs or spec.words.descriptions[lang]
    description = " ".join(t.format(**names) for t in rng.sample(blurbs, min(3, len(blurbs))))
    last = spec.timeline.last_day
    return {
        "drug": drug,
        "vendor": vendor,
        "title": rng.choice(drug.titles or spec.words.titles[lang]).format(**names),
        "description": description,
        "lang": lang,
        "ships_from": rng.choice(spec.countries),
        "ships_to": tuple(rng.sample(spec.ship_to, rng.randint(1, 3))),
        "start": start,
        "end": end,
        "unit_price": round(drug.price * rng.uniform(0.85, 1.2), 2),
        "lag": rng.randint(0, 2),
        "reviews": tuple(sorted((rng.randint(max(start, 0), last), rng.choice((5, 5, 5, 4, 4, 3, 1)),
                                 rng.choice(spec.words.reviews)) for _ in range(rng.randint(0, 5)))),
    }  # fmt: skip


def restock_day(rng: random.Random, first: int, last: int, timeline: Timeline) -> int:
    """A day in [first, last], more often Monday to Wednesday."""
    days = list(range(first, last + 1))
    weights = [2.0 if timeline.day_date(d).weekday() < 3 else 1.0 for d in days]
    return rng.choices(days, weights)[0]


def _lifetime(spec: MarketSpec, rng: random.Random) -> tuple[int, int]:
    last = spec.timeline.last_day
    start = -rng.randint(1, 60) if rng.random() < 0.6 else restock_day(rng, 1, last, spec.timeline)
    end = last if rng.random() < 0.55 else min(last, max(start, 0) + rng.randint(5, 35))
    return start, end


def _background(spec: MarketSpec, seed: int, vendors: list[str]) -> list[Draft]:
    rng = content.rng_for(seed, spec.name, "listings")
    pool = [d for d in spec.drugs if d.weight]
    weights = [d.weight for d in pool]
    return [_draft(spec, rng, rng.choices(pool, weights)[0], rng.choice(vendors), *_lifetime(spec, rng))
            for _ in range(spec.n_listings)]  # fmt: skip


def _scripted(spec: MarketSpec, seed: int, vendors: list[str], base: list[Draft]) -> list[Draft]:
    rng = content.rng_for(seed, spec.name, "happenings")
    last = spec.timeline.last_day
    drafts: list[Draft] = []
    for happening in spec.happenings:
        if isinstance(happening, Rebrand | Pause | Relabel | Sale | Arrive):
            continue  # applied to every draft at the end (``_rebrands``, ``_arrivals``), or to a day
        drug = spec.drug(happening.drug)
        if isinstance(happening, Appear):
            for i in range(happening.count):
                vendor = vendors[happening.vendor] if happening.vendor is not None else rng.choice(vendors)
                drafts.append(_draft(spec, rng, drug, vendor, happening.day + i * happening.every, last))
        elif isinstance(happening, Spike):
            before = sum(1 for d in base if d["drug"] is drug and _live(d, happening.day - 1))
            span = happening.until - happening.day + 1
            for i in range(round(before * (happening.factor - 1))):
                drafts.append(_draft(spec, rng, drug, rng.choice(vendors), happening.day + i % span, last))
        elif isinstance(happening, Repost):
            drafts += _reposts(spec, rng, happening, drug, vendors[happening.vendor])
        elif isinstance(happening, Flood):
            model = _draft(spec, rng, drug, vendors[happening.vendor], happening.day, happening.until)
            drafts += [{**model, "title": title} for title in happening.titles]
    return drafts


def _reposts(spec: MarketSpec, rng: random.Random, repost: Repost, drug: Drug, vendor: str) -> list[Draft]:
    """The same listing (title, text, price) posted again every day under a new id."""
    model = _draft(spec, rng, drug, vendor, repost.day, repost.day)
    model["title"] = repost.title
    return [{**model, "start": day, "end": day} for day in range(repost.day, repost.until + 1)]


def _span(draft: Draft) -> tuple[int, int]:
    start, end = draft["start"], draft["end"]
    assert isinstance(start, int) and isinstance(end, int)
    return start, end


def _live(draft: Draft, day: int) -> bool:
    start, end = _span(draft)
    return start <= day <= end


def _repost(
    drafts: list[Draft], day: int, back: int, hit: Callable[[Draft], bool], change: Callable[[Draft], Draft]
) -> list[Draft]:
    """The listings ``hit`` picks end the day before ``day``; those still due are posted again, changed by
    ``change`` (new ids, no reviews), from ``back``."""
    found: list[Draft] = []
    for draft in drafts:
        start, end = _span(draft)
        if not hit(draft) or end < day:
            found.append(draft)
            continue
        if start < day:
            found.append({**draft, "end": day - 1})
        if end >= back:
            found.append({**change(draft), "start": max(start, back), "reviews": ()})
    return found


def _new_account(spec: MarketSpec, old: Vendor, name: str, day: int, rng: random.Random) -> Vendor:
    """An account opened on ``day`` (same key as ``old``): a handful of sales on its first day."""
    since = spec.timeline.day_date(day).strftime("%Y-%m")
    return replace(old, name=name, base_sales=-old.daily_sales * day + rng.randint(0, 5), since=since)


def _rebrands(spec: MarketSpec, seed: int, vendors: dict[str, Vendor], drafts: list[Draft]) -> list[Draft]:
    """Apply the spec's ``Rebrand`` and ``Relabel`` happenings: a rebranded vendor's listings end the day before it
    leaves and those still due are posted again by its new account (same key, few sales) from the day it comes back;
    a relabelled substance's listings are posted again under their new titles."""
    names = sorted(vendors)
    for happening in spec.happenings:
        if isinstance(happening, Rebrand):
            old, back = vendors[names[happening.vendor]], happening.day + happening.gap
            rng = content.rng_for(seed, spec.name, "rebrand", happening.name)
            vendors[happening.name] = _new_account(spec, old, happening.name, back, rng)
            drafts = _repost(drafts, happening.day, back, _of_vendor(old.name), _to_vendor(happening.name))
        elif isinstance(happening, Relabel):
            drafts = _relabel(drafts, happening, names[happening.vendor])
    return drafts


def _of_vendor(name: str) -> Callable[[Draft], bool]:
    return lambda draft: draft["vendor"] == name


def _to_vendor(name: str) -> Callable[[Draft], Draft]:
    return lambda draft: {**draft, "vendor": name}


def _relabel(drafts: list[Draft], relabel: Relabel, vendor: str) -> list[Draft]:
    titles = iter(relabel.titles * len(drafts))  # the new titles in turn

    def hit(draft: Draft) -> bool:
        drug = draft["drug"]
        return draft["vendor"] == vendor and isinstance(drug, Drug) and drug.key == relabel.drug

    return _repost(drafts, relabel.day, relabel.day, hit,
                   lambda d: {**d, "title": next(titles), "description": relabel.description})  # fmt: skip


def _arrivals(spec: MarketSpec, seed: int, vendors: dict[str, Vendor]) -> list[Draft]:
    """The spec's ``Arrive`` happenings: each new vendor joins ``vendors`` and posts its listings."""
    drafts: list[Draft] = []
    last = spec.timeline.last_day
    for arrive in (h for h in spec.happenings if isinstance(h, Arrive)):
        rng = content.rng_for(seed, spec.name, "arrive", arrive.name)
        pgp, fingerprint = content.pgp_block(rng)
        joined = Vendor(arrive.name, pgp, fingerprint, 0, rng.randint(1, 4), round(rng.uniform(4.5, 5.0), 2),
                        arrive.country, "")  # fmt: skip
        vendors[arrive.name] = _new_account(spec, joined, arrive.name, arrive.day, rng)
        for key in arrive.drugs:
            draft = _draft(spec, rng, spec.drug(key), arrive.name, arrive.day, last, lang=arrive.lang)
            drafts.append({**draft, "ships_from": arrive.country})
    return drafts


def _ids(spec: MarketSpec, seed: int, count: int) -> list[str]:
    """Listing ids in order of appearance: rising numbers, or six random letters and digits."""
    rng = content.rng_for(seed, spec.name, "ids")
    if spec.id_style == "base36":
        alphabet = string.ascii_lowercase + string.digits
        found: list[str] = []
        while len(found) < count:
            candidate = rng.choice(string.ascii_lowercase) + "".join(rng.choices(alphabet, k=5))
            if candidate not in found:
                found.append(candidate)
        return found
    numbers, current = [], spec.id_base
    for _ in range(count):
        current += rng.randint(1, 4)
        numbers.append(str(current))
    return numbers


@lru_cache(maxsize=8)
def universe(spec: MarketSpec, seed: int) -> Universe:
    vendors = _vendors(spec, seed)
    names = sorted(vendors)
    base = _background(spec, seed, names)
    drafts = _rebrands(spec, seed, vendors, base + _scripted(spec, seed, names, base)) + _arrivals(spec, seed, vendors)
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i]["start"], i))
    ids = _ids(spec, seed, len(drafts))
    listings = tuple(Listing(id=ids[n], **drafts[i]) for n, i in enumerate(order))  # type: ignore[arg-type]
    return Universe(spec, vendors, listings)


def paused(spec: MarketSpec, seed: int, day: int) -> set[str]:
    """The vendors in holiday mode on ``day`` (``Pause``)."""
    names = sorted(universe(spec, seed).vendors)
    return {names[i] for h in spec.happenings if isinstance(h, Pause) and h.day <= day <= h.until for i in h.vendors}


@lru_cache(maxsize=256)
def market_day(spec: MarketSpec, seed: int, day: int) -> MarketDay:
    u = universe(spec, seed)
    away = paused(spec, seed, day)
    live = [x for x in u.listings if x.live(day) and x.vendor not in away]
    return MarketDay(u, day, tuple(reversed(live)))


def wave(day: int, period: float, depth: float) -> float:
    """A slow swing around 1 (exchange rates drift)."""
    return 1 + depth * math.sin(day / period)
