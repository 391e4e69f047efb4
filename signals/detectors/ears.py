"""EARS C1, C2 and C3 (CDC Early Aberration Reporting System), as in R ``surveillance::earsC``.

For time point t with baseline length B (default 7):

- C1: reference values y[t-B..t-1]; U = mean + z * max(sd, min_sigma), sd with the n-1 denominator.
- C2: the same with a 2-point gap, reference values y[t-B-2..t-3].
- C3: with C2(s) = (y_s - mean2(s)) / max(sd2(s), min_sigma) for s = t-2, t-1, t,
  U = max(0, y_t + max(sd2(t), min_sigma) * (z - [max(0, C2(t-2) - 1) + max(0, C2(t-1) - 1)])).

z is the standard normal (1 - alpha) quantile; an alarm is raised when y_t > U (strictly). With ``min_sigma = 0`` an
all-equal baseline gives a zero spread (C1/C2: U = mean, so a single extra case alarms; C3: U undefined, NaN, as in R).
``min_sigma`` of 0.5 to 1 is the usual fix for sparse series.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from scipy.stats import norm

from .base import (
    DetectorResult,
    FloatArray,
    ParameterError,
    as_2d,
    as_counts,
    build_result,
    check_range,
    select_times,
)

EarsMethod = Literal["C1", "C2", "C3"]

#: R's default alpha per method: 0.001 for C1 and C2 (z = 3.09), 0.025 for C3 (z = 1.96).
DEFAULT_ALPHA: dict[str, float] = {"C1": 0.001, "C2": 0.001, "C3": 0.025}


def _window_stats(y: FloatArray, baseline: int, gap: int) -> tuple[FloatArray, FloatArray]:
    """Mean and sd (ddof 1) of y[t-baseline-gap .. t-1-gap] for every t; NaN where the window is incomplete."""
    n_series, n = y.shape
    mean = np.full((n_series, n), np.nan)
    sd = np.full((n_series, n), np.nan)
    first = baseline + gap
    if n > first:
        win = sliding_window_view(y, baseline, axis=1)[:, : n - first, :]
        mean[:, first:] = win.mean(axis=2)
        sd[:, first:] = win.std(axis=2, ddof=1)
    return mean, sd


class EarsC:
    """EARS C1/C2/C3 aberration detector.

    Args:
        method: ``"C1"``, ``"C2"`` or ``"C3"`` (default ``"C1"``).
        baseline: number of reference points, at least 3 (default 7, as R).
        min_sigma: floor on the baseline standard deviation, >= 0 (default 0, as R; use 0.5 to 1 for sparse series).
        alpha: one-sided level of the bound, in (0, 1) (default None: 0.001 for C1/C2, 0.025 for C3, as R).
    """

    def __init__(
        self,
        method: EarsMethod = "C1",
        *,
        baseline: int = 7,
        min_sigma: float = 0.0,
        alpha: float | None = None,
    ) -> None:
        if method not in DEFAULT_ALPHA:
            raise ParameterError(f"method: expected one of C1, C2, C3, found {method!r}")
        if int(baseline) != baseline or baseline < 3:
            raise ParameterError(f"baseline: expected a whole number >= 3, found {baseline!r}")
        check_range("min_sigma", float(min_sigma), 0.0)
        alpha = DEFAULT_ALPHA[method] if alpha is None else float(alpha)
        check_range("alpha", alpha, 0.0, 1.0, low_open=True)
        if alpha >= 1.0:
            raise ParameterError(f"alpha: expected a number < 1, found {alpha!r}")
        self.method: EarsMethod = method
        self.baseline = int(baseline)
        self.min_sigma = float(min_sigma)
        self.alpha = alpha
        self.name = f"ears-{method.lower()}"

    @property
    def params(self) -> dict[str, Any]:
        return {"baseline": self.baseline, "min_sigma": self.min_sigma, "alpha": self.alpha}

    @property
    def min_history(self) -> int:
        """Number of points before the first time point that gets a bound."""
        return {"C1": self.baseline, "C2": self.baseline + 2, "C3": self.baseline + 4}[self.method]

    def __call__(
        self,
        counts: npt.ArrayLike,
        dates: npt.ArrayLike | None = None,
        *,
        times: npt.ArrayLike | None = None,
    ) -> DetectorResult:
        """Bounds and alarms for every time point (or only ``times``, 0-based indices); ``dates`` are not used."""
        obs1 = as_counts(counts)
        y, was_1d = as_2d(obs1)
        z = float(norm.ppf(1.0 - self.alpha))
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.method == "C1":
                mean, sd = _window_stats(y, self.baseline, 0)
                ub = mean + z * np.maximum(sd, self.min_sigma)
                stat = (y - mean) / np.maximum(sd, self.min_sigma)
            else:
                mean, sd = _window_stats(y, self.baseline, 2)
                sigma = np.maximum(sd, self.min_sigma)
                c2 = (y - mean) / sigma
                if self.method == "C2":
                    ub = mean + z * sigma
                    stat = c2
                else:
                    ub, stat = self._c3(y, c2, sigma, z)
        ub = self._restrict(ub, times)
        computed = ~np.isnan(ub) & ~np.isnan(y)
        alarm = computed & (np.where(computed, y, 0.0) > np.where(computed, ub, np.inf))
        stat = np.where(computed, stat, np.nan)
        messages = self._messages(y.shape[1])
        return build_result(
            self.name, self.params, y, ub, alarm, computed, {"mean": mean, "sd": sd, "score": stat}, was_1d, messages
        )

    def _c3(self, y: FloatArray, c2: FloatArray, sigma: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
        lag = np.full_like(c2, np.nan)
        lag[:, 2:] = np.maximum(0.0, c2[:, :-2] - 1.0) + np.maximum(0.0, c2[:, 1:-1] - 1.0)
        ub = np.maximum(0.0, y + sigma * (z - lag))
        return ub, c2 + lag

    def _restrict(self, ub: FloatArray, times: npt.ArrayLike | None) -> FloatArray:
        if times is None:
            return ub
        keep = np.zeros(ub.shape[1], dtype=bool)
        keep[select_times(ub.shape[1], times)] = True
        return np.where(keep[None, :], ub, np.nan)

    def _messages(self, n: int) -> tuple[str, ...]:
        if n <= self.min_history:
            return (f"{self.name}: series of {n} points is too short; needs more than {self.min_history}, no bound",)
        return ()
