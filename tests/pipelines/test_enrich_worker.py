"""Extraction beside the crawl (pipelines.worker): the worker's summaries are in-process extraction's, it outlives
stop signals sent to it, a failed batch is extracted in the crawl's process, and a real crawl stores the same
documents with the worker as without it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import nlp
from demosites.server import DemoSites
from pipelines.enrich import rates_file, rates_table, summarise, tier_quantity
from pipelines.worker import Batches, Done, ExtractionWorker, Job
from storage import open_storage
from storage.base import SearchQuery

pytestmark = pytest.mark.slow  # the worker builds pipelines; the last test crawls twice

ROOT = Path(__file__).resolve().parents[2]
JOBS = [
    Job("3-MMC crystals\nPure 3mmc, 10g for 45 EUR. Ships from NL.", None, "2026-10-05", ("5g", "10 pills")),
    Job("Na 150mg 4-MMC gesnoven, daarna een aanval gehad en in het ziekenhuis beland.", "nl", "2026-10-06"),
    Job(None, None, "2026-10-06", ("1 OZ", "", "250mg")),
    Job("Ketamin 5g 60€, sehr rein", "de", "2026-11-01", ("5g",)),
    Job("3-MMC crystals\nPure 3mmc, 10g for 45 EUR. Ships from NL.", None, "2026-10-05"),
]


def in_process(job: Job) -> Done:
    rates = rates_table(rates_file())
    summary = None
    if job.text is not None:
        summary = summarise(nlp.extract(job.text, job.lang, date=date.fromisoformat(job.day), rates=rates))
    return Done(summary, {label: tier_quantity(label) for label in job.labels})


@pytest.fixture(scope="module")
def worker() -> Any:
    started = ExtractionWorker(True, rates_file())
    started.start()
    yield started
    started.close()


def test_worker_gives_what_in_process_extraction_gives(worker: ExtractionWorker) -> None:
    done = worker.submit(JOBS).result(timeout=120)
    assert done == [in_process(job) for job in JOBS]
    assert done[0].summary is not None and done[0].summary["substance"] == ["3-MMC"]
    assert done[2].summary is None and done[2].quantities["250mg"] == (0.25, None)


def test_worker_outlives_stop_signals_sent_to_it(worker: ExtractionWorker) -> None:
    assert worker.pool is not None
    [pid] = list(worker.pool._processes)  # the one worker process
    os.kill(pid, signal.SIGTERM)
    os.kill(pid, signal.SIGINT)
    assert worker.submit(JOBS[:1]).result(timeout=120) == [in_process(JOBS[0])]
    assert list(worker.pool._processes) == [pid]


def test_worker_dies_with_a_killed_crawl_process() -> None:
    probe = ("import os, signal; from pipelines.enrich import rates_file; from pipelines.worker import "
             "ExtractionWorker; w = ExtractionWorker(True, rates_file()); w.start(); "
             "print(*w.pool._processes, flush=True); os.kill(os.getpid(), signal.SIGKILL)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL
    pid = int(done.stdout.split()[0])
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists():
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists(), f"the worker {pid} outlived its killed parent"


def test_batch_of_a_failed_worker_is_extracted_in_the_crawl_process(worker: ExtractionWorker) -> None:
    failures: list[tuple[int, BaseException]] = []
    results: list[Done | BaseException] = []
    batches = Batches(worker, lambda jobs, exc: failures.append((jobs, exc)))
    failed: Future[list[Done]] = Future()
    failed.set_exception(BrokenProcessPool("the worker was killed"))
    batches._deliver([(job, results.append) for job in JOBS], failed)
    assert results == [in_process(job) for job in JOBS]
    assert [(jobs, type(exc)) for jobs, exc in failures] == [(len(JOBS), BrokenProcessPool)]


def _crawl(sites: DemoSites, tmp: Path, worker: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Two days of one market with extraction, into a new store; its documents and histories, and the reports."""
    env = {**os.environ, **sites.env(), "NPSWATCH_DATA_DIR": str(tmp), "NPSWATCH_ENRICH_WORKER": worker}
    reports = []
    for day in ("2026-10-25", "2026-10-26"):
        cmd = [sys.executable, "-m", "npswatch.cli", "crawl", "nova_market", "--as-of", day, "--db",
               str(tmp / "db.sqlite3"), "--json-report", str(tmp / "report.json"), "--force"]  # fmt: skip
        done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr[-2000:]
        reports += json.loads((tmp / "report.json").read_text())
    store = open_storage(str(tmp / "db.sqlite3"))
    try:
        ids = sorted(hit["id"] for hit in store.scan(SearchQuery()))
        docs = {i: {"doc": store.get(i), "history": [repr(h) for h in store.history(i)]} for i in ids}
    finally:
        store.close()
    # what differs between two crawls of the same pages: the sites' port and the WARC records' ids
    text = re.sub(r"127\.0\.0\.1:\d+|urn:uuid:[0-9a-f-]+", "X", json.dumps(docs, sort_keys=True, default=str))
    return json.loads(text), reports


def test_crawl_stores_the_same_documents_with_the_worker_as_without(tmp_path: Path) -> None:
    with DemoSites(free_ports=True) as sites:
        without, _ = _crawl(sites, tmp_path / "without", "0")
        with_worker, reports = _crawl(sites, tmp_path / "with", "1")
    assert len(with_worker) > 150 and with_worker == without
    counts = [r["npswatch_stats"] for r in reports]
    assert counts[0]["npswatch/enrich/extracted"] > 100 and "npswatch/enrich/worker_failed" not in counts[0]
    assert counts[1]["npswatch/enrich/reused"] > 100
    assert all(r["ok"] and r["cpu_seconds"] > 0 for r in reports)


def test_crawl_extracts_on_its_own_thread_when_the_worker_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from scrapy.utils.test import get_crawler

    from crawlers.items import Post, item_to_document
    from pipelines.enrich import EnrichPipeline

    def no_fork(self: ExtractionWorker) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(ExtractionWorker, "start", no_fork)
    settings = {"NPSWATCH_DB": str(tmp_path / "db.sqlite3"), "NPSWATCH_ENRICH_WORKER": True}
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipe = EnrichPipeline.from_crawler(crawler)
    pipe.open_spider()
    post = Post(source="lowlands_forum", forum="L", board="b", thread_id="1", thread_title="t", post_id="1",
                url="http://f/1", text="Took 150mg of 3-MMC, snorted it.", seen_at="2026-10-05T12:00:00+00:00",
                language_hint="en")  # fmt: skip
    doc = item_to_document(pipe.process_item(post))  # the item itself, not a coroutine: extracted here
    pipe.close_spider()
    assert pipe.worker is None and "3-MMC" in doc["substance"]
    assert any("No extraction worker" in r.getMessage() and "Resource temporarily" in r.getMessage()
               for r in caplog.records)  # fmt: skip
