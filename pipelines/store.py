"""The last pipeline: write items to the storage backend in batches, idempotently."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawlers.items import Listing, Post, Vendor, item_to_document
from storage import open_storage
from storage.base import Storage, WriteResult

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers documents and writes them ``NPSWATCH_STORE_BATCH`` at a time; flushes on close.

    Counts what the store did in stats: ``npswatch/store/created``, ``.../updated``,
    ``.../unchanged`` and ``.../observations`` (new observation days).
    """

    def __init__(self, crawler: Crawler, target: str, batch_size: int) -> None:
        self.crawler = crawler
        self.target = target
        self.batch_size = batch_size
        self.buffer: list[dict[str, Any]] = []
        self.storage: Storage | None = None
        self.result = WriteResult()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        target = crawler.settings.get("NPSWATCH_DB")
        if not target:
            raise NotConfigured("NPSWATCH_DB is empty")
        return cls(crawler, str(target), crawler.settings.getint("NPSWATCH_STORE_BATCH", 200))

    def open_spider(self) -> None:
        self.storage = open_storage(self.target)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Listing | Post | Vendor):
            return item
        self.buffer.append(item_to_document(item))
        self._count(f"npswatch/items/{item.kind}")
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        if not self.buffer or self.storage is None:
            return
        result = self.storage.write(self.buffer)
        self.buffer = []
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
