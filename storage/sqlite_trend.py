"""Trends on the embedded store: observed documents per day or week, split by one field, with EUR-per-gram
percentiles (the same answers as the cluster's ``date_histogram`` + ``terms`` + ``percentiles``).

Each observation keeps what a trend needs of the version seen that day (``observations.facts``, schema
version 2): the values it filters and splits on (source, market, ships_from, NLP entities) and that day's
EUR-per-gram values, so a price trend shows the price observed at each time, not today's offers, and a
document relabelled later is counted under the label it had then: what the cluster indexes per
observation.  Observations written before version 2 have no facts; for them the current version of the
document and that day's prices are read.  Percentiles are exact (linear interpolation between the two
nearest values); a cluster estimates them (t-digest), so on small buckets the engines may differ slightly.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from storage.base import TrendBucket, TrendQuery, check_trend, eur_per_gram, keyword_value, trend_values


def trend(conn: sqlite3.Connection, query: TrendQuery) -> list[TrendBucket]:
    check_trend(query)
    conditions = ["o.day >= ?", "o.day <= ?"]
    params = [_day(query.date_from, "0000-01-01"), _day(query.date_to, "9999-12-31")]
    for column, accepted in (("kind", query.kinds), ("source", query.sources)):
        if accepted:
            conditions.append(f"d.{column} IN ({', '.join('?' * len(accepted))})")
            params += list(accepted)
    sql = (
        "SELECT o.day, o.facts, CASE WHEN o.facts IS NULL THEN o.prices END, d.id, "
        "CASE WHEN o.facts IS NULL THEN d.body END FROM observations o JOIN documents d ON d.doc_key = o.doc_key "
        f"WHERE {' AND '.join(conditions)}"
    )
    wanted = {name: {keyword_value(v) for v in values} for name, values in query.filters.items() if values}
    counts: Counter[tuple[date, str | None]] = Counter()
    documents: dict[tuple[date, str | None], set[str]] = {}
    prices: dict[tuple[date, str | None], list[float]] = {}
    for day, facts, prices_json, doc_id, body in conn.execute(sql, params):
        found, per_gram = _facts(facts, prices_json, body)
        if any(not wanted_values & set(found.get(name, ())) for name, wanted_values in wanted.items()):
            continue
        period = _period(date.fromisoformat(day), query.interval)
        keys: Sequence[str | None] = found.get(query.by, []) if query.by else [None]
        for key in keys:
            slot = (period, key)
            counts[slot] += 1
            documents.setdefault(slot, set()).add(doc_id)
            prices.setdefault(slot, []).extend(per_gram)
    return _buckets(query, counts, documents, prices)


def _facts(facts: str | None, prices_json: str | None, body: str | None) -> tuple[dict[str, list[str]], list[float]]:
    """The trend values and EUR per gram of one observation: as seen that day, or (an observation written
    before schema version 2) from the current version and that day's prices."""
    if facts is not None:
        seen = json.loads(facts)
        return seen["values"], seen["eur_per_gram"]
    doc = json.loads(body or "{}")
    return trend_values(doc), eur_per_gram(doc, json.loads(prices_json or "[]"))


def _buckets(
    query: TrendQuery,
    counts: Counter[tuple[date, str | None]],
    documents: dict[tuple[date, str | None], set[str]],
    prices: dict[tuple[date, str | None], list[float]],
) -> list[TrendBucket]:
    by_period: dict[date, list[tuple[str | None, int]]] = {}
    for (period, key), n in counts.items():
        by_period.setdefault(period, []).append((key, n))
    out = []
    for period in sorted(by_period):
        ranked = sorted(by_period[period], key=lambda pair: (-pair[1], pair[0] or ""))[: query.size]
        for key, n in ranked:
            values = sorted(prices[(period, key)])
            shares = {f"{float(p):.1f}": round(percentile(values, p), 4) for p in query.percents} if values else {}
            out.append(TrendBucket(period, key, n, len(documents[(period, key)]), shares))
    return out


def percentile(values: Sequence[float], percent: float) -> float:
    """The ``percent`` percentile of sorted ``values``, linearly interpolated."""
    rank = (len(values) - 1) * percent / 100
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (rank - low)


def _period(day: date, interval: str) -> date:
    return day - timedelta(days=day.weekday()) if interval == "week" else day


def _day(value: date | None, default: str) -> str:
    return default if value is None else value.isoformat()
