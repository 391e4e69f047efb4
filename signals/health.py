"""Source-health signals: the health problems of a crawl become signal episodes, stored and sent on.

``health`` records each crawl in the run history and finds its problems (``health.checks``: a source down, gone,
blocked, needing a login, or with a changed layout).  Here each problem type becomes a detection of the source on the
run's day (its simulated day in the demo), folded into an episode like every other signal (``signals.episodes``): it
starts the first day a problem of the type is seen, goes on while the problem is seen again (``last_seen``, the
statistics and the run count are updated, the id stays, and so does a triage state: a dismissed episode stays
dismissed), and closes when the source recovers.  Episodes are kept in the one signal store beside the document
store (``signals.store``, read by ``npswatch signals list``) and the new ones, and updated ones nobody has triaged
yet, are sent through the delivery channels (``signals.delivery``): those of the delivery configuration, or without
one the Atom feed beside the signal store (``var/npswatch.signals.atom``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from crawlers.config import HealthThresholds
from health.checks import Assessment, check, crawl_outcome
from health.history import Run, RunHistory, utcnow
from signals import episodes
from signals.episodes import Detection
from signals.model import HEALTH_TYPES, Signal
from signals.store import SignalStore, open_store

if TYPE_CHECKING:
    from crawlers.run import CrawlReport

logger = logging.getLogger(__name__)

SEVERITY = {"source_down": "medium", "layout_change": "medium", "needs_login": "high", "blocked": "medium",
            "source_gone": "high"}  # fmt: skip
GAPS: dict[str, int | None] = dict.fromkeys(HEALTH_TYPES)  # an episode goes on until the source recovers


def episode_day(run: Run, now: datetime) -> str:
    """The day a run's observations belong to: its simulated day (demo), else today."""
    return run.as_of or now.date().isoformat()


def detections(run: Run, assessment: Assessment, now: datetime) -> list[Detection]:
    """One detection per problem type of the run (several layout problems: one, with every problem's statistics)."""
    day = datetime.fromisoformat(episode_day(run, now)).date()
    found: dict[str, Detection] = {}
    for problem in assessment.problems:
        if problem.type in found:
            continue
        same = [p for p in assessment.problems if p.type == problem.type]
        stats = {"run_id": run.id, "problems": [p.statistics for p in same], "result": run.result,
                 "pages": run.pages, "items": run.items, "errors": run.errors}  # fmt: skip
        found[problem.type] = Detection(problem.type, run.source, None, day, SEVERITY[problem.type], "health", stats,
                                        day, "; ".join(p.summary for p in same))  # fmt: skip
    return list(found.values())


def _start(det: Detection) -> Signal:
    return Signal(type=det.type, subject=det.subject, first_seen=det.day.isoformat(),  # type: ignore[arg-type]
                  last_seen=det.day.isoformat(), severity=det.severity, summary="",  # type: ignore[arg-type]
                  detector=det.detector, sources=[det.subject])  # fmt: skip


def _update(signal: Signal, det: Detection) -> None:
    signal.last_seen = max(signal.last_seen, det.day.isoformat())
    signal.summary = det.summary or ""
    signal.statistics = dict(det.statistics)
    signal.counts = {"runs": int(signal.counts.get("runs", 0)) + 1}


def update_signals(store: SignalStore, run: Run, assessment: Assessment, now: datetime
                   ) -> tuple[list[Signal], list[Signal]]:  # fmt: skip
    """Open or extend one episode per problem type, close the episodes the run shows ended: (changed, closed)."""
    found = detections(run, assessment, now)
    with store.transaction():
        created, updated = episodes.fold(found, store, GAPS, _start, _update)
        day = datetime.fromisoformat(episode_day(run, now)).date()
        closed = []
        for type_ in HEALTH_TYPES:
            if type_ in {d.type for d in found} or not _recovered(type_, assessment.availability):
                continue
            ended = store.episode_at(type_, run.source, None, day, None)
            if ended is not None:
                closed.append(episodes.close(store, ended, day))
    return [*created, *updated], closed


