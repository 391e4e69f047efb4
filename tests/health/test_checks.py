"""Health checks on recorded runs: each problem found from the numbers, none on a healthy run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from health.checks import assess, check, crawl_outcome, fill_rates
from health.history import Run, RunHistory
from tests.health.reports import T0, THRESHOLDS, down, history_of, report, run


def test_a_healthy_run_has_no_problem() -> None:
    previous = history_of(*(run(day=d, run_id=d + 1, availability="up") for d in range(4)))
    found = assess(run(day=4, run_id=9), previous, THRESHOLDS, T0 + timedelta(days=4))
    assert (found.availability, found.problems) == ("up", ())


def test_fill_rates_are_filled_pages_over_pages_of_the_type() -> None:
    assert fill_rates(report(20, title=5)) == {"listing": {"title": 0.25, "native_id": 1.0}}


def test_a_field_that_stops_being_filled_is_a_layout_change() -> None:
    found = assess(run(rep=report(20, title=0)), [], THRESHOLDS, T0)
    assert found.state == "layout_change"
    assert "'title' filled on 0% of 20 listing pages" in found.problems[-1].summary


def test_zero_items_from_a_site_that_answered_is_a_layout_change() -> None:
    empty = {"pages": 3, "items": {}, "errors": {}, "http_status": {"200": 3},
             "npswatch_stats": {"npswatch/pages/navigation": 3}}  # fmt: skip
    found = assess(run("failed", empty), [], THRESHOLDS, T0)
    assert (found.availability, found.state) == ("up", "layout_change")
    assert "gave 0 items" in found.problems[0].summary


def test_items_far_below_the_recent_median_are_a_layout_change() -> None:
    previous = history_of(*(run(rep=report(40), day=d, run_id=d + 1, availability="up") for d in range(3)))
    found = assess(run(rep=report(8), day=3, run_id=9), previous, THRESHOLDS, T0 + timedelta(days=3))
    assert found.state == "layout_change" and "median of the last 3 crawls (40)" in found.problems[0].summary


def test_repeated_failures_are_source_down_and_one_is_not() -> None:
    ok = run(day=0, run_id=1, availability="up")
    assert assess(down(1, 2), [ok], THRESHOLDS, T0 + timedelta(days=1)).problems == ()
    found = assess(down(2, 3), history_of(ok, down(1, 2, "down")), THRESHOLDS, T0 + timedelta(days=2))
    assert found.state == "source_down" and found.problems[0].statistics["consecutive_failures"] == 2


def test_a_site_down_for_n_days_is_gone() -> None:
    previous = history_of(run(day=0, run_id=1, availability="up"), down(1, 2, "down"), down(2, 3, "down"))
    found = assess(down(3, 4), previous, THRESHOLDS, T0 + timedelta(days=3))
    assert found.state == "source_gone" and "no successful crawl for 3 days" in found.problems[0].summary


@pytest.mark.parametrize(
    ("rep", "state"),
    [
        (report(0, walls={"captcha": 1}), "blocked"),
        (report(0, walls={"queue": 2}), "blocked"),
        (report(0, walls={"login": 1}), "needs_login"),
        (report(0, session=3), "needs_login"),
    ],
)
def test_walls_and_expired_sessions(rep: dict[str, Any], state: str) -> None:
    found = assess(run("failed", rep), [], THRESHOLDS, T0)
    assert (found.availability, found.state) == (state, state)


def test_a_captcha_on_a_few_pages_of_a_good_crawl_is_not_blocked() -> None:
    assert assess(run(rep=report(20, walls={"captcha": 1})), [], THRESHOLDS, T0).problems == ()


def test_an_interrupted_crawl_is_no_problem() -> None:
    assert assess(run("interrupted", report(2)), [], THRESHOLDS, T0).problems == ()


@pytest.mark.parametrize(
    ("status", "errors", "state", "said"),
    [
        ({"200": 20, "500": 8}, {}, "source_down", "29% of 28 requests failed (HTTP 500: 8; at most 20% expected)"),
        ({"200": 20, "429": 6, "403": 2}, {}, "blocked", "the site refuses or rate-limits the crawler"),
        ({"200": 24}, {"TimeoutError": 9}, "source_down", "27% of 33 requests failed (TimeoutError: 9;"),
    ],
)
def test_a_share_of_failed_requests_above_the_threshold_is_a_problem(
    status: dict[str, int], errors: dict[str, int], state: str, said: str
) -> None:
    found = assess(run(rep=report(20, status=status, errors=errors)), [], THRESHOLDS, T0)
    assert (found.availability, found.state) == ("up", state)
    assert said in found.problems[0].summary, found.problems[0].summary


@pytest.mark.parametrize(
    ("status", "robots"),
    [({"200": 23, "404": 3}, {"404": 1}), ({"200": 4, "404": 1}, {"404": 1}), ({"200": 24, "301": 9}, {})],
)
def test_a_few_errors_robots_txt_and_redirects_are_no_problem(status: dict[str, int], robots: dict[str, int]) -> None:
    assert assess(run(rep=report(20, status=status, robots=robots)), [], THRESHOLDS, T0).problems == ()


def test_a_crawl_far_slower_than_its_recent_median_is_source_down() -> None:
    previous = history_of(*(run(rep=report(seconds=s), day=d, run_id=d + 1, availability="up")
                            for d, s in enumerate((10.0, 12.0, 11.0))))  # fmt: skip
    slow = assess(run(rep=report(seconds=40.0), day=3, run_id=9), previous, THRESHOLDS, T0 + timedelta(days=3))
    assert slow.state == "source_down"
    assert "took 40.0s, 3.6 times the median of the last 3 crawls (11.0s" in slow.problems[0].summary
    usual = assess(run(rep=report(seconds=30.0), day=3, run_id=9), previous, THRESHOLDS, T0 + timedelta(days=3))
    assert usual.problems == ()
    too_soon = assess(run(rep=report(seconds=40.0), day=3, run_id=9), previous[:2], THRESHOLDS, T0)
    assert too_soon.problems == ()  # fewer than history_runs crawls to compare with


def test_a_replayed_day_is_compared_only_with_runs_that_started_before_it(tmp_path: Path) -> None:
    """The demo records each crawl at noon of its simulated day; a second replay starts again at day 0 and must not
    be judged against the first replay's later days (here: a slow first crawl against fast later ones)."""
    history = RunHistory(tmp_path / "runs.sqlite3")

    def record(day: int, seconds: float) -> Run:
        when = T0 + timedelta(days=day)
        run_id = history.start("nova_market", when=when)
        return history.finish(run_id, result="ok", exit_code=0, report=report(seconds=seconds), when=when)

    for day in range(10):
        check(history, record(day, 10.0 if day else 40.0), THRESHOLDS, T0 + timedelta(days=day))
    replay = record(0, 40.0)  # day 0 again, as slow as the first time
    assert history.runs("nova_market", 200, before=replay.started) == []
    assert check(history, replay, THRESHOLDS, T0).problems == ()
    assert [r.started[:10] for r in history.runs("nova_market", 3)] == ["2026-11-11", "2026-11-10", "2026-11-09"]


PAGES = {"npswatch_stats": {"npswatch/pages/listing": 3}, "http_status": {"200": 3}, "finish_reason": "finished"}


@pytest.mark.parametrize(
    ("code", "report", "timed_out", "result", "message"),
    [
        (0, PAGES, False, "ok", None),
        (1, {**PAGES, "finish_reason": "shutdown"}, False, "interrupted", "stopped with the scheduler"),
        (1, PAGES, True, "timeout", "stopped after the 60s crawl timeout"),
        (0, {"http_status": {"503": 8}, "npswatch_stats": {}}, False, "failed", "HTTP 503: 8"),
        (0, {"http_status": {"200": 1}, "npswatch_stats": {"npswatch/walls/captcha": 1}}, False, "failed",
         "captcha wall: 1"),
        (2, {}, False, "error", "no such source"),
    ],
)  # fmt: skip
def test_the_outcome_of_a_crawl(code: int, report: dict[str, Any], timed_out: bool, result: str,
                                message: str | None) -> None:  # fmt: skip
    outcome = crawl_outcome(code, report, timed_out=timed_out, timeout=60, error="no such source 'x'")
    assert outcome.result == result
    assert (outcome.message is None) if message is None else (message in (outcome.message or ""))
