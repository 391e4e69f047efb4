"""Where documents are kept: the engine-neutral interface (``storage.base``) and its backends.

``open_storage(target)`` picks the backend from a path or URL: a file path or
``sqlite:///relative/path`` / ``sqlite:////absolute/path`` opens the embedded SQLite
store (``storage.sqlite``).  Without a target it opens ``$NPSWATCH_DB`` or
``npswatch.sqlite3`` in the data directory (``$NPSWATCH_DATA_DIR``, default ``var`` under the current
directory).  A cluster URL
(``elasticsearch+https://host:9200``, ``opensearch+http://host:9200``, see ``storage.cluster.config``)
opens the search-cluster backend (``storage.cluster``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from storage.base import Storage, StorageError
from storage.sqlite import SqliteStorage

DB_ENV = "NPSWATCH_DB"  # environment variable naming the storage target
DATA_DIR_ENV = "NPSWATCH_DATA_DIR"  # environment variable naming the data directory (default ``var``)
DB_FILE_NAME = "npswatch.sqlite3"  # the embedded store's file in the data directory
SUPPORTED_TARGETS = (
    "a file path, sqlite:///relative/path or sqlite:////absolute/path, "
    "or a cluster URL (elasticsearch+https://host:9200, opensearch+http://host:9200)"
)
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)

__all__ = ["DB_ENV", "Storage", "StorageError", "data_dir", "default_target", "open_storage"]


def data_dir() -> Path:
    """Where npswatch keeps its data (store, WARC files, run history, signals): ``$NPSWATCH_DATA_DIR``, else ``var``."""
    return Path(os.environ.get(DATA_DIR_ENV) or "var")


def default_target() -> str:
    """The storage target to use when none is given: ``$NPSWATCH_DB``, else
    ``<$NPSWATCH_DATA_DIR or var>/npswatch.sqlite3``. The one place that default is computed."""
    return os.environ.get(DB_ENV) or str(data_dir() / DB_FILE_NAME)


def open_storage(target: str | Path | None = None) -> Storage:
    """Open the store at ``target`` (see the module docstring); StorageError if it cannot be used
    (StorageUnavailable when a cluster cannot be reached)."""
    chosen = default_target() if target is None else target
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
