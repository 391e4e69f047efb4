"""The typed result of an extraction and its JSON form (the contract of ``npswatch extract``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class SubstanceMention:
    text: str
    start: int
    end: int
    canonical: str | None
    effect_group: str
    chemical_group: str
    nps: bool
    known: bool


@dataclass(slots=True)
class Quantity:
    text: str
    start: int
    end: int
    amount: float
    unit: str
    grams: float | None


@dataclass(slots=True)
class Price:
    text: str
    start: int
    end: int
    amount: float
    currency: str


@dataclass(slots=True)
class Offer:
    quantity_grams: float | None
    units: float | None
    price_amount: float
    price_currency: str
    eur: float | None
    eur_per_gram: float | None
    eur_rate: float | None
    rate_date: str | None


@dataclass(slots=True)
class Purity:
    text: str
    percent: float


@dataclass(slots=True)
class Dose:
    text: str
    amount: float
    unit: str
    substance: str | None
    route: str | None


@dataclass(slots=True)
class RouteMention:
    text: str
    route: str


@dataclass(slots=True)
class EffectMention:
    text: str
    effect: str
    adverse: bool
    severe: bool
    negated: bool


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one text. ``to_json`` gives one line of ``npswatch extract`` output."""

    id: Any = None
    lang: str | None = None
    substances: list[SubstanceMention] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    prices: list[Price] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    purity: list[Purity] = field(default_factory=list)
    doses: list[Dose] = field(default_factory=list)
    routes: list[RouteMention] = field(default_factory=list)
    effects: list[EffectMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
