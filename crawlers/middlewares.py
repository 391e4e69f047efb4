"""Downloader middlewares: keep a crawl inside its source, and tell demo sites the simulated day."""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def netloc(url: str) -> str:
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


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
    host:port pairs are in scope.
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
        target = netloc(request.url)
        if target in self._allowed():
            return
        host = urlsplit(request.url).hostname or ""
        reason = "private_address" if is_private_host(host) else "offsite"
        assert self.stats is not None
        self.stats.inc_value(f"npswatch/refused/{reason}")
        logger.info("Refused %s request to %s", reason, request.url)
        raise IgnoreRequest(f"{reason}: {request.url}")


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
