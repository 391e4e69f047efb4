"""Hostile source files: one bad file is reported and skipped by every command that reads all sources.

Each bad file below once crashed `sources list`, `status`, `tor status` and `schedule` with a traceback (so no
source was crawled), or took a minute and gigabytes to load (the YAML bomb).  Now each is refused with its file,
line and reason, quickly, and the good source next to it is listed, shown and scheduled.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from crawlers.config import SOURCES_DIR, SourceError, load_source
from tests.crawlers.tor.network import free_port

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]
GOOD = "nova_market"
_DEMO = (SOURCES_DIR / f"{GOOD}.yml").read_text(encoding="utf-8")


def _bomb() -> str:
    """Ten lines whose aliases expand to 10^10 nodes (billion laughs)."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def _demo_with(old: str, new: str) -> str:
    assert old in _DEMO, old
    return _DEMO.replace(old, new, 1)


# name -> (file text with {name} for its name, what the one-line problem says)
BAD: dict[str, tuple[str, str]] = {
    "bad_page_regex": (_demo_with("url: /listing/\\d+", "url: /listing/(\\d+"), ":50: pages.listing.url: "),
    "deep_nesting": ("name: {name}\nx: " + "[" * 5000 + "]" * 5000 + "\n", ":2: (file): expected at most 20 levels"),
    "yaml_bomb": ("name: {name}\n" + _bomb(), "aliases expand to more than 20000 nodes"),
    "bad_follow_css": (_demo_with("  - a.vendor  ", "  - a.vendor[  "), ": follow.3: 'a.vendor[' is not a valid CSS"),
    "bad_field_xpath": (
        _demo_with("{css: p.fingerprint code::text}", "{xpath: '//a['}"),
        ": pages.vendor.fields.pgp_fingerprint.xpath: '//a[' is not a valid XPath",
    ),
    "lookahead_deny": (_demo_with("  - /logout\n", "  - '/log(?=out)'\n"), ": deny.0: "),
    "bad_cron": (
        re.sub(r"schedule:\n(  .*\n)+", "schedule: {cron: '0 25 * * *'}\n", _DEMO),
        ": schedule: expected a crontab",
    ),
}


@pytest.fixture(scope="module")
def sources_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sources")
    (directory / f"{GOOD}.yml").write_text(_DEMO, encoding="utf-8")
    for name, (text, _) in BAD.items():
        body = text.replace("{name}", name).replace(f"name: {GOOD}", f"name: {name}")
        (directory / f"{name}.yml").write_text(body, encoding="utf-8")
    return directory


def run(sources_dir: Path, data: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NPSWATCH_SOURCES_DIR": str(sources_dir), "NPSWATCH_DATA_DIR": str(data),
           "NPSWATCH_TOR_CONTROL_PORTS": str(free_port()), "NPSWATCH_TOR_SOCKS_PORTS": str(free_port()),
           "NPSWATCH_TOR_LAUNCH": "0"}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "npswatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def _problem(sources_dir: Path, name: str) -> str:
    with pytest.raises(SourceError) as caught:
        load_source(sources_dir / f"{name}.yml")
    [problem] = caught.value.problems
    return problem


@pytest.mark.parametrize("name", list(BAD))
def test_each_bad_file_is_refused_with_file_line_and_reason(sources_dir: Path, name: str) -> None:
    problem = _problem(sources_dir, name)
    assert problem.startswith(f"{sources_dir / name}.yml:") and BAD[name][1] in problem, problem


def test_sources_list_reports_each_bad_file_and_lists_the_good_one(sources_dir: Path, tmp_path: Path) -> None:
    done = run(sources_dir, tmp_path, "sources", "list")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2  # invalid files: exit 2, after listing everything
    assert f"{len(BAD)} invalid source file(s)" in done.stderr
    rows = {line.split()[1]: line for line in done.stdout.splitlines() if line.startswith("│ ")}
    assert "every 1d" in rows[GOOD]
    assert all("invalid" in rows[name] for name in BAD), rows


def test_status_shows_the_good_source_and_each_bad_file_with_its_problem(sources_dir: Path, tmp_path: Path) -> None:
    done = run(sources_dir, tmp_path, "status", "--json")
    assert done.returncode == 0, done.stderr
    rows = {row["source"]: row for row in json.loads(done.stdout)}
    assert rows[GOOD]["valid"] is True and rows[GOOD]["schedule"] == "every 1d"
    for name in BAD:
        assert rows[name]["valid"] is False and BAD[name][1] in rows[name]["problem"]


def test_tor_status_skips_the_bad_files_saying_so(sources_dir: Path, tmp_path: Path) -> None:
    done = run(sources_dir, tmp_path, "tor", "status", "--json")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1  # no Tor here: not ready, but the report is whole
    assert json.loads(done.stdout)["ready"] is False
    for name in BAD:
        assert f"skipped {sources_dir / name}.yml:" in done.stderr


def test_schedule_schedules_the_good_source_and_names_each_bad_file(sources_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NPSWATCH_SOURCES_DIR": str(sources_dir), "NPSWATCH_DATA_DIR": str(tmp_path)}
    scheduler = subprocess.Popen([sys.executable, "-m", "npswatch.cli", "schedule"], env=env, cwd=ROOT,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in scheduler.stderr or ()], daemon=True)
    reader.start()
    log = ""
    try:
        while f"{GOOD}: next run" not in log and scheduler.poll() is None:
            log += lines.get(timeout=60)
        time.sleep(2)  # its signal handlers are installed just after it logs the next runs
    finally:
        scheduler.send_signal(signal.SIGINT)
        scheduler.wait(timeout=60)
        reader.join(timeout=10)
        if scheduler.stderr is not None:
            scheduler.stderr.close()
    while not lines.empty():
        log += lines.get()
    assert "Traceback" not in log, log
    assert f"{GOOD}: next run" in log and scheduler.returncode == 0, log
    for name in BAD:
        assert f"{name}: not scheduled: {sources_dir / name}.yml:" in log


@pytest.mark.parametrize("name", ["yaml_bomb", "deep_nesting"])
def test_bombs_and_deep_nesting_are_refused_at_once_without_building_them(sources_dir: Path, name: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(SourceError):
        load_source(sources_dir / f"{name}.yml")
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 1 and peak < 20 * 1024 * 1024, (seconds, peak)  # the bomb was 60 s and 2.9 GB


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: x\n" + "y: " + "a" * (300 * 1024) + "\n", ":1: (file): expected at most 262144 bytes"),
        ("name: x\nkeys: &k {a: 1}\nmore: {<<: *k, b: 2}\nz: *nowhere\n", ":4: YAML: alias *nowhere names no complete"),
        ("name: x\nself: &s [*s]\n", ":2: YAML: alias *s names no complete anchor"),
        ("name: x\n\x07bell: 1\n", "YAML"),
    ],
)
def test_other_malformed_files_fail_with_one_line_each(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_source(path)
    [problem] = caught.value.problems
    assert expected in problem, problem
