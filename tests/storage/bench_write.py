"""Write throughput of the SQLite store for typical listing documents.

Not a test (pytest does not collect it): run ``.venv/bin/python -m tests.storage.bench_write``.
It writes N new listings in batches, then the same listings again on a new day (the usual
re-crawl: unchanged content, one new observation each), and prints documents per second.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from crawlers.items import Listing, Price, item_to_document
from storage.sqlite import SqliteStorage

_VOCABULARY = (
    "pure lab tested crystal powder stealth shipping escrow reship fast tracked vacuum sealed "
    "mephedrone 3-mmc 4-mmc 2-fma 3-cmc alpha-pvp 1p-lsd ketamine mdma pellets blotters grams "
    "discount bulk sample quality guaranteed worldwide europe domestic weekend batch fresh new"
)
WORDS = _VOCABULARY.split()


def make_listing(rng: random.Random, number: int, seen_at: str) -> dict[str, Any]:
    description = " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 160)))
    prices = [Price(Decimal(rng.randint(10, 900)), "EUR", "€", f"{grams}g") for grams in (1, 5, 10)]
    item = Listing(
        source=f"market{number % 5}",
        market="Bench Market",
        native_id=str(number),
        url=f"http://bench.onion/listing/{number}",
        title=" ".join(rng.choice(WORDS) for _ in range(6)),
        seen_at=seen_at,
        description=description,
        category=["Stimulants", rng.choice(["RCs", "Cathinones", "Psychedelics"])],
        vendor=f"vendor{number % 300}",
        prices=prices,
        ships_from=rng.choice(["NL", "DE", "PL", "UK"]),
        ships_to=["EU", "UK", "WW"],
        feedback_count=rng.randint(0, 500),
        rating=4.5,
        escrow=True,
        warc_record_id=f"<urn:uuid:{number}-{seen_at}>",
    )
    return item_to_document(item)


def write_in_batches(store: SqliteStorage, docs: list[dict[str, Any]], batch: int) -> None:
    for start in range(0, len(docs), batch):
        store.write(docs[start : start + batch])


def timed(label: str, count: int, run: Callable[[], object]) -> None:
    """Docs per second by the wall clock and by this process's CPU time (other load on the machine aside)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<42} {count:>7} docs  {count / wall:>8,.0f} docs/s  ({count / cpu:>8,.0f} per CPU second)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the database (default: a temp dir)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, batches of {args.batch}")
    rng = random.Random(7)
    day1 = [make_listing(rng, n, "2024-05-01T10:00:00Z") for n in range(args.docs)]
    day2 = [{**doc, "seen_at": "2024-05-02T10:00:00Z"} for doc in day1]
    changed = [{**doc, "seen_at": "2024-05-03T10:00:00Z", "feedback_count": -1} for doc in day1]
    with tempfile.TemporaryDirectory(dir=args.dir) as folder, SqliteStorage(Path(folder) / "bench.sqlite3") as store:
        for label, docs in (
            ("new listings", day1),
            ("same listings, same day (idempotent)", day1),
            ("same listings, next day (new observation)", day2),
            ("changed listings, third day", changed),
        ):
            timed(label, args.docs, partial(write_in_batches, store, docs, args.batch))


if __name__ == "__main__":
    main()
