"""What ``npswatch status`` shows: every source with its last run, next run and health.

Read without starting a scheduler: the run history for runs and health, and the job store's
table (``apscheduler_jobs.next_run_time``) for the next run.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.config import SourceError, iter_sources
from health.history import RunHistory

JOB_PREFIX = "crawl:"


def next_runs(data: Path) -> dict[str, str]:
    """Source -> next run time (ISO, UTC) from the scheduler's job store; empty when it never ran."""
    path = data / "scheduler.sqlite3"
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT id, next_run_time FROM apscheduler_jobs").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        db.close()
    return {
        str(job_id).removeprefix(JOB_PREFIX): datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds")
        for job_id, when in rows
        if when is not None and str(job_id).startswith(JOB_PREFIX)
    }


def collect_status(data: Path, sources_dir: Path | None = None) -> list[dict[str, Any]]:
    """One entry per source file (valid or not)."""
    history = RunHistory(data / "runs.sqlite3")
    upcoming = next_runs(data)
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
        found.append(
            {
                "source": entry.name,
                "valid": True,
                "schedule": f"every {schedule.every}" if schedule.every else f"cron {schedule.cron}",
                "last_run": last.to_json() if last else None,
                "next_run": upcoming.get(entry.name),
                "health": health["state"] if health else "unknown",
                "health_since": health["since"] if health else None,
                "health_detail": health["detail"] if health else None,
                "availability": {
                    state: sum(1 for r in up if r.availability == state)
                    for state in ("up", "down", "blocked", "needs_login")
                },
                "missed_runs": sum(1 for r in runs if r.result == "missed"),
                "open_signals": [
                    {"id": s.id, "type": s.type, "first_seen": s.first_seen, "last_seen": s.last_seen}
                    for s in history.signals(entry.name, open_only=True)
                ],
            }
        )
    return found
