"""Which links a spider follows: the source file's ``follow`` regions, ``allow`` and ``deny``.

Market and forum pages repeat the same navigation on every page, so link handling is
built for repeats: each region's links are read by one XPath compiled once (straight on
the page's lxml tree, no selector object per link), a site-absolute link (``/c/x``) is
resolved once per host, and only links not returned before are checked.
Scope (the source's own hosts) is enforced later, by ``SourceScopeMiddleware``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator
from scrapy.linkextractors import IGNORED_EXTENSIONS

_SKIPPED_EXTENSIONS = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)  # images, media, archives, office files
_SCHEMES = ("http", "https")
_HTML = HTMLTranslator()  # parsel's, so a region selects what ``Selector.css`` selects
_LINK = "self::a or self::area"


def region_hrefs(css: str) -> etree.XPath:
    """The hrefs of a region's nodes: a link's own, else the links inside it, in document order."""
    region = _HTML.css_to_xpath(css)
    own = f"({region})[{_LINK}]/@href"
    inner = f"({region})[not(({_LINK}) and @href)]//*[{_LINK}]/@href"
    return etree.XPath(f"{own} | {inner}", smart_strings=False)


class LinkRules:
    """Links to follow from a page, each returned once per crawl."""

    def __init__(self, follow: list[str], allow: list[str], deny: list[str]) -> None:
        self.regions = follow or ["html"]
        self.allow = [re.compile(p) for p in allow]
        self.deny = [re.compile(p) for p in deny]
        self.seen: set[str] = set()
        self._hrefs_of = [region_hrefs(region) for region in self.regions]
        self._resolved: dict[tuple[str, str, str], str] = {}  # (scheme, host, site-absolute href) -> URL

    def new_links(self, page: Selector, base_url: str) -> Iterator[str]:
        """Absolute URLs (without fragment) of the page's links that were not returned before and are allowed."""
        base = urlsplit(base_url)
        for href in self._hrefs(page):
            href = href.strip()
            if href.startswith("/"):  # resolves the same from every page of the host
                key = (base.scheme, base.netloc, href)
                url = self._resolved.get(key)
                if url is None:
                    url = self._resolved[key] = urldefrag(urljoin(base_url, href)).url
            else:
                url = urldefrag(urljoin(base_url, href)).url
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
        if page.type != "html" or not isinstance(page.root, etree._Element):  # XML pages: parsel's own path
            for region in self.regions:
                for node in page.css(region):
                    own = node.xpath("self::a/@href | self::area/@href").getall()
                    yield from own or node.xpath(".//a/@href | .//area/@href").getall()
            return
        for hrefs_of in self._hrefs_of:
            yield from hrefs_of(page.root)
