"""Where signals are kept: a small SQLite file next to the document store.

Signals are few, change state (acknowledged, dismissed, closed) and must not show up in document searches, trends
or index statistics, and the search cluster's mappings are reviewed files; so they live in their own file rather than
as documents.  The file:

- ``$NPSWATCH_SIGNALS_DB`` when set;
- else, for a SQLite store ``path/name.sqlite3``, ``path/name.signals.sqlite3`` beside it;
- else (a cluster URL), ``$NPSWATCH_DATA_DIR/signals.sqlite3`` (``var/signals.sqlite3``).

Tables: ``signals`` (one row per signal id: type, subject, scope, state, first and last seen, the JSON record) and
``runs`` (one row per ``signals run``: as-of day, wall time, what changed).  Writes are transactions; readers run
beside a writer (WAL).  Substance signals and source-health signals are kept here alike: this is the one signal
store.

Earlier versions kept source-health signals a second time, in a ``signals`` table of the run history
(``<data dir>/runs.sqlite3``).  :func:`open_store` moves them in when it finds that table: episodes the signal store
lacks are added, those it has keep its record (and so their triage state), then the old table is dropped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from npswatch import settings
from signals.model import Signal

STATES = ("new", "acknowledged", "dismissed", "closed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS signals (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    subject TEXT NOT NULL,
    scope TEXT,
    state TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signals_subject ON signals (type, subject, scope, last_seen);
CREATE TABLE IF NOT EXISTS runs (
    as_of TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    closed INTEGER NOT NULL
);
"""


class SignalStoreError(Exception):
    """The signal file cannot be used, or a signal id is unknown."""


def signals_path(db_target: str | Path, data: Path | None = None) -> Path:
    """The signal file for the document store ``db_target`` (see the module docstring; ``data``: the data dir, default
    ``$NPSWATCH_DATA_DIR``)."""
    chosen = settings.signals_db()
    if chosen is not None:
        return chosen
    target = str(db_target)
    if "://" in target and not target.startswith("sqlite://"):
        return (data or settings.data_dir()) / "signals.sqlite3"
    if target.startswith("sqlite://"):
        target = target[len("sqlite://") :]
        target = target[1:]  # sqlite:///relative -> relative, sqlite:////absolute -> /absolute
    path = Path(target).expanduser()
    return path.with_name(f"{path.stem}.signals{path.suffix or '.sqlite3'}")


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_store(db_target: str | Path, data: Path | None = None) -> SignalStore:
    """The signal store of the document store ``db_target``, with the source-health signals an earlier version left
    in the run history of the data dir ``data`` (default: ``$NPSWATCH_DATA_DIR``) moved in."""
    store = SignalStore(signals_path(db_target, data))
    try:
        store.migrate_run_history((data or settings.data_dir()) / "runs.sqlite3")
    except BaseException:
        store.close()
        raise
    return store


