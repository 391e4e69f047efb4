"""Writing documents to the SQLite store, a chunk at a time.

``write_chunk`` reads what the database knows about the chunk's documents in two
queries, plans every change in memory (so the same document twice in one chunk is
handled in order), then applies the plan with one ``executemany`` per statement.  The
rules: a document's current version is the one with the latest ``seen_at`` (ties go to
the later write); a content change ignores ``VOLATILE_FIELDS``; each (document, UTC day)
keeps one observation, the latest sighting of that day.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from storage.base import (
    TEXT_FIELDS,
    VOLATILE_FIELDS,
    StorageError,
    WriteResult,
    document_text,
    eur_per_gram,
    keyword_values,
    trend_values,
)

_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_CANONICAL_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
CHUNK_SIZE = 500  # documents planned and applied together (two parameters each stay far below SQLite's limit)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_INSERT_DOC = (
    "INSERT INTO documents (doc_key, id, kind, source, body, content_hash, current_us, first_us, last_us) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_REPLACE_DOC = "UPDATE documents SET kind = ?, source = ?, body = ?, content_hash = ?, current_us = ? WHERE doc_key = ?"
_SPAN_DOC = "UPDATE documents SET first_us = ?, last_us = ? WHERE doc_key = ?"
_COLUMNS = ", ".join(TEXT_FIELDS)
_INSERT_FTS = f"INSERT INTO fts (rowid, {_COLUMNS}) VALUES (?{', ?' * len(TEXT_FIELDS)})"
_DELETE_FTS = (
    f"INSERT INTO fts (fts, rowid, {_COLUMNS}) SELECT 'delete', doc_key, {_COLUMNS} FROM fts_source WHERE doc_key = ?"
)
_INSERT_TERM = "INSERT INTO terms (doc_key, field, value) VALUES (?, ?, ?)"
_INSERT_TREND_TERM = "INSERT OR IGNORE INTO trend_terms (field, value, doc_key) VALUES (?, ?, ?)"
_UPSERT_OBSERVATION = (
    "INSERT INTO observations (doc_key, day, seen_us, prices, warc_record_id, facts) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (doc_key, day) DO UPDATE SET seen_us = excluded.seen_us, prices = excluded.prices, "
    "warc_record_id = excluded.warc_record_id, facts = excluded.facts WHERE excluded.seen_us >= observations.seen_us"
)


@dataclass(frozen=True)
class Prepared:
    """A document checked and encoded for writing."""

    doc: Mapping[str, Any]
    id: str
    kind: str
    source: str
    seen_us: int
    day: str
    body: str
    content_hash: str

    def term_rows(self, key: int) -> list[tuple[int, str, str]]:
        return [(key, name, value) for name, values in keyword_values(self.doc).items() for value in values]

    @cached_property
    def trend_values(self) -> dict[str, list[str]]:
        return trend_values(self.doc)

    def observation_row(self, key: int) -> tuple[Any, ...]:
        prices = _JSON.encode(self.doc.get("prices") or [])
        facts = _JSON.encode({"values": self.trend_values, "eur_per_gram": eur_per_gram(self.doc)})
        return (key, self.day, self.seen_us, prices, self.doc.get("warc_record_id"), facts)

    def trend_term_rows(self, key: int) -> list[tuple[str, str, int]]:
        return [(name, value, key) for name, values in self.trend_values.items() for value in values]


@dataclass
class _Current:
    """What is (or will be, once the plan is applied) stored for one document."""

    key: int
    content_hash: str
    current_us: int
    first_us: int
    last_us: int
    is_new: bool = False
    row: Prepared | None = None  # a newer version to store
    reindex: bool = False  # the stored text and terms must be replaced
    span_changed: bool = False
    stored_hash: str | None = None  # the content stored before this write (None: a new document)

    def accept(self, row: Prepared) -> bool:
        """Take ``row`` as the current version unless it is older; True when the content changed."""
        if row.seen_us < self.current_us:
            return False
        changed = row.content_hash != self.content_hash
        if changed or row.seen_us > self.current_us:
            self.row, self.content_hash, self.current_us = row, row.content_hash, row.seen_us
            self.reindex = self.reindex or changed
        return changed

    def version(self) -> Prepared:
        """The version to store (only called when there is one)."""
        if self.row is None:
            raise AssertionError(f"no version to store for document key {self.key}")
        return self.row

    def span(self, seen_us: int) -> None:
        if seen_us < self.first_us or seen_us > self.last_us:
            self.first_us, self.last_us = min(self.first_us, seen_us), max(self.last_us, seen_us)
            self.span_changed = True


@dataclass
class _Plan:
    next_key: int
    docs: dict[str, _Current] = field(default_factory=dict)
    stored_days: set[tuple[int, str]] = field(default_factory=set)  # observations already in the database
    observations: dict[tuple[int, str], Prepared] = field(default_factory=dict)  # latest sighting per day

    def add(self, row: Prepared, result: WriteResult) -> None:
        current = self.docs.get(row.id)
        if current is None:
            current = self.docs[row.id] = _new_current(self.next_key, row)
            self.next_key += 1
            result.created += 1
        elif current.accept(row):
            result.updated += 1
        else:
            result.unchanged += 1
        current.span(row.seen_us)
        self._observe(current.key, row, result)

    def _observe(self, key: int, row: Prepared, result: WriteResult) -> None:
        slot = (key, row.day)
        earlier = self.observations.get(slot)
        if earlier is None and slot not in self.stored_days:
            result.observations += 1
        if earlier is None or row.seen_us >= earlier.seen_us:
            self.observations[slot] = row


def _new_current(key: int, row: Prepared) -> _Current:
    return _Current(key, row.content_hash, row.seen_us, row.seen_us, row.seen_us, is_new=True, row=row)


def write_chunk(conn: sqlite3.Connection, rows: list[Prepared], result: WriteResult) -> None:
    """Write ``rows`` inside the caller's transaction, adding what happened to ``result``."""
    plan = _read_plan(conn, rows)
    for row in rows:
        plan.add(row, result)
    _apply(conn, plan)


