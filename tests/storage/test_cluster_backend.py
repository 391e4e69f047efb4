"""The cluster backend against osmem-server: bulk retries, refused items, concurrent writers, mapping
conflicts, migrations behind aliases, copying a store, and the crawl keeping items through an outage.

osmem-server cannot be made to answer 429/503 or to refuse one item of a bulk, so those tests wrap the real
client and replace some bulk item answers (the documents still reach the real server on retry).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawlers.items import Listing
from pipelines.store import StorePipeline
from storage.base import SearchQuery, WriteResult
from storage.cluster import ClusterError, ClusterStorage, ClusterUnavailable, MappingConflict, indices, parse_target
from storage.cluster.client import JSON, ClusterClient, connect
from storage.cluster.copy import copy_store
from storage.cluster.indices import alias_target, load_family, migrate
from storage.sqlite import SqliteStorage
from tests.storage.documents import DAY1, DAY2, DAY3, eur, listing, post

pytestmark = pytest.mark.cluster


class Flaky:
    """The real client, with chosen statuses for the items of the first bulk requests."""

    def __init__(self, real: ClusterClient, statuses: list[list[int]]) -> None:
        self.real, self.statuses, self.bulks = real, statuses, 0
        self.flavor = real.flavor

    def bulk(self, operations: Sequence[Mapping[str, Any]]) -> JSON:
        self.bulks += 1
        if not self.statuses:
            return self.real.bulk(operations)
        statuses = self.statuses.pop(0)
        items = []
        for n, line in enumerate(operations[::2]):
            op = next(iter(line))
            status = statuses[n] if n < len(statuses) else 0
            if status == 0:
                items += self.real.bulk([line, operations[2 * n + 1]])["items"]
            else:
                error = {
                    "type": "mapper_parsing_exception",
                    "reason": "failed to parse field [rating] of type [double]",
                }
                body = {"_id": line[op]["_id"], "status": status, "error": error if status == 400 else {"type": "x"}}
                items.append({op: body})
        return {"errors": True, "items": items}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def target(osmem_url: str) -> str:
    return f"opensearch+{osmem_url}"


def flaky_store(target: str, statuses: list[list[int]], sleeps: list[float]) -> tuple[ClusterStorage, Flaky]:
    config = parse_target(target)
    client = Flaky(connect(config), statuses)
    return ClusterStorage(config, client, sleep=sleeps.append), client


def test_items_answered_429_or_5xx_are_retried_with_growing_backoff(target: str) -> None:
    sleeps: list[float] = []
    store, client = flaky_store(target, [[429, 0, 503, 0], [0, 502], []], sleeps)
    assert store.write([listing("1"), post()]) == WriteResult(created=2, observations=2)
    assert client.bulks == 3 and len(sleeps) == 2 and sleeps[1] > sleeps[0] * 0.9
    assert store.count() == 2 and len(store.history(listing("1")["id"])) == 1


def test_items_still_failing_after_every_retry_raise_unavailable(target: str) -> None:
    store, _ = flaky_store(target, [[503, 503]] * 10, [])
    with pytest.raises(ClusterUnavailable, match="still answered 429/5xx after 6 tries"):
        store.write([listing("1")])


def test_a_refused_item_is_reported_with_the_document_and_field(target: str) -> None:
    store, _ = flaky_store(target, [[400, 0, 0, 0]], [])
    doc = listing("1")
    with pytest.raises(ClusterError, match=rf"{doc['id']}: field 'rating': mapper_parsing_exception"):
        store.write([doc, post()])
    assert store.get(post()["id"]) is not None  # the rest of the bulk is stored


def test_a_concurrent_writer_is_planned_again_not_overwritten(target: str) -> None:
    first, second = ClusterStorage(parse_target(target)), ClusterStorage(parse_target(target))
    first.write([listing(seen_at=DAY1, prices=[eur("45.00")])])
    real_plan = second._plan

    def plan_then_race(rows: list[Any]) -> Any:
        planned = real_plan(rows)
        if not getattr(plan_then_race, "raced", False):
            plan_then_race.raced = True  # type: ignore[attr-defined]
            first.write([listing(seen_at=DAY3, prices=[eur("30.00")])])  # lands between read and write
        return planned

    second._plan = plan_then_race  # type: ignore[method-assign]
    assert second.write([listing(seen_at=DAY2, prices=[eur("40.00")])]) == WriteResult(unchanged=1, observations=1)
    assert second.get(listing()["id"]) == listing(seen_at=DAY3, prices=[eur("30.00")])
    assert [o.prices[0]["amount"] for o in second.history(listing()["id"])] == ["45.00", "40.00", "30.00"]


def test_a_live_mapping_that_disagrees_is_reported_with_the_field(target: str) -> None:
    config = parse_target(target)
    client = connect(config)
    client.create_index("npswatch-documents-v1", {"mappings": {"properties": {"vendor": {"type": "long"}}},
                                                  "aliases": {"npswatch-documents": {}}})  # fmt: skip
    with pytest.raises(MappingConflict, match=r"field 'vendor': expected 'keyword'.*found 'long'") as error:
        ClusterStorage(config)
    assert error.value.field == "vendor"


def test_migrate_reindexes_into_a_new_version_and_moves_the_alias(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ClusterStorage(parse_target(target))
    store.write([listing("1"), listing("2", seen_at=DAY2), post()])
    client = store.client
    assert alias_target(client, "npswatch-documents") == "npswatch-documents-v1"
    v2 = replace(load_family("documents"), version=2)  # as if storage/mappings/documents.json said version 2
    monkeypatch.setattr(indices, "families", lambda: [v2, load_family("observations")])
    done = migrate(client, "npswatch")
    assert any("reindexed npswatch-documents-v1 -> npswatch-documents-v2 (3 documents)" in line for line in done)
    assert alias_target(client, "npswatch-documents") == "npswatch-documents-v2"
    reopened = ClusterStorage(parse_target(target))
    assert reopened.count() == 3 and reopened.get(listing("1")["id"]) == listing("1")
    assert migrate(client, "npswatch")[0].endswith("up to date (version 2)")


def test_copying_the_embedded_store_keeps_documents_spans_and_history(target: str, tmp_path: Path) -> None:
    source = SqliteStorage(tmp_path / "src.sqlite3")
    source.write([listing("1", DAY1, prices=[eur("45.00")]), post("1", DAY2)])
    source.write([listing("1", DAY3, prices=[eur("35.00")]), listing("2", DAY2)])
    cluster = ClusterStorage(parse_target(target))
    result = copy_store(source, cluster)
    assert (result.created, result.observations) == (3, 4)
    assert copy_store(source, cluster).created == 0  # idempotent
    for doc_id in (listing("1")["id"], listing("2")["id"], post("1")["id"]):
        assert cluster.get(doc_id) == source.get(doc_id)
        assert cluster.history(doc_id) == source.history(doc_id)
    query = SearchQuery(limit=10, facets=["kind"])
    assert cluster.search(query).to_json() == source.search(query).to_json()
    source.close()


def pipeline(tmp_path: Path, target: str) -> StorePipeline:
    crawler = get_crawler(settings_dict={"NPSWATCH_DB": target, "NPSWATCH_STORE_BATCH": 2,
                                         "NPSWATCH_DATA_DIR": str(tmp_path)})  # fmt: skip
    crawler.stats.open_spider()
    return StorePipeline.from_crawler(crawler)


def item(n: int) -> Listing:
    return Listing(source="s", market="M", native_id=str(n), url=f"http://m/{n}", title=f"item {n}",
                   seen_at="2026-10-01T12:00:00+00:00")  # fmt: skip


def dead_letters(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "dead-letter" / "store.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_cluster_down_at_open_keeps_every_item_in_the_dead_letter_file(tmp_path: Path) -> None:
    pipe = pipeline(tmp_path, "opensearch+http://127.0.0.1:9")
    pipe.open_spider()
    for n in range(3):
        pipe.process_item(item(n))
    pipe.close_spider()
    kept = dead_letters(tmp_path)
    assert [k["document"]["native_id"] for k in kept] == ["0", "1", "2"]
    assert "cannot reach the search cluster at opensearch+http://127.0.0.1:9" in kept[0]["error"]
    assert pipe.crawler.stats.get_stats()["drop/listing/store_unavailable"] == 3


def test_a_cluster_lost_during_the_crawl_keeps_the_unwritten_items(tmp_path: Path, osmem_server: Any) -> None:
    clone = osmem_server.clone()
    pipe = pipeline(tmp_path, f"opensearch+{clone.url}")
    pipe.open_spider()
    assert isinstance(pipe.storage, ClusterStorage)
    pipe.storage.sleep = lambda seconds: None
    pipe.process_item(item(0))
    pipe.process_item(item(1))  # a batch of two: written
    clone.close()  # the cluster goes away
    pipe.process_item(item(2))
    pipe.process_item(item(3))
    pipe.close_spider()
    stats = pipe.crawler.stats.get_stats()
    assert stats["npswatch/store/created"] == 2 and stats["drop/listing/store_unavailable"] == 2
    assert [k["document"]["native_id"] for k in dead_letters(tmp_path)] == ["2", "3"]


@pytest.fixture(autouse=True)
def _quiet_client_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield


def test_the_elasticsearch_flavour_refuses_an_opensearch_server_by_name(osmem_url: str) -> None:
    """osmem answers GET / as OpenSearch 3: the Elasticsearch client selection says so instead of failing later
    on a refused header (tests/storage/test_cluster_client.py covers the selection for Elasticsearch 8/9)."""
    from storage.base import StorageError
    from storage.cluster.client import Unreachable

    config = parse_target(f"elasticsearch+{osmem_url}", environ={"NPSWATCH_ES_API_KEY": "k3y"})
    with pytest.raises(StorageError, match=r"found OpenSearch 3\.\d+\.\d+, not Elasticsearch.*opensearch\+http"):
        ClusterStorage(config)
    down = connect(parse_target("elasticsearch+http://127.0.0.1:9", environ={}))
    with pytest.raises(Unreachable):
        down.info()
    down.close()
