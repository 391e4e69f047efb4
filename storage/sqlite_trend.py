"""Trends on the embedded store: observed documents per day or week, split by one field, with EUR-per-gram
percentiles (the same answers as the cluster's ``date_histogram`` + ``terms`` + ``percentiles``).

Each observation keeps what a trend needs of the version seen that day (``observations.facts``, schema
version 2): the values it filters and splits on (source, market, ships_from, NLP entities) and that day's
EUR-per-gram values, so a price trend shows the price observed at each time, not today's offers, and a
document relabelled later is counted under the label it had then: what the cluster indexes per
observation.  Observations written before version 2 have no facts; for them the current version of the
document and that day's prices are read.  Percentiles are exact (linear interpolation between the two
nearest values); a cluster estimates them (t-digest), so on small buckets the engines may differ slightly.

Reading every observation is what costs (decoding all their JSON in Python took 2.4 s for 100,000), so
``TrendIndex`` holds them as columns (numpy arrays: day, document, kind and source per observation; per field,
the observations that carry each value; the EUR-per-gram values), each field pulled out of the JSON by SQLite
when a trend first needs it (about 1 s of CPU for a first trend over 100,000 observations), and a trend is a few
array operations over them (tens of milliseconds).  The store keeps its index while the database is unchanged
(``SqliteStorage.trend``).
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from storage.base import TrendBucket, TrendQuery, check_trend, eur_per_gram, keyword_value, trend_values

# Each reads the observations ``{narrow}`` accepts (every one, or a narrowed index's, ``narrow``), in primary-key order.
_BASE = (
    "SELECT o.doc_key, o.day, d.kind, d.source, o.facts IS NULL FROM observations o "
    "JOIN documents d INDEXED BY documents_facts ON d.doc_key = o.doc_key WHERE {narrow} ORDER BY o.doc_key, o.day"
)
_VALUES = (
    "SELECT o.doc_key, o.day, v.value FROM observations o, json_each(o.facts, ?) v WHERE o.facts IS NOT NULL "
    "AND {narrow} ORDER BY o.doc_key, o.day"
)
_PRICES = (
    "SELECT o.doc_key, o.day, v.value FROM observations o, json_each(o.facts, '$.eur_per_gram') v "
    "WHERE o.facts IS NOT NULL AND {narrow} ORDER BY o.doc_key, o.day"
)
_LEGACY = (
    "SELECT o.prices, d.body FROM observations o JOIN documents d ON d.doc_key = o.doc_key WHERE o.facts IS NULL "
    "AND {narrow} ORDER BY o.doc_key, o.day"
)
_NARROWED = "o.doc_key IN (SELECT doc_key FROM temp.trend_docs) AND o.day >= ? AND o.day <= ?"
# The candidates of a filtered trend: documents that ever carried an accepted value of every filter (trend_terms, a
# superset: TrendIndex.select filters each observation on its own facts), of the wanted kinds and sources.
_CANDIDATES = "INSERT INTO temp.trend_docs SELECT d.doc_key FROM documents d INDEXED BY documents_facts WHERE {where}"
NARROW_SHARE = 0.25  # a filter whose candidates are more of the store than this reads (and keeps) the whole index
Ints = NDArray[np.int64]


@dataclass
class _Codes:
    """Strings as small integers, in order of first sight."""

    codes: dict[str, int] = field(default_factory=dict)
    values: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, strings: Sequence[str]) -> tuple[_Codes, Ints]:
        """The codes of ``strings`` and the code of each."""
        codes: dict[str, int] = {}
        coded = [codes.setdefault(value, len(codes)) for value in strings]
        return cls(codes, list(codes)), np.array(coded, dtype=np.int64)

    def wanted(self, values: Iterable[str]) -> Ints:
        return np.array([self.codes[v] for v in values if v in self.codes], dtype=np.int64)


@dataclass
class _Column:
    """One field: an entry per (observation, value)."""

    names: _Codes
    observation: Ints
    value: Ints


class TrendIndex:
    """Every observation as arrays, in primary-key order (document, day): kind, source and day at once; each
    field's values and the EUR-per-gram values when a trend first needs them, pulled out of the JSON by SQLite.
    Valid while the database is unchanged (the caller checks, ``SqliteStorage.trend``).

    A *narrowed* index (``narrowed``) holds only the observations of the documents in ``temp.trend_docs``
    ``between`` two days (inclusive): valid while that table is unchanged, that is for one trend."""

    def __init__(self, conn: sqlite3.Connection, between: tuple[str, str] | None = None) -> None:
        self.conn = conn
        self._narrow = "1" if between is None else _NARROWED
        self._params: tuple[str, ...] = () if between is None else between
        rows = conn.execute(_BASE.format(narrow=self._narrow), self._params).fetchall()
        docs, days, kinds, sources, legacy = zip(*rows, strict=True) if rows else ([],) * 5
        day_codes, day = _Codes.of(days)
        order = np.argsort(np.array(day_codes.values, dtype="U10"), kind="stable")  # codes in calendar order
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        self.days = [date.fromisoformat(day_codes.values[i]) for i in order]
        self.day = rank[day] if len(day) else day
        self.doc = np.array(docs, dtype=np.int64)
        self.kinds, self.kind = _Codes.of(kinds)
        self.sources, self.source = _Codes.of(sources)
        self.legacy = np.flatnonzero(np.array(legacy, dtype=bool))  # observations written before facts existed
        self._legacy_facts: list[tuple[dict[str, list[str]], list[float]]] | None = None
        self._columns: dict[str, _Column] = {}
        self._prices: tuple[Ints, Ints, NDArray[np.float64]] | None = None

    def _positions(self, docs: Sequence[int], days: Sequence[str]) -> Ints:
        """The observations (their positions) of rows naming a document and a day."""
        width = len(self.days) + 1
        day_rank = {day.isoformat(): n for n, day in enumerate(self.days)}
        keys = np.array(docs, dtype=np.int64) * width + np.array([day_rank[d] for d in days], dtype=np.int64)
        return np.searchsorted(self.doc * width + self.day, keys)

    def _legacy(self) -> list[tuple[dict[str, list[str]], list[float]]]:
        if self._legacy_facts is None:
            rows = self.conn.execute(_LEGACY.format(narrow=self._narrow), self._params).fetchall()  # as self.legacy
            self._legacy_facts = [_legacy(prices, body) for prices, body in rows]
        return self._legacy_facts

    def column(self, name: str) -> _Column:
        """Field ``name``: one entry per (observation, value)."""
        if name not in self._columns:
            path = f"$.values.{name}"
            rows = self.conn.execute(_VALUES.format(narrow=self._narrow), (path, *self._params)).fetchall()
            docs, days, strings = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [])
            observations = self._positions(docs, days).tolist()
            for position, (values, _) in zip(self.legacy.tolist(), self._legacy(), strict=True):
                found = values.get(name, [])
                observations += [position] * len(found)
                strings += found
            self._columns[name] = _column(observations, strings)
        return self._columns[name]

    def prices(self) -> tuple[Ints, Ints, NDArray[np.float64]]:
        """EUR per gram: where each observation's values start, how many, and the values (by observation)."""
        if self._prices is None:
            rows = self.conn.execute(_PRICES.format(narrow=self._narrow), self._params).fetchall()
            docs, days, values = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [])
            observations = self._positions(docs, days).tolist()
            for position, (_, per_gram) in zip(self.legacy.tolist(), self._legacy(), strict=True):
                observations += [position] * len(per_gram)
                values += per_gram
            order = np.argsort(np.array(observations, dtype=np.int64), kind="stable")
            count = np.bincount(np.array(observations, dtype=np.int64), minlength=len(self.doc))
            self._prices = (np.cumsum(count) - count, count, np.array(values, dtype=np.float64)[order])
        return self._prices

    def select(self, query: TrendQuery) -> NDArray[np.bool_]:
        """Which observations the query's days, kinds, sources and filters accept."""
        first = bisect.bisect_left(self.days, query.date_from) if query.date_from else 0
        last = bisect.bisect_right(self.days, query.date_to) if query.date_to else len(self.days)
        selected: NDArray[np.bool_] = (self.day >= first) & (self.day < last)
        if query.kinds:
            selected &= np.isin(self.kind, self.kinds.wanted(query.kinds))
        if query.sources:
            selected &= np.isin(self.source, self.sources.wanted(query.sources))
        for name, values in query.filters.items():
            if not values:
                continue
            column, carrying = self.column(name), np.zeros(len(self.doc), dtype=bool)
            accepted = np.isin(column.value, column.names.wanted(keyword_value(v) for v in values))
            carrying[column.observation[accepted]] = True
            selected &= carrying
        return selected


