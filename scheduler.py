"""The scheduler: every source file's ``schedule:``, one crawl process per run, then health and signals.

    python scheduler.py              # in the foreground; Ctrl-C (or SIGTERM) stops it cleanly
    npswatch schedule                # the same
    npswatch status [--json]         # last run, result, next run and health of every source

APScheduler 3 with a persistent job store (SQLAlchemy on ``<data dir>/scheduler.sqlite3``):
one job per source with the fixed id ``crawl:<source>``, ``max_instances=1`` (a source never
crawls twice at once), ``coalesce=True`` (runs missed while the scheduler was down collapse
into one) and a misfire grace (``NPSWATCH_MISFIRE_GRACE``; later than that, the run is
recorded as missed).  Each crawl is ``python -m crawlers.run SOURCE --resume --json-report FILE --force``
in its own process (Scrapy's reactor cannot restart in-process), stopped after
``NPSWATCH_CRAWL_TIMEOUT``.  On SIGTERM/SIGINT the running crawls get one SIGTERM, stop
gracefully and checkpoint their queue under ``<data dir>/jobs``; the next start resumes them
at once.  Every run lands in the run history (``health.history``), is assessed against the
source's ``health:`` thresholds (``health.checks``), and raises source-health signals
(``signals.health``); then, once no crawl runs, the signal run (``signals.run.run_and_deliver``)
runs over the store in this process.
"""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent, JobSubmissionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from crawlers.config import Source, SourceError, find_source, iter_sources
from crawlers.sessions import SessionError, check_cookies_file
from health.checks import Assessment, Outcome, Problem, crawl_outcome
from health.history import Run, RunHistory
from npswatch import settings
from npswatch.settings import data_dir
from signals.health import check_run
from storage.private import create_private, private_dirs, private_opener

logger = logging.getLogger("npswatch.scheduler")
ROOT = Path(__file__).resolve().parent
JOB_PREFIX = "crawl:"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_ACTIVE: CrawlScheduler | None = None  # the scheduler whose jobs run in this process (jobs are stored by name)


class ScheduleError(Exception):
    """A source whose schedule cannot be used; the message names the source and the file."""


def seconds(text: str) -> int:
    """``30m`` -> 1800 (the source model has checked the form)."""
    return int(text[:-1]) * _UNITS[text[-1]]


def trigger_for(source: Source, start: datetime | None = None) -> BaseTrigger:
    """The APScheduler trigger of a source's ``schedule:`` (UTC; cron fields in UTC); intervals count from ``start``."""
    schedule, jitter = source.schedule, seconds(source.schedule.jitter) or None
    try:
        if schedule.every:
            every = seconds(schedule.every)
            return IntervalTrigger(seconds=every, timezone=UTC, jitter=jitter,
                                   start_date=(start or datetime.now(UTC)) + timedelta(seconds=every))  # fmt: skip
        trigger = CronTrigger.from_crontab(schedule.cron or "", timezone=UTC)
    except (ValueError, KeyError, TypeError) as exc:
        raise ScheduleError(f"{source.name} ({source.path}): schedule.cron {schedule.cron!r} cannot be parsed: "
                            f"{exc}") from exc  # fmt: skip
    trigger.jitter = jitter
    return trigger


def spec_of(source: Source) -> str:
    """The schedule as one line; a job whose stored spec differs is rescheduled."""
    schedule = source.schedule
    return f"{'every ' + schedule.every if schedule.every else 'cron ' + str(schedule.cron)} jitter {schedule.jitter}"


def run_job(name: str, spec: str = "") -> None:
    """What the job store keeps a reference to: run one crawl of ``name`` with the active scheduler."""
    if _ACTIVE is None:
        raise RuntimeError("no CrawlScheduler is active in this process")
    _ACTIVE.run_source(name)


