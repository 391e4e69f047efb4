"""The re-identification attack of issue #17, re-run on the demo store: can a reader of an export map vendor and
forum-author pseudonyms back to names with what the sites show?

The attacker browses the sites: for every page they learn its URL (and path, anchor), the site's own listing, post
and thread ids, the stored document id (a plain hash of source and native id: anyone can compute it) and unkeyed
hashes of all of these, and the person on the page.  Then they look up every value of every exported row.  Run on
rows that only replace the people fields (the export before #17), the attack maps every vendor and every author
back; on the export it must map back no one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from exports.pseudonymise import Pseudonymiser
from npswatch.cli import main
from storage.base import SearchQuery
from storage.sqlite import SqliteStorage
from tests.exports.conftest import KEY, DemoStore

pytestmark = pytest.mark.slow  # the re-identification attack over whole exports

PERSON_FIELD = {"listing": "vendor", "post": "author", "vendor": "name"}
_WORD_SPLIT = re.compile(r"[\s,;\"'()\[\]<>]+")
_HEX_RUN = re.compile(r"[0-9a-f]{12,}")
IDENTIFIERS = ("id", "url", "native_id", "post_id", "thread_id", "vendor_url", "text_hash")


def _hashes(value: str) -> Iterator[str]:
    for algorithm in ("sha256", "sha1", "md5"):
        digest = hashlib.new(algorithm, value.encode()).hexdigest()
        yield from (digest, digest[:12], digest[:16], digest[:20], digest[:24])


def site_knowledge(store: SqliteStorage) -> dict[str, str]:
    """identifier -> person, for every page of the store, as a visitor of the sites can learn it."""
    known: dict[str, str] = {}
    for doc in store.scan(SearchQuery()):
        person = doc.get(PERSON_FIELD[doc["kind"]])
        if not person:
            continue
        values = {str(doc[name]) for name in IDENTIFIERS if doc.get(name)}
        for url in [doc.get("url"), doc.get("vendor_url")]:
            if url:
                parts = urlsplit(url)
                values |= {parts.path, parts.fragment, f"{parts.path}?{parts.query}", url.split("#")[0]} - {"", "?"}
        for value in list(values):
            values.update(_hashes(value))
        for value in values:
            known[value] = person
    return known


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def pieces(value: str) -> Iterator[str]:
    """A value, its words, the parts of the URLs among them and every run of 12+ hex digits: what to look up."""
    yield value
    for word in _WORD_SPLIT.split(value):
        yield word
        if "/" in word or "#" in word:
            parts = urlsplit(word)
            yield from (parts.path, parts.fragment, f"{parts.path}?{parts.query}", word.split("#")[0])
    yield from _HEX_RUN.findall(value)


def attack(rows: list[dict[str, Any]], known: dict[str, str]) -> dict[str, str]:
    """pseudonym -> name, for every row one of whose values is (or holds) an identifier the sites show."""
    mapped: dict[str, str] = {}
    for row in rows:
        pseudonym = row.get(PERSON_FIELD[row["kind"]])
        if not pseudonym:
            continue
        values = strings({k: v for k, v in row.items() if k != PERSON_FIELD[row["kind"]]})
        hit = next((known[piece] for value in values for piece in pieces(value) if piece in known), None)
        if hit is not None:
            mapped[pseudonym] = hit
    return mapped


def people_only_rows(store: SqliteStorage) -> list[dict[str, Any]]:
    """The export before #17: documents as stored, people fields pseudonymised, profile URLs and text hashes out."""
    p = Pseudonymiser(KEY.encode())
    rows = []
    for doc in store.scan(SearchQuery()):
        row = {k: v for k, v in doc.items() if k not in ("vendor_url", "text_hash", "snippet")}
        field = PERSON_FIELD[doc["kind"]]
        if row.get(field):
            row[field] = p.pseudonym("vendor" if field != "author" else "user", doc["source"], row[field])
        if doc["kind"] == "vendor":
            row["id"], row["url"] = row["name"], None
        rows.append(row)
    return rows


def exported_rows(directory: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted((directory / "data").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()]  # fmt: skip


@pytest.fixture(scope="module")
def knowledge(demo_store: DemoStore) -> tuple[dict[str, str], list[dict[str, Any]]]:
    with SqliteStorage(demo_store.db) as store:
        return site_knowledge(store), people_only_rows(store)


def test_the_attack_maps_back_every_person_of_an_export_that_only_replaces_names(
    knowledge: tuple[dict[str, str], list[dict[str, Any]]],
) -> None:
    known, rows = knowledge
    mapped = attack(rows, known)
    vendors = {r["vendor"] for r in rows if r["kind"] == "listing" and r.get("vendor")}
    authors = {r["author"] for r in rows if r["kind"] == "post" and r.get("author")}
    assert len(vendors) >= 30 and len(authors) >= 30
    assert vendors <= set(mapped) and authors <= set(mapped)  # the attack works: 100 % of both


@pytest.mark.parametrize("options", [(), ("--history",), ("--link-sources",)], ids=["plain", "history", "linked"])
def test_the_attack_maps_back_no_one_from_the_export(
    demo_store: DemoStore, knowledge: tuple[dict[str, str], list[dict[str, Any]]], tmp_path: Path,
    options: tuple[str, ...],
) -> None:  # fmt: skip
    known, _ = knowledge
    out = tmp_path / "corpus"
    result = CliRunner().invoke(main, ["export", "--out", str(out), *options], env=demo_store.env())
    assert result.exit_code == 0, result.output
    rows = exported_rows(out)
    assert len(rows) > 500
    assert attack(rows, known) == {}
    assert all(r["host"] == "127.0.0.1" for r in rows)  # the site's host is kept
    assert not {"url", "native_id", "post_id", "thread_id", "vendor_url", "text_hash"} & {k for r in rows for k in r}
