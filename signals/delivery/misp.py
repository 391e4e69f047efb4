"""MISP events of signals (PyMISP): one event per signal, written to a file or pushed to a MISP instance.

An event (``event_of``) carries:

- ``info``: type, severity, subject and scope; ``date`` the first day; ``threat_level_id`` from the severity (high 1,
  medium 2, low 3); ``analysis`` 0 (initial: a lead from web monitoring, to be checked); ``uuid`` derived from the
  signal id, so pushing an updated signal edits its event instead of adding another;
- attributes: the substance (``text``, category Other), the summary (``comment``), evidence URLs (``url``, category
  External analysis, ``to_ids`` off: market pages are not intrusion indicators), their WARC record ids (``text``),
  EUR-per-gram median, quartiles and range (``float``), and the markets, countries and languages (``text``);
- tags: the closest class of MISP's ``drugs`` taxonomy (DrugBank/ClassyFire superclass and class, version 2 of
  misp-taxonomies) for the signal's chemical group (``DRUGS_TAGS``; no tag when no class fits), the signal's type
  and severity as ``npswatch:signal-type="spike"``, ``npswatch:severity="high"``, and a TLP tag (``tlp:amber`` by
  default).

``push`` sends events with PyMISP (API key from ``$NPSWATCH_MISP_KEY``), with the retries and dead letter every push
channel shares (``signals.delivery.retry``): a MISP that is down, times out or answers 5xx is tried again; what is
not delivered is appended to the dead-letter file with the event, never lost.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from signals.delivery.retry import RETRY_STATUS, Attempt, dead_letter, with_retries
from signals.model import Signal

NAMESPACE = uuid.UUID("6f1f1a52-3c1e-5c55-9a3b-2b9d5a0c7e11")  # npswatch signals -> MISP event uuids
THREAT_LEVEL = {"high": 1, "medium": 2, "low": 3}
# npswatch chemical group -> (predicate, value) of MISP's drugs taxonomy (its closest class; see docs/signals.md)
DRUGS_TAGS: dict[str, tuple[str, str]] = {
    "synthetic cathinone": ("benzenoids", "benzene-and-substituted-derivatives"),
    "phenethylamine": ("benzenoids", "benzene-and-substituted-derivatives"),
    "amphetamine": ("benzenoids", "benzene-and-substituted-derivatives"),
    "arylcyclohexylamine": ("benzenoids", "benzene-and-substituted-derivatives"),
    "diarylethylamine": ("benzenoids", "benzene-and-substituted-derivatives"),
    "aminoindane": ("benzenoids", "indanes"),
    "benzofuran": ("organoheterocyclic-compounds", "benzofurans"),
    "tryptamine": ("organoheterocyclic-compounds", "indoles-and-derivatives"),
    "lysergamide": ("alkaloids-and-derivatives", "ergoline-and-derivatives"),
    "synthetic cannabinoid": ("organoheterocyclic-compounds", "benzopyrazoles"),
    "semi-synthetic cannabinoid": ("organoheterocyclic-compounds", "benzopyrans"),
    "phytocannabinoid": ("organoheterocyclic-compounds", "benzopyrans"),
    "benzodiazepine": ("organoheterocyclic-compounds", "benzodiazepines"),
    "fentanyl analogue": ("organoheterocyclic-compounds", "piperidines"),
    "phenidate": ("organoheterocyclic-compounds", "piperidines"),
    "nitazene": ("organoheterocyclic-compounds", "benzimidazoles"),
    "morphinan": ("alkaloids-and-derivatives", "morphinans"),
    "tropane": ("alkaloids-and-derivatives", "tropane-alkaloids"),
    "plant tropane": ("alkaloids-and-derivatives", "tropane-alkaloids"),
    "GHB-related": ("organic-acids-and-derivatives", "hydroxy-acids-and-derivatives"),
    "piperazine": ("organoheterocyclic-compounds", "diazinanes"),
    "barbiturate": ("organoheterocyclic-compounds", "diazines"),
    "racetam": ("organoheterocyclic-compounds", "pyrrolidines"),
    "phenmetrazine": ("organoheterocyclic-compounds", "oxazinanes"),
    "quinazolinone": ("organoheterocyclic-compounds", "diazanaphthalenes"),
}
TLP_LEVELS = ("clear", "green", "amber", "amber+strict", "red")
MAX_EVIDENCE = 50


class MispError(Exception):
    """MISP events could not be made or sent; the message says why."""


def drugs_tag(chemical_group: str | None) -> str | None:
    found = DRUGS_TAGS.get(chemical_group or "")
    return f'drugs:{found[0]}="{found[1]}"' if found else None


def event_of(s: Signal, tlp: str = "amber") -> Any:
    """The MISP event (``pymisp.MISPEvent``) of one signal."""
    from pymisp import MISPEvent

    event = MISPEvent()
    event.uuid = str(uuid.uuid5(NAMESPACE, s.id))
    event.info = f"npswatch {s.type} [{s.severity}]: {s.subject}" + (f" ({s.scope})" if s.scope else "")
    event.set_date(s.first_seen)
    event.threat_level_id, event.analysis, event.distribution = THREAT_LEVEL[s.severity], 0, 0
    for tag in [drugs_tag(s.family), f'npswatch:signal-type="{s.type}"', f'npswatch:severity="{s.severity}"',
                f"tlp:{tlp}"]:  # fmt: skip
        if tag:
            event.add_tag(tag)
    _add(event, "comment", s.summary, "summary")
    if s.substance:
        _add(
            event,
            "text",
            s.substance,
            "substance" if s.known else f"novel candidate{', ' + s.family if s.family else ''}",
        )
    for label, values in (("market", s.markets), ("country", s.countries), ("language", s.languages)):
        for value in values:
            _add(event, "text", value, label)
    for name in ("median", "p25", "p75", "min", "max"):
        if isinstance(s.prices.get(name), int | float):
            _add(event, "float", str(s.prices[name]), f"EUR per gram, {name} of {s.prices.get('n')} listings")
    for e in s.evidence[:MAX_EVIDENCE]:
        if e.url.startswith(("http://", "https://")):
            _add(event, "url", e.url, f"{e.kind} seen {e.seen_at}", "External analysis")
        if e.warc_record_id:
            _add(event, "text", e.warc_record_id, f"WARC-Record-ID of the archived {e.kind} page {e.url}")
    return event


def _add(event: Any, type_: str, value: str, comment: str, category: str = "Other") -> None:
    """One attribute, never an intrusion indicator, with a uuid derived from the event's and its content (the same
    signal exported twice gives the same attributes)."""
    attribute = event.add_attribute(type_, value, category=category, to_ids=False, comment=comment)
    attribute.uuid = str(uuid.uuid5(uuid.UUID(event.uuid), f"{type_}\x1f{value}\x1f{comment}"))


def events_json(signals: Iterable[Signal], tlp: str = "amber") -> str:
    """MISP JSON of the events (``{"response": [{"Event": ...}, ...]}``, as MISP exports and imports them)."""
    events = [{"Event": json.loads(event_of(s, tlp).to_json())} for s in signals]
    return json.dumps({"response": events}, indent=2, ensure_ascii=False) + "\n"


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)  # signal ids added or updated
    failed: list[str] = field(default_factory=list)  # signal ids dead-lettered
    errors: list[str] = field(default_factory=list)


@dataclass
class Pusher:
    """One MISP instance: the PyMISP client is made on first use (and again after a failure to connect)."""

    url: str
    key: str
    ssl: bool | str = True
    timeout: float = 30.0
    client: Any = None

    def attempt(self, event: Any) -> Attempt:
        from pymisp.exceptions import MISPServerError, PyMISPError
        from requests.exceptions import RequestException

        try:
            if self.client is None:
                from pymisp import PyMISP

                self.client = PyMISP(self.url, self.key, ssl=self.ssl, timeout=self.timeout)
            answer = self.client.add_event(event)
            if isinstance(answer, dict) and "already exists" in str(answer.get("errors", "")).lower():
                answer = self.client.update_event(event)
        except MISPServerError as exc:  # 5xx
            return Attempt(False, 500, f"MISP server error: {str(exc)[:300]}", True)
        except (PyMISPError, RequestException, OSError) as exc:  # cannot connect, timeout, bad answer
            self.client = None
            return Attempt(False, None, f"{type(exc).__name__}: {str(exc)[:300]}", True)
        if isinstance(answer, dict) and answer.get("errors"):
            status = answer["errors"][0] if isinstance(answer["errors"], tuple | list) else None
            code = status if isinstance(status, int) else None
            return Attempt(False, code, f"MISP refused the event: {str(answer['errors'])[:300]}", code in RETRY_STATUS)
        return Attempt(True, 200, "", False)


def push(signals: Iterable[Signal], pusher: Pusher, retries: int, backoff: float, dead: Path, tlp: str = "amber",
         sleep: Callable[[float], None] = time.sleep) -> PushReport:  # fmt: skip
    """Push one event per signal; a signal not delivered after the retries is dead-lettered (``dead``)."""
    report = PushReport()
    for s in signals:
        event = event_of(s, tlp)
        attempt, attempts = with_retries(partial(_once, pusher, event), retries, backoff, sleep)
        if attempt.ok:
            report.sent.append(s.id)
            continue
        dead_letter(dead, "misp", pusher.url, s.id, attempts, attempt.error, event.to_json())
        report.failed.append(s.id)
        report.errors.append(f"{s.id}: {attempt.error} (dead-lettered to {dead})")
    return report


def _once(pusher: Pusher, event: Any, attempt_number: int) -> Attempt:
    return pusher.attempt(event)
