"""Series from the store: what the detectors read.

Built through the engine-neutral ``Storage`` interface only (``search`` to page through the listings and posts
observed by ``as_of``, ``history`` for each listing's observation days), so it works on every backend.

Counting rules (docs/signals.md):

- a **listing** counts on every day it was observed (a listing live for 10 days counts on each of them), with that
  day's EUR-per-gram values (the NLP stage's offers, scaled by the day's price against the current one);
- a **post** counts once, on the day it was posted (``posted_at``; else the day it was first observed);
- subjects are the canonical substances of a document (``substance``) and its novel candidates
  (``novel_substance``, spellings folded: ``3-CPMC``, ``3cpmc`` and ``3 CPMC`` are one candidate);
- days on which no market was crawled are *missing* (NaN) for listing measures, never zero; the same for posts after
  the last forum crawl.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from nlp import names
from storage.base import SearchQuery, Storage

PAGE_SIZE = 500  # documents per search page while loading
MEASURES: tuple[str, ...] = ("listings", "vendors", "markets", "posts", "threads", "adverse", "severe")
LISTING_MEASURES = frozenset({"listings", "vendors", "markets"})
SPLITS: tuple[str, ...] = ("source", "market", "country", "language")
INTERVALS: tuple[str, ...] = ("day", "week")


@dataclass(frozen=True)
class Sight:
    """One day a document was counted on: when it was seen that day and which WARC record holds the page."""

    day: date
    seen_at: str
    warc_record_id: str | None
    eur_per_gram: tuple[float, ...] = ()
    bridged: bool = False  # not observed: between two sightings with no crawl of its market in between
    observed: date | None = None  # the day of the observation behind it (bridged: the one before; posts: the first)


@dataclass
class Record:
    """One listing or post, reduced to what the series and the evidence need."""

    doc_id: str
    kind: str  # listing | post
    source: str
    url: str
    subjects: list[str]
    market: str | None = None
    vendor: str | None = None
    thread: str | None = None
    country: str | None = None
    language: str | None = None
    adverse: bool = False
    severe: bool = False
    sights: list[Sight] = field(default_factory=list)
    first_observed: date | None = None  # first day the document was observed (posts: may follow the day posted)
    last_observed: date | None = None  # posts: the day of the copy the store has (the latest crawl that saw it)
    groups: tuple[str, ...] = ()  # chemical groups extraction gave the document
    known_names: frozenset[str] = frozenset()  # its known substances (``substance``); the other subjects are candidates
    adverse_subjects: frozenset[str] | None = None  # extraction's ``adverse_substance`` (None: not given)
    severe_subjects: frozenset[str] | None = None  # extraction's ``severe_substance`` (None: not given)
    leads: frozenset[str] = frozenset()  # the subjects of its thread (posts; see ``thread_leads``)
    nps_names: frozenset[str] = frozenset()  # its subjects that are NPS (candidates, the lexicon's ``nps: true``)
    uses: bool = False  # it reports use: a dose, a route or an effect (posts; a listing is an offer)

    def harms(self, subject: str, severe: bool = False) -> bool:
        """Whether the post reports an adverse (``severe``: a severe) effect of ``subject``: the substances
        extraction attributes the effects to when it says so (``adverse_substance``, ``severe_substance``), the
        NPS of the post instead when those are only classic drugs beside an NPS; else its only subject, or, when
        it names several, those its thread is about (a bad-pill thread's passing mention of cocaine is not a harm
        of cocaine)."""
        if not (self.severe if severe else self.adverse):
            return False
        named = self.severe_subjects if severe else self.adverse_subjects
        if named is None and severe:
            named = self.adverse_subjects
        if named is not None:
            if self.nps_names and named and not named & self.nps_names:
                # harm given to a classic drug of a post that names an NPS: the NPS's ("a MDMB-4en-PINACA vape
                # sold as THC had a seizure"); a classic drug beside an NPS is its vehicle, not the news
                return subject in self.nps_names
            return subject in named
        if len(self.subjects) == 1:
            return True
        if self.nps_names and subject not in self.nps_names:
            return False  # a classic drug laced with or beside an NPS: the harm is the NPS's
        return (len(self.nps_names) == 1 and subject in self.nps_names) or subject in self.leads

    def context(self) -> dict[str, str]:
        found = {"source": self.source, "market": self.market, "country": self.country, "language": self.language}
        return {k: v for k, v in found.items() if v}

    def split_value(self, split: str) -> str | None:
        return self.context().get(split)


@dataclass
class SubjectInfo:
    name: str  # the canonical substance, or the candidate's most frequent spelling
    known: bool
    family: str | None = None  # most frequent chemical group of the documents that mention it
    groups: list[str] = field(default_factory=list)  # effect groups
    nps: bool = False


@dataclass(frozen=True)
class Series:
    """Counts on a regular calendar: ``values[i]`` is the count of period ``start + i`` (NaN = not observed)."""

    start: date
    interval: str  # day | week
    values: npt.NDArray[np.float64]

    def dates(self) -> list[date]:
        step = timedelta(days=7 if self.interval == "week" else 1)
        return [self.start + i * step for i in range(len(self.values))]

    def index(self, day: date) -> int:
        return (day - self.start).days // (7 if self.interval == "week" else 1)


class StoreSeries:
    """Every series of the store as of a day, computed on demand from the loaded records."""

    def __init__(self, records: list[Record], subjects: dict[str, SubjectInfo], as_of: date) -> None:
        self.records = records
        self.subjects = subjects
        self.as_of = as_of
        self.by_subject: dict[str, list[Record]] = defaultdict(list)
        for rec in records:
            for name in rec.subjects:
                self.by_subject[name].append(rec)
        self.market_days = {s.day for r in records if r.kind == "listing" for s in r.sights}
        # crawl days per market and per source (a market's series is missing on the days it was not crawled)
        self.crawls: dict[tuple[str, str], set[date]] = defaultdict(set)
        for r in records:
            if r.kind == "listing":
                for key in (("market", r.market or r.source), ("source", r.source)):
                    self.crawls[key].update(s.day for s in r.sights)
        for r in records:
            if r.kind == "listing":
                r.sights = bridge(r.sights, self.crawls[("source", r.source)])
        # the latest day each forum post was seen (its current version), capped at as_of
        seen = (r.last_observed for r in records if r.kind == "post")
        self.forum_crawls = {min(d, as_of) for d in seen if d is not None}
        self.aliases: dict[str, list[str]] = {}  # subject -> the other names folded into it (``fold_names``)
        # the first day anything was crawled: listings' observation days, posts' first observation (``first_seen``
        # of a search hit where the backend gives it, else the post's own day)
        crawled = self.market_days | {r.first_observed for r in records if r.first_observed is not None}
        self.first_crawl = min(crawled) if crawled else as_of
        self.start = min([self.first_crawl, *(r.sights[0].day for r in records if r.sights)])
        self.last_forum_crawl = max(self.forum_crawls, default=None)

    # -- the calendar ----------------------------------------------------------------------

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.as_of - self.start).days + 1)]

    def observed(self, measure: str, split: str | None = None, value: str | None = None) -> npt.NDArray[np.bool_]:
        """Per calendar day: was the kind behind ``measure`` crawled (listings: any market, or the market or source
        ``value`` of ``split``) or still collectable (posts: up to the last forum crawl)."""
        days = self.days()
        if measure in LISTING_MEASURES:
            crawled = (
                self.crawls.get((str(split), str(value)), set()) if split in ("market", "source") else self.market_days
            )
            if not crawled:
                return np.zeros(len(days), dtype=bool)
            first, last = min(crawled), max(crawled)  # between two crawls, listings are bridged (``bridge``)
            return np.array([first <= d <= last for d in days], dtype=bool)
        last = self.last_forum_crawl or self.start - timedelta(days=1)
        return np.array([d <= last for d in days], dtype=bool)

    # -- counts ----------------------------------------------------------------------------

    def counts(self, subject: str, measure: str, *, interval: str = "day", split: str | None = None
               ) -> dict[str | None, Series]:  # fmt: skip
        """Distinct ``measure`` per period for ``subject``; one series per value of ``split`` (None: one series)."""
        check_measure(measure, interval, split)
        days = self.days()
        keys: dict[str | None, list[set[str]]] = {}
        for rec, sight in self._hits(subject, measure):
            value = rec.split_value(split) if split else None
            if split and value is None:
                continue
            if split == "market" and measure in LISTING_MEASURES:
                value = rec.market or rec.source
            slots = keys.setdefault(value, [set() for _ in days])
            item = _item(rec, measure)
            if item is not None:
                slots[(sight.day - self.start).days].add(item)
        out: dict[str | None, Series] = {}
        for value, slots in keys.items():
            out[value] = self._series(slots, self.observed(measure, split, value), interval)
        if split is None and None not in out:
            out[None] = self._series([set() for _ in days], self.observed(measure), interval)
        return out

    def series(self, subject: str, measure: str, interval: str = "day") -> Series:
        return self.counts(subject, measure, interval=interval)[None]

    def _series(self, slots: list[set[str]], mask: npt.NDArray[np.bool_], interval: str) -> Series:
        if interval == "day":
            values = np.array([len(s) for s in slots], dtype=np.float64)
            values[~mask] = np.nan
            return Series(self.start, "day", values)
        week0 = self.start - timedelta(days=self.start.weekday())
        n_weeks = (self.as_of - week0).days // 7 + 1
        merged: list[set[str]] = [set() for _ in range(n_weeks)]
        seen = np.zeros(n_weeks, dtype=bool)
        for i, slot in enumerate(slots):
            w = (self.start.weekday() + i) // 7
            merged[w] |= slot
            seen[w] |= bool(mask[i])
        values = np.array([len(s) for s in merged], dtype=np.float64)
        values[~seen] = np.nan
        return Series(week0, "week", values)

    def _hits(self, subject: str, measure: str) -> Iterator[tuple[Record, Sight]]:
        kind = "listing" if measure in LISTING_MEASURES else "post"
        for rec in self.by_subject.get(subject, []):
            if rec.kind != kind:
                continue
            if measure in ("adverse", "severe") and not rec.harms(subject, measure == "severe"):
                continue
            yield from ((rec, s) for s in rec.sights if s.day <= self.as_of)

    # -- prices ----------------------------------------------------------------------------

    def prices(self, subject: str, *, split: str | None = None) -> dict[str | None, list[tuple[date, str, float]]]:
        """EUR-per-gram points ``(day, listing id, median EUR/g of the listing that day)``, per ``split`` value."""
        out: dict[str | None, list[tuple[date, str, float]]] = defaultdict(list)
        for rec, sight in self._hits(subject, "listings"):
            if not sight.eur_per_gram:
                continue
            value = rec.split_value(split) if split else None
            if split and value is None:
                continue
            out[value].append((sight.day, rec.doc_id, float(statistics.median(sight.eur_per_gram))))
        return dict(out)

    def price_series(self, subject: str, interval: str = "day") -> Series:
        """Median EUR per gram per period over the listings observed then (NaN where none had a gram price)."""
        points = self.prices(subject).get(None, [])
        step = 7 if interval == "week" else 1
        start = self.start - timedelta(days=self.start.weekday()) if interval == "week" else self.start
        n = (self.as_of - start).days // step + 1
        buckets: list[list[float]] = [[] for _ in range(n)]
        for day, _, value in points:
            buckets[(day - start).days // step].append(value)
        values = np.array([statistics.median(b) if b else math.nan for b in buckets], dtype=np.float64)
        return Series(start, interval, values)

    def records_between(self, subject: str, first: date, last: date, kinds: Iterable[str] = ("listing", "post")
                        ) -> list[tuple[Record, Sight]]:  # fmt: skip
        """The documents counted for ``subject`` between two days (inclusive), each with its first sighting there
        (a real observation: a day it was bridged over gives the observation before it)."""
        wanted = set(kinds)
        out = []
        for rec in self.by_subject.get(subject, []):
            if rec.kind not in wanted:
                continue
            inside = [s for s in rec.sights if first <= s.day <= last]
            if inside:
                out.append((rec, inside[0]))
        out.sort(key=lambda pair: (pair[1].day, pair[0].doc_id))
        return out


def bridge(sights: list[Sight], crawled: set[date]) -> list[Sight]:
    """The sightings of a listing plus the days between two of them on which its market was not crawled: a listing
    seen on days 10 and 14 of a market crawled on days 10 and 14 only was live on 11-13; one the market was crawled
    on in between without it was not."""
    out: list[Sight] = []
    for before, after in itertools.pairwise(sights):
        out.append(before)
        gap = [before.day + timedelta(days=i) for i in range(1, (after.day - before.day).days)]
        if gap and not any(d in crawled for d in gap):
            seen = before.observed or before.day
            out += [Sight(d, before.seen_at, before.warc_record_id, bridged=True, observed=seen) for d in gap]
    return [*out, *sights[-1:]]


def check_measure(measure: str, interval: str, split: str | None) -> None:
    if measure not in MEASURES:
        raise ValueError(f"measure: expected one of {', '.join(MEASURES)}, found {measure!r}")
    if interval not in INTERVALS:
        raise ValueError(f"interval: expected one of {', '.join(INTERVALS)}, found {interval!r}")
    if split is not None and split not in SPLITS:
        raise ValueError(f"split: expected one of {', '.join(SPLITS)}, found {split!r}")


def _item(rec: Record, measure: str) -> str | None:
    if measure == "vendors":
        return f"{rec.source}\x1f{rec.vendor}" if rec.vendor else None
    if measure == "markets":
        return rec.market or rec.source
    if measure == "threads":
        return f"{rec.source}\x1f{rec.thread}" if rec.thread else None
    return rec.doc_id


# -- loading ---------------------------------------------------------------------------------


def load_series(store: Storage, as_of: date | None = None, *, page_size: int = PAGE_SIZE) -> StoreSeries:
    """Read every listing and post observed on or before ``as_of`` (default: today, UTC) into a ``StoreSeries``:
    names of one substance folded together (``fold_names``), posts given their thread's subjects."""
    as_of = as_of or datetime.now(UTC).date()
    pairs: list[tuple[Record, dict[str, Any]]] = []
    for doc in iter_documents(store, as_of, page_size):
        rec = _record(store, doc, as_of)
        if rec is not None:
            pairs.append((rec, doc))
    records = [rec for rec, _ in pairs]
    aliases = fold_names(records)
    thread_leads(records)
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec, doc in pairs:
        for name in rec.subjects:
            mentions[name].append(doc)
    data = StoreSeries(records, {name: _subject_info(name, docs) for name, docs in mentions.items()}, as_of)
    data.aliases = aliases
    return data


