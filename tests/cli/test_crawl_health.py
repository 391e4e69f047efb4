"""Health for every crawl: a crawl started by hand (``npswatch crawl``) is recorded in the run history and checked
like a scheduled one, and ``npswatch status`` shows it.  Real crawls, each in its own process, of the demo's Tulip
Bazaar with the demo's fault scenario (an outage on days 9 to 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from demosites.server import DemoSites
from demosites.timeline import day_date
from tests.sources import ROOT, write_source

pytestmark = pytest.mark.slow
SMALL = {"max_depth: 6\n": "max_depth: 1\n", "min_items: 20 ": "min_items: 5 "}  # a few pages per crawl


def npswatch(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env, "NPSWATCH_DATA_DIR": str(tmp_path / "var"), "NPSWATCH_SOURCES_DIR": str(tmp_path),
           "NPSWATCH_DB": str(tmp_path / "db.sqlite3"), "NPSWATCH_ENRICH": "0"}  # fmt: skip
    for name in ("NPSWATCH_SIGNALS_DB", "NPSWATCH_ALERTS_CONFIG"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "npswatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=180)  # fmt: skip


def status(tmp_path: Path) -> dict[str, Any]:
    done = npswatch(tmp_path, {}, "status", "--json")
    assert done.returncode == 0, done.stderr
    [row] = json.loads(done.stdout)
    return dict(row)


def test_a_crawl_by_hand_is_recorded_checked_and_shown_by_status(tmp_path: Path) -> None:
    source = write_source(tmp_path, "tulip_bazaar", replace=SMALL)
    with DemoSites(sites=["tulip_bazaar"], free_ports=True, faults="scenario") as site:
        crawled = [npswatch(tmp_path, site.env(), "crawl", str(source), "--as-of", day_date(day).isoformat())
                   for day in (8, 9, 10)]  # fmt: skip
    assert [c.returncode for c in crawled] == [0, 1, 1], crawled[0].stderr
    assert "health: ok (ok, up)" in crawled[0].stderr
    assert "health: source_down (failed, down)" in crawled[2].stderr  # two failed crawls in a row
    row = status(tmp_path)
    assert (row["last_run"]["result"], row["last_run"]["as_of"], row["health"]) == ("failed", "2026-10-11",
                                                                                   "source_down")  # fmt: skip
    assert row["availability"] == {"up": 1, "down": 2, "blocked": 0, "needs_login": 0}
    assert [(s["type"], s["first_seen"]) for s in row["open_signals"]] == [("source_down", "2026-10-11")]
    assert row["next_run"] is None  # no scheduler ever ran here
    listed = npswatch(tmp_path, {}, "signals", "list", "--json", "--type", "source_down")
    assert [s["subject"] for s in json.loads(listed.stdout)] == ["tulip_bazaar"]
    assert (tmp_path / "db.signals.atom").exists()  # delivered to the default feed beside the signal store
