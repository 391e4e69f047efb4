"""The signal record every detector produces and every delivery channel sends.

One signal per episode: a detector that fires again for the same substance (or source)
and type while the episode goes on updates the signal (last seen, counts, evidence)
instead of raising a new one.  The id is stable: a hash of the type, the subject and the
episode's first day.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
    observed_on: str | None = None  # the day of the observation (the crawl) whose page and WARC record these are


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


# Query parameters that never select what a page shows, dropped from evidence URLs (``clean_url``):
# - tracking: analytics campaign and click ids, referral codes (utm_*, fbclid, gclid, ref, ...);
# - sessions: a session id in the URL identifies the crawler's login, and a link with it is stale (sid,
#   PHPSESSID, jsessionid, vBulletin's ``s`` when it is a session hash);
# - crawl bookkeeping: the day or cache-buster a crawler adds to get a fresh copy (as_of, nocache, _).
# Parameters that choose the content (a thread id, a listing id, the page of a thread a post is on) stay.
TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "_hs")
DROPPED_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "_ga", "ref", "ref_src",
                            "referrer", "affiliate", "aff", "sid", "phpsessid", "jsessionid", "sessionid",
                            "session_id", "session", "as_of", "nocache", "cachebuster", "_"})  # fmt: skip
_SESSION_HASH = re.compile(r"^[0-9a-f]{32}$", re.IGNORECASE)


def clean_url(url: str) -> str:
    """``url`` without the query parameters of ``DROPPED_PARAMS`` (and ``;jsessionid=`` path parameters)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path, flags=re.IGNORECASE)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _dropped(k, v)]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(kept), parts.fragment))


def _dropped(key: str, value: str) -> bool:
    low = key.lower()
    if low == "s":
        return bool(_SESSION_HASH.match(value))
    return low in DROPPED_PARAMS or low.startswith(TRACKING_PREFIXES)
