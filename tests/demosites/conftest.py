"""The demo sites served once for the whole test package, on ports the OS picks."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

import pytest
from parsel import Selector

from crawlers.config import Source
from demosites.server import DemoSites


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]
    body: str


def fetch(url: str, as_of: str | None = None) -> Fetched:
    """GET ``url`` (optionally as of a date), also for 4xx/5xx answers."""
    request = urllib.request.Request(url, headers={"X-Npswatch-As-Of": as_of} if as_of else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Fetched(response.status, dict(response.headers), response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.code, dict(error.headers), error.read().decode("utf-8"))


def followed(source: Source, hops: int = 3, per_hop: int = 40) -> set[str]:
    """The URLs a source's follow selectors reach from its start page in ``hops`` hops (``per_hop`` new ones each)."""
    frontier, seen = [source.start_urls[0]], set()
    for _ in range(hops):
        found = []
        for url in frontier:
            sel = Selector(text=fetch(url).body)
            found += [urljoin(url, href) for css in source.follow for href in sel.css(css).css("::attr(href)").getall()]
        frontier = [u for u in dict.fromkeys(found) if u not in seen][:per_hop]
        seen.update(frontier)
    return seen


@pytest.fixture(scope="package")
def demo() -> Iterator[DemoSites]:
    with DemoSites(free_ports=True) as sites:
        yield sites
