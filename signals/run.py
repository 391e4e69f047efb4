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

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from signals import detect, episodes
from signals.config import RunConfig
from signals.episodes import Detection
from signals.model import SUBSTANCE_TYPES, Evidence, Signal, clean_url
from signals.series import Record, Sight, StoreSeries, load_series
from signals.store import SignalStore, SignalStoreError, open_store
from signals.watch import run_watchlists
from storage import open_storage
from storage.base import Storage, StorageError

_SEVERITY = {"low": 0, "medium": 1, "high": 2}


@dataclass
class RunResult:
    as_of: date
    created: list[Signal] = field(default_factory=list)
    updated: list[Signal] = field(default_factory=list)
    closed: list[Signal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the data cannot show (a test that cannot reach alpha)
    digest: list[str] = field(default_factory=list)  # worth a line, not a signal (a known substance on one more market)

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "created": [s.id for s in self.created],
                "updated": [s.id for s in self.updated], "closed": [s.id for s in self.closed],
                "warnings": self.warnings, "digest": self.digest}  # fmt: skip


@dataclass
class Outcome:
    """What ``run_and_deliver`` did, in lines for a person, its exit code and every signal then kept."""

    lines: list[str] = field(default_factory=list)
    code: int = 0
    kept: list[Signal] = field(default_factory=list)


def run_and_deliver(db: str, as_of: date | None = None, *, since: date | None = None, deliver: bool | None = True,
                    data: Path | None = None, config: RunConfig | None = None) -> Outcome:  # fmt: skip
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
            result = run_signals(store, kept, day, since=since, config=config)
            outcome.lines.append(f"signals as of {day}: {len(result.created)} new, {len(result.updated)} updated, "
                                 f"{len(result.closed)} closed (kept in {kept.path})")  # fmt: skip
            outcome.lines += [f"warning: {w}" for w in result.warnings] + [f"digest: {d}" for d in result.digest]
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
    history = max(since, data.first_crawl + timedelta(days=config.warmup_days))  # the warm-up only builds history
    notes = detect.Notes()
    detections = [
        *detect.detect_first_seen(data, since, config, notes),
        *detect.detect_spikes(data, history, config),
        *detect.detect_price_shifts(data, history, config, notes),
        *detect.detect_adverse(data, history, config),
    ]
    result = RunResult(as_of, warnings=notes.warnings, digest=notes.digest)
    with signals.transaction():
        fold(detections, data, signals, config, result)
        close_ended(data, signals, config, result)
        signals.record_run(as_of, len(result.created), len(result.updated), len(result.closed))
    return result


# -- episodes --------------------------------------------------------------------------------------


def _close_after(type_: str, config: RunConfig) -> int:
    return {
        "first_seen": config.first_seen.episode_days,
        "spike": config.spike.close_after,
        "price_shift": config.price_shift.close_after,
        "adverse_surge": config.adverse_surge.close_after,
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
            ended = date.fromisoformat(signal.first_seen) + timedelta(days=config.first_seen.episode_days)
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
        last = min(data.as_of, date.fromisoformat(signal.first_seen) + timedelta(days=config.first_seen.episode_days))
        first = date.fromisoformat(signal.first_seen)
    kinds = {"spike": ("listing",), "price_shift": ("listing",), "adverse_surge": ("post",)}.get(
        signal.type, ("listing", "post")
    )
    pairs = data.records_between(signal.subject, first, last, kinds)
    if signal.scope:
        dim, _, value = signal.scope.partition("=")
        pairs = [(r, s) for r, s in pairs if r.context().get(dim) == value]
    if signal.type == "adverse_surge":
        pairs = [(r, s) for r, s in pairs if r.harms(signal.subject)]
    if signal.type == "first_seen" and pairs:  # open while seen: the last day any of its documents was seen
        latest = max(s.day for r, _ in pairs for s in r.sights if s.day <= last)
        signal.last_seen = max(signal.last_seen, latest.isoformat())
    recs = [r for r, _ in pairs]
    signal.counts = {
        "listings": sum(r.kind == "listing" for r in recs),
        "vendors": len({(r.source, r.vendor) for r in recs if r.vendor}),
        "markets": len({r.market for r in recs if r.market}),
        "posts": sum(r.kind == "post" for r in recs),
        "threads": len({(r.source, r.thread) for r in recs if r.thread}),
        "adverse": sum(r.harms(signal.subject) for r in recs),
        "severe": sum(r.harms(signal.subject, severe=True) for r in recs),
    }
    signal.markets = sorted({r.market for r in recs if r.market})
    signal.sources = sorted({r.source for r in recs})
    signal.countries = sorted({r.country for r in recs if r.country})
    signal.languages = sorted({r.language for r in recs if r.language})
    signal.prices = price_summary([v for _, s in pairs for v in s.eur_per_gram])
    if signal.type == "spike":  # the listings behind the rise first: those that appeared during the episode
        since = date.fromisoformat(signal.first_seen) - timedelta(days=config.spike.close_after)
        pairs = sorted(pairs, key=lambda pair: pair[0].sights[0].day < since)
    signal.evidence = [as_seen(r, s) for r, s in pairs[: config.max_evidence]]
    signal.summary = summary(signal)


def as_seen(rec: Record, sight: Sight) -> Evidence:
    """The evidence of one sighting: the observation behind it (its day, the time the page was fetched, that day's
    WARC record: the page as it was then) and the document's URL without crawl parameters (``clean_url``)."""
    observed = sight.observed or sight.day
    return Evidence(rec.doc_id, rec.kind, clean_url(rec.url), sight.seen_at, sight.warc_record_id,
                    observed.isoformat())  # fmt: skip


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
    severe = f" ({c['severe']} of them severe)" if c.get("severe") else ""
    return f"{name}: {c['posts']} forum posts with adverse effects{severe} from {s.first_seen} to {s.last_seen} " \
           f"in {where}."  # fmt: skip
