"""Filtered trends on a stale index read only the candidate documents' observations (``trend_terms``) and give
the same answers as the whole index; the facet plans for few and for many hits give the same facets."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage.base import SearchQuery, TrendQuery
from storage.migrations import load_migrations
from storage.sqlite import SqliteStorage
from storage.sqlite_trend import TrendIndex, narrowed, trend
from tests.storage.contract.generated import generate
from tests.storage.old_schema import downgrade

DOCS = 1500


def relabelled(docs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Some documents seen again 60 days later with another substance and country: their earlier observations
    keep the earlier labels."""
    for doc in docs[::7]:
        yield {**doc, "seen_at": "2026-10-15T08:00:00Z", "substance": ["Bromazolam"], "ships_from": "PL"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStorage]:
    path = tmp_path_factory.mktemp("narrowed") / "store.sqlite3"
    docs = list(generate(DOCS))
    with SqliteStorage(path) as store:
        store.write(docs)
        store.write(relabelled(docs))
        yield store


QUERIES = [
    TrendQuery(by="kind", kinds=("listing", "post"), filters={"substance": ["3-MMC"]}),
    TrendQuery(by="ships_from", interval="week", filters={"substance": ["Bromazolam"]}),
    TrendQuery(by="substance", filters={"ships_from": ["PL"]}, date_from=date(2026, 8, 10)),
    TrendQuery(by=None, filters={"substance": ["HHC", "THCP"], "ships_from": ["NL", "DE"]}, date_to=date(2026, 8, 20)),
    TrendQuery(by="source", kinds=("post",), sources=("drugsforum", "lecercle"), filters={"substance": ["1P-LSD"]}),
    TrendQuery(by="route", kinds=("post",), filters={"adverse_effect": ["paranoia"]}),
    TrendQuery(by="kind", filters={"substance": ["no such substance"]}),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: f"{q.by}-{'-'.join(q.filters)}")
def test_a_narrowed_index_gives_the_whole_index_answer(corpus: SqliteStorage, query: TrendQuery) -> None:
    conn = corpus._conn  # the indexes are built the way SqliteStorage.trend builds them, in one snapshot
    conn.execute("BEGIN")
    try:
        small = narrowed(conn, query)
        assert small is not None, "the filters select a small part of the store"
        assert len(small.doc) < len(TrendIndex(conn).doc)
        assert trend(small, query) == trend(TrendIndex(conn), query)
    finally:
        conn.execute("COMMIT")


def test_a_filter_matching_much_of_the_store_reads_the_whole_index(corpus: SqliteStorage) -> None:
    conn = corpus._conn
    conn.execute("BEGIN")
    try:
        assert narrowed(conn, TrendQuery(filters={"kind": ["listing"]})) is None
        assert narrowed(conn, TrendQuery()) is None  # no filter at all
    finally:
        conn.execute("COMMIT")


def test_the_store_answers_a_filtered_trend_after_a_write_without_the_whole_index(tmp_path: Path) -> None:
    docs = list(generate(600))
    with SqliteStorage(tmp_path / "store.sqlite3") as store:
        store.write(docs)
        query = QUERIES[0]
        whole = trend(TrendIndex(store._conn), query)
        assert store.trend(query) == whole
        assert store._trends is None  # not built: the narrowed index answered
        store.write(relabelled(docs))
        assert store.trend(replace(query, filters={"substance": ["Bromazolam"]})) == trend(
            TrendIndex(store._conn), replace(query, filters={"substance": ["Bromazolam"]})
        )


def test_the_migration_fills_trend_terms_as_writes_do(tmp_path: Path) -> None:
    """A store written before version 4 gets from the migration the rows the writes would have added: the
    current versions' terms and every observation's facts."""
    path = tmp_path / "store.sqlite3"
    docs = list(generate(300))
    with SqliteStorage(path) as store:
        store.write(docs)
        store.write(relabelled(docs))
    with closing(sqlite3.connect(path)) as conn:
        written = set(conn.execute("SELECT field, value, doc_key FROM trend_terms"))
    assert {("substance", "Bromazolam"), ("ships_from", "PL")} <= {(f, v) for f, v, _ in written}
    downgrade(path, 3)
    with SqliteStorage(path, migrations=load_migrations()) as store, closing(sqlite3.connect(path)) as conn:
        assert set(conn.execute("SELECT field, value, doc_key FROM trend_terms")) == written
        assert store.trend(QUERIES[1]) == trend(TrendIndex(store._conn), QUERIES[1])


@pytest.mark.parametrize("text", ["3-mmc", "stealth", "*"])
def test_facets_from_few_hits_equal_facets_from_the_index(corpus: SqliteStorage, text: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    query = SearchQuery(text, kinds=["listing"], facets=("source", "substance", "ships_from", "vendor"), facet_size=5)
    monkeypatch.setattr("storage.sqlite.FEW_HITS", 1.0)  # every search starts from its hits
    few = corpus.search(query)
    monkeypatch.setattr("storage.sqlite.FEW_HITS", 0.0)  # every search reads the terms index
    many = corpus.search(query)
    assert few.total == many.total > 0
    assert few.facets == many.facets
    assert len(few.facets["vendor"]) == 5  # cut at facet_size, ties broken by value alike
