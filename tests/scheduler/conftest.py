"""A controllable clock for APScheduler, a scheduler that runs only when told, and source files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.executors import base as executors_base
from apscheduler.schedulers import base as schedulers_base
from apscheduler.schedulers.base import BaseScheduler

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "crawlers" / "sources"
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


class Clock:
    """The time APScheduler and the CrawlScheduler see; moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class ManualScheduler(BaseScheduler):  # type: ignore[misc]
    """An APScheduler that processes due jobs only when ``tick()`` is called (no thread, no sleeping)."""

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)

    def wakeup(self) -> None:
        """Nothing: the test calls tick()."""

    def tick(self) -> None:
        self._process_jobs()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """APScheduler's idea of now is this clock.  A fake: wall time cannot be moved by days in a test."""
    current = Clock(T0)

    class FakeDatetime(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> FakeDatetime:
            return current.now.astimezone(tz)  # type: ignore[return-value]

    monkeypatch.setattr(schedulers_base, "datetime", FakeDatetime)
    monkeypatch.setattr(executors_base, "datetime", FakeDatetime)
    yield current


def write_source(
    directory: Path, name: str, schedule: str | None = None, replace: dict[str, str] | None = None
) -> Path:
    """A copy of a demo source file, with its schedule (and any text) replaced."""
    text = (SOURCES / f"{name}.yml").read_text(encoding="utf-8")
    if schedule is not None:
        text = re.sub(r"schedule:\n(  .*\n)+", f"schedule: {schedule}\n", text)
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path
