"""The detectors over the store's series, one function per signal type: each day's alarms as ``Detection`` records.

Settings: :class:`signals.config.RunConfig` (docs/signals.md, "Settings").  Each detection carries in its
statistics what ``npswatch signals explain`` prints: the numbers the test saw, and ``reason`` (why it fired) and
``severity_rule`` (why this severity).  What the data cannot show (a price test that cannot reach alpha) goes to
``notes.warnings``; what is worth a line but not a signal to ``notes.digest``.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from signals.config import RunConfig
from signals.detectors import AdverseDoubling, AdverseSurge, Sighting, first_seen, get_detector, paired_shift
from signals.episodes import Detection
from signals.series import Record, StoreSeries
from signals.triage import excluded, is_class, new_subject_severity


@dataclass
class Notes:
    warnings: list[str] = field(default_factory=list)
    digest: list[str] = field(default_factory=list)


def subjects(data: StoreSeries, config: RunConfig, *, classes: bool = False) -> list[str]:
    """The subjects that may signal: every one but the co-used (``config.exclude``) and, unless ``classes``, the
    class names (``... (unspecified)``: a class is no substance; only its first sighting is a digest line)."""
    return sorted(n for n in data.by_subject if not excluded(n, data.subjects.get(n), config.exclude)
                  and (classes or not is_class(n)))  # fmt: skip


def num(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else round(number, 6)


# -- first sightings -----------------------------------------------------------------------------


def detect_first_seen(data: StoreSeries, since: date, config: RunConfig, notes: Notes) -> list[Detection]:
    """Never-seen subjects (triaged: ``signals.triage``), and known ones in a new market, country or language."""
    cfg = config.first_seen
    baseline_end = data.first_crawl + timedelta(days=config.warmup_days)
    names = set(subjects(data, config, classes=True))
    sightings = [Sighting(n, rec.sights[0].day, {}, rec.doc_id) for rec in data.records for n in rec.subjects
                 if n in names]  # fmt: skip
    out = []
    for f in first_seen(sightings, baseline_end=baseline_end, dimensions=()):
        day = _day(f.first_seen)
        if day + timedelta(days=cfg.episode_days) < since:
            continue
        found = _new_subject(data, f.entity, day, cfg, baseline_end)
        if found is None:
            continue
        severity, stats = found
        if severity == "digest":
            notes.digest.append(f"{day}: {f.entity} first seen ({stats['severity_rule']})")
            continue
        out.append(Detection("first_seen", f.entity, None, day, severity, "first-seen", stats, day))
    return out + _new_places(data, since, config, names, baseline_end, notes)


def _new_subject(data: StoreSeries, name: str, day: date, cfg: Any, baseline_end: date
                 ) -> tuple[str, dict[str, Any]] | None:  # fmt: skip
    end = day + timedelta(days=cfg.episode_days)
    recs = [r for r in data.by_subject[name] if day <= r.sights[0].day <= end]
    listings = sum(r.kind == "listing" for r in recs)
    sources = len({r.source for r in recs})
    used = any(r.uses for r in recs)
    severity, rule = new_subject_severity(name, data.subjects.get(name), len(recs), listings, cfg, sources, used)
    stats: dict[str, Any] = {"count": len(recs), "listings": listings, "posts": len(recs) - listings,
                             "sources": sources, "use_reported": used, "baseline_end": baseline_end.isoformat(),
                             "severity_rule": rule,
                             "reason": f"{name} was never seen before {day} (history from "
                                       f"{data.start} on, warm-up to {baseline_end})"}  # fmt: skip
    if data.aliases.get(name):
        stats["also_written"] = data.aliases[name]
    return severity, stats


def _new_places(data: StoreSeries, since: date, config: RunConfig, names: set[str], baseline_end: date,
                notes: Notes) -> list[Detection]:  # fmt: skip
    """A known substance in a new market (digest or low), country or language (only when rare in the store)."""
    cfg = config.first_seen
    warm = _source_warmups(data, cfg.dimension_warmup_days)
    sightings = []
    for rec in data.records:
        ctx = _first_seen_context(rec)
        when = rec.sights[0].day
        for n in rec.subjects:
            if n in names and not is_class(n):  # before its source's warm-up ends, a sighting is history
                sightings.append(Sighting(n, min(when, baseline_end - timedelta(days=1))
                                          if when < warm.get(rec.source, when) else when, ctx, rec.doc_id))  # fmt: skip
    out = []
    for f in first_seen(sightings, baseline_end=baseline_end, dimensions=cfg.dimensions):
        if f.dimension is None:
            continue
        day = _day(f.first_seen)
        within = [s for s in sightings if s.entity == f.entity and s.context.get(f.dimension) == f.value
                  and day <= _day(s.when) <= day + timedelta(days=cfg.episode_days)]  # fmt: skip
        if len(within) < cfg.min_count or day + timedelta(days=cfg.episode_days) < since:
            continue
        before = sum(1 for r in data.by_subject[f.entity] if r.sights[0].day < day)
        stats: dict[str, Any] = {"count": len(within), "dimension": f.dimension, "value": f.value,
                                 "documents_before": before, "baseline_end": baseline_end.isoformat(),
                                 "reason": f"{f.entity} seen {len(within)} times with {f.dimension} {f.value} from "
                                           f"{day}, never before"}  # fmt: skip
        if f.dimension == "market":
            if cfg.new_market == "digest":
                notes.digest.append(f"{day}: {f.entity} on {f.value} for the first time ({len(within)} listings)")
                continue
            stats["severity_rule"] = "a known substance on one more market"
        elif before >= cfg.rare_max_documents:
            continue  # common in the store: a new language or country is an artefact of a short history
        elif f.dimension == "language" and cfg.new_language == "digest":
            notes.digest.append(f"{day}: {f.entity} talked about in {f.value} for the first time ({len(within)} posts)")
            continue
        else:
            stats["severity_rule"] = f"rare in the store ({before} documents before), new {f.dimension}"
        scope = f"{f.dimension}={f.value}"
        out.append(Detection("first_seen", f.entity, scope, day, "low", "first-seen", stats, day))
    return out


def _source_warmups(data: StoreSeries, days: int) -> dict[str, date]:
    """Per source, the end of its own warm-up: its first observation plus ``days``."""
    first: dict[str, date] = {}
    for rec in data.records:
        seen = rec.first_observed or (rec.sights[0].observed or rec.sights[0].day)
        first[rec.source] = min(first.get(rec.source, seen), seen)
    return {src: d + timedelta(days=days) for src, d in first.items()}


def _first_seen_context(rec: Record) -> dict[str, str]:
    """Markets and ships-from countries come from listings, languages from forum posts (a listing's language is
    the vendor's copywriting, not a community of users)."""
    ctx: dict[str, str] = rec.context()
    ctx.pop("source", None)
    if rec.kind == "listing":
        ctx.pop("language", None)
    return ctx


def _day(when: Any) -> date:
    return when if isinstance(when, date) and not hasattr(when, "hour") else when.date()


# -- spikes --------------------------------------------------------------------------------------


def detect_spikes(data: StoreSeries, since: date, config: RunConfig) -> list[Detection]:
    """The count detector over each market's daily distinct listings of each substance, on that market's crawl days
    (a day a market was not crawled is skipped, not zero); alarms of any market make one signal per substance."""
    per_market: dict[str, dict[str, npt.NDArray[np.float64]]] = {}
    for name in subjects(data, config):
        if not any(r.kind == "listing" for r in data.by_subject[name]):
            continue
        for market, series in data.counts(name, "listings", split="market").items():
            if market is not None:
                per_market.setdefault(market, {})[name] = series.values
    detector = get_detector(config.spike.method, **config.spike.params)
    out = []
    for market, rows in sorted(per_market.items()):
        out += _market_spikes(data, market, rows, detector, since, config)
    return out


def _market_spikes(data: StoreSeries, market: str, rows: dict[str, npt.NDArray[np.float64]], detector: Any,
                   since: date, config: RunConfig) -> list[Detection]:  # fmt: skip
    cfg = config.spike
    days = data.days()
    names = sorted(rows)
    kept = np.flatnonzero(data.observed("listings", "market", market))
    if kept.size <= detector.min_history:
        return []
    matrix = np.vstack([rows[name] for name in names])[:, kept]
    result = detector(matrix)
    mean = result.statistics.get("mean")
    # Where each substance was first listed on this market: a rise needs a baseline it was already part of;
    # an appearance from nothing is what first_seen reports, not a spike.
    first_listed = np.argmax(np.nan_to_num(matrix) > 0, axis=1)
    totals = _market_totals(data, market, [days[k] for k in kept]) if cfg.market_adjust else None
    out = []
    for i, j in zip(*np.nonzero(result.alarm), strict=True):
        day, name = days[kept[j]], names[i]
        if first_listed[i] > j - detector.min_history:
            continue
        observed = float(result.observed[i, j])
        expected = float(mean[i, j]) if mean is not None and not math.isnan(mean[i, j]) else math.nan
        bound = float(result.upperbound[i, j])
        if day < since or observed < cfg.min_count:
            continue
        factor = 1.0 if totals is None else _market_factor(totals, np.nan_to_num(matrix[i]), j, detector.min_history)
        if factor > 1.0:  # the rest of the market grew since the baseline (shops back from holiday mode)
            expected, bound = expected * factor, bound * factor
            if observed <= bound:
                continue
        if expected > 0 and observed < cfg.min_ratio * expected:
            continue
        excess = observed - (expected if expected > 0 else 0.0)
        top, new = _listing_rise(data, name, market, [days[k] for k in kept], j, detector.min_history)
        if top > cfg.max_vendor_share * excess:
            continue  # mostly one vendor's new listings (a batch, relisting under new ids): not the market's rise
        if new < cfg.min_new_share * excess:
            continue  # mostly listings back after an absence (shops in holiday mode, an outage): no new supply
        ratio = observed / expected if expected > 0 else math.inf
        severity = "high" if ratio >= 3 else "medium" if ratio >= 2 else "low"
        stats = {"measure": "listings", "market": market, "observed": observed, "expected": num(expected),
                 "upperbound": num(bound), "ratio": num(ratio), "params": result.params,
                 "top_vendor_rise": num(top), "new_listings": new, "market_factor": num(factor),
                 "reason": f"{observed:.0f} listings on {market} on {day}, above the bound "
                           f"{bound:.1f} of {result.method} and {cfg.min_ratio}x the "
                           f"baseline mean {expected:.1f}; the vendor whose listings rose most added {top:.1f}",
                 "severity_rule": "ratio to the baseline >= 3 high, >= 2 medium, else low"}  # fmt: skip
        start = days[kept[max(0, j - detector.min_history)]]
        out.append(Detection("spike", name, None, day, severity, result.method, stats, start))
    return out


def _market_totals(data: StoreSeries, market: str, crawl_days: list[date]) -> npt.NDArray[np.float64]:
    """The listings of ``market`` (any substance) on each of its crawl days."""
    index = {d: k for k, d in enumerate(crawl_days)}
    totals = np.zeros(len(crawl_days))
    for rec in data.records:
        if rec.kind == "listing" and (rec.market or rec.source) == market:
            for sight in rec.sights:
                k = index.get(sight.day)
                if k is not None:
                    totals[k] += 1
    return totals


def _market_factor(totals: npt.NDArray[np.float64], own: npt.NDArray[np.float64], j: int, history: int) -> float:
    """How much the rest of the market (its listings less the substance's own) grew on crawl day ``j`` against its
    mean over the ``history`` crawl days before (the detector's baseline and gap); at least 1: a market that
    shrank does not lower the bar."""
    rest = totals - own
    before = rest[max(0, j - history) : j]
    if before.size == 0 or before.mean() <= 0:
        return 1.0
    return max(1.0, float(rest[j] / before.mean()))


def _listing_rise(data: StoreSeries, name: str, market: str, crawl_days: list[date], j: int, history: int
                  ) -> tuple[float, int]:  # fmt: skip
    """Where the listings of ``name`` on ``market`` on ``crawl_days[j]`` come from, over the ``history`` crawl days
    before it (the detector's baseline and gap): the largest rise of one vendor's listings (its listings that day
    less its mean per crawl day over those days), and how many of the day's listings were first seen within those
    days or on that day (new supply, not listings back after an absence)."""
    day, window = crawl_days[j], crawl_days[max(0, j - history) : j]
    since, before = crawl_days[max(0, j - history)], set(window)
    today: Counter[str] = Counter()
    earlier: Counter[str] = Counter()
    new = 0
    for rec in data.by_subject[name]:
        if rec.kind != "listing" or (rec.market or rec.source) != market:
            continue
        vendor = rec.vendor or rec.doc_id  # a listing without a vendor is a vendor of its own
        for sight in rec.sights:
            if sight.day == day:
                today[vendor] += 1
                new += rec.sights[0].day >= since
            elif sight.day in before:
                earlier[vendor] += 1
    span = max(1, len(before))
    return max((n - earlier[v] / span for v, n in today.items()), default=0.0), new


# -- price shifts --------------------------------------------------------------------------------

Points = list[tuple[date, str, float]]


def detect_price_shifts(data: StoreSeries, since: date, config: RunConfig, notes: Notes) -> list[Detection]:
    """Per market and crawl day: each substance's listings present in both windows, paired (``paired_shift``),
    against the market's other substances' move."""
    by_market: dict[str, dict[str, Points]] = defaultdict(dict)
    for name in subjects(data, config):
        for market, points in data.prices(name, split="market").items():
            if market is not None:
                by_market[market][name] = points
    out: list[Detection] = []
    warned: set[tuple[str, str]] = set()
    for market, per_subject in sorted(by_market.items()):
        crawled = sorted(d for d in data.crawls.get(("market", market), set()) if since <= d <= data.as_of)
        for day in crawled:
            out += _market_prices_on(market, per_subject, day, config, notes, warned)
    return out


def _windows(day: date, config: RunConfig) -> tuple[date, date, date]:
    cfg = config.price_shift
    cur_start = day - timedelta(days=cfg.window - 1)
    ref_end = cur_start - timedelta(days=cfg.gap + 1)
    return cur_start, ref_end, ref_end - timedelta(days=cfg.reference - 1)


def pairs_on(points: Points, day: date, config: RunConfig) -> dict[str, tuple[list[float], list[float]]]:
    """Each listing in both windows: (its daily EUR/g in the reference window, in the current one, oldest first)."""
    cur_start, ref_end, ref_start = _windows(day, config)
    ref: dict[str, list[float]] = defaultdict(list)
    cur: dict[str, list[tuple[date, float]]] = defaultdict(list)
    for when, doc, value in points:
        if ref_start <= when <= ref_end:
            ref[doc].append(value)
        elif cur_start <= when <= day:
            cur[doc].append((when, value))
    return {doc: (ref[doc], [v for _, v in sorted(cur[doc])]) for doc in cur if doc in ref}


def _market_prices_on(market: str, per_subject: dict[str, Points], day: date, config: RunConfig, notes: Notes,
                      warned: set[tuple[str, str]]) -> list[Detection]:  # fmt: skip
    cfg = config.price_shift
    paired = {name: pairs_on(points, day, config) for name, points in per_subject.items()}
    ratios = {name: {doc: math.log(c[-1] / statistics.median(r)) for doc, (r, c) in p.items()}
              for name, p in paired.items()}  # fmt: skip
    out = []
    for name, pairs in paired.items():
        if not pairs:
            continue
        # the market-wide move: the median of the other substances' median listing changes
        others = [statistics.median(v) for other, rs in ratios.items() if other != name
                  for v in [[x for doc, x in rs.items() if doc not in pairs]] if v]  # fmt: skip
        res = paired_shift(list(pairs.values()), market=others if cfg.market_adjust else None, alpha=cfg.alpha,
                           min_change=cfg.min_change, min_units=cfg.min_listings,
                           market_min_units=cfg.market_min_substances)  # fmt: skip
        if abs(res.relative_change) >= cfg.min_change and not res.reachable and (name, market) not in warned:
            warned.add((name, market))
            notes.warnings.append(
                f"price_shift: {name} on {market}, {day}: the median listing moved {res.relative_change:+.0%} but "
                f"{res.n} listing(s) with their days in both windows cannot give p below {res.min_p:.3g} "
                f"(alpha {cfg.alpha}): not signalled"
            )
        if res.significant:
            medians = (statistics.median(statistics.median(r) for r, _ in pairs.values()),
                       statistics.median(c[-1] for _, c in pairs.values()))  # fmt: skip
            out.append(_price_detection(name, market, day, res, len(pairs), medians, config))
    return out


def _price_detection(name: str, market: str, day: date, res: Any, n: int, medians: tuple[float, float],
                     config: RunConfig) -> Detection:  # fmt: skip
    cfg = config.price_shift
    cur_start, ref_end, ref_start = _windows(day, config)
    change = abs(res.relative_change)
    severity = "high" if change >= 0.5 else "medium" if change >= 0.25 else "low"
    adjusted = "" if res.market_change is None else f" after the market's other substances' {res.market_change:+.0%}"
    stats = {"measure": "eur_per_gram", "test": "exact stratified rank test (days within listings)",
             "relative_change": round(res.relative_change, 4), "raw_change": round(res.raw_change, 4),
             "market_change": None if res.market_change is None else round(res.market_change, 4),
             "median_reference": round(medians[0], 4), "median_current": round(medians[1], 4),
             "p_value": res.p_value, "min_p": res.min_p, "rank_sum": res.statistic, "rank_sum_expected": res.expected,
             "n_listings": n,
             "n_moved": res.agree, "direction": res.direction, "alpha": cfg.alpha,
             "reference_window": [ref_start.isoformat(), ref_end.isoformat()],
             "current_window": [cur_start.isoformat(), day.isoformat()],
             "reason": f"{res.agree} of {n} listings on {market} present in both windows moved by "
                       f"{cfg.min_change:.0%} or more; median listing {res.relative_change:+.0%}{adjusted}; exact "
                       f"two-sided p = {res.p_value:.3g} < {cfg.alpha}",
             "severity_rule": "change >= 50 % high, >= 25 % medium, else low"}  # fmt: skip
    return Detection("price_shift", name, f"market={market}", day, severity, "stratified-rank", stats, cur_start)


# -- adverse-effect surges -----------------------------------------------------------------------


def detect_adverse(data: StoreSeries, since: date, config: RunConfig) -> list[Detection]:
    """Per substance discussed in posts: the severe share (``AdverseSurge`` on severe posts), the doubling of
    adverse posts severe or not (``AdverseDoubling``), and, with no mention in the reference window, the sparse
    count detector on adverse posts."""
    cfg = config.adverse_surge
    names = [n for n in subjects(data, config) if any(r.kind == "post" for r in data.by_subject[n])]
    if not names:
        return []
    days = data.days()
    mentions = np.vstack([data.series(n, "posts").values for n in names])
    kept = np.flatnonzero(~np.isnan(mentions[0]))
    if kept.size == 0:
        return []
    adverse = np.vstack([data.series(n, "adverse").values for n in names])[:, kept]
    severe = np.vstack([data.series(n, "severe").values for n in names])[:, kept]
    mentions = mentions[:, kept]
    common: dict[str, Any] = {"window": cfg.window, "baseline": cfg.baseline, "gap": cfg.gap, "alpha": cfg.alpha,
              "min_adverse": cfg.min_adverse, "min_ratio": cfg.min_ratio}  # fmt: skip
    results = {"severe": AdverseSurge(**common)(severe, mentions),
               "adverse": AdverseDoubling(min_share_ratio=cfg.min_share_ratio, share_prior=cfg.share_prior,
                                          forum_control=cfg.forum_control,
                                          **{**common, "min_adverse": cfg.doubling_min_adverse})(adverse, mentions),
               "sparse": get_detector(cfg.sparse_method, **cfg.sparse_params)(adverse)}  # fmt: skip
    out = []
    for i, name in enumerate(names):
        for j, t in enumerate(kept):
            if days[t] < since or not adverse[i, j]:
                continue  # an alarm day brings an adverse post: the days after a wave only echo its window
            found = _adverse_at(results, i, j, adverse[i], severe[i], mentions[i], config)
            if found is not None:
                method, stats = found
                start = days[kept[max(0, j - cfg.window + 1)]]
                severity = "high" if stats["severe_window"] >= cfg.high_severe else "medium"
                stats["severity_rule"] = f"{stats['severe_window']:.0f} severe posts in the window " \
                                         f"(high from {cfg.high_severe})"  # fmt: skip
                out.append(Detection("adverse_surge", name, None, days[t], severity, method, stats, start))
    return out


def _adverse_at(results: dict[str, Any], i: int, j: int, adverse: npt.NDArray[np.float64],
                severe: npt.NDArray[np.float64], mentions: npt.NDArray[np.float64], config: RunConfig
                ) -> tuple[str, dict[str, Any]] | None:  # fmt: skip
    cfg = config.adverse_surge
    lo = max(0, j - cfg.window + 1)
    base = {key: float(np.nansum(values[lo : j + 1])) for key, values in
            (("adverse_window", adverse), ("severe_window", severe), ("mentions_window", mentions))}  # fmt: skip
    for key, what in (("severe", "the share of posts with a severe adverse effect"),
                      ("adverse", "adverse-effect posts (severe or not), beyond more talk")):  # fmt: skip
        res = results[key]
        if res.computed[i, j] and res.alarm[i, j]:
            ratio = float(res.statistics["ratio"][i, j])
            stats = {**base, "measure": key, "upperbound": num(res.upperbound[i, j]),
                     "p_value": num(res.statistics["pvalue"][i, j]), "ratio": num(ratio), "params": res.params,
                     "reason": f"{what} rose x{ratio:.1f} in the {cfg.window} days to this day "
                               f"(p = {float(res.statistics['pvalue'][i, j]):.3g} <= {cfg.alpha})"}  # fmt: skip
            for extra in ("share_ratio", "forum_share", "forum_pvalue"):
                if extra in res.statistics:
                    stats[extra] = num(res.statistics[extra][i, j])
            if stats.get("forum_share") is not None and res.params.get("forum_control"):
                stats["reason"] += (f"; {base['adverse_window']:.0f} of {base['mentions_window']:.0f} posts adverse "
                                    f"against {stats['forum_share']:.0%} of all posts in the window "
                                    f"(p = {stats['forum_pvalue']:.3g})")  # fmt: skip
            return res.method, stats
    reference = float(np.nansum(mentions[max(0, lo - cfg.gap - cfg.baseline) : max(0, lo - cfg.gap)]))
    sparse = results["sparse"]
    if reference > 0 or not sparse.alarm[i, j] or base["adverse_window"] < cfg.min_adverse:
        return None
    if base["adverse_window"] < cfg.doubling_min_adverse and base["severe_window"] < cfg.min_adverse:
        return None  # a few mild side effects of a newly discussed substance: as for the doubling
    stats = {**base, "measure": "adverse", "observed": float(adverse[j]), "upperbound": num(sparse.upperbound[i, j]),
             "p_value": num(sparse.statistics["pvalue"][i, j]), "params": sparse.params,
             "note": "no mentions in the reference window",
             "reason": f"{base['adverse_window']:.0f} adverse posts in {cfg.window} days about a substance nobody "
                       f"discussed in the {cfg.baseline} days before"}  # fmt: skip
    return sparse.method, stats
