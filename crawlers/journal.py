"""Crawl state that survives ``kill -9``: the requests of a crawl with a job directory (``--resume``), in SQLite.

Scrapy's own JOBDIR state does not survive a killed process: its disk queue writes where it stands only at close
(the next run finds an empty queue while every URL it saw is in ``requests.seen``, so it crawls nothing), and the
requests in flight at the kill are neither queued nor done.

``JournalScheduler`` keeps every request it is given in ``<JOBDIR>/requests.sqlite3`` with a ``done`` flag.  A
request is done once the engine has finished with its page *and* the store pipeline has written what the page
gave: the pipeline sends ``pipelines.store.items_stored`` after every write that lost nothing (at least every
``NPSWATCH_STORE_FLUSH_SECONDS``), and the journal then marks done the requests the engine no longer holds and
commits, in one transaction with the requests their pages found.  After a kill at any point:

- a request not done (in flight, or its items not written yet) is queued again: its page is fetched again and its
  items written again, which the store takes as unchanged (writes are idempotent by document and day);
- a done request is not fetched again, and the requests its page found are in the journal, queued;
- duplicates are filtered against every request the journal holds, done or not;
- a journal with nothing left to do (its crawl finished but was killed before the job directory was removed)
  is cleared: the crawl starts afresh rather than crawling nothing;
- a done request the page budget counted (``crawlers.middlewares.PAGE``) is marked ``page``, and a resumed crawl
  starts its ``max_pages`` budget from their number (``PAGES_DONE``): the budget is the crawl's, not each run's.

Without a job directory the crawl uses Scrapy's own scheduler, in memory.
"""

from __future__ import annotations

import heapq
import logging
import pickle
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.core.scheduler import BaseScheduler, Scheduler
from scrapy.utils.job import job_dir
from scrapy.utils.request import request_from_dict

