"""Downloader middlewares: keep a crawl inside its source and its budget, wait when a site asks, and tell demo
sites the simulated day."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawlers.links import url_problem

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)
PAGE = "npswatch_page"  # request meta: RequestBudgetMiddleware counted this request as one of the crawl's pages
PAGES_DONE = "npswatch/journal/pages_done"  # stat: pages a resumed crawl's journal holds as done (its earlier runs)


def netloc(url: str) -> str:
    """``host:port`` of a URL that ``url_problem`` passes (the port made explicit)."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _refuse(crawler: Crawler, reason: str, request: Request, level: int = logging.INFO) -> IgnoreRequest:
    """Count a refused request (``npswatch/refused/<reason>``) and give the exception that drops it."""
    assert crawler.stats is not None
    crawler.stats.inc_value(f"npswatch/refused/{reason}")
    logger.log(level, "Refused %s request to %s", reason, request.url)
    return IgnoreRequest(f"{reason}: {request.url}")


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and other non-public literal addresses and 'localhost'."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


class SourceScopeMiddleware:
    """Refuses every request outside the hosts of the source's start URLs.

    Links and redirects found in crawled pages are hostile input: a request to another
    host is refused (``npswatch/refused/offsite``), and one to a loopback or private
    address is refused with its own count (``npswatch/refused/private_address``) even
    though the demo sites themselves live on loopback: only the start URLs' own
    host:port pairs are in scope.  A URL that cannot be fetched (a redirect to a URL with
    credentials or a bad port, see ``crawlers.links.url_problem``) is refused as
    ``npswatch/refused/bad_url/<reason>``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self._scope: set[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _allowed(self) -> set[str]:
        if self._scope is None:
            source = getattr(self.crawler.spider, "source", None)
            if source is None:
                raise NotConfigured("SourceScopeMiddleware needs a spider with a source")
            self._scope = {netloc(url) for url in source.start_urls}
        return self._scope

    def process_request(self, request: Request) -> None:
        problem = url_problem(request.url)
        if problem is not None:
            raise _refuse(self.crawler, f"bad_url/{problem}", request)
        if netloc(request.url) in self._allowed():
            return
        host = urlsplit(request.url).hostname or ""
        raise _refuse(self.crawler, "private_address" if is_private_host(host) else "offsite", request)


class RedirectCheckMiddleware:
    """Refuses a redirect whose ``Location`` is no fetchable URL before Scrapy's RedirectMiddleware reads it.

    A ``Location`` Scrapy cannot parse (an unbalanced IPv6 bracket, a port that is not a number or out of range)
    made RedirectMiddleware raise ValueError: an error that failed the crawl.  Redirects are hostile input like
    links: the redirect is refused and counted as ``npswatch/refused/bad_url/<reason>`` (``url_problem``), and the
    crawl goes on.  A ``Location`` that parses is left to RedirectMiddleware, and its target to
    ``SourceScopeMiddleware``.  Placed after RedirectMiddleware (600), so its ``process_response`` runs first.
    """

    STATUSES = (301, 302, 303, 307, 308)  # the ones RedirectMiddleware follows

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location") if response.status in self.STATUSES else None
        if not location or request.meta.get("dont_redirect") or request.meta.get("handle_httpstatus_all"):
            return response
        problem = redirect_problem(request.url, location.decode("latin-1"))
        if problem is None:
            return response
        raise _refuse(self.crawler, f"bad_url/{problem}", request)


def redirect_problem(url: str, location: str) -> str | None:
    """Why the ``location`` a page at ``url`` redirects to cannot be fetched (``url_problem``); None if it can."""
    if location.startswith("//"):  # scheme-relative, as RedirectMiddleware reads it
        location = f"{urlsplit(url).scheme}:{location}"
    try:
        target = urljoin(url, location.strip())
    except ValueError:  # "Invalid IPv6 URL"
        return "malformed_ipv6"
    return url_problem(target) if target.startswith(("http://", "https://")) else None


class RequestBudgetMiddleware:
    """Bounds a crawl: at most ``max_pages`` pages (the source's) and ``NPSWATCH_HOST_REQUEST_BUDGET`` requests
    per host.

    A page is a request that is neither a retry nor robots.txt; the host budget counts every request to the
    host:port (retries, redirects, robots.txt).  Past either bound a request is refused and counted
    (``npswatch/refused/max_pages``, ``npswatch/refused/host_budget``) and the crawl ends as usual with what
    it has: a site fanning out new links on every page cannot grow a crawl without end.

    ``max_pages`` bounds the crawl, not the process: a crawl resumed from its request journal (``--resume``,
    ``crawlers.journal``) starts with the pages the journal holds as done (``PAGES_DONE``), marked ``PAGE`` in
    their meta when counted here.  The host budget, a guard against one run hammering a host, is per process.
    """

    def __init__(self, crawler: Crawler, max_pages: int | None, host_budget: int) -> None:
        self.crawler = crawler
        self.max_pages = max_pages
        self.host_budget = host_budget
        self.pages: int | None = None  # read at the first request: the pages a resumed crawl had fetched
        self.per_host: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        max_pages = settings.getint("NPSWATCH_MAX_PAGES") or None
        host_budget = settings.getint("NPSWATCH_HOST_REQUEST_BUDGET")
        if max_pages is None and host_budget <= 0:
            raise NotConfigured("no NPSWATCH_MAX_PAGES nor NPSWATCH_HOST_REQUEST_BUDGET")
        return cls(crawler, max_pages, host_budget)

    def process_request(self, request: Request) -> None:
        host = netloc(request.url)
        sent = self.per_host.get(host, 0)
        if 0 < self.host_budget <= sent:
            if sent == self.host_budget:
                self.per_host[host] = sent + 1  # say it once per host
                logger.warning("%s: request budget (%d) spent: no further request is sent", host, self.host_budget)
            raise _refuse(self.crawler, "host_budget", request, logging.DEBUG)
        page = not request.meta.get("retry_times") and not request.meta.get("dont_obey_robotstxt")
        if page and self.max_pages is not None:
            if self.pages is None:
                assert self.crawler.stats is not None
                self.pages = int(self.crawler.stats.get_value(PAGES_DONE, 0))
            if self.pages >= self.max_pages:
                if self.pages == self.max_pages:
                    self.pages += 1  # say it once
                    logger.warning("max_pages (%d) reached: no further page is fetched", self.max_pages)
                raise _refuse(self.crawler, "max_pages", request, logging.DEBUG)
            self.pages += 1
            request.meta[PAGE] = True
        self.per_host[host] = sent + 1


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` value asks for: delay-seconds or an HTTP-date (RFC 9110); None if neither."""
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" or no zone: HTTP-dates are in GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Honours ``Retry-After`` on 429 and 503 answers, up to ``NPSWATCH_RETRY_AFTER_MAX`` seconds.

    After such an answer no request to that host:port is sent before the time it names (the retry
    RetryMiddleware makes included); a longer wait is cut to the cap (``npswatch/retry_after/capped``).
    Requests waiting when the crawl is asked to stop are dropped (``npswatch/refused/stopping``), so a
    stop is never held up by a site's wait.  Placed after RetryMiddleware (its ``process_response`` runs
    first).  Off with a cap of 0.
    """

    STATUSES = (429, 503)

    def __init__(self, crawler: Crawler, cap: float) -> None:
        self.crawler = crawler
        self.cap = cap
        self.until: dict[str, float] = {}  # host:port -> monotonic time before which nothing is sent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        cap = crawler.settings.getfloat("NPSWATCH_RETRY_AFTER_MAX")
        if cap <= 0:
            raise NotConfigured("NPSWATCH_RETRY_AFTER_MAX is 0")
        return cls(crawler, cap)

    async def process_request(self, request: Request) -> None:
        key = netloc(request.url)
        while (wait := self.until.get(key, 0.0) - time.monotonic()) > 0:
            engine = self.crawler.engine
            if engine is None or not engine.running:
                raise _refuse(self.crawler, "stopping", request)
            await asyncio.sleep(min(wait, 0.5))  # short steps: a stop is noticed within half a second

    def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get("Retry-After") if response.status in self.STATUSES else None
        if not header:
            return response
        stats = self.crawler.stats
        assert stats is not None
        wait = retry_after_seconds(header.decode("latin-1"))
        if wait is None:
            stats.inc_value("npswatch/retry_after/unparsed")
            return response
        if wait > self.cap:
            stats.inc_value("npswatch/retry_after/capped")
            wait = self.cap
        key = netloc(request.url)
        self.until[key] = max(self.until.get(key, 0.0), time.monotonic() + wait)
        stats.inc_value("npswatch/retry_after/honoured")
        logger.info("%s asks to wait %.0fs (Retry-After: %s)", key, wait, header.decode("latin-1"))
        return response


class AsOfHeaderMiddleware:
    """Sends ``X-Npswatch-As-Of`` so the demo sites serve the simulated day; off without ``--as-of``."""

    HEADER = "X-Npswatch-As-Of"

    def __init__(self, as_of: str) -> None:
        self.as_of = as_of

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        as_of = crawler.settings.get("NPSWATCH_AS_OF")
        if not as_of:
            raise NotConfigured  # no --as-of: nothing to send
        return cls(str(as_of))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault(self.HEADER, self.as_of)
