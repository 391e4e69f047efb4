"""Smoke test of bench/surveillance_bench.py: R's scenario table, metrics and a tiny run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "surveillance_bench.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("surveillance_bench", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_the_42_scenarios_are_r_s(bench):
    assert len(bench.scenarios()) == 42
    assert bench.check_scenarios_match_r()


def test_metrics_follow_the_definitions(bench):
    cases = np.zeros((2, 10))
    cases[0, 6:8] = [3, 1]  # outbreak weeks 6-7 (monitoring starts at 5)
    cases[1, 8] = 2
    starts = np.array([6, 8])
    a1 = np.zeros((2, 5), dtype=bool)
    a1[0, 2] = True  # week 7: detected in the second of two weeks
    a0 = np.zeros((2, 5), dtype=bool)
    a0[0, 0] = True
    m = bench.metrics(a0, a1, cases, starts, first=5)
    assert m["fpr"] == pytest.approx(0.1)
    assert m["pod"] == pytest.approx(0.5) and m["pod1"] == 0.0
    assert m["sensitivity"] == pytest.approx(0.25)
    assert m["timeliness"] == pytest.approx((0.5 + 1.0) / 2)


@pytest.mark.parametrize("kind", ["weekly", "daily"])
def test_a_tiny_scenario_runs_every_detector(bench, kind):
    sc = bench.scenarios()[8] if kind == "weekly" else bench.daily_scenarios()[1]
    out = bench.run_scenario({"scenario": vars(sc), "kind": kind, "reps": 1, "seed": 1})
    assert "farrington-noufaily@0.05" in out["detectors"] or "farrington-noufaily-daily@0.05" in out["detectors"]
    assert all(0.0 <= d["fpr"] <= 1.0 for d in out["detectors"].values())
