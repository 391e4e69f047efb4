"""Without a reachable Tor: `npswatch crawl` of a Tor source fails with a clear error before any request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawlers.tor.network import free_port
from tests.httpsite import Route, serve
from tests.sources import HEALTH

ROOT = Path(__file__).resolve().parents[3]
ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
SOURCE = f"""\
name: hidden_market
template: market
title: Hidden Market
tor: true
start_urls: ["http://{ONION}/"]
pages:
  listing:
    url: '/listing/\\d+'
    fields:
      native_id: {{from_url: '/listing/(\\d+)'}}
      title: {{css: 'h1::text'}}
{HEALTH}"""


def run(tmp_path: Path, *args: str, socks: int, control: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NPSWATCH_DATA_DIR": str(tmp_path / "var"), "NPSWATCH_TOR_HOST": "127.0.0.1",
           "NPSWATCH_TOR_SOCKS_PORTS": str(socks), "NPSWATCH_TOR_CONTROL_PORTS": str(control),
           "NPSWATCH_TOR_LAUNCH": "0"}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "npswatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


@pytest.mark.slow
def test_crawl_without_tor_fails_clearly_and_sends_nothing(tmp_path: Path) -> None:
    source = tmp_path / "hidden_market.yml"
    source.write_text(SOURCE, encoding="utf-8")
    with serve({"/": Route("not Tor")}) as socks:  # a listener where the SOCKS port should be: must get nothing
        port = int(socks.url.rsplit(":", 1)[1])
        done = run(tmp_path, "crawl", str(source), "--db", str(tmp_path / "db.sqlite3"), socks=port,
                   control=free_port())  # fmt: skip
        assert socks.requests == []
    assert done.returncode == 1
    assert "Tor is not running or not reachable: no control port at 127.0.0.1:" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_tor_status_reports_an_unreachable_instance(tmp_path: Path) -> None:
    done = run(tmp_path, "tor", "status", "--json", socks=free_port(), control=free_port())
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert data["ready"] is False
    [instance] = data["instances"]
    assert instance["reachable"] is False and "not reachable" in instance["error"]


def test_validate_rejects_a_tor_source_with_a_clear_web_start_url(tmp_path: Path) -> None:
    source = tmp_path / "hidden_market.yml"
    source.write_text(SOURCE.replace(f"http://{ONION}/", "https://shop.example/"), encoding="utf-8")
    done = run(tmp_path, "sources", "validate", str(source), socks=9050, control=9051)
    assert done.returncode == 2
    assert f"{source}:5: start_urls: tor: true expects .onion start URLs" in done.stdout
