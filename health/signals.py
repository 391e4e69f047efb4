"""Health problems become source-health signals: one per episode, stored, and sent on.

An episode starts the first day a problem of a type is seen for a source and goes on while
it is seen again (``last_seen`` and the statistics are updated, the id stays); it closes when
the source recovers.  Episodes are kept in the run history (``signals`` table), copied to the
signal store beside the document store (``alerts.store``, read by ``npswatch signals list``) and
sent through the delivery channels (``alerts.delivery``) like every other signal.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime

from alerts.model import HEALTH_TYPES, Signal
from health.checks import SEVERITY, Assessment
from health.history import Run, RunHistory

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
    """Keep the signals beside the store's other signals (``alerts.store``) and send the new or updated ones
    through the delivery channels of ``$NPSWATCH_ALERTS_CONFIG`` when it is set; says what was done."""
    if not signals and not closed:
        return "nothing to publish"
    done = []
    try:
        from alerts.store import SignalStore, signals_path
    except ImportError:  # the Signals issue's store is not there: the run history keeps them
        done.append("kept in the run history")
    else:
        with SignalStore(signals_path(db_target)) as store:
            store.put([*signals, *closed])
        done.append(f"stored in {signals_path(db_target)}")
    if signals and os.environ.get("NPSWATCH_ALERTS_CONFIG"):
        from alerts.delivery import deliver, load_config

        done.append(f"delivered: {deliver(signals, load_config()).summary()}")
    else:
        done.append("not delivered (NPSWATCH_ALERTS_CONFIG is not set)")
    for signal in signals:
        logger.warning("health signal %s (%s): %s", signal.type, signal.subject, signal.summary)
    return "; ".join(done)
