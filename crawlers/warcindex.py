"""An index of the WARC archive: where each record is (file, offset, length), by WARC-Record-ID and by URL.

The archive is append-only: a crawl appends records (one gzip member each, ``crawlers.warc``) to its current file and
starts new files; nothing is rewritten.  So the index is kept incrementally, in a small SQLite file beside the WARC
files (``<warc dir>/index.sqlite3``): for each file it remembers how far it was read, and :meth:`WarcIndex.refresh`
reads only what was appended since, complete gzip members only (the record a crawl is writing right now is read next
time).  :meth:`WarcIndex.find` of an id the index lacks refreshes once and looks again, so a record written a moment
ago is found and an unknown id costs a look at what is new (usually nothing); no request scans the archive.

The index is built outside the writer: a crawl does not wait for it, and an archive copied from elsewhere is indexed
on first use.  :meth:`WarcIndex.read` gives one record (headers and at most ``max_bytes`` of its payload),
:meth:`WarcIndex.raw` its gzip member as stored (a valid ``.warc.gz`` of one record).
"""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storage.private import create_private

INDEX_NAME = "index.sqlite3"
MAX_PAYLOAD = 8 * 1024 * 1024  # bytes of a payload read for display (as the crawl's DOWNLOAD_MAXSIZE)
MAX_RECORD = 64 * 1024 * 1024  # bytes of a stored record given for download
_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,          -- relative to the WARC directory
    indexed INTEGER NOT NULL        -- bytes read: the end of the last complete record indexed
);
CREATE TABLE IF NOT EXISTS records (
    record_id TEXT PRIMARY KEY,     -- WARC-Record-ID, e.g. <urn:uuid:...>
    path TEXT NOT NULL,
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    type TEXT NOT NULL,             -- response | request | warcinfo | ...
    uri TEXT,
    date TEXT,                      -- WARC-Date: the capture time
    status INTEGER,                 -- HTTP status of a response
    content_type TEXT               -- of the HTTP payload
);
CREATE INDEX IF NOT EXISTS records_uri ON records (uri, date);
"""


class WarcIndexError(Exception):
    """The index or a WARC file cannot be read; the message names the file."""


@dataclass(frozen=True)
class Location:
    record_id: str
    path: Path  # absolute
    offset: int
    length: int
    type: str
    uri: str | None
    date: str | None
    status: int | None
    content_type: str | None


@dataclass
class ArchivedRecord:
    """One record as archived: its WARC headers, the HTTP status line and headers, and the payload."""

    location: Location
    warc_headers: list[tuple[str, str]]
    http_status: str | None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    payload: bytes = b""
    truncated: bool = False  # the payload is longer than what was read


class WarcIndex:
    """The index of the WARC files under ``warc_dir`` (its file: ``index_path``, default beside them)."""

    def __init__(self, warc_dir: Path, index_path: Path | None = None) -> None:
        self.warc_dir = Path(warc_dir)
        self.path = index_path or self.warc_dir / INDEX_NAME
        try:
            create_private(self.path)  # owner-only: the index names every URL crawled
            self._conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise WarcIndexError(f"WARC index {self.path}: cannot open ({exc})") from exc

    def close(self) -> None:
        self._conn.close()

    def refresh(self) -> int:
        """Index what was appended to the WARC files since the last refresh; the number of records added."""
        done = dict(self._conn.execute("SELECT path, indexed FROM files").fetchall())
        added = 0
        for path in sorted(self.warc_dir.rglob("*.warc.gz")):
            name = path.relative_to(self.warc_dir).as_posix()
            size = path.stat().st_size
            if done.get(name, 0) < size:
                added += self._index_file(path, name, done.get(name, 0), size)
        return added

    def _index_file(self, path: Path, name: str, start: int, size: int) -> int:
        rows = []
        end = start
        try:
            with path.open("rb") as fh:
                fh.seek(start)
                for offset, length, row in _records(fh):
                    if offset + length > size or not _complete_member(fh, offset, length):
                        break
                    rows.append((*row[:1], name, offset, length, *row[1:]))
                    end = offset + length
        except (OSError, ArchiveLoadFailed, ValueError, EOFError, zlib.error) as exc:
            if not rows:  # a damaged file: the records read before the damage are kept
                raise WarcIndexError(f"{path}: not a readable gzip WARC file after byte {start} ({exc})") from exc
        with self._conn:  # one transaction: the file's records and how far it was read
            self._conn.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self._conn.execute("INSERT OR REPLACE INTO files VALUES (?, ?)", (name, end))
        return len(rows)

    def find(self, record_id: str) -> Location | None:
        """Where the record ``record_id`` is (refreshing once when the index lacks it)."""
        found = self._find("record_id = ?", (record_id,))
        if found is None and self.refresh():
            found = self._find("record_id = ?", (record_id,))
        return found

    def latest_response(self, uri: str) -> Location | None:
        """The latest archived response for ``uri`` (as indexed: no refresh)."""
        return self._find("uri = ? AND type = 'response' ORDER BY date DESC", (uri,))

    def _find(self, where: str, params: tuple[str, ...]) -> Location | None:
        columns = "record_id, path, offset, length, type, uri, date, status, content_type"
        sql = f"SELECT {columns} FROM records WHERE {where}"
        row = self._conn.execute(sql + " LIMIT 1", params).fetchone()
        if row is None:
            return None
        return Location(row[0], self.warc_dir / row[1], *row[2:])

    def read(self, location: Location, max_bytes: int = MAX_PAYLOAD) -> ArchivedRecord:
        """The record at ``location``: headers and at most ``max_bytes`` of its (decoded) payload."""
        try:
            with location.path.open("rb") as fh:
                fh.seek(location.offset)
                record = next(iter(ArchiveIterator(fh)))
                http = record.http_headers
                payload = record.content_stream().read(max_bytes + 1)
                return ArchivedRecord(
                    location,
                    list(record.rec_headers.headers),
                    http.statusline if http is not None else None,
                    list(http.headers) if http is not None else [],
                    payload[:max_bytes],
                    len(payload) > max_bytes,
                )  # fmt: skip
        except (OSError, StopIteration, ArchiveLoadFailed, ValueError, zlib.error) as exc:
            raise WarcIndexError(f"{location.path}: cannot read the record at byte {location.offset} ({exc})") from exc

    def raw(self, location: Location) -> bytes:
        """The record's gzip member as stored: a ``.warc.gz`` file of one record."""
        if location.length > MAX_RECORD:
            raise WarcIndexError(f"{location.record_id}: {location.length} bytes, over the {MAX_RECORD} bytes given")
        try:
            with location.path.open("rb") as fh:
                fh.seek(location.offset)
                return fh.read(location.length)
        except OSError as exc:
            raise WarcIndexError(f"{location.path}: cannot read the record at byte {location.offset} ({exc})") from exc


