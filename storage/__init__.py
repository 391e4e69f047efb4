"""Where documents are kept: the engine-neutral interface (``storage.base``) and its backends.

``open_storage(target)`` picks the backend from a path or URL: a file path or
``sqlite:///relative/path`` / ``sqlite:////absolute/path`` opens the embedded SQLite
store (``storage.sqlite``).  Without a target it opens ``$NPSWATCH_DB`` or
``npswatch.sqlite3`` in the data directory (``$NPSWATCH_DATA_DIR``, default ``var`` under the current
directory; ``npswatch.settings.db_target``).  A cluster URL
(``elasticsearch+https://host:9200``, ``opensearch+http://host:9200``, see ``storage.cluster.config``)
opens the search-cluster backend (``storage.cluster``).
"""

from __future__ import annotations

import re
from pathlib import Path

from npswatch import settings
from storage.base import Storage, StorageError
from storage.sqlite import SqliteStorage

SUPPORTED_TARGETS = (
    "a file path, sqlite:///relative/path or sqlite:////absolute/path, "
    "or a cluster URL (elasticsearch+https://host:9200, opensearch+http://host:9200)"
)
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)

__all__ = ["Storage", "StorageError", "open_storage"]


def open_storage(target: str | Path | None = None) -> Storage:
    """Open the store at ``target`` (see the module docstring); StorageError if it cannot be used
    (StorageUnavailable when a cluster cannot be reached)."""
    chosen = settings.db_target() if target is None else target
    if isinstance(chosen, str):
        from storage.cluster.config import is_cluster_target

        if is_cluster_target(chosen):
            from storage.cluster import open_cluster  # imports a cluster client only when one is used

            return open_cluster(chosen)
    return SqliteStorage(sqlite_path(chosen))


def sqlite_path(target: str | Path) -> Path | str:
    """The SQLite file that ``target`` names (``":memory:"`` stays a string)."""
    if isinstance(target, Path):
        return target.expanduser()
    found = _URL.match(target)
    if found is None:
        return target if target == ":memory:" else Path(target).expanduser()
    scheme, rest = found[1].lower(), found[2]
    if scheme != "sqlite":
        raise StorageError(f"unknown storage scheme {found[1]!r} in {target!r}; supported: {SUPPORTED_TARGETS}")
    if not rest.startswith("/") or rest in ("/", "//"):
        raise StorageError(f"{target!r}: expected {SUPPORTED_TARGETS}")
    path = rest[1:]
    return path if path == ":memory:" else Path(path).expanduser()
