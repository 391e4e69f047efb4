"""What ``npswatch status`` shows: every source with its last run, next run and health.

Read without starting a scheduler: the run history for runs and health; the next run times (the scheduler's job
store, ``scheduler.next_run_times``) and the open source-health episodes (the signal store,
``signals.health.open_episodes``) are given by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from crawlers.config import SourceError, iter_sources
from health.history import RunHistory


def collect_status(data: Path, sources_dir: Path | None = None, *,
                   next_runs: Mapping[str, datetime | None] | None = None,
                   open_signals: Mapping[str, Sequence[Any]] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """One entry per source file (valid or not); ``open_signals``: source -> its open source-health signals."""
    history = RunHistory(data / "runs.sqlite3")
    upcoming, raised = next_runs or {}, open_signals or {}
    found: list[dict[str, Any]] = []
    for entry in iter_sources(sources_dir):
        if isinstance(entry, SourceError):
            found.append({"source": entry.path.stem, "valid": False, "problem": entry.problems[0]})
            continue
        schedule = entry.schedule
        runs = history.runs(entry.name, 200)
        last = next((r for r in runs if r.result != "missed"), None)
        health = history.health(entry.name)
        up = [r for r in runs if r.availability]
        when = upcoming.get(entry.name)
        found.append(
            {
                "source": entry.name,
                "valid": True,
                "schedule": f"every {schedule.every}" if schedule.every else f"cron {schedule.cron}",
                "last_run": last.to_json() if last else None,
                "next_run": when.isoformat(timespec="seconds") if when else None,
                "health": health["state"] if health else "unknown",
                "health_since": health["since"] if health else None,
                "health_detail": health["detail"] if health else None,
                "availability": {
                    state: sum(1 for r in up if r.availability == state)
                    for state in ("up", "down", "blocked", "needs_login")
                },
                "missed_runs": sum(1 for r in runs if r.result == "missed"),
                "open_signals": [
                    {"id": s.id, "type": s.type, "state": s.state, "first_seen": s.first_seen, "last_seen": s.last_seen}
                    for s in raised.get(entry.name, ())
                ],
            }
        )
    return found
