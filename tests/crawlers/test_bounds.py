"""Bounds of a crawl: how a Retry-After value is read (crawls: tests/faults/test_hostile_sources_crawl.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawlers.middlewares import retry_after_seconds

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("Mon, 23 Nov 2026 12:00:30 GMT", 30.0),  # IMF-fixdate
        ("Monday, 23-Nov-26 12:01:00 GMT", 60.0),  # RFC 850
        ("Mon Nov 23 12:00:05 2026", 5.0),  # asctime: no zone, GMT
        ("Mon, 23 Nov 2026 11:00:00 GMT", 0.0),  # in the past: no wait
        ("-5", None),
        ("soon", None),
        ("", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(value: str, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds
