"""Commands that read a store refuse one that is not there (exit 2, naming the path and how a store is made) and
create nothing; commands meant to create a store (crawl, demo, schedule, index migrate, the target of index reindex
and index replay) make it, the index commands saying so.  See docs/cli.md.

Before, ``--db`` with a mistyped path (or ``index reindex --from`` one) silently made a new empty store: a search
then found nothing, an export exported nothing, exit 0.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from storage.deadletter import append, dead_letter_line
from storage.sqlite import SqliteStorage
from tests.storage.documents import listing

ROOT = Path(__file__).resolve().parents[2]
KEY = "5b0e1c7f3a9d2e8b6c4f1a0d9e8c7b6a5f4e3d2c1b0a99887766554433221100"

READERS: dict[str, list[str]] = {
    "search": ["search", "*"],
    "show": ["show", "abc"],
    "trend": ["trend"],
    "export": ["export", "--out", "{tmp}/corpus"],
    "index stats": ["index", "stats"],
    "signals run": ["signals", "run"],
    "signals list": ["signals", "list"],
    "signals show": ["signals", "show", "123456"],
    "signals ack": ["signals", "ack", "123456"],
    "signals note": ["signals", "note", "123456", "a note"],
    "signals export": ["signals", "export", "--format", "misp", "--out", "{tmp}/events.json"],
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in ("NPSWATCH_SIGNALS_DB", "NPSWATCH_ALERTS_CONFIG", "NPSWATCH_DB", "NPSWATCH_SOURCES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("NPSWATCH_PSEUDONYM_KEY", KEY)
    return {"NPSWATCH_DATA_DIR": str(tmp_path / "var")}


def made(tmp_path: Path) -> list[str]:
    """Everything under ``tmp_path`` (what a command made)."""
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("command", list(READERS))
def test_a_command_that_reads_a_store_refuses_a_missing_one(command: str, tmp_path: Path,
                                                            env: dict[str, str]) -> None:  # fmt: skip
    mistyped = tmp_path / "npswatch.sqlit3"
    args = [a.format(tmp=tmp_path) for a in READERS[command]]
    result = CliRunner().invoke(main, [*args, "--db", str(mistyped)], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert f"{mistyped}: no store there" in result.output
    assert f"npswatch crawl SOURCE --db {mistyped}" in result.output  # how one is made
    assert made(tmp_path) == []  # no store, no signal store, no data dir, no output


def test_the_default_store_is_refused_the_same_way(tmp_path: Path, env: dict[str, str]) -> None:
    result = CliRunner().invoke(main, ["search", "3-mmc"], catch_exceptions=False)
    assert result.exit_code == 2 and f"{tmp_path / 'var' / 'npswatch.sqlite3'}: no store there" in result.output
    assert made(tmp_path) == []


def test_reindex_refuses_a_missing_origin_and_makes_its_target_saying_so(tmp_path: Path,
                                                                         env: dict[str, str]) -> None:  # fmt: skip
    origin, target = tmp_path / "old.sqlite3", tmp_path / "new.sqlite3"
    result = CliRunner().invoke(main, ["index", "reindex", "--from", str(origin), "--db", str(target)])
    assert result.exit_code == 2 and f"{origin}: no store there" in result.output
    assert made(tmp_path) == []
    with SqliteStorage(origin) as store:
        store.write([listing("1"), listing("2")])
    result = CliRunner().invoke(main, ["index", "reindex", "--from", str(origin), "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert f"no store at {target}: a new one is created" in result.output and "created 2" in result.output


def test_replay_makes_its_store_saying_so(tmp_path: Path, env: dict[str, str]) -> None:
    """The dead letters of a store lost to a fault can rebuild it: replay's --db is a target, like reindex's."""
    letters, target = tmp_path / "store.jsonl", tmp_path / "rebuilt.sqlite3"
    append(letters, [dead_letter_line(listing("1"), "down", "store_unavailable")])
    result = CliRunner().invoke(main, ["index", "replay", str(letters), "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert f"no store at {target}: a new one is created" in result.output
    with SqliteStorage(target) as store:
        assert store.count() == 1


def test_status_without_a_store_shows_the_runs_warns_and_makes_no_store(tmp_path: Path,
                                                                        env: dict[str, str]) -> None:  # fmt: skip
    """``status`` reads the run history of the data dir, which is worth seeing even before any store exists (a
    scheduler whose crawls all failed): it shows that, says no store is there, and makes no store."""
    mistyped = tmp_path / "npswatch.sqlit3"
    result = CliRunner().invoke(main, ["status", "--json", "--db", str(mistyped)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"warning: {mistyped}: no store there" in result.stderr and "no signals shown" in result.stderr
    assert not mistyped.exists() and not (tmp_path / "npswatch.signals.sqlit3").exists()


@pytest.mark.slow  # the workbench in a process of its own
def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    mistyped = tmp_path / "npswatch.sqlit3"
    env = {**os.environ, "NPSWATCH_DATA_DIR": str(tmp_path / "var")}
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    child = subprocess.Popen([sys.executable, "-m", "npswatch.cli", "serve", "--port", port, "--db", str(mistyped)],
                             env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        _, stderr = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # serving: the store was not checked
        child.send_signal(signal.SIGTERM)
        child.communicate(timeout=30)
        pytest.fail("npswatch serve started over a store that is not there")
    assert child.returncode == 2 and f"{mistyped}: no store there" in stderr
    assert made(tmp_path) == []


@pytest.mark.cluster
def test_a_reader_refuses_a_cluster_without_the_indices_and_makes_none(osmem_url: str, env: dict[str, str]) -> None:
    from storage.cluster import ClusterStorage, indices, parse_target

    mistyped = f"opensearch+{osmem_url}?prefix=npswatsh"
    result = CliRunner().invoke(main, ["search", "*", "--db", mistyped], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "no npswatch indices with the prefix 'npswatsh'" in result.output
    assert f"npswatch index migrate --db {mistyped}" in result.output
    with ClusterStorage(parse_target(mistyped), ensure_indices=False) as cluster:
        assert indices.alias_target(cluster.client, "npswatsh-documents") is None  # nothing was made
