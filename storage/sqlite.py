"""The embedded default backend: one SQLite file, WAL mode, an FTS5 full-text index.

Tables (see ``storage/migrations/0001_initial.sql``): ``documents`` holds the current
version of each document as JSON; ``observations`` one row per document and UTC day of
``seen_at`` (the last sighting that day, its prices and WARC record); ``terms`` the
keyword values that filters and facets use; ``fts`` the FTS5 index of ``TEXT_FIELDS``, an
external-content table over the view ``fts_source`` (the text is stored once, in the JSON).

A write is one transaction.  A document seen again the same day updates that day's
observation in place; seen on a new day it adds one.  A sighting older than the current
version (a re-crawl of an earlier day) adds its observation but never replaces newer
content.  Readers (a search from the CLI) run beside a writer thanks to WAL.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from storage.base import (
    KEYWORD_FIELDS,
    SORTS,
    TEXT_FIELDS,
    Observation,
    SearchQuery,
    SearchResult,
    StorageError,
    StorageUnavailable,
    TrendBucket,
    TrendQuery,
    WriteResult,
    check_trend,
    keyword_value,
)
from storage.ftsquery import to_fts_query
from storage.migrations import Migration, load_migrations, migrate
from storage.private import create_private, private_dirs
from storage.sqlite_write import CHUNK_SIZE, EPOCH, Prepared, prepare, write_chunk

if TYPE_CHECKING:
    from storage.sqlite_trend import TrendIndex

# bm25 weight of each full-text field: a hit in a title counts more than one in a post body.
TEXT_WEIGHTS: dict[str, float] = {"title": 10.0, "thread_title": 8.0, "name": 8.0, "description": 2.0, "text": 1.0}
SNIPPET_MARKS = ("«", "»")  # plain-text marks around matched words; the caller escapes for HTML
SNIPPET_TOKENS = 16  # words per snippet
MIN_SQLITE = (3, 38, 0)  # the ->> JSON operator used by the schema
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another writer's transaction
# SQLite result codes that say the store itself cannot be used (full disk, read-only, corrupted, I/O error, still
# locked after the busy timeout), not that one document is wrong: raised as StorageUnavailable, so a writer keeps the
# whole batch aside instead of retrying it one document at a time.
UNUSABLE_CODES = frozenset(
    (
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    )
)

_BM25 = f"bm25(fts, {', '.join(str(TEXT_WEIGHTS[name]) for name in TEXT_FIELDS)})"
# A page of hits: the page's keys in the search order first, then only their rows (each carries its JSON body).
_PAGE = (
    "SELECT d.doc_key, d.body, d.first_us, d.last_us FROM (SELECT doc_key, score, last_us, id FROM temp.matched m "
    "ORDER BY {order} LIMIT ? OFFSET ?) m JOIN documents d ON d.doc_key = m.doc_key ORDER BY {order}"
)
_ORDER = {"relevance": "m.score, m.last_us DESC, m.id", "newest": "m.last_us DESC, m.id"}  # SearchQuery.sort
# Every facet of a search in one statement, the top values of each kept in Python.  Few hits: one look-up per hit,
# whose terms lie together (the primary key starts with doc_key; "+" keeps SQLite from one look-up per facet), about
# 8 us a hit at 100,000 documents.  Many hits: every term of the facets' fields in the index, each tested against the
# hits, a cost that grows with the store, not the hits (90 ms for five facets at 100,000 documents).
_FACETS_FEW = (
    "SELECT t.field, t.value, count(*) FROM temp.matched m CROSS JOIN terms t ON t.doc_key = m.doc_key "
    "WHERE +t.field IN ({fields}) GROUP BY t.field, t.value"
)
_FACETS_MANY = (
    "SELECT t.field, t.value, count(*) FROM terms t INDEXED BY terms_field_value JOIN temp.matched m "
    "ON m.doc_key = t.doc_key WHERE t.field IN ({fields}) GROUP BY t.field, t.value"
)
FEW_HITS = 0.1  # share of the store up to which facets start from the hits
# The same three for a search that selects every document (no text, no filter): no temporary table at all (without
# text every hit scores alike, so both sorts are the newest first).
_PAGE_ALL = (
    "SELECT d.doc_key, d.body, d.first_us, d.last_us FROM (SELECT doc_key, last_us, id FROM documents "
    "INDEXED BY documents_recent ORDER BY last_us DESC, id LIMIT ? OFFSET ?) m JOIN documents d "
    "ON d.doc_key = m.doc_key ORDER BY m.last_us DESC, m.id"
)
_FACET_ALL = "SELECT value, count(*) AS n FROM terms WHERE field = ? GROUP BY value ORDER BY n DESC, value LIMIT ?"


class SqliteStorage:
    """The SQLite backend of ``storage.base.Storage``; ``path`` may be ``":memory:"`` for tests."""

    def __init__(
        self,
        path: str | Path,
        *,
        migrations: Sequence[Migration] | None = None,
        busy_timeout: float = BUSY_TIMEOUT_S,
    ) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        self._writes = 0
        self._trends: tuple[tuple[int, int], TrendIndex] | None = None  # (data version, writes) it was read at
        self._conn = _connect(self.path, busy_timeout)
        try:
            with self._errors("open"):
                _check_is_ours(self._conn, self.path)
                migrate(self._conn, load_migrations() if migrations is None else migrations, str(self.path))
                self._conn.execute(
                    "CREATE TEMP TABLE matched (doc_key INTEGER PRIMARY KEY, score REAL, last_us INTEGER, id TEXT)"
                )
                self._conn.execute("CREATE TEMP TABLE trend_docs (doc_key INTEGER PRIMARY KEY)")
        except BaseException:
            self._conn.close()
            raise

    def __enter__(self) -> SqliteStorage:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    # -- writing -------------------------------------------------------------------------

    def write(self, documents: Iterable[Mapping[str, Any]]) -> WriteResult:
        """Write a batch in one transaction: all of it, or (on any error) none of it."""
        result = WriteResult()
        self._writes += 1  # a trend index read before is stale now
        with self._transaction("write", "BEGIN IMMEDIATE"):
            chunk: list[Prepared] = []
            for doc in documents:
                chunk.append(prepare(doc))
                if len(chunk) >= CHUNK_SIZE:
                    write_chunk(self._conn, chunk, result)
                    chunk = []
            if chunk:
                write_chunk(self._conn, chunk, result)
        return result

    # -- reading -------------------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        with self._errors("get"):
            found = self._conn.execute("SELECT body FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if found is None else _loads(found[0])

    def history(self, doc_id: str) -> list[Observation]:
        """Every observation of the document, oldest day first."""
        sql = (
            "SELECT o.day, o.seen_us, o.prices, o.warc_record_id FROM observations o "
            "JOIN documents d ON d.doc_key = o.doc_key WHERE d.id = ? ORDER BY o.day"
        )
        with self._errors("history"):
            rows = self._conn.execute(sql, (doc_id,)).fetchall()
        return [
            Observation(doc_id, date.fromisoformat(day), iso_time(seen_us), json.loads(prices), warc)
            for day, seen_us, prices, warc in rows
        ]

    def count(self, kind: str | None = None, source: str | None = None) -> int:
        conditions = [(column, value) for column, value in (("kind", kind), ("source", source)) if value is not None]
        where = " AND ".join(f"{column} = ?" for column, _ in conditions) or "1"
        with self._errors("count"):
            found = self._conn.execute(f"SELECT count(*) FROM documents WHERE {where}", [v for _, v in conditions])
            return int(found.fetchone()[0])

    def stats(self) -> dict[str, dict[str, int]]:
        """Document counts per kind and per source."""
        out: dict[str, dict[str, int]] = {}
        with self._errors("stats"):
            for column in ("kind", "source"):
                sql = f"SELECT {column}, count(*) FROM documents GROUP BY {column} ORDER BY {column}"
                out[column] = {value: int(n) for value, n in self._conn.execute(sql)}
        return out

    def search(self, query: SearchQuery) -> SearchResult:
        check_query(query)
        match = to_fts_query(query.text)
        everything = match is None and not _narrowed(query)
        with self._transaction("search", "BEGIN"):  # one snapshot for total, page and facets
            if everything:
                (total,) = self._conn.execute("SELECT count(*) FROM documents").fetchone()
                hits = self._page(_PAGE_ALL, query, match)
                facets = {name: self._facet_all(name, query.facet_size) for name in query.facets}
            else:
                self._conn.execute("DELETE FROM temp.matched")
                self._conn.execute(*_matching_sql(query, match))
                (total,) = self._conn.execute("SELECT count(*) FROM temp.matched").fetchone()
                hits = self._page(_PAGE, query, match)
                facets = self._facets(query.facets, query.facet_size, int(total))
        return SearchResult(int(total), hits, facets)

    def scan(self, query: SearchQuery, page: int = 500) -> Iterator[dict[str, Any]]:
        """Every selected document once: pages of the search's own stable order (score, newest, id); a write
        between pages may shift them, so scan a store no crawl is writing to."""
        offset = 0
        while True:
            hits = self.search(replace(query, limit=page, offset=offset, facets=())).hits
            yield from hits
            if len(hits) < page:
                return
            offset += page

    def trend(self, query: TrendQuery) -> list[TrendBucket]:
        """Observed documents per day or week with EUR-per-gram percentiles (``storage.sqlite_trend``).  The
        observations are read once into a ``TrendIndex``, kept until this store or another connection writes.
        While it is stale, a trend whose filters select a small part of the store (a substance) reads only the
        observations of the documents that may match, without reading (or keeping) the whole index."""
        from storage.sqlite_trend import TrendIndex, narrowed, trend

        check_trend(query)
        with self._transaction("trend", "BEGIN"):
            self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
            (version,) = self._conn.execute("PRAGMA data_version").fetchone()  # changes on others' commits
            if self._trends is None or self._trends[0] != (version, self._writes):
                if (index := narrowed(self._conn, query)) is not None:
                    return trend(index, query)
                self._trends = ((version, self._writes), TrendIndex(self._conn))
            return trend(self._trends[1], query)

    def _page(self, sql: str, query: SearchQuery, match: str | None) -> list[dict[str, Any]]:
        rows = self._conn.execute(sql.format(order=_ORDER[query.sort]), (query.limit, query.offset)).fetchall()
        snippets = self._snippets(match, [row[0] for row in rows]) if match else {}
        hits = []
        for key, body, first_us, last_us in rows:
            doc = _loads(body)
            snippet = snippets.get(key) or lead_text(doc)
            hits.append({**doc, "first_seen": iso_time(first_us), "last_seen": iso_time(last_us), "snippet": snippet})
        return hits

    def _snippets(self, match: str, keys: list[int]) -> dict[int, str]:
        if not keys:
            return {}
        opening, closing = SNIPPET_MARKS
        sql = (
            f"SELECT rowid, snippet(fts, -1, ?, ?, '…', {SNIPPET_TOKENS:d}) FROM fts "
            f"WHERE fts MATCH ? AND rowid IN ({', '.join('?' * len(keys))})"
        )
        return {key: text for key, text in self._conn.execute(sql, (opening, closing, match, *keys))}

    def _facet_all(self, name: str, size: int) -> dict[str, int]:
        return {value: int(n) for value, n in self._conn.execute(_FACET_ALL, (name, size))}

    def _facets(self, names: Sequence[str], size: int, hits: int) -> dict[str, dict[str, int]]:
        """The top ``size`` values of each facet over the ``hits`` documents of ``temp.matched``: most documents
        first, then by value (code point order, as SQLite's BINARY collation sorts UTF-8)."""
        if not names:
            return {}
        (documents,) = self._conn.execute("SELECT coalesce(max(doc_key), 0) FROM documents").fetchone()  # keys: 1..n
        sql = _FACETS_FEW if hits <= FEW_HITS * documents else _FACETS_MANY
        counts: dict[str, list[tuple[int, str]]] = {name: [] for name in names}
        for name, value, n in self._conn.execute(sql.format(fields=_marks(names)), list(names)):
            counts[name].append((-int(n), value))
        return {name: {value: -n for n, value in heapq.nsmallest(size, found)} for name, found in counts.items()}

    # -- plumbing ------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, action: str, begin: str) -> Iterator[None]:
        with self._errors(action), transaction(self._conn, begin):
            yield

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            message = f"SQLite storage {self.path}: {action} failed: {exc}"
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF in UNUSABLE_CODES:  # the primary code: extended ones add bits
                raise StorageUnavailable(message) from exc
            raise StorageError(message) from exc


@contextmanager
def transaction(conn: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
    """``begin`` on ``conn`` (opened with ``isolation_level=None``), COMMIT after the block, ROLLBACK if it raises;
    a transaction SQLite has already rolled back itself (a full disk, an I/O error) is not rolled back again, so the
    first error is the one reported."""
    conn.execute(begin)
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def iso_time(micros: int) -> str:
    """Microseconds since the epoch as ISO 8601 UTC: ``2024-05-01T10:00:00Z`` (fraction only if any)."""
    moment = EPOCH + timedelta(microseconds=micros)
    fraction = f".{moment.microsecond:06d}" if moment.microsecond else ""
    return f"{moment:%Y-%m-%dT%H:%M:%S}{fraction}Z"


def lead_text(doc: Mapping[str, Any], limit: int = 200) -> str:
    """The snippet of a hit without a text match: the start of its description or text."""
    text = " ".join(str(doc.get("description") or doc.get("text") or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def check_query(query: SearchQuery) -> None:
    for name in (*query.facets, *query.filters):
        if name not in KEYWORD_FIELDS:
            raise StorageError(
                f"unknown keyword field {name!r} in a search; expected one of {', '.join(KEYWORD_FIELDS)}"
            )
    for name in ("limit", "offset"):
        if getattr(query, name) < 0:
            raise StorageError(f"search {name} must be 0 or more, found {getattr(query, name)}")
    if query.facet_size < 1:
        raise StorageError(f"search facet_size must be 1 or more, found {query.facet_size}")
    if query.sort not in SORTS:
        raise StorageError(f"search sort must be one of {', '.join(SORTS)}, found {query.sort!r}")


def _narrowed(query: SearchQuery) -> bool:
    """Whether a query has a condition besides its text."""
    filtered = any(_as_list(values) for values in query.filters.values())
    return bool(query.kinds or query.sources or filtered or query.date_from or query.date_to)


def _matching_sql(query: SearchQuery, match: str | None) -> tuple[str, list[Any]]:
    """The INSERT that fills ``temp.matched`` with every document the query accepts.

    With text, the full-text index drives (CROSS JOIN keeps it the outer loop): left to itself, SQLite may walk
    every document of a kind and run the text query once per document, which grows with the square of the store
    (539 ms at 80,000 documents for a word among posts).  Each match reads the narrow index ``documents_facts``,
    not the document's row.
    """
    conditions: list[str] = []
    params: list[Any] = []
    documents = "documents d INDEXED BY documents_facts"
    if match is not None:
        tables, score = f"fts CROSS JOIN {documents} ON d.doc_key = fts.rowid", _BM25
        conditions.append("fts MATCH ?")
        params.append(match)
    else:
        tables, score = documents, "0.0"
    for column, values in (("kind", query.kinds), ("source", query.sources)):
        if values:
            conditions.append(f"d.{column} IN ({_marks(values)})")
            params += list(_as_list(values))
    for name, values in query.filters.items():
        if values:
            accepted = [keyword_value(value) for value in _as_list(values)]
            conditions.append(
                f"d.doc_key IN (SELECT doc_key FROM terms WHERE field = ? AND value IN ({_marks(accepted)}))"
            )
            params += [name, *accepted]
    if query.date_from is not None or query.date_to is not None:
        conditions.append(
            "EXISTS (SELECT 1 FROM observations o WHERE o.doc_key = d.doc_key AND o.day >= ? AND o.day <= ?)"
        )
        params += [_day(query.date_from, "0000-01-01"), _day(query.date_to, "9999-12-31")]
    where = " AND ".join(conditions) or "1"
    sql = f"INSERT INTO temp.matched SELECT d.doc_key, {score}, d.last_us, d.id FROM {tables} WHERE {where}"
    return sql, params


def _as_list(values: Sequence[Any] | str) -> Sequence[Any]:
    return [values] if isinstance(values, str) else values


def _marks(values: Sequence[Any] | str) -> str:
    return ", ".join("?" * len(_as_list(values)))


def _day(value: date | None, default: str) -> str:
    return default if value is None else f"{value:%Y-%m-%d}"


def _loads(body: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(body)
    return doc


def _connect(path: Path | str, busy_timeout: float) -> sqlite3.Connection:
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        wanted = ".".join(map(str, MIN_SQLITE))
        raise StorageError(
            f"the SQLite store needs SQLite {wanted} or later (JSON ->>, FTS5); found {sqlite3.sqlite_version}"
        )
    if isinstance(path, Path):
        _check_location(path)
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open {path}: expected a writable SQLite database file ({exc})") from exc
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the header: fails on a non-database
        _configure(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(f"cannot use {path}: expected a writable SQLite 3 database file ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _check_location(path: Path) -> None:
    if path.is_dir():
        raise StorageError(f"{path} is a directory; expected the path of an SQLite database file")
    try:
        private_dirs(path.parent)  # new directories owner-only (0700)
    except OSError as exc:
        raise StorageError(f"cannot create the directory of {path} for the SQLite database: {exc}") from exc
    with contextlib.suppress(OSError):  # when it cannot be created, SQLite says why just after
        create_private(path)  # a new store is owner-only (0600); SQLite gives its -wal and -shm files the same mode


def _configure(conn: sqlite3.Connection, path: Path | str) -> None:
    (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
    if isinstance(path, Path) and str(mode).lower() != "wal":
        raise StorageError(f"{path}: expected WAL journal mode, SQLite gave {mode!r}")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -65536")  # KiB: 64 MiB of page cache


def _check_is_ours(conn: sqlite3.Connection, path: Path | str) -> None:
    """A database without schema version must be empty: never migrate someone else's tables."""
    conn.execute("BEGIN")  # one snapshot: another process may be creating our schema right now
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")]
    finally:
        conn.execute("COMMIT")
    if tables and not version:
        raise StorageError(
            f"{path}: expected an empty file or an npswatch database, found other tables ({', '.join(tables[:5])})"
        )
