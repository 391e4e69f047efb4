"""Extraction beside the crawl: one forked worker process extracts batches of texts while the crawl goes on fetching.

Without it the enrich pipeline extracted on the reactor's thread, one item at a time, so fetching stopped while a
text was extracted, and for as long as each language's pipeline took to build at its first text (0.3-0.6 s of CPU
per language, in every crawl: each crawl is a new process). With it, the items that need extraction (a text neither
extracted in this process nor stored with the same ``text_hash``, or price tiers whose quantity is not known yet)
wait while the rest of the crawl goes on: the items of one turn of the reactor are sent to the worker as one batch
(``nlp.extract_many``), and each item goes on to the store when its batch is back, with the same summary as
in-process extraction would give it (``run_jobs``).

The worker is forked when the spider opens, after ``nlp.api`` is imported, so it starts with spaCy loaded; its CPU
time is the crawl's too (it is joined at close, so the crawl report counts it, see ``crawlers.run``). It ignores
SIGINT and SIGTERM: stopping is the crawl's decision, which waits for the items in flight (a second signal stops at
once, as without the worker); it is killed when the crawl's process dies. If the worker fails (killed, out of
memory), its batches are extracted in the crawl's process instead (``npswatch/enrich/worker_failed`` counts them):
no item is lost.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

logger = logging.getLogger(__name__)
BATCH_SIZE = 256  # the most jobs in one batch (nlp.extract_many's batch)
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal the process gets when its parent dies
Quantity = tuple[float | None, float | None]


class Job(NamedTuple):
    """What one item needs: its text extracted (None: not needed) and the quantities of these tier labels."""

    text: str | None
    lang: str | None
    day: str  # ISO date the item was seen: the rates' day
    labels: tuple[str, ...] = ()


class Done(NamedTuple):
    summary: dict[str, Any] | None  # pipelines.enrich.summarise of the text (without text_hash); None: no text
    quantities: dict[str, Quantity]  # tier label -> pipelines.enrich.tier_quantity


def run_jobs(jobs: list[Job], recogniser: bool, rates_path: str) -> list[Done]:
    """The jobs done, in order: exactly what ``pipelines.enrich`` computes in-process for the same items."""
    import nlp
    from pipelines.enrich import rates_table, summarise, tier_quantity

    rates = rates_table(Path(rates_path))
    records = [nlp.Record(job.text, n, job.lang, date.fromisoformat(job.day))
               for n, job in enumerate(jobs) if job.text is not None]  # fmt: skip
    summaries = {e.id: summarise(e) for e in nlp.extract_many(records, rates=rates, recogniser=recogniser)}
    return [Done(summaries.get(n), {label: tier_quantity(label) for label in job.labels}) for n, job in enumerate(jobs)]


def _reactor() -> Any:
    from twisted.internet import reactor

    return reactor


def _worker_started(parent: int) -> None:
    """In the worker: ignore stop signals (the crawl decides), and die with the crawl's process: a crawl killed at
    once (SIGKILL) must not leave its worker behind (forked, it holds both ends of its job pipe, so it would wait
    for jobs forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker then ends with the crawl's process only when it exits
        logger.debug("no PR_SET_PDEATHSIG here: the extraction worker is not killed with a killed crawl")
    if os.getppid() != parent:  # the crawl died before the line above
        os._exit(1)


def _ready() -> bool:
    return True


class ExtractionWorker:
    """One worker process (forked at ``start``) running :func:`run_jobs` on batches; ``close`` waits for it."""

    def __init__(self, recogniser: bool, rates_path: Path) -> None:
        self.recogniser = recogniser
        self.rates_path = str(rates_path)
        self.pool: ProcessPoolExecutor | None = None

    @staticmethod
    def available() -> bool:
        return "fork" in multiprocessing.get_all_start_methods()

    def start(self) -> None:
        """Fork the worker now (while the crawl has no threads of its own yet), not at the first batch."""
        context = multiprocessing.get_context("fork")
        self.pool = ProcessPoolExecutor(1, mp_context=context, initializer=_worker_started, initargs=(os.getpid(),))
        self.pool.submit(_ready).result(timeout=60)

    def submit(self, jobs: list[Job]) -> Future[list[Done]]:
        if self.pool is None:
            raise RuntimeError("ExtractionWorker.start() forks the worker: call it before submit()")
        return self.pool.submit(run_jobs, jobs, self.recogniser, self.rates_path)

    def run_here(self, jobs: list[Job]) -> list[Done]:
        """The jobs done in this process (when the worker failed)."""
        return run_jobs(jobs, self.recogniser, self.rates_path)

    def close(self) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            pool.shutdown(wait=True)


class Batches:
    """Gathers the jobs of one turn of the reactor into a batch for the worker and hands each job's result to its
    callback on the reactor's thread, in order. Failed batches are done in this process (counted by ``on_failure``).
    """

    def __init__(self, worker: ExtractionWorker, on_failure: Callable[[int, BaseException], None]) -> None:
        self.worker = worker
        self.on_failure = on_failure
        self.pending: list[tuple[Job, Callable[[Done | BaseException], None]]] = []

    def add(self, job: Job, callback: Callable[[Done | BaseException], None]) -> None:
        self.pending.append((job, callback))
        if len(self.pending) >= BATCH_SIZE:
            self.send()
        elif len(self.pending) == 1:
            _reactor().callLater(0, self.send)

    def send(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        future = self.worker.submit([job for job, _ in batch])
        reactor = _reactor()
        future.add_done_callback(lambda done: reactor.callFromThread(self._deliver, batch, done))

    def _deliver(self, batch: list[tuple[Job, Callable[[Done | BaseException], None]]], future: Future[Any]) -> None:
        jobs = [job for job, _ in batch]
        results: list[Done | BaseException]
        try:
            results = list(future.result())
        except Exception as exc:  # the worker died or failed: this process does the batch
            self.on_failure(len(jobs), exc)
            try:
                results = list(self.worker.run_here(jobs))
            except Exception as here:  # the items fail as they would without the worker (counted by the store)
                results = [here] * len(jobs)
        for (_, callback), result in zip(batch, results, strict=True):
            callback(result)
