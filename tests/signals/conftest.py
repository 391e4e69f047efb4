"""Fixtures of the signals tests: the synthetic store (tests/signals/synthetic.py) and the R reference tables
(copies in tests/signals/reference/)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
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


@pytest.fixture(scope="session")
def synthetic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic store's 30 days, written once for the session (tests get a copy: ``filled_path``)."""
    path = tmp_path_factory.mktemp("synthetic") / "npswatch.sqlite3"
    with SqliteStorage(path) as store:
        write_days(store, range(DAYS))
    return path


@pytest.fixture
def filled_path(synthetic_file: Path, tmp_path: Path) -> Path:
    """A copy of the synthetic store of its own for the test, at ``<tmp_path>/npswatch.sqlite3``."""
    path = tmp_path / "npswatch.sqlite3"
    shutil.copyfile(synthetic_file, path)
    return path


@pytest.fixture
def filled(filled_path: Path) -> Iterator[SqliteStorage]:
    """The synthetic store's 30 days, opened."""
    with SqliteStorage(filled_path) as opened:
        yield opened
