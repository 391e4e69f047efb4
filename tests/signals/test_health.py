"""Source-health signals: health problems become episodes in the one signal store, are delivered, keep their triage.

Runs are recorded in a real run history and checked with ``signals.health.check_run``, as the scheduler, the demo
and ``npswatch crawl`` do; delivery goes through the real channels (the Atom feed, the EWS export directory).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawlers.config import HealthThresholds
from health.checks import assess
from health.history import Run, RunHistory
from signals.delivery.atom import read_ids
from signals.health import check_run, open_episodes, update_signals
from signals.model import Signal
from signals.store import SignalStore, open_store
from tests.health.reports import T0, THRESHOLDS, report, run

OLD = Path(__file__).parent / "old_stores"
DOWN = {"pages": 4, "items": {}, "errors": {}, "http_status": {"503": 4}, "npswatch_stats": {}}
NOT_GONE = THRESHOLDS.model_copy(update={"gone_after_days": 30})  # a long outage stays source_down


@pytest.fixture
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory without alerts.yml and no delivery configuration in the environment."""
    monkeypatch.delenv("NPSWATCH_ALERTS_CONFIG", raising=False)
    monkeypatch.delenv("NPSWATCH_SIGNALS_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


class Crawls:
    """A source's crawls, one a day at noon, recorded in a run history and checked with ``check_run``."""

    def __init__(self, where: Path, source: str = "nova_market", thresholds: HealthThresholds = THRESHOLDS) -> None:
        self.history = RunHistory(where / "var" / "runs.sqlite3")
        self.db = str(where / "npswatch.sqlite3")
        self.source, self.thresholds = source, thresholds

    def day(self, day: int, rep: dict[str, Any]) -> tuple[list[Signal], list[Signal]]:
        when = T0 + timedelta(days=day)
        run_id = self.history.start(self.source, when=when)
        run = self.history.finish(run_id, result="failed" if rep is DOWN else "ok", exit_code=0, report=rep,
                                  when=when)  # fmt: skip
        _, changed, closed = check_run(self.history, run, self.thresholds, when, self.db)
        return changed, closed

    def signals(self) -> list[Signal]:
        with SignalStore(Path(self.db).with_name("npswatch.signals.sqlite3")) as store:
            return store.find(subject=self.source)


def test_one_episode_per_problem_updated_while_it_lasts_and_closed_on_recovery(where: Path) -> None:
    crawls = Crawls(where)
    raised = [crawls.day(day, DOWN)[0] for day in range(3)]
    assert raised[0] == []  # one failure is not an outage yet (down_after_failures 2)
    [signal] = crawls.signals()
    assert [[s.id for s in r] for r in raised[1:]] == [[signal.id], [signal.id]]
    assert (signal.type, signal.state, signal.first_seen, signal.last_seen) == ("source_down", "new", "2026-11-03",
                                                                                 "2026-11-04")  # fmt: skip
    assert signal.counts == {"runs": 2} and signal.detector == "health" and signal.substance is None
    _, [closed] = crawls.day(3, report())
    assert closed.id == signal.id and [s.state for s in crawls.signals()] == ["closed"]
    assert open_episodes(crawls.db, where / "var") == {}


def test_a_partial_outage_closes_when_the_requests_succeed_again(tmp_path: Path) -> None:
    with SignalStore(tmp_path / "signals.sqlite3") as store:
        failing = run(rep=report(20, status={"200": 20, "503": 10}), run_id=1)
        [signal], _ = update_signals(store, failing, assess(failing, [], THRESHOLDS, T0), T0)
        assert signal.type == "source_down" and signal.statistics["problems"][0]["failed"] == {"HTTP 503": 10}
        healthy = run(day=1, run_id=2)
        _, [closed] = update_signals(store, healthy, assess(healthy, [], THRESHOLDS, T0), T0 + timedelta(days=1))
        assert closed.id == signal.id and store.find(states=["new"]) == []


def test_a_dismissed_signal_stays_dismissed_through_later_checks_and_is_not_delivered_again(
    where: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The defect one store fixes: the run history's copy (state new) replaced the dismissed one at the next check,
    and it was delivered again."""
    exported = where / "ews"
    (where / "delivery.yml").write_text(f"ews_export:\n  directory: {exported}\n", encoding="utf-8")
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(where / "delivery.yml"))
    crawls = Crawls(where, thresholds=NOT_GONE)
    crawls.day(0, DOWN)
    [signal] = crawls.day(1, DOWN)[0]
    delivered = exported / f"{signal.id}.json"
    assert delivered.exists()
    delivered.unlink()
    with SignalStore(where / "npswatch.signals.sqlite3") as store:
        store.set_state(signal.id, "dismissed")
    for day in (2, 3):
        [again] = crawls.day(day, DOWN)[0]
        assert (again.id, again.state) == (signal.id, "dismissed")
    [kept] = crawls.signals()
    assert (kept.state, kept.last_seen, kept.counts) == ("dismissed", "2026-11-05", {"runs": 3})
    assert not delivered.exists()
    assert list(open_episodes(crawls.db, where / "var")) == ["nova_market"]  # dismissed, but not over
    crawls.day(4, report())  # the source recovers: the episode ends
    crawls.day(5, DOWN)
    [fresh] = crawls.day(6, DOWN)[0]  # a new outage is a new episode, delivered
    assert fresh.id != signal.id and fresh.state == "new" and (exported / f"{fresh.id}.json").exists()
    assert [s.state for s in crawls.signals()] == ["closed", "new"]


def test_without_a_configuration_signals_are_stored_and_written_to_the_feed_beside_the_store(where: Path) -> None:
    crawls = Crawls(where)
    crawls.day(0, DOWN)
    [signal] = crawls.day(1, DOWN)[0]
    assert [s.id for s in crawls.signals()] == [signal.id]
    assert read_ids(where / "npswatch.signals.atom") == [f"urn:npswatch:signal:{signal.id}"]


def test_a_configuration_replaces_the_default_feed(where: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = where / "delivery.yml"
    config.write_text(f"ews_export:\n  directory: {where / 'ews'}\n", encoding="utf-8")
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(config))
    crawls = Crawls(where)
    crawls.day(0, DOWN)
    [signal] = crawls.day(1, DOWN)[0]
    assert json.loads((where / "ews" / f"{signal.id}.json").read_text(encoding="utf-8"))
    assert not (where / "npswatch.signals.atom").exists()


def test_alerts_yml_in_the_working_directory_is_the_configuration(where: Path) -> None:
    (where / "alerts.yml").write_text(f"atom:\n  path: {where / 'mine.atom'}\n", encoding="utf-8")
    crawls = Crawls(where)
    crawls.day(0, DOWN)
    crawls.day(1, DOWN)
    assert (where / "mine.atom").exists() and not (where / "npswatch.signals.atom").exists()


def test_a_broken_configuration_still_stores_the_signal(where: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(where / "missing.yml"))
    crawls = Crawls(where)
    crawls.day(0, DOWN)
    crawls.day(1, DOWN)
    assert "missing.yml" in caplog.text and "not delivered" in caplog.text
    assert len(crawls.signals()) == 1


def load_old(where: Path) -> tuple[Path, Path]:
    """The run history and signal store an earlier version wrote (tests/signals/old_stores/README.md)."""
    runs, kept = where / "var" / "runs.sqlite3", where / "npswatch.signals.sqlite3"
    runs.parent.mkdir()
    for path, dump in ((runs, "runs.sql"), (kept, "npswatch.signals.sql")):
        with sqlite3.connect(path) as db:
            db.executescript((OLD / dump).read_text(encoding="utf-8"))
        db.close()
    return runs, kept


def tables(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                          "'sqlite_%'")]  # fmt: skip
        found = {n: db.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}
    db.close()
    return found


def test_an_earlier_versions_stores_are_moved_into_the_one_signal_store(where: Path) -> None:
    runs, _ = load_old(where)
    assert tables(runs) == {"runs": 6, "health": 2, "signals": 3}
    with open_store(where / "npswatch.sqlite3", where / "var") as store:
        found = {(s.type, s.subject): s for s in store.find()}
        assert {k: s.state for k, s in found.items()} == {
            ("source_down", "tulip_bazaar"): "dismissed",  # the store's triage wins over the run history's copy
            ("source_down", "nova_market"): "closed",
            ("needs_login", "lowlands_forum"): "new",  # only the run history had it
            ("first_seen", "3-CPMC"): "acknowledged",
        }
        assert found[("first_seen", "3-CPMC")].evidence[0].warc_record_id == "<urn:uuid:1>"
        assert found[("needs_login", "lowlands_forum")].counts == {"runs": 2}
        assert [r["as_of"] for r in store.runs()] == ["2026-10-03"]
    assert tables(runs) == {"runs": 6, "health": 2}  # the second copy is gone, the run history kept
    with open_store(where / "npswatch.sqlite3", where / "var") as store:
        assert store.migrate_run_history(runs) == 0 and len(store.find()) == 4


def test_a_migrated_dismissed_signal_stays_dismissed_at_the_next_check(where: Path) -> None:
    load_old(where)
    history = RunHistory(where / "var" / "runs.sqlite3")
    when = datetime(2026, 10, 4, 12, tzinfo=UTC)
    crawl: Run = history.finish(history.start("tulip_bazaar", "2026-10-04", when), result="failed", exit_code=0,
                                report=DOWN, when=when)  # fmt: skip
    assessment, [signal], _ = check_run(history, crawl, NOT_GONE, when, str(where / "npswatch.sqlite3"))
    assert assessment.state == "source_down" and assessment.problems[0].statistics["consecutive_failures"] == 4
    assert (signal.first_seen, signal.last_seen, signal.state, signal.counts) == ("2026-10-02", "2026-10-04",
                                                                                 "dismissed", {"runs": 3})  # fmt: skip
    assert not (where / "npswatch.signals.atom").exists()  # nothing new to deliver