class CrawlScheduler:
    """The sources' jobs in an APScheduler, and what one run of a job does."""

    def __init__(
        self,
        data: Path | None = None,
        sources_dir: Path | None = None,
        *,
        as_of: str | Callable[[], str | None] | None = None,
        db: str | None = None,
        scheduler: BaseScheduler | None = None,
        jobstore: BaseJobStore | None = None,
        timeout: float | None = None,
        stop_grace: float | None = None,
        misfire_grace: int | None = None,
        workers: int | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        signal_run: bool = True,
    ) -> None:
        self.data = data or data_dir()
        self.sources_dir = sources_dir
        self.as_of = as_of
        self.db = db
        self.store_target = db or settings.raw("NPSWATCH_DB") or str(self.data / "npswatch.sqlite3")
        # unset: NPSWATCH_CRAWL_TIMEOUT, NPSWATCH_CRAWL_STOP_GRACE, NPSWATCH_MISFIRE_GRACE, NPSWATCH_SCHEDULER_WORKERS
        self.timeout = settings.crawl_timeout() if timeout is None else timeout
        self.stop_grace = settings.crawl_stop_grace() if stop_grace is None else stop_grace
        misfire_grace = settings.misfire_grace() if misfire_grace is None else misfire_grace
        workers = settings.scheduler_workers() if workers is None else workers
        self.clock = clock
        self.history = RunHistory(self.data / "runs.sqlite3")
        if jobstore is None:
            create_private(self.data / "scheduler.sqlite3")  # owner-only before SQLAlchemy opens it
        self.scheduler = scheduler or BackgroundScheduler(timezone=UTC)
        self.scheduler.configure(
            jobstores={"default": jobstore or SQLAlchemyJobStore(url=f"sqlite:///{self.data / 'scheduler.sqlite3'}")},
            executors={"default": ThreadPoolExecutor(max_workers=workers)},
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": misfire_grace},
            timezone=UTC,
        )
        self.scheduler.add_listener(self._on_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
        self.signal_run = signal_run  # the signal run after the crawls (tests of the crawls alone switch it off)
        self.stopping = threading.Event()
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()
        self._signal_lock = threading.Lock()
        self.problems: list[str] = []  # sources left out, one line each

    # --- jobs ---------------------------------------------------------------------------
    def start(self, paused: bool = False) -> CrawlScheduler:
        """Start the scheduler with one job per valid source; invalid ones are listed in ``problems``."""
        global _ACTIVE
        _ACTIVE = self
        private_dirs(self.data)
        stale = self.history.close_stale()
        if stale:
            logger.warning("%d run(s) left running by a stopped scheduler marked interrupted", stale)
        self.scheduler.start(paused=True)
        self.sync_jobs()
        if not paused:
            self.scheduler.resume()
        return self

    def sync_jobs(self) -> list[str]:
        """Add, reschedule or remove jobs so they match the source files; the job ids."""
        wanted: dict[str, tuple[Source, BaseTrigger]] = {}
        self.problems = []
        now = self.clock()
        for entry in iter_sources(self.sources_dir):
            if isinstance(entry, SourceError):
                self.problems.append(f"{entry.path.stem}: not scheduled: {entry.problems[0]}")
                continue
            try:
                wanted[entry.name] = (entry, trigger_for(entry, now))
            except ScheduleError as exc:
                self.problems.append(str(exc))
        for problem in self.problems:
            logger.error("%s", problem)
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id.removeprefix(JOB_PREFIX) not in wanted:
                job.remove()
        for name, (source, trigger) in wanted.items():
            self._sync_one(name, source, trigger, now)
        return [JOB_PREFIX + name for name in wanted]

    def _sync_one(self, name: str, source: Source, trigger: BaseTrigger, now: datetime) -> None:
        job_id, spec = JOB_PREFIX + name, spec_of(source)
        job = self.scheduler.get_job(job_id)
        last = next(iter(self.history.runs(name, 1)), None)
        resume = last is not None and last.result == "interrupted"  # an interrupted crawl continues at once
        if job is None:  # a new source crawls now (plus jitter), then on its schedule
            first = now + timedelta(seconds=random.uniform(0, seconds(source.schedule.jitter)))
            self.scheduler.add_job("scheduler:run_job", trigger, args=[name], kwargs={"spec": spec}, id=job_id,
                                   name=f"crawl {name}", next_run_time=now if resume else first)  # fmt: skip
            return
        if job.kwargs.get("spec") != spec:
            logger.info("%s: schedule changed to %s", name, spec)
            job.modify(kwargs={"spec": spec})
            job = job.reschedule(trigger)
        if resume:
            job.modify(next_run_time=now)

    def _on_event(self, event: JobEvent) -> None:
        name = event.job_id.removeprefix(JOB_PREFIX)
        if event.code == EVENT_JOB_MISSED:
            logger.warning("%s: run of %s missed (the scheduler was not running)", name, event.scheduled_run_time)
            self.history.record_missed(name, event.scheduled_run_time)
        elif isinstance(event, JobSubmissionEvent):
            logger.warning("%s: still crawling; the run due at %s is skipped", name, event.scheduled_run_times[-1])

    def next_runs(self) -> dict[str, datetime | None]:
        return {j.id.removeprefix(JOB_PREFIX): j.next_run_time for j in self.scheduler.get_jobs()}

    # --- one run ------------------------------------------------------------------------
    def run_source(self, name: str) -> Run | None:
        """Crawl one source in its own process, record the run, assess its health, raise signals."""
        if self.stopping.is_set():
            return None
        as_of = self.as_of() if callable(self.as_of) else self.as_of
        run_id = self.history.start(name, as_of, self.clock())
        try:
            source = find_source(name, self.sources_dir)
            if source.cookies_file:
                check_cookies_file(source.name, source.cookies_file)
        except SessionError as exc:
            run = self.history.finish(run_id, result="error", exit_code=None, message=str(exc), when=self.clock())
            return self._assess(run, None, "needs_login")
        except (SourceError, KeyError) as exc:
            message = str(exc).splitlines()[0]
            self.history.finish(run_id, result="error", exit_code=None, message=message, when=self.clock())
            logger.error("%s: %s", name, message)
            return self.history.get(run_id)
        outcome = self._crawl(source, run_id, as_of)
        run = self.history.finish(run_id, result=outcome.result, exit_code=outcome.exit_code, report=outcome.report,
                                  message=outcome.message, when=self.clock())  # fmt: skip
        logger.info("%s: %s (exit %s, %d pages, %d items, %d errors)", name, run.result, run.exit_code, run.pages,
                    run.items, run.errors)  # fmt: skip
        run = self._assess(run, source, None)
        self._after_crawl(as_of)
        return run

    def _crawl(self, source: Source, run_id: int, as_of: str | None) -> Outcome:
        report_file = self.data / "reports" / source.name / f"{run_id}.json"
        log_file = self.data / "logs" / source.name / f"{run_id}.log"
        private_dirs(report_file.parent)
        private_dirs(log_file.parent)
        # --force: the report file is the scheduler's own (a run id used again after the history was reset replaces it)
        argv = [sys.executable, "-m", "crawlers.run", str(source.path or source.name), "--resume",
                "--json-report", str(report_file), "--force"]  # fmt: skip
        argv += ["--as-of", as_of] if as_of else []
        argv += ["--db", self.db] if self.db else []
        env = {**os.environ, "NPSWATCH_DATA_DIR": str(self.data)}
        # own session: a Ctrl-C at the terminal reaches only the scheduler
        with open(log_file, "wb", opener=private_opener) as log:
            child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)  # fmt: skip
            with self._lock:
                self._children[source.name] = child
            try:
                timed_out = self._wait(child)
            finally:
                with self._lock:
                    self._children.pop(source.name, None)
        report = _read_report(report_file)
        return crawl_outcome(child.returncode, report, timed_out=timed_out, timeout=self.timeout,
                             error=_last_line(log_file))  # fmt: skip

    def _wait(self, child: subprocess.Popen[bytes]) -> bool:
        """Wait for the crawl; SIGTERM it on timeout or shutdown, SIGKILL after the stop grace.  Timed out?"""
        deadline = time.monotonic() + self.timeout
        asked: float | None = None
        timed_out = False
        while True:
            try:
                child.wait(timeout=0.2)
                return timed_out
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if asked is None and (self.stopping.is_set() or now > deadline):
                timed_out = not self.stopping.is_set()
                child.send_signal(signal.SIGTERM)  # the crawl stops gracefully and checkpoints (--resume)
                asked = now
            elif asked is not None and now - asked > self.stop_grace:
                logger.error("crawl pid %d did not stop within %gs; killing it", child.pid, self.stop_grace)
                child.kill()
                asked = float("inf")  # killed: just wait for it

    def _assess(self, run: Run, source: Source | None, forced: str | None) -> Run:
        if source is None:
            try:
                source = find_source(run.source, self.sources_dir)
            except (SourceError, KeyError):
                return run
        login = Assessment("needs_login", (Problem("needs_login", run.message or "", {}),))
        check_run(self.history, run, source.health, self.clock(), self.store_target,
                  login if forced == "needs_login" else None)  # fmt: skip
        return self.history.get(run.id) or run

    def _after_crawl(self, as_of: str | None) -> None:
        """The signal run, once no crawl is running any more (it reads what the crawls stored)."""
        from signals.run import run_and_deliver

        with self._lock:
            busy = bool(self._children)
        if busy or not self.signal_run or self.stopping.is_set() or not self._signal_lock.acquire(False):
            return  # crawls still running, or a signal run already going: that one will read the store
        try:
            day = date.fromisoformat(as_of) if as_of else None
            outcome = run_and_deliver(self.store_target, day, data=self.data)
        except Exception:  # a failed signal run must not stop the scheduler's jobs
            logger.exception("signal run failed")
            return
        finally:
            self._signal_lock.release()
        (logger.error if outcome.code else logger.info)("signal run: %s", "; ".join(outcome.lines))

    # --- stopping -----------------------------------------------------------------------
    def stop(self, wait: bool = True) -> None:
        """Ask the running crawls to stop (they checkpoint), wait for them, shut the scheduler down."""
        self.stopping.set()
        if self.scheduler.running:
            self.scheduler.pause()
            self.scheduler.shutdown(wait=wait)

    def kill(self) -> None:
        """A second signal: stop the crawls at once (a second SIGTERM is Scrapy's 'stop now')."""
        with self._lock:
            children = list(self._children.values())
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)


