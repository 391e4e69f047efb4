"""Running crawls from Python: one or many sources, one after another, in one reactor, and their reports.

Scrapy's reactor cannot be restarted in a process, so ``run_crawls`` is called once
per process: ``npswatch crawl`` does exactly that (through ``crawl_sources``), and the scheduler runs each crawl in
its own process, ``python -m crawlers.run SOURCE --resume --json-report FILE --force`` (``main``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from scrapy import signals as scrapy_signals
from scrapy.crawler import AsyncCrawlerRunner, Crawler
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.log import configure_logging
from scrapy.utils.ossignal import install_shutdown_handlers
from scrapy.utils.reactor import install_reactor

from crawlers.config import Source, SourceError, find_source
from crawlers.delivery import DEAD_LETTER_FILES, DELIVERY, WRITE_ERRORS, flush_store
from crawlers.sessions import SessionError, check_cookies_file
from crawlers.settings import project_settings, source_settings
from crawlers.spiders import SPIDERS
from storage.outputs import OutputError, check_target, staged_file, store_paths
from storage.private import private_dirs

logger = logging.getLogger(__name__)
_err = Console(stderr=True, highlight=False, soft_wrap=True)
REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


@dataclass(frozen=True)
class CrawlJob:
    source: Source
    as_of: str | None = None
    jobdir: Path | None = None  # Scrapy JOBDIR: an interrupted crawl resumes from here

    @staticmethod
    def default_jobdir(data_dir: Path, source: Source, as_of: str | None) -> Path:
        return data_dir / "jobs" / source.name / (as_of or "live")


@dataclass
class CrawlReport:
    """What one crawl did, read from its stats."""

    source: str
    as_of: str | None
    seconds: float
    pages: int
    items: dict[str, int]
    store: dict[str, int]
    dropped: dict[str, int]
    errors: dict[str, int]
    refused: dict[str, int]
    http_status: dict[str, int]
    finish_reason: str
    walls: dict[str, int] = field(default_factory=dict)  # DDoS queues, captchas, login walls met
    robots_status: dict[str, int] = field(default_factory=dict)  # robots.txt answers, also counted in http_status
    # What became of the items that reached the store: stored, dead_lettered (kept in the dead-letter file,
    # recoverable with `npswatch index replay`) and lost (neither); every item is in exactly one.
    delivery: dict[str, int] = field(default_factory=dict)
    write_errors: dict[str, int] = field(default_factory=dict)  # documents a write failed for: store, dead_letter
    dead_letter_files: dict[str, int] = field(default_factory=dict)  # path -> documents this crawl kept there
    stats: dict[str, Any] = field(repr=False, default_factory=dict)
    cpu_seconds: float | None = None

    @property
    def ok(self) -> bool:
        """A crawl failed when the site could not be reached, answered no page with success, stopped early, raised
        in a parser, or did not store every item it read (kept aside or lost, or any write failed)."""
        successes = sum(n for status, n in self.http_status.items() if status.startswith("2"))
        stored_all = not self.delivery.get("dead_lettered") and not self.delivery.get("lost") and not self.write_errors
        return successes > 0 and not self.errors and self.finish_reason == "finished" and stored_all

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "stats"}
        data["ok"] = self.ok
        data["elapsed_seconds"] = float(self.stats.get("elapsed_time_seconds", self.seconds))
        return data

    def health_json(self) -> dict[str, Any]:
        """``to_json`` plus npswatch's own counters (pages per type, fields filled, walls): what the source-health
        checks read (``health.checks``), as ``npswatch crawl --json-report`` writes it."""
        own = {k: v for k, v in sorted(self.stats.items()) if k.startswith("npswatch/")}
        return {**self.to_json(), "npswatch_stats": own}

    @classmethod
    def from_stats(cls, job: CrawlJob, stats: dict[str, Any], seconds: float) -> CrawlReport:
        def group(prefix: str) -> dict[str, int]:
            return {k.removeprefix(prefix): int(v) for k, v in sorted(stats.items()) if k.startswith(prefix)}

        errors = group("npswatch/errors/")
        errors.pop("HttpError", None)  # HTTP error statuses are reported in http_status instead
        errors.update({f"parser/{k}": v for k, v in group("spider_exceptions/").items() if k != "count"})
        refused = group("npswatch/refused/")
        refused.update({f"tor_{k}": v for k, v in group("npswatch/tor/refused/").items()})
        if stats.get("robotstxt/forbidden"):
            refused["robots_txt"] = int(stats["robotstxt/forbidden"])
        return cls(
            source=job.source.name,
            as_of=job.as_of,
            seconds=seconds,
            pages=int(stats.get("response_received_count", 0)),
            items=group("npswatch/items/"),
            store=group("npswatch/store/"),
            dropped={k: int(v) for k, v in sorted(stats.items()) if k.startswith(("drop/", "field_"))},
            errors=errors,
            refused=refused,
            walls=group("npswatch/walls/"),
            robots_status=group("robotstxt/response_status_count/"),
            http_status=group("downloader/response_status_count/"),
            finish_reason=str(stats.get("finish_reason", "not started")),
            delivery=delivery(stats, sum(group("npswatch/items/").values())),
            write_errors={k: v for k, v in group(WRITE_ERRORS).items() if v},
            dead_letter_files=dict(stats.get(DEAD_LETTER_FILES) or {}),
            stats=stats,
        )


def delivery(stats: dict[str, Any], items: int) -> dict[str, int]:
    """``stored``, ``dead_lettered`` and ``lost`` of the ``items`` that reached the store pipeline, plus the items a
    pipeline raised on before it (lost too).  An item counted in none of them (a buffer never written: the crawl
    was stopped at once) is lost."""
    counted = {name: int(stats.get(f"{DELIVERY}{name}", 0)) for name in ("stored", "dead_lettered", "lost")}
    unaccounted = max(0, items - sum(counted.values()))
    counted["lost"] += unaccounted + int(stats.get(f"{DELIVERY}failed", 0))
    return counted


def crawl_settings(job: CrawlJob, overrides: dict[str, Any] | None = None) -> Settings:
    settings: Settings = project_settings()
    settings.update(source_settings(job.source, job.as_of), priority="spider")
    settings.update(overrides or {}, priority="cmdline")
    if job.jobdir is not None:
        settings.set("JOBDIR", str(job.jobdir), priority="cmdline")
    return settings


def _groups(jobs: Sequence[CrawlJob], parallel: bool) -> list[list[CrawlJob]]:
    """Jobs to run together: runs of the same day when parallel, else one at a time."""
    groups: list[list[CrawlJob]] = []
    for job in jobs:
        if parallel and groups and groups[-1][0].as_of == job.as_of:
            groups[-1].append(job)
        else:
            groups.append([job])
    return groups


def run_crawls(
    jobs: Sequence[CrawlJob],
    overrides: dict[str, Any] | None = None,
    on_done: Callable[[CrawlReport], None] | None = None,
    log_level: str = "WARNING",
    parallel: bool = False,
) -> list[CrawlReport]:
    """Crawl the jobs; return one report per job that ran, in job order.  Call once per process.

    With ``parallel``, consecutive jobs of the same simulated day run at the same time
    (different sources); days still run one after another, so observations keep their order.
    SIGINT or SIGTERM stops the running crawls gracefully (items in flight are stored, a
    crawl with a jobdir can resume) and starts no further job; a second signal stops at once.
    """
    install_reactor(REACTOR)
    configure_logging({"LOG_LEVEL": log_level, "LOG_INSTALL_ROOT_HANDLER": True})
    for name in ("scrapy", "spacy"):  # spaCy logs pipeline set-up at INFO/DEBUG through its own handler
        logging.getLogger(name).setLevel(log_level)
    return _Session(overrides, on_done).run(_groups(jobs, parallel))


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that ended (the extraction worker)."""
    times = os.times()
    return time.process_time() + times.children_user + times.children_system


