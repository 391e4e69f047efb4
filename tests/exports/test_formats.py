"""The export of a store crawled from the demo sites in every format: loads with pandas and with Hugging Face
``datasets`` (offline), row counts equal to the JSON Lines export's; the evidence package passes py-wacz's validator
and is refused to researchers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from exports.corpus import EvidenceRefused, export_corpus
from exports.pseudonymise import Pseudonymiser
from npswatch.cli import main
from storage.base import SearchQuery
from storage.sqlite import SqliteStorage
from tests.exports.conftest import KEY, DemoStore

pytestmark = pytest.mark.slow  # exports the demo store in every format (about 20 s of set-up)

KINDS = ("listing", "post", "vendor")


@pytest.fixture(scope="module")
def exports(demo_store: DemoStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exports")
    made = {}
    for fmt in ("jsonl", "parquet", "csv"):
        out = root / fmt
        result = CliRunner().invoke(main, ["export", "--format", fmt, "--history", "--out", str(out)],
                                    env=demo_store.env())  # fmt: skip
        assert result.exit_code == 0, result.output
        made[fmt] = out
    return made


def jsonl_counts(directory: Path) -> dict[str, int]:
    return {k: len((directory / "data" / f"{k}s.jsonl").read_text().splitlines()) for k in KINDS}


def test_every_format_loads_with_pandas_with_the_rows_of_the_jsonl_export(exports: dict[str, Path]) -> None:
    import pandas as pd

    counts = jsonl_counts(exports["jsonl"])
    assert counts["listing"] > 200 and counts["post"] > 300 and counts["vendor"] == 36
    for kind in KINDS:
        frames = {
            "jsonl": pd.read_json(exports["jsonl"] / "data" / f"{kind}s.jsonl", lines=True),
            "parquet": pd.read_parquet(exports["parquet"] / "data" / f"{kind}s.parquet"),
            "csv": pd.read_csv(exports["csv"] / "data" / f"{kind}s.csv"),
        }
        assert {fmt: len(frame) for fmt, frame in frames.items()} == dict.fromkeys(frames, counts[kind])
        assert list(frames["csv"].columns) == list(frames["parquet"].columns)


def test_parquet_has_typed_columns_nested_offers_and_zstd(exports: dict[str, Path]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = exports["parquet"] / "data" / "listings.parquet"
    schema = pq.read_schema(path)
    assert schema.field("seen_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("feedback_count").type == pa.int64() and schema.field("escrow").type == pa.bool_()
    offers = schema.field("offers").type
    assert pa.types.is_list(offers) and pa.types.is_struct(offers.value_type)
    assert offers.value_type.field("eur_per_gram").type == pa.float64()
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    table = pq.read_table(path)
    assert any(table.column("offers").to_pylist()) and any(table.column("history").to_pylist())


def test_the_parquet_export_loads_with_hugging_face_datasets_offline(exports: dict[str, Path], tmp_path: Path) -> None:
    """In a child process: ``datasets`` reads HF_DATASETS_OFFLINE when it is imported."""
    script = (
        "import json, sys\nfrom datasets import load_dataset\n"
        "files, cache, card_dir = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]\n"
        "out = {k: load_dataset('parquet', data_files=p, split='train', cache_dir=cache).num_rows "
        "for k, p in files.items()}\n"
        "configs = {k: load_dataset(card_dir, k, split='train', cache_dir=cache).num_rows for k in files}\n"
        "print(json.dumps([out, configs]))"
    )  # the second way reads the card's YAML header: one config per table
    files = {k: str(exports["parquet"] / "data" / f"{k}s.parquet") for k in KINDS}
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    args = [sys.executable, "-c", script, json.dumps(files), str(tmp_path / "cache"), str(exports["parquet"])]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    counts = jsonl_counts(exports["jsonl"])
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [counts, counts]


def test_the_card_has_the_dataset_card_sections_and_counts_from_the_data(exports: dict[str, Path]) -> None:
    card = (exports["parquet"] / "README.md").read_text()
    manifest: dict[str, Any] = json.loads((exports["parquet"] / "manifest.json").read_text())
    for section in ("## Dataset Summary", "## Dataset Structure", "### Data Fields", "### Collection Process",
                    "### Sources and Dates", "## Languages", "## Personal and Sensitive Information",
                    "### Known Biases and Limits", "## Licensing Information and Terms of Use"):  # fmt: skip
        assert section in card, section
    counts = jsonl_counts(exports["jsonl"])
    assert f"| listing | {counts['listing']} | `data/listings.parquet` |" in card
    assert f"{sum(counts.values())} documents" in card and manifest["by_kind"] == counts
    assert "config_name: post" in card and "### Evidence package" not in card


def test_the_evidence_package_is_a_valid_wacz_with_the_pages_behind_the_rows(
    demo_store: DemoStore, tmp_path: Path
) -> None:
    out = tmp_path / "with-evidence"
    args = ["export", "--kind", "vendor", "--with-evidence", "--out", str(out)]
    result = CliRunner().invoke(main, args, env=demo_store.env())
    assert result.exit_code == 0, result.output
    wacz = out / "evidence.wacz"
    done = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(wacz)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0 and "is valid" in done.stdout, done.stdout + done.stderr
    rows = [json.loads(line) for line in (out / "data" / "vendors.jsonl").read_text().splitlines()]
    with zipfile.ZipFile(wacz) as packed:
        pages = [json.loads(line) for line in packed.read("pages/pages.jsonl").decode().splitlines()[1:]]
    assert len(pages) == len({r["warc_record_id"] for r in rows}) == 36
    assert all("/vendor" in p["url"] for p in pages)
    card = (out / "README.md").read_text()
    assert "NOT pseudonymised" in card and "NOT pseudonymised" in result.output
    assert json.loads((out / "manifest.json").read_text())["evidence"] == {
        "file": "evidence.wacz",
        "records": 72,
        "pages": 36,
        "missing": 0,
    }


def test_the_evidence_package_is_refused_to_researchers(demo_store: DemoStore, tmp_path: Path) -> None:
    with SqliteStorage(demo_store.db) as store, pytest.raises(EvidenceRefused, match="researcher"):
        export_corpus(store, SearchQuery(kinds=["vendor"]), tmp_path / "x", Pseudonymiser(KEY.encode()),
                      evidence=True, role="researcher", warc_dir=demo_store.data_dir / "warc")  # fmt: skip
    assert not (tmp_path / "x").exists()
