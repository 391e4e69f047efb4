"""Watchlists: a saved search, or a substance name with its spellings, that raises a ``watch_hit`` signal when a new
document matches.

- A **query** watchlist is a search as ``npswatch search`` takes it: text, kinds, sources and keyword filters.
- A **substance** watchlist is a name.  A name the lexicon knows (``nlp.spellings``) matches documents whose
  extraction found the substance (``substance`` field) and documents whose text has any of its spellings; a name it
  does not know (a candidate another EWS reported) matches the candidate as extraction wrote it (``novel_substance``,
  spellings folded: ``3-CPMC``, ``3cpmc``, ``3 CPMC``) and the text as written (the search already matches it with
  or without hyphens and spaces).

Creating a watchlist runs it over everything stored (the *retro-hunt*): what already matches is listed and recorded,
never signalled.  After that, each signal run (``signals.run.run_and_deliver``: ``npswatch signals run``, the
scheduler after its crawls, ``npswatch demo``) looks at the documents observed from the watchlist's last checked day
to the run's as-of day whose first sighting falls in that span and that it has not matched before: those are *new*.
New matches of one watchlist are one ``watch_hit`` episode (``signals.episodes``) while they keep coming at most
``WATCH_GAP`` days apart; the new episode is delivered like every other signal.  Everything goes through the
``Storage`` interface, so it works on every backend.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from signals import episodes
from signals.episodes import Detection
from signals.model import Evidence, Signal
from signals.series import candidate_key, candidate_names
from signals.store import SignalStore, StoredWatchlist
from storage.base import KEYWORD_FIELDS, SearchQuery, Storage

WATCH_GAP = 7  # days without a new match that end a watch_hit episode
MAX_SPELLINGS = 32  # spellings of one substance searched for
RETRO_LIMIT = 5000  # documents a retro-hunt records (the total is counted up to this)
NEW_LIMIT = 1000  # new documents one run records per watchlist
MAX_EVIDENCE = 50  # evidence items kept per signal (the earliest)
MAX_NAME = 200  # characters of a watchlist name, a query text or a substance name
KINDS = ("query", "substance")
SEVERITIES = ("low", "medium", "high")


class WatchError(ValueError):
    """A watchlist that cannot be made; the message says what was expected."""


@dataclass(frozen=True)
class WatchSpec:
    """What a watchlist matches (stored as JSON in the signal store)."""

    kind: str  # query | substance
    text: str = "*"
    kinds: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    filters: dict[str, list[str]] = field(default_factory=dict)
    substance: str | None = None  # the canonical name (known) or the name as written (a candidate)
    known: bool = False
    spellings: tuple[str, ...] = ()  # text searched for (substance watchlists)
    candidates: tuple[str, ...] = ()  # ``novel_substance`` values matched (a candidate's spellings)
    severity: str = "medium"  # of the watch_hit signals it raises

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WatchSpec:
        tuples = ("kinds", "sources", "spellings", "candidates")
        kept: dict[str, Any] = {k: tuple(v) if k in tuples else v for k, v in data.items()
                                if k in cls.__dataclass_fields__}  # fmt: skip
        return cls(**kept)


@dataclass
class Retro:
    """What a watchlist matched when it was made."""

    watchlist: StoredWatchlist
    total: int  # documents found (at most RETRO_LIMIT)
    truncated: bool  # more matched than were counted
    hits: list[dict[str, Any]]  # the first ones, as search hits


def query_spec(text: str, kinds: Sequence[str] = (), sources: Sequence[str] = (),
               filters: Mapping[str, Sequence[str]] | None = None, severity: str = "medium") -> WatchSpec:  # fmt: skip
    """A saved search; WatchError for an unknown filter field or a text too long."""
    _check_text(text, "query")
    for name in filters or {}:
        if name not in KEYWORD_FIELDS:
            raise WatchError(f"filter field: expected one of {', '.join(KEYWORD_FIELDS)}, found {name!r}")
    clean = {k: [str(v) for v in values] for k, values in (filters or {}).items() if values}
    return WatchSpec("query", text.strip() or "*", tuple(kinds), tuple(sources), clean, severity=_severity(severity))


def substance_spec(name: str, severity: str = "medium") -> WatchSpec:
    """A substance name with its spellings: the lexicon's for a known substance, the name's folded forms for a
    candidate it does not know."""
    import nlp

    _check_text(name, "substance")
    if not any(ch.isalnum() for ch in name):
        raise WatchError(f"substance: expected a name with letters or digits, found {name!r}")
    known = nlp.spellings(name.strip())
    if known is not None:
        canonical, spelled = known
        return WatchSpec("substance", substance=canonical, known=True, spellings=tuple(spelled[:MAX_SPELLINGS]),
                         severity=_severity(severity))  # fmt: skip
    written = " ".join(name.split())
    key = candidate_key(written)
    forms = dict.fromkeys([written, written.upper(), key, *_split_forms(key)])
    # one search term finds every spelling: "3-CPMC" also matches "3 CPMC" and "3CPMC" (storage.ftsquery)
    term = candidate_names([written])[0].replace(" ", "-")
    return WatchSpec("substance", substance=written, spellings=(term,), candidates=tuple(f for f in forms if f),
                     severity=_severity(severity))  # fmt: skip


def _split_forms(key: str) -> list[str]:
    """``3CPMC`` -> ``3-CPMC``, ``3 CPMC``: the spellings extraction may have written for a candidate."""
    digits = len(key) - len(key.lstrip("0123456789"))
    if 0 < digits < len(key):
        return [f"{key[:digits]}-{key[digits:]}", f"{key[:digits]} {key[digits:]}"]
    return []


def _check_text(value: str, what: str) -> None:
    if len(value) > MAX_NAME:
        raise WatchError(f"{what}: at most {MAX_NAME} characters, found {len(value)}")


def _severity(value: str) -> str:
    if value not in SEVERITIES:
        raise WatchError(f"severity: expected one of {', '.join(SEVERITIES)}, found {value!r}")
    return value


def queries(spec: WatchSpec, date_from: date | None = None, date_to: date | None = None) -> list[SearchQuery]:
    """The searches whose union is what ``spec`` matches (documents observed between the two days)."""
    if spec.kind == "query":
        return [SearchQuery(spec.text, spec.kinds, spec.sources, date_from, date_to, filters=spec.filters)]
    filters: list[dict[str, list[str]]] = []
    if spec.known and spec.substance:
        filters.append({"substance": [spec.substance]})
    if spec.candidates:
        filters.append({"novel_substance": list(spec.candidates)})
    found = [SearchQuery(date_from=date_from, date_to=date_to, filters=f) for f in filters]
    for spelling in spec.spellings:
        text = f'"{spelling}"' if len(spelling.split()) > 1 else spelling  # several words: as a phrase
        found.append(SearchQuery(text, date_from=date_from, date_to=date_to))
    return found


def matches(store: Storage, spec: WatchSpec, limit: int, date_from: date | None = None,
            date_to: date | None = None) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Every document ``spec`` matches, once each, as search hits (at most ``limit``)."""
    seen: set[str] = set()
    for query in queries(spec, date_from, date_to):
        for hit in store.scan(query):
            if hit["id"] in seen:
                continue
            seen.add(hit["id"])
            yield hit
            if len(seen) >= limit:
                return


