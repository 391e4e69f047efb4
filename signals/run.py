"""A signal run: the detectors over the store's series as of a day, folded into episodes, stored.

``run_signals(store, signals, as_of)`` evaluates every day from the day after the previous run (the first run: every
day of the store) to ``as_of``; each alarm becomes a :class:`~signals.episodes.Detection`; detections of the same
type, substance and scope whose days are at most ``close_after`` days apart are one episode (``signals.episodes``),
i.e. one :class:`~signals.model.Signal` that is updated (last seen, severity, statistics, counts, evidence) while the
episode goes on, then closed.  Ids are deterministic (type, subject, scope, first day), so running the same day twice
changes nothing.

Defaults per type are in :class:`RunConfig` and docs/signals.md.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from signals import episodes
from signals.detectors import AdverseSurge, first_seen, get_detector, price_shift
from signals.episodes import Detection
from signals.model import SUBSTANCE_TYPES, Evidence, Signal
from signals.series import Record, StoreSeries, load_series
from signals.store import SignalStore, SignalStoreError, open_store
from signals.watch import run_watchlists
from storage import open_storage
from storage.base import Storage, StorageError

_SEVERITY = {"low": 0, "medium": 1, "high": 2}


@dataclass
class RunConfig:
    """Detectors and their settings per signal type (docs/signals.md)."""

    warmup_days: int = 7  # days after the store's first crawl that only build history (nothing is "first seen")
    first_seen_dimensions: tuple[str, ...] = ("market", "country", "language")
    first_seen_min_count: int = 3  # sightings in a new market/country/language before a known substance is reported
    first_seen_episode_days: int = 28  # a first sighting stays open (and is updated) this long
    spike_method: str = "ears-c2"  # count detector over each market's daily distinct listings (its crawl days only)
    spike_params: dict[str, Any] = field(default_factory=lambda: {"min_sigma": 1.0, "alpha": 0.001})
    spike_min_count: int = 5  # listings needed on the day for a spike
    spike_min_ratio: float = 1.5  # observed / baseline mean needed for a spike
    spike_close_after: int = 7
    price_window: int = 7  # days in the current price window (ending on the day)
    price_reference: int = 21  # days in the reference window before it
    price_gap: int = 0
    price_alpha: float = 0.01
    price_min_n: int = 4  # listings (each its median EUR/g in the window) needed in each window
    price_min_change: float = 0.2  # smallest relative change of EUR/g reported
    price_close_after: int = 14
    adverse_measure: str = "severe"  # posts with a severe adverse effect ("adverse": any adverse effect)
    adverse_params: dict[str, Any] = field(default_factory=lambda: {"window": 7, "baseline": 28, "alpha": 0.01,
                                                                    "min_adverse": 3, "min_ratio": 2.0})  # fmt: skip
    adverse_sparse_method: str = "bayes"  # when the substance had no mentions in the reference window
    adverse_sparse_params: dict[str, Any] = field(default_factory=lambda: {"w": 7, "alpha": 0.01, "gap": 1})
    adverse_close_after: int = 7
    max_evidence: int = 50  # evidence items kept per signal (the earliest)


@dataclass
class RunResult:
    as_of: date
    created: list[Signal] = field(default_factory=list)
    updated: list[Signal] = field(default_factory=list)
    closed: list[Signal] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "created": [s.id for s in self.created],
                "updated": [s.id for s in self.updated], "closed": [s.id for s in self.closed]}  # fmt: skip


@dataclass
class Outcome:
    """What ``run_and_deliver`` did, in lines for a person, its exit code and every signal then kept."""

    lines: list[str] = field(default_factory=list)
    code: int = 0
    kept: list[Signal] = field(default_factory=list)


def run_and_deliver(db: str, as_of: date | None = None, *, since: date | None = None, deliver: bool | None = True,
                    data: Path | None = None) -> Outcome:  # fmt: skip
    """A signal run over the document store ``db`` as of ``as_of`` (default today, UTC) and the watchlists' new
    matches (``signals.watch``), kept in its signal store (``open_store(db, data)``), the new signals delivered
    (``deliver`` False: not): what ``npswatch signals run``,
    ``npswatch demo`` and the scheduler run.  Exit code: 0 ok, 1 a store error or a failed delivery, 2 a delivery
    configuration that cannot be used."""
    day = as_of or datetime.now(UTC).date()
    outcome = Outcome()
    try:
        store = open_storage(db)
    except StorageError as exc:
        return Outcome([f"error: {exc}"], 1)
    try:
        with open_store(db, data) as kept:
            result = run_signals(store, kept, day, since=since)
            outcome.lines.append(f"signals as of {day}: {len(result.created)} new, {len(result.updated)} updated, "
                                 f"{len(result.closed)} closed (kept in {kept.path})")  # fmt: skip
            watched = run_watchlists(store, kept, day)
            if kept.watchlists():
                outcome.lines.append(f"watchlists: {watched.new_documents} new matching document(s), "
                                     f"{len(watched.created)} new watch_hit signal(s)")  # fmt: skip
            if deliver is not False:
                outcome.code = _deliver(result.created + watched.created, db, outcome.lines)
            outcome.kept = kept.find()
    except (StorageError, SignalStoreError) as exc:
        outcome.lines.append(f"error: {exc}")
        outcome.code = 1
    finally:
        store.close()
    return outcome


def _deliver(created: list[Signal], db: str, lines: list[str]) -> int:
    """Through the channels of NPSWATCH_ALERTS_CONFIG (or alerts.yml), else the Atom feed beside the signal store."""
    from signals.delivery import ConfigError, deliver, delivery_config

    try:
        config, where = delivery_config(db)
    except ConfigError as exc:
        lines.append(f"error: {exc}")
        return 2
    report = deliver(created, config)
    lines.append(f"delivered ({where}): {report.summary()}")
    return 0 if report.ok else 1


def run_signals(store: Storage, signals: SignalStore, as_of: date, *, since: date | None = None,
                config: RunConfig | None = None) -> RunResult:  # fmt: skip
    """Detect, fold into episodes and store; returns what was created, updated and closed."""
    config = config or RunConfig()
    data = load_series(store, as_of)
    last = signals.last_run()
    if since is None:
        since = data.first_crawl if last is None or last >= as_of else last + timedelta(days=1)
    since = max(since, data.first_crawl)
    detections = [
        *detect_first_seen(data, since, config),
        *detect_spikes(data, since, config),
        *detect_price_shifts(data, since, config),
        *detect_adverse(data, since, config),
    ]
    result = RunResult(as_of)
    with signals.transaction():
        fold(detections, data, signals, config, result)
        close_ended(data, signals, config, result)
        signals.record_run(as_of, len(result.created), len(result.updated), len(result.closed))
    return result


# -- detectors -----------------------------------------------------------------------------------


def detect_first_seen(data: StoreSeries, since: date, config: RunConfig) -> list[Detection]:
    from signals.detectors import Sighting

    baseline_end = data.first_crawl + timedelta(days=config.warmup_days)
    sightings = [
        Sighting(name, sight.day, _first_seen_context(rec), rec.doc_id)
        for rec in data.records
        for name in rec.subjects
        for sight in rec.sights[:1]
    ]
    found = first_seen(sightings, baseline_end=baseline_end, dimensions=config.first_seen_dimensions)
    out = []
    for f in found:
        day = f.first_seen if isinstance(f.first_seen, date) else f.first_seen.date()
        if f.dimension is not None and f.count < config.first_seen_min_count:
            continue
        if day + timedelta(days=config.first_seen_episode_days) < since:  # an episode that ended before this run
            continue
        info = data.subjects.get(f.entity)
        severity = ("high" if info and not info.known else "medium") if f.dimension is None else "low"
        stats = {"count": f.count, "contexts": f.contexts, "baseline_end": baseline_end.isoformat()}
        if f.dimension is not None:
            stats["dimension"], stats["value"] = f.dimension, f.value
        scope = None if f.dimension is None else f"{f.dimension}={f.value}"
        out.append(Detection("first_seen", f.entity, scope, day, severity, "first-seen", stats, day))
    return out


def _first_seen_context(rec: Record) -> dict[str, str]:
    """Markets and ships-from countries come from listings, languages from forum posts (a listing's language is
    the vendor's copywriting, not a community of users)."""
    ctx: dict[str, str] = rec.context()
    ctx.pop("source", None)
    if rec.kind == "listing":
        ctx.pop("language", None)
    return ctx


def _compress(values: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Indices of the observed points of a calendar series (crawl days)."""
    return np.flatnonzero(~np.isnan(values))


def detect_spikes(data: StoreSeries, since: date, config: RunConfig) -> list[Detection]:
    """The count detector over each market's daily distinct listings of each substance, on that market's crawl days
    (a day a market was not crawled is skipped, not zero); alarms of any market make one signal per substance."""
    per_market: dict[str, dict[str, npt.NDArray[np.float64]]] = {}
    for name, recs in data.by_subject.items():
        if not any(r.kind == "listing" for r in recs):
            continue
        for market, series in data.counts(name, "listings", split="market").items():
            if market is not None:
                per_market.setdefault(market, {})[name] = series.values
    detector = get_detector(config.spike_method, **config.spike_params)
    out = []
    for market, rows in sorted(per_market.items()):
        out += _market_spikes(data, market, rows, detector, since, config)
    return out


def _market_spikes(data: StoreSeries, market: str, rows: dict[str, npt.NDArray[np.float64]], detector: Any,
                   since: date, config: RunConfig) -> list[Detection]:  # fmt: skip
    days = data.days()
    subjects = sorted(rows)
    kept = np.flatnonzero(data.observed("listings", "market", market))
    if kept.size <= detector.min_history:
        return []
    matrix = np.vstack([rows[name] for name in subjects])[:, kept]
    result = detector(matrix)
    mean = result.statistics.get("mean")
    # Where each substance was first listed on this market: a rise needs a baseline it was already part of;
    # an appearance from nothing is what first_seen reports, not a spike.
    first_listed = np.argmax(np.nan_to_num(matrix) > 0, axis=1)
    out = []
    for i, j in zip(*np.nonzero(result.alarm), strict=True):
        day, name = days[kept[j]], subjects[i]
        if first_listed[i] > j - detector.min_history:
            continue
        observed = float(result.observed[i, j])
        expected = float(mean[i, j]) if mean is not None and not math.isnan(mean[i, j]) else math.nan
        if day < since or observed < config.spike_min_count:
            continue
        if expected > 0 and observed < config.spike_min_ratio * expected:
            continue
        ratio = observed / expected if expected > 0 else math.inf
        severity = "high" if ratio >= 3 else "medium" if ratio >= 2 else "low"
        stats = {"measure": "listings", "market": market, "observed": observed, "expected": _num(expected),
                 "upperbound": _num(result.upperbound[i, j]), "ratio": _num(ratio),
                 "params": result.params}  # fmt: skip
        start = days[kept[max(0, j - detector.min_history)]]
        out.append(Detection("spike", name, None, day, severity, result.method, stats, start))
    return out


def detect_price_shifts(data: StoreSeries, since: date, config: RunConfig) -> list[Detection]:
    out = []
    market_days = sorted(d for d in data.market_days if d >= since)
    for name in sorted(data.by_subject):
        for market, points in data.prices(name, split="market").items():
            if market is None or len(points) < 2 * config.price_min_n:
                continue
            for day in market_days:
                found = _price_shift_on(points, day, config)
                if found is not None:
                    out.append(Detection("price_shift", name, f"market={market}", day, *found))
    return out


def _price_shift_on(points: list[tuple[date, str, float]], day: date, config: RunConfig
                    ) -> tuple[str, str, dict[str, Any], date] | None:  # fmt: skip
    cur_start = day - timedelta(days=config.price_window - 1)
    ref_end = cur_start - timedelta(days=config.price_gap + 1)
    ref_start = ref_end - timedelta(days=config.price_reference - 1)
    current = _per_listing(p for p in points if cur_start <= p[0] <= day)
    reference = _per_listing(p for p in points if ref_start <= p[0] <= ref_end)
    if min(len(current), len(reference)) < config.price_min_n:
        return None
    shift = price_shift(reference, current, alpha=config.price_alpha, min_n=config.price_min_n,
                        min_change=config.price_min_change)  # fmt: skip
    if not shift.significant:
        return None
    change = abs(shift.relative_change)
    severity = "high" if change >= 0.5 else "medium" if change >= 0.25 else "low"
    stats = {"measure": "eur_per_gram", "relative_change": round(shift.relative_change, 4),
             "ci_low": _num(shift.ci_low), "ci_high": _num(shift.ci_high), "p_value": shift.p_value,
             "median_reference": round(shift.median_reference, 4), "median_current": round(shift.median_current, 4),
             "n_reference": shift.n_reference, "n_current": shift.n_current, "direction": shift.direction,
             "reference_window": [ref_start.isoformat(), ref_end.isoformat()],
             "current_window": [cur_start.isoformat(), day.isoformat()]}  # fmt: skip
    return severity, "price-shift", stats, cur_start


def _per_listing(points: Iterable[tuple[date, str, float]]) -> list[float]:
    """One value per listing in a window (its median EUR/g there), so a listing seen every day is not replicated."""
    by_listing: dict[str, list[float]] = {}
    for _, doc_id, value in points:
        by_listing.setdefault(doc_id, []).append(value)
    return [statistics.median(v) for v in by_listing.values()]


def detect_adverse(data: StoreSeries, since: date, config: RunConfig) -> list[Detection]:
    subjects = sorted(n for n, recs in data.by_subject.items() if any(r.kind == "post" for r in recs))
    if not subjects:
        return []
    days = data.days()
    adverse = np.vstack([data.series(n, config.adverse_measure).values for n in subjects])
    mentions = np.vstack([data.series(n, "posts").values for n in subjects])
    kept = _compress(mentions[0])
    if kept.size == 0:
        return []
    surge = AdverseSurge(**config.adverse_params)
    res = surge(adverse[:, kept], mentions[:, kept])
    sparse = get_detector(config.adverse_sparse_method, **config.adverse_sparse_params)
    sparse_res = sparse(adverse[:, kept])
    out = []
    for i, name in enumerate(subjects):
        for j, t in enumerate(kept):
            day = days[t]
            if day < since:
                continue
            found = _adverse_at(res, sparse_res, i, j, adverse[i, kept], surge.window, config)
            if found is not None:
                method, stats = found
                start = days[kept[max(0, j - surge.window + 1)]]
                severity = "high" if stats.get("adverse_window", 0) >= 2 * surge.min_adverse else "medium"
                out.append(Detection("adverse_surge", name, None, day, severity, method, stats, start))
    return out


def _adverse_at(res: Any, sparse_res: Any, i: int, j: int, counts: npt.NDArray[np.float64], window: int,
                config: RunConfig) -> tuple[str, dict[str, Any]] | None:  # fmt: skip
    in_window = float(np.nansum(counts[max(0, j - window + 1) : j + 1]))
    if res.computed[i, j]:
        if not res.alarm[i, j]:
            return None
        stats = {"measure": config.adverse_measure, "adverse_window": in_window,
                 "mentions_window": _num(res.statistics["mentions_window"][i, j]),
                 "upperbound": _num(res.upperbound[i, j]), "p_value": _num(res.statistics["pvalue"][i, j]),
                 "ratio": _num(res.statistics["ratio"][i, j]), "params": res.params}  # fmt: skip
        return res.method, stats
    # no mention of the substance in the reference window: the adverse counts alone, with the sparse detector
    if not sparse_res.alarm[i, j] or in_window < config.adverse_params.get("min_adverse", 3):
        return None
    stats = {"measure": config.adverse_measure, "adverse_window": in_window, "observed": float(counts[j]),
             "upperbound": _num(sparse_res.upperbound[i, j]), "p_value": _num(sparse_res.statistics["pvalue"][i, j]),
             "params": sparse_res.params, "note": "no mentions in the reference window"}  # fmt: skip
    return sparse_res.method, stats


def _num(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else round(number, 6)


# -- episodes --------------------------------------------------------------------------------------


def _close_after(type_: str, config: RunConfig) -> int:
    return {
        "first_seen": config.first_seen_episode_days,
        "spike": config.spike_close_after,
        "price_shift": config.price_close_after,
        "adverse_surge": config.adverse_close_after,
    }[type_]


def fold(detections: list[Detection], data: StoreSeries, signals: SignalStore, config: RunConfig,
         result: RunResult) -> None:  # fmt: skip
    """Turn detections into new or updated episodes (one signal per type, subject, scope and episode)."""
    gaps: dict[str, int | None] = {t: _close_after(t, config) for t in SUBSTANCE_TYPES}
    created, updated = episodes.fold(detections, signals, gaps, lambda det: new_signal(det, data),
                                     lambda signal, det: update_signal(signal, det, data, config))  # fmt: skip
    result.created.extend(created)
    result.updated.extend(updated)


def close_ended(data: StoreSeries, signals: SignalStore, config: RunConfig, result: RunResult) -> None:
    """Close open episodes with no detection for ``close_after`` days (a dismissed one stays dismissed)."""
    for signal in signals.find(states=("new", "acknowledged"), types=SUBSTANCE_TYPES):
        ended = date.fromisoformat(signal.last_seen) + timedelta(days=_close_after(signal.type, config))
        if signal.type == "first_seen":
            ended = date.fromisoformat(signal.first_seen) + timedelta(days=config.first_seen_episode_days)
        if ended < data.as_of:
            result.closed.append(episodes.close(signals, signal))


def new_signal(det: Detection, data: StoreSeries) -> Signal:
    info = data.subjects.get(det.subject)
    return Signal(
        type=det.type,  # type: ignore[arg-type]
        subject=det.subject,
        first_seen=det.day.isoformat(),
        last_seen=det.day.isoformat(),
        severity=det.severity,  # type: ignore[arg-type]
        summary="",
        known=info.known if info else True,
        family=info.family if info else None,
        detector=det.detector,
        scope=det.scope,
        window={"from": det.since.isoformat(), "to": det.day.isoformat(), "interval": "day"},
    )


def update_signal(signal: Signal, det: Detection, data: StoreSeries, config: RunConfig) -> None:
    """Bring an episode up to ``det``: last seen, severity (never lowered), statistics, and its description."""
    if det.day.isoformat() > signal.last_seen:
        signal.last_seen = det.day.isoformat()
    if _SEVERITY[det.severity] > _SEVERITY[signal.severity]:
        signal.severity = det.severity  # type: ignore[assignment]
    signal.statistics = dict(det.statistics)  # the latest detection's
    signal.detector = det.detector
    signal.window["to"] = signal.last_seen
    describe(signal, data, config)


def describe(signal: Signal, data: StoreSeries, config: RunConfig) -> None:
    """Counts, markets, sources, countries, languages, prices, evidence and the summary over the episode's window."""
    first = date.fromisoformat(signal.window.get("from", signal.first_seen))
    last = date.fromisoformat(signal.last_seen)
    if signal.type == "first_seen":
        last = min(data.as_of, date.fromisoformat(signal.first_seen) + timedelta(days=config.first_seen_episode_days))
        first = date.fromisoformat(signal.first_seen)
    kinds = {"spike": ("listing",), "price_shift": ("listing",), "adverse_surge": ("post",)}.get(
        signal.type, ("listing", "post")
    )
    pairs = data.records_between(signal.subject, first, last, kinds)
    if signal.scope:
        dim, _, value = signal.scope.partition("=")
        pairs = [(r, s) for r, s in pairs if r.context().get(dim) == value]
    if signal.type == "adverse_surge":
        pairs = [(r, s) for r, s in pairs if (r.severe if config.adverse_measure == "severe" else r.adverse)]
    if signal.type == "first_seen" and pairs:
        signal.last_seen = max(signal.last_seen, max(s.day for _, s in pairs).isoformat())
    recs = [r for r, _ in pairs]
    signal.counts = {
        "listings": sum(r.kind == "listing" for r in recs),
        "vendors": len({(r.source, r.vendor) for r in recs if r.vendor}),
        "markets": len({r.market for r in recs if r.market}),
        "posts": sum(r.kind == "post" for r in recs),
        "threads": len({(r.source, r.thread) for r in recs if r.thread}),
        "adverse": sum(r.adverse for r in recs),
        "severe": sum(r.severe for r in recs),
    }
    signal.markets = sorted({r.market for r in recs if r.market})
    signal.sources = sorted({r.source for r in recs})
    signal.countries = sorted({r.country for r in recs if r.country})
    signal.languages = sorted({r.language for r in recs if r.language})
    signal.prices = price_summary([v for _, s in pairs for v in s.eur_per_gram])
    if signal.type == "spike":  # the listings behind the rise first: those that appeared during the episode
        since = date.fromisoformat(signal.first_seen) - timedelta(days=config.spike_close_after)
        pairs = sorted(pairs, key=lambda pair: pair[0].sights[0].day < since)
    signal.evidence = [Evidence(r.doc_id, r.kind, r.url, s.seen_at, s.warc_record_id)
                       for r, s in pairs[: config.max_evidence]]  # fmt: skip
    signal.summary = summary(signal)


def price_summary(values: list[float]) -> dict[str, Any]:
    if not values:
        return {}
    q = np.percentile(values, [25, 50, 75])
    return {"currency": "EUR", "unit": "g", "n": len(values), "p25": round(float(q[0]), 2),
            "median": round(float(q[1]), 2), "p75": round(float(q[2]), 2), "min": round(min(values), 2),
            "max": round(max(values), 2)}  # fmt: skip


def summary(s: Signal) -> str:
    where = ", ".join(s.markets or s.sources) or "the store"
    name = s.subject if s.known else f"{s.subject} (novel candidate{', ' + s.family if s.family else ''})"
    c = s.counts
    if s.type == "first_seen":
        if s.scope:
            return f"{name} seen for the first time with {s.scope} on {s.first_seen}: {c['listings']} listings, " \
                   f"{c['posts']} posts."  # fmt: skip
        return f"{name} first seen on {s.first_seen} in {where}: {c['listings']} listings, {c['posts']} posts."
    if s.type == "spike":
        ratio = s.statistics.get("ratio")
        return f"{name}: listings rose to {s.statistics.get('observed', 0):.0f} a day (x{ratio or 0:.1f} the " \
               f"baseline) from {s.first_seen} to {s.last_seen}, in {where}."  # fmt: skip
    if s.type == "price_shift":
        change = float(s.statistics.get("relative_change", 0.0))
        before, now = (float(s.statistics.get(k) or 0.0) for k in ("median_reference", "median_current"))
        place = (s.scope or "").partition("=")[2] or where
        return f"{name} price per gram {'down' if change < 0 else 'up'} {abs(change):.0%} on {place} " \
               f"since {s.first_seen} (median {before:.2f} -> {now:.2f} EUR/g)."  # fmt: skip
    return f"{name}: {c['posts']} forum posts with {'severe ' if c.get('severe') else ''}adverse effects from " \
           f"{s.first_seen} to {s.last_seen} in {where}."  # fmt: skip
