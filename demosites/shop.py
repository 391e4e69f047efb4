"""The data behind ChemVendo, a clear-web research-chemical shop: products, their tiers and prices per day."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from demosites import content
from demosites.timeline import LAST_DAY, events
from demosites.web import slug

NAME = "chemvendo_shop"

# category -> (products, form) rows; each (name, form) pair is one product
CATALOG: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Cathinones": (
        ("3-MMC", "3-CMC", "4-CMC", "N-ethylhexedrone", "NEP", "2-MMC", "4-MEC"),
        ("Crystal", "Powder", "Pellets 100mg"),
    ),
    "Dissociatives": (("2-FDCK", "3-MeO-PCP", "O-PCE", "DCK"), ("Crystal", "Pellets 50mg")),
    "Benzodiazepines": (("Bromazolam", "Clonazolam", "Flubromazolam", "Pyrazolam"), ("Pellets", "Blotters")),
    "Cannabinoids": (("HHC", "HHC-P", "THC-P", "ADB-BUTINACA"), ("Vape 1ml", "Distillate")),
    "Phenethylamines": (("2C-B-FLY", "Escaline", "Proscaline"), ("Powder",)),
    "Lysergamides": (("1P-LSD", "1cP-LSD", "1V-LSD", "1D-LSD"), ("Blotters 100µg",)),
    "Tryptamines": (("4-HO-MET", "4-AcO-DMT", "5-MeO-MiPT"), ("Powder", "Pellets 20mg")),
    "Stimulants": (("4-F-MPH", "3-FEA", "2-FMA", "Isopropylphenidate"), ("Pellets 20mg",)),
    "Opioids": (("O-DSMT",), ("Powder",)),
    "Lab supplies": (
        ("Marquis reagent", "Mandelin reagent", "Ehrlich reagent", "Scale 0.001g", "Empty capsules size 0"),
        ("",),
    ),
}
TIERS: dict[str, tuple[tuple[str, float], ...]] = {  # form word -> (tier label, units)
    "Crystal": (("1 gram", 1), ("5 gram", 5), ("10 gram", 10), ("25 gram", 25), ("100 gram", 100)),
    "Powder": (("1 gram", 1), ("5 gram", 5), ("10 gram", 10), ("25 gram", 25)),
    "Distillate": (("1 gram", 1), ("5 gram", 5), ("10 gram", 10)),
    "Pellets": (("10 pellets", 10), ("25 pellets", 25), ("50 pellets", 50), ("100 pellets", 100)),
    "Blotters": (("5 blotters", 5), ("10 blotters", 10), ("25 blotters", 25), ("50 blotters", 50)),
    "Vape": (("1 piece", 1), ("3 pieces", 3), ("5 pieces", 5)),
    "": (("1 piece", 1),),
}


@dataclass(frozen=True)
class Product:
    id: int
    slug: str
    name: str
    category: str
    form: str
    unit_eur: float
    purity: str
    ships_from: str
    description: str
    start: int
    end: int

    @property
    def sku(self) -> str:
        return f"CV-{self.id}"

    def live(self, day: int) -> bool:
        return self.start <= day <= self.end

    def tiers(self, day: int) -> list[tuple[str, str]]:
        """(label, "€1,234.50") per tier; prices change weekly by a few percent."""
        factor = 1 + content.rng_for(NAME, self.id, day // 7).uniform(-0.04, 0.04)
        rows = TIERS[self.form.split(" ")[0]]
        return [(label, f"€{self.unit_eur * units * (0.97**i) * factor:,.2f}") for i, (label, units) in enumerate(rows)]


_DESCRIPTIONS = (
    "{name} is a research chemical of the {cat} class, sold for laboratory research only.",
    "Purity {purity} (HPLC). Lab report available on request.",
    "Store cool, dry and dark. Keep out of reach of children.",
    "Not for human consumption. Not a medicine. Buyer must be 18+.",
    "Shipped discreetly within 24h from our warehouse; tracking included.",
    "Analytical reference: see our COA page. Batch #{batch}.",
)


def _product(rng: random.Random, pid: int, name: str, category: str, form: str, start: int, end: int) -> Product:
    title = f"{name} {form}".strip()
    purity = rng.choice(("99.1%", "99.5%", ">98%", "99.8%"))
    text = " ".join(
        d.format(name=name, cat=category.lower(), purity=purity, batch=rng.randint(1000, 9999))
        for d in rng.sample(_DESCRIPTIONS, 4)
    )
    return Product(
        pid,
        slug(title),
        title,
        category,
        form,
        round(rng.uniform(4, 14), 2) if form else 9.95,
        purity,
        rng.choice(("Netherlands", "Netherlands", "Poland", "Czech Republic")),
        text,
        start,
        end,
    )


@lru_cache(maxsize=4)
def products(seed: int) -> tuple[Product, ...]:
    """Every product over the timeline: most live all along, a few come and go, the scripted ones appear."""
    rng = content.rng_for(seed, NAME, "products")
    found, pid = [], 2100
    for category, (names, forms) in CATALOG.items():
        for name in names:
            for form in forms:
                pid += rng.randint(1, 9)
                start = rng.randint(1, LAST_DAY) if rng.random() < 0.08 else -30
                end = min(LAST_DAY, max(start, 0) + rng.randint(5, 20)) if rng.random() < 0.06 else LAST_DAY
                found.append(_product(rng, pid, name, category, form, start, end))
    for event in events(NAME, "new_substance"):
        for form in ("Crystal", "Pellets 100mg")[: event.count]:
            pid += rng.randint(1, 9)
            found.append(_product(rng, pid, event.substance, "Cathinones", form, event.day, LAST_DAY))
    return tuple(found)


@lru_cache(maxsize=128)
def shop_day(seed: int, day: int) -> tuple[Product, ...]:
    return tuple(p for p in products(seed) if p.live(day))


def categories() -> list[tuple[str, str]]:
    """(slug, name) of every category."""
    return [(slug(c), c) for c in CATALOG]
