"""The dead-letter file: documents a store refused or could not reach, and replaying them.

The store pipeline (``pipelines/store.py``) appends one JSON line per document it could not write to
``<NPSWATCH_DATA_DIR>/dead-letter/store.jsonl``: ``{"error", "reason", "document"}``, where ``reason`` is
``store_error`` (the store refused the document) or ``store_unavailable`` (the store or cluster could not be
reached).  ``replay`` writes them to a store again, once the cause is fixed:

- the file is first claimed by renaming it (``store.jsonl.replaying``), so a crawl that keeps appending
  meanwhile starts a new file and nothing it writes is lost or replayed twice;
- documents are written in batches; writes are idempotent (document id and observation day), so a
  document that did reach the store before is counted unchanged, and replaying twice changes nothing;
- a batch the store refuses is written one document at a time; when the store is unreachable the rest
  is not tried;
- every document that fails again is appended back to the file with its new error and reason (an
  unreadable line is kept as it was, reason ``unreadable``), then the claimed copy is removed.

A crawl writes through ``DeadLetterFile``: before the crawl it checks that the file (or, failing that, a second
location on another disk, ``NPSWATCH_DEAD_LETTER_FALLBACK``) takes a write, and during the crawl a write that fails
(a full disk) goes to the next location; what no location takes is reported as lost.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from npswatch.settings import data_dir as default_data_dir
from storage.base import Storage, StorageError, StorageUnavailable, WriteResult
from storage.private import FILE_MODE, private_dirs, private_opener

STORE_ERROR = "store_error"  # the store refused the document
STORE_UNAVAILABLE = "store_unavailable"  # the store could not be reached
UNREADABLE = "unreadable"  # a line that is not a dead letter (kept as it was)
BATCH = 200
CLAIMED_SUFFIX = ".replaying"


def default_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the store pipeline keeps its dead letters: ``<NPSWATCH_DATA_DIR>/dead-letter/store.jsonl``."""
    return (Path(data_dir) if data_dir else default_data_dir()) / "dead-letter" / "store.jsonl"


def dead_letter_line(document: Mapping[str, Any], error: str, reason: str) -> str:
    """One line of the file (no newline)."""
    return json.dumps({"error": error, "reason": reason, "document": document}, ensure_ascii=False, default=str)


def append(path: Path, lines: list[str]) -> None:
    """Append ``lines`` to ``path`` at once (the file and its directories created owner-only); on a failed write
    (a full disk) the file is cut back to its size before, so no half line is left behind, and the OSError is
    raised."""
    if not lines:
        return
    private_dirs(path.parent)
    data = "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")  # kept bytes go back as read
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    size = os.fstat(fd).st_size
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        with suppress(OSError):
            os.ftruncate(fd, size)
        raise
    finally:
        os.close(fd)


PROBE_BYTES = 64 * 1024  # what the check before a crawl writes (and removes) beside each dead-letter file


class DeadLetterFile:
    """The dead-letter file of a writer (the store pipeline): the first of ``paths`` that takes a write.

    ``check`` (before a crawl) finds the first location where a probe of ``PROBE_BYTES`` can be written, so a
    full disk or a read-only directory is known before any item depends on it.  ``append`` writes to that
    location and, when a write fails, to the next ones; ``kept`` counts the lines each path took.
    """

    def __init__(self, paths: list[Path]) -> None:
        if not paths:
            raise ValueError("a dead-letter file needs at least one path")
        self.paths = list(dict.fromkeys(paths))
        self.current: Path | None = self.paths[0]
        self.kept: Counter[Path] = Counter()
        self.errors: dict[Path, str] = {}  # why a location was given up

    def check(self) -> Path | None:
        """The first location that takes a write, which ``append`` tries first; None when none does."""
        for path in self.paths:
            try:
                _probe(path)
            except OSError as exc:
                self.errors[path] = str(exc)
                continue
            self.current = path
            return path
        self.current = None
        return None

    def append(self, lines: list[str]) -> Path:
        """Write ``lines`` to the first location that takes them; OSError naming every location when none does."""
        start = self.paths.index(self.current) if self.current is not None else 0
        for path in self.paths[start:] + self.paths[:start]:
            try:
                append(path, lines)
            except OSError as exc:
                self.errors[path] = str(exc)
                continue
            self.current = path
            self.kept[path] += len(lines)
            return path
        tried = "; ".join(f"{path}: {error}" for path, error in self.errors.items())
        raise OSError(f"no dead-letter location took {len(lines)} document(s) ({tried})")


def _probe(path: Path) -> None:
    private_dirs(path.parent)
    probe = path.with_name(f".{path.name}.probe-{os.getpid()}")
    try:
        with open(probe, "xb", opener=private_opener) as stream:
            stream.write(bytes(PROBE_BYTES))
    finally:
        with suppress(OSError):
            probe.unlink()


