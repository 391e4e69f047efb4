"""Price shift with thin data: the same listings' daily prices before and after, stratified by listing.

A market's price of a substance moves when its sellers change their prices.  Each listing present in both windows is
a **stratum**: its daily prices in the reference window and in the current window.  Under "no change" a listing's
daily prices are exchangeable across its days (day-to-day scatter), so the test permutes days *within* each
listing, never across listings: a listing seen on 21 days is 21 draws of its own price, not 21 listings (no
pseudo-replication), and price levels that differ between listings do not matter.

- test: the exact **stratified rank test** (van Elteren's, unweighted): within each listing the ranks of its days'
  log prices (midranks for ties: an unchanged price ranks all its days alike and adds nothing); the statistic is
  the sum over listings of the current days' rank sums; its exact distribution is the convolution of each
  listing's (the rank sums of every choice of its current days), so the two-sided p-value is exact;
- attainable p-values: the smallest is ``2 / prod C(n_i, k_i)`` (n_i days of listing i, k_i of them current):
  2/22**4 ~ 1e-5 for 4 listings with 21 reference days and 1 current day, but 0.5 for one listing seen on 3
  days and 1.  ``min_p`` reports it; when it is not below alpha, ``reachable`` is False and nothing is significant;
- effect: each listing's change (its latest current price against its reference median); the median listing's
  change, ``exp(median(d - m)) - 1``, after taking off ``m``, the market-wide move (the median change of the
  market's *other* substances' listings, when given): a currency swing that moves every substance together in EUR
  is not a price shift of each of them;
- significant when p < alpha, reachable, at least ``min_units`` listings, and ``|change| >= min_change`` (at least
  half of the listings moved that much: one vendor's sale is not the market's price).

:func:`minimum_detectable_change` gives, for a number of listings and window sizes, the smallest change detected
with a chosen power when daily prices scatter by a chosen spread (docs/detectors.md has the table).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

from .base import ParameterError, SeriesError, check_range


@dataclass(frozen=True)
class PairedShift:
    """Outcome of a price comparison of the same listings."""

    n: int  #: listings in both windows
    relative_change: float  #: exp(median adjusted change) - 1 (NaN without listings)
    raw_change: float  #: the same before the market-wide move is taken off
    market_change: float | None  #: exp(m) - 1, the market's other substances' move (None: not adjusted)
    statistic: float  #: sum of the current days' within-listing ranks
    expected: float  #: its mean under no change
    p_value: float  #: exact two-sided p-value (1.0 when no listing's days differ)
    min_p: float  #: smallest p-value these listings and days can give
    reachable: bool  #: min_p < alpha
    significant: bool
    direction: str  #: "down", "up" or "none"
    agree: int  #: listings that moved in the direction of the median by at least min_change


def _subset_sums(twice: npt.NDArray[np.int64], k: int) -> npt.NDArray[np.float64]:
    """Counts of every sum of k of these (doubled) ranks: index = sum."""
    top = int(np.sort(twice)[-k:].sum()) if k else 0
    ways = np.zeros((k + 1, top + 1))
    ways[0, 0] = 1.0
    for r in twice:
        for j in range(min(k, len(twice)), 0, -1):
            ways[j, r:] += ways[j - 1, : top + 1 - r]
    out: npt.NDArray[np.float64] = ways[k]
    return out


def stratified_rank_test(strata: list[tuple[npt.ArrayLike, npt.ArrayLike]]) -> tuple[float, float, float, float]:
    """(statistic, its mean under no change, exact two-sided p, smallest attainable p) of the stratified rank test
    of ``strata``: per listing (reference log prices, current log prices)."""
    total = np.ones(1)
    observed, expected, log_arrangements = 0, 0.0, 0.0
    for ref, cur in strata:
        r, c = np.asarray(ref, dtype=np.float64), np.asarray(cur, dtype=np.float64)
        values = np.concatenate([r, c])
        twice = np.rint(2 * rankdata(values)).astype(np.int64)
        k = c.size
        if k == 0 or r.size == 0 or np.ptp(values) == 0:
            continue  # one price all along: no information, whatever the days
        observed += int(twice[r.size :].sum())
        expected += k * (values.size + 1)
        dist = _subset_sums(twice, k)
        log_arrangements += math.log(math.comb(values.size, k))
        total = np.convolve(total, dist / dist.sum())
    if log_arrangements == 0.0:
        return observed / 2, expected / 2, 1.0, 1.0
    probs = total / total.sum()
    upper, lower = probs[observed:].sum(), probs[: observed + 1].sum()
    p = min(1.0, 2.0 * min(upper, lower))
    return observed / 2, expected / 2, p, min(1.0, 2.0 * math.exp(-log_arrangements))


def paired_shift(
    strata: list[tuple[npt.ArrayLike, npt.ArrayLike]],
    *,
    market: npt.ArrayLike | None = None,
    alpha: float = 0.01,
    min_change: float = 0.2,
    min_units: int = 3,
    market_min_units: int = 4,
) -> PairedShift:
    """Compare each listing's current prices with its reference prices.

    Args:
        strata: per listing in both windows, (its reference-window prices, its current-window prices, latest last),
            all > 0.
        market: changes (log ratios) of the market's other listings over the same windows; their median is taken
            off when there are at least ``market_min_units`` (None: no adjustment).
        alpha: two-sided level, in (0, 0.5] (default 0.01).
        min_change: smallest |relative change| of the median listing worth a signal (default 0.2).
        min_units: listings needed for a verdict, >= 1 (default 3).
        market_min_units: other listings needed to estimate the market-wide move (default 4).
    """
    check_range("alpha", alpha, 0.0, 0.5, low_open=True)
    check_range("min_change", min_change, 0.0)
    if min_units < 1:
        raise ParameterError(f"min_units: expected a whole number >= 1, found {min_units!r}")
    logs = []
    for ref, cur in strata:
        r, c = np.asarray(ref, dtype=np.float64), np.asarray(cur, dtype=np.float64)
        if r.size == 0 or c.size == 0 or ((r <= 0) | ~np.isfinite(r)).any() or ((c <= 0) | ~np.isfinite(c)).any():
            raise SeriesError("strata: expected prices > 0 in both windows of every listing")
        logs.append((np.log(r), np.log(c)))
    shift, market_change = 0.0, None
    others = np.asarray(market if market is not None else [], dtype=np.float64)
    others = others[np.isfinite(others)]
    if others.size >= market_min_units:
        shift = float(np.median(others))
        market_change = math.expm1(shift)
    n = len(logs)
    if n == 0:
        return PairedShift(0, math.nan, math.nan, market_change, 0.0, 0.0, 1.0, 1.0, False, False, "none", 0)
    raw = np.array([c[-1] - np.median(r) for r, c in logs])
    d = np.round(raw - shift, 6)
    stat, mean, p, min_p = stratified_rank_test([(np.round(r, 6), np.round(c - shift, 6)) for r, c in logs])
    change = math.expm1(float(np.median(d)))
    if change > 0:
        agree = int((d >= math.log1p(min_change)).sum())
    else:
        agree = int((d <= math.log1p(-min(min_change, 0.999))).sum())
    reachable = min_p < alpha
    significant = bool(n >= min_units and reachable and p < alpha and abs(change) >= min_change)
    direction = "none" if not significant else ("up" if change > 0 else "down")
    return PairedShift(n, change, math.expm1(float(np.median(raw))), market_change, stat, mean, p, min_p, reachable,
                       significant, direction, agree)  # fmt: skip


def minimum_detectable_change(
    listings: int,
    window: int = 1,
    reference: int = 21,
    alpha: float = 0.01,
    *,
    spread: float = 0.03,
    power: float = 0.8,
    reps: int = 200,
    seed: int = 15,
) -> float:
    """Smallest relative change of every one of ``listings`` listings (seen on ``reference`` days before and
    ``window`` days after, daily log prices scattered by ``spread``, normal) that the stratified rank test detects
    with probability ``power`` at ``alpha``; NaN when no change can (the smallest attainable p is not below alpha).
    By simulation (``reps`` draws, fixed ``seed``): deterministic."""
    if 2.0 / math.comb(reference + window, window) ** listings >= alpha:
        return math.nan
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, spread, (reps, listings, reference + window))

    def detected(delta: float) -> float:
        hits = 0
        for rep in noise:
            strata = [(row[:reference], row[reference:] + delta) for row in rep]
            hits += stratified_rank_test(strata)[2] < alpha
        return hits / reps

    lo, hi = 0.0, 1.0
    for _ in range(12):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if detected(mid) >= power else (mid, hi)
    return math.expm1(hi)
