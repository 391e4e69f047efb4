"""First sightings: an entity never seen before, or seen for the first time in a new market, country or language.

Input is a flat list of :class:`Sighting` (entity, time, context such as ``{"market": "m1", "country": "NL",
"language": "nl"}``). Everything before ``baseline_end`` is history; from ``baseline_end`` on, the helper reports

- ``FirstSeen(dimension=None)`` for an entity with no sighting at all in the history (new substance or candidate);
- ``FirstSeen(dimension="market", value="m2")`` for a known entity seen in a market (country, language, ...) where it
  had not been seen in the history, one per new (dimension, value).

A new entity gets only the entity-level record (its markets, countries and languages are listed in ``contexts``), so one
new substance does not raise one signal per market. ``min_count`` sightings are needed before a first appearance is
reported (default 1: the first is enough); the reported ``first_seen`` is still the earliest one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from .base import ParameterError

When = date | datetime


@dataclass(frozen=True)
class Sighting:
    """One observation of an entity: a listing, a post, a mention."""

    entity: str
    when: When
    context: Mapping[str, str] = field(default_factory=dict)
    ref: str | None = None  #: evidence id (listing/post id, URL...), carried into the result


@dataclass(frozen=True)
class FirstSeen:
    """A first appearance after the baseline.

    Attributes:
        entity: the entity (canonical substance or candidate).
        dimension: None for a never-seen entity, else the context key (``"market"``, ``"country"``, ...).
        value: the new context value (None for a never-seen entity).
        first_seen: earliest sighting of the entity (in that context) from ``baseline_end`` on.
        last_seen: latest such sighting.
        count: number of such sightings.
        contexts: for each dimension, the values seen with these sightings (sorted).
        refs: evidence references of these sightings, oldest first.
    """

    entity: str
    dimension: str | None
    value: str | None
    first_seen: When
    last_seen: When
    count: int
    contexts: dict[str, list[str]]
    refs: list[str]


def first_seen(
    sightings: Iterable[Sighting],
    *,
    baseline_end: When,
    dimensions: Sequence[str] = ("market", "country", "language"),
    min_count: int = 1,
) -> list[FirstSeen]:
    """First appearances at or after ``baseline_end``; see the module docstring.

    Args:
        sightings: the observations, in any order.
        baseline_end: start of the monitored period; earlier sightings are the history.
        dimensions: context keys checked for new values (default market, country, language).
        min_count: sightings needed (in the monitored period) before reporting, >= 1 (default 1).

    Returns:
        Records sorted by first sighting, then entity, dimension and value.
    """
    if min_count < 1:
        raise ParameterError(f"min_count: expected a whole number >= 1, found {min_count!r}")
    history: dict[str, set[tuple[str, str]]] = defaultdict(set)
    recent: dict[tuple[str, str | None, str | None], list[Sighting]] = defaultdict(list)
    for s in sightings:
        if s.when < baseline_end:
            history[s.entity].update((d, s.context[d]) for d in dimensions if s.context.get(d))
            history[s.entity].add(("", ""))  # marks the entity as known even without context
            continue
        recent[(s.entity, None, None)].append(s)
        for d in dimensions:
            if s.context.get(d):
                recent[(s.entity, d, s.context[d])].append(s)
    out: list[FirstSeen] = []
    for (entity, dim, value), group in recent.items():
        known = entity in history
        if dim is None and known:
            continue
        if dim is not None and (not known or (dim, value) in history[entity]):
            continue
        if len(group) < min_count:
            continue
        out.append(_record(entity, dim, value, group, dimensions))
    out.sort(key=lambda r: (_key(r.first_seen), r.entity, r.dimension or "", r.value or ""))
    return out


def _key(when: When) -> datetime:
    return when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)


def _record(entity: str, dim: str | None, value: str | None, group: list[Sighting], dims: Sequence[str]) -> FirstSeen:
    group = sorted(group, key=lambda s: _key(s.when))
    contexts = {d: sorted({s.context[d] for s in group if s.context.get(d)}) for d in dims}
    return FirstSeen(
        entity=entity,
        dimension=dim,
        value=value,
        first_seen=group[0].when,
        last_seen=group[-1].when,
        count=len(group),
        contexts={d: v for d, v in contexts.items() if v},
        refs=[s.ref for s in group if s.ref is not None],
    )
