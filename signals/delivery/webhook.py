"""Webhook: one POST per signal, signed per the Standard Webhooks specification, retries, then a dead letter.

The body is the signal's JSON (``Signal.to_json()``) wrapped as ``{"event": "signal", "signal": {...}}``.  Headers
(https://www.standardwebhooks.com, made with the ``standardwebhooks`` package):

- ``webhook-id``: ``msg_`` + a hash of the body: the same for every retry of one delivery, so a receiver that keeps
  the ids it has seen drops a replayed or repeated message;
- ``webhook-timestamp``: Unix seconds of the attempt; receivers refuse one more than 5 minutes old (or ahead);
- ``webhook-signature``: ``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body`` under ``$NPSWATCH_WEBHOOK_SECRET``
  (a ``whsec_`` + base64 secret as the specification has it; any other value is used as UTF-8 bytes).

Deprecated, sent for one more release: ``X-Npswatch-Signature: sha256=<hex HMAC of the body>`` (signs the body
alone, so a captured delivery could be replayed), flagged by ``X-Npswatch-Signature-Deprecated``; ``legacy_signature:
false`` in the configuration stops it.  Retries and dead letters: ``signals.delivery.retry``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from standardwebhooks import Webhook

from signals.delivery.config import WebhookConfig
from signals.delivery.retry import RETRY_STATUS, Attempt, dead_letter, with_retries

DEPRECATION_HEADER = "X-Npswatch-Signature-Deprecated"
DEPRECATION = "X-Npswatch-Signature is deprecated and goes in the next release; verify webhook-signature instead"


def signing_key(secret: str) -> str | bytes:
    """The key the ``standardwebhooks`` package signs with: a ``whsec_`` secret as is, any other as UTF-8 bytes."""
    return secret if secret.startswith("whsec_") else secret.encode("utf-8")


def sign(secret: str, body: bytes) -> str:
    """The deprecated signature header value: ``sha256=`` + hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def body_of(signal_json: dict[str, Any]) -> bytes:
    return json.dumps({"event": "signal", "signal": signal_json}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def message_id(body: bytes) -> str:
    return "msg_" + hashlib.sha256(body).hexdigest()[:32]


def headers_for(config: WebhookConfig, secret: str, body: bytes, msg_id: str, at: datetime | None = None
                ) -> dict[str, str]:  # fmt: skip
    """The headers of one attempt: Standard Webhooks id, timestamp and signature (and the deprecated header)."""
    moment = at or datetime.now(UTC)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "npswatch-alerts",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(signing_key(secret)).sign(msg_id, moment, body.decode("utf-8")),
    }
    if config.legacy_signature:
        headers[config.signature_header] = sign(secret, body)
        headers[DEPRECATION_HEADER] = DEPRECATION
    return headers


def post_once(config: WebhookConfig, body: bytes, headers: dict[str, str]) -> Attempt:
    request = urllib.request.Request(config.url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as answer:  # http(s) only, checked by the config
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
    msg_id = message_id(body)
    attempt, attempts = with_retries(lambda n: post_once(config, body, headers_for(config, secret, body, msg_id)),
                                     config.retries, config.backoff, sleep)  # fmt: skip
    if not attempt.ok:
        dead_letter(config.dead_letter, "webhook", config.url, signal_json.get("id"), attempts, attempt.error,
                    body.decode("utf-8"))  # fmt: skip
    return attempt.ok, attempts, attempt.error
