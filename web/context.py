"""What every request of the workbench reads from: the stores, the WARC index, the accounts, the pseudonymiser.

The server answers requests on worker threads; SQLite connections belong to the thread that opened them, so each
thread opens the document store and the signal store once and keeps them (``threading.local``).  The WARC index and
the researcher's pseudonymiser are shared and guarded by a lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from crawlers.warcindex import WarcIndex
from exports.corpus import learn_people
from exports.pseudonymise import Pseudonymiser, PseudonymKeyError, key_from_environment
from signals.store import SignalStore, open_store
from storage import open_storage
from storage.base import Storage
from web.accounts import Accounts
from web.config import WebConfig

T = TypeVar("T")
PSEUDONYMS_TTL = 600.0  # seconds the people a researcher's pages hide are kept before they are learnt again
CACHE_ENTRIES = 256  # store answers kept (searches with facets, trends) until the store changes
CLUSTER_TTL = 60.0  # seconds a cluster's answers are kept (a cluster has no file to watch)


class Context:
    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.accounts = Accounts(config.users_db)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Any] = []
        self._warc: WarcIndex | None = None
        self._pseudonymiser: tuple[float, Pseudonymiser] | None = None
        self._cache: OrderedDict[str, tuple[object, Any]] = OrderedDict()

    def store(self) -> Storage:
        found: Storage | None = getattr(self._local, "store", None)
        if found is None:
            found = self._local.store = open_storage(self.config.db)
            with self._lock:
                self._opened.append(found)
        return found

    def signals(self) -> SignalStore:
        found: SignalStore | None = getattr(self._local, "signals", None)
        if found is None:
            found = self._local.signals = open_store(self.config.db, self.config.data)
            with self._lock:
                self._opened.append(found)
        return found

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, or its answer from before when the store has not changed since (store answers are the
        same for every user: what a role may see is applied afterwards).  Analysts come back to the same substance
        and search pages, and the store changes only when a crawl writes to it."""
        version = self._store_version()
        with self._lock:
            found = self._cache.get(key)
            if found is not None and found[0] == version:
                self._cache.move_to_end(key)
                return found[1]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._cache[key] = (version, value)
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return value

    def forget(self) -> None:
        """Drop every cached answer (``bench/web_bench.py`` measures renders without them)."""
        with self._lock:
            self._cache.clear()

    def _store_version(self) -> object:
        """What changes when the store does: its SQLite files' size and time, or the minute for a cluster."""
        from storage import sqlite_path
        from storage.cluster.config import is_cluster_target

        if is_cluster_target(self.config.db):
            return int(time.time() // CLUSTER_TTL)
        path = Path(sqlite_path(self.config.db))
        stats = []
        for name in (path, path.with_name(path.name + "-wal")):
            with contextlib.suppress(OSError):
                found = name.stat()
                stats.append((found.st_mtime_ns, found.st_size))
        return tuple(stats)

    def warc(self) -> WarcIndex:
        with self._lock:
            if self._warc is None:
                self._warc = WarcIndex(self.config.warc_dir)
            return self._warc

    def pseudonymiser(self) -> Pseudonymiser:
        """The researcher's view of people: every source's vendors and forum authors learnt (again after
        ``PSEUDONYMS_TTL``), replaced by keyed pseudonyms (``exports.pseudonymise``, the export's key when
        ``NPSWATCH_PSEUDONYM_KEY`` is set, else a key of this server process)."""
        with self._lock:
            if self._pseudonymiser is not None and time.monotonic() - self._pseudonymiser[0] < PSEUDONYMS_TTL:
                return self._pseudonymiser[1]
        try:
            key = key_from_environment()
        except PseudonymKeyError:
            key = os.urandom(32)
        made = Pseudonymiser(key)
        learn_people(self.store(), made)
        with self._lock:
            self._pseudonymiser = (time.monotonic(), made)
        return made

    def close(self) -> None:
        with self._lock:
            for opened in self._opened:
                with contextlib.suppress(sqlite3.ProgrammingError):  # opened by another thread: closed with it
                    opened.close()
            self._opened.clear()
            if self._warc is not None:
                self._warc.close()
                self._warc = None
