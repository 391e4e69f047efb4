"""Health checks on recorded runs: each problem found from the numbers, none on a healthy run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawlers.config import HealthThresholds
from health.checks import assess, fill_rates
from health.history import Run, RunHistory
from health.signals import update_signals

T0 = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
THRESHOLDS = HealthThresholds(min_items=5, min_fill={"listing": {"title": 0.9, "native_id": 0.9}}, max_drop=0.3,
                              history_runs=3, down_after_failures=2, gone_after_days=3, max_error_share=0.2,
                              max_duration_factor=3)  # fmt: skip


def report(listings: int = 20, title: int | None = None, walls: dict[str, int] | None = None,
           session: int = 0, status: dict[str, int] | None = None, errors: dict[str, int] | None = None,
           robots: dict[str, int] | None = None, seconds: float = 10.0) -> dict[str, Any]:  # fmt: skip
    stats = {"npswatch/pages/listing": listings, "npswatch/pages/navigation": 4,
             "npswatch/fields/listing/title": listings if title is None else title,
             "npswatch/fields/listing/native_id": listings}  # fmt: skip
    stats.update({f"npswatch/walls/{k}": v for k, v in (walls or {}).items()})
    if session:
        stats["npswatch/session/logged_out"] = session
    return {"pages": listings + 4, "items": {"listing": listings if title is None else title},
            "errors": errors or {}, "http_status": status or {"200": listings + 4}, "robots_status": robots or {},
            "elapsed_seconds": seconds, "npswatch_stats": stats}  # fmt: skip


def run(result: str = "ok", rep: dict[str, Any] | None = None, day: int = 0, run_id: int = 1,
        availability: str | None = None) -> Run:  # fmt: skip
    rep = report() if rep is None else rep
    items = sum(rep.get("items", {}).values())
    started = (T0 + timedelta(days=day)).isoformat()
    return Run(run_id, "nova_market", started, started, 0 if result == "ok" else 1, result, availability,
               int(rep.get("pages", 0)), items, 0, None, None, rep)  # fmt: skip


def history_of(*runs: Run) -> list[Run]:
    return list(reversed(runs))  # newest first, as RunHistory.runs gives them


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


def down(day: int, run_id: int, availability: str | None = None) -> Run:
    rep = {"pages": 4, "items": {}, "errors": {}, "http_status": {"503": 4}, "npswatch_stats": {}}
    return run("failed", rep, day=day, run_id=run_id, availability=availability)


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


def test_signals_are_one_per_episode_and_close_on_recovery(tmp_path: Path) -> None:
    history = RunHistory(tmp_path / "runs.sqlite3")
    previous: list[Run] = []
    ids = []
    for day in range(1, 4):
        failed = down(day, day)
        found = assess(failed, previous, THRESHOLDS, T0 + timedelta(days=day))
        ids += [s.id for s in update_signals(history, failed, found, T0 + timedelta(days=day))[0]]
        previous.insert(0, down(day, day, "down"))
    [signal] = history.signals("nova_market")  # day 1: not yet; days 2 and 3: the same episode
    assert signal.type == "source_down" and ids == [signal.id, signal.id] and signal.first_seen == "2026-11-04"
    assert signal.last_seen == "2026-11-05" and signal.counts == {"runs": 2}
    healthy = run(day=4, run_id=9)
    update_signals(history, healthy, assess(healthy, previous, THRESHOLDS, T0 + timedelta(days=4)), T0)
    assert history.signals("nova_market", open_only=True) == []
    assert history.signals("nova_market")[0].state == "closed"


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


def test_a_partial_outage_closes_when_the_requests_succeed_again(tmp_path: Path) -> None:
    history = RunHistory(tmp_path / "runs.sqlite3")
    failing = run(rep=report(20, status={"200": 20, "503": 10}), run_id=1)
    [signal], _ = update_signals(history, failing, assess(failing, [], THRESHOLDS, T0), T0)
    assert signal.type == "source_down" and signal.statistics["problems"][0]["failed"] == {"HTTP 503": 10}
    healthy = run(day=1, run_id=2)
    _, [closed] = update_signals(history, healthy, assess(healthy, [], THRESHOLDS, T0), T0 + timedelta(days=1))
    assert closed.id == signal.id and history.signals("nova_market", open_only=True) == []


def test_a_replayed_day_is_compared_only_with_runs_that_started_before_it(tmp_path: Path) -> None:
    """The demo records each crawl at noon of its simulated day; a second replay starts again at day 0 and must not
    be judged against the first replay's later days (here: a slow first crawl against fast later ones)."""
    from health.signals import check_run

    history = RunHistory(tmp_path / "runs.sqlite3")

    def record(day: int, seconds: float) -> Run:
        when = T0 + timedelta(days=day)
        run_id = history.start("nova_market", when=when)
        return history.finish(run_id, result="ok", exit_code=0, report=report(seconds=seconds), when=when)

    store = str(tmp_path / "db")
    for day in range(10):
        check_run(history, record(day, 10.0 if day else 40.0), THRESHOLDS, T0 + timedelta(days=day), store)
    replay = record(0, 40.0)  # day 0 again, as slow as the first time
    assert history.runs("nova_market", 200, before=replay.started) == []
    assessment, changed, _ = check_run(history, replay, THRESHOLDS, T0, store)
    assert assessment.problems == () and changed == []
    assert [r.started[:10] for r in history.runs("nova_market", 3)] == ["2026-11-11", "2026-11-10", "2026-11-09"]
