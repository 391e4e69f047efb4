"""Stores of an earlier schema version, to test what a migration does to them.  The writing code always needs the
latest schema, so a store is written at the latest version, then what later migrations added is taken away."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

UNDO = {  # version -> what takes that migration's additions away again
    3: ["DROP INDEX documents_facts", "DROP INDEX documents_recent"],
    4: ["DROP TABLE trend_terms"],
}


def downgrade(path: Path, version: int) -> None:
    """Make the store at ``path`` a store of schema ``version`` (at least 2; observations' facts stay)."""
    with closing(sqlite3.connect(path)) as conn:
        (current,) = conn.execute("PRAGMA user_version").fetchone()
        for step in range(current, version, -1):
            for statement in UNDO[step]:
                conn.execute(statement)
        conn.execute("DELETE FROM schema_migrations WHERE version > ?", (version,))
        conn.execute(f"PRAGMA user_version = {version:d}")
        conn.commit()
