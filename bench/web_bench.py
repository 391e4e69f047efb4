"""Workbench benchmark: search and substance pages rendered on a store of ``--docs`` documents (default 100,000).

The documents are bench/index_bench.py's (``tests/storage/contract/generated.py``: listings and posts in four
languages, deterministic), written to a fresh embedded store.  The workbench runs in process (FastAPI's TestClient,
so a measurement is the whole request: authentication, the view's store queries, the template) for a logged-in
analyst; each page is rendered once (its first render: nothing cached, timed apart), then ``--reps`` times (the
store's answers cached until the store changes, ``web.context.Context.cached``).  Reports p50 and p95 per page kind
and per page, and the first renders; writes ``bench/results/web.json``.  The target (issue #16) is p95 under 300 ms
for both kinds.
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
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from storage.sqlite import SqliteStorage  # noqa: E402
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


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(client: TestClient, urls: list[str], reps: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for url in urls:
        start = time.perf_counter()
        answer = client.get(url)  # the first render: nothing cached (and a check)
        first = (time.perf_counter() - start) * 1000
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        out[url] = {"first_ms": round(first, 1), "p50_ms": round(statistics.median(times), 1),
                    "p95_ms": round(statistics.quantiles(times, n=20, method="inclusive")[-1], 1)}  # fmt: skip
        _progress(f"{url}: first {out[url]['first_ms']} ms, p50 {out[url]['p50_ms']} ms, p95 {out[url]['p95_ms']} ms")
    return out


def overall(per_page: dict[str, dict[str, float]]) -> dict[str, float]:
    firsts = [v["first_ms"] for v in per_page.values()]
    return {"median_p50_ms": round(statistics.median(v["p50_ms"] for v in per_page.values()), 1),
            "max_p95_ms": round(max(v["p95_ms"] for v in per_page.values()), 1),
            "first_render_median_ms": round(statistics.median(firsts), 1),
            "first_render_max_ms": round(max(firsts), 1)}  # fmt: skip


def run(docs: int, reps: int, batch: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work:
        data = Path(work)
        started = time.perf_counter()
        with SqliteStorage(data / "npswatch.sqlite3") as store:
            chunk: list[dict[str, Any]] = []
            for n, doc in enumerate(generate(docs), start=1):
                chunk.append(doc)
                if len(chunk) >= batch:
                    store.write(chunk)
                    chunk = []
                if n % 20_000 == 0:
                    _progress(f"{n} documents written")
            store.write(chunk)
        load_s = time.perf_counter() - started
        Accounts(data / "users.sqlite3").add_user("bench", "analyst", PASSWORD)
        config = WebConfig(db=str(data / "npswatch.sqlite3"), data=data, users_db=data / "users.sqlite3")
        with TestClient(create_app(config), base_url="https://testserver") as client:
            form = client.get("/login").text
            csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": csrf})
            search = measure(client, SEARCHES, reps)
            substance = measure(client, [f"/substances/{quote(s)}" for s in SUBSTANCES], reps)
    return {
        "documents": docs,
        "reps": reps,
        "store_written_s": round(load_s, 1),
        "search": {"overall": overall(search), "per_page": search},
        "substance": {"overall": overall(substance), "per_page": substance},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg()[0]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run(args.docs, args.reps, args.batch)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for kind in ("search", "substance"):
        o = result[kind]["overall"]
        print(f"{kind} pages on {args.docs:,} documents: median p50 {o['median_p50_ms']} ms, worst p95 "
              f"{o['max_p95_ms']} ms (target p95 < 300 ms); first render (nothing cached) median "
              f"{o['first_render_median_ms']} ms, worst {o['first_render_max_ms']} ms")  # fmt: skip


if __name__ == "__main__":
    main()
