"""The same signals from every storage backend: series come through the Storage interface only.

Uses the storage backends fixture (tests/conftest.py): SQLite always; the cluster backend over osmem-server
(marker ``cluster``) where it is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from signals.run import run_signals
from signals.store import SignalStore
from storage.base import Storage
from tests.signals.synthetic import DAYS, day, documents_of


@pytest.mark.slow  # 30 days into every backend, then a signal run over each: seconds on a cluster
def test_every_backend_gives_the_same_signals(open_store: Callable[[], Storage], tmp_path: Path) -> None:
    store = open_store()
    for offset in range(DAYS):
        store.write(documents_of(offset))
    with SignalStore(tmp_path / "signals.sqlite3") as kept:
        run_signals(store, kept, day(DAYS - 1))
        found = sorted((s.type, s.subject, s.scope or "", s.first_seen, s.last_seen) for s in kept.find())
    assert found == [
        ("adverse_surge", "MDMB-4en-PINACA", "", day(22).isoformat(), day(24).isoformat()),
        ("first_seen", "3-CPMC", "", day(12).isoformat(), day(DAYS - 1).isoformat()),
        ("first_seen", "MDMB-4en-PINACA", "", day(22).isoformat(), day(24).isoformat()),
        ("price_shift", "ketamine", "market=M2", day(20).isoformat(), found[3][4]),  # the day every listing drops
        ("spike", "3-CMC", "", day(19).isoformat(), found[4][4]),
    ]
