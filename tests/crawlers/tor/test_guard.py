"""The leak guard and the proxy middleware: a Tor source's requests reach the network only through Tor."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpproxy import HttpProxyMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.test import get_crawler

from crawlers.run import CrawlJob, crawl_settings
from crawlers.tor.control import TorPool
from crawlers.tor.guard import TorGuardMiddleware, route_problem, socks_handler_configured
from crawlers.tor.proxy import TorProxyMiddleware
from crawlers.tor.status import StatusStore

ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
ENDPOINTS = {("127.0.0.1", 9050), ("127.0.0.1", 9150)}


def source(tor: bool = True, name: str = "hidden_market") -> Any:
    return SimpleNamespace(name=name, tor=tor, start_urls=[f"http://{ONION}/"], politeness=SimpleNamespace(
        delay=0, concurrency=2, autothrottle=False), max_depth=3, max_pages=50)  # fmt: skip


def routed(url: str, proxy: str | None) -> Request:
    """A request as it reaches the end of the chain: HttpProxyMiddleware has moved the credentials to a header."""
    request = Request(url, meta={"proxy": proxy} if proxy else {})
    HttpProxyMiddleware().process_request(request)
    return request


@pytest.mark.parametrize(("url", "proxy", "reason"), [
    (f"http://{ONION}/", "socks5h://hidden_market:x@127.0.0.1:9050", None),
    (f"https://www.{ONION}/x", "socks5h://hidden_market:x@127.0.0.1:9150", None),
    (f"http://{ONION}/", None, "no_proxy"),
    (f"http://{ONION}/", "http://127.0.0.1:8118", "not_socks5h"),
    (f"http://{ONION}/", "socks5://hidden_market:x@127.0.0.1:9050", "not_socks5h"),  # local DNS: never
    (f"http://{ONION}/", "socks4://127.0.0.1:9050", "not_socks5h"),
    (f"http://{ONION}/", "socks5h://hidden_market:x@127.0.0.1:9051", "not_tor_port"),
    (f"http://{ONION}/", "socks5h://hidden_market:x@10.0.0.5:9050", "not_tor_port"),
    (f"http://{ONION}/", "socks5h://other_market:x@127.0.0.1:9050", "isolation_key"),
    (f"http://{ONION}/", "socks5h://127.0.0.1:9050", "isolation_key"),
    ("http://127.0.0.1:8080/", "socks5h://hidden_market:x@127.0.0.1:9050", "clearweb"),
    ("https://example.com/", "socks5h://hidden_market:x@127.0.0.1:9050", "clearweb"),
])  # fmt: skip
def test_route_problem_names_why_a_request_would_not_go_through_tor(url: str, proxy: str | None,
                                                                    reason: str | None) -> None:  # fmt: skip
    assert route_problem(routed(url, proxy), ENDPOINTS, "hidden_market") == reason


def test_credentials_left_in_the_proxy_url_are_read_too() -> None:
    request = Request(f"http://{ONION}/", meta={"proxy": "socks5h://hidden_market:x@127.0.0.1:9050"})
    assert route_problem(request, ENDPOINTS, "hidden_market") is None


def test_a_download_handler_without_socks_fails_every_request() -> None:
    request = routed(f"http://{ONION}/", "socks5h://hidden_market:x@127.0.0.1:9050")
    assert route_problem(request, ENDPOINTS, "hidden_market", handler_ok=False) == "not_socks_handler"


def test_tor_sources_get_the_httpx_handler_and_clear_web_sources_keep_the_default() -> None:
    tor = crawl_settings(CrawlJob(source(tor=True)))
    clear = crawl_settings(CrawlJob(source(tor=False)))
    assert socks_handler_configured(dict(tor.getwithbase("DOWNLOAD_HANDLERS")))
    assert not socks_handler_configured(dict(clear.getwithbase("DOWNLOAD_HANDLERS")))
    assert tor.getint("DOWNLOAD_TIMEOUT") == 180


def test_guard_is_the_last_downloader_middleware_and_the_proxy_comes_before_the_scope_check() -> None:
    settings = crawl_settings(CrawlJob(source()))
    order = sorted(settings.getwithbase("DOWNLOADER_MIDDLEWARES").items(), key=lambda kv: kv[1] or 0)
    names = [name if isinstance(name, str) else name.__module__ + "." + name.__name__ for name, _ in order]
    assert names[-1] == "crawlers.tor.guard.TorGuardMiddleware"
    assert names.index("crawlers.tor.proxy.TorProxyMiddleware") < names.index(
        "crawlers.middlewares.SourceScopeMiddleware")


def crawler_for(src: Any, tmp_path: Path) -> Any:
    crawler = get_crawler(settings_dict={"NPSWATCH_TOR_SOCKS_PORTS": "9050,9150",
                                         "NPSWATCH_TOR_CONTROL_PORTS": "9051,9151", "NPSWATCH_TOR_HOST": "127.0.0.1",
                                         "NPSWATCH_TOR_STATUS_FILE": str(tmp_path / "status.json")})  # fmt: skip
    crawler.spider = SimpleNamespace(source=src)
    return crawler


def test_guard_refuses_counts_and_never_lets_a_stray_request_through(tmp_path: Path) -> None:
    crawler = crawler_for(source(), tmp_path)
    guard = TorGuardMiddleware(crawler, ENDPOINTS, "hidden_market", handler_ok=True)
    guard.process_request(routed(f"http://{ONION}/", "socks5h://hidden_market:x@127.0.0.1:9050"))
    for request in (routed(f"http://{ONION}/", None), routed("http://127.0.0.1:1/", "http://127.0.0.1:3128")):
        with pytest.raises(IgnoreRequest):  # IgnoreRequest: dropped, and RetryMiddleware never retries it
            guard.process_request(request)
    assert crawler.stats.get_value("npswatch/tor/refused/no_proxy") == 1
    assert crawler.stats.get_value("npswatch/tor/refused/not_socks5h") == 1


def test_guard_and_proxy_switch_themselves_off_for_clear_web_sources(tmp_path: Path) -> None:
    crawler = crawler_for(source(tor=False), tmp_path)
    for middleware in (TorGuardMiddleware, TorProxyMiddleware):
        with pytest.raises(NotConfigured):
            middleware.from_crawler(crawler)


def proxy_middleware(tmp_path: Path, name: str = "hidden_market") -> TorProxyMiddleware:
    crawler = crawler_for(source(name=name), tmp_path)
    pool = TorPool.from_settings(crawler.settings)
    return TorProxyMiddleware(crawler, source(name=name), pool, StatusStore(tmp_path / "status.json"), (900, 3600))


def test_proxy_gives_each_request_the_sources_socks5h_proxy_and_isolation_key(tmp_path: Path) -> None:
    middleware = proxy_middleware(tmp_path)
    request = Request(f"http://{ONION}/listing/1")
    middleware.process_request(request)
    assert request.meta["proxy"] == f"socks5h://hidden_market:x@127.0.0.1:{middleware.instance.socks_port}"
    HttpProxyMiddleware().process_request(request)
    assert route_problem(request, ENDPOINTS, "hidden_market") is None


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/x", "https://example.com/", "http://localhost/"])
def test_proxy_refuses_clear_web_hosts_of_a_tor_source_before_anything_else(tmp_path: Path, url: str) -> None:
    middleware = proxy_middleware(tmp_path)
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request(url))
    assert middleware.crawler.stats.get_value("npswatch/tor/refused/clearweb") == 1


def test_a_source_backing_off_sends_no_request(tmp_path: Path) -> None:
    store = StatusStore(tmp_path / "status.json")
    with store.edit("hidden_market") as status:
        status.record_crawl(0, "DownloadConnectionRefusedError: Host unreachable", 900, 3600)
    middleware = proxy_middleware(tmp_path)
    assert middleware.backing_off
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request(f"http://{ONION}/"))
    assert middleware.crawler.stats.get_value("npswatch/tor/refused/backoff") == 1