def narrowed(conn: sqlite3.Connection, query: TrendQuery) -> TrendIndex | None:
    """An index of only the observations ``query`` may select, when its filters are selective (candidates at most
    ``NARROW_SHARE`` of the documents); None otherwise.  Reads in the caller's transaction."""
    conditions, params = [], []
    for name, values in query.filters.items():
        if values:
            accepted = sorted({keyword_value(v) for v in values})
            conditions.append(f"d.doc_key IN (SELECT doc_key FROM trend_terms WHERE field = ? AND value IN "
                              f"({', '.join('?' * len(accepted))}))")  # fmt: skip
            params += [name, *accepted]
    if not conditions:
        return None
    for column, wanted in (("kind", query.kinds), ("source", query.sources)):
        if wanted:
            conditions.append(f"d.{column} IN ({', '.join('?' * len(wanted))})")
            params += list(wanted)
    conn.execute("DELETE FROM temp.trend_docs")
    conn.execute(_CANDIDATES.format(where=" AND ".join(conditions)), params)
    (candidates,) = conn.execute("SELECT count(*) FROM temp.trend_docs").fetchone()
    (documents,) = conn.execute("SELECT coalesce(max(doc_key), 0) FROM documents").fetchone()  # keys: 1..n
    if candidates > NARROW_SHARE * documents:
        return None
    first, last = query.date_from or date.min, query.date_to or date.max
    return TrendIndex(conn, (first.isoformat(), last.isoformat()))


