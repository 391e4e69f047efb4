"""The uniform API of the count detectors: registry, shapes, bad input, gaps, short histories."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from signals.detectors import (
    REGISTRY,
    DetectorResult,
    ParameterError,
    SeriesError,
    default_spike_detector,
    detector_names,
    get_detector,
    parse_params,
)
from signals.detectors.glm import fit_quasipoisson, fit_quasipoisson_statsmodels

DOCS = Path(__file__).resolve().parents[2] / "docs" / "detectors.md"
ALL = detector_names()


def _series(n: int = 300, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).poisson(3.0, n).astype(float)


def test_registry_has_the_issue_names():
    assert {"ears-c1", "ears-c2", "ears-c3", "farrington-default", "farrington-original", "farrington-noufaily"} <= set(
        REGISTRY
    )


@pytest.mark.parametrize("name", ALL)
def test_every_detector_returns_bounds_alarms_and_statistics_per_point(name):
    det = get_detector(name)
    counts = _series(5 * 52 + 20)
    res = det(counts)
    assert isinstance(res, DetectorResult)
    assert res.upperbound.shape == res.alarm.shape == res.computed.shape == counts.shape
    assert res.computed.any()
    assert not res.alarm[~res.computed].any()
    assert np.isnan(res.upperbound[: det.min_history]).all()
    assert all(v.shape == counts.shape for v in res.statistics.values())


@pytest.mark.parametrize("name", ALL)
def test_every_detector_and_parameter_is_documented(name):
    text = DOCS.read_text(encoding="utf-8")
    assert f"`{name}`" in text
    for param in get_detector(name).params:
        assert re.search(rf"`{param}`", text), f"{param} of {name} missing from docs/detectors.md"


@pytest.mark.parametrize("bad", [[1, 2, -1, 3], [1, 2.5, 3], [1, np.inf, 2], ["a", "b"], [[[1]]]])
def test_bad_counts_raise_a_clear_error(bad):
    with pytest.raises(SeriesError, match="expected"):
        get_detector("ears-c1")(bad)


def test_unknown_detector_or_parameter_says_what_was_expected():
    with pytest.raises(ParameterError, match="expected one of"):
        get_detector("ears-c4")
    with pytest.raises(ParameterError, match="unknown parameter"):
        get_detector("farrington-default", bogus=1)
    with pytest.raises(ParameterError, match="min_sigma"):
        get_detector("ears-c1", min_sigma=-1)


@pytest.mark.parametrize("name", ALL)
def test_too_short_history_gives_no_bound_no_alarm_and_a_message(name):
    res = get_detector(name)(np.array([0.0, 0, 9, 0, 50]))
    assert not res.computed.any() and not res.alarm.any()
    assert res.messages and "too short" in res.messages[0]


def test_gaps_give_no_bound_where_the_window_needs_them_and_no_invented_alarm():
    counts = np.zeros(40)
    counts[20] = np.nan
    res = get_detector("ears-c1", min_sigma=0.5)(counts)
    assert np.isnan(res.upperbound[21:28]).all()
    assert not res.computed[20]
    assert not res.alarm.any()


def test_farrington_drops_missing_reference_counts_as_r(weekly_series):
    y = weekly_series.copy()
    y[400] = np.nan
    res = get_detector("farrington-noufaily")(y, times=np.arange(575, 624))
    assert res.computed[575:].all()


def test_ears_min_sigma_stops_single_cases_alarming_on_a_silent_series():
    counts = np.zeros(30)
    counts[20] = 1
    assert get_detector("ears-c1")(counts).alarm[20]
    assert not get_detector("ears-c1", min_sigma=0.5)(counts).alarm[20]


def test_bayes_needs_two_cases_after_silence():
    counts = np.zeros(30)
    counts[[20, 25]] = [1, 2]
    res = get_detector("bayes")(counts)
    assert not res.alarm[20] and res.alarm[25]


def test_default_spike_detector_is_registered_and_detects_a_clear_spike(weekly_series):
    y = weekly_series.copy()
    y[600] += 40
    res = default_spike_detector()(y, times=[600])
    assert res.alarm[600]


def test_two_dimensional_input_gives_per_series_results():
    y = np.vstack([_series(60, 1), _series(60, 2)])
    both = get_detector("ears-c2")(y)
    np.testing.assert_allclose(both.upperbound[1], get_detector("ears-c2")(y[1]).upperbound, equal_nan=True)


@pytest.mark.slow  # a statsmodels GLM per window: over 2 s
def test_batched_irls_agrees_with_statsmodels():
    rng = np.random.default_rng(3)
    n = 40
    x = np.column_stack([np.ones(n), np.linspace(-1, 1, n), (np.arange(n) % 4 == 0).astype(float)])
    y = rng.poisson(np.exp(1 + 0.5 * x[:, 1]), size=(5, n)).astype(float)
    prior = rng.uniform(0.5, 1.5, size=(5, n))
    ours = fit_quasipoisson(x, y, prior)
    ref = fit_quasipoisson_statsmodels(x, y, prior)
    np.testing.assert_allclose(ours.beta, ref.beta, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.dispersion, ref.dispersion, rtol=1e-6)
    np.testing.assert_allclose(ours.cov_unscaled, ref.cov_unscaled, rtol=1e-5, atol=1e-10)
    assert ours.converged.all() and ref.converged.all()


def test_cli_style_params_are_typed_from_the_defaults():
    assert parse_params("ears-c1", ["min_sigma=0.5", "baseline=10"]) == {"min_sigma": 0.5, "baseline": 10}
    assert parse_params("farrington-noufaily", ["limit54=3,4", "reweight=false"]) == {
        "limit54": (3, 4),
        "reweight": False,
    }
    with pytest.raises(ParameterError, match="expected KEY=VALUE"):
        parse_params("ears-c1", ["sigma=1"])
    with pytest.raises(ParameterError, match="baseline expected int"):
        parse_params("ears-c1", ["baseline=seven"])


def test_farrington_gives_no_bound_for_an_absurd_predicted_mean():
    det = get_detector("farrington-noufaily", threshold_method="muan")
    fitted = {k: np.array([[v]]) for k, v in {"eta0": 50.0, "se_eta0": 1.0, "phi": 2.0, "ok": 1.0}.items()}
    out = det.threshold(np.array([[3.0]]), fitted)
    assert np.isnan(out["ub"]).all() and not out["ok"].any()
