"""osmem-server fixtures shared by the contract suite and the cluster tests (imported by their modules)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: the cluster contract tests must run in CI (pip install osmem-server)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def osmem_server() -> Iterator[Any]:
    """One osmem-server for the session (overrides the plugin's: no seed, no Japanese analysis)."""
    try:
        from osmem_server import OsmemError, OsmemServer
    except ImportError:
        _missing("osmem-server is not installed")
        return
    try:
        server = OsmemServer.start(freeze=True, japanese=False)
    except (OsmemError, OSError) as exc:  # no binary for this platform, or it cannot run
        _missing(f"osmem-server did not start: {exc}")
        return
    yield server
    server.close()
    if server.process.stdout is not None:  # the launcher leaves its pipe open (a ResourceWarning otherwise)
        server.process.stdout.close()


@pytest.fixture
def osmem_url(osmem_server: Any) -> Iterator[str]:
    """A fresh clone of the (empty) base cluster for one test."""
    clone = osmem_server.clone()
    yield clone.url
    clone.close()
