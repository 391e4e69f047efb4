"""Batched quasi-Poisson GLM (log link) by iteratively reweighted least squares.

Many small fits share one design matrix ``X`` (n x p) and differ in their responses and prior weights (K x n): the
Farrington detectors fit one model per monitored time point, and the windows all have the same shape. Fitting them
together with numpy is ~100x faster than one ``statsmodels.GLM`` per window; ``tests/signals`` checks that both give the
same estimates. The iteration follows R's ``glm.fit``: start at ``mu = y + 0.1``, ``mu`` floored at machine epsilon,
convergence when ``|dev - dev_old| / (|dev| + 0.1) < 1e-8``, at most 25 iterations.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t

from .base import BoolArray, FloatArray

EPS = float(np.finfo(np.float64).eps)
LOG_EPS = float(np.log(EPS))


@dataclass(frozen=True)
class GlmFit:
    """Fitted quantities of K quasi-Poisson GLMs sharing the design X (n x p).

    Attributes:
        beta: coefficients (K x p).
        mu: fitted means (K x n).
        cov_unscaled: (X'WX)^-1 at the last iteration (K x p x p), W = prior weights * mu.
        dispersion: Pearson X2 / (n_used - p), n_used = rows with a positive prior weight (NaN if n_used <= p).
        df_resid: n_used - p.
        converged: the deviance criterion was met within the iteration limit.
    """

    beta: FloatArray
    mu: FloatArray
    cov_unscaled: FloatArray
    dispersion: FloatArray
    df_resid: FloatArray
    converged: BoolArray

    def hat_values(self, x: FloatArray, prior: FloatArray) -> FloatArray:
        """Diagonal of the weighted hat matrix, ``w_i x_i' (X'WX)^-1 x_i`` (K x n)."""
        k, p, _ = self.cov_unscaled.shape
        quad = self.cov_unscaled.reshape(k, p * p) @ outer_rows(x).T
        out: FloatArray = prior * self.mu * quad
        return out

    def predict_link(self, x0: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Linear predictor at x0 (p,) and its standard error using the estimated dispersion."""
        eta = self.beta @ x0
        var = np.einsum("p,kpq,q->k", x0, self.cov_unscaled, x0) * self.dispersion
        return eta, np.sqrt(np.maximum(var, 0.0))

    def coef_pvalue(self, j: int) -> FloatArray:
        """Two-sided t-test p-value of coefficient j (R ``summary.glm`` for quasi families)."""
        se = np.sqrt(self.dispersion * self.cov_unscaled[:, j, j])
        with np.errstate(divide="ignore", invalid="ignore"):
            tval = self.beta[:, j] / se
            p: FloatArray = 2.0 * student_t.sf(np.abs(tval), np.maximum(self.df_resid, 1.0))
        return np.where(self.df_resid > 0, p, np.nan)


def outer_rows(x: FloatArray) -> FloatArray:
    """Row-wise outer products of x (n x p) flattened to n x p*p, so that sums over rows become matrix products."""
    n, p = x.shape
    return np.asarray((x[:, :, None] * x[:, None, :]).reshape(n, p * p), dtype=np.float64)


