"""Ordered schema migrations for the SQLite store.

Each step is a file ``NNNN_name.sql`` in this folder; ``NNNN`` is its version.  The
database's ``PRAGMA user_version`` holds the last version applied, and the table
``schema_migrations`` says when each step ran.  ``migrate`` applies the pending steps in
order, each in its own ``BEGIN IMMEDIATE`` transaction, so opening a database twice (or
from two processes at once) applies every step exactly once.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.base import StorageError

MIGRATIONS_DIR = Path(__file__).parent
_FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration steps in ``directory``, checked to be numbered 1, 2, 3, ... without gaps."""
    steps = []
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if match is None:
            raise StorageError(f"{path}: expected a migration file named NNNN_name.sql (lower case, digits, _)")
        steps.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    check_sequence(steps)
    return steps


def check_sequence(steps: Sequence[Migration]) -> None:
    for expected, step in enumerate(steps, start=1):
        if step.version != expected:
            raise StorageError(f"migration {step.version:04d}_{step.name}: expected version {expected}")


def schema_version(conn: sqlite3.Connection) -> int:
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return int(version)


def migrate(conn: sqlite3.Connection, steps: Sequence[Migration], where: str) -> int:
    """Apply the pending ``steps`` to ``conn`` (in autocommit mode); return the schema version."""
    check_sequence(steps)
    known = len(steps)
    if schema_version(conn) > known:
        raise StorageError(
            f"{where}: database schema version {schema_version(conn)} is newer than this npswatch "
            f"knows (expected at most {known}); upgrade npswatch"
        )
    for step in steps[schema_version(conn) :]:
        _apply(conn, step, where)
    return schema_version(conn)


def _apply(conn: sqlite3.Connection, step: Migration, where: str) -> None:
    applied_at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        conn.execute("BEGIN IMMEDIATE")
        if schema_version(conn) >= step.version:  # another process applied it while we waited
            conn.execute("COMMIT")
            return
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for statement in _statements(step.sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (step.version, step.name, applied_at))
        conn.execute(f"PRAGMA user_version = {step.version:d}")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StorageError(f"{where}: migration {step.version:04d}_{step.name} failed: {exc}") from exc


def _statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (``executescript`` would commit)."""
    statements, pending = [], ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if any(line.strip() and not line.strip().startswith("--") for line in pending.splitlines()):
        raise StorageError(f"incomplete SQL statement at the end of a migration: {pending.strip()[:80]!r}")
    return statements
