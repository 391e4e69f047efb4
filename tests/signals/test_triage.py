"""Triage: states, assignment, notes and the append-only audit log, from the store and from the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from signals.model import Signal
from signals.run import run_signals
from signals.store import SignalStore, SignalStoreError, open_store
from storage.sqlite import SqliteStorage
from tests.signals.synthetic import DAYS, day, write_days

OLD = Path(__file__).parent / "old_stores"


def a_signal(subject: str = "3-CMC") -> Signal:
    return Signal("spike", subject, "2026-01-19", "2026-01-21", "high", f"{subject} listings rose")


@pytest.fixture
def kept(tmp_path: Path) -> SignalStore:
    store = SignalStore(tmp_path / "npswatch.signals.sqlite3")
    store.put([a_signal()])
    return store


def test_every_action_is_logged_with_who_when_what_and_why(kept: SignalStore) -> None:
    sid = a_signal().id
    kept.triage(sid, "assign", "alice", via="web", assignee="bob")
    kept.triage(sid, "acknowledge", "bob", reason="checking the markets", note="three vendors")
    kept.triage(sid, "note", "bob", note="lab result pending")
    kept.triage(sid, "dismiss", "carol", via="api", reason="a restock, not a rise")
    kept.triage(sid, "reopen", "alice", reason="the rise goes on")
    log = kept.audit(sid)
    assert [(e.user, e.via, e.action, e.from_state, e.to_state) for e in log] == [
        ("alice", "web", "assign", "new", "new"),
        ("bob", "cli", "acknowledge", "new", "acknowledged"),
        ("bob", "cli", "note", "acknowledged", "acknowledged"),
        ("carol", "api", "dismiss", "acknowledged", "dismissed"),
        ("alice", "cli", "reopen", "dismissed", "new"),
    ]
    assert log[1].reason == "checking the markets" and log[1].note == "three vendors"
    assert all(e.assignee == "bob" and e.at.endswith("Z") for e in log)
    stored = kept.get(sid)
    assert stored is not None and stored.state == "new" and stored.assignee == "bob"


@pytest.mark.parametrize(
    ("action", "details", "message"),
    [
        ("dismiss", {}, "dismiss needs a reason"),
        ("dismiss", {"reason": "   "}, "dismiss needs a reason"),
        ("note", {}, "note needs a note"),
        ("reopen", {"reason": "why not"}, "cannot reopen signal"),  # it is new
        ("close", {}, "action: expected one of"),
        ("note", {"note": "x" * 4001}, "note: at most 4000 characters"),
    ],
)
def test_an_action_that_does_not_apply_is_refused_and_not_logged(
    kept: SignalStore, action: str, details: dict[str, str], message: str
) -> None:
    with pytest.raises(SignalStoreError, match=message):
        kept.triage(a_signal().id, action, "alice", **details)
    assert kept.audit() == []


def test_an_unknown_signal_or_a_missing_user_is_refused(kept: SignalStore) -> None:
    with pytest.raises(SignalStoreError, match="no signal with id"):
        kept.triage("ffffffffffff", "acknowledge", "alice")
    with pytest.raises(SignalStoreError, match="name of the user"):
        kept.triage(a_signal().id, "acknowledge", " ")


def test_the_audit_log_refuses_updates_and_deletes(kept: SignalStore) -> None:
    kept.triage(a_signal().id, "acknowledge", "alice")
    with sqlite3.connect(kept.path) as db, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit SET user = 'mallory'")
    with sqlite3.connect(kept.path) as db, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit")
    db.close()
    assert [e.user for e in kept.audit()] == ["alice"]


def test_a_store_an_earlier_version_wrote_gains_the_audit_log(tmp_path: Path) -> None:
    path = tmp_path / "npswatch.signals.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript((OLD / "npswatch.signals.sql").read_text(encoding="utf-8"))
    db.close()
    with SignalStore(path) as store:
        [candidate] = store.find(types=["first_seen"])
        assert candidate.state == "acknowledged" and candidate.assignee is None
        store.triage(candidate.id, "dismiss", "alice", reason="a typo of 3-CMC")
        assert [(e.action, e.from_state) for e in store.audit(candidate.id)] == [("dismiss", "acknowledged")]


def test_a_signal_run_keeps_triage_state_and_assignment(tmp_path: Path) -> None:
    with SqliteStorage(tmp_path / "npswatch.sqlite3") as store, SignalStore(tmp_path / "s.sqlite3") as kept:
        write_days(store, range(22))
        run_signals(store, kept, day(21))
        [spike] = kept.find(types=["spike"])
        kept.triage(spike.id, "assign", "alice", assignee="bob")
        kept.triage(spike.id, "dismiss", "bob", reason="restock")
        write_days(store, range(22, DAYS))
        run_signals(store, kept, day(DAYS - 1))
        after = kept.get(spike.id)
        assert after is not None and (after.state, after.assignee) == ("dismissed", "bob")
        assert after.last_seen >= spike.last_seen


# -- the CLI writes the same log ---------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("NPSWATCH_SIGNALS_DB", raising=False)
    path = tmp_path / "npswatch.sqlite3"
    SqliteStorage(path).close()
    with open_store(path, tmp_path / "var") as kept:
        kept.put([a_signal()])
    return str(path)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_triage_writes_the_audit_log_shown_by_show(db: str) -> None:
    sid = a_signal().id
    assert invoke("signals", "assign", sid[:8], "bob", "--as", "alice", "--db", db)[0] == 0
    code, out, _ = invoke("signals", "ack", sid[:8], "--reason", "on it", "--note", "n1", "--as", "bob", "--db", db)
    assert code == 0 and "acknowledged, assigned to bob" in out
    assert invoke("signals", "note", sid, "vendor moved", "--as", "bob", "--db", db)[0] == 0
    code, _, err = invoke("signals", "dismiss", sid, "--db", db)
    assert code == 2 and "--reason" in err
    assert invoke("signals", "dismiss", sid, "--reason", "restock", "--db", db)[0] == 0
    assert invoke("signals", "reopen", sid, "--reason", "rising again", "--as", "carol", "--db", db)[0] == 0
    shown = json.loads(invoke("signals", "show", sid, "--db", db)[1])
    assert shown["state"] == "new" and shown["assignee"] == "bob"
    log = shown["audit"]
    assert [(e["user"], e["action"], e["via"]) for e in log][:3] == [("alice", "assign", "cli"),
                                                                     ("bob", "acknowledge", "cli"),
                                                                     ("bob", "note", "cli")]  # fmt: skip
    assert log[1]["reason"] == "on it" and log[1]["note"] == "n1" and log[2]["note"] == "vendor moved"
    assert log[3]["action"] == "dismiss" and log[3]["user"]  # the OS user
    assert log[4]["reason"] == "rising again"


def test_cli_refuses_an_action_that_does_not_apply(db: str) -> None:
    code, _, err = invoke("signals", "reopen", a_signal().id, "--reason", "x", "--db", db)
    assert code == 2 and "cannot reopen" in err
