"""Index benchmark: bulk indexing and analyst query latency, embedded store vs osmem-server.

Both backends get the same ``--docs`` generated documents (default 100,000: listings and forum posts in four
languages, ``tests/storage/contract/generated.py``, deterministic), written through the ``Storage``
interface in batches of ``--batch``; then 20 representative analyst queries (searches, facets, date
ranges, trends) run ``--reps`` times each on both.  Writes ``bench/results/index.json`` and prints the
lines for ``docs/benchmarks.md``.

osmem-server is an in-memory test double of the OpenSearch API (a Go process, no JVM): its numbers say how
the cluster backend's code path performs (planning, bulk, query building), not how Elasticsearch or
OpenSearch perform.  It is not a performance stand-in for a real cluster.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from osmem_server import OsmemServer  # noqa: E402

from storage.base import SearchQuery, Storage, TrendQuery  # noqa: E402
from storage.cluster import ClusterStorage, parse_target  # noqa: E402
from storage.sqlite import SqliteStorage  # noqa: E402
from tests.storage.contract.generated import generate  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "index.json"
AUGUST = (date(2026, 8, 1), date(2026, 8, 31))
Q = SearchQuery
QUERIES: list[tuple[str, Any]] = [
    ("everything, newest first", Q()),
    ("one substance", Q(text="3-mmc")),
    ("spelling variant", Q(text="3MMC")),
    ("prefix", Q(text="bromaz*")),
    ("phrase", Q(text='"lab tested"')),
    ("two words", Q(text="hexen crystals")),
    ("Dutch word", Q(text="zuiver")),
    ("German word", Q(text="Versand")),
    ("posts with adverse effect", Q(text="paranoia", kinds=["post"])),
    ("facets on everything", Q(limit=0, facets=["kind", "source", "ships_from", "category", "vendor"])),
    ("text + facets", Q(text="pellets", facets=["market", "ships_from", "vendor"])),
    ("ships from NL or DE, opioids", Q(filters={"ships_from": ["NL", "DE"], "category": ["Opioid"]})),
    ("one market, one week", Q(sources=["alpha"], date_from=date(2026, 8, 10), date_to=date(2026, 8, 16))),
    ("trip reports of a substance", Q(text="1p-lsd", kinds=["post"], filters={"is_trip_report": ["true"]})),
    ("deep page", Q(text="stealth", limit=20, offset=2000)),
    ("vendor lookup", Q(filters={"vendor": ["vendor42"]}, facets=["market"])),
    ("trend: substances per week", TrendQuery(by="substance", interval="week")),
    ("trend: ships-from per day, August", TrendQuery(by="ships_from", date_from=AUGUST[0], date_to=AUGUST[1])),
    ("trend: EUR/g of two substances", TrendQuery(by="substance", filters={"substance": ["3-MMC", "2-MMC"]})),
    ("trend: forum mentions per market", TrendQuery(by="source", kinds=["post"], interval="week")),
]


def index_rate(store: Storage, docs: list[dict[str, Any]], batch: int) -> float:
    start = time.perf_counter()
    for first in range(0, len(docs), batch):
        store.write(docs[first : first + batch])
    store.count()  # a cluster refreshes here: documents are searchable when the clock stops
    return len(docs) / (time.perf_counter() - start)


def latencies(store: Storage, reps: int) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, query in QUERIES:
        run: Callable[[], Any] = partial(store.search if isinstance(query, SearchQuery) else store.trend, query)  # type: ignore[attr-defined]
        run()  # warm-up
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        out[name] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(_p95(times), 2)}
    return out


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def overall(per_query: dict[str, dict[str, float]]) -> dict[str, float]:
    p50s = [v["p50_ms"] for v in per_query.values()]
    p95s = [v["p95_ms"] for v in per_query.values()]
    return {"median_of_p50_ms": round(statistics.median(p50s), 2), "max_p95_ms": round(max(p95s), 2)}


def embedded_run(docs: list[dict[str, Any]], batch: int, reps: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work, SqliteStorage(Path(work) / "bench.sqlite3") as store:
        out: dict[str, Any] = {"documents": len(docs), "docs_per_s": round(index_rate(store, docs, batch))}
        per_query = latencies(store, reps)
    return out | {"latency": overall(per_query), "per_query": per_query}


def osmem_run(docs: list[dict[str, Any]], batch: int, reps: int) -> dict[str, Any]:
    with OsmemServer.start(japanese=False) as server:
        store = ClusterStorage(parse_target(f"opensearch+{server.url}?prefix=bench"))
        out: dict[str, Any] = {"documents": len(docs), "docs_per_s": round(index_rate(store, docs, batch)),
                               "server": f"osmem-server (OpenSearch API {server.version})"}  # fmt: skip
        per_query = latencies(store, reps)
        store.close()
        if server.process.stdout is not None:
            server.process.stdout.close()
    return out | {"latency": overall(per_query), "per_query": per_query}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents for the embedded store")
    same_help = "the first N of the same documents, into osmem and again into the embedded store"
    parser.add_argument("--cluster-docs", type=int, default=10_000, help=same_help)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    docs = list(generate(args.docs, seed=2026))
    machine = f"{platform.machine()}, {_cpus()} CPU(s), Python {platform.python_version()}"
    results: dict[str, Any] = {"batch": args.batch, "reps": args.reps, "queries": len(QUERIES), "machine": machine}
    results["embedded_full"] = embedded_run(docs, args.batch, args.reps)
    same = docs[: args.cluster_docs]
    results["same_documents"] = {"embedded": embedded_run(same, args.batch, args.reps),
                                 "osmem": osmem_run(same, args.batch, args.reps)}  # fmt: skip
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    runs = [("embedded", results["embedded_full"]), *results["same_documents"].items()]
    for label, r in runs:
        latency = r["latency"]
        print(f"{label}: {r['documents']} documents, {r['docs_per_s']} docs/s bulk indexing; 20 queries: "
              f"median p50 {latency['median_of_p50_ms']} ms, worst p95 {latency['max_p95_ms']} ms")  # fmt: skip
    print(f"(batches of {args.batch}, {args.reps} runs per query, {results['seconds']} s in all)")


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
