"""Output files of exports: owner-only, never over an existing file without ``force``, never over the store.

Everything is written beside its target first (a staging directory or file that only the owner can read: 0700 and
0600 whatever the umask) and moved into place at the end, so a failed export leaves nothing behind and a reader
never sees half a dataset.  ``force`` replaces an existing target; what holds the store is refused even then.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from storage.private import DIR_MODE, FILE_MODE, private_dirs


class OutputError(Exception):
    """An output path that cannot be used; the message names it and says why."""


def check_target(out: Path, force: bool, protected: Iterable[Path | str] = ()) -> None:
    """Refuse ``out`` when it exists (without ``force``), or is, or holds, one of the ``protected`` paths."""
    target = out.resolve()
    for path in protected:
        kept = Path(path).resolve()
        if target == kept or target in kept.parents:
            raise OutputError(f"{out}: refusing to write over {kept} (the store or its data); choose another path")
    if (out.exists() or out.is_symlink()) and not force:
        what = "directory" if out.is_dir() else "file"
        raise OutputError(f"{out}: the {what} exists; choose another path or pass --force to replace it")


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
    """A private staging directory beside ``out``, moved to ``out`` when the block succeeds, removed otherwise."""
    protected = list(protected)
    check_target(out, force, protected)
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
    """A private file beside ``out``, renamed to ``out`` when the block succeeds, removed otherwise."""
    protected = list(protected)
    check_target(out, force, protected)
    private_dirs(out.parent)
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
    check_target(out, force, protected)  # again: something may have appeared meanwhile
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
