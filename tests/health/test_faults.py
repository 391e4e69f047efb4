"""The demo sites' fault scenario, crawled by the scheduler's own run: each fault raises its health signal.

Real crawl processes against the demo sites served with ``faults="scenario"`` (demosites.timeline.SCENARIO),
with a clock set to noon of each simulated day.  The sources are the demo files with a smaller crawl depth
(and thresholds to fit) so the whole module stays within seconds per crawl.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from alerts.store import SignalStore, signals_path
from demosites.server import DemoSites
from demosites.timeline import SCENARIO, day_date
from health.history import Run
from scheduler import CrawlScheduler
from tests.scheduler.conftest import Clock, write_source


@dataclass
class Step:
    """One crawl, and the source's open health signals right after it."""

    run: Run
    open_types: list[str]
    summary: str
    stored_types: list[str]  # the source's signals in the signal store beside the document store


SMALL = {"max_depth: 6\n": "max_depth: 1\n", "max_depth: 8\n": "max_depth: 1\n", "min_items: 20 ": "min_items: 5 "}


@pytest.fixture(scope="module")
def sites() -> Iterator[DemoSites]:
    with DemoSites(sites=["nova_market", "tulip_bazaar", "lowlands_forum", "salon_fr"], free_ports=True,
                   faults="scenario") as running:  # fmt: skip
        yield running


def crawl_days(tmp: Path, sites: DemoSites, name: str, days: list[int], replace: dict[str, str]) -> list[Step]:
    """Crawl ``name`` as of each day, in order, the clock at noon of the day; oldest first."""
    source_dir = tmp / name
    write_source(source_dir, name, replace={k: v for k, v in {**SMALL, **replace}.items() if k in _text(name)})
    clock = Clock(datetime.combine(day_date(days[0]), time(12), UTC))
    db = str(tmp / f"{name}.sqlite3")
    crawls = CrawlScheduler(tmp / "var", source_dir, clock=clock, db=db, signal_run=False)
    steps = []
    for day in days:
        clock.now = datetime.combine(day_date(day), time(12), UTC)
        crawls.as_of = day_date(day).isoformat()
        run = crawls.run_source(name)
        assert run is not None
        found = crawls.history.signals(name, open_only=True)
        with SignalStore(signals_path(db)) as store:
            stored = sorted(str(s.type) for s in store.find(subject=name) if s.state != "closed")
        steps.append(Step(run, sorted(s.type for s in found), " | ".join(s.summary for s in found), stored))
    return steps


def _text(name: str) -> str:
    return (Path(__file__).resolve().parents[2] / "crawlers" / "sources" / f"{name}.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scenario(sites: DemoSites, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Step]]:
    """Every chain of crawls, the sources in parallel threads (each crawl is its own process)."""
    tmp = tmp_path_factory.mktemp("faults")
    cookies = tmp / "lowlands.cookies.txt"
    cookies.write_text("127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc123\n", encoding="utf-8")
    cookies.chmod(0o600)
    days = {f.site: f.days for f in SCENARIO}
    assert days == {"nova_market": (36, 37), "tulip_bazaar": (26, 27, 28, 29), "lowlands_forum": (37,),
                    "salon_fr": (38,)}  # fmt: skip
    chains = {
        "nova_market": ([35, 36], {}),
        "tulip_bazaar": (
            [25, 26, 27, 28],
            {"down_after_failures: 2": "down_after_failures: 2", "gone_after_days: 7": "gone_after_days: 3"},
        ),
        "lowlands_forum": ([37], {"max_depth: 8\n": f"max_depth: 1\ncookies_file: {cookies}\n"}),
        "salon_fr": ([38], {}),
    }
    old = {k: os.environ.get(k) for k in sites.env()}
    os.environ.update(sites.env())
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {name: pool.submit(crawl_days, tmp, sites, name, d, r) for name, (d, r) in chains.items()}
            return {name: future.result() for name, future in futures.items()}
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.mark.slow
def test_a_healthy_crawl_raises_nothing(scenario: dict[str, list[Step]]) -> None:
    for name in ("nova_market", "tulip_bazaar"):
        healthy = scenario[name][0]
        assert (healthy.run.result, healthy.run.availability) == ("ok", "up"), healthy.run.message
        assert healthy.run.items > 5 and healthy.open_types == [] and healthy.stored_types == []


@pytest.mark.slow
def test_a_layout_change_raises_layout_change(scenario: dict[str, list[Step]]) -> None:
    changed = scenario["nova_market"][1]
    assert changed.run.availability == "up" and changed.run.report["npswatch_stats"]["npswatch/pages/listing"] > 0
    assert changed.open_types == changed.stored_types == ["layout_change"]
    assert "field 'title' filled on 0% of" in changed.summary


@pytest.mark.slow
def test_an_outage_is_down_after_two_failures_and_gone_after_three_days(scenario: dict[str, list[Step]]) -> None:
    _, first, second, third = scenario["tulip_bazaar"]
    assert [s.run.availability for s in (first, second, third)] == ["down", "down", "down"]
    assert [s.run.result for s in (first, second, third)] == ["failed"] * 3
    assert "HTTP 503" in (first.run.message or "")
    assert first.open_types == []
    assert second.open_types == second.stored_types == ["source_down"]
    assert third.open_types == third.stored_types == ["source_down", "source_gone"]
    assert "no successful crawl for 3 days" in third.summary


@pytest.mark.slow
def test_an_expired_session_raises_needs_login(scenario: dict[str, list[Step]]) -> None:
    [expired] = scenario["lowlands_forum"]
    assert expired.run.availability == "needs_login"
    assert expired.run.report["npswatch_stats"]["npswatch/session/logged_out"] >= 1
    assert expired.open_types == expired.stored_types == ["needs_login"]
    assert "export fresh cookies" in expired.summary


@pytest.mark.slow
def test_a_captcha_raises_blocked(scenario: dict[str, list[Step]]) -> None:
    [captcha] = scenario["salon_fr"]
    assert captcha.run.availability == "blocked"
    assert captcha.run.report["npswatch_stats"]["npswatch/walls/captcha"] >= 1
    assert captcha.open_types == captcha.stored_types == ["blocked"]
