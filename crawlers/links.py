"""Which links a spider follows: the source file's ``follow`` regions, ``allow`` and ``deny``.

Market and forum pages repeat the same navigation on every page, so link handling is
built for repeats: each region's links are read by one XPath compiled once (straight on
the page's lxml tree, no selector object per link), a site-absolute link (``/c/x``) is
resolved once per host, and only links not returned before are checked.
Links are hostile input: one that is no usable http(s) URL (credentials in it, a malformed IPv6
address, a bad port, an overlong or invalid host) is skipped and counted by reason (``url_problem``),
never handed to Scrapy, whose download handler would fail on it.  ``allow`` and ``deny`` are matched
by RE2 (``crawlers.patterns``).  Scope (the source's own hosts) is enforced later, by
``SourceScopeMiddleware``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from urllib.parse import SplitResult, urldefrag, urljoin, urlsplit

from lxml import etree
from parsel import Selector
from scrapy.linkextractors import IGNORED_EXTENSIONS

from crawlers.patterns import any_of, css_to_xpath, xpath

_SKIPPED_EXTENSIONS = tuple(f".{ext}" for ext in IGNORED_EXTENSIONS)  # images, media, archives, office files
_SCHEMES = ("http", "https")
_LINK = "self::a or self::area"
MAX_URL_LENGTH = 2048  # characters; longer links are refused as too_long
_HOST = re.compile(r"[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*\.?")  # host names as DNS and Tor take them, ASCII form


def region_hrefs(css: str) -> etree.XPath:
    """The hrefs of a region's nodes: a link's own, else the links inside it, in document order."""
    region = css_to_xpath(css)
    own = f"({region})[{_LINK}]/@href"
    inner = f"({region})[not(({_LINK}) and @href)]//*[{_LINK}]/@href"
    return xpath(f"{own} | {inner}")


def url_problem(url: str) -> str | None:
    """Why an http(s) URL found in a page cannot be fetched, as a short reason for stats; None if it can."""
    if len(url) > MAX_URL_LENGTH:
        return "too_long"
    try:
        parts = urlsplit(url)
    except ValueError:  # "Invalid IPv6 URL": an unbalanced bracket
        return "malformed_ipv6"
    try:
        if parts.port == 0:
            return "bad_port"
    except ValueError:  # not a number, or out of 0-65535
        return "bad_port"
    if parts.username is not None or parts.password is not None:
        return "userinfo"  # credentials in a link: never sent (and Scrapy's handler refuses them)
    return _host_problem(parts)


def _host_problem(parts: SplitResult) -> str | None:
    host = parts.hostname or ""
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return "malformed_ipv6"
        return None
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:  # an empty or overlong label, or characters IDNA refuses
        return "bad_host"
    return None if _HOST.fullmatch(ascii_host) else "bad_host"


class LinkRules:
    """Links to follow from a page, each returned once per crawl."""

    def __init__(self, follow: list[str], allow: list[str], deny: list[str]) -> None:
        self.regions = follow or ["html"]
        self.allow = any_of(allow)
        self.deny = any_of(deny)
        self.seen: set[str] = set()
        self._hrefs_of = [region_hrefs(region) for region in self.regions]
        self._resolved: dict[tuple[str, str, str], str] = {}  # (scheme, host, site-absolute href) -> URL

    def new_links(self, page: Selector, base_url: str, bad: Callable[[str], None] = lambda _: None) -> Iterator[str]:
        """Absolute URLs (without fragment) of the page's links that were not returned before and are allowed.

        ``bad(reason)`` is called once per distinct link skipped as unusable (see ``url_problem``).
        """
        base = urlsplit(base_url)
        for raw in self._hrefs(page):
            href = raw.strip()
            url = self._absolute(base, base_url, href)
            if (url or href) in self.seen:
                continue
            self.seen.add(url or href)
            if url is None:  # urljoin refused it: an unbalanced IPv6 bracket
                bad("malformed_ipv6")
            elif not url.startswith(_SCHEMES):  # mailto:, javascript:, ...: not links to pages
                continue
            elif (problem := url_problem(url)) is not None:
                bad(problem)
            elif self.allowed(url):
                yield url

    def _absolute(self, base: SplitResult, base_url: str, href: str) -> str | None:
        """The link's absolute URL without fragment; None when it cannot be parsed."""
        try:
            if not href.startswith("/"):
                return urldefrag(urljoin(base_url, href)).url
            key = (base.scheme, base.netloc, href)  # a site-absolute link resolves the same from every page of a host
            url = self._resolved.get(key)
            if url is None:
                url = self._resolved[key] = urldefrag(urljoin(base_url, href)).url
            return url
        except ValueError:
            return None

    def allowed(self, url: str) -> bool:
        """Whether a usable URL (see ``url_problem``) is an http(s) page the ``allow`` and ``deny`` rules let in."""
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES or parts.path.lower().endswith(_SKIPPED_EXTENSIONS):
            return False
        if self.allow is not None and not self.allow.test(url):
            return False
        return self.deny is None or not self.deny.test(url)

    def _hrefs(self, page: Selector) -> Iterator[str]:
        if page.type != "html" or not isinstance(page.root, etree._Element):  # XML pages: parsel's own path
            for region in self.regions:
                for node in page.css(region):
                    own = node.xpath("self::a/@href | self::area/@href").getall()
                    yield from own or node.xpath(".//a/@href | .//area/@href").getall()
            return
        for hrefs_of in self._hrefs_of:
            yield from hrefs_of(page.root)
