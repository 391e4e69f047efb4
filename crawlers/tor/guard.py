"""The leak guard: the last downloader middleware refuses any request of a Tor source not going through Tor.

It sits after every other middleware (redirects, retries, proxies, WARC), so whatever changed a
request on the way, a Tor source's request reaches the network only when all of these hold:

- the download handler of its scheme is the SOCKS-capable httpx handler;
- its proxy is ``socks5h`` (names resolved by Tor) on one of the pool's SOCKS ports;
- its isolation key (the SOCKS user name) is the source's own;
- its host is an onion.

Anything else is counted as ``npswatch/tor/refused/<reason>`` and dropped with IgnoreRequest,
which is never retried.  Clear-web sources are not touched (the middleware switches itself off).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

from crawlers.tor.control import TorPool
from crawlers.tor.onion import is_onion_host
from crawlers.tor.proxy import isolation_key, refuse, tor_source

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler


def _proxy_user(request: Request, proxy_username: str | None) -> str | None:
    """The SOCKS user name: in the proxy URL, or moved to Proxy-Authorization by HttpProxyMiddleware."""
    if proxy_username:
        return unquote(proxy_username)
    header = request.headers.get(b"Proxy-Authorization")
    if not header or not header.startswith(b"Basic "):
        return None
    try:
        return base64.b64decode(header[6:]).decode("latin-1").split(":", 1)[0]
    except (binascii.Error, ValueError):
        return None


def route_problem(request: Request, endpoints: set[tuple[str, int]], key: str, handler_ok: bool = True) -> str | None:
    """Why this request of a Tor source would not go through Tor, or None when it would."""
    if not handler_ok:
        return "not_socks_handler"
    proxy = request.meta.get("proxy")
    if not proxy:
        return "no_proxy"
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if parts.scheme != "socks5h":
        return "not_socks5h"
    try:
        endpoint = ((parts.hostname or "").lower(), parts.port)
    except ValueError:
        return "not_tor_port"
    if endpoint not in endpoints:
        return "not_tor_port"
    if _proxy_user(request, parts.username) != key:
        return "isolation_key"
    if not is_onion_host(urlsplit(request.url).hostname):
        return "clearweb"
    return None


def socks_handler_configured(handlers: dict[str, object]) -> bool:
    """True when http and https are both downloaded by the httpx handler (the others refuse or ignore SOCKS)."""
    from scrapy.core.downloader.handlers._httpx import HttpxDownloadHandler

    for scheme in ("http", "https"):
        handler = handlers.get(scheme)
        cls = load_object(handler) if isinstance(handler, str) else handler
        if not (isinstance(cls, type) and issubclass(cls, HttpxDownloadHandler)):
            return False
    return True


class TorGuardMiddleware:
    def __init__(self, crawler: Crawler, endpoints: set[tuple[str, int]], key: str, handler_ok: bool) -> None:
        self.crawler = crawler
        self.endpoints = endpoints
        self.key = key
        self.handler_ok = handler_ok

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        source = tor_source(crawler)
        if source is None:
            raise NotConfigured  # clear-web source: nothing to route or guard
        pool = TorPool.from_settings(crawler.settings)
        endpoints = {(host.lower(), port) for host, port in pool.socks_endpoints}
        handler_ok = socks_handler_configured(dict(crawler.settings.getwithbase("DOWNLOAD_HANDLERS")))
        return cls(crawler, endpoints, isolation_key(source), handler_ok)

    def process_request(self, request: Request) -> None:
        reason = route_problem(request, self.endpoints, self.key, self.handler_ok)
        if reason is not None:
            refuse(self.crawler, reason, request)
