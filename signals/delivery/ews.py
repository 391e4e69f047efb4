"""EWS notification export: one JSON document per signal, ``<directory>/<id>.json``, rewritten when it changes.

The document follows what an EU Early Warning System notification carries (Regulation (EU) 2023/1322): what was
seen (names, groups), when (first and last seen), where (markets, sources, countries, languages), how many (counts,
prices) and the evidence (listing and post ids, URLs, WARC record ids, timestamps).  A web-monitoring signal is not
a confirmation: ``status`` says so.  Field by field: docs/ews-notification.md; JSON Schema (draft 2020-12):
``ews-notification.schema.json`` beside this module (``SCHEMA_PATH``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from signals.delivery.config import EwsConfig
from signals.model import Signal
from storage.private import replace_private

FORMAT = "npswatch-ews-notification.v1"
SCHEMA_PATH = Path(__file__).with_name("ews-notification.schema.json")  # JSON Schema of a notification


def notification(s: Signal) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "id": s.id,
        "type": s.type,
        "severity": s.severity,
        "state": s.state,
        "status": "signal from web monitoring; to be checked, not a confirmation",
        "summary": s.summary,
        "names": {
            "substance": s.substance,
            "subject": s.subject,
            "known": s.known,
            "candidate": None if s.known else s.subject,
        },
        "groups": {"chemical_group": s.family, "effect_groups": s.statistics.get("effect_groups", [])},
        "first_seen": s.first_seen,
        "last_seen": s.last_seen,
        "where": {
            "scope": s.scope,
            "markets": s.markets,
            "sources": s.sources,
            "countries": s.countries,
            "languages": s.languages,
        },
        "how_many": {**s.counts, "prices_eur_per_gram": s.prices},
        "detection": {"detector": s.detector, "window": s.window, "statistics": s.statistics},
        "evidence": [vars(e) for e in s.evidence],
        "updated_at": s.updated_at,
    }


def export(config: EwsConfig, signals: list[Signal]) -> list[Path]:
    written = []
    for s in signals:
        path = config.directory / f"{s.id}.json"
        replace_private(path, json.dumps(notification(s), indent=2, ensure_ascii=False, default=str))
        written.append(path)
    return written
