"""The typed result of an extraction and its JSON form (the contract of ``npswatch extract``).

Each class writes its own ``__init__``: this module is compiled by mypyc (setup.py), which compiles a hand-written
``__init__`` but leaves the one ``@dataclass`` generates to the interpreter (several times slower, and an extraction
makes a dozen of these objects). ``@dataclass`` still gives equality, ``repr``, ``fields``, ``asdict`` and
``replace``."""

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

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        canonical: str | None,
        effect_group: str,
        chemical_group: str,
        nps: bool,
        known: bool,
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.canonical = canonical
        self.effect_group = effect_group
        self.chemical_group = chemical_group
        self.nps = nps
        self.known = known


@dataclass(slots=True)
class Quantity:
    text: str
    start: int
    end: int
    amount: float
    unit: str
    grams: float | None

    def __init__(self, text: str, start: int, end: int, amount: float, unit: str, grams: float | None) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.amount = amount
        self.unit = unit
        self.grams = grams


@dataclass(slots=True)
class Price:
    text: str
    start: int
    end: int
    amount: float
    currency: str

    def __init__(self, text: str, start: int, end: int, amount: float, currency: str) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.amount = amount
        self.currency = currency


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
    rate_stale: bool | None

    def __init__(
        self,
        quantity_grams: float | None,
        units: float | None,
        price_amount: float,
        price_currency: str,
        eur: float | None,
        eur_per_gram: float | None,
        eur_rate: float | None,
        rate_date: str | None,
        rate_stale: bool | None,
    ) -> None:
        self.quantity_grams = quantity_grams
        self.units = units
        self.price_amount = price_amount
        self.price_currency = price_currency
        self.eur = eur
        self.eur_per_gram = eur_per_gram
        self.eur_rate = eur_rate
        self.rate_date = rate_date
        self.rate_stale = rate_stale  # the rate is more than nlp.rates.STALE_DAYS days from the text's date


@dataclass(slots=True)
class Purity:
    text: str
    percent: float

    def __init__(self, text: str, percent: float) -> None:
        self.text = text
        self.percent = percent


@dataclass(slots=True)
class Dose:
    text: str
    amount: float
    unit: str
    substance: str | None
    route: str | None

    def __init__(self, text: str, amount: float, unit: str, substance: str | None, route: str | None) -> None:
        self.text = text
        self.amount = amount
        self.unit = unit
        self.substance = substance
        self.route = route


@dataclass(slots=True)
class RouteMention:
    text: str
    route: str

    def __init__(self, text: str, route: str) -> None:
        self.text = text
        self.route = route


@dataclass(slots=True)
class EffectMention:
    """One wording of an effect. ``severity`` is one of ``nlp.resources.SEVERITIES`` (none, moderate, severe;
    ``adverse`` and ``severe`` say the same as booleans); ``negated``: "no nausea"; ``hypothetical``: a warning, a
    risk or a near miss ("can cause seizures", "or you'll OD", "almost passed out"), not an experience; ``substance``:
    the canonical name (or, for a novel candidate, the name as written) the effect is attributed to, or None."""

    text: str
    start: int
    end: int
    effect: str
    severity: str
    adverse: bool
    severe: bool
    negated: bool
    hypothetical: bool
    substance: str | None

    def __init__(
        self,
        text: str,
        start: int,
        end: int,
        effect: str,
        severity: str,
        negated: bool,
        hypothetical: bool = False,
        substance: str | None = None,
    ) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.effect = effect
        self.severity = severity
        self.adverse = severity != "none"
        self.severe = severity == "severe"
        self.negated = negated
        self.hypothetical = hypothetical
        self.substance = substance

    @property
    def reported(self) -> bool:
        """Said to have happened: neither negated nor hypothetical."""
        return not (self.negated or self.hypothetical)


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

    def __init__(
        self,
        id: Any = None,
        lang: str | None = None,
        substances: list[SubstanceMention] | None = None,
        quantities: list[Quantity] | None = None,
        prices: list[Price] | None = None,
        offers: list[Offer] | None = None,
        purity: list[Purity] | None = None,
        doses: list[Dose] | None = None,
        routes: list[RouteMention] | None = None,
        effects: list[EffectMention] | None = None,
    ) -> None:
        self.id = id
        self.lang = lang
        self.substances = [] if substances is None else substances
        self.quantities = [] if quantities is None else quantities
        self.prices = [] if prices is None else prices
        self.offers = [] if offers is None else offers
        self.purity = [] if purity is None else purity
        self.doses = [] if doses is None else doses
        self.routes = [] if routes is None else routes
        self.effects = [] if effects is None else effects

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))