def iter_documents(store: Storage, as_of: date, page_size: int = PAGE_SIZE) -> Iterator[dict[str, Any]]:
    """Listings and posts observed on or before ``as_of`` that mention a substance or a candidate; paged per source
    and kind, which keeps each paging under a search cluster's result window (10,000)."""
    for source in sorted(store.stats().get("source", {})):
        for kind in ("listing", "post"):
            offset = 0
            while True:
                query = SearchQuery(kinds=(kind,), sources=(source,), date_to=as_of, limit=page_size, offset=offset)
                page = store.search(query).hits
                yield from (d for d in page if d.get("substance") or d.get("novel_substance"))
                if len(page) < page_size:
                    break
                offset += page_size


def _record(store: Storage, doc: Mapping[str, Any], as_of: date) -> Record | None:
    subjects = [*(str(s) for s in doc.get("substance") or []), *candidate_names(doc.get("novel_substance") or [])]
    if not subjects:
        return None
    kind = str(doc.get("kind"))
    rec = Record(
        doc_id=str(doc["id"]),
        kind=kind,
        source=str(doc.get("source") or ""),
        url=str(doc.get("url") or ""),
        subjects=sorted(set(subjects)),
        market=doc.get("market") if kind == "listing" else None,
        vendor=doc.get("vendor"),
        thread=str(doc["thread_id"]) if doc.get("thread_id") is not None else None,
        country=doc.get("ships_from"),
        language=doc.get("language") or doc.get("language_hint"),
        adverse=bool(doc.get("adverse_effect")),
        severe=is_severe(doc.get("severe")) and bool(doc.get("adverse_effect")),
        uses=bool(doc.get("doses") or doc.get("route") or doc.get("effect") or doc.get("adverse_effect")),
        groups=tuple(str(g) for g in doc.get("chemical_group") or []),
        known_names=frozenset(str(s) for s in doc.get("substance") or []),
        adverse_subjects=_named(doc, "adverse_substance"),
        severe_subjects=_named(doc, "severe_substance"),
    )
    if kind == "listing":
        rec.sights = [
            Sight(o.day, o.seen_at, o.warc_record_id, day_prices(doc, o.prices), observed=o.day)
            for o in store.history(rec.doc_id)
            if o.day <= as_of
        ]
    else:
        rec.sights = [_post_sight(store, doc)]
        if rec.sights[0].day > as_of:
            return None
        rec.first_observed = rec.sights[0].observed or _parse_day(doc.get("first_seen")) or rec.sights[0].day
        rec.last_observed = _parse_day(doc.get("seen_at")) or rec.first_observed
    return rec if rec.sights else None


