"""The demo store of the export tests: every demo source crawled once (the real ``npswatch crawl``, day 19 of the
timeline), with its WARC files; built once for the package (about a minute), read-only afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from demosites.server import SITES, DemoSites

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-10-20"
KEY = "9f1c2e7ab4d8e3f60a5b1c9d7e2f4a8b6c3d0e1f2a9b8c7d6e5f4a3b2c1d0e9f"  # 64 random hex digits: 256 bits


@dataclass(frozen=True)
class DemoStore:
    db: Path
    data_dir: Path

    def env(self, key: str = KEY) -> dict[str, str]:
        return {"NPSWATCH_PSEUDONYM_KEY": key, "NPSWATCH_DATA_DIR": str(self.data_dir), "NPSWATCH_DB": str(self.db)}


@pytest.fixture(scope="package")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStore]:
    root = tmp_path_factory.mktemp("demo-store")
    store = DemoStore(root / "var" / "npswatch.sqlite3", root / "var")
    with DemoSites(free_ports=True, faults=()) as sites:
        env = {**os.environ, **sites.env(), "NPSWATCH_DATA_DIR": str(store.data_dir)}
        cmd = [sys.executable, "-m", "npswatch.cli", "crawl", *SITES, "--as-of", AS_OF, "--db", str(store.db)]
        done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=280)
        assert done.returncode == 0, done.stderr[-2000:]
    yield store
