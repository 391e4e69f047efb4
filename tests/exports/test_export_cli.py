"""`npswatch export`: a store in, a pseudonymised JSON Lines corpus and its manifest out."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from storage.sqlite import SqliteStorage
from tests.storage.documents import DAY1, DAY2, eur, listing, post, vendor

KEY = "0123456789abcdef-test-key"
PEOPLE = ("chemlab", "pelletking", "psychonaut", "gebruiker")
DOCS = [
    listing("1", DAY1, vendor="chemlab", vendor_url="http://alpha.onion/vendor/chemlab", prices=[eur("45.00")]),
    listing("1", DAY2, vendor="chemlab", vendor_url="http://alpha.onion/vendor/chemlab", prices=[eur("40.00")]),
    listing("2", DAY2, vendor="pelletking", description="Better than chemlab. Wickr: pelletking"),
    vendor("chemlab", DAY1, pgp_fingerprint="0123ABCD0123ABCD"),
    post("1", DAY1, author="psychonaut", text="Got 3-MMC from PelletKing, ask @gebruiker"),
    post("2", DAY2, author="gebruiker", text="Same here, mail gebruiker@example.org"),
]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "store.sqlite3"
    with SqliteStorage(path) as store:
        store.write(DOCS)
    return str(path)


def run(*args: str, key: str | None = KEY) -> Any:
    env = {"NPSWATCH_PSEUDONYM_KEY": key} if key is not None else {"NPSWATCH_PSEUDONYM_KEY": ""}
    return CliRunner().invoke(main, ["export", *args], env=env, catch_exceptions=False)


def lines(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


@pytest.mark.parametrize("name", ["corpus.jsonl", "corpus.jsonl.gz"])
def test_every_document_is_exported_once_with_no_person_left(db: str, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    result = run("--db", db, "--out", str(out))
    assert result.exit_code == 0, result.output
    docs = lines(out)
    assert sorted(d["kind"] for d in docs) == ["listing", "listing", "post", "post", "vendor"]
    raw = json.dumps(docs).lower()
    for person in PEOPLE:
        assert not re.search(rf"(?<![\w@.]){person}(?!\w)", raw), person
    assert "example.org" not in raw and "0123abcd" not in raw
    assert "exported 5 documents (2 listings, 2 posts, 1 vendors)" in result.output
    manifest = json.loads((tmp_path / f"{name}.manifest.json").read_text())
    assert manifest["documents"] == 5 and manifest["pseudonyms"]["scope"] == "source + name"
    assert KEY not in json.dumps(manifest) and not (tmp_path / f"{name}.partial").exists()


def test_a_listing_and_its_vendor_share_one_pseudonym_across_exports(db: str, tmp_path: Path) -> None:
    run("--db", db, "--out", str(tmp_path / "a.jsonl"))
    run("--db", db, "--out", str(tmp_path / "b.jsonl"), "--kind", "listing")
    first, second = lines(tmp_path / "a.jsonl"), lines(tmp_path / "b.jsonl")
    vendor_doc = next(d for d in first if d["kind"] == "vendor")
    listing_1 = next(d for d in second if d["kind"] == "listing" and d["vendor"] == vendor_doc["name"])
    assert listing_1["vendor_url"] is None


def test_history_adds_each_days_prices(db: str, tmp_path: Path) -> None:
    out = tmp_path / "h.jsonl"
    assert run("--db", db, "--out", str(out), "--history", "--kind", "listing", "crystals").exit_code == 0
    doc = next(d for d in lines(out) if d["native_id"] == "1")
    assert [(h["day"], h["prices"][0]["amount"]) for h in doc["history"]] == [
        ("2024-05-01", "45.00"),
        ("2024-05-02", "40.00"),
    ]


def test_query_and_filters_select_what_is_exported(db: str, tmp_path: Path) -> None:
    out = tmp_path / "q.jsonl"
    assert run("--db", db, "--out", str(out), "--source", "drugsforum", "--to", "2024-05-01").exit_code == 0
    assert [d["post_id"] for d in lines(out)] == ["1"]


def test_without_a_key_nothing_is_written_and_the_error_names_the_variable(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--db", db, "--out", str(tmp_path / "x.jsonl")], env={"NPSWATCH_PSEUDONYM_KEY": ""}
    )
    assert result.exit_code == 2 and "NPSWATCH_PSEUDONYM_KEY" in result.output
    assert not (tmp_path / "x.jsonl").exists()


def test_a_failed_export_leaves_no_file(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exports.corpus import export_corpus
    from exports.pseudonymise import Pseudonymiser
    from storage.base import SearchQuery

    def broken(done: int, total: int) -> None:
        if done == 3:
            raise OSError("disk full")

    out = tmp_path / "broken.jsonl"
    with SqliteStorage(Path(db)) as store, pytest.raises(OSError, match="disk full"):
        export_corpus(store, SearchQuery(), out, Pseudonymiser(KEY.encode()), progress=broken)
    assert list(tmp_path.glob("broken*")) == []
