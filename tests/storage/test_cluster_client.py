"""Elasticsearch client selection: the client major matches the server's, chosen from ``GET /``.

No Elasticsearch can run here (no JVM, no Docker), so the server is a tiny real HTTP server on loopback
that answers like Elasticsearch 7, 8 or 9 does for the calls involved: ``GET /`` with its version and the
``X-Elastic-Product`` header, a search, and Elasticsearch's own refusal of a ``compatible-with`` major it
does not speak (an 8.x server accepts 7 and 8, a 9.x server 8 and 9).  The real clients (``elasticsearch8``,
``elasticsearch9``) talk to it over HTTP; nothing in the client is replaced.  The contract suite runs
against a real Elasticsearch whenever ``NPSWATCH_ES_URL`` is set.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from storage.base import StorageError
from storage.cluster import ClusterStorage, parse_target
from storage.cluster.client import ApiFailure, connect

_COMPATIBLE = re.compile(r"compatible-with=(\d+)")


@dataclass
class FakeVersionServer:
    """What an Elasticsearch server of ``number`` answers; records every request's method, path and Accept."""

    number: str
    requests: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def major(self) -> int:
        return int(self.number.split(".")[0])

    def answer(self, method: str, path: str, accept: str) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path, accept))
        asked = _COMPATIBLE.search(accept)
        if asked and int(asked[1]) not in (self.major - 1, self.major):
            reason = f"Accept version must be either version {self.major} or {self.major - 1}, but found {asked[1]}"
            return 400, {"error": {"type": "media_type_header_exception", "reason": reason}, "status": 400}
        if path == "/":
            version = {"number": self.number, "build_flavor": "default", "lucene_version": "10.0.0"}
            return 200, {
                "name": "node-1",
                "cluster_name": "test",
                "version": version,
                "tagline": "You Know, for Search",
            }
        if path.startswith("/missing/"):
            error = {"type": "index_not_found_exception", "reason": "no such index [missing]"}
            return 404, {"error": error, "status": 404}
        return 200, {"took": 1, "timed_out": False, "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}}


@pytest.fixture
def es_like(request: pytest.FixtureRequest) -> Iterator[tuple[str, FakeVersionServer]]:
    state = FakeVersionServer(request.param)

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            status, body = state.answer(self.command, self.path.split("?")[0], self.headers.get("Accept", ""))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_HEAD = _reply

        def log_message(self, format: str, *args: Any) -> None:  # keep pytest's output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("es_like", ["8.19.3", "9.2.0"], indirect=True)
def test_the_client_major_follows_the_server_major(es_like: tuple[str, FakeVersionServer]) -> None:
    url, server = es_like
    client = connect(parse_target(f"elasticsearch+{url}", environ={}))
    client.search("npswatch-documents", {"query": {"match_all": {}}})
    assert client.package == f"elasticsearch{server.major}"  # type: ignore[attr-defined]
    method, path, accept = server.requests[-1]
    assert (method, path) == ("POST", "/npswatch-documents/_search")
    assert f"compatible-with={server.major}" in accept
    assert server.requests[0][:2] == ("GET", "/")  # the first call asks the server its version
    client.close()


@pytest.mark.parametrize("es_like", ["8.15.0"], indirect=True)
def test_errors_of_the_selected_client_are_translated(es_like: tuple[str, FakeVersionServer]) -> None:
    url, _ = es_like
    client = connect(parse_target(f"es+{url}", environ={"NPSWATCH_ES_API_KEY": "k3y"}))
    with pytest.raises(ApiFailure) as refused:
        client.search("missing", {"query": {"match_all": {}}})
    assert (refused.value.status, refused.value.kind) == (404, "index_not_found_exception")
    client.close()


@pytest.mark.parametrize("es_like", ["9.0.0"], indirect=True)
def test_the_storage_opens_with_the_matching_client_and_reports_the_server_version(
    es_like: tuple[str, FakeVersionServer],
) -> None:
    url, _ = es_like
    with ClusterStorage(parse_target(f"elasticsearch+{url}", environ={}), ensure_indices=False) as store:
        assert store.version == "9.0.0"
        assert store.client.package == "elasticsearch9"  # type: ignore[attr-defined]


@pytest.mark.parametrize("es_like", ["7.17.25", "10.0.0"], indirect=True)
def test_an_elasticsearch_major_without_a_client_is_refused_by_name(es_like: tuple[str, FakeVersionServer]) -> None:
    url, server = es_like
    expected = rf"refused Elasticsearch 8 requests \(Accept version must be either version {server.major} .*\); "
    with pytest.raises(StorageError, match=expected + "expected Elasticsearch 8 or 9"):
        ClusterStorage(parse_target(f"elasticsearch+{url}", environ={}), ensure_indices=False)
