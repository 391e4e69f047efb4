"""Adverse-effect surge: the share of a substance's mentions that report harm rises above its recent level.

A plain spike detector on adverse-effect counts would fire whenever a substance simply gets more talk (a new vendor,
a forum thread). The surge detector therefore conditions on the total: for time point t, with

- current window: the ``window`` points up to and including t: adverse count a1 out of n1 mentions;
- reference window: the ``baseline`` points before that, after a ``gap``: a0 out of n0;

it runs the one-sided conditional (Fisher exact) test of "the adverse share is higher now". Given the margins, a1 is
hypergeometric (population n0 + n1, a0 + a1 successes, n1 draws); the upper bound is the (1 - alpha) quantile of that
distribution, the p-value ``P(X >= a1)``, and an alarm is raised when a1 exceeds the bound (equivalently p <= alpha),
a1 >= ``min_adverse`` and the share a1/n1 is at least ``min_ratio`` times the reference share (with a0 + 0.5 in place
of a0, so an empty baseline does not make every case infinitely surprising).

Counts are per time point (day or week); missing points (NaN) count as no mentions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import binom, hypergeom, norm

from .base import DetectorResult, FloatArray, ParameterError, SeriesError, as_2d, as_counts, build_result, check_range


def _window_sum(x: FloatArray, lo: npt.NDArray[np.intp], hi: npt.NDArray[np.intp]) -> FloatArray:
    csum = np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(x, axis=1)], axis=1)
    out: FloatArray = csum[:, hi] - csum[:, lo]
    return out


def hypergeom_isf(q: float, total: npt.ArrayLike, succ: npt.ArrayLike, draws: npt.ArrayLike) -> FloatArray:
    """Smallest k with P(X > k) <= q for X ~ hypergeometric, as ``scipy.stats.hypergeom.isf`` but ~100x faster.

    Starts from the normal approximation and steps up or down with the (fast) survival function until it settles.
    """
    m, n, d = (np.asarray(v, dtype=np.int64) for v in np.broadcast_arrays(total, succ, draws))
    lo, hi = np.maximum(0, d - (m - n)), np.minimum(n, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = d * n / np.maximum(m, 1)
        var = mean * (m - n) / np.maximum(m, 1) * (m - d) / np.maximum(m - 1, 1)
    k = np.clip(np.round(mean + norm.isf(q) * np.sqrt(np.maximum(var, 0.0))), lo, hi).astype(np.int64)
    active = np.ones(k.shape, dtype=bool)
    for _ in range(1000):
        if not active.any():
            break
        ka, ma, na, da = k[active], m[active], n[active], d[active]
        up = (hypergeom.sf(ka, ma, na, da) > q) & (ka < hi[active])
        down = ~up & (ka > lo[active]) & (hypergeom.sf(ka - 1, ma, na, da) <= q)
        k[active] = ka + up - down
        moved = np.zeros(k.shape, dtype=bool)
        moved[active] = up | down
        active = moved
    out: FloatArray = k.astype(np.float64)
    return out


class AdverseSurge:
    """Conditional test of a rising adverse-effect share.

    Args:
        window: points in the current window, t included, >= 1 (default 7).
        baseline: points in the reference window, >= 1 (default 28).
        gap: points between the two windows, >= 0 (default 0).
        alpha: one-sided level, in (0, 0.5] (default 0.01).
        min_adverse: adverse mentions needed in the current window for an alarm, >= 1 (default 3).
        min_ratio: current share / reference share needed for an alarm, >= 1 (default 2).
    """

    def __init__(
        self,
        name: str = "adverse-surge",
        *,
        window: int = 7,
        baseline: int = 28,
        gap: int = 0,
        alpha: float = 0.01,
        min_adverse: int = 3,
        min_ratio: float = 2.0,
    ) -> None:
        for pname, value, low in (
            ("window", window, 1),
            ("baseline", baseline, 1),
            ("gap", gap, 0),
            ("min_adverse", min_adverse, 1),
        ):
            if int(value) != value or value < low:
                raise ParameterError(f"{pname}: expected a whole number >= {low}, found {value!r}")
        check_range("alpha", float(alpha), 0.0, 0.5, low_open=True)
        check_range("min_ratio", float(min_ratio), 1.0)
        self.name = name
        self.window, self.baseline, self.gap = int(window), int(baseline), int(gap)
        self.alpha, self.min_adverse, self.min_ratio = float(alpha), int(min_adverse), float(min_ratio)

    @property
    def params(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "baseline": self.baseline,
            "gap": self.gap,
            "alpha": self.alpha,
            "min_adverse": self.min_adverse,
            "min_ratio": self.min_ratio,
        }

    @property
    def min_history(self) -> int:
        return self.window - 1 + self.gap + self.baseline

    def _windows(self, adverse: npt.ArrayLike, mentions: npt.ArrayLike
                 ) -> tuple[FloatArray, bool, npt.NDArray[np.intp], tuple[FloatArray, ...]]:  # fmt: skip
        """The adverse counts as given (2-D), whether they were 1-D, the time points tested, and the window sums
        (a1, n1, a0, n0): adverse and mentions in the current and in the reference window."""
        a_raw, was_1d = as_2d(as_counts(adverse, name="adverse"))
        n_raw, _ = as_2d(as_counts(mentions, name="mentions"))
        if a_raw.shape != n_raw.shape:
            raise SeriesError(f"adverse and mentions: expected the same shape, found {a_raw.shape} and {n_raw.shape}")
        a, n = np.nan_to_num(a_raw), np.nan_to_num(n_raw)
        if (a > n).any():
            raise SeriesError(f"adverse: expected adverse <= mentions, found {int(a[a > n][0])} > {int(n[a > n][0])}")
        idx = np.arange(self.min_history, a.shape[1])
        cur_lo, cur_hi = idx - self.window + 1, idx + 1
        ref_hi = cur_lo - self.gap
        ref_lo = ref_hi - self.baseline
        sums = tuple(_window_sum(x, lo, hi) for x, lo, hi in ((a, cur_lo, cur_hi), (n, cur_lo, cur_hi),
                                                              (a, ref_lo, ref_hi), (n, ref_lo, ref_hi)))  # fmt: skip
        return a_raw, was_1d, idx, sums

    def __call__(
        self, adverse: npt.ArrayLike, mentions: npt.ArrayLike, dates: npt.ArrayLike | None = None
    ) -> DetectorResult:
        """``adverse`` and ``mentions``: counts per time point (1-D or series x time), adverse <= mentions."""
        a_raw, was_1d, idx, (a1, n1, a0, n0) = self._windows(adverse, mentions)
        a = np.nan_to_num(a_raw)
        length = a.shape[1]
        ok = (n1 > 0) & (n0 > 0)
        total, succ = (n0 + n1).astype(np.int64), (a0 + a1).astype(np.int64)
        draws = n1.astype(np.int64)
        ub_t = np.where(ok, hypergeom_isf(self.alpha, total, succ, draws), np.nan)
        p_t = np.where(ok, hypergeom.sf(a1 - 1, total, succ, draws), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio_t = np.where(ok, (a1 / n1) / ((a0 + 0.5) / n0), np.nan)
        shape = a.shape
        stats = {k: np.full(shape, np.nan) for k in ("pvalue", "ratio", "adverse_window", "mentions_window")}
        ub = np.full(shape, np.nan)
        obs = np.full(shape, np.nan)
        ub[:, idx], obs[:, idx] = ub_t, a1
        stats["pvalue"][:, idx], stats["ratio"][:, idx] = p_t, ratio_t
        stats["adverse_window"][:, idx], stats["mentions_window"][:, idx] = a1, n1
        computed = ~np.isnan(ub) & ~np.isnan(a_raw)
        alarm = computed & (np.nan_to_num(obs) > np.nan_to_num(ub, nan=np.inf))
        alarm &= (np.nan_to_num(obs) >= self.min_adverse) & (np.nan_to_num(stats["ratio"]) >= self.min_ratio)
        messages: tuple[str, ...] = ()
        if length <= self.min_history:
            messages = (f"{self.name}: series of {length} points is too short; needs more than {self.min_history}",)
        return build_result(self.name, self.params, obs, ub, alarm, computed, stats, was_1d, messages)


class AdverseDoubling(AdverseSurge):
    """Doubling of adverse-effect posts, severe or not, that more talk alone does not explain.

    For time point t: a1 adverse posts in the current ``window``, a0 in the ``baseline`` before it.  Under "the
    daily rate has not changed", given a0 + a1 the current count is binomial with probability
    ``window / (window + baseline)`` (the exact conditional test of two Poisson rates); the upper bound is its
    (1 - alpha) quantile and the p-value ``P(X >= a1)``.  An alarm needs p <= alpha, a1 >= ``min_adverse``, the rate
    ratio ``(a1 / window) / ((a0 + 0.5) / baseline) >= min_ratio`` (2: a doubling), and the adverse *share* of the
    substance's mentions up by ``min_share_ratio`` (``(a1/n1) / ((a0 + 0.5)/n0)``): carnival's three times the
    chatter with the usual share of side effects is more talk, not more harm.  The usual share of a substance with
    little history is uncertain (no adverse post among 3 mentions is no evidence of a share of 0), so the reference
    share borrows ``share_prior`` mentions at the share of every series together (all substances of the forum,
    the rows of the call) over the same reference window: ``(a0 + k * pooled) / (n0 + k)``; a substance with a long
    history keeps its own.  Windows of whole weeks keep the weekly rhythm (busier weekends) out of the ratio.

    With ``forum_control`` (default on) the substance's adverse share must also stand out from the other series'
    share *in the same window*: the one-sided Fisher exact test of the 2 x 2 table (this series' a1 of n1 against
    every row's adverse posts and mentions of the window together: hypergeometric, population the window's
    mentions of all rows, successes their adverse posts, n1 draws) at ``alpha``.  A week in which a forum's posts
    tell of side effects more often for every substance (trip-report season, a busy weekend) is no surge of one of
    them, however quiet that one was before; with no other row mentioned in the window the control is skipped.  A
    post naming several substances is in several rows, so the table is approximate.
    Statistics: ``pvalue``, ``ratio`` (rates), ``share_ratio``, ``forum_share`` (every row's adverse share in the
    window), ``forum_pvalue``, ``adverse_window``, ``mentions_window``.
    """

    def __init__(self, name: str = "adverse-doubling", *, min_share_ratio: float = 1.5, share_prior: float = 10.0,
                 forum_control: bool = True, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(name, **kwargs)
        check_range("min_share_ratio", float(min_share_ratio), 1.0)
        check_range("share_prior", float(share_prior), 0.0)
        self.min_share_ratio = float(min_share_ratio)
        self.share_prior = float(share_prior)
        self.forum_control = bool(forum_control)

    @property
    def params(self) -> dict[str, Any]:
        return {**super().params, "min_share_ratio": self.min_share_ratio, "share_prior": self.share_prior,
                "forum_control": self.forum_control}  # fmt: skip

    def _forum_test(self, a1: FloatArray, n1: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Per row and time point: every row's adverse share in the current window, and the one-sided Fisher
        exact p-value of this row's a1 of n1 against it (NaN where no other row has a mention: no comparison)."""
        total, succ = n1.sum(axis=0), a1.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.broadcast_to(np.where(total > 0, succ / total, np.nan), a1.shape)
        others = (total - n1) > 0
        p = hypergeom.sf(a1 - 1, np.broadcast_to(total, a1.shape).astype(np.int64),
                         np.broadcast_to(succ, a1.shape).astype(np.int64), n1.astype(np.int64))  # fmt: skip
        return np.asarray(share, dtype=np.float64), np.where(others, p, np.nan)

    def __call__(
        self, adverse: npt.ArrayLike, mentions: npt.ArrayLike, dates: npt.ArrayLike | None = None
    ) -> DetectorResult:
        a_raw, was_1d, idx, (a1, n1, a0, n0) = self._windows(adverse, mentions)
        a = np.nan_to_num(a_raw)
        total = (a0 + a1).astype(np.int64)
        prob = self.window / (self.window + self.baseline)
        ok = total > 0
        ub_t = np.where(ok, binom.isf(self.alpha, total, prob), np.nan)
        p_t = np.where(ok, binom.sf(a1 - 1, total, prob), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate_t = (a1 / self.window) / ((a0 + 0.5) / self.baseline)
            pooled = a0.sum(axis=0) / n0.sum(axis=0)  # every series' share in the reference window
            k = self.share_prior if self.share_prior > 0 else 0.0
            ref_share = np.where(np.isfinite(pooled) & (k > 0), (a0 + k * np.nan_to_num(pooled)) / (n0 + k),
                                 (a0 + 0.5) / n0)  # fmt: skip
            share_t = np.where((n1 > 0) & (ref_share > 0), (a1 / n1) / ref_share, np.inf)
        forum_share, forum_p = self._forum_test(a1, n1)
        shape = a.shape
        stats = {k: np.full(shape, np.nan) for k in ("pvalue", "ratio", "share_ratio", "forum_share", "forum_pvalue",
                                                      "adverse_window", "mentions_window")}  # fmt: skip
        ub, obs = np.full(shape, np.nan), np.full(shape, np.nan)
        ub[:, idx], obs[:, idx] = ub_t, a1
        for key, value in (("pvalue", p_t), ("ratio", rate_t), ("share_ratio", share_t), ("adverse_window", a1),
                           ("forum_share", forum_share), ("forum_pvalue", forum_p),
                           ("mentions_window", n1)):  # fmt: skip
            stats[key][:, idx] = value
        computed = ~np.isnan(ub) & ~np.isnan(a_raw)
        alarm = computed & (np.nan_to_num(obs) > np.nan_to_num(ub, nan=np.inf))
        alarm &= np.nan_to_num(obs) >= self.min_adverse
        alarm &= np.nan_to_num(stats["ratio"]) >= self.min_ratio
        alarm &= np.nan_to_num(stats["share_ratio"], posinf=np.inf) >= self.min_share_ratio
        if self.forum_control:
            alarm &= np.nan_to_num(stats["forum_pvalue"], nan=0.0) <= self.alpha
        messages: tuple[str, ...] = ()
        if a.shape[1] <= self.min_history:
            messages = (f"{self.name}: series of {a.shape[1]} points is too short; needs more than {self.min_history}",)
        return build_result(self.name, self.params, obs, ub, alarm, computed, stats, was_1d, messages)
