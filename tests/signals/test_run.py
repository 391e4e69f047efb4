"""Signal runs over the synthetic store: each scripted event raises its signal once, the rest stays quiet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from signals.config import load_config
from signals.run import run_signals
from signals.store import SignalStore, signals_path
from storage.sqlite import SqliteStorage
from tests.signals.synthetic import DAYS, day, write_days


@pytest.fixture
def kept(tmp_path: Path) -> SignalStore:
    return SignalStore(tmp_path / "signals.sqlite3")


def by_type(kept: SignalStore) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in kept.find():
        out.setdefault(s.type, []).append(s.subject if s.scope is None else f"{s.subject}@{s.scope}")
    return out


def test_one_run_over_the_whole_store_raises_each_event_once(filled: SqliteStorage, kept: SignalStore) -> None:
    result = run_signals(filled, kept, day(DAYS - 1))
    assert by_type(kept) == {
        "first_seen": ["3-CPMC", "MDMB-4en-PINACA"],  # the candidate, and a known substance new to the store
        "spike": ["3-CMC"],
        "price_shift": ["ketamine@market=M2"],
        "adverse_surge": ["MDMB-4en-PINACA"],
    }
    assert len(result.created) == 5
    novel, known = kept.find(types=["first_seen"])
    assert known.known and known.severity == "high" and known.counts["posts"] == 18  # an NPS new to every source
    assert "never seen in any monitored source" in known.statistics["severity_rule"]
    assert novel.first_seen == day(12).isoformat() and not novel.known and novel.severity == "high"
    assert novel.family == "synthetic cathinone" and novel.counts["listings"] == 2 and novel.markets == ["M1"]
    assert {e.doc_id for e in novel.evidence} == {"m1-200", "m1-201"}
    assert all(e.warc_record_id and e.url.startswith("http://m1.test/") for e in novel.evidence)
    # evidence as seen: the observation of the sighting day (day 12) and its WARC record, not the latest copy
    assert {(e.observed_on, e.warc_record_id) for e in novel.evidence} == {
        (day(12).isoformat(), f"<urn:uuid:m1-{n}-12>") for n in (200, 201)}
    (surge,) = kept.find(types=["adverse_surge"])
    for e in surge.evidence:  # a post: its first observation (the day it was posted here), not today's copy
        offset = (date.fromisoformat(e.observed_on) - day(0)).days
        assert 22 <= offset <= 24 and e.warc_record_id.endswith(f"-{offset}>") and e.seen_at.startswith(e.observed_on)
    # the summary counts the adverse posts, and says how many of them were severe (not "N posts with severe ...")
    posts, severe = surge.counts["posts"], surge.counts["severe"]
    assert f"{posts} forum posts with adverse effects" in surge.summary
    assert (f"({severe} of them severe)" in surge.summary) == bool(severe)


@pytest.mark.slow  # 30 signal runs, one a day: over 2 s
def test_daily_runs_update_one_signal_per_episode(store: SqliteStorage, kept: SignalStore) -> None:
    for offset in range(DAYS):
        write_days(store, [offset])
        run_signals(store, kept, day(offset))
        if offset < 12:
            assert kept.find() == [], f"a signal in the quiet period, day {offset}"
    spikes = kept.find(types=["spike"])
    assert len(spikes) == 1
    assert spikes[0].first_seen == day(19).isoformat() and spikes[0].last_seen > spikes[0].first_seen
    assert spikes[0].state == "new" and spikes[0].last_seen <= day(25).isoformat()
    (shift,) = kept.find(types=["price_shift"])
    assert shift.statistics["direction"] == "down" and shift.statistics["relative_change"] < -0.3
    assert shift.prices["currency"] == "EUR" and shift.markets == ["M2"]
    (surge,) = kept.find(types=["adverse_surge"])
    assert surge.counts["severe"] == 18 and all(e.kind == "post" for e in surge.evidence)
    closed = run_signals(store, kept, day(DAYS + 10)).closed  # ten days later without an alarm: episodes end
    assert {s.type for s in closed} >= {"spike", "adverse_surge"}
    assert kept.find(types=["spike"])[0].state == "closed"


def test_a_second_run_of_the_same_day_changes_nothing(filled: SqliteStorage, kept: SignalStore) -> None:
    run_signals(filled, kept, day(DAYS - 1))
    before = {s.id: s.to_json() for s in kept.find()}
    again = run_signals(filled, kept, day(DAYS - 1))
    assert again.created == [] and set(before) == {s.id for s in kept.find()}


def test_replaying_a_closed_episode_changes_nothing(filled: SqliteStorage, kept: SignalStore) -> None:
    run_signals(filled, kept, day(DAYS - 1))
    closed = run_signals(filled, kept, day(DAYS + 10)).closed
    assert closed
    before = sorted(s.id for s in kept.find())
    again = run_signals(filled, kept, day(DAYS + 10), since=day(0))  # every day again
    assert again.created == [] and sorted(s.id for s in kept.find()) == before


def test_acknowledged_and_dismissed_states_survive_updates(store: SqliteStorage, kept: SignalStore) -> None:
    write_days(store, range(20))
    run_signals(store, kept, day(19))
    (spike,) = kept.find(types=["spike"])
    kept.set_state(spike.id, "dismissed")
    write_days(store, [20, 21])
    run_signals(store, kept, day(21))
    (again,) = kept.find(types=["spike"])
    assert again.id == spike.id and again.state == "dismissed" and again.last_seen == day(21).isoformat()


def test_quiet_store_raises_nothing(store: SqliteStorage, kept: SignalStore) -> None:
    write_days(store, range(12))
    assert run_signals(store, kept, day(11)).created == []


def test_signals_file_sits_beside_a_sqlite_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NPSWATCH_SIGNALS_DB", raising=False)
    assert signals_path(tmp_path / "x.sqlite3") == tmp_path / "x.signals.sqlite3"
    assert signals_path("sqlite:////abs/x.sqlite3") == Path("/abs/x.signals.sqlite3")
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path))
    assert signals_path("elasticsearch+https://h:9200") == tmp_path / "signals.sqlite3"
    monkeypatch.setenv("NPSWATCH_SIGNALS_DB", str(tmp_path / "s.db"))
    assert signals_path("anything") == tmp_path / "s.db"


def test_config_can_switch_the_spike_detector(filled: SqliteStorage, kept: SignalStore, tmp_path: Path) -> None:
    (tmp_path / "signals.yml").write_text("spike:\n  method: ears-c1\n  params: {min_sigma: 1.0}\n")
    run_signals(filled, kept, day(DAYS - 1), config=load_config(tmp_path / "signals.yml"))
    assert [s.detector for s in kept.find(types=["spike"])] == ["ears-c1"]
