"""The store pipeline: batches, counts, and a dead-letter file for what the store refuses."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.utils.test import get_crawler

from crawlers.items import Listing, Post
from pipelines.store import StorePipeline
from storage import open_storage


def pipeline(tmp_path: Path, batch: int = 2) -> StorePipeline:
    crawler = get_crawler(settings_dict={"NPSWATCH_DB": str(tmp_path / "db.sqlite3"), "NPSWATCH_STORE_BATCH": batch,
                                         "NPSWATCH_DATA_DIR": str(tmp_path)})  # fmt: skip
    crawler.stats.open_spider()
    return StorePipeline.from_crawler(crawler)


def listing(n: int, title: object = None) -> Listing:
    return Listing(source="s", market="M", native_id=str(n), url=f"http://m/{n}", title=title or f"item {n}",  # type: ignore[arg-type]
                   seen_at="2026-10-01T12:00:00+00:00")  # fmt: skip


def test_batches_are_written_and_counted(tmp_path: Path) -> None:
    pipe = pipeline(tmp_path)
    pipe.open_spider()
    for n in range(5):
        pipe.process_item(listing(n))
    pipe.process_item(Post(source="s", forum="F", board=None, thread_id="1", thread_title="t", post_id="1",
                           url="http://f/1", text="hello", seen_at="2026-10-01T12:00:00+00:00"))  # fmt: skip
    pipe.close_spider()
    stats = pipe.crawler.stats.get_stats()
    assert stats["npswatch/items/listing"] == 5 and stats["npswatch/items/post"] == 1
    assert stats["npswatch/store/created"] == 6
    store = open_storage(tmp_path / "db.sqlite3")
    assert store.count() == 6
    store.close()


def test_a_refused_document_goes_to_the_dead_letter_file_and_the_rest_is_stored(tmp_path: Path) -> None:
    pipe = pipeline(tmp_path, batch=3)
    pipe.open_spider()
    pipe.process_item(listing(1))
    pipe.process_item(listing(2, title=["not", "a", "string"]))
    pipe.process_item(listing(3))
    pipe.close_spider()
    stats = pipe.crawler.stats.get_stats()
    assert stats["npswatch/store/created"] == 2
    assert stats["drop/listing/store_error"] == 1
    [line] = (tmp_path / "dead-letter" / "store.jsonl").read_text().splitlines()
    kept = json.loads(line)
    assert kept["document"]["native_id"] == "2" and "title" in kept["error"]
