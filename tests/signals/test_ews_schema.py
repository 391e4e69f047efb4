"""Every EWS notification delivered validates against the JSON Schema shipped with the project
(signals/delivery/ews-notification.schema.json); the real pipeline's signals are checked in test_demo_timeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from signals.delivery import deliver
from signals.delivery.config import DeliveryConfig, EwsConfig
from signals.delivery.ews import SCHEMA_PATH, notification
from signals.model import HEALTH_TYPES, SUBSTANCE_TYPES, Evidence, Signal
from tests.signals.test_delivery import signal


def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(document: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(document)]


def every_type() -> list[Signal]:
    found = []
    for type_ in SUBSTANCE_TYPES:
        s = signal("3-CMC", type_, "medium")
        s.prices = {"currency": "EUR", "unit": "g", "n": 4, "p25": 9.5, "median": 10.0, "p75": 11.0, "min": 9.0,
                    "max": 12.0}  # fmt: skip
        s.statistics, s.window = {"observed": 7.0, "upperbound": 3.2}, {"from": "2026-10-10", "to": "2026-10-14"}
        found.append(s)
    for type_ in HEALTH_TYPES:
        health = Signal(
            type=type_,  # type: ignore[arg-type]
            subject="nova_market",
            first_seen="2026-10-20",
            last_seen="2026-10-21",
            severity="high",
            summary="nova_market: no page answered",
            detector="health",
            counts={"runs": 2},
            sources=["nova_market"],
            evidence=[Evidence("run-1", "crawl", "http://127.0.0.1:8701/", "2026-10-20T12:00:00Z")],
        )
        found.append(health)
    return found


def test_every_delivered_notification_validates_against_the_schema(tmp_path: Path) -> None:
    report = deliver(every_type(), DeliveryConfig(ews_export=EwsConfig(directory=tmp_path / "ews")))
    written = sorted((tmp_path / "ews").glob("*.json"))
    assert report.sent["ews_export"] == len(written) == len(SUBSTANCE_TYPES) + len(HEALTH_TYPES)
    for path in written:
        assert problems(json.loads(path.read_text(encoding="utf-8"))) == [], path.name


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(format="v0"), "format"),
        (lambda d: d.pop("evidence"), "evidence"),
        (lambda d: d["names"].update(known="yes"), "names/known"),
        (lambda d: d["how_many"].update(listings=-1), "how_many/listings"),
        (lambda d: d["evidence"][0].pop("url"), "evidence/0"),
        (lambda d: d.update(first_seen="13/10/2026"), "first_seen"),
    ],
)
def test_the_schema_refuses_a_broken_notification(change: Any, where: str) -> None:
    document = json.loads(json.dumps(notification(signal()), default=str))
    assert problems(document) == []
    change(document)
    assert any(p.startswith(where) or where in p for p in problems(document)), problems(document)
