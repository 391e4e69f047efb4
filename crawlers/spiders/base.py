"""The spider every template shares: navigate by the source file's rules, hand pages to the parser.

Spiders navigate; parsers extract.  A spider is built for one source (a validated
``crawlers.config.Source``); it follows the links the source file's ``follow``
selectors pick, inside the source's own hosts and ``allow``/``deny`` patterns, and
passes every HTML page to ``crawlers.parsers.parse_page``.  Links that are no usable URL are
counted (``npswatch/refused/bad_url/<reason>``) and skipped; the source file's regexes run on RE2.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawlers.config import Source, find_source
from crawlers.links import LinkRules
from crawlers.parsers import Page, parse_page
from crawlers.patterns import any_of
from crawlers.sessions import load_cookies
from crawlers.walls import detect_wall


def seen_at_for(as_of: str | None) -> str:
    """The time items are stamped with: noon UTC of the simulated day, or now."""
    if as_of:
        return f"{as_of}T12:00:00+00:00"
    return datetime.now(UTC).isoformat(timespec="seconds")


class SourceSpider(scrapy.Spider):
    name = "source"
    template = ""

    def __init__(self, source: Source | str, as_of: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=self.name, **kwargs)
        if isinstance(source, str):  # `scrapy crawl market -a source=NAME`
            source = find_source(source)
        if source.template != self.template:
            raise ValueError(f"{source.name}: template {source.template!r} given to the {self.template!r} spider")
        self.source = source
        self.as_of = as_of
        self.seen_at = seen_at_for(as_of)
        self.links = LinkRules(source.follow, source.allow, source.deny)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        cookies: list[Any] = []  # scrapy's VerboseCookie dicts
        if self.source.cookies_file:  # a person's logged-in session; the cookie middleware keeps it from here
            cookies = [c.to_scrapy() for c in load_cookies(self.source.name, self.source.cookies_file)]
        for url in self.source.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, cookies=cookies or None)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self._count("npswatch/pages/not_text")
            return
        logged_out = any_of(self.source.session.logged_out, True) if self.source.session else None
        if logged_out is not None and logged_out.test(response.text):
            self._count("npswatch/session/logged_out")  # the session expired: a person has to renew it
            self.logger.warning("%s: %s says the session is logged out", self.source.name, response.url)
            return
        wall = detect_wall(response.text, self.source.walls)
        if wall is not None:  # a DDoS queue, captcha or login wall: reported, never parsed as content
            self._count(f"npswatch/walls/{wall.kind}")
            self.logger.warning("%s: %s is a %s wall (%s)", self.source.name, response.url, wall.kind, wall.marker)
            return
        page = Page(response.url, response.text, self.seen_at, response.meta.get("warc_record_id"), response.selector)
        result = parse_page(page, self.source)
        self._count(f"npswatch/pages/{result.page_type or 'navigation'}")
        for name in result.filled:  # fill rates: filled / pages of the type (source health)
            self._count(f"npswatch/fields/{result.page_type}/{name}")
        for key in result.dropped:
            self._count(key)
        yield from result.items
        bad = self._bad_link
        for url in self.links.new_links(response.selector, response.url, bad):  # scope: SourceScopeMiddleware
            yield scrapy.Request(url, callback=self.parse, errback=self.failed)

    def failed(self, failure: Any) -> None:
        if failure.check(IgnoreRequest):  # refused on purpose (scope, robots.txt): counted where refused
            return
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self._count(f"npswatch/errors/{failure.type.__name__}")
        self.logger.error("%s: %s failed: %s", self.source.name, url, failure.getErrorMessage())

    def _bad_link(self, reason: str) -> None:
        self._count(f"npswatch/refused/bad_url/{reason}")

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)


class MarketSpider(SourceSpider):
    """Markets: category and list pages lead to listing pages and vendor pages."""

    name = "market"
    template = "market"


class ForumSpider(SourceSpider):
    """Forums: boards lead to threads, threads page through their posts."""

    name = "forum"
    template = "forum"


class ShopSpider(SourceSpider):
    """Clear-web shops: product lists lead to product pages; robots.txt is obeyed."""

    name = "shop"
    template = "shop"


SPIDERS: dict[str, type[SourceSpider]] = {cls.template: cls for cls in (MarketSpider, ForumSpider, ShopSpider)}