def next_run_times(data: Path) -> dict[str, datetime | None]:
    """Source -> the next run time of its job (None: paused) in the job store of the data dir ``data``, read through
    APScheduler's job-store API without starting a scheduler; empty when no scheduler ever ran there."""
    path = data / "scheduler.sqlite3"
    if not path.exists():
        return {}
    jobstore = SQLAlchemyJobStore(url=f"sqlite:///{path}")
    try:
        jobs = jobstore.get_all_jobs()
    except SQLAlchemyError:  # a file without the job table
        return {}
    finally:
        jobstore.shutdown()
    return {job.id.removeprefix(JOB_PREFIX): job.next_run_time for job in jobs if job.id.startswith(JOB_PREFIX)}


def _read_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data[0] if isinstance(data, list) and data else {}


def _last_line(log: Path) -> str:
    try:
        lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    except OSError:
        return "the crawl process failed before writing a report"
    return lines[-1][:300] if lines else "the crawl process failed before writing a report"


def serve(as_of: str | None = None, db: str | None = None, log_level: str = "INFO",
          sources_dir: Path | None = None) -> int:  # fmt: skip
    """Run the scheduler in the foreground until SIGINT or SIGTERM; a second signal stops crawls at once."""
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # its per-run lines repeat the history's
    crawls = CrawlScheduler(sources_dir=sources_dir, as_of=as_of, db=db).start()
    for job_id, when in sorted(crawls.next_runs().items()):
        logger.info("%s: next run %s", job_id, when.isoformat(timespec="seconds") if when else "paused")
    stop = threading.Event()
    signals_seen = 0

    def on_signal(signum: int, _: Any) -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen == 1:
            logger.warning("%s: stopping; running crawls checkpoint (signal again to stop them at once)",
                           signal.Signals(signum).name)  # fmt: skip
            crawls.stopping.set()
            stop.set()
        else:
            crawls.kill()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    while not stop.wait(1):
        pass
    crawls.stop(wait=True)
    logger.info("scheduler stopped")
    return 0


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Run every source on its schedule (docs/scheduler.md).")
    parser.add_argument("--as-of", help="demo: crawl the demo sites as of this day (YYYY-MM-DD)")
    parser.add_argument("--db", help="storage target passed to each crawl (default: the crawl's own default)")
    parser.add_argument(
        "--sources-dir", type=Path, help="source files (default crawlers/sources or NPSWATCH_SOURCES_DIR)"
    )
    parser.add_argument("--log-level", default="INFO", type=str.upper, choices=logging.getLevelNamesMapping())
    args = parser.parse_args(argv)
    sys.exit(serve(args.as_of, args.db, args.log_level, args.sources_dir))


if __name__ == "__main__":
    from scheduler import main as _main  # the module jobs refer to ("scheduler:run_job"), not __main__

    _main()
