"""Watchlists: the retro-hunt at creation, watch_hit signals for new matches only, delivery like the others."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from signals.run import run_and_deliver
from signals.store import SignalStore, open_store
from signals.watch import WatchError, create, query_spec, run_watchlists, substance_spec
from storage.sqlite import SqliteStorage
from tests.signals.synthetic import day, write_days


@pytest.fixture
def stores(tmp_path: Path) -> tuple[SqliteStorage, SignalStore]:
    return SqliteStorage(tmp_path / "npswatch.sqlite3"), SignalStore(tmp_path / "npswatch.signals.sqlite3")


def test_a_known_substance_is_watched_by_every_spelling_of_the_lexicon() -> None:
    spec = substance_spec("3cmc")
    assert spec.known and spec.substance == "3-CMC"
    assert {"3-CMC", "clophedrone", "3-chloromethcathinone"} <= set(spec.spellings)


def test_an_unknown_name_is_watched_as_written_and_in_its_folded_forms() -> None:
    spec = substance_spec("3-cpmc")
    assert not spec.known and spec.substance == "3-cpmc" and spec.spellings == ("3-CPMC",)
    assert set(spec.candidates) == {"3-cpmc", "3-CPMC", "3CPMC", "3 CPMC"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: query_spec("x", filters={"password": ["y"]}), "filter field: expected one of"),
        (lambda: query_spec("x" * 201), "query: at most 200 characters"),
        (lambda: substance_spec("---"), "expected a name with letters or digits"),
        (lambda: substance_spec("3-MMC", severity="urgent"), "severity: expected one of"),
    ],
)
def test_a_watchlist_that_cannot_work_is_refused(make: object, message: str) -> None:
    with pytest.raises(WatchError, match=message):
        make()  # type: ignore[operator]


def test_creating_a_watchlist_lists_what_already_matches_without_a_signal(stores: tuple[SqliteStorage, SignalStore]
                                                                          ) -> None:  # fmt: skip
    store, kept = stores
    write_days(store, range(18))
    retro = create(store, kept, "3-CMC everywhere", substance_spec("3-CMC"), "alice", day(17))
    assert retro.total == 4 and not retro.truncated
    assert {h["id"] for h in retro.hits} == {f"m1-{100 + i}" for i in range(4)}
    assert kept.count_watch_hits(retro.watchlist.id) == {"retro": 4, "new": 0}
    assert kept.find() == []


def test_new_documents_raise_one_watch_hit_episode_delivered_once(stores: tuple[SqliteStorage, SignalStore]) -> None:
    store, kept = stores
    write_days(store, range(18))
    watch = create(store, kept, "3-CMC", substance_spec("3-CMC", severity="high"), "alice", day(17)).watchlist
    write_days(store, range(18, 20))
    first = run_watchlists(store, kept, day(19))
    [signal] = first.created
    assert first.new_documents == 6 and signal.type == "watch_hit" and signal.severity == "high"
    assert signal.scope == f"watchlist={watch.id}" and signal.counts["documents"] == 6
    assert {e.doc_id for e in signal.evidence} == {f"m1-{100 + i}" for i in range(4, 10)}
    assert "6 new document(s)" in signal.summary and signal.markets == ["M1"]
    again = run_watchlists(store, kept, day(19))
    assert again.new_documents == 0 and again.created == [] and again.updated == []
    write_days(store, range(20, 22))
    later = run_watchlists(store, kept, day(21))
    assert later.created == [] and [s.id for s in later.updated] == [signal.id]
    stored = kept.get(signal.id)
    assert stored is not None and stored.counts["documents"] == 12 and stored.last_seen == day(21).isoformat()
    assert kept.count_watch_hits(watch.id) == {"retro": 4, "new": 12}
    closed = run_watchlists(store, kept, day(21) + timedelta(days=8))
    assert [s.id for s in closed.closed] == [signal.id]


def test_a_candidate_is_matched_in_every_spelling_extraction_wrote(stores: tuple[SqliteStorage, SignalStore]) -> None:
    store, kept = stores
    write_days(store, range(12))
    assert create(store, kept, "3-CPMC (EWS report)", substance_spec("3 CPMC"), "alice", day(11)).total == 0
    write_days(store, range(12, 14))
    [signal] = run_watchlists(store, kept, day(13)).created
    assert {e.doc_id for e in signal.evidence} == {"m1-200", "m1-201"}  # spelled "3-CPMC" and "3cpmc"


def test_a_query_watchlist_and_delivery_with_the_signal_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NPSWATCH_SIGNALS_DB", raising=False)
    monkeypatch.delenv("NPSWATCH_ALERTS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "npswatch.sqlite3"
    with SqliteStorage(db) as store:
        write_days(store, range(18))
        with open_store(db, tmp_path / "var") as kept:
            create(store, kept, "M1 3-CMC", query_spec("listing", sources=["m1"], filters={"substance": ["3-CMC"]}),
                   "alice", day(17))  # fmt: skip
        write_days(store, range(18, 20))
    outcome = run_and_deliver(str(db), day(19), data=tmp_path / "var")
    assert outcome.code == 0, outcome.lines
    assert any("watchlists: 6 new matching document(s), 1 new watch_hit signal(s)" in line for line in outcome.lines)
    feed = (tmp_path / "npswatch.signals.atom").read_text(encoding="utf-8")
    assert "watch_hit" in feed and "M1 3-CMC" in feed
