"""Spike guard: one vendor's new listings are not a market's rise (``spike.max_vendor_share``, docs/signals.md)."""

from __future__ import annotations

from datetime import date, timedelta

from signals.config import RunConfig
from signals.detect import detect_spikes
from signals.series import Record, Sight, StoreSeries, SubjectInfo

START = date(2027, 1, 4)
DAYS = 30


def listing(doc_id: str, vendor: str, first: int, last: int = DAYS - 1) -> Record:
    sights = [Sight(START + timedelta(days=d), "t", None, (20.0,)) for d in range(first, last + 1)]
    return Record(doc_id, "listing", "m", f"https://m.example/{doc_id}", ["ketamine"], market="M", vendor=vendor,
                  sights=sights)  # fmt: skip


def spikes(extra: list[Record]) -> list[str]:
    usual = [listing(f"base-{v}-{k}", f"v{v}", 0) for v in range(5) for k in range(2)]  # 5 vendors, 2 each
    data = StoreSeries(usual + extra, {"ketamine": SubjectInfo("ketamine", True)}, START + timedelta(days=DAYS - 1))
    return [f"{d.subject} {d.day}" for d in detect_spikes(data, START + timedelta(days=10), RunConfig())]


def test_listings_tripling_over_several_vendors_is_a_spike() -> None:
    new = [listing(f"new-{v}-{k}", f"v{v}", 25) for v in range(5) for k in range(4)]  # each vendor adds 4
    assert spikes(new)[:1] == [f"ketamine {START + timedelta(days=25)}"]


def test_one_vendor_flooding_the_market_is_no_spike() -> None:
    flood = [listing(f"flood-{k}", "v0", 25) for k in range(20)]  # one vendor puts up 20 listings on day 25
    assert spikes(flood) == []


def test_without_the_guard_the_flood_is_a_spike() -> None:
    flood = [listing(f"flood-{k}", "v0", 25) for k in range(20)]
    usual = [listing(f"base-{v}-{k}", f"v{v}", 0) for v in range(5) for k in range(2)]
    data = StoreSeries(usual + flood, {"ketamine": SubjectInfo("ketamine", True)}, START + timedelta(days=DAYS - 1))
    config = RunConfig.model_validate({"spike": {"max_vendor_share": 1.0}})
    found = detect_spikes(data, START + timedelta(days=10), config)
    assert found and found[0].day == START + timedelta(days=25)
