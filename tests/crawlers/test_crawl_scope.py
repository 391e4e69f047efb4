"""A real crawl of a small hostile site: it stays inside its source, archives, drops and counts."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.httpsite import Route, serve
from tests.sources import HEALTH

pytestmark = pytest.mark.slow  # each test crawls in a process of its own: seconds each

ROOT = Path(__file__).resolve().parents[2]

SOURCE = (
    """\
name: hostile_market
template: market
title: Hostile Market
start_urls: ["{url}/"]
politeness: {{delay: 0, concurrency: 4, autothrottle: false}}
deny: ['/logout']
pages:
  listing:
    url: '/listing/\\d+'
    fields:
      native_id: {{from_url: '/listing/(\\d+)'}}
      title: {{css: 'h1::text'}}
      vendor: {{css: '.vendor::text'}}
      prices:
        css: 'tr.tier'
        fields:
          quantity: {{css: '.q::text'}}
          price: {{css: '.p::text', many: true}}
"""
    + HEALTH
)


def listing(title: str, price: str) -> str:
    return (f"<html><h1>{title}</h1><span class=vendor>v1</span><table><tr class=tier><td class=q>1g</td>"
            f"<td class=p>{price}</td><td class=p>0.0006 BTC</td></tr></table></html>")  # fmt: skip


def crawl(
    tmp_path: Path, source_file: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[int, list[dict[str, Any]], str]:
    report = tmp_path / "report.json"
    env = {**os.environ, "NPSWATCH_DATA_DIR": str(tmp_path / "var"), **(env or {})}
    cmd = [sys.executable, "-m", "npswatch.cli", "crawl", str(source_file), "--db", str(tmp_path / "db.sqlite3"),
           "--json-report", str(report), "--force", *args]  # fmt: skip
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    return done.returncode, json.loads(report.read_text()) if report.exists() else [], done.stderr


def test_crawl_stays_in_scope_archives_and_counts(tmp_path: Path) -> None:
    with serve({"/trap": Route("trap"), "/": Route("elsewhere")}) as other:
        pages = {
            "/": Route(f"""<a href="/listing/1">1</a> <a href="/listing/2">2</a> <a href="/logout">out</a>
                <a href="{other.url}/trap">other port</a> <a href="http://localhost:{other.url.rsplit(":", 1)[1]}/trap">
                localhost</a> <a href="http://127.0.0.2:9/x">loopback</a> <a href="/redirect">away</a>"""),
            "/listing/1": Route(listing("Pure 3-MMC &lt;script&gt;alert(1)&lt;/script&gt;", "€1.234,50")),
            "/listing/2": Route("<html><p>broken, no title<table><tr><td>"),
            "/redirect": Route(status=302, headers={"Location": f"{other.url}/trap-redirect"}),
        }
        with serve(pages) as site:
            source = tmp_path / "hostile_market.yml"
            source.write_text(SOURCE.format(url=site.url), encoding="utf-8")
            code, [report], stderr = crawl(tmp_path, source)
            paths = [p for p, _ in site.requests]
        assert other.requests == [], "a request left the source's scope"
    assert code == 0, stderr
    assert "/logout" not in paths
    assert report["items"] == {"listing": 1}
    assert report["dropped"] == {"drop/listing/missing_title": 1}
    # the other port, localhost, 127.0.0.2 and the redirect: all loopback, all outside the source's host:port
    assert report["refused"] == {"private_address": 4}
    assert report["store"]["created"] == 1
    warcs = list((tmp_path / "var" / "warc" / "hostile_market").glob("*.warc.gz"))
    assert len(warcs) == 1
    with gzip.open(warcs[0], "rb") as stream:
        records = {r.rec_headers.get_header("WARC-Record-ID"): r.rec_headers.get_header("WARC-Target-URI")
                   for r in ArchiveIterator(stream) if r.rec_type == "response"}  # fmt: skip
    from storage import open_storage

    store = open_storage(tmp_path / "db.sqlite3")
    [hit] = store.search(__import__("storage.base", fromlist=["SearchQuery"]).SearchQuery(text="3-mmc")).hits
    store.close()
    assert records[hit["warc_record_id"]] == f"{site.url}/listing/1"
    assert hit["title"] == "Pure 3-MMC <script>alert(1)</script>"
    assert hit["prices"][0] == {"amount": "1234.50", "currency": "EUR", "text": "€1.234,50", "quantity": "1g"}


def test_unreachable_site_fails_with_an_error_summary(tmp_path: Path) -> None:
    with serve({}) as site:
        dead = site.url  # the server stops when the block ends: nothing listens there any more
    source = tmp_path / "hostile_market.yml"
    source.write_text(SOURCE.format(url=dead), encoding="utf-8")
    code, [report], stderr = crawl(tmp_path, source)
    assert code == 1
    assert report["ok"] is False and report["errors"]
    assert "FAILED hostile_market" in stderr and "errors:" in stderr


def test_malformed_source_file_exits_2_naming_the_file(tmp_path: Path) -> None:
    source = tmp_path / "hostile_market.yml"
    source.write_text("name: hostile_market\ntemplate: [market\n", encoding="utf-8")
    code, _, stderr = crawl(tmp_path, source)
    assert code == 2
    assert f"{source}:" in stderr and "YAML syntax" in stderr


def test_as_of_header_is_sent_only_when_asked(tmp_path: Path) -> None:
    with serve({"/": Route("<p>empty</p>")}) as site:
        source = tmp_path / "hostile_market.yml"
        source.write_text(SOURCE.format(url=site.url), encoding="utf-8")
        crawl(tmp_path, source)
        crawl(tmp_path, source, "--as-of", "2026-10-05")
        seen = [headers.get("X-Npswatch-As-Of") for path, headers in site.requests if path == "/"]
    assert seen == [None, "2026-10-05"]


def test_a_site_answering_only_errors_fails_the_crawl(tmp_path: Path) -> None:
    with serve({"/": Route("Service Unavailable", 503), "/robots.txt": Route("", 503)}) as site:
        source = tmp_path / "hostile_market.yml"
        source.write_text(SOURCE.format(url=site.url), encoding="utf-8")
        code, [report], stderr = crawl(tmp_path, source)
    assert code == 1
    assert report["ok"] is False and report["http_status"]["503"] >= 1
    assert "FAILED hostile_market" in stderr
