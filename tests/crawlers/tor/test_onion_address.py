"""v3 onion addresses are checked (length, base32, checksum, version) when source files are validated."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from crawlers.config import SourceError, load_source
from crawlers.tor.onion import is_v3_onion, onion_from_pubkey, onion_problem
from tests.sources import HEALTH

VALID = onion_from_pubkey(bytes(range(32)))
KNOWN = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"  # torproject.org's onion service


def _flip_checksum(host: str) -> str:
    raw = bytearray(base64.b32decode(host.removesuffix(".onion").upper()))
    raw[32] ^= 0xFF
    return base64.b32encode(bytes(raw)).decode().lower() + ".onion"


def _version(host: str, version: int) -> str:
    raw = bytearray(base64.b32decode(host.removesuffix(".onion").upper()))
    raw[34] = version
    return base64.b32encode(bytes(raw)).decode().lower() + ".onion"


@pytest.mark.parametrize("host", [VALID, KNOWN, KNOWN.upper(), f"www.{KNOWN}", f"{KNOWN}."])
def test_valid_v3_addresses_pass(host: str) -> None:
    assert onion_problem(host) is None and is_v3_onion(host)


@pytest.mark.parametrize(("host", "expected"), [
    (_flip_checksum(KNOWN), "checksum"),
    (_version(KNOWN, 2), "version byte 3"),
    ("expyuzz4wqqyqhjn.onion", "v2 onion"),
    (KNOWN.replace("2gzy", "2gz"), "56 base32 characters"),
    (KNOWN.replace("2gzy", "0gzy"), "56 base32 characters"),  # 0 is not base32
    ("example.com", "ending in .onion"),
])  # fmt: skip
def test_invalid_addresses_say_what_is_wrong(host: str, expected: str) -> None:
    problem = onion_problem(host)
    assert problem is not None and expected in problem
    assert not is_v3_onion(host)


SOURCE = (
    """\
name: hidden_market
template: market
title: Hidden Market
tor: {tor}
start_urls:
  - "{url}"
pages:
  listing:
    url: '/listing/\\d+'
    fields:
      native_id: {{from_url: '/listing/(\\d+)'}}
      title: {{css: 'h1::text'}}
"""
    + HEALTH
)


def _problems(tmp_path: Path, tor: str, url: str) -> list[str]:
    path = tmp_path / "hidden_market.yml"
    path.write_text(SOURCE.format(tor=tor, url=url), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_source(path)
    return caught.value.problems


def test_tor_source_with_onion_start_url_loads(tmp_path: Path) -> None:
    path = tmp_path / "hidden_market.yml"
    path.write_text(SOURCE.format(tor="true", url=f"http://{KNOWN}/"), encoding="utf-8")
    assert load_source(path).tor is True


@pytest.mark.parametrize(("tor", "url", "expected"), [
    ("true", "https://example.com/", "tor: true expects .onion start URLs, found the clear-web URL"),
    ("true", f"http://{_flip_checksum(KNOWN)}/", "checksum"),
    ("true", "http://expyuzz4wqqyqhjn.onion/", "v2 onion"),
    ("false", f"http://{KNOWN}/", "needs tor: true"),
])  # fmt: skip
def test_bad_tor_start_urls_fail_naming_file_line_and_field(tmp_path: Path, tor: str, url: str, expected: str) -> None:
    [problem] = _problems(tmp_path, tor, url)
    assert problem.startswith(f"{tmp_path / 'hidden_market.yml'}:5: start_urls: ")
    assert expected in problem


def test_wall_markers_must_be_valid_regexes(tmp_path: Path) -> None:
    path = tmp_path / "hidden_market.yml"
    path.write_text(SOURCE.format(tor="true", url=f"http://{KNOWN}/") + "walls: {captcha: ['(unclosed']}\n")
    [problem] = _problems_of(path)
    assert ": walls.captcha.0: " in problem and "not a valid regex" in problem


def _problems_of(path: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_source(path)
    return caught.value.problems
