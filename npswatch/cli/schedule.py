"""``npswatch schedule`` and ``npswatch status``: the scheduler and every source's health."""

from __future__ import annotations

import json
import sys

import click
from rich.markup import escape
from rich.table import Table

from npswatch.cli.common import (
    absent_store,
    check_store_target,
    console,
    fail,
    iso_day,
    log_level_option,
    missing_store,
    out,
    store_option,
)
from npswatch.settings import data_dir


@click.command()
@click.option("--as-of", callback=iso_day, help="Demo: crawl the demo sites as of this day YYYY-MM-DD.")
@click.option("--db", envvar="NPSWATCH_DB", default=None, help="Storage target passed to every crawl.")
@log_level_option("INFO")
def schedule(as_of: str | None, db: str | None, log_level: str) -> None:
    """Run every source on its schedule in the foreground (same as `python scheduler.py`); Ctrl-C stops."""
    from scheduler import serve

    check_store_target(db)
    sys.exit(serve(as_of=as_of, db=db, log_level=log_level))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@store_option
def status(as_json: bool, db: str) -> None:
    """Every source: last run and its result, next run, health (docs/scheduler.md).

    With no store at --db (a crawl makes it) the runs are still shown, without signals, and a warning says so.
    """
    from health.status import collect_status
    from scheduler import next_run_times
    from signals.health import open_episodes
    from signals.store import SignalStoreError
    from storage.base import StorageError

    missing = absent_store(db)
    signals = {}
    if missing is not None:
        console.print(f"[yellow]warning:[/yellow] {escape(missing_store(missing, db))}; no signals shown")
    else:
        try:
            signals = open_episodes(db)
        except (StorageError, SignalStoreError) as exc:
            fail(exc, 2)
    data = collect_status(data_dir(), next_runs=next_run_times(data_dir()), open_signals=signals)
    if as_json:
        print(json.dumps(data, indent=2, default=str))
        return
    table = Table("source", "schedule", "last run", "result", "pages", "items", "errors", "next run", "health")
    for row in data:
        if not row["valid"]:
            table.add_row(escape(row["source"]), "[red]invalid[/red]", "", "", "", "", "", "", escape(row["problem"]))
            continue
        last = row["last_run"] or {}
        health = row["health"] + (f" since {row['health_since'][:16]}" if row["health_since"] else "")
        table.add_row(row["source"], row["schedule"], (last.get("started") or "never")[:16], last.get("result", ""),
                      str(last.get("pages", "")), str(last.get("items", "")), str(last.get("errors", "")),
                      (row["next_run"] or "not scheduled")[:16], escape(health))  # fmt: skip
    out.print(table)
    for row in data:
        if row["valid"] and row["health"] not in ("ok", "unknown", "not checked"):
            out.print(escape(row["health_detail"] or ""))