def _post_sight(store: Storage, doc: Mapping[str, Any]) -> Sight:
    """The day a post counts on (posted, else first observed), with its first observation: the page as it was
    when the post was first seen and that day's WARC record, not the latest copy."""
    history = store.history(str(doc["id"]))
    first = history[0] if history else None
    posted = _parse_day(doc.get("posted_at"))
    if posted is None:
        posted = first.day if first else _parse_day(doc.get("seen_at")) or date.min
    if first is None:
        return Sight(posted, str(doc.get("seen_at") or ""), doc.get("warc_record_id"))
    return Sight(posted, first.seen_at, first.warc_record_id, observed=first.day)


SEVERE_LEVELS = frozenset({"severe", "high", "serious", "life-threatening", "fatal"})


def is_severe(value: Any) -> bool:
    """Extraction's severity of a document's adverse effects: ``severe: true``, or a level on its scale."""
    if isinstance(value, str):
        return value.strip().lower() in SEVERE_LEVELS
    if isinstance(value, list):
        return any(is_severe(v) for v in value)
    return value is True


def _named(doc: Mapping[str, Any], key: str) -> frozenset[str] | None:
    """The substances extraction attributes a document's (severe) adverse effects to, as subjects; None when the
    document does not say (stores extracted before the field existed)."""
    if key not in doc or doc.get(key) is None:
        return None
    values = [str(v) for v in doc.get(key) or []]
    known = {str(s) for s in doc.get("substance") or []}
    return frozenset([v for v in values if v in known] + candidate_names(v for v in values if v not in known))


