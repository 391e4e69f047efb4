"""Episodes: detections folded into signals, for substance signals and source-health signals alike.

A *detection* is one alarm of one detector (or one health problem of one crawl) on one day.  Detections of the same
type, subject and scope belong to one *episode*, and an episode is one :class:`~signals.model.Signal`: created by
its first detection, updated by the later ones (``update``), closed when it ends.  An episode ends in one of two ways,
chosen per signal type by its *gap*:

- a number of days: the episode goes on while detections are at most that many days apart, and ends once none came
  for that long (substance signals; :func:`signals.run.close_ended` closes them);
- ``None``: the episode goes on until it is closed explicitly (source-health signals close when the source recovers).

Triage is kept: an acknowledged or dismissed episode stays so while later detections update it.  A detection that
would start an episode whose id is already stored (the same type, subject, scope and first day: a replayed day, or
a problem that came back on the day its episode started) continues that record; one closed explicitly opens again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from signals.model import Signal
from signals.store import SignalStore, now_utc


@dataclass(frozen=True)
class Detection:
    """One alarm on one day: what the episode's signal is updated with."""

    type: str
    subject: str
    scope: str | None
    day: date
    severity: str
    detector: str
    statistics: dict[str, Any]
    since: date  # the first day of the window the detection looked at
    summary: str | None = None  # a health problem's own sentence (substance signals describe their episode instead)


def continues(signal: Signal, day: date, gap: int | None) -> bool:
    """Whether a detection on ``day`` continues the episode ``signal``."""
    if gap is None:
        return signal.state != "closed"
    return (day - date.fromisoformat(signal.last_seen)).days <= gap


def fold(
    detections: Iterable[Detection],
    store: SignalStore,
    gaps: Mapping[str, int | None],
    start: Callable[[Detection], Signal],
    update: Callable[[Signal, Detection], None],
) -> tuple[list[Signal], list[Signal]]:
    """Fold ``detections`` into episodes in ``store``: (created, updated), both stored.

    ``gaps`` gives each type's gap (see the module docstring), ``start`` the signal a detection opens (its id must
    follow from the detection), ``update`` brings a signal up to a detection (last seen, statistics, description).
    """
    open_: dict[tuple[str, str, str | None], Signal] = {}
    changed: dict[str, Signal] = {}
    created: set[str] = set()
    for det in sorted(detections, key=lambda d: (d.day, d.type, d.subject, d.scope or "")):
        key = (det.type, det.subject, det.scope)
        gap = gaps[det.type]
        current = open_.get(key)
        if current is None or not continues(current, det.day, gap):
            current = store.episode_at(*key, det.day, gap)  # a stored episode (for gaps in days: closed ones too)
            current = changed.get(current.id, current) if current is not None else None
        if current is None:
            fresh = start(det)
            current = changed.get(fresh.id) or store.get(fresh.id) or fresh
            if current is fresh:
                created.add(fresh.id)
            elif gap is None and current.state == "closed":
                current.state = "new"
        update(current, det)
        changed[current.id] = current
        open_[key] = current
    stamp = now_utc()
    for signal in changed.values():
        signal.updated_at = stamp
    store.put(changed.values())
    return [s for s in changed.values() if s.id in created], [s for s in changed.values() if s.id not in created]


def close(store: SignalStore, signal: Signal, day: date | None = None) -> Signal:
    """End the episode ``signal`` (on ``day``, when it ends on an event rather than by time) and store it."""
    signal.state = "closed"
    if day is not None:
        signal.last_seen = max(signal.last_seen, day.isoformat())
    signal.updated_at = now_utc()
    store.put([signal])
    return signal
