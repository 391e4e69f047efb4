"""Serve the demo sites on localhost, one port and one thread per site.

Every request may carry ``X-Npswatch-As-Of: YYYY-MM-DD`` (the crawler sends it for ``--as-of``);
without it a site serves the last day of the timeline.  Each response says the day it was served
as in ``X-Demo-Day`` (with ``; clamped-from=...`` when the asked date was outside the timeline).

    python -m demosites.server            # all sites on their default ports, until Ctrl-C
    with DemoSites(free_ports=True) as demo:
        os.environ.update(demo.env())     # what the source files' ${NPSWATCH_DEMO_..._URL} read
"""

from __future__ import annotations

import argparse
import contextlib
import os
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from demosites.beds.registry import BED_SITES
from demosites.sites.chemvendo_shop import ChemvendoShop
from demosites.sites.lowlands_forum import LowlandsForum
from demosites.sites.nova_market import NovaMarket
from demosites.sites.salon_fr import SalonFr
from demosites.sites.tulip_bazaar import TulipBazaar
from demosites.timeline import FAULTS, FAULTS_ENV, SEED, Fault, faults_for, parse_faults
from demosites.web import HTML, Response, SiteApp, text
from npswatch import settings

SITES: dict[str, int] = {
    "nova_market": 8701,
    "tulip_bazaar": 8702,
    "lowlands_forum": 8703,
    "salon_fr": 8704,
    "chemvendo_shop": 8705,
}
APPS: dict[str, Callable[[int], SiteApp]] = {  # site -> factory taking the seed
    "nova_market": NovaMarket,
    "tulip_bazaar": TulipBazaar,
    "lowlands_forum": LowlandsForum,
    "salon_fr": SalonFr,
    "chemvendo_shop": ChemvendoShop,
}
# Every site the server can serve: the demo's, and the test beds' (demosites.beds; never part of `npswatch demo`).
PORTS: dict[str, int] = {**SITES, **{site: bed.port for site, bed in BED_SITES.items()}}
FACTORIES: dict[str, Callable[[int], SiteApp]] = {**APPS, **{site: bed.factory for site, bed in BED_SITES.items()}}
AS_OF_HEADER = "X-Npswatch-As-Of"
DAY_HEADER = "X-Demo-Day"


def env_var(site: str) -> str:
    """The environment variable a source file reads the site's base URL from."""
    return f"NPSWATCH_DEMO_{site.upper()}_URL"


# Fault pages (docs/demo-timeline.md): what a site shows instead of content on a fault day.
CAPTCHA_PAGE = (b"<!DOCTYPE html><html><head><title>Security check</title></head><body><h1>Security check</h1>"
                b"<p>Solve the captcha to continue.</p><form method=\"post\"><img src=\"/captcha.png\" alt=\"captcha\">"
                b"<input name=\"captcha_answer\"><button>Continue</button></form></body></html>")  # fmt: skip
SESSION_EXPIRED_PAGE = (b"<!DOCTYPE html><html><head><title>Log in</title></head><body><h1>Log in</h1>"
                        b"<p class=\"notice\">Your session has expired. Please log in again.</p><form method=\"post\">"
                        b"<input name=\"username\"><input type=\"password\" name=\"password\"><button>Log in"
                        b"</button></form></body></html>")  # fmt: skip
# layout_change: the class of the element holding each site's listing or thread title is renamed.
LAYOUT_CHANGES: dict[str, tuple[bytes, bytes]] = {
    "nova_market": (b'class="listing-title"', b'class="item-heading"'),
    "tulip_bazaar": (b'CLASS="title"', b'CLASS="itemname"'),
    "lowlands_forum": (b'class="topic-title"', b'class="thread-heading"'),
    "salon_fr": (b'class="discussion-titre"', b'class="sujet-titre"'),
    "chemvendo_shop": (b'class="product_title entry-title"', b'class="product-name entry-title"'),
}


SLOW_SECONDS = 1.0  # the "slow" fault: how long every answer waits


ENTRY_PAGES = ("", "/", "/shop/", "/robots.txt")  # where the demo sources start, and robots.txt


def failing_page(target: str) -> bool:
    """The pages the "errors" fault answers with a 500: about half of them (by a hash of path and query), the same
    ones on every request; never an entry page, so the crawl still reaches the site."""
    return urlsplit(target).path not in ENTRY_PAGES and zlib.crc32(target.encode()) % 2 == 1


def delay(app: SiteApp, as_of: str | None, faults: tuple[Fault, ...] | None = None) -> float:
    """Seconds to wait before answering: ``SLOW_SECONDS`` on the days of a "slow" fault."""
    try:
        day = app.timeline.parse_as_of(as_of).day
    except ValueError:
        return 0.0
    return SLOW_SECONDS if any(f.kind == "slow" for f in faults_for(app.name, day, faults)) else 0.0


def respond(
    app: SiteApp, target: str, as_of: str | None, faults: tuple[Fault, ...] | None = None
) -> tuple[Response, str | None]:
    """The response to a GET of ``target`` (path and query) as of the given date, and the X-Demo-Day value."""
    try:
        when = app.timeline.parse_as_of(as_of)
    except ValueError:
        return text(f"{AS_OF_HEADER} must be a date YYYY-MM-DD, found {as_of!r}\n", 400), None
    kinds = {f.kind for f in faults_for(app.name, when.day, faults)}
    parts = urlsplit(target)
    if "outage" in kinds:
        return text("503 Service Unavailable\n", 503), when.header
    if "captcha" in kinds:
        return Response(200, CAPTCHA_PAGE, HTML), when.header
    if "session_expired" in kinds:
        return Response(200, SESSION_EXPIRED_PAGE, HTML), when.header
    if "errors" in kinds and failing_page(target):
        return text("500 Internal Server Error\n", 500), when.header
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    response = app.handle(unquote(parts.path) or "/", query, when.day)
    if "layout_change" in kinds and app.name in LAYOUT_CHANGES:
        before, after = LAYOUT_CHANGES[app.name]
        response = Response(response.status, response.body.replace(before, after), response.content_type,
                            response.headers)  # fmt: skip
    return response, when.header


