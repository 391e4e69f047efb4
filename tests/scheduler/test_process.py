"""One crawl process: stopped on timeout (SIGTERM, then SIGKILL after the grace)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scheduler import CrawlScheduler
from tests.clock import ManualScheduler

SLEEPER = "import time; time.sleep(30)"
STUBBORN = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(30)"
)


def crawls(tmp_path: Path, **options: Any) -> CrawlScheduler:
    return CrawlScheduler(tmp_path / "var", tmp_path, scheduler=ManualScheduler(), signal_run=False, **options)


def test_a_crawl_past_its_timeout_gets_sigterm(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", SLEEPER])
    started = time.monotonic()
    assert crawls(tmp_path, timeout=0.5, stop_grace=10)._wait(child) is True
    assert child.returncode == -signal.SIGTERM and time.monotonic() - started < 5


def test_a_crawl_that_ignores_sigterm_is_killed_after_the_stop_grace(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    with child.stdout:
        assert crawls(tmp_path, timeout=0.2, stop_grace=0.5)._wait(child) is True
    assert child.returncode == -signal.SIGKILL


def test_stopping_the_scheduler_sigterms_the_crawl_and_is_not_a_timeout(tmp_path: Path) -> None:
    scheduler = crawls(tmp_path, timeout=60, stop_grace=10)
    child = subprocess.Popen([sys.executable, "-c", SLEEPER])
    scheduler.stopping.set()
    assert scheduler._wait(child) is False and child.returncode == -signal.SIGTERM
