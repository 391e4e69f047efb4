"""A tiny local HTTP site for tests: fixed routes, and a log of every request it received (and when)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Route:
    body: str | bytes = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Site:
    url: str
    requests: list[tuple[str, dict[str, str]]]  # (path, headers) in arrival order
    times: list[float] = field(default_factory=list)  # time.monotonic() of each request, same order


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: Mapping[str, str]) -> None:
    """Answer the request ``handler`` is serving with ``status``, ``headers`` and ``body`` (its length added)."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def serve(routes: Mapping[str, Route | list[Route]], host: str = "127.0.0.1") -> Iterator[Site]:
    """Serve ``routes`` on a free port of ``host``; unknown paths get 404.  A list of routes is answered in
    turn, its last one from then on."""
    log: list[tuple[str, dict[str, str]]] = []
    times: list[float] = []
    served: dict[str, int] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                log.append((self.path, dict(self.headers.items())))
                times.append(time.monotonic())
                turn = served[self.path] = served.get(self.path, -1) + 1
            found = routes.get(self.path, Route("not found", 404))
            route = found[min(turn, len(found) - 1)] if isinstance(found, list) else found
            body = route.body if isinstance(route.body, bytes) else route.body.encode("utf-8")
            send(self, route.status, body, {"Content-Type": "text/html; charset=utf-8", **route.headers})

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(f"http://{host}:{server.server_address[1]}", log, times)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class LocalServer:
    """A threaded HTTP server with ``handler`` on a free loopback port for the ``with`` block; ``url`` + ``path``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], path: str = "/") -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