def trend(index: TrendIndex, query: TrendQuery) -> list[TrendBucket]:
    check_trend(query)
    selected = index.select(query)
    periods = sorted({_period(day, query.interval) for day in index.days})
    period_rank = {period: n for n, period in enumerate(periods)}
    period_of_day = np.array([period_rank[_period(d, query.interval)] for d in index.days], dtype=np.int64)
    if query.by:
        column = index.column(query.by)
        keep = selected[column.observation]
        observations, keys, names = column.observation[keep], column.value[keep], column.names
    else:
        observations = np.flatnonzero(selected)
        keys, names = np.zeros(len(observations), dtype=np.int64), _Codes()
    width = max(len(names.values), 1)
    slots = period_of_day[index.day[observations]] * width + keys  # one slot per (period, key)
    slot_ids, counts = np.unique(slots, return_counts=True)
    documents = _distinct_documents(slots, index.doc[observations], slot_ids)
    percentiles = _percentiles(index, observations, slots, slot_ids, query.percents)
    by_period: dict[int, list[tuple[str | None, int, int, dict[str, float]]]] = {}
    for slot, n, docs, shares in zip(slot_ids.tolist(), counts.tolist(), documents, percentiles, strict=True):
        key = names.values[slot % width] if query.by else None
        by_period.setdefault(slot // width, []).append((key, n, docs, shares))
    out = []
    for period in sorted(by_period):
        ranked = sorted(by_period[period], key=lambda bucket: (-bucket[1], bucket[0] or ""))[: query.size]
        out += [TrendBucket(periods[period], key, n, docs, shares) for key, n, docs, shares in ranked]
    return out


def _column(observations: list[int], strings: list[str]) -> _Column:
    names, values = _Codes.of(strings)
    return _Column(names, np.array(observations, dtype=np.int64), values)


def _distinct_documents(slots: Ints, docs: Ints, slot_ids: Ints) -> list[int]:
    """Distinct documents per slot, in the order of ``slot_ids``."""
    if not len(slots):
        return []
    span = int(docs.max()) + 1
    pairs = np.sort(slots * span + docs)
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # one per (slot, document)
    found, counts = np.unique(pairs // span, return_counts=True)
    return [int(n) for n in counts[np.searchsorted(found, slot_ids)]]


def _percentiles(index: TrendIndex, observations: Ints, slots: Ints, slot_ids: Ints,
                 percents: Sequence[float]) -> list[dict[str, float]]:  # fmt: skip
    """EUR-per-gram percentiles per slot (empty without gram prices), exact: linear interpolation."""
    price_starts, price_counts, prices = index.prices()
    first, per = price_starts[observations], price_counts[observations]
    positions = np.repeat(first, per) + (np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per))
    values, owners = prices[positions], np.repeat(slots, per)  # an observation in two slots counts in both
    by_value = np.argsort(values)
    order = by_value[np.argsort(owners[by_value], kind="stable")]  # by slot, then by value
    values, owners = values[order], owners[order]
    found, starts, sizes = np.unique(owners, return_index=True, return_counts=True)
    out: list[dict[str, float]] = [{} for _ in range(len(slot_ids))]
    where = np.searchsorted(slot_ids, found)
    for percent in percents:
        rank = (sizes - 1) * percent / 100
        low = rank.astype(np.int64)
        high = np.minimum(low + 1, sizes - 1)
        value = values[starts + low] + (values[starts + high] - values[starts + low]) * (rank - low)
        for slot, result in zip(where.tolist(), value.tolist(), strict=True):
            out[slot][f"{float(percent):.1f}"] = round(result, 4)
    return out


def _legacy(prices_json: str | None, body: str | None) -> tuple[dict[str, list[str]], list[float]]:
    """The trend values and EUR per gram of an observation written before schema version 2 (no facts): from
    the current version of the document and that day's prices."""
    doc = json.loads(body or "{}")
    return trend_values(doc), eur_per_gram(doc, json.loads(prices_json or "[]"))


def _period(day: date, interval: str) -> date:
    return day - timedelta(days=day.weekday()) if interval == "week" else day
