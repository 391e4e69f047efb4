"""Webhook signatures per the Standard Webhooks specification, checked by a receiver that uses the
``standardwebhooks`` package's verifier (the snippet of docs/signals.md) and refuses ids it has seen: a delivery is
accepted once, a replay of it is refused, a delivery signed long ago is refused; the deprecated header still comes."""

from __future__ import annotations

import base64
import json
import secrets
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from signals.delivery import deliver
from signals.delivery.config import DeliveryConfig, WebhookConfig
from signals.delivery.webhook import DEPRECATION_HEADER, body_of, headers_for, message_id, post_once, sign
from tests.signals.test_delivery import Receiver, signal

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class VerifyingReceiver(Receiver):
    """What an EWS partner runs: verify signature and timestamp with the package, then refuse a seen webhook-id."""

    def __init__(self, secret: str) -> None:
        super().__init__([])
        self.verifier = Webhook(secret)
        self.seen: set[str] = set()
        self.accepted: list[tuple[dict[str, str], Any]] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()

    def respond(self, headers: dict[str, str], body: bytes) -> int:
        return self.receive({k.lower(): v for k, v in headers.items()}, body)

    def receive(self, headers: dict[str, str], body: bytes) -> int:
        try:
            payload = self.verifier.verify(body, headers)
        except WebhookVerificationError as exc:
            self.refused.append(str(exc))
            return 400
        msg_id = headers["webhook-id"]
        with self.lock:
            if msg_id in self.seen:
                self.refused.append("repeated webhook-id")
                return 409
            self.seen.add(msg_id)
        self.accepted.append((headers, payload))
        return 204



@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("NPSWATCH_WEBHOOK_SECRET", SECRET)
    with VerifyingReceiver(SECRET) as running:
        yield running


def config(url: str, tmp_path: Path, **kwargs: Any) -> WebhookConfig:
    return WebhookConfig(url=url, backoff=0.01, retries=1, dead_letter=tmp_path / "dead.jsonl", **kwargs)


def test_deliveries_verify_with_the_standard_webhooks_package(receiver: VerifyingReceiver, tmp_path: Path) -> None:
    report = deliver(
        [signal(), signal("ketamine", "price_shift")], DeliveryConfig(webhook=config(receiver.url, tmp_path))
    )
    assert report.ok and report.sent["webhook"] == 2 and receiver.refused == []
    (headers, payload), _ = receiver.accepted
    assert payload["signal"]["subject"] == "3-CPMC" and headers["webhook-id"].startswith("msg_")
    assert headers["x-npswatch-signature"] == sign(SECRET, body_of(payload["signal"]))  # deprecated, still sent
    assert "deprecated" in headers[DEPRECATION_HEADER.lower()]


def test_a_replayed_delivery_is_refused_by_its_id(receiver: VerifyingReceiver, tmp_path: Path) -> None:
    webhook = config(receiver.url, tmp_path)
    body = body_of(signal().to_json())
    captured = headers_for(webhook, SECRET, body, message_id(body))
    assert post_once(webhook, body, captured).ok
    replay = post_once(webhook, body, captured)
    assert not replay.ok and replay.status == 409 and receiver.refused == ["repeated webhook-id"]


def test_a_delivery_signed_ten_minutes_ago_is_refused(receiver: VerifyingReceiver, tmp_path: Path) -> None:
    webhook = config(receiver.url, tmp_path)
    body = body_of(signal().to_json())
    old = headers_for(webhook, SECRET, body, message_id(body), at=datetime.now(UTC) - timedelta(minutes=10))
    answer = post_once(webhook, body, old)
    assert not answer.ok and answer.status == 400 and receiver.refused == ["Message timestamp too old"]


def test_a_tampered_body_or_another_secret_is_refused(receiver: VerifyingReceiver, tmp_path: Path) -> None:
    webhook = config(receiver.url, tmp_path)
    body = body_of(signal().to_json())
    signed = headers_for(webhook, SECRET, body, message_id(body))
    assert post_once(webhook, body.replace(b"3-CPMC", b"3-CMC"), signed).status == 400
    other = headers_for(webhook, "whsec_" + base64.b64encode(b"x" * 32).decode(), body, message_id(body))
    assert post_once(webhook, body, other).status == 400
    assert receiver.refused == ["No matching signature found"] * 2 and receiver.accepted == []


def test_retries_keep_the_id_and_sign_each_attempt_afresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NPSWATCH_WEBHOOK_SECRET", SECRET)
    with VerifyingReceiver(SECRET) as running:
        statuses = [503]
        original = running.receive

        def flaky(headers: dict[str, str], body: bytes) -> int:
            running.accepted.append((headers, None)) if statuses else None
            return statuses.pop(0) if statuses else original(headers, body)

        running.receive = flaky  # type: ignore[method-assign]
        report = deliver([signal()], DeliveryConfig(webhook=config(running.url, tmp_path, legacy_signature=False)))
    assert report.ok and len(running.accepted) == 2
    first, second = (headers for headers, _ in running.accepted)
    assert first["webhook-id"] == second["webhook-id"] and "x-npswatch-signature" not in second


def test_a_down_receiver_is_retried_then_dead_lettered_with_the_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NPSWATCH_WEBHOOK_SECRET", SECRET)
    with VerifyingReceiver(SECRET) as running:
        url = running.url  # a port that served once, closed now
    report = deliver([signal()], DeliveryConfig(webhook=config(url, tmp_path)))
    assert not report.ok and report.failed["webhook"] == 1
    (line,) = (tmp_path / "dead.jsonl").read_text().splitlines()
    dead = json.loads(line)
    assert dead["attempts"] == 2 and dead["channel"] == "webhook" and json.loads(dead["body"])["signal"]["id"]