class _Session:
    """One reactor run over groups of crawl jobs, with graceful shutdown on SIGINT or SIGTERM."""

    def __init__(self, overrides: dict[str, Any] | None, on_done: Callable[[CrawlReport], None] | None) -> None:
        self.overrides = overrides
        self.on_done = on_done
        self.reports: list[CrawlReport] = []
        self.active: list[Crawler] = []
        self.stopping = False

    def run(self, groups: list[list[CrawlJob]]) -> list[CrawlReport]:
        from twisted.internet import reactor as _reactor
        from twisted.python.failure import Failure

        reactor: Any = _reactor

        failure: list[BaseException] = []

        def finish(result: Any) -> None:
            if isinstance(result, Failure):
                failure.append(result.value or RuntimeError(str(result)))
            if reactor.running:
                reactor.stop()

        install_shutdown_handlers(self._graceful)
        reactor.callWhenRunning(lambda: deferred_from_coro(self._crawl_all(groups)).addBoth(finish))
        reactor.run(installSignalHandlers=False)
        if failure:
            raise failure[0]
        return self.reports

    async def _crawl_all(self, groups: list[list[CrawlJob]]) -> None:
        for group in groups:
            if self.stopping:
                break
            self.reports.extend(await asyncio.gather(*(self._crawl_one(job) for job in group)))

    async def _crawl_one(self, job: CrawlJob) -> CrawlReport:
        if job.jobdir is not None:
            private_dirs(job.jobdir)  # owner-only, before Scrapy makes it with the umask's mode
        settings = crawl_settings(job, self.overrides)
        crawler = Crawler(SPIDERS[job.source.template], settings)
        started = time.monotonic()
        cpu: dict[str, float] = {}
        crawler.signals.connect(
            lambda: cpu.setdefault("open", _cpu_seconds()), signal=scrapy_signals.spider_opened, weak=False
        )
        crawler.signals.connect(
            lambda: cpu.setdefault("close", _cpu_seconds()), signal=scrapy_signals.spider_closed, weak=False
        )
        self.active.append(crawler)
        try:
            await AsyncCrawlerRunner(settings).crawl(crawler, source=job.source, as_of=job.as_of)
        finally:
            self.active.remove(crawler)
        stats = crawler.stats.get_stats() if crawler.stats else {}
        report = CrawlReport.from_stats(job, stats, time.monotonic() - started)
        if "open" in cpu and "close" in cpu:  # spider open to close, like elapsed_time_seconds; whole process and
            # the extraction worker (pipelines.worker, joined before the spider closes)
            report.cpu_seconds = cpu["close"] - cpu["open"]
        if job.jobdir is not None and report.finish_reason == "finished":
            shutil.rmtree(job.jobdir, ignore_errors=True)  # done: the next crawl starts afresh
        if self.on_done is not None:
            self.on_done(report)
        return report

    def _graceful(self, signum: int, _: Any) -> None:
        from twisted.internet import reactor as _reactor

        reactor: Any = _reactor
        install_shutdown_handlers(self._kill)
        self.stopping = True
        reactor.callFromThread(self._stop_active)

    def _stop_active(self) -> None:
        logger.warning("Stopping: finishing what is in flight (send the signal again to stop at once)")
        self._flush_active()  # what is read so far is stored now, in case the stop never completes
        for crawler in list(self.active):
            deferred_from_coro(crawler.stop_async())

    def _flush_active(self) -> None:
        for crawler in list(self.active):
            crawler.signals.send_catch_log(signal=flush_store)

    def _kill(self, signum: int, _: Any) -> None:
        from twisted.internet import reactor as _reactor

        reactor: Any = _reactor

        def stop() -> None:
            self._flush_active()
            reactor.stop()

        reactor.callFromThread(stop)


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def print_report(report: CrawlReport, console: Console = _err) -> None:
    """A crawl's summary: pages, items, what the store did, drops, refusals and errors."""
    status = "[green]ok[/green]" if report.ok else "[red]FAILED[/red]"
    day = f" as of {report.as_of}" if report.as_of else ""
    console.print(f"{status} {escape(report.source)}{day}: {report.pages} pages in {report.seconds:.1f}s")
    console.print(f"  items: {_pairs(report.items)}; store: {_pairs(report.store)}")
    if report.dropped:
        console.print(f"  dropped or incomplete: {escape(_pairs(report.dropped))}")
    if report.refused:
        console.print(f"  refused requests: {_pairs(report.refused)}")
    if report.walls:
        console.print(f"  [yellow]walls (not parsed): {_pairs(report.walls)}[/yellow]")
    bad_status = {k: v for k, v in report.http_status.items() if not k.startswith(("2", "3"))}
    if bad_status:
        console.print(f"  HTTP errors: {_pairs(bad_status)}")
    lost, kept = report.delivery.get("lost", 0), report.delivery.get("dead_lettered", 0)
    if lost or kept or report.write_errors:
        console.print(f"  [red]{lost + kept} of {sum(report.delivery.values())} item(s) not stored: {lost} lost, "
                      f"{kept} recoverable{_kept_in(report.dead_letter_files)}; write errors: "
                      f"{_pairs(report.write_errors)}[/red]")  # fmt: skip
    if report.finish_reason != "finished":
        console.print(f"  [red]stopped before the end (finish reason {escape(report.finish_reason)})[/red]")
    elif report.errors or (not report.ok and not (lost or kept or report.write_errors)):
        console.print(f"  [red]errors: {escape(_pairs(report.errors))}; finish reason {report.finish_reason}[/red]")


