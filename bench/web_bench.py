"""Workbench benchmark: search and substance pages rendered on a store of ``--docs`` documents (default 100,000).

The documents are bench/index_bench.py's (``tests/storage/contract/generated.py``: listings and posts in four
languages, deterministic), written to an embedded store: a fresh one in a temporary directory, or the one in
``--store DIR`` (written there once, reused by later runs while it holds ``--docs`` documents).  The workbench runs
in process (FastAPI's TestClient, so a measurement is the whole request: authentication, the view's store queries,
the template) for a logged-in analyst.

The primary measure is the *uncached* render: the workbench's answer cache (``web.context.Context.cached``) is
emptied before every request, as for an analyst's new query, so each render runs the store's queries; each page
is rendered ``--reps`` times so, and ``--distinct`` further searches that differ from each other (a substance or
word, a kind, a facet filter) once each.  The page cache of SQLite and the store's in-memory trend index stay
warm, as in a server that has answered before.  Measured apart: each page ``--reps`` times *just after a write*
(a crawl writing to the store: one document written again by another connection, so every cache of the store's
answers is stale, SQLite's page cache and the trend index included), the first render of each page after opening
the store, and the cached renders (an analyst coming back to a page).
Each render is timed in wall time and in CPU time of the process (``time.process_time``: the request runs on the
TestClient's threads), as the machine may be shared.  Reports p50 and p95 per page kind and per page; writes
``bench/results/web.json``.  The target (issue #16) is uncached p95 under 300 ms for both kinds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from storage.sqlite import SqliteStorage  # noqa: E402
from tests.storage.contract.generated import SUBSTANCES as GENERATED  # noqa: E402
from tests.storage.contract.generated import generate  # noqa: E402
from web.accounts import Accounts  # noqa: E402
from web.app import create_app  # noqa: E402
from web.config import WebConfig  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "web.json"
PASSWORD = "bench password 0123"
SEARCHES = [
    "/search",  # everything, newest first, with facets
    "/search?q=3-mmc",
    "/search?q=bromazolam&kind=listing",
    "/search?q=%22lab+tested%22",
    "/search?q=hexen+crystals&sort=newest",
    "/search?f=ships_from:NL&f=category:Opioid",
    "/search?source=alpha&from=2026-08-10&to=2026-08-16",
    "/search?q=paranoia&kind=post",
    "/search?q=pellets&page=5",
]
SUBSTANCES = ["3-MMC", "Bromazolam", "1P-LSD", "Protonitazene", "HHC", "2F-Ketamine"]
WORDS = ["zuiver", "Versand", "stealth", "tachycardia", "insomnia", "blotters", "tablets", "laborgeprüft", "discret"]
COUNTRIES = ["NL", "DE", "BE", "FR", "UK", "PL", "ES", "CN"]
Sample = tuple[float, float]  # (wall ms, CPU ms) of one render


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def distinct_searches(count: int) -> list[str]:
    """``count`` searches unlike each other and unlike ``SEARCHES``: each substance and word, alone, among posts,
    with a country filter, newest first, or with a date range."""
    terms = [name for name, _ in GENERATED] + WORDS
    shapes: list[Callable[[str, int], dict[str, Any]]] = [
        lambda t, n: {"q": t},
        lambda t, n: {"q": t, "kind": "post"},
        lambda t, n: {"q": t, "f": f"ships_from:{COUNTRIES[n % len(COUNTRIES)]}"},
        lambda t, n: {"q": t, "sort": "newest", "page": 2},
        lambda t, n: {"q": t, "from": f"2026-08-{1 + n % 20:02d}", "to": f"2026-08-{8 + n % 20:02d}"},
    ]
    return [f"/search?{urlencode(shapes[n % len(shapes)](terms[n % len(terms)], n))}" for n in range(count)]


def render(client: TestClient, url: str) -> Sample:
    wall, cpu = time.perf_counter(), time.process_time()
    answer = client.get(url)
    sample = ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
    assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
    return sample


def percentiles(samples: list[Sample]) -> dict[str, float]:
    out: dict[str, float] = {}
    for n, what in enumerate(("wall", "cpu")):
        values = [sample[n] for sample in samples]
        out[f"{what}_p50_ms"] = round(statistics.median(values), 1)
        out[f"{what}_p95_ms"] = round(statistics.quantiles(values, n=20, method="inclusive")[-1], 1)
    return out


def measure(client: TestClient, forget: Callable[[], None], touch: Callable[[], None], urls: list[str],
            reps: int) -> dict[str, Any]:  # fmt: skip
    """Per page: its first render after the store was opened; ``reps`` uncached renders (rounds over the pages,
    the answer cache emptied before each); ``reps`` renders just after a crawl wrote to the store (``touch``:
    every cache the store's answers live in is stale); ``reps`` cached ones; and the pooled samples of each."""
    first: dict[str, Sample] = {}
    for url in urls:
        forget()
        first[url] = render(client, url)
    samples: dict[str, dict[str, list[Sample]]] = {url: {"uncached": [], "after_write": []} for url in urls}
    for _ in range(reps):
        for url in urls:
            forget()
            samples[url]["uncached"].append(render(client, url))
    for _ in range(reps):
        for url in urls:
            touch()
            samples[url]["after_write"].append(render(client, url))
    for url in urls:
        render(client, url)  # fills the cache (the other pages' writes made its entry stale)
        samples[url]["cached"] = [render(client, url) for _ in range(reps)]
    per_page: dict[str, Any] = {}
    for url in urls:
        per_page[url] = {"first_wall_ms": round(first[url][0], 1), "first_cpu_ms": round(first[url][1], 1),
                         **{mode: percentiles(found) for mode, found in samples[url].items()}}  # fmt: skip
        _progress(f"{url}: first {first[url][1]:.0f} ms CPU, uncached {per_page[url]['uncached']}, after a write "
                  f"{per_page[url]['after_write']}")  # fmt: skip
    pooled = {mode: percentiles([s for url in urls for s in samples[url][mode]]) for mode in samples[urls[0]]}
    worst = {"wall_max_ms": round(max(s[0] for s in first.values()), 1)}
    return {**pooled, "first": percentiles(list(first.values())) | worst, "per_page": per_page}


def measure_distinct(client: TestClient, forget: Callable[[], None], urls: list[str]) -> dict[str, Any]:
    """Each of ``urls`` rendered once, uncached: the analyst's new queries."""
    samples = []
    for url in urls:
        forget()
        samples.append(render(client, url))
    slowest = max(range(len(urls)), key=lambda n: samples[n][1])
    return {"pages": len(urls), **percentiles(samples), "slowest": urls[slowest],
            "slowest_cpu_ms": round(samples[slowest][1], 1)}  # fmt: skip


@contextmanager
def workspace(store: Path | None) -> Iterator[Path]:
    if store is None:
        with tempfile.TemporaryDirectory() as work:
            yield Path(work)
    else:
        store.mkdir(parents=True, exist_ok=True)
        yield store


def fill_store(data: Path, docs: int, batch: int) -> float | None:
    """Write ``docs`` documents to ``data/npswatch.sqlite3`` unless it holds them already (then None; opening it
    applies pending migrations); the seconds taken."""
    path = data / "npswatch.sqlite3"
    if path.exists():
        with SqliteStorage(path) as store:
            if (found := store.count()) != docs:
                raise SystemExit(
                    f"{path} holds {found:,} documents, expected {docs:,}: remove it or use another --store"
                )
        _progress(f"{path}: reused ({docs:,} documents)")
        return None
    started = time.perf_counter()
    with SqliteStorage(path) as store:
        chunk: list[dict[str, Any]] = []
        for n, doc in enumerate(generate(docs), start=1):
            chunk.append(doc)
            if len(chunk) >= batch:
                store.write(chunk)
                chunk = []
            if n % 20_000 == 0:
                _progress(f"{n} documents written")
        store.write(chunk)
    return time.perf_counter() - started


def run(docs: int, reps: int, batch: int, distinct: int, store: Path | None) -> dict[str, Any]:
    with workspace(store) as data:
        load_s = fill_store(data, docs, batch)
        accounts = Accounts(data / "users.sqlite3")
        if accounts.user("bench") is None:
            accounts.add_user("bench", "analyst", PASSWORD)
        config = WebConfig(db=str(data / "npswatch.sqlite3"), data=data, users_db=data / "users.sqlite3")
        app = create_app(config)
        with TestClient(app, base_url="https://testserver") as client:
            form = client.get("/login").text
            csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": csrf})
            forget = app.state.context.forget
            with SqliteStorage(data / "npswatch.sqlite3") as crawl:

                def touch() -> None:  # the first document seen again a second after it was last seen
                    doc = crawl.get(next(generate(1))["id"]) or {}
                    seen = datetime.fromisoformat(doc["seen_at"]) + timedelta(seconds=1)
                    crawl.write([{**doc, "seen_at": seen.isoformat().replace("+00:00", "Z")}])

                search = measure(client, forget, touch, SEARCHES, reps)
                substance = measure(client, forget, touch, [f"/substances/{quote(s)}" for s in SUBSTANCES], reps)
                new_searches = measure_distinct(client, forget, distinct_searches(distinct))
    return {
        "documents": docs,
        "reps": reps,
        "store_written_s": None if load_s is None else round(load_s, 1),
        "search": search,
        "substance": substance,
        "distinct_searches": new_searches,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg()[0]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=10, help="renders of each page, uncached and cached")
    parser.add_argument("--distinct", type=int, default=40, help="further searches, each rendered once uncached")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--store", type=Path, help="directory of a store to write once and reuse (default: fresh)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run(args.docs, args.reps, args.batch, args.distinct, args.store)
    result["command"] = "python bench/web_bench.py " + " ".join(sys.argv[1:])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for kind in ("search", "substance"):
        u, w, c, f = (result[kind][what] for what in ("uncached", "after_write", "cached", "first"))
        print(f"{kind} pages on {args.docs:,} documents, uncached: p50 {u['cpu_p50_ms']} ms CPU ({u['wall_p50_ms']} "
              f"wall), p95 {u['cpu_p95_ms']} ms CPU ({u['wall_p95_ms']} wall) (target p95 < 300 ms); just after a "
              f"write: p50 {w['cpu_p50_ms']}, p95 {w['cpu_p95_ms']} ms CPU ({w['wall_p95_ms']} wall); cached p95 "
              f"{c['cpu_p95_ms']} ms CPU; first render after opening: p50 {f['cpu_p50_ms']} ms CPU, worst "
              f"{f['wall_max_ms']} ms wall")  # fmt: skip
    d = result["distinct_searches"]
    print(
        f"{d['pages']} distinct searches, uncached: p50 {d['cpu_p50_ms']} ms CPU ({d['wall_p50_ms']} wall), p95 "
        f"{d['cpu_p95_ms']} ms CPU ({d['wall_p95_ms']} wall); slowest {d['slowest']} ({d['slowest_cpu_ms']} ms CPU)"
    )


if __name__ == "__main__":
    main()