def _solve(a: FloatArray, b: FloatArray) -> FloatArray:
    try:
        return np.asarray(np.linalg.solve(a, b[..., None])[..., 0], dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.stack([np.linalg.lstsq(ai, bi, rcond=None)[0] for ai, bi in zip(a, b, strict=True)])


def _inv(a: FloatArray) -> FloatArray:
    try:
        return np.asarray(np.linalg.inv(a), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.stack([np.linalg.pinv(ai) for ai in a])


def _deviance(ylogy: FloatArray, y: FloatArray, eta: FloatArray, mu: FloatArray, prior: FloatArray) -> FloatArray:
    """Poisson deviance, sum of 2 w (y log(y/mu) - (y - mu)), with log(mu) = max(eta, log eps)."""
    out: FloatArray = 2.0 * np.einsum("kn,kn->k", prior, ylogy - y * np.maximum(eta, LOG_EPS) - y + mu)
    return out


def fit_quasipoisson(
    x: FloatArray, y: FloatArray, prior: FloatArray, *, maxit: int = 25, epsilon: float = 1e-8
) -> GlmFit:
    """Fit K quasi-Poisson log-link GLMs: ``x`` (n x p) shared, ``y`` and ``prior`` (K x n).

    Rows with a zero prior weight do not count (use it for missing responses; their y must be finite, e.g. 0).
    Fits that have converged are set aside, so the others iterate on smaller arrays.
    """
    k, _n = y.shape
    p = x.shape[1]
    xx = outer_rows(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogy_all = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
    mu_all = y + 0.1
    eta_all = np.log(mu_all)
    beta_all = np.zeros((k, p))
    converged = np.zeros(k, dtype=bool)
    idx = np.arange(k)
    ya, wa, ylogy, eta, mu = y, prior, ylogy_all, eta_all.copy(), mu_all.copy()
    dev_old = _deviance(ylogy, ya, eta, mu, wa)
    for _ in range(maxit):
        w = wa * mu
        z = eta + (ya - mu) / mu
        beta = _solve((w @ xx).reshape(idx.size, p, p), (w * z) @ x)  # X'WX of every fit as one matrix product
        eta = beta @ x.T
        with np.errstate(over="ignore"):
            mu = np.maximum(np.exp(eta), EPS)
        dev = _deviance(ylogy, ya, eta, mu, wa)
        done = np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < epsilon
        dev_old = dev
        beta_all[idx], eta_all[idx], mu_all[idx] = beta, eta, mu
        if done.any():
            converged[idx[done]] = True
            keep = ~done
            idx, ya, wa, ylogy = idx[keep], ya[keep], wa[keep], ylogy[keep]
            eta, mu, dev_old = eta[keep], mu[keep], dev_old[keep]
            if idx.size == 0:
                break
    beta, mu = beta_all, mu_all
    cov = _inv(((prior * mu) @ xx).reshape(k, p, p))
    used = (prior > 0).sum(axis=1).astype(np.float64)
    df = used - p
    x2 = np.sum(np.where(prior > 0, prior * (y - mu) ** 2 / mu, 0.0), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        disp = np.where(df > 0, x2 / df, np.nan)
    return GlmFit(
        beta=beta,
        mu=mu,
        cov_unscaled=cov,
        dispersion=disp,
        df_resid=df,
        converged=converged & np.isfinite(beta).all(axis=1),
    )


def fit_quasipoisson_statsmodels(x: FloatArray, y: FloatArray, prior: FloatArray, *, maxit: int = 25) -> GlmFit:
    """The same fits one by one with ``statsmodels.GLM`` (Poisson family, ``var_weights``, ``scale="X2"``).

    Slow; kept as an independent check of :func:`fit_quasipoisson` and selectable with ``engine="statsmodels"``.
    Rows with zero prior weight are dropped. statsmodels' warnings are handled here, not ignored: a
    ``ConvergenceWarning`` marks the fit as not converged (as R's ``converged`` flag); a
    ``PerfectSeparationWarning`` (all-zero responses, mu -> 0) is expected for empty reference windows and R fits
    them too, so it is dropped. Where statsmodels refuses to start (all responses zero) the fit is marked as not
    converged, so that window gets no verdict (the numpy engine, like R, fits it).
    """
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    k, n = y.shape
    p = x.shape[1]
    beta = np.full((k, p), np.nan)
    mu = np.full((k, n), np.nan)
    cov = np.full((k, p, p), np.nan)
    disp = np.full(k, np.nan)
    df = np.zeros(k)
    converged = np.zeros(k, dtype=bool)
    for i in range(k):
        keep = prior[i] > 0
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = sm.GLM(y[i, keep], x[keep], family=sm.families.Poisson(), var_weights=prior[i, keep])
            try:
                res = model.fit(scale="X2", maxiter=maxit, tol=1e-10)
            except ValueError:  # statsmodels cannot start from all-zero responses (R can): no fit, no verdict
                continue
        unexpected = [c for c in caught if not issubclass(c.category, ConvergenceWarning | PerfectSeparationWarning)]
        for c in unexpected:  # anything else is a real problem: surface it
            warnings.warn_explicit(c.message, c.category, c.filename, c.lineno)
        converged[i] = bool(res.converged) and not any(issubclass(c.category, ConvergenceWarning) for c in caught)
        beta[i] = res.params
        mu[i] = np.maximum(np.exp(x @ res.params), EPS)
        cov[i] = res.normalized_cov_params
        df[i] = res.df_resid
        disp[i] = res.scale if res.df_resid > 0 else np.nan
    return GlmFit(beta=beta, mu=mu, cov_unscaled=cov, dispersion=disp, df_resid=df, converged=converged)
