"""bench/signals_bench.py's scoring: the matching rule of its docstring, on signals written for the test."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from demosites.beds.script import Event, Script, Trap

BENCH = Path(__file__).resolve().parents[2] / "bench" / "signals_bench.py"
START = date(2027, 1, 4)  # a Monday


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("signals_bench", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["signals_bench"] = module
    spec.loader.exec_module(module)
    return module


def signal(kind: str, subject: str, day: int, severity: str = "high", **extra: Any) -> dict[str, Any]:
    return {"id": f"{kind}-{subject}-{day}", "type": kind, "subject": subject, "substance": subject,
            "first_seen": (START + timedelta(days=day)).isoformat(), "severity": severity, **extra}  # fmt: skip


def script(*traps: Trap) -> Script:
    events = (
        Event(id="E1", type="first_seen", subject="MDMB-6en-PINACA", aliases=("6en-PINACA",), start=20, end=25,
              direction="up", sites=("m",), what="new"),
        Event(id="E2", type="price_shift", subject="cocaine", start=24, end=40, direction="up", sites=("m",),
              what="rise"),
    )  # fmt: skip
    return Script(bed="t", title="t", status="t", start=START, days=60, markets=1, sources=("m.yml",),
                  events=events, traps=traps)  # fmt: skip


def test_a_signal_within_three_days_catches_its_event_whatever_the_name_s_case_and_hyphens(bench: ModuleType) -> None:
    scored = bench.score([signal("first_seen", "MDMB6ENPINACA", 23, "medium")], script(), 60)
    first = scored["events"][0]
    assert (first["caught"], first["delay"], first["severity"]) == (True, 3, "medium")
    assert scored["per_type"]["first_seen"] == {"events": 1, "caught": 1, "delays": [3],
                                                "severity": {"high": 0, "medium": 1, "low": 0}}  # fmt: skip


def test_a_late_signal_is_no_catch_but_no_noise_either(bench: ModuleType) -> None:
    scored = bench.score([signal("first_seen", "6-ENPINACA", 24)], script(), 60)
    assert not scored["events"][0]["caught"] and scored["events"][0]["signal"].startswith("late:")
    assert scored["unmatched_high_medium"] == 0 and scored["later_or_repeated"] == 1


def test_the_wrong_direction_type_or_window_matches_nothing(bench: ModuleType) -> None:
    signals = [signal("price_shift", "cocaine", 25, statistics={"direction": "down"}),
               signal("spike", "cocaine", 25, "medium"), signal("price_shift", "cocaine", 44, "low")]  # fmt: skip
    scored = bench.score(signals, script(), 60)
    assert not scored["events"][1]["caught"]
    assert scored["unmatched_high_medium"] == 2 and len(scored["unmatched"]) == 3
    assert scored["unmatched_per_60_market_days"] == 2.0


def test_a_direction_read_from_a_relative_change(bench: ModuleType) -> None:
    scored = bench.score([signal("price_shift", "Cocaine", 24, statistics={"relative_change": 0.3})], script(), 60)
    assert scored["events"][1]["caught"] and scored["events"][1]["delay"] == 0


def test_traps_fire_on_their_subjects_or_on_anything_unexplained(bench: ModuleType) -> None:
    strips = Trap(id="T1", what="strips", types="any", subjects=("nitazene",), start=8, end=59)
    outage = Trap(id="T2", what="outage", types=("spike", "price_shift"), subjects="any", start=14, end=19)
    weekend = Trap(id="T3", what="weekends", types=("spike",), subjects="any", start=0, end=59, weekdays=(5, 6))
    signals = [signal("first_seen", "NITAZENE", 9, "low"), signal("spike", "heroin", 15, "medium"),
               signal("spike", "LSD", 26), signal("price_shift", "cocaine", 24)]  # fmt: skip
    fired = {t["id"]: t["fired"] for t in bench.score(signals, script(strips, outage, weekend), 60)["traps"]}
    assert fired == {"T1": ["first_seen NITAZENE day 9 low"], "T2": ["spike heroin day 15 medium"],
                     "T3": ["spike LSD day 26 high"]}  # fmt: skip


def test_source_health_signals_are_counted_apart(bench: ModuleType) -> None:
    health = {"id": "x", "type": "source_down", "subject": "fernweh_market", "substance": None, "scope": None,
              "first_seen": "2027-01-18", "severity": "high"}  # fmt: skip
    scored = bench.score([health], script(), 60)
    assert scored["signals"] == 0 and scored["other_signals"] == ["source_down fernweh_market"]


def test_daily_and_single_runs_are_compared(bench: ModuleType) -> None:
    daily = [signal("first_seen", "MDMB6ENPINACA", 20), signal("spike", "LSD", 30)]
    single = [signal("first_seen", "MDMB6ENPINACA", 20)]
    assert bench.differences(daily, single, script()) == {"daily_only": ["spike LSD day 30 high"], "single_only": []}