@dataclass
class ReplayReport:
    """What a replay did: lines read, what reached the store, what was kept and why."""

    path: Path
    read: int = 0
    stored: WriteResult = field(default_factory=WriteResult)
    replayed: int = 0  # documents the store accepted this time
    before: Counter[str] = field(default_factory=Counter)  # reasons recorded when they were dead-lettered
    kept: Counter[str] = field(default_factory=Counter)  # reasons of what failed again
    last_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        stored = self.stored
        return {
            "file": str(self.path),
            "read": self.read,
            "replayed": self.replayed,
            "stored": asdict(stored),
            "before": dict(sorted(self.before.items())),
            "kept": dict(sorted(self.kept.items())),
            "last_error": self.last_error,
        }


@dataclass
class _Letter:
    document: dict[str, Any] | None  # None: an unreadable line
    raw: str


def read_letters(path: Path) -> Iterator[_Letter]:
    """The lines of ``path``; bytes that are not UTF-8 are kept as they are (an unreadable line, written back)."""
    with path.open(encoding="utf-8", errors="surrogateescape") as stream:
        for line in stream:
            raw = line.rstrip("\n")
            if not raw.strip():
                continue
            yield _Letter(_document(raw), raw)


def _document(raw: str) -> dict[str, Any] | None:
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    doc = entry.get("document") if isinstance(entry, dict) else None
    return doc if isinstance(doc, dict) else None


def replay(path: Path, store: Storage, batch: int = BATCH) -> ReplayReport:
    """Write the dead letters of ``path`` to ``store``; what fails again stays in ``path``."""
    report = ReplayReport(path)
    if not path.exists():
        return report
    claimed = path.with_name(path.name + CLAIMED_SUFFIX)
    if claimed.exists():
        raise StorageError(
            f"{claimed} exists: another replay is running, or one was interrupted; expected it gone (if no "
            f"replay is running, replay that file: npswatch index replay {claimed})"
        )
    path.replace(claimed)
    try:
        kept = _replay_claimed(claimed, store, batch, report)
    except BaseException:
        append(path, [letter.raw for letter in read_letters(claimed)])  # give every line back as it was
        claimed.unlink()
        raise
    append(path, kept)
    claimed.unlink()
    return report


def _replay_claimed(claimed: Path, store: Storage, batch: int, report: ReplayReport) -> list[str]:
    kept: list[str] = []
    pending: list[dict[str, Any]] = []
    down: str | None = None  # set once the store is unreachable: the rest is kept untried
    for letter in read_letters(claimed):
        report.read += 1
        if letter.document is None:
            report.before[UNREADABLE] += 1
            report.kept[UNREADABLE] += 1
            kept.append(letter.raw)
            continue
        report.before[_reason(letter.raw)] += 1
        pending.append(letter.document)
        if len(pending) >= batch:
            down = _flush(store, pending, kept, report, down)
            pending = []
    _flush(store, pending, kept, report, down)
    return kept


def _flush(
    store: Storage, docs: list[dict[str, Any]], kept: list[str], report: ReplayReport, down: str | None
) -> str | None:
    """Write ``docs``; returns the outage message once the store is unreachable."""
    if not docs:
        return down
    if down is None:
        try:
            report.stored.add(store.write(docs))
            report.replayed += len(docs)
            return None
        except StorageUnavailable as exc:
            down = str(exc)
        except StorageError:  # one bad document refuses its batch: one at a time
            for doc in docs:
                down = _write_one(store, doc, kept, report, down)
            return down
    _keep(kept, report, docs, down, STORE_UNAVAILABLE)
    return down


def _write_one(
    store: Storage, doc: dict[str, Any], kept: list[str], report: ReplayReport, down: str | None
) -> str | None:
    if down is not None:
        _keep(kept, report, [doc], down, STORE_UNAVAILABLE)
        return down
    try:
        report.stored.add(store.write([doc]))
        report.replayed += 1
    except StorageUnavailable as exc:
        _keep(kept, report, [doc], str(exc), STORE_UNAVAILABLE)
        return str(exc)
    except StorageError as exc:
        _keep(kept, report, [doc], str(exc), STORE_ERROR)
    return None


def _keep(kept: list[str], report: ReplayReport, docs: list[dict[str, Any]], error: str, reason: str) -> None:
    kept.extend(dead_letter_line(doc, error, reason) for doc in docs)
    report.kept[reason] += len(docs)
    report.last_error = error


def _reason(raw: str) -> str:
    """The reason recorded with a line (lines written before reasons were recorded: ``unknown``)."""
    entry = json.loads(raw)
    reason = entry.get("reason")
    return str(reason) if reason else "unknown"
