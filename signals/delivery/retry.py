"""What every push channel (webhook, MISP) shares: attempts with exponential backoff, then a dead letter.

A connection error, a timeout, 408, 425, 429 or 5xx is retried ``retries`` times after ``backoff``, 2x``backoff``,
... seconds; any other failure, or the last one, appends one JSON line to the dead-letter file (time, channel, URL,
item id, attempts, last error, the body as it would have been sent) so nothing is lost and it can be replayed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from signals.store import now_utc
from storage.private import private_dirs, private_opener

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class Attempt:
    ok: bool
    status: int | None
    error: str
    retry: bool


def with_retries(attempt: Callable[[int], Attempt], retries: int, backoff: float,
                 sleep: Callable[[float], None] = time.sleep) -> tuple[Attempt, int]:  # fmt: skip
    """Call ``attempt(n)`` (n = 1, 2, ...) until it succeeds, fails for good, or ``retries`` retries are spent;
    returns the last attempt and how many were made."""
    last, made = Attempt(False, None, "not tried", True), 0
    for n in range(retries + 1):
        if n:
            sleep(backoff * 2 ** (n - 1))
        made += 1
        last = attempt(made)
        if last.ok or not last.retry:
            break
    return last, made


def dead_letter(path: Path, channel: str, url: str, item_id: object, attempts: int, error: str, body: str) -> None:
    """Append what could not be delivered to ``path`` (JSON lines), with everything needed to send it again."""
    private_dirs(path.parent)
    line = {"at": now_utc(), "channel": channel, "url": url, "signal_id": item_id, "attempts": attempts,
            "error": error, "body": body}  # fmt: skip
    with open(path, "a", encoding="utf-8", opener=private_opener) as stream:
        stream.write(json.dumps(line, ensure_ascii=False) + "\n")