def _read_plan(conn: sqlite3.Connection, rows: list[Prepared]) -> _Plan:
    (last_key,) = conn.execute("SELECT coalesce(max(doc_key), 0) FROM documents").fetchone()
    plan = _Plan(next_key=int(last_key) + 1)
    ids = list({row.id for row in rows})
    sql = (
        "SELECT id, doc_key, content_hash, current_us, first_us, last_us FROM documents "
        f"WHERE id IN ({', '.join('?' * len(ids))})"
    )
    for doc_id, key, content_hash, current_us, first_us, last_us in conn.execute(sql, ids):
        plan.docs[doc_id] = _Current(key, content_hash, current_us, first_us, last_us, stored_hash=content_hash)
    wanted = list({(plan.docs[row.id].key, row.day) for row in rows if row.id in plan.docs})
    if wanted:
        sql = (
            f"WITH wanted (doc_key, day) AS (VALUES {', '.join(['(?, ?)'] * len(wanted))}) "
            "SELECT o.doc_key, o.day FROM wanted "
            "JOIN observations o ON o.doc_key = wanted.doc_key AND o.day = wanted.day"
        )
        plan.stored_days = {(key, day) for key, day in conn.execute(sql, [v for pair in wanted for v in pair])}
    return plan


def _apply(conn: sqlite3.Connection, plan: _Plan) -> None:
    """Apply the plan.  The text index keeps no copy of the text: its deletes read the old text from the
    stored JSON (view ``fts_source``), which ``prepare`` guarantees equals ``document_text``."""
    docs = list(plan.docs.values())
    fresh = [(c, c.version()) for c in docs if c.is_new]
    changed = [(c, c.version()) for c in docs if not c.is_new and c.row is not None]
    reindexed = [(c, row) for c, row in changed if c.reindex]
    conn.executemany(_DELETE_FTS, [(c.key,) for c, _ in reindexed])  # reads the old text: before the update
    conn.executemany("DELETE FROM terms WHERE doc_key = ?", [(c.key,) for c, _ in reindexed])
    conn.executemany(_INSERT_DOC, [(c.key, r.id, *_content(c, r), c.first_us, c.last_us) for c, r in fresh])
    conn.executemany(_REPLACE_DOC, [(*_content(c, r), c.key) for c, r in changed])
    conn.executemany(_SPAN_DOC, [(c.first_us, c.last_us, c.key) for c in docs if c.span_changed and not c.is_new])
    indexed = fresh + reindexed
    conn.executemany(_INSERT_FTS, [(c.key, *document_text(r.doc).values()) for c, r in indexed])
    conn.executemany(_INSERT_TERM, [term for c, r in indexed for term in r.term_rows(c.key)])
    conn.executemany(_UPSERT_OBSERVATION, [row.observation_row(key) for (key, _), row in plan.observations.items()])
    stored = {c.key: c.stored_hash for c in docs}  # a sighting of the stored content has its trend terms already
    observed = [(key, row) for (key, _), row in plan.observations.items() if row.content_hash != stored[key]]
    conn.executemany(_INSERT_TREND_TERM, [term for key, row in observed for term in row.trend_term_rows(key)])


def _content(current: _Current, row: Prepared) -> tuple[str, str, str, str, int]:
    return row.kind, row.source, row.body, row.content_hash, current.current_us


def prepare(doc: Mapping[str, Any]) -> Prepared:
    """Check the fields every document needs and encode it; StorageError says what is wrong."""
    doc_id, kind, source, seen_at = (_required(doc, name) for name in ("id", "kind", "source", "seen_at"))
    seen = parse_time(seen_at, f"document {doc_id!r}: seen_at")
    for name in TEXT_FIELDS:
        if not isinstance(doc.get(name), str | None):
            raise StorageError(f"document {doc_id!r}: expected text (or nothing) in {name!r}, found {doc[name]!r}")
    try:
        body, content_hash = _encode(doc)
    except (TypeError, ValueError) as exc:
        raise StorageError(f"document {doc_id!r}: expected plain JSON values ({exc})") from exc
    seen_us = (seen - EPOCH) // timedelta(microseconds=1)
    return Prepared(doc, doc_id, kind, source, seen_us, seen.date().isoformat(), body, content_hash)


def _encode(doc: Mapping[str, Any]) -> tuple[str, str]:
    """The document as JSON and the hash of its content, with one encoding pass.

    The stable fields are encoded once, with sorted keys, and hashed; the volatile ones
    (``VOLATILE_FIELDS``) are appended to that object for the stored body.
    """
    stable = {name: value for name, value in doc.items() if name not in VOLATILE_FIELDS}
    volatile = {name: doc[name] for name in VOLATILE_FIELDS if name in doc}
    canonical = _CANONICAL_JSON.encode(stable)
    content_hash = hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()
    if not volatile:
        return canonical, content_hash
    extra = _JSON.encode(volatile)
    body = f"{canonical[:-1]},{extra[1:]}" if stable else extra
    return body, content_hash


def _required(doc: Mapping[str, Any], name: str) -> str:
    value = doc.get(name)
    if not isinstance(value, str) or not value:
        raise StorageError(f"document {doc.get('id')!r}: expected a non-empty string in {name!r}, found {value!r}")
    return value


def parse_time(text: str, what: str) -> datetime:
    """An ISO 8601 time as an aware UTC datetime; a time without offset is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise StorageError(f"{what}: expected an ISO 8601 time, found {text!r}") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
