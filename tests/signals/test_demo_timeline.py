"""End to end over the demo timeline: the real `npswatch crawl` per simulated day, a signal run after each crawl.

Crawls a chosen subset of days to stay under ~3 minutes (docs/demo-timeline.md lists the events): Nova Market
every fourth day, day 12 (3-CPMC appears) and day 21 (the 3-CMC spike of days 20-23); a listing seen on two crawls
of its market is counted on the days between, so the daily series need no daily crawl.  Tulip Bazaar on days 0, 16,
21 and 24 (history) and 26 (the ketamine price drop from day 25): the price test compares each listing's own
days, and with its 4 ketamine listings it needs 3 observed days of each before the drop (exact p 2/4**4 < 0.01;
one day each can give no p below 2/2**4, docs/signals.md "Price shift"); both forums once, on day 31 (posts count
on the day they were posted, so one crawl brings their history and the adverse wave of day 30).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from demosites.server import DemoSites
from demosites.timeline import START
from signals.model import SUBSTANCE_TYPES
from signals.run import run_signals
from signals.store import SignalStore, signals_path
from storage import open_storage

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]  # nine crawls, each a process: minutes on a busy machine

ROOT = Path(__file__).resolve().parents[2]
NOVA, TULIP, FORUMS = "nova_market", "tulip_bazaar", ("lowlands_forum", "salon_fr")
SCHEDULE: list[tuple[int, tuple[str, ...]]] = [
    (0, (NOVA, TULIP)), (4, (NOVA,)), (8, (NOVA,)), (12, (NOVA,)), (16, (NOVA, TULIP)), (21, (NOVA, TULIP)),
    (24, (TULIP,)), (26, (TULIP,)), (31, FORUMS),
]  # fmt: skip
NOVEL_DAY, SPIKE_DAY, PRICE_DAY, WAVE_DAY = 12, 20, 25, 30
EXPECTED = {"spike": {"3-CMC"}, "price_shift": {"ketamine"},
            "adverse_surge": {"MDMB-4en-PINACA", "THC", "synthetic cannabinoids (unspecified)"}}  # fmt: skip


def day(offset: int) -> date:
    return START + timedelta(days=offset)


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("timeline")
    db = tmp / "db.sqlite3"
    after: dict[int, list[dict[str, Any]]] = {}
    with DemoSites(free_ports=True, faults=()) as sites:  # the scripted events only, whatever the environment
        env = {**os.environ, **sites.env(), "NPSWATCH_DATA_DIR": str(tmp / "var")}
        env.pop("NPSWATCH_SIGNALS_DB", None)
        env.pop("NPSWATCH_ALERTS_CONFIG", None)
        for offset, sources in SCHEDULE:
            cmd = [sys.executable, "-m", "npswatch.cli", "crawl", *sources, "--as-of", day(offset).isoformat(),
                   "--db", str(db)]  # fmt: skip
            done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
            assert done.returncode == 0, done.stderr[-2000:]
            store = open_storage(db)
            try:
                with SignalStore(signals_path(db)) as kept:
                    run_signals(store, kept, day(offset))
                    after[offset] = [s.to_json() for s in kept.find(types=SUBSTANCE_TYPES)]
            finally:
                store.close()
        listed = subprocess.run([sys.executable, "-m", "npswatch.cli", "signals", "list", "--json", "--db", str(db)],
                                env=env, cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    final = [s for s in json.loads(listed.stdout) if s["type"] in SUBSTANCE_TYPES]  # the crawls' health aside
    yield {"after": after, "final": final}


def _of(signals: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [s for s in signals if s["type"] == type_]


def test_quiet_period_raises_nothing(timeline: dict[str, Any]) -> None:
    quiet = [offset for offset, _ in SCHEDULE if offset < NOVEL_DAY]
    assert all(timeline["after"][offset] == [] for offset in quiet), timeline["after"]


def test_novel_substance_raises_first_seen_within_one_crawl(timeline: dict[str, Any]) -> None:
    found = [s for s in _of(timeline["after"][NOVEL_DAY], "first_seen") if "CPMC" in s["substance"].upper()]
    assert found, "no first_seen for 3-CPMC after the crawl of its first day"
    (signal,) = found
    assert signal["first_seen"] == day(NOVEL_DAY).isoformat() and signal["known"] is False
    assert signal["scope"] is None and signal["severity"] == "high"
    assert signal["evidence"] and all(e["url"].startswith("http") and e["warc_record_id"] for e in signal["evidence"])


def test_spike_raises_one_spike(timeline: dict[str, Any]) -> None:
    spikes = _of(timeline["final"], "spike")
    assert {s["substance"] for s in spikes} == EXPECTED["spike"]
    assert len(spikes) == 1 and spikes[0]["first_seen"] >= day(SPIKE_DAY).isoformat()
    assert spikes[0]["counts"]["listings"] > 0 and "Nova Market" in spikes[0]["markets"]


def test_price_drop_raises_price_shift(timeline: dict[str, Any]) -> None:
    shifts = _of(timeline["final"], "price_shift")
    assert {s["substance"] for s in shifts} == EXPECTED["price_shift"]
    (shift,) = shifts
    assert shift["scope"] == "market=Tulip Bazaar" and shift["statistics"]["direction"] == "down"
    assert shift["first_seen"] >= day(PRICE_DAY).isoformat() and shift["statistics"]["relative_change"] < -0.2


def test_adverse_wave_raises_adverse_surge(timeline: dict[str, Any]) -> None:
    surges = _of(timeline["final"], "adverse_surge")
    assert "MDMB-4en-PINACA" in {s["substance"] for s in surges}
    assert {s["substance"] for s in surges} <= EXPECTED["adverse_surge"]
    assert all(s["first_seen"] >= day(WAVE_DAY).isoformat() for s in surges)
    assert all(e["kind"] == "post" for s in surges for e in s["evidence"])


def test_no_other_substance_before_its_event(timeline: dict[str, Any]) -> None:
    final = timeline["final"]
    novel = [s for s in _of(final, "first_seen") if s["scope"] is None and s["known"]]
    assert all(s["first_seen"] >= day(WAVE_DAY).isoformat() for s in novel), novel  # THC arrives with the wave
    assert all(s["severity"] == "low" for s in _of(final, "first_seen") if s["scope"] is not None)
    keys = {"id", "type", "substance", "severity", "state", "first_seen", "evidence"}
    assert final and all(keys <= set(s) for s in final)


def test_every_signal_of_the_timeline_delivers_a_notification_the_schema_accepts(
    timeline: dict[str, Any], tmp_path: Path
) -> None:
    from signals.delivery import deliver
    from signals.delivery.config import DeliveryConfig, EwsConfig
    from signals.model import Signal
    from tests.signals.test_ews_schema import problems

    signals = [Signal.from_json(s) for s in timeline["final"]]
    deliver(signals, DeliveryConfig(ews_export=EwsConfig(directory=tmp_path)))
    written = sorted(tmp_path.glob("*.json"))
    assert len(written) == len(signals) > 0
    assert {p.name: problems(json.loads(p.read_text(encoding="utf-8"))) for p in written} == {
        p.name: [] for p in written
    }
