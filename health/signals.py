"""Health problems become source-health signals: one per episode, stored, and sent on.

An episode starts the first day a problem of a type is seen for a source and goes on while
it is seen again (``last_seen`` and the statistics are updated, the id stays); it closes when
the source recovers.  Episodes are kept in the run history (``signals`` table), copied to the
signal store beside the document store (``signals.store``, read by ``npswatch signals list``) and
sent through the delivery channels (``signals.delivery``) like every other signal: those of the delivery
configuration, or without one the Atom feed beside the signal store (``var/npswatch.signals.atom``).
"""

from __future__ import annotations

import logging
from datetime import datetime

from crawlers.config import HealthThresholds
from health.checks import SEVERITY, Assessment, assess
from health.history import Run, RunHistory
from signals.model import HEALTH_TYPES, Signal

logger = logging.getLogger(__name__)


def episode_day(run: Run, now: datetime) -> str:
    """The day a run's observations belong to: its simulated day (demo), else today."""
    return run.as_of or now.date().isoformat()


def update_signals(
    history: RunHistory, run: Run, assessment: Assessment, now: datetime
) -> tuple[list[Signal], list[Signal]]:
    """Open or extend one signal per problem type, close the episodes that ended: (to deliver, closed)."""
    day = episode_day(run, now)
    changed: list[Signal] = []
    seen: set[str] = set()
    for problem in assessment.problems:
        if problem.type in seen:  # several layout problems: one signal, every problem in its statistics
            continue
        seen.add(problem.type)
        same = [p for p in assessment.problems if p.type == problem.type]
        signal = history.open_signal(problem.type, run.source) or Signal(
            type=problem.type,  # type: ignore[arg-type]
            subject=run.source,
            first_seen=day,
            last_seen=day,
            severity=SEVERITY[problem.type],  # type: ignore[arg-type]
            summary=problem.summary,
            detector="health",
            sources=[run.source],
        )
        signal.last_seen = max(signal.last_seen, day)
        signal.summary = "; ".join(p.summary for p in same)
        signal.statistics = {"run_id": run.id, "problems": [p.statistics for p in same], "result": run.result,
                             "pages": run.pages, "items": run.items, "errors": run.errors}  # fmt: skip
        signal.counts = {"runs": int(signal.counts.get("runs", 0)) + 1}
        history.save_signal(signal)
        changed.append(signal)
    closed: list[Signal] = []
    for type_ in HEALTH_TYPES:
        if type_ in seen or not _recovered(type_, assessment.availability):
            continue
        ended = history.open_signal(type_, run.source)
        if ended is not None:
            ended.state = "closed"
            ended.last_seen = max(ended.last_seen, day)
            history.save_signal(ended)
            closed.append(ended)
    return changed, closed


def _recovered(type_: str, availability: str) -> bool:
    """Whether this availability ends an episode of the type."""
    if type_ in ("source_down", "source_gone"):
        return availability != "down"
    if type_ == "needs_login":
        return availability != "needs_login"
    if type_ == "blocked":
        return availability != "blocked"
    return availability == "up"  # layout_change: only a crawl that reached content can say it is fixed


def publish(signals: list[Signal], closed: list[Signal], db_target: str) -> str:
    """Keep the signals beside the store's other signals (``signals.store``, read by ``npswatch signals list``) and
    send the new or updated ones through the delivery channels: those of ``$NPSWATCH_ALERTS_CONFIG`` (or
    ``alerts.yml``), else the default Atom feed beside the signal store; says what was done."""
    from signals.delivery import ConfigError, deliver, delivery_config
    from signals.store import SignalStore, signals_path

    if not signals and not closed:
        return "nothing to publish"
    with SignalStore(signals_path(db_target)) as store:
        store.put([*signals, *closed])
    done = [f"stored in {signals_path(db_target)}"]
    if signals:
        try:
            config, where = delivery_config(db_target)
        except ConfigError as exc:
            logger.error("health signals not delivered: %s", exc)
            done.append(f"not delivered: {exc}")
        else:
            done.append(f"delivered ({where}): {deliver(signals, config).summary()}")
    for signal in signals:
        logger.warning("health signal %s (%s): %s", signal.type, signal.subject, signal.summary)
    return "; ".join(done)


def check_run(history: RunHistory, run: Run, thresholds: HealthThresholds, now: datetime, db_target: str,
              forced: Assessment | None = None) -> tuple[Assessment, list[Signal], list[Signal]]:  # fmt: skip
    """Assess a finished run against the thresholds and the source's earlier runs, record its availability and the
    source's health, open, extend or close the signal episodes and publish them: (assessment, changed, closed)."""
    previous = [r for r in history.runs(run.source, 200, before=run.started) if r.id != run.id]
    assessment = forced or assess(run, previous, thresholds, now)
    history.set_availability(run.id, assessment.availability)
    detail = "; ".join(p.summary for p in assessment.problems) or f"{run.items} items from {run.pages} pages"
    history.set_health(run.source, assessment.state, detail, now)
    changed, closed = update_signals(history, history.get(run.id) or run, assessment, now)
    if changed or closed:
        logger.info("%s: health signals %s", run.source, publish(changed, closed, db_target))
    return assessment, changed, closed
