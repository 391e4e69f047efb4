"""``npswatch signals ...``: run the detectors, list and triage signals, backtest a detector (docs/signals.md).

Registered on the main command by ``npswatch/cli.py``; heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from npswatch.options import day_option_value, db_option

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


_db_option = db_option("Storage target (env NPSWATCH_DB); signals are kept beside it (docs/signals.md).")
_as_of = day_option_value


@click.group()
def signals() -> None:
    """Early-warning signals: first sightings, spikes, price shifts, adverse-effect surges (docs/signals.md)."""


@signals.command("run")
@click.option("--as-of", callback=_as_of, help="Evaluate up to this day (YYYY-MM-DD; default today, UTC).")
@click.option("--since", callback=_as_of, help="Evaluate from this day (default: the day after the last run).")
@click.option(
    "--deliver/--no-deliver",
    default=None,
    help="Send new signals through the channels of NPSWATCH_ALERTS_CONFIG, else to the Atom feed beside the "
    "signal store (default: deliver).",
)
@_db_option
def signals_run(as_of: date | None, since: date | None, deliver: bool | None, db: str) -> None:
    """Run the detectors over the store and store the signals; print what changed."""
    sys.exit(run_and_list(db, as_of, since=since, deliver=deliver, console=out))


def run_and_list(db: str, as_of: date | None = None, *, since: date | None = None, deliver: bool | None = None,
                 console: Console | None = None) -> int:  # fmt: skip
    """Run the signals over the store ``db`` as of ``as_of``, print a table of every signal, return an exit code.

    ``npswatch demo`` calls this at its end (with the last simulated day as ``as_of``)."""
    from signals.run import run_signals
    from signals.store import SignalStore, SignalStoreError, signals_path
    from storage import open_storage
    from storage.base import StorageError

    printer = console or out
    day = as_of or datetime.now(UTC).date()
    try:
        store = open_storage(db)
    except StorageError as exc:
        printer.print(f"[red]error:[/red] {escape(str(exc))}")
        return 1
    try:
        with SignalStore(signals_path(db)) as kept:
            result = run_signals(store, kept, day, since=since)
            printer.print(f"signals as of {day}: {len(result.created)} new, {len(result.updated)} updated, "
                          f"{len(result.closed)} closed (kept in {kept.path})")  # fmt: skip
            code = _deliver(result.created, deliver, printer, db)
            print_table(kept.find(), printer)
            return code
    except (StorageError, SignalStoreError) as exc:
        printer.print(f"[red]error:[/red] {escape(str(exc))}")
        return 1
    finally:
        store.close()


def _deliver(created: list[Any], deliver: bool | None, printer: Console, db: str) -> int:
    """Through the channels of NPSWATCH_ALERTS_CONFIG (or alerts.yml), else the Atom feed beside the signal store."""
    from signals.delivery import ConfigError, delivery_config
    from signals.delivery import deliver as send

    if deliver is False:
        return 0
    try:
        config, where = delivery_config(db)
    except ConfigError as exc:
        printer.print(f"[red]error:[/red] {escape(str(exc))}")
        return 2
    report = send(created, config)
    printer.print(f"delivered ({escape(where)}): {escape(report.summary())}")
    return 0 if report.ok else 1


def print_table(found: list[Any], printer: Console) -> None:
    """One line per signal (the id's first 10 digits are enough for show/ack/dismiss); details with ``show``."""
    table = Table("id", "type", "substance", "where", "severity", "state", "first seen", "last seen", box=None)
    for s in found:
        where = s.scope or ", ".join(s.markets or s.sources)
        table.add_row(s.id[:10], s.type, escape(s.subject), escape(where), s.severity, s.state, s.first_seen,
                      s.last_seen)  # fmt: skip
    printer.print(table)
    if not found:
        printer.print("no signals")


@signals.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of signal objects.")
@click.option("--type", "types", multiple=True, help="Only these types (repeatable).")
@click.option("--state", "states", multiple=True, help="Only these states (repeatable).")
@_db_option
def signals_list(as_json: bool, types: tuple[str, ...], states: tuple[str, ...], db: str) -> None:
    """Every stored signal, oldest first."""
    with _open(db) as kept:
        found = kept.find(types=types, states=states)
    if as_json:
        print(json.dumps([s.to_json() for s in found], indent=2, ensure_ascii=False))
        return
    print_table(found, out)


@signals.command("show")
@click.argument("signal_id")
@_db_option
def signals_show(signal_id: str, db: str) -> None:
    """One signal as JSON (an id prefix of 6 or more digits is enough)."""
    with _open(db) as kept:
        found = kept.get(signal_id)
    if found is None:
        console.print(f"[red]error:[/red] no signal with id {escape(signal_id)!r}")
        sys.exit(2)
    print(json.dumps(found.to_json(), indent=2, ensure_ascii=False))


def _set_state(signal_id: str, state: str, db: str) -> None:
    from signals.store import SignalStoreError

    with _open(db) as kept:
        try:
            changed = kept.set_state(signal_id, state)
        except SignalStoreError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}")
            sys.exit(2)
    out.print(f"{changed.id} {changed.type} {escape(changed.subject)}: {state}")


@signals.command("ack")
@click.argument("signal_id")
@_db_option
def signals_ack(signal_id: str, db: str) -> None:
    """Mark a signal acknowledged (an analyst is on it)."""
    _set_state(signal_id, "acknowledged", db)


@signals.command("dismiss")
@click.argument("signal_id")
@_db_option
def signals_dismiss(signal_id: str, db: str) -> None:
    """Mark a signal dismissed (a false alarm); later detections of its episode keep it dismissed."""
    _set_state(signal_id, "dismissed", db)


def _open(db: str) -> Any:
    from signals.store import SignalStore, SignalStoreError, signals_path

    try:
        return SignalStore(signals_path(db))
    except SignalStoreError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)


@signals.command("backtest")
@click.option("--series", "series_path", required=True, type=click.Path(path_type=Path),
              help="CSV with columns t,observed.")  # fmt: skip
@click.option("--method", required=True, help="Count detector: ears-c1, ears-c2, ears-c3, farrington-*, bayes*.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Detector parameter (repeatable).")
@click.option("--freq", type=click.Choice(["52", "7"]), default=None, help="52: weekly counts; 7: daily counts.")
@click.option("--out", "out_path", required=True, type=click.Path(path_type=Path), help="Output CSV.")
def signals_backtest(series_path: Path, method: str, params: tuple[str, ...], freq: str | None, out_path: Path
                     ) -> None:  # fmt: skip
    """Run one detector over a series: writes t,observed,upperbound,alarm (empty where not computable)."""
    from signals.backtest import BacktestError, backtest, write_backtest

    try:
        result = backtest(series_path, method, list(params), int(freq) if freq else None)
        write_backtest(result, out_path)
    except BacktestError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot write {escape(str(out_path))}: {escape(exc.strerror or str(exc))}")
        sys.exit(1)
    for message in result.messages:
        console.print(f"note: {escape(message)}")
    evaluated = sum(1 for r in result.rows if r[2] is not None)
    console.print(f"{method}: {evaluated} of {len(result.rows)} points evaluated, {result.alarms} alarm(s); "
                  f"wrote {escape(str(out_path))}")  # fmt: skip
