"""MISP events of signals: a file of MISP JSON, and a push with PyMISP to a local MISP stand-in that checks each
event against the MISP event schema and attribute types PyMISP ships (data/schema.json, describeTypes.json); a MISP
that is down or failing is retried, then the event is dead-lettered, never lost.

The stand-in answers the few MISP API routes PyMISP calls (version, current user, events/add, events/edit): a real
MISP needs MySQL, Redis and PHP, which cannot run in this test suite."""

from __future__ import annotations

import json
import re
import socket
import stat
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pymisp
import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator

from npswatch.cli import main
from signals.delivery.misp import DRUGS_TAGS, Pusher, event_of, events_json, push
from signals.model import Evidence
from signals.store import SignalStore, signals_path
from tests.httpsite import LocalServer
from tests.signals.test_delivery import signal

KEY = "misp-test-key-0123456789abcdef0123456789"
DATA = Path(pymisp.__file__).parent / "data"
SCHEMA = Draft4Validator(json.loads((DATA / "schema.json").read_text()))
TYPES = json.loads((DATA / "describeTypes.json").read_text())["result"]
TAG = re.compile(r'^[a-z][\w.+-]*:[\w.+-]+(="[^"]+")?$')


def problems(document: dict[str, Any]) -> list[str]:
    """What a MISP would refuse: schema errors, unknown attribute types or categories, malformed machine tags."""
    found = [f"{list(e.absolute_path)}: {e.message}" for e in SCHEMA.iter_errors(document)]
    event = document.get("Event", {})
    for key in ("info", "date", "threat_level_id", "analysis", "uuid"):
        if not event.get(key):
            found.append(f"Event.{key} missing")
    for attribute in event.get("Attribute", []):
        if attribute["type"] not in TYPES["category_type_mappings"].get(attribute["category"], []):
            found.append(f"attribute type {attribute['type']} not allowed in category {attribute['category']}")
    found += [f"bad tag {t['name']!r}" for t in event.get("Tag", []) if not TAG.match(t["name"])]
    return found


class Misp(LocalServer):
    """The MISP stand-in: scripted failures first (HTTP statuses for events/add), then it stores valid events."""

    def __init__(self, failures: list[int] | None = None) -> None:
        self.failures = failures or []
        self.events: dict[str, dict[str, Any]] = {}
        self.added = self.edited = 0
        self.refused: list[list[str]] = []
        misp = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.headers.get("Authorization") != KEY:
                    return self._answer(403, {"errors": "Authentication failed"})
                routes = {
                    "/servers/getPyMISPVersion.json": {"version": pymisp.__version__},
                    "/servers/getVersion": {"version": "2.5.30"},
                    "/users/view/me": {
                        "User": {"id": "1", "email": "ews@example.org", "org_id": "1", "role_id": "3"},
                        "Role": {"id": "3", "name": "User"},
                        "UserSetting": [],
                    },
                }
                self._answer(200, routes[self.path]) if self.path in routes else self._answer(404, {"errors": "no"})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Authorization") != KEY:
                    return self._answer(403, {"errors": "Authentication failed"})
                if self.path == "/events/add" and misp.failures:
                    return self._answer(misp.failures.pop(0), {"errors": "scripted failure"})
                document = body if "Event" in body else {"Event": body}
                wrong = problems(document)
                if wrong:
                    misp.refused.append(wrong)
                    return self._answer(400, {"errors": wrong})
                uuid = document["Event"]["uuid"]
                if self.path == "/events/add":
                    if uuid in misp.events:
                        return self._answer(403, {"name": "Event already exists", "message": "Event already exists",
                                                  "url": "/events/add", "errors": "Event already exists"})  # fmt: skip
                    misp.added += 1
                elif self.path == f"/events/edit/{uuid}" and uuid in misp.events:
                    misp.edited += 1
                else:
                    return self._answer(404, {"errors": f"no route {self.path}"})
                misp.events[uuid] = document["Event"]
                self._answer(200, {"Event": {**document["Event"], "id": str(len(misp.events))}})

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(Handler)



def signals_() -> list[Any]:
    spike = signal("3-CMC", "spike", "medium")
    spike.prices = {"currency": "EUR", "unit": "g", "n": 6, "p25": 9.0, "median": 10.0, "p75": 11.5, "min": 8.0,
                    "max": 13.0}  # fmt: skip
    spike.family, spike.known = "synthetic cathinone", True
    spike.evidence.append(Evidence("def", "post", "http://127.0.0.1/t/9#p3", "2026-10-14T12:00:00Z", "<urn:uuid:2>"))
    fentanyl = signal("ocfentanil", "first_seen", "high")
    fentanyl.family = "fentanyl analogue"
    return [signal(), spike, fentanyl]


