"""Every storage backend behind one fixture: the contract tests run once per backend.

- ``sqlite``: the embedded store, in pytest's temporary directory;
- ``opensearch``: the cluster backend over ``opensearch-py`` against osmem-server (an in-memory
  OpenSearch-compatible server from PyPI: no Docker, no JVM), a fresh copy-on-write clone per test;
- ``elasticsearch``: the cluster backend over the ``elasticsearch`` client against ``$NPSWATCH_ES_URL``
  (e.g. ``https://localhost:9200``; credentials in NPSWATCH_ES_USERNAME/PASSWORD or NPSWATCH_ES_API_KEY),
  with a fresh index prefix per test, dropped afterwards.  Skipped when the variable is not set.

The cluster cases carry the ``cluster`` marker.  Under ``CI=true`` a missing osmem-server fails the run:
the contract must be proven on a real OpenSearch API there, never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storage.base import Storage
from storage.sqlite import SqliteStorage
from tests.storage.contract.servers import osmem_server, osmem_url  # noqa: F401  (fixtures)

ES_URL_ENV = "NPSWATCH_ES_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("opensearch", id="opensearch", marks=pytest.mark.cluster),
    pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.cluster),
]


def es_target() -> str | None:
    url = os.environ.get(ES_URL_ENV)
    if not url:
        return None
    return url if url.startswith(("elasticsearch+", "es+")) else f"elasticsearch+{url}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Storage]]:
    """Opens the test's store (call it again for a second handle on the same data)."""
    from storage.cluster import ClusterStorage, parse_target
    from storage.cluster.indices import drop

    opened: list[Storage] = []
    cleanup: list[Callable[[], None]] = []
    if backend == "sqlite":
        target = str(tmp_path / "contract.sqlite3")
    elif backend == "opensearch":
        target = f"opensearch+{request.getfixturevalue('osmem_url')}"
    else:
        base = es_target()
        if base is None:
            pytest.skip(f"{ES_URL_ENV} is not set: no Elasticsearch to test against")
        target = f"{base}{'&' if '?' in base else '?'}prefix=npswatch-test-{uuid.uuid4().hex[:12]}"

    def make() -> Storage:
        store: Storage = SqliteStorage(target) if backend == "sqlite" else ClusterStorage(parse_target(target))
        opened.append(store)
        return store

    if backend == "elasticsearch":
        cleanup.append(lambda: drop(ClusterStorage(parse_target(target), ensure_indices=False).client, _prefix(target)))
    yield make
    for store in opened:
        store.close()
    for step in cleanup:
        step()


def _prefix(target: str) -> str:
    return target.rsplit("prefix=", 1)[1]


@pytest.fixture
def store(open_store: Callable[[], Storage]) -> Storage:
    return open_store()