def create(store: Storage, signals: SignalStore, name: str, spec: WatchSpec, user: str, today: date,
           shown: int = 50) -> Retro:  # fmt: skip
    """Save a watchlist and run the retro-hunt: what matches already is recorded (never signalled)."""
    if not name.strip():
        raise WatchError("name: expected a name for the watchlist")
    _check_text(name, "name")
    found = list(matches(store, spec, RETRO_LIMIT + 1))
    truncated = len(found) > RETRO_LIMIT
    found = found[:RETRO_LIMIT]
    with signals.transaction():
        watch = signals.add_watchlist(" ".join(name.split()), spec.kind, spec.to_json(), user, today)
        signals.add_watch_hits(watch.id, [str(hit["id"]) for hit in found], retro=True)
    return Retro(watch, len(found), truncated, found[:shown])


@dataclass
class WatchRun:
    created: list[Signal] = field(default_factory=list)
    updated: list[Signal] = field(default_factory=list)
    closed: list[Signal] = field(default_factory=list)
    new_documents: int = 0


def run_watchlists(store: Storage, signals: SignalStore, as_of: date) -> WatchRun:
    """Look for new matches of every active watchlist up to ``as_of``; fold them into ``watch_hit`` episodes and
    close the episodes with no new match for ``WATCH_GAP`` days."""
    result = WatchRun()
    new: dict[int, list[dict[str, Any]]] = {}
    detections = []
    for watch in signals.watchlists():
        since = date.fromisoformat(watch.checked_through)
        if since > as_of:
            continue
        hits = [h for h in matches(store, WatchSpec.from_json(watch.spec), NEW_LIMIT * 4, since, as_of)
                if str(h.get("first_seen") or "")[:10] >= since.isoformat()]  # fmt: skip
        with signals.transaction():
            added = set(signals.add_watch_hits(watch.id, [str(h["id"]) for h in hits[:NEW_LIMIT]], retro=False))
            signals.set_checked_through(watch.id, as_of)
        fresh = [h for h in hits if str(h["id"]) in added]
        if fresh:
            new[watch.id] = fresh
            result.new_documents += len(fresh)
            stats = {"watchlist": watch.id, "new": len(fresh), "kind": watch.kind}
            severity = WatchSpec.from_json(watch.spec).severity
            detections.append(Detection("watch_hit", watch.name, _scope(watch.id), as_of, severity, "watchlist",
                                        stats, since))  # fmt: skip
    with signals.transaction():
        created, updated = episodes.fold(detections, signals, {"watch_hit": WATCH_GAP}, _start,
                                         lambda signal, det: _update(signal, det, new))  # fmt: skip
        for signal in signals.find(types=("watch_hit",), states=("new", "acknowledged")):
            if date.fromisoformat(signal.last_seen) + timedelta(days=WATCH_GAP) < as_of:
                result.closed.append(episodes.close(signals, signal))
    result.created, result.updated = created, updated
    return result


