"""The signal record every detector produces and every delivery channel sends.

One signal per episode: a detector that fires again for the same substance (or source)
and type while the episode goes on updates the signal (last seen, counts, evidence)
instead of raising a new one.  The id is stable: a hash of the type, the subject and the
episode's first day.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SignalType = Literal[
    # substance signals (early-warning issue)
    "first_seen",
    "spike",
    "price_shift",
    "adverse_surge",
    # source-health signals (scheduler issue)
    "source_down",
    "layout_change",
    "needs_login",
    "blocked",
    "source_gone",
    # a watchlist found new documents (signals.watch)
    "watch_hit",
]
SUBSTANCE_TYPES: tuple[str, ...] = ("first_seen", "spike", "price_shift", "adverse_surge")
HEALTH_TYPES: tuple[str, ...] = ("source_down", "layout_change", "needs_login", "blocked", "source_gone")
WATCH_TYPES: tuple[str, ...] = ("watch_hit",)
State = Literal["new", "acknowledged", "dismissed", "closed"]
Severity = Literal["low", "medium", "high"]


def signal_id(type_: str, subject: str, episode_start: str) -> str:
    """Stable id of one episode: the same type, subject and first day give the same id."""
    return hashlib.sha256(f"{type_}\x1f{subject.casefold()}\x1f{episode_start}".encode()).hexdigest()[:20]


@dataclass
class Evidence:
    """One piece of evidence: a stored document and where its bytes are."""

    doc_id: str
    kind: str  # listing | post | vendor | crawl
    url: str
    seen_at: str
    warc_record_id: str | None = None


@dataclass
class Signal:
    type: SignalType
    subject: str  # canonical substance, novel candidate name, or source name for health signals
    first_seen: str  # ISO date the episode started
    last_seen: str  # ISO date of the latest observation in the episode
    severity: Severity
    summary: str  # one human sentence, plain text (escape where shown)
    known: bool = True  # False for a novel candidate
    family: str | None = None  # closest known family (candidates) or chemical group
    detector: str | None = None  # e.g. "ears-c2", "farrington-noufaily", "first-seen", "health"
    statistics: dict[str, Any] = field(default_factory=dict)  # observed, upper bound, p-value, ...
    window: dict[str, str] = field(default_factory=dict)  # {"from": date, "to": date, "interval": "day"}
    counts: dict[str, int] = field(default_factory=dict)  # listings, vendors, markets, posts, ...
    markets: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    prices: dict[str, Any] = field(default_factory=dict)  # EUR per gram statistics
    evidence: list[Evidence] = field(default_factory=list)
    state: State = "new"
    # additions (signals.run): where the episode is scoped ("market=Tulip Bazaar" for a per-market price shift or a
    # first sighting in a new market; None for the whole store), and when the record last changed (UTC, ISO 8601)
    scope: str | None = None
    updated_at: str | None = None
    assignee: str | None = None  # who triages it (signals.store.SignalStore.triage)

    @property
    def id(self) -> str:
        subject = self.subject if self.scope is None else f"{self.subject}\x1f{self.scope}"
        return signal_id(self.type, subject, self.first_seen)

    @property
    def substance(self) -> str | None:
        """The substance (canonical name or candidate) of a substance signal; None for a source-health signal."""
        return self.subject if self.type in SUBSTANCE_TYPES else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["id"] = self.id
        data["substance"] = self.substance
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signal:
        """The signal ``to_json`` gave (derived keys ``id`` and ``substance`` are ignored)."""
        names = {f for f in cls.__dataclass_fields__}
        kept = {k: v for k, v in data.items() if k in names}
        kept["evidence"] = [Evidence(**e) for e in data.get("evidence") or []]
        return cls(**kept)