def _parse_day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def day_prices(doc: Mapping[str, Any], prices: list[dict[str, Any]]) -> tuple[float, ...]:
    """EUR per gram of a listing on one day: its offers' values scaled by that day's prices against the current
    ones (tiers matched by currency and quantity label); the offers as they are when nothing matches."""
    offers = [o for o in doc.get("offers") or [] if isinstance(o, Mapping) and _positive(o.get("eur_per_gram"))]
    if not offers:
        return ()
    current = {(p.get("currency"), p.get("quantity")): _amount(p) for p in doc.get("prices") or []}
    ratios = []
    for p in prices:
        now, then = current.get((p.get("currency"), p.get("quantity"))), _amount(p)
        if now and then:
            ratios.append(then / now)
    factor = statistics.median(ratios) if ratios else 1.0
    return tuple(round(float(o["eur_per_gram"]) * factor, 4) for o in offers)


def _amount(price: Mapping[str, Any]) -> float | None:
    try:
        value = float(price.get("amount") or 0)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


# -- novel candidates ------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_POSITION = re.compile(r"^\d+")
# the synthetic cannabinoid heads a shortened name may leave out ("7en-BINACA" for ADB-7en-BINACA; one letter is
# too little to tell)
_HEADS = tuple(head for head in names.SCRA_HEADS if len(head) > 1 and head.isalpha())