def _scope(watch_id: int) -> str:
    return f"watchlist={watch_id}"


def _start(det: Detection) -> Signal:
    return Signal(type="watch_hit", subject=det.subject, first_seen=det.day.isoformat(), last_seen=det.day.isoformat(),
                  severity=det.severity, summary="", detector="watchlist", scope=det.scope,  # type: ignore[arg-type]
                  window={"from": det.since.isoformat(), "to": det.day.isoformat(), "interval": "day"})  # fmt: skip


def _update(signal: Signal, det: Detection, new: Mapping[int, list[dict[str, Any]]]) -> None:
    fresh = new[int(det.statistics["watchlist"])]
    signal.last_seen = max(signal.last_seen, det.day.isoformat())
    signal.window["to"] = signal.last_seen
    signal.statistics = dict(det.statistics)
    known = {e.doc_id for e in signal.evidence}
    evidence = [Evidence(str(h["id"]), str(h.get("kind")), str(h.get("url") or ""), str(h.get("seen_at") or ""),
                         h.get("warc_record_id")) for h in fresh if str(h["id"]) not in known]  # fmt: skip
    signal.evidence = (signal.evidence + evidence)[:MAX_EVIDENCE]
    counts = dict(signal.counts)
    for hit in fresh:
        kind = f"{hit.get('kind')}s"
        counts[kind] = counts.get(kind, 0) + 1
    counts["documents"] = counts.get("documents", 0) + len(fresh)
    signal.counts = counts
    signal.sources = sorted({*signal.sources, *(str(h.get("source")) for h in fresh if h.get("source"))})
    signal.markets = sorted({*signal.markets, *(str(h.get("market")) for h in fresh if h.get("market"))})
    where = ", ".join(signal.markets or signal.sources) or "the store"
    signal.summary = (f"Watchlist {signal.subject!r}: {counts['documents']} new document(s) matched from "
                      f"{signal.first_seen} to {signal.last_seen}, in {where}.")  # fmt: skip
