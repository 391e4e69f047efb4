"""Bayes detector for sparse counts (R ``surveillance::algo.bayes``; Riebler 2004).

Counts in the reference set are taken as Poisson with a flat (Gamma(1/2, 0)) prior on the rate; the posterior
predictive of the next count is then negative binomial with size ``sum + 1/2`` and probability ``n / (n + 1)``, where
``sum`` and ``n`` are the total and the number of (non-missing) reference counts. The bound is its (1 - alpha)
quantile; an alarm is raised when the count exceeds it. An all-zero reference set still gives a proper bound (1 at
the defaults with 6 reference points), so a lone case on a quiet series does not alarm but two do.

Reference set for time t: the ``w`` points before t when ``act_y`` (the current year), and for each of the ``b``
previous years the window of +-w points around t - i*period. R's presets: bayes-1 (w 6, b 0, act_y), bayes-2 (w 6,
b 1, act_y), bayes-3 (w 4, b 2, no act_y).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.stats import nbinom

from .base import DetectorResult, ParameterError, as_2d, as_counts, build_result, check_range, select_times


class Bayes:
    """Posterior-predictive negative-binomial detector.

    Args:
        w: reference points before t in the current year, and half-width of past-year windows, >= 1 (default 6).
        b: previous years with a window of +-w around the same time, >= 0 (default 0).
        act_y: use the ``w`` points before t (default True).
        alpha: one-sided level of the bound, in (0, 0.5] (default 0.05, as R).
        period: time points per year (default 52).
        gap: recent points left out before the current-year reference points, >= 0 (default 0, as R; 1 or 2 keeps
            a rising outbreak out of its own baseline).
    """

    def __init__(
        self,
        name: str = "bayes",
        *,
        w: int = 6,
        b: int = 0,
        act_y: bool = True,
        alpha: float = 0.05,
        period: int = 52,
        gap: int = 0,
    ) -> None:
        for pname, value, low in (("w", w, 1), ("b", b, 0), ("period", period, 1), ("gap", gap, 0)):
            if int(value) != value or value < low:
                raise ParameterError(f"{pname}: expected a whole number >= {low}, found {value!r}")
        check_range("alpha", float(alpha), 0.0, 0.5, low_open=True)
        if not act_y and b == 0:
            raise ParameterError("act_y: with b = 0 the current-year points are the only reference data; keep act_y")
        self.name = name
        self.w, self.b, self.act_y = int(w), int(b), bool(act_y)
        self.alpha, self.period, self.gap = float(alpha), int(period), int(gap)

    @property
    def params(self) -> dict[str, Any]:
        return {
            "w": self.w,
            "b": self.b,
            "act_y": self.act_y,
            "alpha": self.alpha,
            "period": self.period,
            "gap": self.gap,
        }

    @property
    def min_history(self) -> int:
        return max(self.b * self.period + self.w, (self.w + self.gap) if self.act_y else 0)

    def __call__(
        self, counts: npt.ArrayLike, dates: npt.ArrayLike | None = None, *, times: npt.ArrayLike | None = None
    ) -> DetectorResult:
        """Bounds and alarms for every time point with enough history (or only ``times``); ``dates`` are not used."""
        y, was_1d = as_2d(as_counts(counts))
        n_series, n = y.shape
        idx = select_times(n, times)
        idx = idx[idx >= self.min_history]
        total = np.zeros((n_series, idx.size))
        count = np.zeros((n_series, idx.size))
        csum = np.concatenate([np.zeros((n_series, 1)), np.cumsum(np.nan_to_num(y), axis=1)], axis=1)
        cnum = np.concatenate([np.zeros((n_series, 1)), np.cumsum(~np.isnan(y), axis=1)], axis=1)

        def add(lo: npt.NDArray[np.intp], hi: npt.NDArray[np.intp]) -> None:  # points lo..hi-1
            nonlocal total, count
            hi_c = np.minimum(hi, n)
            total = total + csum[:, hi_c] - csum[:, lo]
            count = count + cnum[:, hi_c] - cnum[:, lo]

        if self.act_y:
            add(idx - self.gap - self.w, idx - self.gap)
        for i in range(1, self.b + 1):
            add(idx - i * self.period - self.w, idx - i * self.period + self.w + 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            size, prob = total + 0.5, count / (count + 1.0)
            ub_t = np.where(count > 0, nbinom.ppf(1.0 - self.alpha, size, prob), np.nan)
            y_now = y[:, idx]
            pval_t = np.where(count > 0, nbinom.sf(y_now - 1.0, size, prob), np.nan)
        ub = np.full((n_series, n), np.nan)
        pval = np.full((n_series, n), np.nan)
        ub[:, idx] = ub_t
        pval[:, idx] = pval_t
        computed = ~np.isnan(ub) & ~np.isnan(y)
        alarm = computed & (np.nan_to_num(y) > np.nan_to_num(ub, nan=np.inf))
        messages: tuple[str, ...] = ()
        if n <= self.min_history:
            messages = (
                f"{self.name}: series of {n} points is too short; needs more than {self.min_history}, no bound",
            )
        return build_result(self.name, self.params, y, ub, alarm, computed, {"pvalue": pval}, was_1d, messages)
