"""Where health signals go: always the signal store; the configured channels, else the Atom feed beside the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from health.signals import publish
from signals.delivery.atom import read_ids
from signals.model import Signal
from signals.store import SignalStore


def down(day: str = "2026-10-11") -> Signal:
    summary = "tulip_bazaar: 2 failed crawls in a row"
    return Signal(type="source_down", subject="tulip_bazaar", first_seen=day, last_seen=day, severity="medium",
                  summary=summary, detector="health", sources=["tulip_bazaar"])  # fmt: skip


@pytest.fixture
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory without alerts.yml and no delivery configuration in the environment."""
    monkeypatch.delenv("NPSWATCH_ALERTS_CONFIG", raising=False)
    monkeypatch.delenv("NPSWATCH_SIGNALS_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_a_configuration_signals_are_stored_and_written_to_the_feed_beside_the_store(where: Path) -> None:
    signal = down()
    said = publish([signal], [], str(where / "npswatch.sqlite3"))
    with SignalStore(where / "npswatch.signals.sqlite3") as store:
        assert [s.id for s in store.find(types=["source_down"])] == [signal.id]
    assert read_ids(where / "npswatch.signals.atom") == [f"urn:npswatch:signal:{signal.id}"]
    assert f"Atom feed {where / 'npswatch.signals.atom'}" in said and "atom 1" in said


def test_a_configuration_replaces_the_default_feed(where: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = where / "delivery.yml"
    config.write_text(f"ews_export:\n  directory: {where / 'ews'}\n", encoding="utf-8")
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(config))
    signal = down()
    publish([signal], [], str(where / "npswatch.sqlite3"))
    assert json.loads((where / "ews" / f"{signal.id}.json").read_text(encoding="utf-8"))
    assert not (where / "npswatch.signals.atom").exists()


def test_alerts_yml_in_the_working_directory_is_the_configuration(where: Path) -> None:
    (where / "alerts.yml").write_text(f"atom:\n  path: {where / 'mine.atom'}\n", encoding="utf-8")
    publish([down()], [], str(where / "npswatch.sqlite3"))
    assert (where / "mine.atom").exists() and not (where / "npswatch.signals.atom").exists()


def test_a_broken_configuration_still_stores_the_signal(where: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NPSWATCH_ALERTS_CONFIG", str(where / "missing.yml"))
    said = publish([down()], [], str(where / "npswatch.sqlite3"))
    assert "not delivered" in said and "missing.yml" in said
    with SignalStore(where / "npswatch.signals.sqlite3") as store:
        assert len(store.find()) == 1
