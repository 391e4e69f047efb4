"""Webhook: one POST per signal, JSON body, HMAC-SHA256 signature, retries with backoff, then a dead letter.

The body is the signal's JSON (``Signal.to_json()``) wrapped as ``{"event": "signal", "signal": {...}}``; the
header ``X-Npswatch-Signature: sha256=<hex>`` is the HMAC-SHA256 of the exact body bytes under
``$NPSWATCH_WEBHOOK_SECRET``.  A receiver answering 2xx has it; a connection error, a timeout, 408, 429 or 5xx is
retried ``retries`` times after ``backoff``, 2x``backoff``, ... seconds; any other answer, or the last failure, appends
a dead-letter line (signal id, URL, attempts, error, the body) so nothing is lost.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from signals.delivery.config import WebhookConfig
from signals.store import now_utc

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class Attempt:
    ok: bool
    status: int | None
    error: str
    retry: bool


def sign(secret: str, body: bytes) -> str:
    """The signature header value: ``sha256=`` + hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def body_of(signal_json: dict[str, Any]) -> bytes:
    return json.dumps({"event": "signal", "signal": signal_json}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def post_once(config: WebhookConfig, body: bytes, signature: str, delivery_id: str) -> Attempt:
    request = urllib.request.Request(config.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        config.signature_header: signature,
        "X-Npswatch-Delivery": delivery_id,
        "User-Agent": "npswatch-alerts",
    })  # fmt: skip
    try:
        with urllib.request.urlopen(
            request, timeout=config.timeout
        ) as answer:  # the URL is http(s), checked by the config
            return Attempt(True, answer.status, "", False)
    except urllib.error.HTTPError as exc:
        return Attempt(False, exc.code, f"HTTP {exc.code} {exc.reason}", exc.code in RETRY_STATUS)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Attempt(False, None, f"{type(exc).__name__}: {reason}", True)


def send(config: WebhookConfig, secret: str, signal_json: dict[str, Any],
         sleep: Callable[[float], None] = time.sleep) -> tuple[bool, int, str]:  # fmt: skip
    """Deliver one signal: ``(delivered, attempts, last error)``; dead-letters it when not delivered."""
    body = body_of(signal_json)
    signature = sign(secret, body)
    attempts, attempt = 0, Attempt(False, None, "not tried", True)
    for n in range(config.retries + 1):
        if n:
            sleep(config.backoff * 2 ** (n - 1))
        attempts += 1
        attempt = post_once(config, body, signature, f"{signal_json.get('id')}-{attempts}")
        if attempt.ok or not attempt.retry:
            break
    if not attempt.ok:
        dead_letter(config, signal_json, attempts, attempt.error, body)
    return attempt.ok, attempts, attempt.error


def dead_letter(config: WebhookConfig, signal_json: dict[str, Any], attempts: int, error: str, body: bytes) -> None:
    config.dead_letter.parent.mkdir(parents=True, exist_ok=True)
    line = {"at": now_utc(), "channel": "webhook", "url": config.url, "signal_id": signal_json.get("id"),
            "attempts": attempts, "error": error, "body": body.decode("utf-8")}  # fmt: skip
    with config.dead_letter.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(line, ensure_ascii=False) + "\n")
