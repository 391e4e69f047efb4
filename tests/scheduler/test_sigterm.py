"""SIGTERM to `python scheduler.py` in the middle of a crawl, then a restart: nothing lost, nothing duplicated."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from demosites.server import DemoSites
from health.history import RunHistory
from storage import open_storage
from storage.base import SearchQuery
from tests.sources import ROOT, write_source

DAY = "2026-11-11"
POSTS_THAT_DAY = 460


def wait_for(what: str, check: Callable[[], bool], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@contextmanager
def stopped_on_failure(process: subprocess.Popen[str]) -> Iterator[None]:
    """Stop the scheduler (and so its crawl) when the test fails while it runs."""
    try:
        yield
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()


def stored_posts(db: Path) -> int:
    if not db.exists():
        return 0
    store = open_storage(str(db))
    try:
        return store.search(SearchQuery(kinds=["post"], limit=0)).total
    finally:
        store.close()


@pytest.mark.slow
def test_sigterm_checkpoints_the_running_crawl_and_the_restart_resumes_it(tmp_path: Path) -> None:
    sources = tmp_path / "src"
    write_source(sources, "lowlands_forum", "{every: 1d, jitter: 0m}",  # one request at a time: still running
                 {"concurrency: 8": "concurrency: 1", "delay: 0\n": "delay: 0.08\n"})  # fmt: skip
    data, db = tmp_path / "var", tmp_path / "db.sqlite3"
    jobdir = data / "jobs" / "lowlands_forum" / DAY
    history = RunHistory(data / "runs.sqlite3")
    cmd = [sys.executable, "scheduler.py", "--as-of", DAY, "--db", str(db), "--sources-dir", str(sources)]
    with DemoSites(sites=["lowlands_forum"], free_ports=True) as sites:
        env = {**os.environ, **sites.env(), "NPSWATCH_DATA_DIR": str(data), "NPSWATCH_SOURCES_DIR": str(sources)}
        first = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        with stopped_on_failure(first):
            wait_for("the first batch of posts stored", lambda: stored_posts(db) > 0)
            first.send_signal(signal.SIGTERM)
            _, log = first.communicate(timeout=60)
        assert first.returncode == 0, log
        [stopped] = history.runs("lowlands_forum")
        assert stopped.result == "interrupted", log
        assert 0 < stopped.items < POSTS_THAT_DAY and jobdir.is_dir()

        second = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        with stopped_on_failure(second):
            finished = ("ok", "failed", "error", "timeout")
            wait_for("the resumed crawl", lambda: history.runs("lowlands_forum")[0].result in finished)
            second.send_signal(signal.SIGTERM)
            _, log = second.communicate(timeout=60)
        assert second.returncode == 0, log
    resumed, interrupted = history.runs("lowlands_forum")
    assert (interrupted.id, interrupted.result) == (stopped.id, "interrupted")
    assert resumed.result == "ok", resumed.message
    assert resumed.pages < 129  # only what the first run had not fetched
    assert not jobdir.exists()
    assert stored_posts(db) == POSTS_THAT_DAY  # every post of the day, each once

    status = subprocess.run([sys.executable, "-m", "npswatch.cli", "status", "--json"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    [row] = json.loads(status.stdout)
    assert row["last_run"]["result"] == "ok" and row["next_run"] is not None
    assert row["health"] == "ok", row["health_detail"]
