"""Price shift: a robust change in a value series (e.g. EUR per gram) between a reference and a current window.

Prices of the same substance spread over an order of magnitude and have heavy tails (bulk offers, scams), so the
comparison is made on log prices with rank statistics:

- shift: the Hodges-Lehmann estimate (median of all pairwise differences current - reference) of the log price,
  reported as a relative change ``exp(shift) - 1`` with its (1 - alpha) confidence interval from the Mann-Whitney
  distribution (normal approximation of the rank of the order statistic);
- test: two-sided Mann-Whitney U (scipy, ``method="auto"``: exact for small samples without ties);
- significant when p < alpha, both windows have at least ``min_n`` values and ``|relative change| >= min_change``.

:func:`price_shift_at` cuts the two windows out of a dated series: the current window is the ``window`` days up to
``as_of``; the reference window is the ``reference`` days before it, ``gap`` days earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt
from scipy.stats import mannwhitneyu, norm

from .base import ParameterError, SeriesError, check_range


@dataclass(frozen=True)
class PriceShift:
    """Outcome of a price comparison (NaN where a window is empty)."""

    n_reference: int
    n_current: int
    median_reference: float
    median_current: float
    relative_change: float  #: exp(Hodges-Lehmann shift of log values) - 1
    ci_low: float  #: lower end of the (1 - alpha) interval of relative_change
    ci_high: float
    u_statistic: float
    p_value: float
    significant: bool
    direction: str  #: "down", "up" or "none"


def _as_values(values: npt.ArrayLike, name: str) -> npt.NDArray[np.float64]:
    try:
        arr = np.asarray(values, dtype=np.float64).ravel()
    except (TypeError, ValueError) as exc:
        raise SeriesError(f"{name}: expected numbers, found {exc}") from exc
    arr = arr[~np.isnan(arr)]
    if (arr <= 0).any() or np.isinf(arr).any():
        raise SeriesError(f"{name}: expected finite prices > 0, found {arr[(arr <= 0) | np.isinf(arr)][0]:g}")
    return arr


def price_shift(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    alpha: float = 0.01,
    min_n: int = 5,
    min_change: float = 0.1,
) -> PriceShift:
    """Compare two samples of prices; NaN values are ignored.

    Args:
        reference: prices of the reference (earlier) window, > 0.
        current: prices of the current window, > 0.
        alpha: level of the test and of the confidence interval, in (0, 0.5] (default 0.01).
        min_n: values needed in each window for a verdict, >= 2 (default 5).
        min_change: smallest |relative change| worth a signal, >= 0 (default 0.1, i.e. 10 %).
    """
    check_range("alpha", alpha, 0.0, 0.5, low_open=True)
    check_range("min_change", min_change, 0.0)
    if min_n < 2:
        raise ParameterError(f"min_n: expected a whole number >= 2, found {min_n!r}")
    ref = _as_values(reference, "reference")
    cur = _as_values(current, "current")
    m, n = ref.size, cur.size
    med_r = float(np.median(ref)) if m else math.nan
    med_c = float(np.median(cur)) if n else math.nan
    if m < 1 or n < 1:
        return PriceShift(m, n, med_r, med_c, math.nan, math.nan, math.nan, math.nan, math.nan, False, "none")
    diffs = np.sort((np.log(cur)[:, None] - np.log(ref)[None, :]).ravel())
    shift = float(np.median(diffs))
    lo, hi = _hl_interval(diffs, m, n, alpha)
    u, p = math.nan, math.nan
    if m >= 2 and n >= 2:
        with np.errstate(divide="ignore", invalid="ignore"):  # all values tied: zero variance, p is NaN
            res = mannwhitneyu(cur, ref, alternative="two-sided", method="auto")
        u, p = float(res.statistic), float(res.pvalue)
    rel = math.expm1(shift)
    significant = bool(m >= min_n and n >= min_n and p < alpha and abs(rel) >= min_change)
    direction = "none" if not significant else ("down" if rel < 0 else "up")
    return PriceShift(m, n, med_r, med_c, rel, math.expm1(lo), math.expm1(hi), u, p, significant, direction)


def _hl_interval(diffs: npt.NDArray[np.float64], m: int, n: int, alpha: float) -> tuple[float, float]:
    """Distribution-free interval for the shift: order statistics k and mn-k+1 of the pairwise differences."""
    mn = m * n
    k = math.floor(mn / 2.0 - norm.ppf(1.0 - alpha / 2.0) * math.sqrt(mn * (m + n + 1) / 12.0))
    if k < 1:
        return -math.inf, math.inf
    return float(diffs[k - 1]), float(diffs[mn - k])


def price_shift_at(
    times: npt.ArrayLike | list[date] | list[datetime],
    values: npt.ArrayLike,
    as_of: date | datetime,
    *,
    window: int = 14,
    reference: int = 56,
    gap: int = 0,
    alpha: float = 0.01,
    min_n: int = 5,
    min_change: float = 0.1,
) -> PriceShift:
    """:func:`price_shift` of the window of ``window`` days ending at ``as_of`` (included) against the ``reference``
    days before it (after leaving out ``gap`` days). Defaults: window 14, reference 56, gap 0; the test parameters as
    :func:`price_shift`."""
    for pname, value, low in (("window", window, 1), ("reference", reference, 1), ("gap", gap, 0)):
        if int(value) != value or value < low:
            raise ParameterError(f"{pname}: expected a whole number >= {low}, found {value!r}")
    t = np.asarray(times, dtype="datetime64[us]")
    v = np.asarray(values, dtype=np.float64)
    if t.shape != v.shape:
        raise SeriesError(f"times and values: expected the same length, found {t.size} and {v.size}")
    end = np.datetime64(as_of, "us")
    if isinstance(as_of, date) and not isinstance(as_of, datetime):
        end = end + np.timedelta64(1, "D") - np.timedelta64(1, "us")
    day = np.timedelta64(timedelta(days=1))
    cur_start = end - window * day
    ref_end = cur_start - gap * day
    ref_start = ref_end - reference * day
    cur = v[(t > cur_start) & (t <= end)]
    ref = v[(t > ref_start) & (t <= ref_end)]
    return price_shift(ref, cur, alpha=alpha, min_n=min_n, min_change=min_change)
