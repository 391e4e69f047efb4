"""Crawl benchmark: the full pipeline (fetch, parse, WARC, store) against a bare Scrapy fetch.

"Full" is the Foundation pipeline: fetch, parse, WARC, store (extraction off,
``NPSWATCH_ENRICH=0``); the same crawl with extraction on is reported beside it.
Both crawl market A (``nova_market``), served by the demo sites (no faults) in their own
process.  A 220-page crawl lasts 1-3 s, too short for a steady wall-clock figure, so each
run crawls the last ``--days`` simulated days (default 5) one after another, as the
scheduler would: one ``npswatch crawl --as-of DAY`` process per day, into one store.
The bare spider reaches the same pages of the same day the same way (the source file's
link rules) and does nothing else; a second floor is handed every URL the full crawl
fetched that day at once (no discovery), reported as ``url_list_*``.  Each side alternates
with the others day by day, so a change in the machine's load falls on all of them.

A run's pages/s is its pages summed over the days divided by its crawl seconds (spider
open to close) summed over the days; pages per CPU-second likewise.  Each side runs
``--runs`` times (default 3); the median is kept.
Writes ``bench/results/crawl.json`` and prints one line for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demosites.demo import demo_sites_process  # noqa: E402
from demosites.server import env_var  # noqa: E402
from demosites.timeline import END, FAULTS_ENV  # noqa: E402

SITE = "nova_market"
SIDES = ("full", "bare", "list", "nlp")


@dataclass
class Tally:
    """Pages, crawl seconds and CPU seconds summed over the days of one run."""

    pages: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def add(self, pages: int, seconds: float, cpu_seconds: float) -> None:
        self.pages += pages
        self.seconds += seconds
        self.cpu_seconds += cpu_seconds


def full_run(url: str, work: Path, day: date, extraction: bool, tally: Tally) -> list[str]:
    """Crawl one day with ``npswatch crawl`` into ``work`` (store and WARC); return the URLs it fetched."""
    env = {
        **os.environ,
        env_var(SITE): url,
        "NPSWATCH_DATA_DIR": str(work),
        "NPSWATCH_ENRICH": "1" if extraction else "0",
    }
    report_file = work / "report.json"
    warc_dir = work / "warc" / SITE
    before = set(warc_dir.glob("*.warc.gz")) if warc_dir.exists() else set()
    cmd = [sys.executable, "-m", "npswatch.cli", "crawl", SITE, "--as-of", day.isoformat(),
           "--db", str(work / "db.sqlite3"), "--json-report", str(report_file), "--force"]  # fmt: skip
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"npswatch crawl as of {day} (extraction {'on' if extraction else 'off'}) exited with "
                         f"{done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")  # fmt: skip
    [report] = json.loads(report_file.read_text())
    tally.add(report["pages"], report["elapsed_seconds"], report["cpu_seconds"])
    urls = []
    for warc in sorted(set(warc_dir.glob("*.warc.gz")) - before):
        with gzip.open(warc, "rb") as stream:
            urls += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)
                     if r.rec_type == "response"]  # fmt: skip
    return urls


def bare_run(args: list[str], day: date, tally: Tally) -> None:
    """Run the bare spider with these arguments for one day."""
    headers = json.dumps({"X-Npswatch-As-Of": day.isoformat()})
    cmd = [sys.executable, str(ROOT / "bench" / "bare_spider.py"), *args, "8", headers]
    result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout)
    tally.add(int(result["pages"]), float(result["seconds"]), float(result["cpu_seconds"]))


def one_run(url: str, days: list[date]) -> dict[str, Tally]:
    """Every side over every day, day by day; the full crawls of a run share one store, as in production."""
    tallies = {side: Tally() for side in SIDES}
    with tempfile.TemporaryDirectory() as full_tmp, tempfile.TemporaryDirectory() as nlp_tmp:
        for day in days:
            fetched = full_run(url, Path(full_tmp), day, extraction=False, tally=tallies["full"])
            url_file = Path(full_tmp) / "urls.txt"
            url_file.write_text("\n".join(fetched), encoding="utf-8")
            bare_run(["discover", SITE, url + "/"], day, tallies["bare"])
            bare_run(["list", str(url_file)], day, tallies["list"])
            full_run(url, Path(nlp_tmp), day, extraction=True, tally=tallies["nlp"])
    return tallies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--days", type=int, default=5, help="simulated days crawled one after another per run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "crawl.json")
    args = parser.parse_args()
    days = [END - timedelta(days=n) for n in reversed(range(args.days))]
    rates: dict[str, list[float]] = {k: [] for k in (*SIDES, "full_cpu", "bare_cpu")}
    pages = 0
    os.environ[FAULTS_ENV] = ""  # the plain timeline: no outage or wall on any day
    with demo_sites_process([SITE]) as urls:
        for run in range(args.runs):
            tallies = one_run(urls[SITE], days)
            for side, tally in tallies.items():
                rates[side].append(tally.pages / tally.seconds)
            for side in ("full", "bare"):
                rates[f"{side}_cpu"].append(tallies[side].pages / tallies[side].cpu_seconds)
            pages = tallies["full"].pages
            if tallies["bare"].pages + len(days) < pages:  # the full crawl also fetches robots.txt each day
                raise SystemExit(f"the bare spider fetched {tallies['bare'].pages} pages, the full crawl {pages}")
            print(f"run {run + 1}: {pages} pages over {len(days)} days; pages/s "
                  + ", ".join(f"{k} {v[-1]:.1f}" for k, v in rates.items()), file=sys.stderr)  # fmt: skip
    med = {k: statistics.median(v) for k, v in rates.items()}
    result = {
        "full_pages_per_s": round(med["full"], 1),
        "bare_pages_per_s": round(med["bare"], 1),
        "ratio": round(med["full"] / med["bare"], 3),
        "full_pages_per_cpu_s": round(med["full_cpu"], 1),
        "bare_pages_per_cpu_s": round(med["bare_cpu"], 1),
        "cpu_ratio": round(med["full_cpu"] / med["bare_cpu"], 3),
        "url_list_bare_pages_per_s": round(med["list"], 1),
        "url_list_ratio": round(med["full"] / med["list"], 3),
        "with_extraction_pages_per_s": round(med["nlp"], 1),
        "with_extraction_ratio": round(med["nlp"] / med["bare"], 3),
        "pages": pages,
        "days": [days[0].isoformat(), days[-1].isoformat()],
        "runs": args.runs,
        "ratio_per_run": [round(f / b, 3) for f, b in zip(rates["full"], rates["bare"], strict=True)],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