@lru_cache(maxsize=65536)  # fold_names asks it for every pair of candidates; the accent fold and the abbreviation cost
def candidate_key(name: str) -> str:
    """Spellings of one candidate fold together: ``3-CPMC``, ``3cpmc``, ``3 CPMC`` -> ``3CPMC``; accents and Greek
    letters go, substituents spelled out are abbreviated (``4-bromo-PiHP``, ``4-Br-α-PiHP``, ``4-BrPiHP`` ->
    ``4BRPIHP``: ``nlp.names.abbreviated``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return names.abbreviated(_NOT_ALNUM.sub("", ascii_name.upper()))


def candidate_names(raw: Iterable[Any]) -> list[str]:
    """The display names of a document's novel candidates: the hyphenated form (``3-CPMC``) of each folded key."""
    out = set()
    for value in raw:
        key = candidate_key(str(value))
        if not key:
            continue
        position = _POSITION.match(key)
        out.add(f"{position[0]}-{key[position.end() :]}" if position and position.end() < len(key) else key)
    return sorted(out)


def _subject_info(name: str, docs: list[dict[str, Any]]) -> SubjectInfo:
    known = any(name in (d.get("substance") or []) for d in docs)
    groups: Counter[str] = Counter()
    effects: Counter[str] = Counter()
    for d in docs:
        groups.update(d.get("chemical_group") or [])
        effects.update(d.get("effect_group") or [])
    family = groups.most_common(1)[0][0] if groups else None
    nps = any(bool(d.get("nps")) for d in docs)
    return SubjectInfo(name, known, family, [g for g, _ in effects.most_common(3)], nps)


