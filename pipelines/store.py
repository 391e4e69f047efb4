"""The last pipeline: write items to the storage backend in batches, idempotently."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawlers.items import Listing, Post, Vendor, item_to_document
from storage import open_storage
from storage.base import Storage, StorageError, StorageUnavailable, WriteResult
from storage.deadletter import dead_letter_line

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers documents and writes them ``NPSWATCH_STORE_BATCH`` at a time; flushes on close.

    Counts what the store did in stats: ``npswatch/store/created``, ``.../updated``,
    ``.../unchanged`` and ``.../observations`` (new observation days).  A document the
    store refuses is kept in ``<data dir>/dead-letter/store.jsonl`` and counted as
    ``drop/<kind>/store_error``: nothing is lost silently.  When the store cannot be reached (a search
    cluster that is down at open or during a write), the whole batch goes to the same file, counted as
    ``drop/<kind>/store_unavailable``, and the crawl goes on.
    """

    def __init__(self, crawler: Crawler, target: str, batch_size: int, dead_letter_path: Path) -> None:
        self.crawler = crawler
        self.target = target
        self.batch_size = batch_size
        self.dead_letter_path = dead_letter_path
        self.buffer: list[dict[str, Any]] = []
        self.storage: Storage | None = None
        self.unavailable: str | None = None  # why the store could not be opened
        self.result = WriteResult()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        target = crawler.settings.get("NPSWATCH_DB")
        if not target:
            raise NotConfigured("NPSWATCH_DB is empty")
        settings = crawler.settings
        dead_letter = Path(settings.get("NPSWATCH_DATA_DIR", "var")) / "dead-letter" / "store.jsonl"
        return cls(crawler, str(target), settings.getint("NPSWATCH_STORE_BATCH", 200), dead_letter)

    def open_spider(self) -> None:
        try:
            self.storage = open_storage(self.target)
        except StorageUnavailable as exc:
            self.unavailable = str(exc)
            logger.error("Store unavailable, items go to %s: %s", self.dead_letter_path, exc)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Listing | Post | Vendor):
            return item
        self.buffer.append(item_to_document(item))
        self._count(f"npswatch/items/{item.kind}")
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        if not self.buffer or (self.storage is None and self.unavailable is None):
            return
        batch, self.buffer = self.buffer, []
        if self.storage is None:
            self._keep_all(batch, self.unavailable or "store unavailable")
            return
        try:
            self._record(self.storage.write(batch))
        except StorageUnavailable as exc:  # an outage: writing one by one would only fail slower
            self._keep_all(batch, str(exc))
        except StorageError:
            # One bad document rolls back its batch: write one by one, dead-letter what still fails.
            for doc in batch:
                self._write_one(doc)

    def _write_one(self, doc: dict[str, Any]) -> None:
        assert self.storage is not None
        try:
            self._record(self.storage.write([doc]))
        except StorageError as exc:
            self._dead_letter(doc, str(exc))

    def _keep_all(self, batch: list[dict[str, Any]], error: str) -> None:
        for doc in batch:
            self._dead_letter(doc, error, "store_unavailable", log=False)
        logger.error("Store unavailable: %d item(s) kept in %s: %s", len(batch), self.dead_letter_path, error)

    def _dead_letter(self, doc: dict[str, Any], error: str, reason: str = "store_error", log: bool = True) -> None:
        """Keep a document the store refused in a JSONL file beside the store, and count it."""
        self.dead_letter_path.parent.mkdir(parents=True, exist_ok=True)
        line = dead_letter_line(doc, error, reason)  # `npswatch index replay` writes them again
        with self.dead_letter_path.open("a", encoding="utf-8") as stream:
            stream.write(line + "\n")
        self._count(f"drop/{doc.get('kind', 'item')}/{reason}")
        if log:
            logger.error("Store refused %s (kept in %s): %s", doc.get("id"), self.dead_letter_path, error)

    def _record(self, result: WriteResult) -> None:
        self.result.add(result)
        for name in ("created", "updated", "unchanged", "observations"):
            self._count(f"npswatch/store/{name}", getattr(result, name))

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self.storage is not None:
                self.storage.close()
                self.storage = None

    def _count(self, key: str, value: int = 1) -> None:
        if value and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, value)
