"""Writing to the cluster with the embedded store's rules, a chunk at a time.

The rules (see ``storage.sqlite_write``): the current version of a document is the one with the latest
``seen_at`` (ties go to the later write); a content change ignores ``VOLATILE_FIELDS``; each (document, UTC
day) keeps one observation, the latest sighting that day; first/last seen and the observed days span every
sighting, older ones included.

For a chunk, ``plan`` reads what the cluster holds (two real-time ``mget``), decides every change in memory
and returns the bulk actions with what they did per document id.  Writes are conditional
(``if_seq_no``/``if_primary_term``, or ``create`` for a new id), so a concurrent writer makes an action fail
with 409 instead of being overwritten: the backend then plans that document again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storage.base import WriteResult
from storage.cluster.documents import document_source, observation_id, observation_source
from storage.sqlite import iso_time
from storage.sqlite_write import Prepared

STATE_FIELDS = ("content_hash", "current_us", "first_us", "last_us", "days")
Action = tuple[dict[str, Any], dict[str, Any]]  # bulk action line and source


@dataclass
class _Stored:
    seq_no: int
    primary_term: int


@dataclass
class _Doc:
    """A document's state while a chunk is planned."""

    content_hash: str
    current_us: int
    first_us: int
    last_us: int
    days: set[str]
    stored: _Stored | None = None  # None: not in the cluster yet
    row: Prepared | None = None  # the version to store, when it changes
    dirty: bool = False

    def accept(self, row: Prepared) -> bool:
        """Take ``row`` as the current version unless it is older; True when the content changed."""
        if row.seen_us < self.current_us:
            return False
        changed = row.content_hash != self.content_hash
        if changed or row.seen_us > self.current_us:
            self.row, self.content_hash, self.current_us, self.dirty = row, row.content_hash, row.seen_us, True
        return changed

    def span(self, row: Prepared) -> None:
        if row.seen_us < self.first_us or row.seen_us > self.last_us or row.day not in self.days:
            self.first_us, self.last_us = min(self.first_us, row.seen_us), max(self.last_us, row.seen_us)
            self.days.add(row.day)
            self.dirty = True


@dataclass
class Plan:
    """The bulk actions of a chunk, and the write result each document id contributes."""

    actions: dict[str, list[Action]] = field(default_factory=dict)  # doc id -> its actions
    results: dict[str, WriteResult] = field(default_factory=dict)  # doc id -> what its rows did


def plan(
    rows: Sequence[Prepared],
    stored_docs: Mapping[str, Mapping[str, Any]],
    stored_observations: Mapping[str, Mapping[str, Any]],
    documents_index: str,
    observations_index: str,
) -> Plan:
    """Plan ``rows`` against the ``mget`` answers (by id: ``found``, ``_source``, ``_seq_no``...)."""
    out = Plan()
    by_id: dict[str, list[Prepared]] = {}
    for row in rows:
        by_id.setdefault(row.id, []).append(row)
    for doc_id, doc_rows in by_id.items():
        result = out.results[doc_id] = WriteResult()
        state = _state(stored_docs.get(doc_id))
        latest: dict[str, Prepared] = {}  # day -> latest sighting of this chunk
        for row in doc_rows:
            if state is None:
                state = _Doc(row.content_hash, row.seen_us, row.seen_us, row.seen_us, {row.day}, row=row, dirty=True)
                result.created += 1
            elif state.accept(row):
                result.updated += 1
            else:
                result.unchanged += 1
            state.span(row)
            earlier = latest.get(row.day)
            if earlier is None and not stored_observations.get(observation_id(doc_id, row.day), {}).get("found"):
                result.observations += 1
            if earlier is None or row.seen_us >= earlier.seen_us:
                latest[row.day] = row
        assert state is not None
        actions = out.actions[doc_id] = []
        if state.dirty:
            actions.append(_document_action(documents_index, doc_id, state))
        for day, row in latest.items():
            action = _observation_action(observations_index, row, stored_observations.get(observation_id(doc_id, day)))
            if action is not None:
                actions.append(action)
    return out


def _state(found: Mapping[str, Any] | None) -> _Doc | None:
    if not found or not found.get("found"):
        return None
    source = found["_source"]
    return _Doc(
        str(source["content_hash"]),
        int(source["current_us"]),
        int(source["first_us"]),
        int(source["last_us"]),
        set(source.get("days") or []),
        stored=_Stored(int(found["_seq_no"]), int(found["_primary_term"])),
    )


def _document_action(index: str, doc_id: str, state: _Doc) -> Action:
    if state.row is None:  # an older sighting: only the span changes, as a partial update
        if state.stored is None:
            raise AssertionError(f"document {doc_id}: a new document always has a version to store")
        span = {
            "first_us": state.first_us,
            "last_us": state.last_us,
            "first_seen": iso_time(state.first_us),
            "last_seen": iso_time(state.last_us),
            "days": sorted(state.days),
        }
        where = {"if_seq_no": state.stored.seq_no, "if_primary_term": state.stored.primary_term}
        return {"update": {"_index": index, "_id": doc_id, **where}}, {"doc": span}
    source = document_source(state.row, state.first_us, state.last_us, sorted(state.days))
    return _conditional(index, doc_id, state.stored), source


def _observation_action(index: str, row: Prepared, stored: Mapping[str, Any] | None) -> Action | None:
    obs_id = observation_id(row.id, row.day)
    if stored and stored.get("found"):
        if row.seen_us < int(stored["_source"]["seen_us"]):
            return None  # an earlier sighting the same day never replaces a later one
        where = _Stored(int(stored["_seq_no"]), int(stored["_primary_term"]))
        return _conditional(index, obs_id, where), observation_source(row)
    return _conditional(index, obs_id, None), observation_source(row)


def _conditional(index: str, doc_id: str, stored: _Stored | None) -> dict[str, Any]:
    if stored is None:
        return {"create": {"_index": index, "_id": doc_id}}
    where = {"if_seq_no": stored.seq_no, "if_primary_term": stored.primary_term}
    return {"index": {"_index": index, "_id": doc_id, **where}}