# -- one substance, one name -------------------------------------------------------------------

GENERIC_SUFFIX = "(unspecified)"  # the lexicon's class names: "synthetic cannabinoids (unspecified)"
THREAD_LEAD = 0.5  # a thread is about the subjects named in at least this share of its posts


def fold_names(records: list[Record]) -> dict[str, list[str]]:
    """Names of one substance become one subject, in every record; returns each kept name's folded names.

    - a class name (``... (unspecified)``) beside a substance of its class in the same document is that substance
      (a "spice" listing naming MDMB-6en-PINACA is about MDMB-6en-PINACA);
    - a novel candidate spelled as a known name without its hyphens is the known substance;
    - two candidates of one document are one substance when one's name is inside the other's (``6-ENPINACA`` in
      ``MDMB6ENPINACA``: a split spelling), or when most documents of the rarer name also give the other (a name and
      its synonym: ``BUTONITAZEPYNE (N-pyrrolidino butonitazene)``);
    - a candidate written without its position (``CPMC``: "la CPMC") is the one candidate with that name after a
      position (``3-CPMC``), when there is exactly one (beside ``3-CPMC`` and ``4-CPMC`` it stays apart).
    The name seen first is kept, then the longer, then the first in alphabetical order: nothing a later document
    changes, so a later document never renames a signal already raised and a run over the whole timeline keeps the
    name the daily runs kept (a count of documents did change: a listing naming both on day 33 kept the longer name
    that day, the posts of the days after, naming only the shorter, renamed it).
    """
    _drop_classes(records)
    known = {candidate_key(n): n for r in records for n in r.subjects if not _is_candidate(n, r)}
    firsts: dict[str, date] = {}
    docs: dict[str, set[int]] = defaultdict(set)
    for i, rec in enumerate(records):
        rec.subjects = sorted({known.get(candidate_key(n), n) if _is_candidate(n, rec) else n for n in rec.subjects})
        for name in rec.subjects:
            docs[name].add(i)
            day = rec.sights[0].day if rec.sights else date.max
            firsts[name] = min(firsts.get(name, date.max), day)
    parent = {name: name for name in docs}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    def rank(name: str) -> tuple[date, int, str]:
        return firsts[name], -len(candidate_key(name)), name

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            keep, drop = sorted((ra, rb), key=rank)
            parent[drop] = keep

    candidates = sorted(n for n in docs if n not in known.values())
    for a, b in itertools.combinations(candidates, 2):
        shared = docs[a] & docs[b]
        ka, kb = candidate_key(a), candidate_key(b)
        if shared and (ka in kb or kb in ka or len(shared) * 2 >= min(len(docs[a]), len(docs[b]))):
            join(a, b)
    for short, whole in _shortened(candidates).items():
        if len(whole) == 1:
            join(short, whole[0])
    folded: dict[str, list[str]] = defaultdict(list)
    for name in parent:
        if root(name) != name:
            folded[root(name)].append(name)

    def rename(names: frozenset[str] | None) -> frozenset[str] | None:
        if names is None:
            return None
        return frozenset(root(n) if n in parent else known.get(candidate_key(n), n) for n in names)

    for rec in records:
        rec.subjects = sorted({root(n) for n in rec.subjects})
        rec.adverse_subjects, rec.severe_subjects = rename(rec.adverse_subjects), rename(rec.severe_subjects)
    return {k: sorted(v) for k, v in folded.items()}


