"""Files only their owner may read: stores, WARC evidence and exports hold what people wrote on drug markets.

New files are created with mode 0600 and new directories with 0700, whatever the umask (the mode asked for
is already owner-only, so no umask can widen it).  Existing files and directories keep their modes: an
operator who shares a directory on purpose keeps that choice.

Every file npswatch makes under the data directory goes through here: the store and the WARC files, the run
history, the signal store and its feed, the request journal of ``--resume``, the dead-letter files, the WARC index,
the scheduler's job store, reports and logs, the Tor status, the accounts.  SQLite gives a database's ``-wal`` and
``-shm`` files the mode of the database, so ``create_private`` before connecting is enough for those.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dirs(path: Path) -> Path:
    """``path`` and its missing parents, each created owner-only; the path."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=DIR_MODE, exist_ok=True)
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "exists and is not a directory", str(path))  # as mkdir would
    return path


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for ``open()``: a file it creates is owner-only."""
    return os.open(path, flags, FILE_MODE)


def create_private(path: Path) -> None:
    """Create ``path`` empty and owner-only if it does not exist (a file another program then fills)."""
    private_dirs(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def replace_private(path: Path, data: str | bytes) -> None:
    """Write ``data`` as the whole of ``path``, owner-only: a temporary file beside it, renamed over it, so a reader
    never sees half of it (the directory and its missing parents are made owner-only too)."""
    private_dirs(path.parent)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            os.fchmod(stream.fileno(), FILE_MODE)
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
