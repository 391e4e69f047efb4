"""Source health in the demo: the scheduler's checks after every demo crawl, and the scripted faults they must catch.

Each crawl of ``npswatch demo`` is recorded in the run history (``<data dir>/runs.sqlite3``) as a run at noon of
its simulated day, then checked like a scheduled crawl (``signals.health.check_crawl``): its availability, the
source's health, the signal episodes (kept beside the store's other signals and delivered).  The demo's fault
scenario (``demosites.timeline.SCENARIO``) says which signal each site should raise and when; ``compare`` holds
what was raised against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from crawlers.config import Source
from crawlers.run import CrawlReport
from demosites.timeline import FAULT_SIGNALS, START, Fault
from health.history import RunHistory
from signals.health import check_crawl


@dataclass
class Episode:
    """One health signal raised during the demo: its type, source, first and last day, and the day it closed."""

    id: str
    type: str
    source: str
    first_day: str
    last_day: str
    summary: str
    closed_on: str | None = None
    slow_only: bool = False  # raised only because crawls took long: the machine's load, not a site fault


@dataclass(frozen=True)
class Expected:
    """A scripted fault and the signal it should raise, no earlier than ``from_day`` and no later than ``to_day``."""

    fault: Fault
    type: str
    from_day: str
    to_day: str


@dataclass
class Comparison:
    matched: list[tuple[Expected, Episode]] = field(default_factory=list)
    missing: list[Expected] = field(default_factory=list)
    unexpected: list[Episode] = field(default_factory=list)
    too_short: list[Fault] = field(default_factory=list)  # faults whose crawled days cannot raise a signal

    @property
    def ok(self) -> bool:
        """Every fault raised its signal, and nothing else was raised but slow crawls (which a loaded machine
        causes: they are shown, not failed on)."""
        return not self.missing and all(e.slow_only for e in self.unexpected)


class DemoHealth:
    """Record and check each demo crawl as the scheduler records and checks a scheduled one."""

    def __init__(self, data: Path, db: str, sources: dict[str, Source]) -> None:
        self.history = RunHistory(data / "runs.sqlite3")
        self.db = db
        self.sources = sources
        self.episodes: dict[str, Episode] = {}

    def check(self, report: CrawlReport) -> None:
        """Record the crawl as a run on its simulated day, assess it, keep the signal episodes it opens or closes."""
        if report.as_of is None:
            return
        _, _, changed, closed = check_crawl(self.history, report, self.sources[report.source].health, self.db)
        for signal in changed:
            problems = signal.statistics.get("problems") or [{}]
            slow = all("max_duration_factor" in p for p in problems)
            new = Episode(signal.id, signal.type, signal.subject, report.as_of, report.as_of, signal.summary,
                          slow_only=slow)  # fmt: skip
            self.episodes.setdefault(signal.id, new).last_day = report.as_of
        for signal in closed:
            if signal.id in self.episodes:
                self.episodes[signal.id].closed_on = report.as_of


def expectations(
    faults: tuple[Fault, ...], span: list[str], sources: dict[str, Source]
) -> tuple[list[Expected], list[Fault]]:
    """The signal each fault should raise on the crawled days of ``span``, and the faults too short to raise one
    (an outage raises ``source_down`` only after ``down_after_failures`` failed crawls in a row)."""
    found: list[Expected] = []
    short: list[Fault] = []
    for fault in faults:
        if fault.site not in sources:
            continue
        days = [d for d in span if (date.fromisoformat(d) - START).days in fault.days]
        if not days:
            continue
        needed = sources[fault.site].health.down_after_failures if fault.kind == "outage" else 1
        runs = _longest_run(days, span)
        if len(runs) < needed:
            short.append(fault)
            continue
        found.append(Expected(fault, FAULT_SIGNALS[fault.kind], runs[needed - 1], days[-1]))
    return found, short


def _longest_run(days: list[str], span: list[str]) -> list[str]:
    """The longest stretch of ``days`` that are consecutive crawls in ``span``."""
    best: list[str] = []
    current: list[str] = []
    for day in span:
        current = [*current, day] if day in days else []
        best = current if len(current) > len(best) else best
    return best


def compare(expected: list[Expected], short: list[Fault], episodes: list[Episode]) -> Comparison:
    """Each expectation met by an episode of its type and source that began within its days; the rest unexpected."""
    result = Comparison(too_short=short)
    left = list(episodes)
    for want in expected:
        hit = next((e for e in left if e.type == want.type and e.source == want.fault.site
                    and want.from_day <= e.first_day <= want.to_day), None)  # fmt: skip
        if hit is None:
            result.missing.append(want)
        else:
            result.matched.append((want, hit))
            left.remove(hit)
    result.unexpected = left
    return result


def print_health(comparison: Comparison, console: Any) -> None:
    """The health signals the demo raised, by day, each beside the scripted fault it answers."""
    from rich.markup import escape
    from rich.table import Table

    table = Table("type", "source", "raised", "last seen", "closed", "scripted fault", "summary",
                  title="Source-health signals raised during the demo")  # fmt: skip
    rows = [(e, f"{w.fault.kind} days {fault_days(w.fault.days)}") for w, e in comparison.matched]
    rows += [(e, "[yellow]none: slow crawl (machine load?)[/yellow]" if e.slow_only else "[red]none: unexpected[/red]")
             for e in comparison.unexpected]  # fmt: skip
    for episode, why in sorted(rows, key=lambda r: (r[0].first_day, r[0].source)):
        table.add_row(episode.type, episode.source, episode.first_day, episode.last_day, episode.closed_on or "open",
                      why, escape(episode.summary[:110]))  # fmt: skip
    console.print(table)
    for want in comparison.missing:
        days = fault_days(want.fault.days)
        console.print(f"[red]missing:[/red] {want.fault.site} {want.fault.kind} (days {days}) raised no {want.type}")
    for fault in comparison.too_short:
        console.print(f"{fault.site} {fault.kind}: too few crawls on days {fault_days(fault.days)} to raise a signal")
    console.print("Health of every source: npswatch status   Its signals: npswatch signals list --type source_down "
                  "(layout_change, needs_login, blocked, source_gone)")  # fmt: skip


def fault_days(days: tuple[int, ...]) -> str:
    """``9-11`` for consecutive days, ``3,7`` otherwise."""
    consecutive = len(days) > 1 and days[-1] - days[0] == len(days) - 1
    return f"{days[0]}-{days[-1]}" if consecutive else ",".join(map(str, days))
