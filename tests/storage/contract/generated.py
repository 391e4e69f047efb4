"""Realistic listings and forum posts, generated deterministically (a seed gives the same documents).

Used by the cross-backend contract test and by ``bench/index_bench.py``.  Documents are built the way the
crawler builds them (``crawlers.items``) and carry the NLP entity fields (``substance``, ``route``,
``adverse_effect``...) the extraction stage adds, so trends have something to count.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from crawlers.items import Listing, Post, Price, item_to_document

SUBSTANCES = [
    ("3-MMC", "stimulant"), ("2-MMC", "stimulant"), ("4-MMC", "stimulant"), ("3-CMC", "stimulant"),
    ("2-FMA", "stimulant"), ("Hexen", "stimulant"), ("NEP", "stimulant"), ("4F-MPH", "stimulant"),
    ("1P-LSD", "psychedelic"), ("1cP-LSD", "psychedelic"), ("1V-LSD", "psychedelic"), ("4-HO-MET", "psychedelic"),
    ("5-MeO-MiPT", "psychedelic"), ("Bromazolam", "depressant"), ("Flubromazepam", "depressant"),
    ("Etizolam", "depressant"), ("Clonazolam", "depressant"), ("Protonitazene", "opioid"),
    ("Metonitazene", "opioid"), ("2F-Ketamine", "dissociative"), ("O-PCE", "dissociative"),
    ("3-MeO-PCP", "dissociative"), ("HHC", "cannabinoid"), ("HHC-P", "cannabinoid"), ("THCP", "cannabinoid"),
]  # fmt: skip
MARKETS = [("alpha", "Alpha Market"), ("beta", "Beta Bazaar"), ("gamma", "Gamma Shop"), ("delta", "Delta Plaza")]
FORUMS = [("drugsforum", "Drugs Forum", "en"), ("psychonaut", "Psychonaut NL", "nl"), ("lecercle", "Le Cercle", "fr")]
COUNTRIES = ["NL", "NL", "NL", "DE", "DE", "BE", "FR", "UK", "PL", "ES", "CN", "US"]
QUANTITIES = [("1g", 1), ("5g", 5), ("10g", 10), ("25g", 25), ("100g", 100), ("500mg", 0.5)]
ROUTES = ["insufflated", "oral", "vaporized", "sublingual"]
ADVERSE = ["tachycardia", "insomnia", "anxiety", "nausea", "paranoia", "vasoconstriction", "hyperthermia"]
BLURBS = {
    "en": "{s} {form}, lab tested, {purity}% pure. Ships worldwide in stealth packaging from {c}.",
    "nl": "{s} {form}, getest in het lab, {purity}% zuiver. Discrete verzending vanuit {c}.",
    "fr": "{s} {form}, testé en laboratoire, pureté {purity}%. Envoi discret depuis {c}.",
    "de": "{s} {form}, laborgeprüft, {purity}% rein. Diskreter Versand aus {c}.",
}
REPORTS = {
    "en": "Took {d} mg of {s} {r}. Strong {e} for {h} hours, some {a} afterwards.",
    "nl": "{d} mg {s} genomen ({r}). Sterke werking, {h} uur lang, daarna wat {a}.",
    "fr": "J'ai pris {d} mg de {s} ({r}). Effets forts pendant {h} heures, un peu de {a} ensuite.",
}
FORMS = ["crystals", "powder", "pellets", "blotters", "tablets", "vape cartridge"]
START = datetime(2026, 8, 1, 6, 0, tzinfo=UTC)


def generate(count: int, seed: int = 5, days: int = 56) -> Iterator[dict[str, Any]]:
    """``count`` documents, about 80% listings and 20% posts, seen over ``days`` days."""
    rng = random.Random(seed)
    for n in range(count):
        yield _post(rng, n, days) if n % 5 == 4 else _listing(rng, n, days)


def _when(rng: random.Random, days: int) -> str:
    moment = START + timedelta(days=rng.randrange(days), seconds=rng.randrange(12 * 3600))
    return moment.isoformat().replace("+00:00", "Z")


def _listing(rng: random.Random, n: int, days: int) -> dict[str, Any]:
    (substance, group), (source, market) = rng.choice(SUBSTANCES), rng.choice(MARKETS)
    country, language = rng.choice(COUNTRIES), rng.choice(["en", "en", "nl", "fr", "de"])
    form = rng.choice(FORMS)
    base = rng.uniform(3, 40)
    tiers = rng.sample(QUANTITIES, rng.randint(1, 3))
    prices = [
        Price(Decimal(f"{base * grams * (1 - 0.05 * i):.2f}"), "EUR", f"€{base * grams:.2f}", label)
        for i, (label, grams) in enumerate(sorted(tiers, key=lambda tier: tier[1]))
    ]
    listing = Listing(
        source=source, market=market, native_id=str(n), url=f"http://{source}.onion/item/{n}",
        title=f"{substance} {form} {tiers[0][0]}",
        description=BLURBS[language].format(s=substance, form=form, purity=rng.randint(95, 99), c=country),
        category=[group.capitalize()], vendor=f"vendor{rng.randrange(300)}", prices=prices, ships_from=country,
        ships_to=rng.sample(["EU", "WW", "UK", "US"], rng.randint(1, 2)), seen_at=_when(rng, days),
        feedback_count=rng.randrange(2000), rating=round(rng.uniform(3.5, 5.0), 2),
    )  # fmt: skip
    return {**item_to_document(listing), "substance": [substance], "chemical_group": [group]}


def _post(rng: random.Random, n: int, days: int) -> dict[str, Any]:
    (substance, _), (source, forum, language) = rng.choice(SUBSTANCES), rng.choice(FORUMS)
    route, adverse = rng.choice(ROUTES), rng.choice(ADVERSE)
    text = REPORTS[language].format(d=rng.randint(5, 200), s=substance, r=route, e="euphoria",
                                    h=rng.randint(2, 9), a=adverse)  # fmt: skip
    post = Post(
        source=source, forum=forum, board="Trip reports", thread_id=f"t{n // 7}",
        thread_title=f"{substance} experience", post_id=str(n), url=f"http://{source}.onion/t/{n // 7}#{n}",
        text=text, seen_at=_when(rng, days), author=f"user{rng.randrange(500)}", language_hint=language,
        is_trip_report=rng.random() < 0.6,
    )  # fmt: skip
    return {**item_to_document(post), "substance": [substance], "route": [route], "adverse_effect": [adverse]}


def resighted(docs: list[dict[str, Any]], seed: int = 6, share: float = 0.3) -> list[dict[str, Any]]:
    """Later sightings of a share of ``docs``: a few days on, some with a new price (a crawl of later days)."""
    rng = random.Random(seed)
    out = []
    for doc in docs:
        if rng.random() >= share:
            continue
        seen = datetime.fromisoformat(doc["seen_at"]) + timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 5))
        again = {**doc, "seen_at": seen.isoformat().replace("+00:00", "Z")}
        if doc.get("prices") and rng.random() < 0.5:
            again["prices"] = [{**p, "amount": f"{float(p['amount']) * 0.9:.2f}"} for p in doc["prices"]]
        out.append(again)
    return out
