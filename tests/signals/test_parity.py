"""Parity with R surveillance 1.20.3 on the reference series (tests/signals/reference/README.md).

R rounds bounds to 6 decimals, so "equal to 1e-6" is checked as |ours - R| <= 1e-6; Farrington bounds within 1e-3
relative. Alarms must be identical wherever R gives a value (NA in R = not computed here).
"""

from __future__ import annotations

import numpy as np
import pytest

from signals.detectors import FarringtonFlexible, get_detector
from signals.detectors.farrington import PRESETS
from tests.signals.conftest import REFERENCE, read_table

WEEKS = np.arange(575, 624)  # R's range 576:624, 0-based


def _alarms_match(ours: np.ndarray, computed: np.ndarray, r_alarm: np.ndarray) -> None:
    has_r = ~np.isnan(r_alarm)
    np.testing.assert_array_equal(computed, has_r, err_msg="computed where R gives a value")
    np.testing.assert_array_equal(ours[has_r], r_alarm[has_r].astype(bool))


@pytest.mark.parametrize("method", ["C1", "C2", "C3"])
def test_ears_weekly_bounds_and_alarms_equal_r(method, weekly_series, weekly_reference):
    res = get_detector(f"ears-{method.lower()}")(weekly_series)
    r_ub = weekly_reference[f"ears_{method}_ub"]
    np.testing.assert_allclose(res.upperbound[WEEKS], r_ub, rtol=0, atol=1e-6)
    _alarms_match(res.alarm[WEEKS], res.computed[WEEKS], weekly_reference[f"ears_{method}_alarm"])


@pytest.mark.parametrize("min_sigma", ["0", "0.5"])
@pytest.mark.parametrize("method", ["C1", "C2", "C3"])
def test_ears_sparse_daily_equal_r_where_r_gives_a_number(method, min_sigma, sparse_daily):
    res = get_detector(f"ears-{method.lower()}", min_sigma=float(min_sigma))(sparse_daily["observed"])
    r_ub = sparse_daily[f"{method}_ms{min_sigma}_ub"]
    np.testing.assert_array_equal(np.isnan(res.upperbound), np.isnan(r_ub))
    has = ~np.isnan(r_ub)
    np.testing.assert_allclose(res.upperbound[has], r_ub[has], rtol=0, atol=1e-6)
    _alarms_match(res.alarm, res.computed, sparse_daily[f"{method}_ms{min_sigma}_alarm"])


def test_sparse_daily_min_sigma_zero_has_undefined_c3_bounds_as_r(sparse_daily):
    """With minSigma 0 a constant C2 baseline makes C3 undefined (0/0): R gives NA, so do we."""
    ms0 = get_detector("ears-c3")(sparse_daily["observed"])
    ms05 = get_detector("ears-c3", min_sigma=0.5)(sparse_daily["observed"])
    assert (~ms0.computed).sum() > (~ms05.computed).sum()


@pytest.mark.parametrize("engine", ["numpy", "statsmodels"])
@pytest.mark.parametrize("preset", ["default", "original", "noufaily"])
def test_farrington_bounds_within_1e3_and_alarms_equal_r(preset, engine, weekly_series, weekly_reference):
    det = FarringtonFlexible(f"farrington-{preset}", PRESETS[f"farrington-{preset}"], engine=engine)
    res = det(weekly_series, times=WEEKS)
    r_ub = weekly_reference[f"ff_{preset}_ub"]
    np.testing.assert_array_equal(np.isnan(res.upperbound[WEEKS]), np.isnan(r_ub))
    np.testing.assert_allclose(res.upperbound[WEEKS], r_ub, rtol=1e-3, equal_nan=True)
    _alarms_match(res.alarm[WEEKS], res.computed[WEEKS], weekly_reference[f"ff_{preset}_alarm"])


@pytest.mark.parametrize("preset", ["default", "original", "noufaily"])
def test_farrington_statistics_match_r(preset, weekly_series, weekly_reference):
    res = get_detector(f"farrington-{preset}")(weekly_series, times=WEEKS)
    stats = {k: v[WEEKS] for k, v in res.statistics.items()}
    np.testing.assert_array_equal(stats["trend"], weekly_reference[f"ff_{preset}_trend"])
    for ours, theirs in (("expected", "expected"), ("phi", "phi"), ("pvalue", "pvalue")):
        np.testing.assert_allclose(stats[ours], weekly_reference[f"ff_{preset}_{theirs}"], rtol=1e-3, atol=1e-6)


def test_bayes1_bounds_equal_r(weekly_series, weekly_reference):
    res = get_detector("bayes")(weekly_series)
    np.testing.assert_allclose(res.upperbound[WEEKS], weekly_reference["bayes1_ub"], rtol=0, atol=1e-6)


def test_batched_series_give_the_same_as_one_by_one(weekly_series):
    det = get_detector("farrington-noufaily")
    both = det(np.vstack([weekly_series, weekly_series[::-1]]), times=WEEKS)
    alone = det(weekly_series[::-1], times=WEEKS)
    np.testing.assert_allclose(both.upperbound[1], alone.upperbound, equal_nan=True)
    np.testing.assert_array_equal(both.alarm[1], alone.alarm)


@pytest.mark.parametrize("method", ["C1", "C2", "C3"])
def test_ears_quality_table_on_r_point_source_series_equals_r(method):
    series = read_table("example_pointsource_series.csv")
    res = get_detector(f"ears-{method.lower()}")(series["observed"], times=np.arange(299, 400))
    alarm, state = res.alarm[299:400], series["state"][299:400].astype(bool)
    ours = [(alarm & state).sum(), (alarm & ~state).sum(), (~alarm & ~state).sum(), (~alarm & state).sum()]
    with (REFERENCE / "example_pointsource_quality.csv").open(encoding="utf-8") as fh:
        row = next(line for line in fh if line.startswith(f'"{method}"')).strip().split(",")
    assert ours == [int(v) for v in row[1:5]]  # TP, FP, TN, FN
