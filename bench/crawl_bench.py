"""Crawl benchmark: the full pipeline (fetch, parse, WARC, store) against a bare Scrapy fetch.

"Full" is the Foundation pipeline: fetch, parse, WARC, store (extraction off,
``NPSWATCH_ENRICH=0``); the same crawl with extraction on is reported beside it.
Both crawl market A (``nova_market``) as of the last simulated day, served by the demo
sites in their own process.  The bare spider reaches the same pages the same way (the
source file's link rules) and does nothing else; a second floor is handed every URL the
full crawl fetched at once (no discovery), reported as ``url_list_*``.  Each side runs
``--runs`` times (default 3); the median pages/s is kept.
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
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demosites.server import env_var  # noqa: E402
from demosites.timeline import END  # noqa: E402
from npswatch.demo import demo_sites_process  # noqa: E402

SITE = "nova_market"


def full_run(url: str, work: Path, extraction: bool) -> tuple[float, float, list[str]]:
    env = {
        **os.environ,
        env_var(SITE): url,
        "NPSWATCH_DATA_DIR": str(work),
        "NPSWATCH_ENRICH": "1" if extraction else "0",
    }
    report_file = work / "report.json"
    cmd = [sys.executable, "-m", "npswatch.cli", "crawl", SITE, "--as-of", END.isoformat(),
           "--db", str(work / "db.sqlite3"), "--json-report", str(report_file)]  # fmt: skip
    subprocess.run(cmd, env=env, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    [report] = json.loads(report_file.read_text())
    urls = []
    for warc in sorted((work / "warc").rglob("*.warc.gz")):
        with gzip.open(warc, "rb") as stream:
            urls += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream)
                     if r.rec_type == "response"]  # fmt: skip
    return report["pages"] / report["elapsed_seconds"], report["pages"] / report["cpu_seconds"], urls


def bare_run(args: list[str]) -> tuple[float, float]:
    """Pages/s (wall) and pages per CPU-second of the bare spider run with these arguments."""
    headers = json.dumps({"X-Npswatch-As-Of": END.isoformat()})
    cmd = [sys.executable, str(ROOT / "bench" / "bare_spider.py"), *args, "8", headers]
    result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout)
    pages = float(result["pages"])
    return pages / float(result["seconds"]), pages / float(result["cpu_seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "crawl.json")
    args = parser.parse_args()
    runs: dict[str, list[float]] = {k: [] for k in ("full", "full_cpu", "bare", "bare_cpu", "list", "list_cpu", "nlp")}
    pages = 0
    with demo_sites_process([SITE]) as urls:
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                rate, cpu_rate, fetched = full_run(urls[SITE], Path(tmp), extraction=False)
                runs["full"].append(rate)
                runs["full_cpu"].append(cpu_rate)
                pages = len(fetched)
                url_file = Path(tmp) / "urls.txt"
                url_file.write_text("\n".join(fetched), encoding="utf-8")
                for name, bare_args in (
                    ("bare", ["discover", SITE, urls[SITE] + "/"]),
                    ("list", ["list", str(url_file)]),
                ):
                    rate, cpu_rate = bare_run(bare_args)
                    runs[name].append(rate)
                    runs[f"{name}_cpu"].append(cpu_rate)
            with tempfile.TemporaryDirectory() as tmp:
                runs["nlp"].append(full_run(urls[SITE], Path(tmp), extraction=True)[0])
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f}" for k, v in runs.items()), file=sys.stderr)
    med = {k: statistics.median(v) for k, v in runs.items()}
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
        "runs": args.runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