def _records(fh: object) -> Iterator[tuple[int, int, tuple[object, ...]]]:
    """(offset, length, row) of each record from the file's current position (offsets from the file's start);
    ``row`` is the index row without file, offset and length."""
    iterator = ArchiveIterator(fh)
    for record in iterator:
        headers = record.rec_headers
        http = record.http_headers
        status = None
        if record.rec_type == "response" and http is not None:
            with contextlib.suppress(ValueError, TypeError):
                status = int(http.get_statuscode())
        content_type = http.get_header("Content-Type") if http is not None else None
        iterator.read_to_end(record)
        offset, length = iterator.get_record_offset(), iterator.get_record_length()
        row = (headers.get_header("WARC-Record-ID"), record.rec_type, headers.get_header("WARC-Target-URI"),
               headers.get_header("WARC-Date"), status, content_type)  # fmt: skip
        yield offset, length, row


def _complete_member(fh: object, offset: int, length: int) -> bool:
    """Whether the bytes at ``offset`` are one whole gzip member (a record still being written is not)."""
    assert hasattr(fh, "tell") and hasattr(fh, "seek") and hasattr(fh, "read")
    position = fh.tell()
    try:
        fh.seek(offset)
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = fh.read(length)
        member.decompress(data)
        return member.eof and not member.unused_data
    except zlib.error:
        return False
    finally:
        fh.seek(position)
