"""Where documents are kept: the engine-neutral interface (``storage.base``) and its backends.

``open_storage(target)`` picks the backend from a path or URL: a file path or
``sqlite:///relative/path`` / ``sqlite:////absolute/path`` opens the embedded SQLite
store (``storage.sqlite``).  Without a target it opens ``$NPSWATCH_DB`` or
``npswatch.sqlite3`` in the data directory (``$NPSWATCH_DATA_DIR``, default ``var`` under the current
directory; ``npswatch.settings.db_target``).  A cluster URL
(``elasticsearch+https://host:9200``, ``opensearch+http://host:9200``, see ``storage.cluster.config``)
opens the search-cluster backend (``storage.cluster``).

A store is created when first opened, unless it is opened with ``create=False`` (what commands that only read a
store do, so that a mistyped path is an error rather than a new empty store): then ``StoreMissing`` is raised.
"""

from __future__ import annotations

import re
from pathlib import Path

from npswatch import settings
from storage.base import Storage, StorageError, StoreMissing
from storage.sqlite import SqliteStorage

SUPPORTED_TARGETS = (
    "a file path, sqlite:///relative/path or sqlite:////absolute/path, "
    "or a cluster URL (elasticsearch+https://host:9200, opensearch+http://host:9200)"
)
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$", re.DOTALL)

__all__ = ["Storage", "StorageError", "StoreMissing", "open_storage"]


def open_storage(target: str | Path | None = None, *, create: bool = True) -> Storage:
    """Open the store at ``target`` (see the module docstring), creating it unless ``create`` is false (then
    StoreMissing when it is not there); StorageError if it cannot be used (StorageUnavailable when a cluster cannot
    be reached)."""
    chosen = settings.db_target() if target is None else target
    if isinstance(chosen, str):
        from storage.cluster.config import is_cluster_target

        if is_cluster_target(chosen):
            from storage.cluster import open_cluster  # imports a cluster client only when one is used

            return open_cluster(chosen, create=create)
    path = sqlite_path(chosen)
    if not create and isinstance(path, Path) and not (path.exists() or path.is_symlink()):
        raise StoreMissing(f"{path}: no store there; expected an existing SQLite store")
    return SqliteStorage(path)


def validate_target(target: str) -> None:
    """Check what ``target`` names before a command that will create the store starts work: StorageError for an
    unknown scheme, a malformed cluster URL or a directory in place of the SQLite file."""
    from storage.cluster.config import is_cluster_target, parse_target

    if is_cluster_target(target):
        parse_target(target)
        return
    path = sqlite_path(target)
    if isinstance(path, Path) and path.is_dir():
        raise StorageError(f"{path} is a directory; expected the path of an SQLite database file")


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
