"""Every template's spider against the local demo sites, through the real `npswatch crawl`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from demosites.server import SITES, DemoSites
from storage import open_storage
from storage.base import SearchQuery

pytestmark = pytest.mark.slow  # each test crawls in a process of its own: seconds each

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-10-25"  # day 24 of the timeline
NEXT_DAY = "2026-10-26"  # day 25: ketamine prices drop 40% on tulip_bazaar


@dataclass
class Demo:
    env: dict[str, str]
    db: Path
    tmp: Path

    def crawl(self, day: str, *sources: str) -> tuple[int, list[dict[str, Any]]]:
        report = self.tmp / f"report-{day}.json"
        cmd = [sys.executable, "-m", "npswatch.cli", "crawl", *(sources or SITES), "--as-of", day,
               "--db", str(self.db), "--json-report", str(report), "--force"]  # fmt: skip
        done = subprocess.run(cmd, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=240)
        return done.returncode, json.loads(report.read_text())

    def cli(self, *args: str) -> str:
        cmd = [sys.executable, "-m", "npswatch.cli", *args, "--db", str(self.db)]
        return subprocess.run(cmd, env=self.env, cwd=ROOT, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp = tmp_path_factory.mktemp("demo")
    with DemoSites(free_ports=True) as sites:
        env = {**os.environ, **sites.env(), "NPSWATCH_DATA_DIR": str(tmp / "var")}
        yield Demo(env, tmp / "db.sqlite3", tmp)


@pytest.fixture(scope="module")
def first(demo: Demo) -> dict[str, dict[str, Any]]:
    code, reports = demo.crawl(DAY)
    assert code == 0, reports
    return {r["source"]: r for r in reports}


def test_one_day_stores_listings_posts_and_products(first: dict[str, dict[str, Any]]) -> None:
    listings = first["nova_market"]["items"]["listing"] + first["tulip_bazaar"]["items"]["listing"]
    posts = first["lowlands_forum"]["items"]["post"] + first["salon_fr"]["items"]["post"]
    assert listings >= 200 and posts >= 300 and first["chemvendo_shop"]["items"]["listing"] >= 50
    assert first["nova_market"]["items"]["vendor"] >= 15
    assert all(r["store"]["created"] == sum(r["items"].values()) for r in first.values())
    assert all(r["errors"] == {} for r in first.values())
    assert all(r["refused"] == {} for name, r in first.items() if name != "chemvendo_shop")


def test_shop_obeys_robots_txt(demo: Demo, first: dict[str, dict[str, Any]]) -> None:
    import gzip

    from warcio.archiveiterator import ArchiveIterator

    assert first["chemvendo_shop"]["refused"]["robots_txt"] >= 3  # cart, checkout, my-account
    fetched = []
    for warc in (demo.tmp / "var" / "warc" / "chemvendo_shop").glob("*.warc.gz"):
        with gzip.open(warc, "rb") as stream:
            fetched += [
                r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream) if r.rec_type == "response"
            ]
    assert fetched and not [u for u in fetched if any(p in u for p in ("/cart", "/checkout", "/my-account"))]


def test_second_crawl_of_the_same_day_stores_no_duplicate(demo: Demo, first: dict[str, dict[str, Any]]) -> None:
    store = open_storage(demo.db)
    before = store.count()
    store.close()
    code, reports = demo.crawl(DAY)
    assert code == 0
    for report in reports:
        assert report["store"].get("created", 0) == 0 and report["store"].get("observations", 0) == 0
    store = open_storage(demo.db)
    assert store.count() == before
    store.close()


def test_later_day_records_price_changes_in_history(demo: Demo, first: dict[str, dict[str, Any]]) -> None:
    code, _ = demo.crawl(NEXT_DAY, "tulip_bazaar")
    assert code == 0
    store = open_storage(demo.db)
    hits = store.search(SearchQuery(text="ketamine", sources=["tulip_bazaar"], kinds=["listing"], limit=50)).hits
    moved = 0
    for hit in hits:
        history = store.history(hit["id"])
        if len(history) == 2 and history[0].prices and history[1].prices:
            old, new = (float(h.prices[0]["amount"]) for h in history)
            moved += new < old * 0.8
    store.close()
    assert moved >= 1, "no ketamine listing shows the scripted price drop in its history"


def test_search_finds_listings_and_posts_with_facets(demo: Demo, first: dict[str, dict[str, Any]]) -> None:
    result = json.loads(demo.cli("search", "3-mmc", "--json", "--facet", "source", "--facet", "kind"))
    assert result["total"] == sum(result["facets"]["source"].values())
    assert {"listing", "post"} <= set(result["facets"]["kind"])
    assert {"nova_market", "lowlands_forum"} <= set(result["facets"]["source"])
    assert all("mmc" in json.dumps(h).lower() for h in result["hits"])
    everything = json.loads(demo.cli("search", "*", "--json", "--limit", "0"))
    assert everything["total"] >= 550 and everything["hits"] == []
