"""The run history: every scheduled crawl of every source, its outcome and the source's health.

One small SQLite file under the data dir (``<data dir>/runs.sqlite3``).  ``runs`` is the
availability history of each source (up, down, blocked, needs_login per crawl): a market's
lifecycle is data, so rows are never deleted.  ``health`` holds each source's current state.
The source-health signals raised from it are kept in the signal store (``signals.health``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storage.private import create_private

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    started TEXT NOT NULL,            -- ISO 8601, UTC
    ended TEXT,                       -- NULL while running
    exit_code INTEGER,
    result TEXT NOT NULL,             -- running | ok | failed | interrupted | timeout | error | missed
    availability TEXT,                -- up | down | blocked | needs_login (NULL: not known)
    pages INTEGER NOT NULL DEFAULT 0,
    items INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    as_of TEXT,                       -- the simulated day of a demo crawl
    message TEXT,                     -- why it failed, in one line
    report TEXT                       -- the crawl's JSON report
);
CREATE INDEX IF NOT EXISTS runs_source ON runs (source, id);
CREATE TABLE IF NOT EXISTS health (
    source TEXT PRIMARY KEY,
    state TEXT NOT NULL,              -- ok | source_down | layout_change | needs_login | blocked | source_gone
    since TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""
FINISHED = ("ok", "failed", "timeout", "error")  # outcomes that say something about the site


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Run:
    id: int
    source: str
    started: str
    ended: str | None
    exit_code: int | None
    result: str
    availability: str | None
    pages: int
    items: int
    errors: int
    as_of: str | None
    message: str | None
    report: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Run:
        data = dict(row)
        data["report"] = json.loads(data["report"]) if data["report"] else {}
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "report"}


class RunHistory:
    """The history database; opened per use (the scheduler's job threads each open their own)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_private(path)  # owner-only, like every file of the data dir (its -wal and -shm follow)
        with self._db() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:
                yield db
        finally:
            db.close()

    def start(self, source: str, as_of: str | None = None, when: datetime | None = None) -> int:
        with self._db() as db:
            cursor = db.execute(
                "INSERT INTO runs (source, started, result, as_of) VALUES (?, ?, 'running', ?)",
                (source, (when or utcnow()).isoformat(timespec="seconds"), as_of),
            )
            return int(cursor.lastrowid or 0)

    def finish(self, run_id: int, *, result: str, exit_code: int | None, report: dict[str, Any] | None = None,
               message: str | None = None, when: datetime | None = None) -> Run:  # fmt: skip
        report = report or {}
        pages = int(report.get("pages", 0))
        items = sum(int(v) for v in report.get("items", {}).values())
        errors = sum(int(v) for v in report.get("errors", {}).values())
        with self._db() as db:
            db.execute(
                "UPDATE runs SET ended=?, exit_code=?, result=?, pages=?, items=?, errors=?, message=?, report=? "
                "WHERE id=?",
                ((when or utcnow()).isoformat(timespec="seconds"), exit_code, result, pages, items, errors, message,
                 json.dumps(report, default=str) if report else None, run_id),
            )  # fmt: skip
        run = self.get(run_id)
        assert run is not None
        return run

    def record_missed(self, source: str, scheduled: datetime) -> None:
        """A run the scheduler could not start in time (it was down past the misfire grace)."""
        with self._db() as db:
            stamp = scheduled.astimezone(UTC).isoformat(timespec="seconds")
            db.execute("INSERT INTO runs (source, started, ended, result, message) VALUES (?, ?, ?, 'missed', ?)",
                       (source, stamp, stamp, "scheduled run missed: the scheduler was not running"))  # fmt: skip

    def set_availability(self, run_id: int, availability: str) -> None:
        with self._db() as db:
            db.execute("UPDATE runs SET availability=? WHERE id=?", (availability, run_id))

    def get(self, run_id: int) -> Run | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        return Run.from_row(row) if row else None

    def runs(self, source: str, limit: int = 50, before: str | None = None) -> list[Run]:
        """The source's latest runs by start time, newest first; with ``before`` (an ISO time), only runs started
        earlier (the demo replays simulated days, so a second replay must not see the first one's later days)."""
        where, args = ("source=? AND started<?", (source, before)) if before else ("source=?", (source,))
        with self._db() as db:
            rows = db.execute(f"SELECT * FROM runs WHERE {where} ORDER BY started DESC, id DESC LIMIT ?",
                              (*args, limit)).fetchall()  # fmt: skip
        return [Run.from_row(r) for r in rows]

    def running(self) -> list[Run]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM runs WHERE result='running' ORDER BY id").fetchall()
        return [Run.from_row(r) for r in rows]

    def close_stale(self, message: str = "the scheduler stopped while this crawl ran") -> int:
        """Mark runs left 'running' by a scheduler that died as interrupted; the count."""
        with self._db() as db:
            cursor = db.execute("UPDATE runs SET result='interrupted', ended=started, message=? WHERE result='running'",
                                (message,))  # fmt: skip
            return cursor.rowcount

    # --- health state -------------------------------------------------------
    def set_health(self, source: str, state: str, detail: str, when: datetime | None = None) -> None:
        stamp = (when or utcnow()).isoformat(timespec="seconds")
        with self._db() as db:
            db.execute(
                "INSERT INTO health (source, state, since, checked_at, detail) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(source) DO UPDATE SET since=CASE WHEN health.state=excluded.state THEN health.since "
                "ELSE excluded.since END, state=excluded.state, checked_at=excluded.checked_at, detail=excluded.detail",
                (source, state, stamp, stamp, detail),
            )

    def health(self, source: str) -> dict[str, str] | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM health WHERE source=?", (source,)).fetchone()
        return dict(row) if row else None
