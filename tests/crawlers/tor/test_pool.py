"""The pool: every source maps stably to one Tor instance; adding an instance moves only the keys it takes."""

from __future__ import annotations

from collections import Counter

import pytest
from scrapy.settings import Settings

from crawlers.tor import TorError
from crawlers.tor.control import TorInstance, TorPool


def pool(n: int) -> TorPool:
    return TorPool([TorInstance(i, "127.0.0.1", 9050 + 2 * i, 9051 + 2 * i) for i in range(n)])


KEYS = [f"market_{i}" for i in range(400)]


def test_mapping_is_stable_across_pools_and_processes() -> None:
    assert [pool(4).instance_for(k) for k in KEYS] == [pool(4).instance_for(k) for k in KEYS]
    assert pool(4).instance_for("nova_market").socks_port == 9052  # fixed by the hash: a change here moves sources


def test_sources_spread_over_the_instances() -> None:
    counts = Counter(pool(4).instance_for(k).index for k in KEYS)
    assert set(counts) == {0, 1, 2, 3} and min(counts.values()) > 60


def test_adding_an_instance_moves_only_the_keys_it_takes() -> None:
    before, after = pool(4), pool(5)
    moved = [k for k in KEYS if before.instance_for(k) != after.instance_for(k)]
    assert all(after.instance_for(k).index == 4 for k in moved)
    assert 40 < len(moved) < 130  # about a fifth


def test_proxy_url_is_socks5h_with_the_key_as_user_name() -> None:
    instance = pool(1).instances[0]
    assert pool(1).proxy_url("nova_market") == "socks5h://nova_market:x@127.0.0.1:9050" == instance.proxy_url(
        "nova_market")


def test_pool_from_settings_reads_comma_separated_ports() -> None:
    settings = Settings({"NPSWATCH_TOR_HOST": "tor", "NPSWATCH_TOR_SOCKS_PORTS": "9050, 9052",
                         "NPSWATCH_TOR_CONTROL_PORTS": "9051,9053"})  # fmt: skip
    assert [(i.host, i.socks_port, i.control_port) for i in TorPool.from_settings(settings).instances] == [
        ("tor", 9050, 9051), ("tor", 9052, 9053)]


@pytest.mark.parametrize(("socks", "control", "expected"), [
    ("9050,9052", "9051", "one control port per SOCKS port"),
    ("", "", "at least one Tor instance"),
    ("nine", "9051", "port numbers"),
])  # fmt: skip
def test_bad_pool_settings_say_what_was_expected(socks: str, control: str, expected: str) -> None:
    settings = Settings({"NPSWATCH_TOR_HOST": "127.0.0.1", "NPSWATCH_TOR_SOCKS_PORTS": socks,
                         "NPSWATCH_TOR_CONTROL_PORTS": control})  # fmt: skip
    with pytest.raises(TorError, match=expected):
        TorPool.from_settings(settings)