@dataclass(frozen=True)
class Served:
    """One answer a demo site gave (``DemoSites.served``): tests count what a crawl was shown."""

    site: str
    path: str  # path and query, as requested
    as_of: str | None  # the X-Npswatch-As-Of header
    status: int
    at: float = field(default_factory=time.monotonic)  # when it was sent


class _Handler(BaseHTTPRequestHandler):
    server_version = "npswatch-demo/1"
    app: SiteApp  # set on the subclass made for each site
    faults: tuple[Fault, ...] | None = None  # None: the timeline's FAULTS
    served: list[Served]  # every GET answered, in order (shared by the sites of one DemoSites)

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        wait = delay(self.app, self.headers.get(AS_OF_HEADER), self.faults)
        if wait:
            time.sleep(wait)  # each request has its own thread: a slow site, not a serialised one
        response, day = respond(self.app, self.path, self.headers.get(AS_OF_HEADER), self.faults)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        if day:
            self.send_header(DAY_HEADER, day)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(response.body)
            self.served.append(Served(self.app.name, self.path, self.headers.get(AS_OF_HEADER), response.status))

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no line on stderr per request."""


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 overflows when a crawler opens its 8-16 connections at once: the
    # kernel drops the SYN and the client retries it 1 s later, so a page now and then took 1-3 s.
    request_queue_size = 128


class DemoSites:
    """The demo sites served in background threads; a context manager.

    ``free_ports=True`` lets the OS pick a free port for each site (for tests); otherwise the ports
    come from ``ports`` or ``PORTS``.  ``sites`` defaults to the demo's; a test bed's sites
    (``demosites.beds``) are served when named.  ``faults`` (a tuple, or text as in
    ``NPSWATCH_DEMO_FAULTS``, e.g. ``"scenario"``) makes sites misbehave on given days; by default the
    environment variable decides, and without it there are no faults.  A test bed's own faults (part
    of its script) are always served.
    """

    def __init__(
        self,
        sites: Iterable[str] | None = None,
        host: str = "127.0.0.1",
        ports: Mapping[str, int] | None = None,
        free_ports: bool = False,
        seed: int = SEED,
        faults: tuple[Fault, ...] | str | None = None,
    ) -> None:
        self.sites = list(sites or SITES)
        if faults is None:
            faults = settings.demo_faults() or ""
        unknown = [s for s in self.sites if s not in PORTS]
        if unknown:
            raise ValueError(f"unknown demo site(s) {', '.join(unknown)}; expected some of {', '.join(PORTS)}")
        scripted = tuple(f for s in self.sites if s in BED_SITES for f in BED_SITES[s].faults)
        self.faults = FAULTS + scripted + (parse_faults(faults) if isinstance(faults, str) else faults)
        self.host = host
        self.ports = {s: 0 if free_ports else (ports or {}).get(s, PORTS[s]) for s in self.sites}
        self.seed = seed
        self.urls: dict[str, str] = {}
        self.served: list[Served] = []  # every GET answered (list.append is atomic: safe across the server threads)
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> DemoSites:
        try:
            for site in self.sites:
                self._start_one(site)
        except OSError:
            self.stop()
            raise
        return self

    def _start_one(self, site: str) -> None:
        attributes = {"app": FACTORIES[site](self.seed), "faults": self.faults, "served": self.served}
        handler = type(f"{site}_handler", (_Handler,), attributes)
        server = _Server((self.host, self.ports[site]), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name=f"demosite-{site}", daemon=True)
        thread.start()
        self._servers.append(server)
        self._threads.append(thread)
        self.urls[site] = f"http://{self.host}:{server.server_address[1]}"

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads, self.urls = [], [], {}

    def env(self) -> dict[str, str]:
        """``env_var(site) -> url`` for every running site."""
        return {env_var(site): url for site, url in self.urls.items()}

    def __enter__(self) -> DemoSites:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve_forever(
    sites: Iterable[str] | None = None, host: str = "127.0.0.1", ports: Mapping[str, int] | None = None
) -> None:
    """Serve the sites until Ctrl-C, printing where each one is."""
    with DemoSites(sites, host, ports) as demo:
        for site, url in demo.urls.items():
            print(f"{site:16} {url}   ({env_var(site)})", flush=True)
        print("Serving as of the last day unless a request sends X-Npswatch-As-Of: YYYY-MM-DD. Ctrl-C stops.")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the npswatch demo sites on localhost.")
    parser.add_argument("sites", nargs="*", help=f"sites to serve (default the demo's: {', '.join(SITES)}; "
                        f"test beds: {', '.join(BED_SITES)})")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--faults", help=f"'scenario' or site:kind:days;... (default: ${FAULTS_ENV})")
    args = parser.parse_args(argv)
    if args.faults is not None:
        os.environ[FAULTS_ENV] = args.faults
    serve_forever(args.sites or None, args.host)


if __name__ == "__main__":
    main()
