"""The data `make install` stores under nlp/data/tables/, read by the tests that check it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import srsly


def stored(path: Path, fingerprint: str, what: str) -> dict[str, Any]:
    """The msgpack map at ``path``, written with ``fingerprint``; a missing file skips the test (fails it under
    CI=true), a stale one fails it, both naming ``what`` and `make install`."""
    if not path.is_file():
        why = f"no {what} at {path}: `make install` writes them"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    data = srsly.msgpack_loads(path.read_bytes())
    assert data["fingerprint"] == fingerprint, f"stale {what} at {path}: run `make install`"
    return data  # type: ignore[no-any-return]
