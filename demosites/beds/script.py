"""Event scripts: what should be signalled on a test bed (or the demo), and what must not be.

A script is a YAML file, ``bench/markets/<bed>/script.yml``, validated here; ``bench/signals_bench.py`` scores the
signals of a replay against it, and ``tests/demosites/test_beds.py`` checks it against what the sites serve.
Days are simulated days from the script's ``start`` (day 0).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

SCRIPTS_DIR = Path(__file__).resolve().parents[2] / "bench" / "markets"
_NOT_NAME = re.compile(r"[\W_]+")
SignalType = Literal["first_seen", "spike", "price_shift", "adverse_surge"]
ANY = "any"


def name_key(name: str) -> str:
    """A name as compared: case-insensitive, without hyphens, spaces or dots ("MDMB-6en-PINACA" = "MDMB6ENPINACA",
    the way signals write a candidate)."""
    return _NOT_NAME.sub("", name.casefold())


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Event(_Model):
    """Something an early-warning officer wants to be told, from ``start`` (its first day) to ``end``."""

    id: str
    type: SignalType
    subject: str = Field(description="the substance: canonical name, or the candidate name of a new one")
    aliases: tuple[str, ...] = Field(default=(), description="other names a signal may give it")
    start: int = Field(ge=0)
    end: int = Field(ge=0, description="last day it goes on (spreading, staying up or down)")
    direction: Literal["up", "down"]
    sites: tuple[str, ...] = Field(min_length=1)
    what: str

    @model_validator(mode="after")
    def _ordered(self) -> Event:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) before start ({self.start})")
        return self

    def names(self) -> set[str]:
        return {name_key(name) for name in (self.subject, *self.aliases)}


class Trap(_Model):
    """What must not be signalled: signals of ``types`` about ``subjects`` starting from ``start`` to ``end``
    (``any`` subject: any that no event explains), on the given weekdays only when ``weekdays`` is set."""

    id: str
    what: str
    types: tuple[SignalType, ...] | Literal["any"]
    subjects: tuple[str, ...] | Literal["any"]
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    weekdays: tuple[int, ...] | None = Field(default=None, description="0 Monday .. 6 Sunday")

    def names(self) -> set[str]:
        return set() if self.subjects == ANY else {name_key(s) for s in self.subjects}


class Script(_Model):
    bed: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    status: str = Field(description="how the bed may be used: hold-out A or B, a sealed hold-out, the demo")
    start: date
    days: int = Field(ge=1)
    markets: int = Field(ge=1, description="markets (and shops) in the bed: the false-alarm rate is per market")
    sources: tuple[str, ...] = Field(min_length=1, description="source files beside the script, or source names")
    faults: str = Field(default="", description="NPSWATCH_DEMO_FAULTS the sites are served with")
    events: tuple[Event, ...] = Field(min_length=1)
    traps: tuple[Trap, ...] = ()

    @model_validator(mode="after")
    def _within(self) -> Script:
        ids = [e.id for e in self.events] + [t.id for t in self.traps]
        if len(ids) != len(set(ids)):
            raise ValueError(f"ids must be unique, found {sorted(i for i in ids if ids.count(i) > 1)}")
        items: list[Event | Trap] = [*self.events, *self.traps]
        for item in items:
            if item.end >= self.days:
                raise ValueError(f"{item.id}: end day {item.end} is past the last day ({self.days - 1})")
        return self

    def day_date(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def day_of(self, when: date) -> int:
        return (when - self.start).days


class ScriptError(Exception):
    """A script that cannot be used; the message names the file and the field."""


def load_script(path: Path) -> Script:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise ScriptError(f"{path}: cannot read: {exc}") from exc
    try:
        return Script.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise ScriptError(f"{path}: {problems}") from exc


def script_path(bed: str) -> Path:
    return SCRIPTS_DIR / bed / "script.yml"