def _recovered(type_: str, availability: str) -> bool:
    """Whether this availability ends an episode of the type."""
    if type_ in ("source_down", "source_gone"):
        return availability != "down"
    if type_ == "needs_login":
        return availability != "needs_login"
    if type_ == "blocked":
        return availability != "blocked"
    return availability == "up"  # layout_change: only a crawl that reached content can say it is fixed


def publish(changed: list[Signal], db_target: str) -> str:
    """Send the new episodes, and the updated ones still untriaged (state ``new``), through the delivery channels:
    those of ``$NPSWATCH_ALERTS_CONFIG`` (or ``alerts.yml``), else the default Atom feed beside the signal store;
    says what was done.  A dismissed or acknowledged episode is not sent again."""
    from signals.delivery import ConfigError, deliver, delivery_config

    due = [s for s in changed if s.state == "new"]
    for signal in due:
        logger.warning("source-health signal %s (%s): %s", signal.type, signal.subject, signal.summary)
    if not due:
        return "nothing to deliver"
    try:
        config, where = delivery_config(db_target)
    except ConfigError as exc:
        logger.error("source-health signals not delivered: %s", exc)
        return f"not delivered: {exc}"
    return f"delivered ({where}): {deliver(due, config).summary()}"


def check_run(history: RunHistory, run: Run, thresholds: HealthThresholds, now: datetime, db_target: str,
              forced: Assessment | None = None) -> tuple[Assessment, list[Signal], list[Signal]]:  # fmt: skip
    """Check a finished run (``health.checks.check``: its availability and the source's health, recorded in the run
    history), open, extend or close its source-health episodes in the signal store of ``db_target`` and deliver
    them: (assessment, changed, closed)."""
    assessment = check(history, run, thresholds, now, forced)
    with open_store(db_target, Path(history.path).parent) as store:
        changed, closed = update_signals(store, history.get(run.id) or run, assessment, now)
    if changed or closed:
        logger.info("%s: source-health signals %s", run.source, publish(changed, db_target))
    return assessment, changed, closed


def open_episodes(db_target: str, data: Path | None = None) -> dict[str, list[Signal]]:
    """Source -> its source-health episodes not closed, oldest first (what ``npswatch status`` shows)."""
    with open_store(db_target, data) as store:
        found = store.find(types=HEALTH_TYPES, states=("new", "acknowledged", "dismissed"))
    by_source: dict[str, list[Signal]] = {}
    for signal in found:
        by_source.setdefault(signal.subject, []).append(signal)
    return by_source


def noon(day: str) -> datetime:
    """Noon (UTC) of a simulated day: when a demo crawl of that day is recorded as having run."""
    return datetime.combine(datetime.fromisoformat(day).date(), time(12), UTC)


def check_crawl(history: RunHistory, report: CrawlReport, thresholds: HealthThresholds, db_target: str
                ) -> tuple[Run, Assessment, list[Signal], list[Signal]]:  # fmt: skip
    """Record a crawl that ran in this process (``npswatch crawl``, ``npswatch demo``) in the run history and check
    it as the scheduler checks its own runs: (run, assessment, changed, closed).  A crawl of a simulated day is a run
    at noon of that day (the demo replays its days in order), any other the run it was, ending now."""
    found = report.health_json()
    started = noon(report.as_of) if report.as_of else utcnow() - timedelta(seconds=report.seconds)
    outcome = crawl_outcome(0 if report.ok else 1, found)
    run_id = history.start(report.source, report.as_of, started)
    run = history.finish(run_id, result=outcome.result, exit_code=outcome.exit_code, report=found,
                         message=outcome.message, when=started + timedelta(seconds=report.seconds))  # fmt: skip
    assessment, changed, closed = check_run(history, run, thresholds, started, db_target)
    return history.get(run_id) or run, assessment, changed, closed
