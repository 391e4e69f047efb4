"""The demo sites' fault scenario, crawled by the scheduler's own run: each fault raises its health signal.

Real crawl processes against the demo sites served with ``faults="scenario"`` (demosites.timeline.SCENARIO),
and ChemVendo with HTTP errors and slowness on given days, with a clock set to noon of each simulated day.
The sources are the demo files with a smaller crawl depth (and thresholds to fit) so the whole module stays
within seconds per crawl.  No delivery configuration: the signals go to the Atom feed beside the signal store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from demosites.server import SLOW_SECONDS, DemoSites
from demosites.timeline import SCENARIO, Fault, day_date
from health.history import Run
from scheduler import CrawlScheduler
from signals.delivery.atom import read_ids
from signals.health import open_episodes
from signals.store import SignalStore, signals_path
from tests.clock import Clock
from tests.sources import write_source


@dataclass
class Step:
    """One crawl, and the source's open health signals right after it."""

    run: Run
    open_types: list[str]
    summary: str
    stored_types: list[str]  # the source's signals in the signal store beside the document store
    feed: list[str]  # signal ids in the Atom feed beside the signal store (the default delivery)
    open_ids: list[str]


SMALL = {"max_depth: 6\n": "max_depth: 1\n", "max_depth: 8\n": "max_depth: 1\n", "min_items: 20 ": "min_items: 5 "}


SHOP_FAULTS = (Fault("chemvendo_shop", "errors", (3,)), Fault("chemvendo_shop", "slow", (5,)))


@pytest.fixture(scope="module")
def sites() -> Iterator[dict[str, str]]:
    """The environment naming the sites: four with the demo's scenario, the shop with errors and slowness."""
    with DemoSites(sites=["nova_market", "tulip_bazaar", "lowlands_forum", "salon_fr"], free_ports=True,
                   faults="scenario") as running, DemoSites(sites=["chemvendo_shop"], free_ports=True,
                                                            faults=SHOP_FAULTS) as shop:  # fmt: skip
        yield {**running.env(), **shop.env()}


def crawl_days(tmp: Path, name: str, days: list[int], replace: dict[str, str]) -> list[Step]:
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
        found = open_episodes(db, tmp / "var").get(name, [])
        with SignalStore(signals_path(db)) as store:
            stored = sorted(str(s.type) for s in store.find(subject=name) if s.state != "closed")
        feed = signals_path(db).with_suffix(".atom")
        ids = [i.removeprefix("urn:npswatch:signal:") for i in read_ids(feed)] if feed.exists() else []
        summary = " | ".join(s.summary for s in found)
        steps.append(Step(run, sorted(s.type for s in found), summary, stored, ids, [s.id for s in found]))
    return steps


def _text(name: str) -> str:
    return (Path(__file__).resolve().parents[2] / "crawlers" / "sources" / f"{name}.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def scenario(sites: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Step]]:
    """Every chain of crawls, the sources in parallel threads (each crawl is its own process)."""
    tmp = tmp_path_factory.mktemp("faults")
    cookies = tmp / "lowlands.cookies.txt"
    cookies.write_text("127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc123\n", encoding="utf-8")
    cookies.chmod(0o600)
    days = {f.site: f.days for f in SCENARIO}
    assert days == {"nova_market": (36, 37), "tulip_bazaar": (9, 10, 11), "lowlands_forum": (37,),
                    "salon_fr": (38,)}  # fmt: skip
    chains = {
        "nova_market": ([35, 36], {}),
        "tulip_bazaar": (
            [8, 9, 10, 11],
            {"down_after_failures: 2": "down_after_failures: 2", "gone_after_days: 7": "gone_after_days: 3"},
        ),
        "lowlands_forum": ([37], {"max_depth: 8\n": f"max_depth: 1\ncookies_file: {cookies}\n"}),
        "salon_fr": ([38], {}),
        "chemvendo_shop": (
            [1, 2, 3, 4, 5],
            # four requests at a time: a slow site shows in the duration, well above the crawl's own processing
            {
                "min_items: 10 ": "min_items: 1 ",
                "history_runs: 5 ": "history_runs: 2 ",
                "concurrency: 8": "concurrency: 4",
            },
        ),
    }
    old = {k: os.environ.get(k) for k in [*sites, "NPSWATCH_ALERTS_CONFIG", "NPSWATCH_ENRICH"]}
    os.environ.update({**sites, "NPSWATCH_ENRICH": "0"})  # health needs no extraction: crawls take their own time
    os.environ.pop("NPSWATCH_ALERTS_CONFIG", None)
    try:
        with ThreadPoolExecutor(max_workers=5) as pool:
            futures = {name: pool.submit(crawl_days, tmp, name, d, r) for name, (d, r) in chains.items()}
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


@pytest.mark.slow
def test_health_signals_reach_the_default_atom_feed_without_a_delivery_config(scenario: dict[str, list[Step]]) -> None:
    for name, steps in scenario.items():
        raised = [s for s in steps if s.open_ids]
        assert raised, name
        assert all(set(s.open_ids) <= set(s.feed) for s in raised), name


@pytest.mark.slow
def test_http_errors_on_a_share_of_pages_raise_source_down(scenario: dict[str, list[Step]]) -> None:
    healthy, before, errors, after, _ = scenario["chemvendo_shop"]
    assert healthy.open_types == before.open_types == []
    assert (before.run.result, before.run.availability) == ("ok", "up")
    assert (errors.run.result, errors.run.availability) == ("ok", "up") and errors.run.items > 0
    assert errors.open_types == errors.stored_types == ["source_down"]
    assert "requests failed (HTTP 500: " in errors.summary and "the site is partly down" in errors.summary
    assert after.open_types == [] and (after.run.result, after.run.availability) == ("ok", "up")


@pytest.mark.slow
def test_a_slow_crawl_raises_source_down_and_a_usual_one_does_not(scenario: dict[str, list[Step]]) -> None:
    *_, after, slow = scenario["chemvendo_shop"]
    assert after.open_types == []  # history_runs 2: the duration was already compared on day 4, and passed
    assert slow.open_types == ["source_down"] and "times the median of the last 2 crawls" in slow.summary
    assert slow.run.report["elapsed_seconds"] > 2 * SLOW_SECONDS
