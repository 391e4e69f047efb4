"""The demo's health expectations: which signal each scripted fault must raise on the crawled days, and the check."""

from __future__ import annotations

import pytest

from crawlers.config import Source, find_source
from demosites.demo import demo_days
from demosites.demo_health import Episode, compare, expectations, fault_days
from demosites.timeline import SCENARIO, START, Fault

SOURCES: dict[str, Source] = {name: find_source(name) for name in {f.site for f in SCENARIO}}


def test_the_scenario_expects_one_signal_per_fault_over_the_whole_span() -> None:
    found, short = expectations(SCENARIO, demo_days(START, 42), SOURCES)
    assert short == []
    assert [(e.fault.site, e.type, e.from_day, e.to_day) for e in found] == [
        ("tulip_bazaar", "source_down", "2026-10-11", "2026-10-12"),  # the second failed crawl: down_after_failures 2
        ("nova_market", "layout_change", "2026-11-06", "2026-11-07"),
        ("lowlands_forum", "needs_login", "2026-11-07", "2026-11-07"),
        ("salon_fr", "blocked", "2026-11-08", "2026-11-08"),
    ]


@pytest.mark.parametrize(
    ("days", "step", "expected", "too_short"),
    [
        (10, 1, [], ["tulip_bazaar"]),  # day 9 only: one failed crawl is not yet source_down
        (42, 7, [], []),  # days 0, 7, ... 35: no fault day crawled
        (42, 2, ["nova_market", "salon_fr"], ["tulip_bazaar"]),  # days 10, 36 and 38: one outage day only
    ],
)
def test_expectations_follow_the_crawled_days(days: int, step: int, expected: list[str], too_short: list[str]) -> None:
    found, short = expectations(SCENARIO, demo_days(START, days, step), SOURCES)
    assert [e.fault.site for e in found] == expected
    assert [f.site for f in short] == too_short


def episode(type_: str, source: str, day: str) -> Episode:
    return Episode(f"{type_}{source}{day}", type_, source, day, day, "summary")


def test_compare_matches_each_fault_with_the_signal_it_raised_and_reports_the_rest() -> None:
    found, short = expectations(SCENARIO, demo_days(START, 42), SOURCES)
    raised = [episode("source_down", "tulip_bazaar", "2026-10-11"), episode("blocked", "salon_fr", "2026-11-08"),
              episode("layout_change", "nova_market", "2026-11-06"), episode("layout_change", "salon_fr", "2026-10-20"),
              episode("needs_login", "lowlands_forum", "2026-11-08")]  # fmt: skip
    result = compare(found, short, raised)
    assert [(w.fault.site, e.first_day) for w, e in result.matched] == [
        ("tulip_bazaar", "2026-10-11"),
        ("nova_market", "2026-11-06"),
        ("salon_fr", "2026-11-08"),
    ]
    assert [w.fault.site for w in result.missing] == ["lowlands_forum"]  # raised a day late: not the fault's
    assert [(e.type, e.source) for e in result.unexpected] == [
        ("layout_change", "salon_fr"),
        ("needs_login", "lowlands_forum"),
    ]
    assert not result.ok
    assert compare(found, short, [*raised[:3], episode("needs_login", "lowlands_forum", "2026-11-07")]).ok


def test_an_unscripted_slow_crawl_is_shown_but_does_not_fail_the_demo() -> None:
    found, short = expectations(SCENARIO, demo_days(START, 42), SOURCES)
    scripted = [episode("source_down", "tulip_bazaar", "2026-10-11"), episode("blocked", "salon_fr", "2026-11-08"),
                episode("layout_change", "nova_market", "2026-11-06"),
                episode("needs_login", "lowlands_forum", "2026-11-07")]  # fmt: skip
    slow = Episode("s", "source_down", "salon_fr", "2026-10-20", "2026-10-20", "took 12s", slow_only=True)
    result = compare(found, short, [*scripted, slow])
    assert result.unexpected == [slow] and result.ok
    down = Episode("d", "source_down", "salon_fr", "2026-10-20", "2026-10-20", "2 failed crawls")
    assert not compare(found, short, [*scripted, down]).ok


def test_fault_days_read_as_a_range_or_a_list() -> None:
    assert (fault_days((9, 10, 11)), fault_days((38,)), fault_days((3, 7))) == ("9-11", "38", "3,7")
    assert Fault("x", "outage", (1,)).days == (1,)
