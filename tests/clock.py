"""Time the tests move: a clock for APScheduler and the CrawlScheduler, and an APScheduler run by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # the tests' first moment: a Monday, 08:00 UTC


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