class SignalStore:
    """Signals by id with their state; ``put`` inserts or replaces, ``set_state`` triages."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SignalStoreError(f"signal store {self.path}: cannot open ({exc})") from exc

    def migrate_run_history(self, runs: Path) -> int:
        """Move the ``signals`` table of an earlier version's run history ``runs`` into this store (see the module
        docstring); the number of signals added.  Nothing happens when the file or the table is not there."""
        if not runs.is_file():
            return 0
        try:
            old = sqlite3.connect(f"file:{runs}?mode=rw", uri=True, timeout=30.0)
            try:
                table = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signals'"
                if old.execute(table).fetchone() is None:
                    return 0
                rows = old.execute("SELECT data FROM signals ORDER BY first_seen, type, subject").fetchall()
                found = [Signal.from_json(json.loads(data)) for (data,) in rows]
                with self.transaction():
                    known = {s.id for s in found if self.get(s.id) is not None}
                    self.put(s for s in found if s.id not in known)
                with old:  # only once they are safe here
                    old.execute("DROP TABLE signals")
            finally:
                old.close()
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise SignalStoreError(f"{runs}: cannot move its source-health signals into {self.path} ({exc})") from exc
        return len(found) - len(known)

    def __enter__(self) -> SignalStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def put(self, signals: Iterable[Signal]) -> None:
        rows = []
        for s in signals:
            s.updated_at = s.updated_at or now_utc()
            body = json.dumps(s.to_json(), ensure_ascii=False, sort_keys=True)
            rows.append((s.id, s.type, s.subject, s.scope, s.state, s.first_seen, s.last_seen, s.updated_at, body))
        self._conn.executemany("INSERT OR REPLACE INTO signals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def get(self, signal_id: str) -> Signal | None:
        found = self._conn.execute("SELECT body FROM signals WHERE id = ?", (signal_id,)).fetchone()
        if found is None:
            # a unique prefix is enough (ids are 20 hex digits)
            rows = self._conn.execute("SELECT body FROM signals WHERE id LIKE ? || '%'", (signal_id,)).fetchall()
            found = rows[0] if len(rows) == 1 and len(signal_id) >= 6 else None
        return None if found is None else Signal.from_json(json.loads(found[0]))

    def find(self, *, types: Iterable[str] = (), states: Iterable[str] = (), subject: str | None = None
             ) -> list[Signal]:  # fmt: skip
        """Signals of these types and states (all when empty), oldest episode first."""
        conditions, params = [], []
        for column, values in (("type", list(types)), ("state", list(states))):
            if values:
                conditions.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += values
        if subject is not None:
            conditions.append("subject = ?")
            params.append(subject)
        where = " AND ".join(conditions) or "1"
        sql = f"SELECT body FROM signals WHERE {where} ORDER BY first_seen, type, subject, scope"
        return [Signal.from_json(json.loads(body)) for (body,) in self._conn.execute(sql, params)]

    def latest(self, type_: str, subject: str, scope: str | None) -> Signal | None:
        """The most recent episode of (type, subject, scope), whatever its state."""
        sql = (
            "SELECT body FROM signals WHERE type = ? AND subject = ? AND scope IS ? "
            "ORDER BY last_seen DESC, first_seen DESC LIMIT 1"
        )
        found = self._conn.execute(sql, (type_, subject, scope)).fetchone()
        return None if found is None else Signal.from_json(json.loads(found[0]))

    def episode_at(self, type_: str, subject: str, scope: str | None, day: date, gap: int | None) -> Signal | None:
        """The episode of (type, subject, scope) that ``day`` belongs to (the latest such one): it started on or
        before ``day`` and was last seen at most ``gap`` days before it; with ``gap`` None, it is not closed
        (``signals.episodes``)."""
        sql = "SELECT body FROM signals WHERE type = ? AND subject = ? AND scope IS ? AND first_seen <= ? AND "
        if gap is None:
            sql, bound = sql + "state != ?", "closed"
        else:
            sql, bound = sql + "last_seen >= ?", (day - timedelta(days=gap)).isoformat()
        found = self._conn.execute(sql + " ORDER BY first_seen DESC LIMIT 1", (type_, subject, scope, day.isoformat(),
                                                                               bound)).fetchone()  # fmt: skip
        return None if found is None else Signal.from_json(json.loads(found[0]))

    def set_state(self, signal_id: str, state: str) -> Signal:
        if state not in STATES:
            raise SignalStoreError(f"state: expected one of {', '.join(STATES)}, found {state!r}")
        signal = self.get(signal_id)
        if signal is None:
            raise SignalStoreError(f"no signal with id {signal_id!r} in {self.path}")
        signal.state = state  # type: ignore[assignment]
        signal.updated_at = now_utc()
        self.put([signal])
        return signal

    def record_run(self, as_of: date, created: int, updated: int, closed: int) -> None:
        self._conn.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?)", (as_of.isoformat(), now_utc(), created, updated,
                                                                         closed))  # fmt: skip

    def last_run(self) -> date | None:
        """The latest as-of day a run covered (None before the first run)."""
        (found,) = self._conn.execute("SELECT max(as_of) FROM runs").fetchone()
        return None if found is None else date.fromisoformat(found)

    def runs(self) -> list[dict[str, Any]]:
        cols = ("as_of", "ran_at", "created", "updated", "closed")
        return [dict(zip(cols, row, strict=True)) for row in self._conn.execute("SELECT * FROM runs ORDER BY rowid")]
