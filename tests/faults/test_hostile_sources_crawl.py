"""Hostile sites and source files, crawled for real: bounded, polite when asked, secrets kept home.

Each case once went wrong on a real `npswatch crawl`: a catastrophic ``deny`` regex pinned a CPU for ten minutes; a
site fanning out new links on every page grew a crawl without end (8,734 pages and 377 MB in 60 s); ``Retry-After``
was ignored; one ``http://user:pw@host/`` link failed the whole crawl; a source file could send
``NPSWATCH_PSEUDONYM_KEY`` to a site; session cookies were copied in clear into world-readable WARC files.
"""

from __future__ import annotations

import gzip
import os
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.crawlers.test_crawl_scope import ROOT, SOURCE, crawl, listing
from tests.httpsite import Route, Site, serve

pytestmark = [pytest.mark.faults, pytest.mark.slow]
SECRET = "9c2e7a41d0b8f53e6a1c4d7b2e9f0a3c5d8b1e4f7a0c3d6e9b2f5a8c1d4e7b0a"  # a 256-bit key, as exports need


def source_file(tmp_path: Path, site: Site, replace: dict[str, str] | None = None) -> Path:
    text = SOURCE.format(url=site.url)
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "hostile_market.yml"
    path.write_text(text, encoding="utf-8")
    return path


def pages_fetched(site: Site) -> list[str]:
    return [path for path, _ in site.requests if path != "/robots.txt"]


def test_a_catastrophic_deny_regex_costs_nothing(tmp_path: Path) -> None:
    """``(a+)+$`` against links of 26-32 a's and a mismatch: Python's re backtracks 2^26..2^32 ways per link."""
    links = " ".join(f'<a href="/{"a" * n}!">x</a>' for n in range(26, 33))
    routes = {"/": Route(f'{links} <a href="/listing/1">1</a>'), "/listing/1": Route(listing("3-MMC", "€10"))}
    with serve(routes) as site:
        path = source_file(tmp_path, site, {"deny: ['/logout']": "deny: ['(a+)+$', '/logout']"})
        started = time.monotonic()
        code, [report], stderr = crawl(tmp_path, path)
        seconds = time.monotonic() - started
    assert code == 0, stderr
    assert report["items"] == {"listing": 1}
    assert seconds < 60  # was: 94 % CPU for ten minutes, deaf to Ctrl-C


def _fan_out(depth: int, width: int = 10) -> dict[str, Route | list[Route]]:
    """A site whose every page links to ``width`` new pages, ``depth`` levels deep."""
    routes: dict[str, Route | list[Route]] = {}
    level = ["/"]
    for _ in range(depth + 1):
        children = []
        for page in level:
            kids = [f"{page.rstrip('/')}/p{i}" for i in range(width)]
            routes[page] = Route(" ".join(f'<a href="{kid}">{kid}</a>' for kid in kids))
            children += kids
        level = children
    return routes


def test_max_pages_stops_a_site_that_fans_out_links_on_every_page(tmp_path: Path) -> None:
    with serve(_fan_out(depth=3)) as site:  # 1,111 pages
        path = source_file(tmp_path, site, {"max_pages: 5000": "max_pages: 50"})
        code, [report], stderr = crawl(tmp_path, path)
        fetched = pages_fetched(site)
    assert code == 0, stderr
    assert len(fetched) == 50 and report["pages"] <= 51  # 50 pages (and robots.txt)
    assert report["refused"]["max_pages"] > 0  # the links not followed, counted


def test_the_per_host_request_budget_bounds_every_request_to_a_host(tmp_path: Path) -> None:
    with serve(_fan_out(depth=3)) as site:
        path = source_file(tmp_path, site)
        code, [report], stderr = crawl(tmp_path, path, env={"NPSWATCH_HOST_REQUEST_BUDGET": "20"})
    assert code == 0, stderr
    assert len(site.requests) == 20  # robots.txt included
    assert report["refused"]["host_budget"] > 0


