"""Routing of Tor sources: every request gets Tor's SOCKS port with the source's own isolation key.

Whether a request goes through Tor is decided by its *source* (``tor: true``), never by its host
name.  The proxy is ``socks5h://<source>:x@<host>:<socks port>``: Tor resolves every name, and
``IsolateSOCKSAuth`` (on by default) gives each user name its own circuits.  The download handler
for Tor sources is httpx (``source_settings``), the one Scrapy handler that speaks SOCKS.

Before the first request this middleware waits for Tor's bootstrap (``TorNotReady`` otherwise).
It refuses, before any other middleware sees them, requests of a Tor source to a host that is not
an onion (``clearweb``: links and redirects out of the onion) and every request while the source
backs off after failed crawls (``backoff``).  ``crawlers.tor.guard`` re-checks at the end.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawlers.tor.control import TorPool
from crawlers.tor.onion import is_onion_host
from crawlers.tor.status import StatusStore

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

    from crawlers.config import Source

logger = logging.getLogger(__name__)
REFUSED = "npswatch/tor/refused/"


def tor_source(crawler: Crawler) -> Source | None:
    """The crawl's source if it is a Tor source, else None."""
    source = getattr(crawler.spider, "source", None)
    return source if source is not None and getattr(source, "tor", False) else None


def isolation_key(source: Source) -> str:
    """One SOCKS user name per source: its own circuits, and a bounded number of proxy clients."""
    return source.name


def refuse(crawler: Crawler, reason: str, request: Request) -> NoReturn:
    """Count the refusal as ``npswatch/tor/refused/<reason>`` and drop the request (IgnoreRequest is not retried)."""
    if crawler.stats is not None:
        crawler.stats.inc_value(REFUSED + reason)
    logger.warning("Tor: refused (%s) %s", reason, request.url)
    raise IgnoreRequest(f"tor {reason}: {request.url}")


class TorProxyMiddleware:
    def __init__(self, crawler: Crawler, source: Source, pool: TorPool, store: StatusStore,
                 backoff: tuple[float, float]) -> None:  # fmt: skip
        self.crawler = crawler
        self.source = source
        self.key = isolation_key(source)
        self.instance = pool.instance_for(self.key)
        self.proxy = self.instance.proxy_url(self.key)
        self.store = store
        self.backoff = backoff
        self.status = store.get(source.name)
        self.backing_off = self.status.backing_off()
        self.last_error: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        source = tor_source(crawler)
        if source is None:
            raise NotConfigured  # clear-web source: nothing to route or guard
        settings = crawler.settings
        pool = TorPool.from_settings(settings)
        store = StatusStore(Path(settings.get("NPSWATCH_TOR_STATUS_FILE")))
        backoff = settings.getfloat("NPSWATCH_TOR_BACKOFF_BASE"), settings.getfloat("NPSWATCH_TOR_BACKOFF_MAX")
        middleware = cls(crawler, source, pool, store, backoff)
        if middleware.backing_off:
            logger.warning("%s is down since %s (%s): backing off until %s, no request sent", source.name,
                           middleware.status.down_since, middleware.status.last_error, middleware.status.next_try)
        else:  # fails with TorNotReady before any request when Tor is missing or not bootstrapped
            pool.ensure_ready(settings.getfloat("NPSWATCH_TOR_BOOTSTRAP_TIMEOUT"),
                              launch=settings.getbool("NPSWATCH_TOR_LAUNCH"),
                              data_dir=Path(settings.get("NPSWATCH_DATA_DIR")),
                              binary=settings.get("NPSWATCH_TOR_BINARY"), only=[middleware.instance])  # fmt: skip
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        if self.backing_off:
            refuse(self.crawler, "backoff", request)
        if not is_onion_host(urlsplit(request.url).hostname):
            refuse(self.crawler, "clearweb", request)
        request.meta["proxy"] = self.proxy

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest):
            self.last_error = f"{type(exception).__name__}: {exception}"[:500]

    def spider_closed(self, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        with self.store.edit(self.source.name) as status:
            status.instance, status.isolation_key = self.instance.index, self.key
            status.refused = {k.removeprefix(REFUSED): int(v) for k, v in stats.items() if k.startswith(REFUSED)}
            if self.backing_off:
                return
            status.walls = {k.rsplit("/", 1)[1]: int(v) for k, v in stats.items() if k.startswith("npswatch/walls/")}
            pages = int(stats.get("response_received_count", 0))
            status.record_crawl(pages, self.last_error or (None if reason == "finished" else reason), *self.backoff)