def test_an_event_carries_substance_urls_archive_ids_prices_and_drugs_tags() -> None:
    _, spike, fentanyl = signals_()
    document = json.loads(events_json([spike]))["response"][0]
    assert problems(document) == []
    event = document["Event"]
    values = {(a["type"], a["value"]) for a in event["Attribute"]}
    assert {("text", "3-CMC"), ("url", "http://127.0.0.1/t/9#p3"), ("text", "<urn:uuid:2>"), ("float", "10.0"),
            ("text", "Nova Market")} <= values  # fmt: skip
    tags = {t["name"] for t in event["Tag"]}
    assert tags == {'drugs:benzenoids="benzene-and-substituted-derivatives"', 'npswatch:signal-type="spike"',
                    'npswatch:severity="medium"', "tlp:amber"}  # fmt: skip
    assert event["threat_level_id"] == "2" and event["date"] == "2026-10-13"
    assert 'drugs:organoheterocyclic-compounds="piperidines"' in {t.name for t in event_of(fentanyl).tags}
    assert not any(a["to_ids"] for a in event["Attribute"])
    assert events_json([spike]) == events_json([spike])  # deterministic: uuids derive from the signal


def test_drugs_tags_name_classes_of_the_taxonomy() -> None:
    predicates = {"alkaloids-and-derivatives", "benzenoids", "organoheterocyclic-compounds",
                  "organic-acids-and-derivatives"}  # fmt: skip
    assert {predicate for predicate, _ in DRUGS_TAGS.values()} <= predicates


def test_push_adds_each_event_then_updates_it_when_pushed_again(tmp_path: Path) -> None:
    with Misp() as misp:
        first = push(signals_(), Pusher(misp.url, KEY), retries=1, backoff=0.01, dead=tmp_path / "dead.jsonl")
        again = push(signals_()[:1], Pusher(misp.url, KEY), retries=1, backoff=0.01, dead=tmp_path / "dead.jsonl")
    assert len(first.sent) == 3 and again.sent == [signal().id] and misp.refused == []
    assert (misp.added, misp.edited) == (3, 1) and len(misp.events) == 3
    assert not (tmp_path / "dead.jsonl").exists()


def test_a_failing_misp_is_retried(tmp_path: Path) -> None:
    with Misp(failures=[503, 500]) as misp:
        report = push(signals_()[:1], Pusher(misp.url, KEY), retries=3, backoff=0.01, dead=tmp_path / "d.jsonl")
    assert report.sent == [signal().id] and misp.added == 1


def test_a_misp_that_is_down_gets_the_event_dead_lettered_never_lost(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    dead = tmp_path / "dead.jsonl"
    report = push(signals_(), Pusher(url, KEY, timeout=2), retries=2, backoff=0.01, dead=dead)
    assert report.sent == [] and len(report.failed) == 3
    lines = [json.loads(line) for line in dead.read_text().splitlines()]
    assert [line["attempts"] for line in lines] == [3, 3, 3] and {line["channel"] for line in lines} == {"misp"}
    assert problems({"Event": json.loads(lines[1]["body"])}) == []  # the whole event is kept, ready to replay


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    target = tmp_path / "npswatch.sqlite3"
    with SignalStore(signals_path(target)) as kept:
        kept.put(signals_())
    yield str(target)


def test_cli_writes_a_misp_file_owner_only_and_pushes(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.json"
    with Misp() as misp:
        result = CliRunner().invoke(main, ["signals", "export", "--format", "misp", "--out", str(out), "--push",
                                           misp.url, "--db", db], env={"NPSWATCH_MISP_KEY": KEY})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote 3 MISP event(s)" in result.output and "pushed 3 MISP event(s)" in result.output
    events = json.loads(out.read_text())["response"]
    assert [problems(e) for e in events] == [[], [], []] and len(misp.events) == 3
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    again = CliRunner().invoke(main, ["signals", "export", "--format", "misp", "--out", str(out), "--db", db])
    assert again.exit_code == 2 and "--force" in again.output


def test_cli_push_needs_the_key_from_the_environment(db: str) -> None:
    result = CliRunner().invoke(main, ["signals", "export", "--format", "misp", "--push", "http://127.0.0.1:9/",
                                       "--db", db], env={"NPSWATCH_MISP_KEY": ""})  # fmt: skip
    assert result.exit_code == 2 and "NPSWATCH_MISP_KEY" in result.output
