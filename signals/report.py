"""Signals for a person at a terminal: the table of every signal, and a signal run with what it did.

Used by ``npswatch signals`` and ``npswatch demo``.  Crawled text (substance names, markets) is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from signals.config import RunConfig
from signals.model import Signal
from signals.run import run_and_deliver


def print_table(found: Sequence[Signal], printer: Console) -> None:
    """One line per signal (the id's first 10 digits are enough for show/ack/dismiss); details with ``show``."""
    table = Table("id", "type", "substance", "where", "severity", "state", "first seen", "last seen", box=None)
    for s in found:
        where = s.scope or ", ".join(s.markets or s.sources)
        table.add_row(s.id[:10], s.type, escape(s.subject), escape(where), s.severity, s.state, s.first_seen,
                      s.last_seen)  # fmt: skip
    printer.print(table)
    if not found:
        printer.print("no signals")


def run_and_list(db: str, printer: Console, as_of: date | None = None, *, since: date | None = None,
                 deliver: bool | None = None, config: RunConfig | None = None) -> int:  # fmt: skip
    """Run the signals over the store ``db`` as of ``as_of`` (``signals.run.run_and_deliver``), print what it did
    and the table of every signal; return its exit code."""
    outcome = run_and_deliver(db, as_of, since=since, deliver=deliver, config=config)
    for line in outcome.lines:
        printer.print(escape(line).replace("error:", "[red]error:[/red]", 1))
    print_table(outcome.kept, printer)
    return outcome.code