def _retried_after(site: Site, path: str) -> float:
    [first, second] = [t for (p, _), t in zip(site.requests, site.times, strict=True) if p == path]
    return second - first


def test_retry_after_in_seconds_and_as_an_http_date_is_honoured_up_to_the_cap(tmp_path: Path) -> None:
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    routes: dict[str, Route | list[Route]] = {
        "/": [Route("busy", 503, {"Retry-After": "2"}), Route('<a href="/listing/1">1</a>')],
        "/listing/1": [Route("slow down", 429, {"Retry-After": in_an_hour}), Route(listing("3-MMC", "€10"))],
    }
    with serve(routes) as site:
        code, [report], stderr = crawl(tmp_path, source_file(tmp_path, site), env={"NPSWATCH_RETRY_AFTER_MAX": "3"})
    assert code == 0, stderr
    assert report["items"] == {"listing": 1}
    assert 1.9 <= _retried_after(site, "/") < 30  # the 2 seconds asked
    assert 2.9 <= _retried_after(site, "/listing/1") < 30  # an hour asked, cut to the 3 s cap
    stats = report["npswatch_stats"]
    assert stats["npswatch/retry_after/honoured"] == 2 and stats["npswatch/retry_after/capped"] == 1


def test_bad_urls_in_links_and_redirects_are_counted_and_skipped_never_fatal(tmp_path: Path) -> None:
    routes: dict[str, Route | list[Route]] = {"/listing/1": Route(listing("3-MMC", "€10"))}
    with serve(routes) as site:
        host = site.url.removeprefix("http://")
        links = [f"http://user:pw@{host}/x", "http://[::1/", "http://127.0.0.1:99999/", "http://127.0.0.1:abc/",
                 f"/{'a' * 3000}", "http://exa mple.example/", "/redirect", "/listing/1"]  # fmt: skip
        routes["/"] = Route(" ".join(f'<a href="{link}">x</a>' for link in links))
        routes["/redirect"] = Route(status=302, headers={"Location": f"http://user:pw@{host}/y"})
        code, [report], stderr = crawl(tmp_path, source_file(tmp_path, site))
        paths = pages_fetched(site)
    assert code == 0 and report["ok"], stderr
    assert report["items"] == {"listing": 1} and report["errors"] == {}
    assert report["refused"] == {"bad_url/userinfo": 2, "bad_url/malformed_ipv6": 1, "bad_url/bad_port": 2,
                                 "bad_url/too_long": 1, "bad_url/bad_host": 1}  # fmt: skip
    assert sorted(paths) == ["/", "/listing/1", "/redirect"]


def test_redirects_scrapy_cannot_parse_are_counted_as_bad_urls_never_fatal(tmp_path: Path) -> None:
    """A ``Location`` with an unbalanced IPv6 bracket or a port out of range once raised in Scrapy's redirect
    middleware: an error that failed the crawl.  Now each is refused like such a link, counted by reason."""
    locations = {"/r/ipv6": "http://[::1/x", "/r/ipv6-relative": "//[fe80::1/x", "/r/port": "http://127.0.0.1:99999/x",
                 "/r/port-text": "http://127.0.0.1:http/x", "/r/ok": "/listing/1"}  # fmt: skip
    routes: dict[str, Route | list[Route]] = {"/listing/1": Route(listing("3-MMC", "€10"))}
    routes |= {path: Route(status=302, headers={"Location": to}) for path, to in locations.items()}
    routes["/"] = Route(" ".join(f'<a href="{path}">x</a>' for path in locations))
    with serve(routes) as site:
        code, [report], stderr = crawl(tmp_path, source_file(tmp_path, site))
        paths = pages_fetched(site)
    assert code == 0 and report["ok"], stderr
    assert report["items"] == {"listing": 1} and report["errors"] == {}
    assert report["refused"] == {"bad_url/malformed_ipv6": 2, "bad_url/bad_port": 2}
    assert sorted(paths) == ["/", "/listing/1", *sorted(locations)]


