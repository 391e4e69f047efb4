"""Sessions from exported cookies, and the source file's health and session sections."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crawlers.config import SourceError, load_source
from crawlers.sessions import SessionError, load_cookies
from crawlers.spiders.base import MarketSpider
from tests.sources import ROOT, write_source

NETSCAPE = """\
# Netscape HTTP Cookie File
127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc123
#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t4102444800\tauth\ttok
127.0.0.1\tFALSE\t/\tFALSE\t1000\told\tgone
"""


def private(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_netscape_cookies_load_without_the_expired_ones(tmp_path: Path) -> None:
    cookies = load_cookies("nova_market", private(tmp_path / "cookies.txt", NETSCAPE))
    assert [(c.name, c.value, c.domain) for c in cookies] == [
        ("sid", "abc123", "127.0.0.1"),
        ("auth", "tok", "127.0.0.1"),
    ]


@pytest.mark.parametrize("wrap", [lambda rows: rows, lambda rows: {"cookies": rows}])
def test_json_cookie_exports_load(tmp_path: Path, wrap: Any) -> None:
    rows = [{"name": "sid", "value": "abc", "domain": ".example.onion", "path": "/", "expirationDate": 4102444800.5}]
    [cookie] = load_cookies("nova_market", private(tmp_path / "c.json", json.dumps(wrap(rows))))
    assert (cookie.name, cookie.domain, cookie.expires) == ("sid", ".example.onion", 4102444800.5)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_cookies_file_others_can_read_is_refused_naming_the_source(tmp_path: Path, mode: int) -> None:
    path = private(tmp_path / "cookies.txt", NETSCAPE, mode)
    with pytest.raises(SessionError, match=rf"^nova_market: cookies_file {path} is readable by others .*chmod 600"):
        load_cookies("nova_market", path)


def test_a_missing_or_malformed_cookies_file_names_the_source(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match=r"^tulip_bazaar: cookies_file .*missing\.txt does not exist"):
        load_cookies("tulip_bazaar", tmp_path / "missing.txt")
    with pytest.raises(SessionError, match=r"^tulip_bazaar: .*expected Netscape cookies.txt or a JSON list"):
        load_cookies("tulip_bazaar", private(tmp_path / "bad.txt", "just one\tfield\n"))


def test_the_spider_sends_the_cookies_with_its_start_requests(tmp_path: Path) -> None:
    cookies = private(tmp_path / "cookies.txt", NETSCAPE)
    path = write_source(
        tmp_path / "src", "nova_market", replace={"max_depth: 6\n": f"max_depth: 6\ncookies_file: {cookies}\n"}
    )
    spider = MarketSpider(load_source(path))

    async def first() -> Any:
        return await spider.start().__anext__()

    request = asyncio.run(first())
    assert [c["name"] for c in request.cookies] == ["sid", "auth"]


@pytest.mark.slow  # npswatch crawl in a process of its own: over 2 s
def test_crawl_refuses_a_world_readable_cookies_file_with_the_source_name(tmp_path: Path) -> None:
    cookies = private(tmp_path / "cookies.txt", NETSCAPE, 0o644)
    path = write_source(
        tmp_path / "src", "nova_market", replace={"max_depth: 6\n": f"max_depth: 6\ncookies_file: {cookies}\n"}
    )
    env = {**os.environ, "NPSWATCH_DATA_DIR": str(tmp_path / "var")}
    done = subprocess.run([sys.executable, "-m", "npswatch.cli", "crawl", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert f"nova_market: cookies_file {cookies} is readable by others" in " ".join(done.stderr.split())


def test_a_health_section_missing_a_threshold_is_an_error(tmp_path: Path) -> None:
    path = write_source(tmp_path, "nova_market", replace={"  max_drop: 0.3 ": "  # max_drop: 0.3 "})
    with pytest.raises(SourceError) as caught:
        load_source(path)
    assert any(p.endswith("health.max_drop: Field required") for p in caught.value.problems), caught.value.problems


def test_a_fill_threshold_on_an_unknown_field_is_an_error(tmp_path: Path) -> None:
    path = write_source(tmp_path, "nova_market", replace={"vendor: {name: 0.95}": "vendor: {nom: 0.95}"})
    with pytest.raises(SourceError) as caught:
        load_source(path)
    assert any("health.min_fill.vendor: no field 'nom' on a page 'vendor'" in p for p in caught.value.problems)


def test_every_demo_source_declares_its_health_thresholds() -> None:
    for path in sorted((ROOT / "crawlers" / "sources").glob("*.yml")):
        assert load_source(path).health is not None, path


def test_a_cookies_file_inside_the_repository_is_refused(tmp_path: Path) -> None:
    inside = ROOT / "crawlers" / "sources"
    with pytest.raises(SessionError, match=r"^nova_market: cookies_file .* is inside the repository"):
        load_cookies("nova_market", inside / "nova_market.yml")
