"""The contract tests run once per storage backend: ``store`` here is the ``open_store`` fixture's store
(``backend`` and ``open_store`` are in tests/conftest.py: SQLite, OpenSearch over osmem-server, Elasticsearch at
``$NPSWATCH_ES_URL``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storage.base import Storage


@pytest.fixture
def store(open_store: Callable[[], Storage]) -> Storage:
    return open_store()
