"""SIGTERM in the middle of a crawl, then `--resume`: nothing lost, nothing duplicated."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from demosites.server import DemoSites
from storage import open_storage
from storage.base import SearchQuery

pytestmark = pytest.mark.slow  # each test crawls in a process of its own: seconds each

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-11-11"


def wait_for_pages(warc_dir: Path, crawl: subprocess.Popen[str], timeout: float = 60) -> None:
    """Return once the crawl has archived a few dozen responses (start-up time varies)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and crawl.poll() is None:
        if sum(p.stat().st_size for p in warc_dir.glob("*.warc.gz")) > 40_000:
            return
        time.sleep(0.1)
    raise AssertionError("the crawl archived nothing in time")


def assert_owner_only(top: Path) -> None:
    """Every directory under ``top`` (itself too) is 0700, every file 0600."""
    modes = {str(p): stat.S_IMODE(p.stat().st_mode) for p in [top, *top.rglob("*")]}
    assert modes == {path: 0o700 if Path(path).is_dir() else 0o600 for path in modes}


def test_interrupted_crawl_resumes_where_it_stopped(tmp_path: Path) -> None:
    source = (ROOT / "crawlers" / "sources" / "lowlands_forum.yml").read_text(encoding="utf-8")
    slow = tmp_path / "lowlands_forum.yml"  # one request at a time, so the crawl is still running when stopped
    slow.write_text(source.replace("concurrency: 8", "concurrency: 1").replace("delay: 0\n", "delay: 0.04\n"))
    assert "concurrency: 1" in slow.read_text() and "delay: 0.04" in slow.read_text()
    db = tmp_path / "db.sqlite3"
    with DemoSites(sites=["lowlands_forum"], free_ports=True) as sites:
        env = {**os.environ, **sites.env(), "NPSWATCH_DATA_DIR": str(tmp_path / "var")}
        cmd = [sys.executable, "-m", "npswatch.cli", "crawl", str(slow), "--as-of", DAY, "--db", str(db), "--resume"]
        first = subprocess.Popen([*cmd, "--json-report", str(tmp_path / "first.json")], env=env, cwd=ROOT,
                                 stderr=subprocess.PIPE, text=True, umask=0o022)  # fmt: skip
        wait_for_pages(tmp_path / "var" / "warc" / "lowlands_forum", first)
        first.send_signal(signal.SIGTERM)
        _, stderr = first.communicate(timeout=60)
        assert first.returncode == 1, stderr
        [stopped] = json.loads((tmp_path / "first.json").read_text())
        assert stopped["finish_reason"] == "shutdown" and 0 < stopped["items"]["post"] < 460
        assert (tmp_path / "var" / "jobs" / "lowlands_forum" / DAY).is_dir()
        assert_owner_only(tmp_path / "var" / "jobs")  # the journal keeps every request, headers and cookies
        second = subprocess.run([*cmd, "--json-report", str(tmp_path / "second.json")], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert second.returncode == 0, second.stderr
    [resumed] = json.loads((tmp_path / "second.json").read_text())
    assert resumed["pages"] < 129  # only what the first run had not fetched
    assert not (tmp_path / "var" / "jobs" / "lowlands_forum" / DAY).exists()
    store = open_storage(db)
    total = store.search(SearchQuery(kinds=["post"], limit=0)).total
    store.close()
    assert total == 460  # every post of the day, each once


def test_max_pages_bounds_the_crawl_across_resumed_runs(tmp_path: Path) -> None:
    """The page budget is the crawl's, not each run's: before, a run resumed with --resume got a fresh max_pages,
    so every stop and resume could fetch max_pages more (two runs here fetched 60 + 60 of the day's 129 pages)."""
    source = (ROOT / "crawlers" / "sources" / "lowlands_forum.yml").read_text(encoding="utf-8")
    bounded = tmp_path / "lowlands_forum.yml"  # one request at a time: the first run is stopped part-way
    bounded.write_text(source.replace("concurrency: 8", "concurrency: 1").replace("delay: 0\n", "delay: 0.04\n")
                       .replace("max_pages: 5000", "max_pages: 60"))  # fmt: skip
    assert "max_pages: 60" in bounded.read_text()
    with DemoSites(sites=["lowlands_forum"], free_ports=True) as sites:
        env = {**os.environ, **sites.env(), "NPSWATCH_DATA_DIR": str(tmp_path / "var")}
        cmd = [sys.executable, "-m", "npswatch.cli", "crawl", str(bounded), "--as-of", DAY, "--db",
               str(tmp_path / "db.sqlite3"), "--resume"]  # fmt: skip
        first = subprocess.Popen([*cmd, "--json-report", str(tmp_path / "first.json")], env=env, cwd=ROOT,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 60
        while _pages(sites) < 20 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGTERM)
        _, stderr = first.communicate(timeout=60)
        before = _pages(sites)
        assert first.returncode == 1 and 20 <= before < 60, stderr  # stopped part-way through its budget
        second = subprocess.run([*cmd, "--json-report", str(tmp_path / "second.json")], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        total = _pages(sites)
    [resumed] = json.loads((tmp_path / "second.json").read_text())
    assert resumed["refused"]["max_pages"] > 0, second.stderr  # the budget ran out in the resumed run
    assert 60 <= total <= 61  # 60 pages in all (a page in flight at the stop may be fetched again)


def _pages(sites: DemoSites) -> int:
    return sum(1 for answer in sites.served if answer.path != "/robots.txt")
