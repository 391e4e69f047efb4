"""The ``clock`` fixture: APScheduler's idea of now, moved by the test (tests/clock.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from apscheduler.executors import base as executors_base
from apscheduler.schedulers import base as schedulers_base

from tests.clock import T0, Clock


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
