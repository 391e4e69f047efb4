"""Fixtures of the signals tests: the synthetic store (tests/signals/synthetic.py) and the R reference tables
(copies in tests/signals/reference/)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from storage.sqlite import SqliteStorage
from tests.signals.synthetic import DAYS, write_days

REFERENCE = Path(__file__).parent / "reference"


def read_table(name: str) -> dict[str, np.ndarray]:
    """A reference CSV as columns of floats (R's NA -> NaN)."""
    with (REFERENCE / name).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {key: np.array([np.nan if r[key] == "NA" else float(r[key]) for r in rows]) for key in rows[0]}


@pytest.fixture(scope="session")
def weekly_series() -> np.ndarray:
    return read_table("example_weekly_series.csv")["observed"]


@pytest.fixture(scope="session")
def weekly_reference() -> dict[str, np.ndarray]:
    return read_table("example_weekly_detectors.csv")


@pytest.fixture(scope="session")
def sparse_daily() -> dict[str, np.ndarray]:
    return read_table("example_sparse_daily_ears.csv")


@pytest.fixture
def filled(store: SqliteStorage) -> SqliteStorage:
    """The ``store`` fixture (tests/conftest.py) with the synthetic store's 30 days written."""
    write_days(store, range(DAYS))
    return store
