"""Fixtures shared by more than one test package (a package's own fixtures stay in its conftest.py).

- ``db_path``, ``store``: a fresh embedded store per test;
- ``osmem_server`` (one per session), ``osmem_url`` (a fresh clone per test): the OpenSearch API of osmem-server;
- ``backend``, ``open_store``: every storage backend behind one fixture (the storage contract suite, the signals
  over each backend): ``sqlite``; ``opensearch`` over osmem-server; ``elasticsearch`` against ``$NPSWATCH_ES_URL``
  with a fresh index prefix per test (skipped when the variable is not set).  The cluster cases carry the
  ``cluster`` marker; under ``CI=true`` a missing osmem-server fails the run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.base import Storage
from storage.sqlite import SqliteStorage
from tests.servers import ES_URL_ENV, es_target, start_osmem, stop_osmem

# Tests of tests/nlp over 2 s (pytest --durations=0), marked slow here rather than in their files because another
# branch rewrites tests/nlp (issue 18, item 3); when it lands these become @pytest.mark.slow in their files.
SLOW_ELSEWHERE = {
    "tests/nlp/test_compiled.py::test_compiled_and_pure_python_extraction_give_the_same_json",
    "tests/nlp/test_api.py::test_bad_input_gives_valid_json[text3]",
    "tests/nlp/test_api.py::test_unknown_language_falls_back_to_detection",
    "tests/nlp/test_api.py::test_pipeline_saves_and_loads_with_its_data",
    "tests/nlp/test_import.py::test_nlp_imports_and_runs_without_scrapy_or_twisted",
    "tests/nlp/test_cli.py::test_files_and_stdin_stdout",
}
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("opensearch", id="opensearch", marks=pytest.mark.cluster),
    pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.cluster),
]


SLOW_KINDS = ("faults", "browser")  # the fault suite crawls, kills and fills disks; browser tests drive chromium


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid in SLOW_ELSEWHERE or any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "npswatch.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStorage]:
    """A fresh embedded store per test, in pytest's temporary directory."""
    with SqliteStorage(db_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def osmem_server() -> Iterator[Any]:
    """One osmem-server for the session."""
    server = start_osmem()
    yield server
    stop_osmem(server)


@pytest.fixture
def osmem_url(osmem_server: Any) -> Iterator[str]:
    """A fresh clone of the (empty) base cluster for one test."""
    clone = osmem_server.clone()
    yield clone.url
    clone.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Storage]]:
    """Opens the test's store on ``backend`` (call it again for a second handle on the same data)."""
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
        prefix = target.rsplit("prefix=", 1)[1]
        cleanup.append(lambda: drop(ClusterStorage(parse_target(target), ensure_indices=False).client, prefix))
    yield make
    for store in opened:
        store.close()
    for step in cleanup:
        step()
