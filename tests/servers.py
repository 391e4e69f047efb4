"""Search-cluster servers for the tests: osmem-server (started here) and an Elasticsearch named by the environment.

The fixtures built on these (``osmem_server``, ``osmem_url``, ``backend``, ``open_store``) are in tests/conftest.py.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

ES_URL_ENV = "NPSWATCH_ES_URL"


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: the cluster contract tests must run in CI (pip install osmem-server)")
    pytest.skip(reason)


def start_osmem() -> Any:
    """An osmem-server (no seed, no Japanese analysis); skips (fails under CI=true) when it cannot run."""
    try:
        from osmem_server import OsmemError, OsmemServer
    except ImportError:
        _missing("osmem-server is not installed")
    try:
        return OsmemServer.start(freeze=True, japanese=False)
    except (OsmemError, OSError) as exc:  # no binary for this platform, or it cannot run
        _missing(f"osmem-server did not start: {exc}")


def stop_osmem(server: Any) -> None:
    server.close()
    if server.process.stdout is not None:  # the launcher leaves its pipe open (a ResourceWarning otherwise)
        server.process.stdout.close()


def es_target() -> str | None:
    """The Elasticsearch of ``$NPSWATCH_ES_URL`` as a storage target; None when the variable is not set."""
    url = os.environ.get(ES_URL_ENV)
    if not url:
        return None
    return url if url.startswith(("elasticsearch+", "es+")) else f"elasticsearch+{url}"
