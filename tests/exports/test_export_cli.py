"""`npswatch export`: a store in, a dataset directory out (card, manifest, one table per kind), safely written."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from storage.sqlite import SqliteStorage
from tests.storage.documents import DAY1, DAY2, eur, listing, post, vendor

KEY = "5b0e1c7f3a9d2e8b6c4f1a0d9e8c7b6a5f4e3d2c1b0a99887766554433221100"
PEOPLE = ("chemlab", "pelletking", "psychonaut", "gebruiker")
DOCS = [
    listing("1", DAY1, vendor="chemlab", vendor_url="http://alpha.onion/vendor/chemlab", prices=[eur("45.00")]),
    listing("1", DAY2, vendor="chemlab", vendor_url="http://alpha.onion/vendor/chemlab", prices=[eur("40.00")]),
    listing("2", DAY2, vendor="pelletking", description="Better than chemlab. Wickr: pelletking"),
    vendor("chemlab", DAY1, pgp_fingerprint="0123ABCD0123ABCD"),
    post("1", DAY1, author="psychonaut", text="Got 3-MMC from PelletKing, ask @gebruiker"),
    post("2", DAY2, author="gebruiker", text="Same here, mail gebruiker [at] example [dot] org"),
]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "store.sqlite3"
    with SqliteStorage(path) as store:
        store.write(DOCS)
    return str(path)


def run(*args: str, key: str = KEY, data_dir: str | None = None) -> Any:
    env = {"NPSWATCH_PSEUDONYM_KEY": key, "NPSWATCH_DATA_DIR": data_dir or "/nonexistent/var"}
    return CliRunner().invoke(main, ["export", *args], env=env, catch_exceptions=False)


def rows(directory: Path, kind: str) -> list[dict[str, Any]]:
    path = directory / "data" / f"{kind}s.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_document_is_exported_once_with_no_person_left(db: str, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    result = run("--db", db, "--out", str(out))
    assert result.exit_code == 0, result.output
    found = [r for kind in ("listing", "post", "vendor") for r in rows(out, kind)]
    assert sorted(r["kind"] for r in found) == ["listing", "listing", "post", "post", "vendor"]
    raw = json.dumps(found).lower()
    for person in PEOPLE:
        assert not re.search(rf"(?<![\w@.]){person}(?!\w)", raw), person
    assert "example" not in raw and "0123abcd" not in raw
    assert "exported 5 documents (2 listings, 2 posts, 1 vendors) as jsonl" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["documents"] == 5 and manifest["pseudonyms"]["scope"] == "source + name"
    assert KEY not in json.dumps(manifest) and len(manifest["pseudonyms"]["key_id"]) == 16
    assert "## Personal and Sensitive Information" in (out / "README.md").read_text()


def test_a_listing_and_its_vendor_share_one_pseudonym_across_exports(db: str, tmp_path: Path) -> None:
    run("--db", db, "--out", str(tmp_path / "a"))
    run("--db", db, "--out", str(tmp_path / "b"), "--kind", "listing")
    vendor_row = rows(tmp_path / "a", "vendor")[0]
    assert any(r["vendor"] == vendor_row["name"] for r in rows(tmp_path / "b", "listing"))
    assert not (tmp_path / "b" / "data" / "posts.jsonl").exists()


def test_history_adds_each_days_prices(db: str, tmp_path: Path) -> None:
    out = tmp_path / "h"
    assert run("--db", db, "--out", str(out), "--history", "--kind", "listing", "crystals").exit_code == 0
    histories = [[(h["day"], h["prices"][0]["amount"]) for h in r["history"]] for r in rows(out, "listing")]
    assert [("2024-05-01", 45.0), ("2024-05-02", 40.0)] in histories


def test_query_and_filters_select_what_is_exported(db: str, tmp_path: Path) -> None:
    out = tmp_path / "q"
    assert run("--db", db, "--out", str(out), "--source", "drugsforum", "--to", "2024-05-01").exit_code == 0
    assert [r["posted_on"] for r in rows(out, "post")] == [None] and rows(out, "listing") == []


def test_an_empty_query_writes_an_empty_valid_dataset_whose_card_says_so(db: str, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    result = run("--db", db, "--out", str(out), "--format", "parquet", "no-such-substance-xyz")
    assert result.exit_code == 0, result.output
    import pyarrow.parquet as pq

    assert [pq.read_table(out / "data" / f"{k}s.parquet").num_rows for k in ("listing", "post", "vendor")] == [0] * 3
    card = (out / "README.md").read_text()
    assert "This dataset is empty" in card and card.startswith("---\n")


def test_without_a_strong_key_nothing_is_written_and_the_error_names_the_variable(db: str, tmp_path: Path) -> None:
    for key in ("", "a" * 16):
        result = run("--db", db, "--out", str(tmp_path / "x"), key=key)
        assert result.exit_code == 2 and "NPSWATCH_PSEUDONYM_KEY" in result.output
    assert not (tmp_path / "x").exists()


def test_outputs_are_owner_only_and_never_replaced_without_force(db: str, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    assert run("--db", db, "--out", str(out), "--format", "csv").exit_code == 0
    for path in [out, *out.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    again = run("--db", db, "--out", str(out))
    assert again.exit_code == 2 and "--force" in again.output and (out / "data" / "posts.csv").exists()
    assert run("--db", db, "--out", str(out), "--force").exit_code == 0
    assert (out / "data" / "posts.jsonl").exists() and not (out / "data" / "posts.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".corpus")]  # no staging left behind


@pytest.mark.parametrize("target", ["store", "parent"])
def test_the_store_is_never_written_over_even_with_force(db: str, tmp_path: Path, target: str) -> None:
    out = Path(db) if target == "store" else Path(db).parent
    before = Path(db).read_bytes()
    result = run("--db", db, "--out", str(out), "--force")
    assert result.exit_code == 2 and "refusing to write over" in result.output
    assert Path(db).read_bytes() == before


def test_a_failed_export_leaves_nothing(db: str, tmp_path: Path) -> None:
    from exports.corpus import export_corpus
    from exports.pseudonymise import Pseudonymiser
    from storage.base import SearchQuery

    def broken(done: int, total: int) -> None:
        if done == 3:
            raise OSError("disk full")

    with SqliteStorage(Path(db)) as store, pytest.raises(OSError, match="disk full"):
        export_corpus(store, SearchQuery(), tmp_path / "broken", Pseudonymiser(KEY.encode()), progress=broken)
    assert [p.name for p in tmp_path.iterdir()] == ["store.sqlite3"]