def _kept_in(files: dict[str, int]) -> str:
    if not files:
        return ""
    where = ", ".join(f"{n} in {escape(path)}" for path, n in files.items())
    return f" ({where}; `npswatch index replay FILE` writes them to the store)"


class CrawlError(Exception):
    """Crawls that cannot start; ``code`` is the exit code (2: a source or cookies file, 1: Tor not usable)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class CrawlOutcome:
    jobs: list[CrawlJob]
    reports: list[CrawlReport]
    report_failed: bool = False  # the JSON report could not be written

    @property
    def code(self) -> int:
        """0 when every crawl ran and succeeded and its report was written, else 1."""
        ran = len(self.reports) == len(self.jobs) and all(r.ok for r in self.reports)
        return 0 if ran and not self.report_failed else 1


def load_jobs(names: Sequence[str], as_of: str | None, resume_in: Path | None) -> list[CrawlJob]:
    """A job per source (a name or the path of a source file), checked before any crawl starts: every problem of a
    source file, a cookies file missing or readable by others, raise CrawlError (code 2).  ``resume_in``: the data
    dir to keep each crawl's state in (``CrawlJob.default_jobdir``) so an interrupted crawl resumes."""
    jobs = []
    for name in names:
        try:
            source = find_source(name)
            if source.cookies_file:
                check_cookies_file(source.name, source.cookies_file)
        except SourceError as exc:
            raise CrawlError("\n".join(exc.problems), 2) from exc
        except KeyError as exc:
            raise CrawlError(str(exc.args[0]), 2) from exc
        except SessionError as exc:
            raise CrawlError(f"error: {exc}", 2) from exc
        jobs.append(CrawlJob(source, as_of, CrawlJob.default_jobdir(resume_in, source, as_of) if resume_in else None))
    return jobs


