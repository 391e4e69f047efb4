"""The same data and queries give the same answers on the embedded store and on the cluster.

A generated corpus (listings and posts in four languages, re-sighted on later days) is written to SQLite
and to osmem-server (and to Elasticsearch when NPSWATCH_ES_URL is set); every analyst query below must give
the same totals, facets, histories and trend counts, and the same hits in the same order where the order
is defined (without text: latest seen first, then id).  With text, relevance scores differ between
engines (FTS5 bm25 vs Lucene BM25), so the hit *sets* are compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from storage.base import SearchQuery, Storage, TrendQuery
from storage.cluster import ClusterStorage, parse_target
from storage.sqlite import SqliteStorage
from tests.servers import es_target
from tests.storage.contract.generated import generate, resighted

pytestmark = [pytest.mark.cluster, pytest.mark.slow]  # the generated documents go into every backend: seconds
DOCS = list(generate(600, seed=11))
AGAIN = resighted(DOCS, seed=12)
QUERIES = [
    SearchQuery(limit=50, facets=["kind", "source", "ships_from", "category"]),
    SearchQuery(text="3-mmc", limit=500, facets=["vendor", "market"]),
    SearchQuery(text="3MMC crystals", limit=500),
    SearchQuery(text='"lab tested"', limit=500, facets=["language_hint"]),
    SearchQuery(text="zuiver", limit=500),
    SearchQuery(text="prot*", limit=500),
    SearchQuery(text="Versand", kinds=["listing"], limit=500),
    SearchQuery(kinds=["post"], filters={"is_trip_report": ["true"]}, limit=40, offset=20, facets=["author"]),
    SearchQuery(filters={"ships_from": ["NL", "DE"], "category": ["Opioid"]}, limit=100, facets=["vendor"]),
    SearchQuery(date_from=date(2026, 8, 20), date_to=date(2026, 8, 27), limit=100, facets=["source"]),
    SearchQuery(text="protonitazene", sources=["alpha", "beta"], limit=500, facets=["ships_from"], facet_size=3),
    SearchQuery(text="euphoria anxiety", kinds=["post"], limit=500, facets=["forum"]),
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, osmem_server: Any) -> Iterator[dict[str, Storage]]:
    clone = osmem_server.clone()
    opened: dict[str, Storage] = {
        "sqlite": SqliteStorage(Path(tmp_path_factory.mktemp("same")) / "same.sqlite3"),
        "opensearch": ClusterStorage(parse_target(f"opensearch+{clone.url}")),
    }
    es = es_target()
    if es is not None:
        opened["elasticsearch"] = ClusterStorage(parse_target(f"{es}{'&' if '?' in es else '?'}prefix=npswatch-same"))
    results = {name: (store.write(DOCS), store.write(AGAIN)) for name, store in opened.items()}
    assert len({repr(r) for r in results.values()}) == 1, results  # the writes report the same on every backend
    yield opened
    for name, store in opened.items():
        if name == "elasticsearch":
            from storage.cluster.indices import drop

            drop(store.client, "npswatch-same")  # type: ignore[attr-defined]
        store.close()
    clone.close()


def answers(store: Storage, query: SearchQuery) -> dict[str, Any]:
    result = store.search(query)
    ids = [hit["id"] for hit in result.hits]
    spans = {hit["id"]: (hit["first_seen"], hit["last_seen"]) for hit in result.hits}
    return {"total": result.total, "facets": result.facets, "ids": ids if query.text == "*" else sorted(ids),
            "spans": spans}  # fmt: skip


@pytest.mark.parametrize("query", QUERIES, ids=[f"q{n}" for n in range(len(QUERIES))])
def test_every_backend_gives_the_same_search_answers(stores: dict[str, Storage], query: SearchQuery) -> None:
    expected = answers(stores["sqlite"], query)
    assert expected["total"] > 0
    for name, store in stores.items():
        assert answers(store, query) == expected, name


def test_every_backend_gives_the_same_counts_histories_and_documents(stores: dict[str, Storage]) -> None:
    sample = [doc["id"] for doc in AGAIN[:25]]
    for name, store in stores.items():
        assert store.count() == len(DOCS) and store.stats() == stores["sqlite"].stats(), name
        for doc_id in sample:
            assert store.history(doc_id) == stores["sqlite"].history(doc_id), name
            assert store.get(doc_id) == stores["sqlite"].get(doc_id), name


@pytest.mark.parametrize(
    "query",
    [
        TrendQuery(by="substance", interval="week"),
        TrendQuery(by="ships_from", interval="day", date_from=date(2026, 8, 10), date_to=date(2026, 8, 20)),
        TrendQuery(by="market", interval="week", filters={"substance": ["3-MMC", "2-MMC"]}),
        TrendQuery(by="adverse_effect", kinds=["post"], interval="week"),
        TrendQuery(by=None, interval="week", sources=["alpha"]),
    ],
)
def test_every_backend_gives_the_same_trend_counts(stores: dict[str, Storage], query: TrendQuery) -> None:
    def counts(store: Storage) -> list[tuple[Any, ...]]:
        buckets = store.trend(query)  # type: ignore[attr-defined]
        return [(b.period, b.key, b.observations, b.documents, sorted(b.eur_per_gram)) for b in buckets]

    expected = counts(stores["sqlite"])
    assert expected
    for name, store in stores.items():
        assert counts(store) == expected, name


def test_every_backend_gives_the_same_eur_per_gram_over_time(stores: dict[str, Storage]) -> None:
    """Weekly EUR-per-gram quartiles from the prices observed each day: exact (linear interpolation) on the
    embedded store, a t-digest estimate on a cluster, which places small samples' values differently; so
    equal within 10% for weeks with 20 observations or more, and present in the same weeks."""
    query = TrendQuery(by=None, interval="week", percents=(25.0, 50.0, 75.0))
    expected = {b.period: b for b in stores["sqlite"].trend(query)}  # type: ignore[attr-defined]
    others = {name: store for name, store in stores.items() if name != "sqlite"}
    compared = 0
    for name, store in others.items():
        found = {b.period: b for b in store.trend(query)}  # type: ignore[attr-defined]
        assert found.keys() == expected.keys(), name
        for period, reference in expected.items():
            assert found[period].eur_per_gram.keys() == reference.eur_per_gram.keys(), (name, period)
            if reference.observations >= 20:
                assert found[period].eur_per_gram == pytest.approx(reference.eur_per_gram, rel=0.1), (name, period)
                compared += 1
    assert others and compared >= len(others) * 5  # the corpus spans 8-10 such weeks
