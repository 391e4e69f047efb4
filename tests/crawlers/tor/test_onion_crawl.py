"""End to end over a private Tor network: the real `npswatch crawl` of the demo market's onion.

Needs Debian's tor and tor-gencert (skipped without them, failed without them under CI=true).
Bootstrap and crawl times are printed (run with -s to see them) and recorded as test properties.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from crawlers.tor.onion import onion_from_pubkey
from storage import open_storage
from storage.base import SearchQuery
from tests.crawlers.tor.conftest import OnionLab
from tests.crawlers.tor.network import TorNetwork, wait_listening

pytestmark = [pytest.mark.tor, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
AS_OF = "2026-10-05"
PER_SITE = {"url", "vendor_url", "warc_record_id", "snippet"}  # differ between the two hosts by design


def market_source(tmp_path: Path, start_url: str, tor: bool) -> Path:
    """The real nova_market source file, pointed at ``start_url``."""
    text = (ROOT / "crawlers" / "sources" / "nova_market.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^start_urls:\n(?:\s+- .*\n)+", f'start_urls:\n  - "{start_url}/"\n', text)
    text = re.sub(r"(?m)^tor: .*$", f"tor: {'true' if tor else 'false'}", text)
    directory = tmp_path / ("onion" if tor else "direct")
    directory.mkdir()
    path = directory / "nova_market.yml"
    path.write_text(text, encoding="utf-8")
    return path


def npswatch(env: dict[str, str], *args: str, timeout: float = 100) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "npswatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def crawl(env: dict[str, str], source: Path, db: Path) -> tuple[dict[str, Any], float, str]:
    report = db.with_suffix(".json")
    started = time.monotonic()
    done = npswatch(env, "crawl", str(source), "--as-of", AS_OF, "--db", str(db), "--json-report", str(report))
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    [result] = json.loads(report.read_text())
    return result, seconds, done.stderr


def listings(db: Path) -> dict[str, dict[str, Any]]:
    store = open_storage(db)
    try:
        hits = store.search(SearchQuery(text="*", kinds=("listing",), limit=10_000)).hits
    finally:
        store.close()
    return {hit["native_id"]: {k: v for k, v in hit.items() if k not in PER_SITE} for hit in hits}


def test_onion_crawl_stores_what_a_direct_crawl_stores_and_nothing_leaves_tor(
    onion_lab: OnionLab, tmp_path: Path, record_property: Any
) -> None:
    direct_env = {**os.environ, "NPSWATCH_DATA_DIR": str(tmp_path / "direct-var")}
    direct, direct_seconds, _ = crawl(direct_env, market_source(tmp_path, onion_lab.market_direct, tor=False),
                                      tmp_path / "direct.sqlite3")  # fmt: skip
    tor_env = onion_lab.tor_env(tmp_path / "var")
    onion, onion_seconds, _ = crawl(tor_env, market_source(tmp_path, onion_lab.market_onion, tor=True),
                                    tmp_path / "onion.sqlite3")  # fmt: skip

    expected, found = listings(tmp_path / "direct.sqlite3"), listings(tmp_path / "onion.sqlite3")
    assert len(expected) > 100
    assert found == expected
    assert onion["items"] == direct["items"]
    assert onion_lab.clear.requests == [], "a request of a Tor source reached the clear web"

    status = json.loads(npswatch(tor_env, "tor", "status", "--json").stdout)
    assert status["ready"] and [i["bootstrap"] for i in status["instances"]] == [100, 100]  # a pool of two
    [market] = [s for s in status["sources"] if s["source"] == "nova_market"]
    mine, other = status["instances"][market["instance"]], status["instances"][1 - market["instance"]]
    assert mine["circuits_by_key"].get("nova_market", 0) >= 1 and "nova_market" not in other["circuits_by_key"]
    assert market["refused"] == {"clearweb": onion_lab.clear_links}  # two links and one redirect, each refused
    assert market["walls"] == {"queue": 1}  # the queue page was reported, not parsed
    assert market["state"] == "up" and market["isolation_key"] == "nova_market"
    assert market["circuits"] >= 1  # circuits Tor built for this source's isolation key
    newnym = npswatch(tor_env, "tor", "newnym")
    assert newnym.returncode == 0 and "instance 1: NEWNYM sent" in newnym.stdout, newnym.stderr

    timings = {**onion_lab.timings, "direct_crawl": direct_seconds, "onion_crawl": onion_seconds,
               "onion_pages": onion["pages"], "direct_pages": direct["pages"]}  # fmt: skip
    for name, value in timings.items():
        record_property(name, round(value, 1))
    print("\nTor timings (s):", json.dumps({k: round(v, 1) for k, v in timings.items()}))


def unpublished_onion() -> str:
    """A valid onion address (a real ed25519 key) that no onion service publishes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return onion_from_pubkey(key)


def test_tor_that_cannot_bootstrap_stops_the_crawl_before_any_request(tor_installed: None, tmp_path: Path) -> None:
    """A Tor whose only directory authority does not exist stays below 100%: the crawl fails with a clear error."""
    network = TorNetwork(tmp_path / "stranded", {})
    network.start_stranded_client()
    try:
        source = market_source(tmp_path, f"http://{onion_from_pubkey(bytes(range(32)))}", tor=True)
        env = {**os.environ, "NPSWATCH_DATA_DIR": str(tmp_path / "var"), "NPSWATCH_TOR_HOST": "127.0.0.1",
               "NPSWATCH_TOR_SOCKS_PORTS": str(network.client.socks_port),
               "NPSWATCH_TOR_CONTROL_PORTS": str(network.client.control_port), "NPSWATCH_TOR_BOOTSTRAP_TIMEOUT": "3"}
        wait_listening(network.client.control_port)
        done = npswatch(env, "crawl", str(source), "--db", str(tmp_path / "db.sqlite3"))
    finally:
        network.stop()
    assert done.returncode == 1
    assert "has not bootstrapped after 3s" in done.stderr and "no request was sent" in done.stderr
    assert "Traceback" not in done.stderr


def test_unreachable_onion_is_marked_down_and_backs_off(onion_lab: OnionLab, tmp_path: Path) -> None:
    """An onion no service publishes: Tor answers "Host unreachable"; the next crawl sends nothing until next_try."""
    env = onion_lab.tor_env(tmp_path / "var")
    source = market_source(tmp_path, f"http://{unpublished_onion()}", tor=True)
    first = npswatch(env, "crawl", str(source), "--db", str(tmp_path / "db.sqlite3"))
    assert first.returncode == 1
    [status] = [s for s in json.loads(npswatch(env, "tor", "status", "--json").stdout)["sources"]
                if s["source"] == "nova_market"]  # fmt: skip
    assert status["state"] == "down" and status["down_since"] and status["next_try"]
    assert "unreachable" in status["last_error"].lower()

    second = npswatch(env, "crawl", str(source), "--db", str(tmp_path / "db.sqlite3"))
    assert second.returncode == 1
    [status] = [s for s in json.loads(npswatch(env, "tor", "status", "--json").stdout)["sources"]
                if s["source"] == "nova_market"]  # fmt: skip
    assert status["refused"] == {"backoff": 1} and status["failures"] == 1  # no request, and not a new failure
