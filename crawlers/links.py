"""Which links a spider follows: the source file's ``follow`` regions, ``allow`` and ``deny``.

Market and forum pages repeat the same navigation on every page, so links are
de-duplicated first and only new ones are checked, which keeps link handling cheap.
Scope (the source's own hosts) is enforced later, by ``SourceScopeMiddleware``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urlsplit

from parsel import Selector
from scrapy.linkextractors import IGNORED_EXTENSIONS

_SKIPPED_EXTENSIONS = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)  # images, media, archives, office files
_SCHEMES = ("http", "https")


class LinkRules:
    """Links to follow from a page, each returned once per crawl."""

    def __init__(self, follow: list[str], allow: list[str], deny: list[str]) -> None:
        self.regions = follow or ["html"]
        self.allow = [re.compile(p) for p in allow]
        self.deny = [re.compile(p) for p in deny]
        self.seen: set[str] = set()

    def new_links(self, page: Selector, base_url: str) -> Iterator[str]:
        """Absolute URLs (without fragment) of the page's links that were not returned before and are allowed."""
        from urllib.parse import urljoin

        for href in self._hrefs(page):
            url = urldefrag(urljoin(base_url, href.strip())).url
            if url in self.seen:
                continue
            self.seen.add(url)
            if self.allowed(url):
                yield url

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES or parts.path.lower().endswith(_SKIPPED_EXTENSIONS):
            return False
        if self.allow and not any(p.search(url) for p in self.allow):
            return False
        return not any(p.search(url) for p in self.deny)

    def _hrefs(self, page: Selector) -> Iterator[str]:
        for region in self.regions:
            for node in page.css(region):
                own = node.xpath("self::a/@href | self::area/@href").getall()
                yield from own or node.xpath(".//a/@href | .//area/@href").getall()
