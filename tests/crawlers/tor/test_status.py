"""Per-source status: an unreachable onion backs off (doubling, capped); one fetched page makes it up again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawlers.tor.status import SourceStatus, StatusStore

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_failed_crawls_back_off_doubling_up_to_the_cap() -> None:
    status = SourceStatus("hidden_market")
    waits = []
    for n in range(5):
        at = T0 + timedelta(hours=n)
        status.record_crawl(0, "DownloadConnectionRefusedError: Host unreachable", base=900, cap=3600, at=at)
        waits.append((datetime.fromisoformat(status.next_try or "") - at).total_seconds())
    assert waits == [900, 1800, 3600, 3600, 3600]
    assert status.state == "down" and status.down_since == T0.isoformat() and status.failures == 5
    assert status.last_error == "DownloadConnectionRefusedError: Host unreachable"
    assert status.backing_off(T0 + timedelta(hours=4, minutes=30))
    assert not status.backing_off(T0 + timedelta(hours=6))


def test_one_fetched_page_makes_the_source_up_again() -> None:
    status = SourceStatus("hidden_market")
    status.record_crawl(0, "Host unreachable", base=900, cap=3600, at=T0)
    status.record_crawl(12, None, base=900, cap=3600, at=T0 + timedelta(hours=1))
    assert (status.state, status.down_since, status.failures, status.next_try) == ("up", None, 0, None)
    assert status.last_error == "Host unreachable"  # kept for `npswatch tor status`
    assert not status.backing_off(T0)


def test_zero_base_turns_backoff_off() -> None:
    status = SourceStatus("hidden_market")
    status.record_crawl(0, "Host unreachable", base=0, cap=3600, at=T0)
    assert status.state == "down" and status.next_try is None and not status.backing_off(T0)


def test_store_keeps_each_source_and_survives_a_reload(tmp_path: Path) -> None:
    store = StatusStore(tmp_path / "tor" / "status.json")
    with store.edit("a_market") as status:
        status.record_crawl(3, None, 900, 3600, at=T0)
        status.walls = {"captcha": 2}
    with store.edit("b_market") as status:
        status.record_crawl(0, "Host unreachable", 900, 3600, at=T0)
    loaded = StatusStore(tmp_path / "tor" / "status.json").load()
    assert loaded["a_market"].state == "up" and loaded["a_market"].walls == {"captcha": 2}
    assert loaded["b_market"].state == "down"
    assert store.get("unknown_market") == SourceStatus("unknown_market")
