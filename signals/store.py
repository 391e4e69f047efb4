"""Where signals are kept: a small SQLite file next to the document store.

Signals are few, change state (acknowledged, dismissed, closed) and must not show up in document searches, trends
or index statistics, and the search cluster's mappings are reviewed files; so they live in their own file rather than
as documents.  The file:

- ``$NPSWATCH_SIGNALS_DB`` when set;
- else, for a SQLite store ``path/name.sqlite3``, ``path/name.signals.sqlite3`` beside it;
- else (a cluster URL), ``$NPSWATCH_DATA_DIR/signals.sqlite3`` (``var/signals.sqlite3``).

Tables: ``signals`` (one row per signal id: type, subject, scope, state, first and last seen, the JSON record),
``runs`` (one row per ``signals run``: as-of day, wall time, what changed), ``audit`` (the append-only triage log:
who, when, what, why; triggers refuse updates and deletes), ``watchlists`` and ``watch_hits`` (saved queries and
substance names, and the documents each one matched: ``signals.watch``).  Tables added by a later version are
created when an older file is opened.  Writes are transactions; readers run beside a writer (WAL).  Substance
signals and source-health signals are kept here alike: this is the one signal store.

Earlier versions kept source-health signals a second time, in a ``signals`` table of the run history
(``<data dir>/runs.sqlite3``).  :func:`open_store` moves them in when it finds that table: episodes the signal store
lacks are added, those it has keep its record (and so their triage state), then the old table is dropped.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from npswatch import settings
from signals.model import Signal
from storage.private import create_private
from storage.sqlite import transaction

STATES = ("new", "acknowledged", "dismissed", "closed")
# triage actions -> (states they apply to, the state they lead to (None: unchanged), what they need)
ACTIONS: dict[str, tuple[tuple[str, ...], str | None, str | None]] = {
    "acknowledge": (("new", "dismissed", "closed"), "acknowledged", None),
    "dismiss": (("new", "acknowledged", "closed"), "dismissed", "reason"),
    "reopen": (("acknowledged", "dismissed"), "new", "reason"),
    "assign": (STATES, None, None),
    "note": (STATES, None, "note"),
}
MAX_TEXT = 4000  # characters of a reason or note

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
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    signal_id TEXT NOT NULL,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    assignee TEXT,
    reason TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS audit_signal ON audit (signal_id, id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS watchlists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    spec TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    checked_through TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS watch_hits (
    watchlist_id INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    found_at TEXT NOT NULL,
    retro INTEGER NOT NULL,
    PRIMARY KEY (watchlist_id, doc_id)
);
"""


@dataclass(frozen=True)
class AuditEntry:
    """One triage action: who did what to which signal, when and why."""

    id: int
    signal_id: str
    at: str  # UTC, ISO 8601
    user: str
    via: str  # cli | web | api
    action: str  # one of ACTIONS
    from_state: str
    to_state: str
    assignee: str | None
    reason: str | None
    note: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StoredWatchlist:
    """A watchlist row (``signals.watch`` reads ``spec``)."""

    id: int
    name: str
    kind: str  # query | substance
    spec: dict[str, Any]
    created_by: str
    created_at: str
    checked_through: str  # the last day whose new documents were looked at (ISO date)
    active: bool


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
            create_private(self.path)  # owner-only (its -wal and -shm follow)
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

    def transaction(self) -> AbstractContextManager[None]:
        return transaction(self._conn)

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

    def triage(self, signal_id: str, action: str, user: str, *, via: str = "cli", reason: str | None = None,
               note: str | None = None, assignee: str | None = None) -> Signal:  # fmt: skip
        """Apply a triage ``action`` (see ``ACTIONS``) by ``user`` and append it to the audit log, in one
        transaction; SignalStoreError for an unknown id, an action that does not apply, or a missing reason or note."""
        if action not in ACTIONS:
            raise SignalStoreError(f"action: expected one of {', '.join(ACTIONS)}, found {action!r}")
        reason, note, assignee = (_text(v, name) for v, name in ((reason, "reason"), (note, "note"),
                                                                  (assignee, "assignee")))  # fmt: skip
        if not user.strip():
            raise SignalStoreError("triage needs the name of the user who does it")
        allowed, leads_to, needs = ACTIONS[action]
        if needs and not {"reason": reason, "note": note}[needs]:
            raise SignalStoreError(f"{action} needs a {needs}")
        with self.transaction():
            signal = self.get(signal_id)
            if signal is None:
                raise SignalStoreError(f"no signal with id {signal_id!r} in {self.path}")
            if signal.state not in allowed:
                raise SignalStoreError(f"cannot {action} signal {signal.id}: it is {signal.state}")
            before = signal.state
            signal.state = leads_to or signal.state  # type: ignore[assignment]
            if action == "assign":
                signal.assignee = assignee
            signal.updated_at = now_utc()
            self.put([signal])
            self._conn.execute(
                "INSERT INTO audit (signal_id, at, user, via, action, from_state, to_state, assignee, reason, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (signal.id, signal.updated_at, user.strip(), via, action, before, signal.state, signal.assignee,
                 reason, note),
            )  # fmt: skip
        return signal

    def audit(self, signal_id: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        """The audit log of one signal (all signals when None), oldest entry first (the latest ``limit``)."""
        where, params = ("WHERE signal_id = ?", [signal_id]) if signal_id else ("", [])
        sql = f"SELECT * FROM (SELECT * FROM audit {where} ORDER BY id DESC LIMIT ?) ORDER BY id"
        return [AuditEntry(*row) for row in self._conn.execute(sql, [*params, limit])]

    # -- watchlists (signals.watch) ------------------------------------------------------------

    def add_watchlist(self, name: str, kind: str, spec: dict[str, Any], user: str, day: date) -> StoredWatchlist:
        cursor = self._conn.execute(
            "INSERT INTO watchlists (name, kind, spec, created_by, created_at, checked_through) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (name, kind, json.dumps(spec, ensure_ascii=False, sort_keys=True), user, now_utc(), day.isoformat()),
        )
        found = self.watchlist(int(cursor.lastrowid or 0))
        assert found is not None
        return found

    def watchlist(self, watch_id: int) -> StoredWatchlist | None:
        row = self._conn.execute("SELECT * FROM watchlists WHERE id = ?", (watch_id,)).fetchone()
        return None if row is None else _watchlist(row)

    def watchlists(self, active_only: bool = True) -> list[StoredWatchlist]:
        where = "WHERE active = 1" if active_only else ""
        return [_watchlist(row) for row in self._conn.execute(f"SELECT * FROM watchlists {where} ORDER BY id")]

    def deactivate_watchlist(self, watch_id: int) -> None:
        self._conn.execute("UPDATE watchlists SET active = 0 WHERE id = ?", (watch_id,))

    def set_checked_through(self, watch_id: int, day: date) -> None:
        self._conn.execute("UPDATE watchlists SET checked_through = max(checked_through, ?) WHERE id = ?",
                           (day.isoformat(), watch_id))  # fmt: skip

    def add_watch_hits(self, watch_id: int, doc_ids: Iterable[str], retro: bool) -> list[str]:
        """Record documents a watchlist matched; the ids that were not recorded before."""
        stamp, added = now_utc(), []
        for doc_id in doc_ids:
            cursor = self._conn.execute("INSERT OR IGNORE INTO watch_hits VALUES (?, ?, ?, ?)",
                                        (watch_id, doc_id, stamp, int(retro)))  # fmt: skip
            if cursor.rowcount:
                added.append(doc_id)
        return added

    def watch_hits(self, watch_id: int, limit: int = 200) -> list[dict[str, Any]]:
        """The documents a watchlist matched, newest found first: doc_id, found_at, retro."""
        sql = (
            "SELECT doc_id, found_at, retro FROM watch_hits WHERE watchlist_id = ? "
            "ORDER BY found_at DESC, doc_id LIMIT ?"
        )
        rows = self._conn.execute(sql, (watch_id, limit))
        return [{"doc_id": d, "found_at": f, "retro": bool(r)} for d, f, r in rows]

    def count_watch_hits(self, watch_id: int) -> dict[str, int]:
        sql = "SELECT retro, count(*) FROM watch_hits WHERE watchlist_id = ? GROUP BY retro"
        found = dict(self._conn.execute(sql, (watch_id,)).fetchall())
        return {"retro": int(found.get(1, 0)), "new": int(found.get(0, 0))}

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


def _text(value: str | None, name: str) -> str | None:
    """A reason, note or assignee as stored: stripped, None when empty; SignalStoreError when too long."""
    if value is None or not value.strip():
        return None
    if len(value) > MAX_TEXT:
        raise SignalStoreError(f"{name}: at most {MAX_TEXT} characters, found {len(value)}")
    return value.strip()


def _watchlist(row: tuple[Any, ...]) -> StoredWatchlist:
    watch_id, name, kind, spec, user, created, checked, active = row
    return StoredWatchlist(int(watch_id), name, kind, json.loads(spec), user, created, checked, bool(active))
