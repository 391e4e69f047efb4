"""What keeps the embedded store's search and trends from growing faster than the data (#13): the query plans
(the full-text index drives a text search; nothing reads the wide document rows but the page), the trend index kept
in memory and dropped when the store changes, and the migration that adds the indexes to an existing store.
Times are in bench/index_bench.py --scaling (docs/benchmarks.md); here the structure that makes them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from storage.base import SearchQuery, TrendQuery
from storage.ftsquery import to_fts_query
from storage.sqlite import SqliteStorage, _matching_sql
from tests.storage.contract.generated import generate
from tests.storage.old_schema import downgrade


def plan(db: Path, sql: str, params: list[object]) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TEMP TABLE matched (doc_key INTEGER PRIMARY KEY, score REAL, last_us INTEGER, id TEXT)")
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def test_a_text_search_filtered_by_kind_walks_the_text_matches_not_every_document_of_the_kind(
    store: SqliteStorage, db_path: Path
) -> None:
    """Before: SQLite walked every post and ran the text query once per post (539 ms at 80,000 documents)."""
    store.write(list(generate(200, seed=3)))
    query = SearchQuery(text="paranoia", kinds=["post"], filters={"is_trip_report": ["true"]})
    steps = plan(db_path, *_matching_sql(query, to_fts_query(query.text)))
    assert steps[0].startswith("SCAN fts VIRTUAL TABLE"), steps
    assert any("COVERING INDEX documents_facts (doc_key=?" in step for step in steps), steps


def test_a_search_of_everything_reads_the_newest_first_index(store: SqliteStorage, db_path: Path) -> None:
    docs = list(generate(300, seed=4))
    store.write(docs)
    result = store.search(SearchQuery(limit=5, offset=10, facets=["kind", "source"]))
    every = store.search(SearchQuery(text="*", sources=[d["source"] for d in docs]))  # the general path
    assert result.total == every.total == 300
    newest = sorted(docs, key=lambda d: (-_micros(d["seen_at"]), d["id"]))[10:15]
    assert [hit["id"] for hit in result.hits] == [d["id"] for d in newest]
    assert sum(result.facets["kind"].values()) == 300 and sum(result.facets["source"].values()) == 300


def _micros(seen_at: str) -> int:
    from storage.sqlite_write import EPOCH, parse_time

    return int((parse_time(seen_at, "seen_at") - EPOCH).total_seconds() * 1_000_000)


def test_the_trend_index_is_read_again_after_a_write_here_or_elsewhere(store: SqliteStorage, db_path: Path) -> None:
    docs = list(generate(50, seed=5))
    store.write(docs[:30])
    query = TrendQuery(by=None, kinds=["listing", "post"], date_from=date(2026, 1, 1))
    assert sum(b.observations for b in store.trend(query)) == 30
    store.write(docs[30:40])  # this store's own write
    assert sum(b.observations for b in store.trend(query)) == 40
    with SqliteStorage(db_path) as other:  # another connection's (a crawl beside an analyst)
        other.write(docs[40:])
    assert sum(b.observations for b in store.trend(query)) == 50


def test_an_existing_store_gets_the_search_indexes_and_answers_as_a_new_one(db_path: Path, tmp_path: Path) -> None:
    docs = list(generate(400, seed=6))
    with SqliteStorage(db_path) as old:
        old.write(docs)
    downgrade(db_path, 2)  # a store of schema version 2
    queries = [SearchQuery(text="3-mmc", kinds=["listing"], facets=["vendor"]), SearchQuery(offset=7, limit=9),
               SearchQuery(text="paranoia", kinds=["post"], filters={"is_trip_report": ["true"]})]  # fmt: skip
    with SqliteStorage(db_path) as migrated, SqliteStorage(tmp_path / "new.sqlite3") as new:
        new.write(docs)
        assert [migrated.search(q).to_json() for q in queries] == [new.search(q).to_json() for q in queries]
    with closing(sqlite3.connect(db_path)) as conn:
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"documents_facts", "documents_recent"} <= names
