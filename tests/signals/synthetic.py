"""A small synthetic store with scripted events, written through the Storage interface (fast, deterministic).

30 days from 2026-01-01; markets M1 and M2 crawled daily (M1 not on day 5); one forum.
- cocaine: 6 listings on each market all along, 60 EUR/g; two forum posts a day, an adverse one every fifth day.
- 3-CMC: 4 listings on M1, then 3 more a day from day 18 to day 21 (16 in all): a spike.
- ketamine: 6 listings on M2 at 25 EUR/g, 40 % cheaper from day 20: a price shift.
- 3-CPMC (a novel candidate, spelled several ways): 2 listings on M1 from day 12.
- MDMB-4en-PINACA: severe adverse-effect posts, 6 a day on days 22-24, never mentioned before.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from storage.sqlite import SqliteStorage

START = date(2026, 1, 1)
DAYS = 30


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def listing(source: str, native: str, subject: str, offset: int, eur_per_gram: float, *, novel: bool = False,
            spelling: str | None = None) -> dict[str, Any]:  # fmt: skip
    amount = f"{eur_per_gram * 10:.2f}"
    return {
        "id": f"{source}-{native}",
        "kind": "listing",
        "source": source,
        "market": source.upper(),
        "native_id": native,
        "url": f"http://{source}.test/listing/{native}",
        "title": f"{spelling or subject} listing {native}",
        "seen_at": f"{day(offset).isoformat()}T12:00:00+00:00",
        "warc_record_id": f"<urn:uuid:{source}-{native}-{offset}>",
        "vendor": f"vendor{int(native) % 3}",
        "ships_from": "Netherlands" if int(native) % 2 else "Germany",
        "prices": [{"amount": amount, "currency": "EUR", "quantity": "10g", "text": f"€{amount}"}],
        "offers": [{"eur_per_gram": eur_per_gram, "price_amount": float(amount), "price_currency": "EUR"}],
        "eur_per_gram": eur_per_gram,
        "language": "en",
        "substance": [] if novel else [subject],
        "novel_substance": [spelling or subject] if novel else [],
        "chemical_group": ["synthetic cathinone"] if "CMC" in subject or "CPMC" in subject else [],
    }


def post(n: int, subject: str, posted: int, seen: int, *, adverse: bool = False, severe: bool = False
         ) -> dict[str, Any]:  # fmt: skip
    return {
        "id": f"f1-{n}",
        "kind": "post",
        "source": "f1",
        "forum": "F1",
        "thread_id": str(n // 5),
        "post_id": str(n),
        "url": f"http://f1.test/t/{n // 5}#p{n}",
        "text": f"about {subject}",
        "seen_at": f"{day(seen).isoformat()}T12:00:00+00:00",
        "posted_at": f"{day(posted).isoformat()}T08:00:00+00:00",
        "warc_record_id": f"<urn:uuid:f1-{n}-{seen}>",
        "language": "en",
        "substance": [subject],
        "adverse_effect": ["seizure" if severe else "nausea"] if adverse else [],
        "severe": severe,
    }


def documents_of(offset: int) -> list[dict[str, Any]]:
    """What a crawl of day ``offset`` stores."""
    docs: list[dict[str, Any]] = []
    markets = ["m2"] if offset == 5 else ["m1", "m2"]
    for source in markets:
        docs += [listing(source, str(i), "cocaine", offset, 60.0 + i % 3) for i in range(6)]
    if "m1" in markets:
        extra = min(max(0, offset - 17) * 3, 12)
        docs += [listing("m1", str(100 + i), "3-CMC", offset, 30.0 + i % 4) for i in range(4 + extra)]
        if offset >= 12:
            docs += [listing("m1", "200", "3-CPMC", offset, 40.0, novel=True, spelling="3-CPMC"),
                     listing("m1", "201", "3-CPMC", offset, 42.0, novel=True, spelling="3cpmc")]  # fmt: skip
    price = 0.6 if offset >= 20 else 1.0
    docs += [listing("m2", str(300 + i), "ketamine", offset, round((24.0 + i) * price, 2)) for i in range(6)]
    n = 0
    for posted in range(-20, offset + 1):
        for k in range(2):
            if posted <= offset:
                docs.append(post(n, "cocaine", posted, offset, adverse=(posted % 5 == 0 and k == 0)))
            n += 1
        if 22 <= posted <= 24:
            docs += [post(10_000 + posted * 10 + k, "MDMB-4en-PINACA", posted, offset, adverse=True, severe=True)
                     for k in range(6)]  # fmt: skip
    return docs


def write_days(store: SqliteStorage, offsets: range | list[int]) -> None:
    for offset in offsets:
        store.write(documents_of(offset))