def test_a_source_file_cannot_send_a_secret_to_a_site(tmp_path: Path) -> None:
    with serve({"/": Route("hello")}) as site:
        path = source_file(tmp_path, site, {f'["{site.url}/"]': f'["{site.url}/?k=${{NPSWATCH_PSEUDONYM_KEY}}"]',
                                            "deny:": "env: [NPSWATCH_PSEUDONYM_KEY]\ndeny:"})  # fmt: skip
        env = {"NPSWATCH_PSEUDONYM_KEY": SECRET}
        code, reports, stderr = crawl(tmp_path, path, env=env)
        listed = _cli(tmp_path, env | {"NPSWATCH_SOURCES_DIR": str(tmp_path)}, "sources", "list")
    assert site.requests == []  # nothing sent at all: the file is refused
    assert code == 2 and reports == []
    assert ": env.0: NPSWATCH_PSEUDONYM_KEY is one of npswatch's own settings or secrets" in stderr
    assert SECRET not in stderr and SECRET not in listed.stdout + listed.stderr
    assert not (tmp_path / "var" / "warc").exists() and not (tmp_path / "db.sqlite3").exists()


def _cli(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "npswatch.cli", *args], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def _records(warc: Path) -> list[Any]:
    with gzip.open(warc, "rb") as stream:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Npswatch-Redacted"), dict(r.http_headers.headers))
            for r in ArchiveIterator(stream)
            if r.rec_type in ("request", "response")
        ]


def test_session_cookies_are_redacted_in_warc_files_and_evidence_stores_exports_are_owner_only(
    tmp_path: Path,
) -> None:
    routes: dict[str, Route | list[Route]] = {
        "/": Route('<a href="/listing/1">1</a>', headers={"Set-Cookie": "renewed=server-secret-42; Path=/"}),
        "/listing/1": Route(listing("3-MMC", "€10")),
    }
    with serve(routes) as site:
        cookies = tmp_path / "cookies.txt"
        cookies.write_text("127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tsession-secret-17\n", encoding="utf-8")
        cookies.chmod(0o600)
        path = source_file(tmp_path, site, {"deny:": f"cookies_file: {cookies}\ndeny:"})
        code, _, stderr = crawl(tmp_path, path)
        sent = [headers.get("Cookie", "") for _, headers in site.requests]
    assert code == 0, stderr
    assert any("sid=session-secret-17" in cookie for cookie in sent)  # the session was used
    warc_dir = tmp_path / "var" / "warc"
    [warc] = list((warc_dir / "hostile_market").glob("*.warc.gz"))
    raw = gzip.decompress(warc.read_bytes())
    assert b"session-secret-17" not in raw and b"server-secret-42" not in raw
    records = _records(warc)
    sent_cookie = [(h, hs) for kind, h, hs in records if kind == "request" and "Cookie" in hs]
    assert sent_cookie and all(h == "Cookie" and hs["Cookie"] == "redacted" for h, hs in sent_cookie)
    [(set_cookie, headers)] = [(h, hs) for kind, h, hs in records if kind == "response" and h]
    assert set_cookie == "Set-Cookie" and headers["Set-Cookie"] == "redacted"
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in (warc, warc.parent, warc_dir, tmp_path / "db.sqlite3")}
    assert modes == {warc: 0o600, warc.parent: 0o700, warc_dir: 0o700, tmp_path / "db.sqlite3": 0o600}
    out = tmp_path / "exports" / "corpus"
    done = _cli(tmp_path, {"NPSWATCH_PSEUDONYM_KEY": SECRET}, "export", "*", "--out", str(out), "--db",
                str(tmp_path / "db.sqlite3"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written and {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o600}
    assert {stat.S_IMODE(p.stat().st_mode) for p in (out, out / "data", out.parent)} == {0o700}