def _shortened(candidates: list[str]) -> dict[str, list[str]]:
    """Each candidate written without its leading part (a position: "CPMC"; a synthetic cannabinoid's head:
    "7en-BINACA") and the candidates that are that name after such a part ("3-CPMC" and "4-CPMC";
    "ADB-7en-BINACA")."""
    by_rest: dict[str, list[str]] = defaultdict(list)
    for name in candidates:
        key = candidate_key(name)
        position = _POSITION.match(key)
        parts = [position[0]] if position else []
        parts += [head for head in _HEADS if key.startswith(head)]
        for part in parts:
            if len(part) < len(key):
                by_rest[key[len(part) :]].append(name)
    return {short: by_rest[key] for short in candidates if (key := candidate_key(short)) in by_rest}


def _is_candidate(name: str, rec: Record) -> bool:
    return name not in rec.known_names


def _drop_classes(records: list[Record]) -> None:
    from signals.triage import substance_groups

    for rec in records:
        classes = [n for n in rec.subjects if n.endswith(GENERIC_SUFFIX)]
        if not classes or len(rec.subjects) == len(classes):
            continue
        specific = [n for n in rec.subjects if not n.endswith(GENERIC_SUFFIX)]
        for name in classes:
            group = substance_groups(name)[0]
            if any(group in _groups_of(n, rec) for n in specific):
                rec.subjects.remove(name)


def _groups_of(name: str, rec: Record) -> tuple[str, ...]:
    """A subject's chemical groups: the lexicon's for a known name, the document's for a candidate."""
    from signals.triage import substance_groups

    return substance_groups(name)[:1] if name in rec.known_names else rec.groups


def thread_leads(records: list[Record]) -> None:
    """Give each post the subjects its thread is about (those named in at least ``THREAD_LEAD`` of its posts) and
    those of its subjects that are NPS: what ``Record.harms`` attributes adverse effects with."""
    from signals.triage import substance_groups

    threads: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in records:
        if rec.kind == "post" and len(rec.subjects) > 1:
            rec.nps_names = frozenset(n for n in rec.subjects if n not in rec.known_names or substance_groups(n)[2])
        if rec.kind == "post" and rec.thread:
            threads[(rec.source, rec.thread)].append(rec)
    for posts in threads.values():
        named = Counter(n for p in posts for n in p.subjects)
        leads = frozenset(n for n, c in named.items() if c >= THREAD_LEAD * len(posts))
        for p in posts:
            p.leads = leads