from crawlers.delivery import items_stored
from crawlers.middlewares import PAGE, PAGES_DONE
from storage.private import create_private

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
JOURNAL = "requests.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY,          -- order of arrival: first in, first out within a priority
    fingerprint BLOB,                 -- Scrapy's request fingerprint; NULL for dont_filter requests (retries)
    priority INTEGER NOT NULL,
    request BLOB NOT NULL,            -- Request.to_dict, pickled (scrapy.utils.request.request_from_dict reads it)
    done INTEGER NOT NULL DEFAULT 0,  -- 1: fetched, and what its page gave is stored
    page INTEGER NOT NULL DEFAULT 0   -- 1: done, and counted as one of the crawl's max_pages
)
"""


class JournalScheduler(BaseScheduler):
    """Scrapy's scheduler interface over the journal (module docstring); Scrapy's own scheduler without JOBDIR."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.conn: sqlite3.Connection | None = None
        self.spider: Spider | None = None
        self.seen: set[bytes] = set()
        self.queue: list[tuple[int, int]] = []  # a heap of (-priority, seq)
        self.taken: dict[Request, int] = {}  # handed to the engine, not done yet: request -> seq
        self.unserialisable: dict[int, Request] = {}  # kept in memory only (counted, logged)
        self.next_seq = 1

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BaseScheduler:  # type: ignore[override]  # Scrapy's own without JOBDIR
        directory = job_dir(crawler.settings)
        if not directory:
            return Scheduler.from_crawler(crawler)
        scheduler = cls(crawler, Path(directory) / JOURNAL)
        crawler.signals.connect(scheduler.checkpoint, signal=items_stored)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        create_private(self.path)  # owner-only: the requests keep their headers and cookies
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")  # a killed process loses nothing committed
        self.conn.execute(_SCHEMA)
        if "page" not in {row[1] for row in self.conn.execute("PRAGMA table_info(requests)")}:  # an older journal
            self.conn.execute("ALTER TABLE requests ADD COLUMN page INTEGER NOT NULL DEFAULT 0")
        if not self.conn.execute("SELECT 1 FROM requests WHERE done = 0 LIMIT 1").fetchone():
            self.conn.execute("DELETE FROM requests")  # that crawl had finished (killed before clearing up): anew
        for seq, fingerprint, priority, done in self.conn.execute(
            "SELECT seq, fingerprint, priority, done FROM requests"
        ):
            if fingerprint is not None:
                self.seen.add(bytes(fingerprint))
            if not done:
                self.queue.append((-priority, seq))
            self.next_seq = max(self.next_seq, seq + 1)
        heapq.heapify(self.queue)
        if self.queue:
            logger.info("Resuming the crawl: %d request(s) queued again from %s", len(self.queue), self.path)
            self._count("npswatch/journal/resumed", len(self.queue))
            (pages,) = self.conn.execute("SELECT count(*) FROM requests WHERE page = 1").fetchone()
            self._count(PAGES_DONE, pages)
        self.conn.execute("BEGIN")

    def close(self, reason: str) -> None:
        if self.conn is not None:
            self.conn.execute("COMMIT")  # what is marked done was marked at the last write of the store
            self.conn.close()
            self.conn = None

    def has_pending_requests(self) -> bool:
        return bool(self.queue)

    def __len__(self) -> int:
        return len(self.queue)

    def enqueue_request(self, request: Request) -> bool:
        assert self.conn is not None
        fingerprint: bytes | None = None
        if not request.dont_filter:
            fingerprint = self.crawler.request_fingerprinter.fingerprint(request)
            if fingerprint in self.seen:
                self._count("dupefilter/filtered")
                return False
            self.seen.add(fingerprint)
        seq, self.next_seq = self.next_seq, self.next_seq + 1
        try:
            data = pickle.dumps(request.to_dict(spider=self.spider), protocol=4)
        except (pickle.PicklingError, AttributeError, TypeError, ValueError) as exc:
            self.unserialisable[seq] = request  # as Scrapy does: crawled, but not resumable
            self._count("scheduler/unserializable")
            logger.warning("Request %s kept in memory only (a resumed crawl will not have it): %s", request, exc)
        else:
            self.conn.execute("INSERT INTO requests (seq, fingerprint, priority, request) VALUES (?, ?, ?, ?)",
                              (seq, fingerprint, request.priority, data))
        heapq.heappush(self.queue, (-request.priority, seq))
        self._count("scheduler/enqueued")
        return True

    def next_request(self) -> Request | None:
        if not self.queue:
            return None
        _, seq = heapq.heappop(self.queue)
        request = self.unserialisable.pop(seq, None) or self._load(seq)
        request.meta.pop(PAGE, None)  # a retry or redirect copies its request's meta: only the budget sets it again
        self.taken[request] = seq
        self._count("scheduler/dequeued")
        return request

    def _load(self, seq: int) -> Request:
        assert self.conn is not None
        (data,) = self.conn.execute("SELECT request FROM requests WHERE seq = ?", (seq,)).fetchone()
        return request_from_dict(pickle.loads(data), spider=self.spider)

    def checkpoint(self) -> None:
        """The store has written everything scraped so far: the requests the engine is done with are done."""
        if self.conn is None:
            return
        busy = _in_progress(self.crawler)
        done = [(request, seq) for request, seq in self.taken.items() if busy is not None and request not in busy]
        for request, _ in done:
            del self.taken[request]
        marks = [(int(bool(request.meta.get(PAGE))), seq) for request, seq in done]
        self.conn.executemany("UPDATE requests SET done = 1, page = ? WHERE seq = ?", marks)
        self.conn.execute("COMMIT")
        self.conn.execute("BEGIN")

    def _count(self, key: str, value: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, value)


def _in_progress(crawler: Crawler) -> set[Any] | None:
    """The requests the engine holds (downloading, or its page's output being processed): from a request's
    ``next_request`` until its page's items have gone through every pipeline.  None when this Scrapy keeps them
    elsewhere: then nothing is marked done and a resumed crawl fetches everything again (safe, slower)."""
    slot = getattr(crawler.engine, "_slot", None)
    requests = getattr(slot, "inprogress", None)
    return requests if isinstance(requests, set) else None
