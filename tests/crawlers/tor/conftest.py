"""The onion lab: demo market and forum published as onion services of a private Tor network on 127.0.0.1.

The market is served through a small front server that adds what hostile onion pages carry:
links to a clear-web host (a local server that must never receive a request), a redirect to it,
and a DDoS-queue page.  Everything started here is stopped by the fixtures' finalizers.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from demosites.server import DemoSites
from tests.crawlers.tor.network import TorNetwork, TorNetworkError, tor_binaries
from tests.httpsite import Route, Site, send, serve

QUEUE_PAGE = "<html><title>Queue</title><h1>DDoS protection</h1><p>You are in the queue, please wait.</p></html>"


@dataclass
class OnionLab:
    network: TorNetwork
    market_direct: str  # the demo market itself, for the direct crawl
    market_onion: str  # http://<onion>  (through the front server)
    forum_onion: str
    clear: Site  # the clear-web host the onion pages point to
    clear_links: int  # distinct clear-web URLs the onion market leads to (links and the redirect)
    timings: dict[str, float]

    def tor_env(self, data_dir: Path) -> dict[str, str]:
        return {**os.environ, "NPSWATCH_DATA_DIR": str(data_dir), "NPSWATCH_TOR_HOST": "127.0.0.1",
                "NPSWATCH_TOR_SOCKS_PORTS": ",".join(str(c.socks_port) for c in self.network.clients),
                "NPSWATCH_TOR_CONTROL_PORTS": ",".join(str(c.control_port) for c in self.network.clients),
                "NPSWATCH_TOR_BOOTSTRAP_TIMEOUT": "30"}  # fmt: skip


@pytest.fixture(scope="session")
def tor_installed() -> None:
    """Skip without tor and tor-gencert, except under CI=true where a missing tor is a failure."""
    if all(tor_binaries()):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true: tor and tor-gencert are required (listed in .ci/apt-packages), found neither on PATH")
    pytest.skip("tor and tor-gencert are not installed (apt-get install tor)")


class _Front(ThreadingHTTPServer):
    upstream: str
    clear: str
    clear_port: int


class _FrontHandler(BaseHTTPRequestHandler):
    """Forwards to the demo market; adds clear-web links, a redirect to the clear web and a queue page."""

    server: _Front

    def do_GET(self) -> None:
        if self.path == "/go-clear":
            return self._send(302, b"", {"Location": f"{self.server.clear}/from-redirect"})
        if self.path == "/queue":
            return self._send(200, QUEUE_PAGE.encode(), {"Content-Type": "text/html; charset=utf-8"})
        request = urllib.request.Request(self.server.upstream + self.path, headers={
            k: v for k, v in self.headers.items() if k.lower().startswith("x-npswatch")})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, body, ctype = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            status, body, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
        if self.path == "/" and status == 200:
            links = (f'<a class="card-link" href="{self.server.clear}/from-link">clear</a>'
                     f'<a class="card-link" href="http://localhost:{self.server.clear_port}/from-localhost">local</a>'
                     '<a class="card-link" href="/go-clear">away</a><a class="card-link" href="/queue">queue</a>')
            body = body.replace(b"</body>", links.encode() + b"</body>")  # fmt: skip
        return self._send(status, body, {"Content-Type": ctype})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        send(self, status, body, headers)

    def log_message(self, format: str, *args: object) -> None:
        return None


def _serve_front(upstream: str, clear: str) -> tuple[_Front, threading.Thread]:
    server = _Front(("127.0.0.1", 0), _FrontHandler)
    server.upstream, server.clear, server.clear_port = upstream, clear, int(clear.rsplit(":", 1)[1])
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def socks_get(socks_port: int, host: str, path: str, timeout: float = 15) -> int:
    """GET http://host/path through Tor's SOCKS port (SOCKS5, name resolved by Tor); return the HTTP status."""
    with socket.create_connection(("127.0.0.1", socks_port), timeout=timeout) as sock:
        sock.sendall(b"\x05\x01\x00")  # SOCKS5, one method: no authentication
        if sock.recv(2) != b"\x05\x00":
            raise OSError("SOCKS5 handshake refused")
        name = host.encode()
        sock.sendall(b"\x05\x01\x00\x03" + bytes([len(name)]) + name + (80).to_bytes(2, "big"))
        reply = sock.recv(10)
        if len(reply) < 2 or reply[1] != 0:
            raise OSError(f"SOCKS5 CONNECT failed with reply code {reply[1] if len(reply) > 1 else '?'}")
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
        status_line = sock.makefile("rb").readline().decode("latin-1")
    return int(status_line.split()[1])


def _wait_onion(network: TorNetwork, url: str, deadline: float) -> None:
    parts = urlsplit(url)
    last = ""
    while time.monotonic() < deadline:
        try:
            if socks_get(network.client.socks_port, parts.hostname or "", parts.path or "/") < 500:
                return
        except (OSError, ValueError, IndexError) as exc:
            last = str(exc)
        time.sleep(1)
    raise TimeoutError(f"{url} not reachable through the private Tor network: {last}; logs in {network.root}")


@pytest.fixture(scope="session")
def onion_lab(tor_installed: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OnionLab]:
    root = tmp_path_factory.mktemp("tornet")
    with DemoSites(sites=["nova_market", "lowlands_forum"], free_ports=True) as demo, \
            serve({"/": Route("clear web")}) as clear:  # fmt: skip
        front, thread = _serve_front(demo.urls["nova_market"], clear.url)
        forum_port = int(demo.urls["lowlands_forum"].rsplit(":", 1)[1])
        services = {"market": front.server_address[1], "forum": forum_port}
        network = TorNetwork(root / "try1", services, clients=2)
        started = time.monotonic()
        try:
            try:
                network.start(timeout=120)
            except TorNetworkError as first:  # a node that fails to start (a port taken meanwhile): one fresh try
                logging.getLogger(__name__).warning("private Tor network failed to start, trying once more: %s", first)
                network.stop()
                network = TorNetwork(root / "try2", services, clients=2)
                started = time.monotonic()
                network.start(timeout=120)
            market, forum = (f"http://{network.onions[s]}" for s in ("market", "forum"))
            _wait_onion(network, market + "/", started + 120)
            _wait_onion(network, forum + "/index.php", started + 120)
            timings = {**network.timings, "onions_reachable": time.monotonic() - started}
            yield OnionLab(network, demo.urls["nova_market"], market, forum, clear, 3, timings)
        finally:
            network.stop()
            front.shutdown()
            front.server_close()
            thread.join(timeout=5)
