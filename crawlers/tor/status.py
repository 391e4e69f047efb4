"""Each Tor source's status (up, down since, last error, backoff, walls, refusals) in a small JSON file.

Onions go offline, come back, and sit behind queues: a source none of whose pages could be
fetched is *down*; the next crawls are skipped (every request refused as ``backoff``) until
``next_try``, which doubles with every failed crawl from ``NPSWATCH_TOR_BACKOFF_BASE`` up to
``NPSWATCH_TOR_BACKOFF_MAX``.  One successful page makes it *up* again.  The file is locked
while it is rewritten, as crawls run in parallel processes.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from storage.private import private_dirs, private_opener, replace_private


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class SourceStatus:
    source: str
    state: str = "unknown"  # up | down | unknown
    down_since: str | None = None
    last_ok: str | None = None
    last_error: str | None = None
    failures: int = 0  # crawls in a row with no page fetched
    next_try: str | None = None  # no request before this time (backoff)
    instance: int | None = None  # index of the Tor instance of the pool
    isolation_key: str | None = None
    last_crawl: str | None = None
    pages: int = 0  # pages fetched by the last crawl
    walls: dict[str, int] = field(default_factory=dict)  # by kind, in the last crawl
    refused: dict[str, int] = field(default_factory=dict)  # npswatch/tor/refused/<reason>, in the last crawl

    def backing_off(self, at: datetime | None = None) -> bool:
        return self.next_try is not None and datetime.fromisoformat(self.next_try) > (at or now())

    def record_crawl(self, pages: int, error: str | None, base: float, cap: float, at: datetime | None = None) -> None:
        """Update after a crawl: up when a page came back, else down with a doubled backoff."""
        at = at or now()
        self.last_crawl, self.pages = at.isoformat(), pages
        if pages > 0:
            self.state, self.down_since, self.failures, self.next_try = "up", None, 0, None
            self.last_ok = at.isoformat()
            return
        self.state = "down"
        self.down_since = self.down_since or at.isoformat()
        self.failures += 1
        self.last_error = error or self.last_error or "no page could be fetched"
        wait = min(base * 2 ** (self.failures - 1), cap)
        self.next_try = (at + timedelta(seconds=wait)).isoformat() if wait > 0 else None


class StatusStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, SourceStatus]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        known = {f.name for f in fields(SourceStatus)}
        return {name: SourceStatus(**{k: v for k, v in entry.items() if k in known}) for name, entry in data.items()}

    def get(self, source: str) -> SourceStatus:
        return self.load().get(source) or SourceStatus(source)

    @contextmanager
    def edit(self, source: str) -> Iterator[SourceStatus]:
        """Read, change and write back one source's status under an exclusive lock."""
        private_dirs(self.path.parent)
        with open(self.path.with_suffix(".lock"), "w", opener=private_opener) as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            statuses = self.load()
            status = statuses.setdefault(source, SourceStatus(source))
            yield status
            self._write(statuses)

    def _write(self, statuses: dict[str, SourceStatus]) -> None:
        data: dict[str, Any] = {name: asdict(s) for name, s in sorted(statuses.items())}
        replace_private(self.path, json.dumps(data, indent=2))
