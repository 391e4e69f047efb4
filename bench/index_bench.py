"""Index benchmark: bulk indexing and analyst query latency, embedded store vs osmem-server.

Both backends get the same ``--docs`` generated documents (default 100,000: listings and forum posts in four
languages, ``tests/storage/contract/generated.py``, deterministic), written through the ``Storage``
interface in batches of ``--batch``; then 20 representative analyst queries (searches, facets, date
ranges, trends) run ``--reps`` times each on both.  Writes ``bench/results/index.json`` and prints the
lines for ``docs/benchmarks.md``; progress goes to stderr every 10,000 documents.

For osmem the run also records where the write time goes (bulk requests, the real-time ``mget`` that plans
each chunk, the rest: planning and serialising in Python), the server's peak memory and the machine's load
average, so a slow run can be told apart from a slow backend.

osmem-server is an in-memory test double of the OpenSearch API (a Go process, no JVM): its numbers say how
the cluster backend's code path performs (planning, bulk, query building), not how Elasticsearch or
OpenSearch perform.  It is not a performance stand-in for a real cluster.
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
from collections.abc import Callable
from datetime import date
from functools import partial
from itertools import pairwise
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
SCALING = ROOT / "bench" / "results" / "index_scaling.json"
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


def index_rate(store: Storage, docs: list[dict[str, Any]], batch: int, label: str) -> float:
    start = time.perf_counter()
    for first in range(0, len(docs), batch):
        store.write(docs[first : first + batch])
        done = first + batch
        if done % 10_000 == 0 or done >= len(docs):
            rate = done / (time.perf_counter() - start)
            _progress(f"{label}: {min(done, len(docs))} documents written, {rate:.0f} docs/s so far")
    store.count()  # a cluster refreshes here: documents are searchable when the clock stops
    return len(docs) / (time.perf_counter() - start)


def latencies(store: Storage, reps: int, label: str) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, query in QUERIES:
        run: Callable[[], Any] = partial(store.search if isinstance(query, SearchQuery) else store.trend, query)  # type: ignore[attr-defined]
        start = time.perf_counter()
        run()  # warm-up: its time is kept apart (the embedded store reads what trends need on the first one)
        first = (time.perf_counter() - start) * 1000
        times, cpu = [], []
        for _ in range(reps):
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        # CPU time beside wall time: on a shared machine the wall time also counts the neighbours' turns
        out[name] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(_p95(times), 2),
                     "p95_cpu_ms": round(_p95(cpu), 2), "first_ms": round(first, 2)}  # fmt: skip
    _progress(f"{label}: {len(QUERIES)} queries x {reps} done")
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
        load = _load()
        out: dict[str, Any] = {"documents": len(docs), "docs_per_s": round(index_rate(store, docs, batch, "embedded"))}
        per_query = latencies(store, reps, "embedded")
    return out | {"load_average": [load, _load()], "latency": overall(per_query), "per_query": per_query}


class _Timed:
    """Wraps a cluster client and adds up the seconds spent in each call (where the write time goes)."""

    def __init__(self, client: Any) -> None:
        self.client, self.seconds = client, dict.fromkeys(("bulk", "mget", "refresh"), 0.0)

    def __getattr__(self, name: str) -> Any:
        call = getattr(self.client, name)
        if name not in self.seconds:
            return call

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - start

        return timed


def osmem_run(docs: list[dict[str, Any]], batch: int, reps: int) -> dict[str, Any]:
    with OsmemServer.start(japanese=False) as server:
        store = ClusterStorage(parse_target(f"opensearch+{server.url}?prefix=bench"))
        timed = store.client = _Timed(store.client)
        load = _load()
        started = time.perf_counter()
        rate = index_rate(store, docs, batch, "osmem")
        write_s = time.perf_counter() - started
        spent = {f"{name}_s": round(seconds, 1) for name, seconds in timed.seconds.items()}
        spent["python_s"] = round(write_s - sum(timed.seconds.values()), 1)  # planning, serialising, the rest
        out: dict[str, Any] = {
            "documents": len(docs),
            "docs_per_s": round(rate),
            "server": f"osmem-server {_osmem_version()} (OpenSearch API {server.version})",
            "bulk_actions_per_document": 2,  # the document and its observation of the day
            "write_seconds": {"total_s": round(write_s, 1), **spent},
            "server_peak_rss_mib": _peak_rss_mib(server.pid),
        }
        per_query = latencies(store, reps, "osmem")
        out["load_average"] = [load, _load()]
        store.close()
        if server.process.stdout is not None:
            server.process.stdout.close()
    return out | {"latency": overall(per_query), "per_query": per_query}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents written to each backend")
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    only_help = "run one backend and merge its row into --out (a run of the same --docs/--batch/--reps)"
    parser.add_argument("--only", choices=RUNS, help=only_help)
    scaling_help = f"the embedded store at --docs/8, /4, /2 and --docs: p95 per query and its growth per doubling " \
                   f"(writes {SCALING.relative_to(ROOT)})"  # fmt: skip
    parser.add_argument("--scaling", action="store_true", help=scaling_help)
    args = parser.parse_args()
    docs = list(generate(args.docs, seed=2026))
    if args.scaling:
        scaling(docs, args.batch, args.reps)
        return
    machine = f"{platform.machine()}, {_cpus()} CPU(s), Python {platform.python_version()}"
    setup = {"documents": args.docs, "batch": args.batch, "reps": args.reps, "queries": len(QUERIES)}
    setup["machine"] = machine
    results: dict[str, Any] = dict(setup)
    if args.only and args.out.exists():
        earlier = json.loads(args.out.read_text(encoding="utf-8"))
        if all(earlier.get(key) == value for key, value in setup.items()):
            results = earlier
    for label in [args.only] if args.only else list(RUNS):
        started = time.perf_counter()
        results[label] = RUNS[label](docs, args.batch, args.reps)
        results[label]["seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for label in [name for name in RUNS if name in results]:
        r = results[label]
        latency = r["latency"]
        print(f"{label}: {r['documents']} documents, {r['docs_per_s']} docs/s bulk indexing; 20 queries: "
              f"median p50 {latency['median_of_p50_ms']} ms, worst p95 {latency['max_p95_ms']} ms")  # fmt: skip
    print(f"(batches of {args.batch}, {args.reps} runs per query)")


def scaling(docs: list[dict[str, Any]], batch: int, reps: int) -> None:
    """The embedded store at 1/8, 1/4, 1/2 and all of ``docs`` (the first N: the same distribution): each
    query's p95 at each size, and how much it grows when the documents double (1.0: flat, 2.0: linear)."""
    sizes = [len(docs) // 8, len(docs) // 4, len(docs) // 2, len(docs)]
    runs = {size: embedded_run(docs[:size], batch, reps) for size in sizes}
    per_query: dict[str, Any] = {}
    for name, _ in QUERIES:
        p95 = [runs[size]["per_query"][name]["p95_ms"] for size in sizes]
        growth = [round(later / max(earlier, 0.01), 2) for earlier, later in pairwise(p95)]
        first = [runs[size]["per_query"][name]["first_ms"] for size in sizes]
        cpu = [runs[size]["per_query"][name]["p95_cpu_ms"] for size in sizes]
        per_query[name] = {"p95_ms": p95, "growth_per_doubling": growth, "p95_cpu_ms": cpu, "first_ms": first}
    machine = f"{platform.machine()}, {_cpus()} CPU(s), Python {platform.python_version()}"
    out = {"sizes": sizes, "batch": batch, "reps": reps, "machine": machine, "per_query": per_query,
           "worst_p95_ms": [runs[size]["latency"]["max_p95_ms"] for size in sizes],
           "load_average": [runs[size]["load_average"] for size in sizes]}  # fmt: skip
    SCALING.parent.mkdir(parents=True, exist_ok=True)
    SCALING.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"| query | p95 ms at {', '.join(f'{size:,}' for size in sizes)} | growth per doubling | p95 CPU ms | "
          f"first run ms |")  # fmt: skip
    print("| --- | --- | --- | --- | --- |")
    for name, row in per_query.items():
        cells = [" / ".join(str(v) for v in row[key]) for key in ("p95_ms", "growth_per_doubling", "p95_cpu_ms")]
        print(f"| {name} | {' | '.join(cells)} | {row['first_ms'][-1]} |")
    print(f"worst p95: {' / '.join(str(v) for v in out['worst_p95_ms'])} ms")


RUNS: dict[str, Callable[[list[dict[str, Any]], int, int], dict[str, Any]]] = {
    "osmem": osmem_run,
    "embedded": embedded_run,
}


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message} (load {_load()})", file=sys.stderr, flush=True)


def _load() -> float:
    return round(os.getloadavg()[0], 1)


def _peak_rss_mib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    peak = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return round(int(peak) / 1024) if peak else None


def _osmem_version() -> str:
    import osmem_server

    return str(osmem_server.__version__)


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
