"""The last pipeline: write items to the storage backend in batches, idempotently, and account for every one."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawlers.delivery import DEAD_LETTER_FILES, DELIVERY, WRITE_ERRORS, flush_store, items_stored
from crawlers.items import Listing, Post, Vendor, item_to_document
from storage import open_storage
from storage.base import Storage, StorageError, StorageUnavailable, WriteResult
from storage.deadletter import STORE_ERROR, STORE_UNAVAILABLE, DeadLetterFile, dead_letter_line, default_path

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StorePipeline:
    """Buffers documents and writes them ``NPSWATCH_STORE_BATCH`` at a time, at least every
    ``NPSWATCH_STORE_FLUSH_SECONDS``, on ``flush_store`` and on close.

    Counts what the store did in stats: ``npswatch/store/created``, ``.../updated``, ``.../unchanged`` and
    ``.../observations`` (new observation days), and what became of every item: ``npswatch/delivery/stored``,
    ``.../dead_lettered`` or ``.../lost``.  A document the store refuses is kept in the dead-letter file
    (``storage.deadletter.DeadLetterFile``: ``<data dir>/dead-letter/store.jsonl``, else
    ``NPSWATCH_DEAD_LETTER_FALLBACK``) and counted as ``drop/<kind>/store_error``; when the store cannot be used
    (a cluster that is down, a full disk, a read-only or corrupted file) the whole batch goes there, counted as
    ``drop/<kind>/store_unavailable``, and the crawl goes on.  A document no dead-letter location takes is
    ``drop/<kind>/lost``.  The crawl report fails a crawl with any of these (``crawlers.run.CrawlReport``).
    """

    def __init__(
        self, crawler: Crawler, target: str, batch_size: int, dead_letters: DeadLetterFile, flush_seconds: float = 0
    ) -> None:
        self.crawler = crawler
        self.target = target
        self.batch_size = batch_size
        self.dead_letters = dead_letters
        self.flush_seconds = flush_seconds
        self.buffer: list[dict[str, Any]] = []
        self.storage: Storage | None = None
        self.unavailable: str | None = None  # why the store could not be opened
        self.result = WriteResult()
        self._flushed_at = time.monotonic()
        self._timer: Any = None

    @property
    def dead_letter_path(self) -> Path:
        """Where the next dead letter goes."""
        return self.dead_letters.current or self.dead_letters.paths[0]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        target = crawler.settings.get("NPSWATCH_DB")
        if not target:
            raise NotConfigured("NPSWATCH_DB is empty")
        settings = crawler.settings
        paths = [default_path(settings.get("NPSWATCH_DATA_DIR") or "var")]
        if settings.get("NPSWATCH_DEAD_LETTER_FALLBACK"):
            paths.append(Path(settings["NPSWATCH_DEAD_LETTER_FALLBACK"]).expanduser())
        pipeline = cls(crawler, str(target), settings.getint("NPSWATCH_STORE_BATCH", 200), DeadLetterFile(paths),
                       settings.getfloat("NPSWATCH_STORE_FLUSH_SECONDS", 0))  # fmt: skip
        crawler.signals.connect(pipeline.flush, signal=flush_store)
        crawler.signals.connect(pipeline.item_failed, signal=signals.item_error)
        return pipeline

    def open_spider(self) -> None:
        where = self.dead_letters.check()
        problems = "; ".join(f"{path}: {error}" for path, error in self.dead_letters.errors.items())
        if where is None:
            self._count(f"{WRITE_ERRORS}dead_letter")
            logger.error("No dead-letter location can be written (%s): a document the store refuses would be lost, "
                         "so the crawl fails", problems)  # fmt: skip
        elif where != self.dead_letters.paths[0]:
            logger.warning("Dead letters go to %s: %s", where, problems)
        try:
            self.storage = open_storage(self.target)
        except StorageError as exc:  # a cluster that is down, a read-only or corrupted file: keep every item aside
            self.unavailable = str(exc)
            logger.error("Store unavailable, items go to %s: %s", self.dead_letter_path, exc)
        self._start_timer()

    def _start_timer(self) -> None:
        from scrapy.utils.reactor import is_reactor_installed

        if self.flush_seconds > 0 and is_reactor_installed():  # not in unit tests that drive the pipeline by hand
            from scrapy.utils.asyncio import create_looping_call

            self._timer = create_looping_call(self.flush)
            self._timer.start(self.flush_seconds, now=False)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Listing | Post | Vendor):
            return item
        self.buffer.append(item_to_document(item))
        self._count(f"npswatch/items/{item.kind}")
        if len(self.buffer) >= self.batch_size or self._due():
            self.flush()
        return item

    def _due(self) -> bool:
        return self.flush_seconds > 0 and time.monotonic() - self._flushed_at >= self.flush_seconds

    def item_failed(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        """An item a pipeline raised on never reaches the store: lost, and counted so."""
        kind = getattr(item, "kind", "item")
        self._count(f"{DELIVERY}failed")
        self._count(f"drop/{kind}/pipeline_error")

    def flush(self) -> None:
        """Write the buffer; then, when nothing was lost, say so (``items_stored``), even for an empty buffer."""
        self._flushed_at = time.monotonic()
        if self.storage is None and self.unavailable is None:  # not open, or closed
            return
        batch, self.buffer = self.buffer, []
        lost = 0
        if batch and self.storage is None:
            lost = self._keep(batch, self.unavailable or "store unavailable", STORE_UNAVAILABLE)
        elif batch:
            lost = self._write(batch)
        if not lost:
            self.crawler.signals.send_catch_log(signal=items_stored)

    def _write(self, batch: list[dict[str, Any]]) -> int:
        """Write ``batch``; the number of documents lost."""
        assert self.storage is not None
        try:
            self._record(self.storage.write(batch), len(batch))
            return 0
        except StorageUnavailable as exc:  # an outage or an unusable store: one by one would only fail slower
            return self._keep(batch, str(exc), STORE_UNAVAILABLE)
        except StorageError:
            pass
        lost = 0  # one bad document rolls back its batch: write one by one, dead-letter what still fails
        for n, doc in enumerate(batch):
            try:
                self._record(self.storage.write([doc]), 1)
            except StorageUnavailable as exc:
                return lost + self._keep(batch[n:], str(exc), STORE_UNAVAILABLE)
            except StorageError as exc:
                lost += self._keep([doc], str(exc), STORE_ERROR)
        return lost

    def _keep(self, docs: list[dict[str, Any]], error: str, reason: str) -> int:
        """Keep documents the store did not take in the dead-letter file and count them; the number lost."""
        self._count(f"{WRITE_ERRORS}store", len(docs))
        lines = [dead_letter_line(doc, error, reason) for doc in docs]  # `npswatch index replay` writes them again
        try:
            path = self.dead_letters.append(lines)
        except OSError as exc:
            self._count(f"{WRITE_ERRORS}dead_letter", len(docs))
            self._count_docs(docs, "lost")
            logger.error("%d item(s) LOST: the store did not take them (%s) and %s", len(docs), error, exc)
            return len(docs)
        self._count_docs(docs, "dead_lettered", reason)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(DEAD_LETTER_FILES, {str(p): n for p, n in self.dead_letters.kept.items()})
        logger.error("Store did not take %d item(s), kept in %s: %s", len(docs), path, error)
        return 0

    def _count_docs(self, docs: list[dict[str, Any]], outcome: str, reason: str | None = None) -> None:
        self._count(f"{DELIVERY}{outcome}", len(docs))
        for doc in docs:
            self._count(f"drop/{doc.get('kind', 'item')}/{reason or outcome}")

    def _record(self, result: WriteResult, documents: int) -> None:
        self.result.add(result)
        self._count(f"{DELIVERY}stored", documents)
        for name in ("created", "updated", "unchanged", "observations"):
            self._count(f"npswatch/store/{name}", getattr(result, name))

    def close_spider(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        try:
            self.flush()
        finally:
            if self.storage is not None:
                self.storage.close()
            self.storage, self.unavailable = None, None

    def _count(self, key: str, value: int = 1) -> None:
        if value and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, value)