def crawl_sources(jobs: Sequence[CrawlJob], *, db: str | None = None, log_level: str = "WARNING",
                  json_report: Path | None = None, force: bool = False,
                  on_done: Callable[[CrawlReport], None] | None = print_report) -> CrawlOutcome:  # fmt: skip
    """Crawl the jobs (``load_jobs``; sources of the same day at the same time) into the store ``db``, each report
    given to ``on_done`` as its crawl ends, all of them written to ``json_report`` (what the source-health checks
    read).  Raises CrawlError before any crawl when ``json_report`` cannot be written (code 2: it exists and not
    ``force``, it is the store or a source file, its directory is missing or not writable) and when Tor is needed
    but not usable (code 1)."""
    from crawlers.tor import TorError

    protected: list[Path | str] = [*store_paths(db), *(job.source.path for job in jobs if job.source.path)]
    if json_report is not None:
        try:
            check_target(json_report, force, protected)
        except OutputError as exc:
            raise CrawlError(f"error: --json-report {exc}", 2) from exc
    try:
        reports = run_crawls(jobs, overrides={"NPSWATCH_DB": db} if db else None, log_level=log_level,
                             on_done=on_done, parallel=True)  # fmt: skip
    except TorError as exc:  # Tor missing or not bootstrapped: raised before any request of a Tor source
        raise CrawlError(f"error: {exc}", 1) from exc
    if json_report is not None:
        try:
            with staged_file(json_report, force, protected) as stream:
                stream.write(json.dumps([r.health_json() for r in reports], indent=2, default=str))
        except (OutputError, OSError) as exc:  # the crawls are done and stored: say so, and fail
            _err.print(f"[red]error:[/red] the JSON report was not written: {escape(str(exc))}")
            return CrawlOutcome(list(jobs), reports, report_failed=True)
    return CrawlOutcome(list(jobs), reports)


def main(argv: list[str] | None = None) -> None:
    """``python -m crawlers.run SOURCE... [--as-of DAY] [--db TARGET] [--resume] [--json-report FILE [--force]]``:
    the crawl the scheduler starts in a process of its own (it records and checks the run itself)."""
    import argparse

    from npswatch.settings import data_dir

    parser = argparse.ArgumentParser(description="Crawl sources and store what they show (npswatch crawl, unchecked).")
    parser.add_argument("names", nargs="+")
    parser.add_argument("--as-of", help="simulated day YYYY-MM-DD, sent to the demo sites")
    parser.add_argument("--db", help="storage target (default: NPSWATCH_DB, else the data dir's store)")
    parser.add_argument("--log-level", default="WARNING", type=str.upper, choices=logging.getLevelNamesMapping())
    parser.add_argument("--json-report", type=Path, help="also write the reports as JSON")
    parser.add_argument("--force", action="store_true", help="replace the JSON report when it exists")
    parser.add_argument("--resume", action="store_true", help="keep crawl state under <data dir>/jobs")
    args = parser.parse_args(argv)
    try:
        jobs = load_jobs(args.names, args.as_of, data_dir() if args.resume else None)
        outcome = crawl_sources(jobs, db=args.db, log_level=args.log_level, json_report=args.json_report,
                                force=args.force)  # fmt: skip
    except CrawlError as exc:
        _err.print(escape(str(exc)))
        sys.exit(exc.code)
    sys.exit(outcome.code)


if __name__ == "__main__":
    main()
