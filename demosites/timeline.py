"""The demo timeline: 42 days from 2026-10-01, the scripted events, and per-day faults.

Every site can be served "as of" a day.  Day 0 is ``START``; the last day is ``LAST_DAY``.
``EVENTS`` is the one place that says what happens when; ``docs/demo-timeline.md`` documents it.
``FAULTS`` is where per-site, per-day misbehaviour (outages, layout changes, expired sessions,
captchas, HTTP errors, slowness) is declared for every server; it is empty, so the sites have no
faults unless asked.  ``SCENARIO`` is the fault scenario ``npswatch demo`` plays, also enabled by
``NPSWATCH_DEMO_FAULTS`` or the server's ``faults`` option; the server consults ``faults_for``
before answering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

START = date(2026, 10, 1)
DAYS = 42
LAST_DAY = DAYS - 1
END = START + timedelta(days=LAST_DAY)
SEED = 20261001

EventKind = Literal["new_substance", "listing_spike", "price_drop", "adverse_wave"]


@dataclass(frozen=True)
class Event:
    """One scripted happening: from ``day`` to ``until`` (inclusive) on ``sites``."""

    day: int
    sites: tuple[str, ...]
    kind: EventKind
    substance: str
    what: str  # one line for the docs table
    until: int | None = None
    count: int = 0  # listings or posts the event adds
    factor: float = 1.0  # multiplier for spikes (listing count) and price drops (price)
    board: str | None = None  # forum events: the board (slug) the new thread goes to


_NOVA, _TULIP, _LOWLANDS, _SALON, _SHOP = "nova_market", "tulip_bazaar", "lowlands_forum", "salon_fr", "chemvendo_shop"
_NEW: EventKind = "new_substance"

EVENTS: tuple[Event, ...] = (
    Event(12, (_NOVA,), _NEW, "3-CPMC", "3-CPMC, never sold before, appears on Nova Market: 2 listings", count=2),
    Event(14, (_LOWLANDS,), _NEW, "3-CPMC", "first thread about 3-CPMC, in Dutch (Ervaringen): 7 posts over ~2 weeks",
          count=7, board="ervaringen"),
    Event(15, (_TULIP,), _NEW, "3-CPMC", "3-CPMC reaches Tulip Bazaar: 2 listings", count=2),
    Event(16, (_NOVA,), _NEW, "3-CPMC", "3 more 3-CPMC listings on Nova Market", count=3),
    Event(17, (_LOWLANDS,), _NEW, "3-CPMC", "English trip report on 3-CPMC (Trip reports, [TR]): 5 posts",
          count=5, board="trip-reports"),
    Event(19, (_SALON,), _NEW, "3-CPMC", "French discussion on 3-CPMC (Produits & nouveautés): 6 messages",
          count=6, board="produits"),
    Event(24, (_SHOP,), _NEW, "3-CPMC", 'ChemVendo adds "3-CPMC Crystal" as a research chemical', count=1),
    Event(20, (_NOVA, _TULIP), "listing_spike", "3-CMC",
          "3-CMC listings triple on both markets, the new ones appearing over days 20-23", until=23, factor=3.0),
    Event(25, (_TULIP,), "price_drop", "ketamine", "ketamine prices on Tulip Bazaar drop 40% and stay down",
          until=LAST_DAY, factor=0.6),
    Event(30, (_LOWLANDS, _SALON), "adverse_wave", "MDMB-4en-PINACA",
          'severe adverse-effect reports (seizures, psychosis, hospital) after "THC vapes" laced with '
          "MDMB-4en-PINACA: 30 posts per forum, Dutch and English on Lowlands, French on Le Salon",
          until=34, count=30),
)  # fmt: skip

FaultKind = Literal["outage", "layout_change", "session_expired", "captcha", "errors", "slow"]
FAULT_KINDS: tuple[str, ...] = ("outage", "layout_change", "session_expired", "captcha", "errors", "slow")
# The source-health signal each fault should raise (docs/scheduler.md); an outage only once it lasts
# ``down_after_failures`` crawls.
FAULT_SIGNALS: dict[str, str] = {"outage": "source_down", "layout_change": "layout_change",
                                 "session_expired": "needs_login", "captcha": "blocked", "errors": "source_down",
                                 "slow": "source_down"}  # fmt: skip
FAULTS_ENV = "NPSWATCH_DEMO_FAULTS"  # "scenario", or "site:kind:day[-day][,day...];..." (docs/demo-timeline.md)


@dataclass(frozen=True)
class Fault:
    """A site misbehaving on some days: the server answers every request with the fault instead."""

    site: str
    kind: FaultKind
    days: tuple[int, ...] = field(default_factory=tuple)


FAULTS: tuple[Fault, ...] = ()  # the default timeline has no faults; see SCENARIO and FAULTS_ENV

# The fault scenario, played by `npswatch demo` (also NPSWATCH_DEMO_FAULTS=scenario or `python -m
# demosites.server --faults scenario`): each fault on a site and days outside that site's scripted events
# (and their windows: Tulip Bazaar's ketamine price drop runs from day 25 to the end), after at least a
# week of healthy crawls, and the site healthy again afterwards.
SCENARIO: tuple[Fault, ...] = (
    Fault(_TULIP, "outage", (9, 10, 11)),  # 503 on every request for three days
    Fault(_NOVA, "layout_change", (36, 37)),  # the listing title moves to a new class: title no longer filled
    Fault(_LOWLANDS, "session_expired", (37,)),  # every page says the session expired and asks to log in
    Fault(_SALON, "captcha", (38,)),  # every page is a captcha
)


def parse_faults(text: str) -> tuple[Fault, ...]:
    """Faults from ``scenario`` or ``site:kind:days;...`` where days are ``3``, ``3-5`` or ``3,7``.

    Raises ValueError naming the part that is not understood.
    """
    text = text.strip()
    if not text:
        return ()
    if text == "scenario":
        return SCENARIO
    found = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        site, _, rest = part.partition(":")
        kind, _, days_text = rest.partition(":")
        if kind not in FAULT_KINDS or not site or not days_text:
            raise ValueError(f"{FAULTS_ENV}: expected site:kind:days with kind one of {', '.join(FAULT_KINDS)}, "
                             f"found {part!r}")  # fmt: skip
        days: list[int] = []
        for chunk in days_text.split(","):
            first, _, last = chunk.partition("-")
            if not first.strip().isdigit() or (last and not last.strip().isdigit()):
                raise ValueError(f"{FAULTS_ENV}: expected days such as 3, 3-5 or 3,7 in {part!r}, found {chunk!r}")
            days.extend(range(int(first), int(last or first) + 1))
        found.append(Fault(site.strip(), kind, tuple(days)))  # type: ignore[arg-type]
    return tuple(found)


def events(site: str, kind: EventKind | None = None) -> list[Event]:
    """The scripted events that touch ``site`` (of one kind, if given)."""
    return [e for e in EVENTS if site in e.sites and (kind is None or e.kind == kind)]


def faults_for(site: str, day: int, faults: tuple[Fault, ...] | None = None) -> list[Fault]:
    """Faults active for ``site`` on ``day``."""
    return [f for f in (FAULTS if faults is None else faults) if f.site == site and day in f.days]


@dataclass(frozen=True)
class AsOf:
    """The day a request is served as of, and the date asked for when it was outside the timeline."""

    day: int
    clamped_from: date | None = None
    start: date = START  # day 0 of the site's timeline

    @property
    def header(self) -> str:
        text = (self.start + timedelta(days=self.day)).isoformat()
        return f"{text}; clamped-from={self.clamped_from.isoformat()}" if self.clamped_from else text


@dataclass(frozen=True)
class Timeline:
    """Simulated days from ``start`` (day 0): the demo's (``DEMO``), or a test bed's own (``demosites.beds``)."""

    start: date
    days: int

    @property
    def last_day(self) -> int:
        return self.days - 1

    def day_date(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def day_of(self, when: date) -> int:
        return (when - self.start).days

    def parse_as_of(self, value: str | None) -> AsOf:
        """The day for an ``X-Npswatch-As-Of`` value: the last day when absent, clamped into the timeline.

        Raises ValueError for a value that is not a YYYY-MM-DD date.
        """
        if not value:
            return AsOf(self.last_day, start=self.start)
        wanted = date.fromisoformat(value.strip())
        day = self.day_of(wanted)
        if 0 <= day <= self.last_day:
            return AsOf(day, start=self.start)
        return AsOf(min(max(day, 0), self.last_day), clamped_from=wanted, start=self.start)


DEMO = Timeline(START, DAYS)


def day_date(day: int) -> date:
    return DEMO.day_date(day)


def parse_as_of(value: str | None) -> AsOf:
    """The demo timeline's day for an ``X-Npswatch-As-Of`` value (``Timeline.parse_as_of``)."""
    return DEMO.parse_as_of(value)
