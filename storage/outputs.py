"""Output files of commands: owner-only, never over an input, the store or an existing file without ``force``.

Every command that writes a file (``npswatch export``, ``extract --out``, ``crawl --json-report``, ``signals export``,
``signals backtest``, ``rates update --out``) checks its target with ``check_target`` before any work: an existing
file or directory is refused without ``force``; what holds the store, the files kept beside it, the data directory
or one of the command's own inputs is refused even with it; the directory it goes in must be one the command can
write to.  Everything is then written beside its target first (a staging directory or file that only the owner can
read: 0700 and 0600 whatever the umask) and moved into place at the end, so a failed command leaves nothing behind
and a reader never sees half a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from npswatch import settings
from storage.private import DIR_MODE, FILE_MODE, private_dirs


class OutputError(Exception):
    """An output path that cannot be used; the message names it and says why."""


def check_target(out: Path, force: bool, protected: Iterable[Path | str] = (), *, parents: bool = False
                 ) -> None:  # fmt: skip
    """Refuse ``out`` when it is, or holds, one of the ``protected`` paths (even with ``force``; also through a
    symbolic or hard link), when it exists (without ``force``), or when its directory cannot take it: missing (unless
    ``parents``: then the missing directories will be made, and the nearest existing one must take them), not a
    directory, or not writable."""
    target = out.resolve()
    for path in protected:
        kept = Path(path).resolve()
        if target == kept or target in kept.parents or _same_file(target, kept):
            raise OutputError(f"{out}: refusing to write over {kept} (an input of this command, or the store and "
                              "its data); choose another path")  # fmt: skip
    if (out.exists() or out.is_symlink()) and not force:
        what = "directory" if out.is_dir() else "file"
        raise OutputError(f"{out}: the {what} exists; choose another path or pass --force to replace it")
    _check_directory(out, parents)


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file (a hard link: two names, one inode)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them is not there
        return False


def _check_directory(out: Path, parents: bool) -> None:
    directory = out.absolute().parent
    if not parents and not directory.exists():
        raise OutputError(f"{out}: the directory {directory} does not exist; expected an existing directory")
    existing = next(p for p in (directory, *directory.parents) if p.exists())
    if not existing.is_dir():
        raise OutputError(f"{out}: {existing} is not a directory")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{out}: cannot write in {existing} (permission denied or a read-only file system)")


def store_paths(target: str | Path | None = None) -> list[Path]:
    """What no output may replace: the embedded store ``target`` names (default ``NPSWATCH_DB``, else the data
    directory's) with the files SQLite and the signals keep beside it (``-wal``, ``-shm``, ``<name>.signals.*``), and
    the data directory.  A cluster target leaves the data directory."""
    from storage import sqlite_path
    from storage.base import StorageError
    from storage.cluster.config import is_cluster_target

    chosen = str(settings.db_target() if target is None else target)
    paths = [settings.data_dir()]
    if is_cluster_target(chosen):
        return paths
    try:
        store = sqlite_path(chosen)
    except StorageError:  # not a store target at all: nothing of a store to protect (its command says why)
        return paths
    if isinstance(store, Path):
        beside = store.parent.glob(f"{_glob_escape(store.stem)}.signals*")
        paths += [store, store.with_name(store.name + "-wal"), store.with_name(store.name + "-shm"), *beside]
    return paths


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def open_private(path: Path, mode: str = "w") -> IO[str]:
    """A new file only the owner can read (``x`` semantics: an existing file is an error)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8")


def write_private(path: Path, text: str) -> Path:
    with open_private(path) as stream:
        stream.write(text)
    return path


@contextmanager
def staged_dir(out: Path, force: bool, protected: Iterable[Path | str] = ()) -> Iterator[Path]:
    """A private staging directory beside ``out`` (its missing parents made owner-only), moved to ``out`` when the
    block succeeds, removed otherwise."""
    protected = list(protected)
    check_target(out, force, protected, parents=True)
    private_dirs(out.parent)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    os.chmod(staging, DIR_MODE)
    try:
        yield staging
        _move_into_place(staging, out, force, protected)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def staged_file(out: Path, force: bool, protected: Iterable[Path | str] = ()) -> Iterator[IO[str]]:
    """A private file beside ``out`` (in an existing directory), renamed to ``out`` when the block succeeds, removed
    otherwise."""
    protected = list(protected)
    check_target(out, force, protected)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.fchmod(fd, FILE_MODE)
    partial = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            yield stream
        check_target(out, force, protected)
        if out.is_dir():
            raise OutputError(f"{out}: a directory is there; refusing to replace it with a file")
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _move_into_place(staging: Path, out: Path, force: bool, protected: list[Path | str]) -> None:
    check_target(out, force, protected, parents=True)  # again: something may have appeared meanwhile
    if not (out.exists() or out.is_symlink()):
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rmdir(old)
    out.rename(old)
    staging.rename(out)
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old)
    else:
        old.unlink()
