"""Farrington flexible (Farrington et al. 1996; Noufaily et al. 2013), as R ``surveillance::farringtonFlexible``.

For each monitored time point t (0-based index into the series):

1. **Reference data.** Time points are integers; the reference points are t - i*period for i = 1..b (R with
   ``epochAsDate = FALSE``). With ``no_periods = 1`` the data are the windows of +-w around them; with
   ``no_periods > 1`` every point from t - b*period - w onwards is used and labelled by a zero-order seasonal factor:
   the windows (and the current one) are level ``no_periods``, the stretch between two windows is cut into
   ``no_periods - 1`` blocks. The last ``past_weeks_not_included`` points and t itself are left out (R's
   ``pastWeeksNotIncluded``; its default is w). Missing counts are dropped.
2. **Model.** Quasi-Poisson GLM, log link, ``log mu = a + b*time [+ season]``; phi = max(Pearson X2/(n-p), 1).
3. **Reweighting.** Anscombe residuals of the first fit, ``s = 1.5*(y^(2/3) mu^(-1/6) - mu^(1/2)) /
   sqrt(phi (1-h))``; weight ``gamma*s^-2`` where s > weights_threshold, else gamma, so they sum to n; refit; phi again.
4. **Trend.** The trend is kept only if its t-test p-value < p_threshold_trend, b >= 3 and the predicted value does
   not exceed the largest reference count; otherwise the model is refitted without it.
5. **Threshold.** ``delta``: tau = phi + Var(mu0)/mu0, U = (mu0^(2/3) + z*sqrt(4/9 mu0^(1/3) tau))^(3/2) (2/3 power
   transform). ``nbPlugin``: U = negative-binomial (1-alpha) quantile with size mu0/(phi-1) and prob 1/phi (Poisson when
   phi = 1), mu0 = exp(eta0).
6. **Alarm** when y_t > U, y_t != 0 and the last ``limit54[1]`` counts (t included) sum to at least ``limit54[0]``;
   otherwise no alarm, and U is NaN when that sum is too small (as in R).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.stats import nbinom, norm, poisson

from .base import (
    DetectorResult,
    FloatArray,
    IntArray,
    ParameterError,
    as_2d,
    as_counts,
    build_result,
    check_range,
    select_times,
)
from .glm import GlmFit, fit_quasipoisson, fit_quasipoisson_statsmodels

#: Larger predicted means (a diverged fit) give no bound rather than a quantile of an absurd distribution.
MAX_MEAN = 1e9

#: Reference cells (windows x reference points) fitted in one batch.
MAX_CELLS = 1_000_000

ThresholdMethod = Literal["delta", "nbPlugin", "muan"]
PowerTransform = Literal["2/3", "1/2", "none"]


@dataclass(frozen=True)
class FarringtonConfig:
    """Parameters of Farrington flexible; defaults are R's ``farringtonFlexible`` defaults.

    Attributes:
        b: years (periods) to go back, >= 1 (default 5).
        w: half-width of the reference windows, >= 0 (default 3).
        alpha: one-sided level of the bound, in (0, 1) (default 0.05).
        no_periods: levels of the seasonal factor; 1 = windows only, as Farrington 1996 (default 1).
        past_weeks_not_included: recent points left out of the reference data; None means w (default None).
        weights_threshold: Anscombe-residual threshold above which a point is down-weighted (default 2.58).
        reweight: down-weight past outbreaks (default True).
        trend: try a linear time trend (default True).
        p_threshold_trend: keep the trend only if its p-value is below this (default 0.05; 1 = whenever allowed).
        threshold_method: ``"delta"`` (Farrington 1996), ``"nbPlugin"`` (Noufaily 2013) or ``"muan"`` (nbPlugin with
            mu0 replaced by its (1 - alpha) upper confidence limit exp(eta0 + z*se), as R) (default ``"delta"``).
        powertrans: power transform of the delta method, ``"2/3"``, ``"1/2"`` or ``"none"`` (default ``"2/3"``).
        limit54: (cases, points): no alarm unless the last ``points`` counts sum to ``cases`` or more (default (5, 4)).
        period: time points per year; 52 for weekly, 365 (or 364 to keep weekdays aligned) for daily (default 52).
    """

    b: int = 5
    w: int = 3
    alpha: float = 0.05
    no_periods: int = 1
    past_weeks_not_included: int | None = None
    weights_threshold: float = 2.58
    reweight: bool = True
    trend: bool = True
    p_threshold_trend: float = 0.05
    threshold_method: ThresholdMethod = "delta"
    powertrans: PowerTransform = "2/3"
    limit54: tuple[int, int] = (5, 4)
    period: int = 52

    @property
    def pwni(self) -> int:
        return self.w if self.past_weeks_not_included is None else self.past_weeks_not_included

    def validate(self) -> None:
        for name in ("b", "w", "no_periods", "period", "pwni"):
            value = getattr(self, name)
            if int(value) != value or value < (1 if name in ("b", "no_periods", "period") else 0):
                raise ParameterError(f"{name}: expected a whole number >= {1 if name != 'w' else 0}, found {value!r}")
        check_range("alpha", self.alpha, 0.0, 0.5, low_open=True)
        check_range("p_threshold_trend", self.p_threshold_trend, 0.0, 1.0)
        check_range("weights_threshold", self.weights_threshold, 0.0, low_open=True)
        if self.threshold_method not in ("delta", "nbPlugin", "muan"):
            raise ParameterError(
                f"threshold_method: expected 'delta', 'nbPlugin' or 'muan', found {self.threshold_method!r}"
            )
        if self.powertrans not in ("2/3", "1/2", "none"):
            raise ParameterError(f"powertrans: expected '2/3', '1/2' or 'none', found {self.powertrans!r}")
        cases, points = self.limit54
        if cases < 0 or points < 1:
            raise ParameterError(f"limit54: expected (cases >= 0, points >= 1), found {self.limit54!r}")
        if 2 * self.w + 1 > self.period:
            raise ParameterError(f"w: windows of 2*w+1 = {2 * self.w + 1} points do not fit in period {self.period}")
        if self.no_periods > 1 and self.period - 2 * self.w - 1 < self.no_periods - 1:
            raise ParameterError(
                f"no_periods: {self.no_periods} levels do not fit between windows of period {self.period}"
            )


#: Settings of the reference files (R surveillance 1.20.3), see docs/detectors.md.
PRESETS: dict[str, FarringtonConfig] = {
    "farrington-default": FarringtonConfig(),
    "farrington-original": FarringtonConfig(b=4, w=3, weights_threshold=1.0, past_weeks_not_included=3),
    "farrington-noufaily": FarringtonConfig(
        b=4,
        w=3,
        no_periods=10,
        weights_threshold=2.58,
        past_weeks_not_included=26,
        p_threshold_trend=1.0,
        threshold_method="nbPlugin",
    ),
}


def reference_labels(cfg: FarringtonConfig) -> tuple[IntArray, IntArray]:
    """Offsets r (<= 0, relative to t) of the reference points and their seasonal-factor level (1..no_periods)."""
    span = cfg.b * cfg.period + cfg.w
    labels = np.zeros(span + 1, dtype=np.intp)  # index = -r; 0 = not used
    p = cfg.no_periods
    labels[0 : cfg.w + 1] = p
    between = cfg.period - 2 * cfg.w - 1
    for i in range(1, cfg.b + 1):
        ref = i * cfg.period
        labels[ref - cfg.w : ref + cfg.w + 1] = p
        if p > 1:
            sizes = np.full(p - 1, between // (p - 1))
            sizes[: between % (p - 1)] += 1
            start = ref - cfg.w - 1  # first point after the window, going forward in time = smaller -r
            for j, size in enumerate(sizes, start=1):
                labels[start - size + 1 : start + 1] = j
                start -= size
    labels[0 : cfg.pwni + 1] = 0
    neg = np.nonzero(labels)[0][::-1]  # oldest first
    return -neg, labels[neg]


def design(cfg: FarringtonConfig, offsets: IntArray, levels: IntArray, trend: bool) -> tuple[FloatArray, FloatArray]:
    """Design matrix of the reference data and the row of the current point (level no_periods is the baseline)."""
    cols = [np.ones(offsets.size)]
    x0 = [1.0]
    if trend:
        cols.append(offsets / cfg.period)
        x0.append(0.0)
    for level in range(1, cfg.no_periods):
        cols.append((levels == level).astype(np.float64))
        x0.append(0.0)
    return np.column_stack(cols), np.asarray(x0)


Engine = Literal["numpy", "statsmodels"]


def _fit_reweighted(
    cfg: FarringtonConfig, x: FloatArray, y: FloatArray, valid: FloatArray, engine: Engine = "numpy"
) -> tuple[GlmFit, FloatArray]:
    fit_glm = fit_quasipoisson if engine == "numpy" else fit_quasipoisson_statsmodels
    fit = fit_glm(x, y, valid)
    if not cfg.reweight:
        return fit, np.maximum(fit.dispersion, 1.0)
    phi = np.maximum(fit.dispersion, 1.0)
    hat = fit.hat_values(x, valid)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        s = 1.5 * (y ** (2.0 / 3.0) * fit.mu ** (-1.0 / 6.0) - np.sqrt(fit.mu)) / np.sqrt(phi[:, None] * (1.0 - hat))
        big = s > cfg.weights_threshold
        raw = np.where(big, s**-2.0, 1.0) * valid
        gamma = valid.sum(axis=1) / raw.sum(axis=1)
    omega = gamma[:, None] * raw
    refit = fit_glm(x, y, omega)
    phi = np.maximum(refit.dispersion, 1.0)
    # R stores the reweighting weights in the glm's `weights` slot, which summary.glm and predict.glm read as working
    # weights: the dispersion behind the trend test and the prediction's standard error becomes
    # sum(omega * ((y - mu) / mu)^2) / df. phi itself is taken before that, from the proper Pearson statistic.
    with np.errstate(divide="ignore", invalid="ignore"):
        quirk = np.sum(omega * ((y - refit.mu) / refit.mu) ** 2, axis=1) / refit.df_resid
    refit = replace(refit, converged=fit.converged, dispersion=np.where(refit.df_resid > 0, quirk, np.nan))
    return refit, phi


class FarringtonFlexible:
    """Farrington flexible detector; see the module docstring and :class:`FarringtonConfig` for the parameters.

    Args:
        name: registry name reported in results (default ``"farrington"``).
        config: a :class:`FarringtonConfig`; keyword arguments override its fields.
        engine: ``"numpy"`` (batched IRLS, default) or ``"statsmodels"`` (one ``statsmodels.GLM`` per window, slow;
            same numbers, kept as a cross-check).
    """

    def __init__(
        self,
        name: str = "farrington",
        config: FarringtonConfig | None = None,
        *,
        engine: Engine = "numpy",
        **overrides: Any,
    ) -> None:
        if engine not in ("numpy", "statsmodels"):
            raise ParameterError(f"engine: expected 'numpy' or 'statsmodels', found {engine!r}")
        self.engine: Engine = engine
        cfg = config or FarringtonConfig()
        try:
            cfg = replace(cfg, **overrides)
        except TypeError as exc:
            raise ParameterError(f"{name}: unknown parameter ({exc})") from exc
        if isinstance(cfg.limit54, list):
            cfg = replace(cfg, limit54=tuple(cfg.limit54))
        cfg.validate()
        self.name = name
        self.config = cfg
        self.offsets, self.levels = reference_labels(cfg)

    @property
    def params(self) -> dict[str, Any]:
        return asdict(self.config)

    @property
    def min_history(self) -> int:
        """Points needed before the first monitored time point (b*period + w)."""
        return self.config.b * self.config.period + self.config.w

    def __call__(
        self, counts: npt.ArrayLike, dates: npt.ArrayLike | None = None, *, times: npt.ArrayLike | None = None
    ) -> DetectorResult:
        """Bounds and alarms at every time point with enough history (or only at ``times``, 0-based indices).

        ``dates`` are not used: the series must be regular (one count per week, or per day with ``period`` 365/364).
        """
        y, was_1d = as_2d(as_counts(counts))
        n_series, n = y.shape
        idx = select_times(n, times)
        idx = idx[idx >= self.min_history]
        shape = (n_series, n)
        out = {k: np.full(shape, np.nan) for k in ("upperbound", "expected", "phi", "trend", "pvalue", "trend_pvalue")}
        computed = np.zeros(shape, dtype=bool)
        alarm = np.zeros(shape, dtype=bool)
        for rows, cols in self._chunks(n_series, idx):
            part = self._evaluate(y[rows], cols)
            for key, val in part.items():
                target = alarm if key == "alarm" else computed if key == "computed" else out[key]
                target[rows, cols] = val
        messages: tuple[str, ...] = ()
        if n <= self.min_history:
            messages = (
                f"{self.name}: series of {n} points is too short; needs more than {self.min_history}, no bound",
            )
        ub = out.pop("upperbound")
        return build_result(self.name, self.params, y, ub, alarm, computed, out, was_1d, messages)

    def _chunks(self, n_series: int, idx: IntArray) -> list[tuple[slice, IntArray]]:
        """Blocks of (series, time points) small enough to keep the batched GLM in a few hundred MB."""
        if idx.size == 0:
            return []
        windows = max(1, MAX_CELLS // self.offsets.size)
        t_step = min(idx.size, windows)
        s_step = max(1, windows // t_step)
        return [
            (slice(s0, s0 + s_step), idx[t0 : t0 + t_step])
            for s0 in range(0, n_series, s_step)
            for t0 in range(0, idx.size, t_step)
        ]

    def fit(self, y: FloatArray, idx: IntArray) -> dict[str, FloatArray]:
        """Fit the model for series y (S x n) at time indices idx; returns arrays of shape (S, len(idx))."""
        cfg = self.config
        rows = idx[None, :, None] + self.offsets[None, None, :]  # (1, T, m)
        ref = y[:, rows[0]]  # (S, T, m)
        s, t, m = ref.shape
        ref = ref.reshape(s * t, m)
        valid = (~np.isnan(ref)).astype(np.float64)
        ref = np.nan_to_num(ref, nan=0.0)
        ymax = np.max(np.where(valid > 0, ref, -np.inf), axis=1)
        x_nt, x0_nt = design(cfg, self.offsets, self.levels, trend=False)
        fit_b, phi_b = _fit_reweighted(cfg, x_nt, ref, valid, self.engine)
        eta_b, se_b = fit_b.predict_link(x0_nt)
        eta, se, phi, ok = eta_b, se_b, phi_b, fit_b.converged & np.isfinite(fit_b.dispersion)
        do_trend = np.zeros(s * t, dtype=bool)
        trend_p = np.full(s * t, np.nan)
        if cfg.trend:
            x_t, x0_t = design(cfg, self.offsets, self.levels, trend=True)
            fit_a, phi_a = _fit_reweighted(cfg, x_t, ref, valid, self.engine)
            eta_a, se_a = fit_a.predict_link(x0_t)
            trend_p = fit_a.coef_pvalue(1)
            with np.errstate(over="ignore"):
                do_trend = fit_a.converged & (cfg.b >= 3) & (trend_p < cfg.p_threshold_trend) & (np.exp(eta_a) <= ymax)
            eta = np.where(do_trend, eta_a, eta)
            se = np.where(do_trend, se_a, se)
            phi = np.where(do_trend, phi_a, phi)
            ok = np.where(do_trend, True, ok)
        res = {"eta0": eta, "se_eta0": se, "phi": phi, "ok": ok.astype(np.float64), "trend": do_trend.astype(float)}
        res["trend_pvalue"] = trend_p
        return {k: v.reshape(s, t) for k, v in res.items()}

    def threshold(self, y_now: FloatArray, fitted: dict[str, FloatArray], alpha: float | None = None) -> dict[str, Any]:
        """Upper bound, score and p-value of the observed counts y_now (S x T) given :meth:`fit` output."""
        cfg = self.config
        alpha = cfg.alpha if alpha is None else alpha
        eta, se, phi = fitted["eta0"], fitted["se_eta0"], fitted["phi"]
        ok = fitted["ok"] > 0
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            mu0 = np.exp(eta)
            if cfg.threshold_method == "delta":
                tau = phi + mu0 * se**2  # phi + Var(mu0)/mu0 with Var(mu0) = (mu0 * se_eta)^2
                expo = {"2/3": 2.0 / 3.0, "1/2": 0.5, "none": 1.0}[cfg.powertrans]
                sd = {"2/3": np.sqrt(4.0 / 9.0 * mu0 ** (1.0 / 3.0) * tau), "1/2": np.sqrt(tau / 4.0)}.get(
                    cfg.powertrans, np.sqrt(mu0 * tau)
                )
                ub = (mu0**expo + norm.ppf(1.0 - alpha) * sd) ** (1.0 / expo)
                pval = norm.sf(y_now**expo, loc=mu0**expo, scale=sd)
                pred = mu0
            else:
                mu_q = mu0 if cfg.threshold_method == "nbPlugin" else np.exp(eta + norm.ppf(1.0 - alpha) * se)
                ub, pval = self._nb_plugin(mu_q, phi, y_now, alpha)
                pred = eta
            score = (y_now - pred) / (ub - pred)
        ok = ok & np.isfinite(ub)
        return {"ub": np.where(ok, ub, np.nan), "score": score, "pvalue": pval, "mu0": mu0, "ok": ok}

    @staticmethod
    def _nb_plugin(mu0: FloatArray, phi: FloatArray, y: FloatArray, alpha: float) -> tuple[FloatArray, FloatArray]:
        over = phi > 1.0
        size = np.where(over, mu0 / np.where(over, phi - 1.0, 1.0), 1.0)
        prob = 1.0 / phi
        finite = np.isfinite(mu0) & (mu0 <= MAX_MEAN)  # scipy's quantile search does not end for huge means
        mu_safe = np.where(finite, mu0, 1.0)
        size = np.where(finite, size, 1.0)
        ub = np.where(over, nbinom.ppf(1.0 - alpha, size, prob), poisson.ppf(1.0 - alpha, mu_safe))
        pval = np.where(over, nbinom.sf(y - 1.0, size, prob), poisson.sf(y - 1.0, mu_safe))
        return np.where(finite, ub, np.nan), np.where(finite, pval, np.nan)

    def alarms_at_levels(
        self, counts: npt.ArrayLike, alphas: list[float], *, times: npt.ArrayLike | None = None
    ) -> tuple[IntArray, dict[float, dict[str, Any]]]:
        """Fit once, then bounds and alarms at several levels (for benchmarks and threshold tuning).

        Returns the evaluated time indices and, per alpha, ``{"upperbound", "alarm", "computed"}`` arrays of shape
        (series, len(times)).
        """
        y, _ = as_2d(as_counts(counts))
        idx = select_times(y.shape[1], times)
        idx = idx[idx >= self.min_history]
        out: dict[float, dict[str, Any]] = {}
        for a in alphas:
            check_range("alpha", a, 0.0, 0.5, low_open=True)
            out[a] = {k: np.zeros((y.shape[0], idx.size), dtype=bool) for k in ("alarm", "computed")}
            out[a]["upperbound"] = np.full((y.shape[0], idx.size), np.nan)
        pos = {int(t): i for i, t in enumerate(idx)}
        for rows, cols in self._chunks(y.shape[0], idx):
            fitted = self.fit(y[rows], cols)
            where = np.array([pos[int(t)] for t in cols])
            for a in alphas:
                part = self._evaluate(y[rows], cols, alpha=a, fitted=fitted)
                for key in ("upperbound", "alarm", "computed"):
                    out[a][key][rows, where] = part[key]
        return idx, out

    def _evaluate(
        self, y: FloatArray, idx: IntArray, *, alpha: float | None = None, fitted: dict[str, FloatArray] | None = None
    ) -> dict[str, Any]:
        cfg = self.config
        fitted = self.fit(y, idx) if fitted is None else fitted
        y_now = y[:, idx]
        thr = self.threshold(np.nan_to_num(y_now, nan=0.0), fitted, alpha)
        cases, points = cfg.limit54
        csum = np.concatenate([np.zeros((y.shape[0], 1)), np.cumsum(y, axis=1)], axis=1)
        lo = np.maximum(idx + 1 - points, 0)
        recent = csum[:, idx + 1] - csum[:, lo]
        enough = recent >= cases  # NaN (missing count) -> not enough, as R
        ok = fitted["ok"] > 0
        computed = ok & ~np.isnan(y_now)
        alarm = computed & enough & thr["ok"] & (thr["score"] > 1.0) & (y_now != 0)
        expected = np.where(ok & enough & thr["ok"], thr["mu0"], np.nan)
        return {
            "upperbound": np.where(enough & thr["ok"], thr["ub"], np.nan),
            "expected": expected,
            "phi": np.where(ok, fitted["phi"], np.nan),
            "trend": np.where(ok, fitted["trend"], np.nan),
            "trend_pvalue": fitted["trend_pvalue"],
            "pvalue": np.where(computed, thr["pvalue"], np.nan),
            "alarm": alarm,
            "computed": computed,
        }
