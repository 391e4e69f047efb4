"""``npswatch signals ...``: run the detectors, list and triage signals, backtest a detector (docs/signals.md).

Registered on the main command by ``npswatch/cli/__init__.py``; heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from npswatch.cli.common import console, day_option_value, db_option, fail, out, require_store

if TYPE_CHECKING:
    from signals.config import RunConfig

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
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Detector settings (YAML; docs/signals.md, Settings); default: the documented defaults.",
)
@_db_option
def signals_run(as_of: date | None, since: date | None, deliver: bool | None, config_path: Path | None,
                db: str) -> None:  # fmt: skip
    """Run the detectors over the store and store the signals; print what changed."""
    from signals.report import run_and_list

    config = _detector_settings(config_path)
    require_store(db)
    sys.exit(run_and_list(db, out, as_of, since=since, deliver=deliver, config=config))


def _detector_settings(path: Path | None) -> RunConfig:
    """The detector settings of ``path`` (the documented defaults when None), or each problem on a line and exit 2."""
    from signals.config import SignalsConfigError, load_config

    try:
        return load_config(path)
    except SignalsConfigError as exc:
        for problem in exc.problems:
            console.print(f"[red]error:[/red] {escape(problem)}")
        sys.exit(2)


@signals.command("explain")
@click.argument("signal_id")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The detector settings the signal was raised with (default: the documented defaults).",
)
@_db_option
def signals_explain(signal_id: str, config_path: Path | None, db: str) -> None:
    """Why a signal fired and why its severity: its series around the episode, the test and its numbers."""
    from signals.explain import explain

    config = _detector_settings(config_path)
    require_store(db)
    with _open(db) as kept:
        found = kept.get(signal_id)
    if found is None:
        console.print(f"[red]error:[/red] no signal with id {escape(signal_id)!r}")
        sys.exit(2)
    for line in explain(found, db, config):
        out.print(escape(line), highlight=False)


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
    from signals.report import print_table

    print_table(found, out)


@signals.command("show")
@click.argument("signal_id")
@_db_option
def signals_show(signal_id: str, db: str) -> None:
    """One signal as JSON, with its triage log under "audit" (an id prefix of 6 or more digits is enough)."""
    with _open(db) as kept:
        found = kept.get(signal_id)
        log = kept.audit(found.id) if found is not None else []
    if found is None:
        console.print(f"[red]error:[/red] no signal with id {escape(signal_id)!r}")
        sys.exit(2)
    print(json.dumps({**found.to_json(), "audit": [e.to_json() for e in log]}, indent=2, ensure_ascii=False))


def _triage(signal_id: str, action: str, db: str, user: str | None, **details: str | None) -> None:
    """Apply a triage action and append it to the signal store's audit log (the workbench writes the same log)."""
    import getpass

    from signals.store import SignalStoreError

    with _open(db) as kept:
        try:
            changed = kept.triage(signal_id, action, user or getpass.getuser(), via="cli", **details)
        except SignalStoreError as exc:
            fail(exc, 2)
    who = f", assigned to {escape(changed.assignee)}" if changed.assignee else ""
    out.print(f"{changed.id} {changed.type} {escape(changed.subject)}: {changed.state}{who}")


_as_user = click.option("--as", "user", metavar="NAME", help="Who does it, for the audit log (default: the OS user).")
_note = click.option("--note", help="A note kept in the audit log.")


@signals.command("ack")
@click.argument("signal_id")
@click.option("--reason", help="Why, kept in the audit log.")
@_note
@_as_user
@_db_option
def signals_ack(signal_id: str, reason: str | None, note: str | None, user: str | None, db: str) -> None:
    """Mark a signal acknowledged (an analyst is on it)."""
    _triage(signal_id, "acknowledge", db, user, reason=reason, note=note)


@signals.command("dismiss")
@click.argument("signal_id")
@click.option("--reason", required=True, help="Why it is dismissed (required), kept in the audit log.")
@_note
@_as_user
@_db_option
def signals_dismiss(signal_id: str, reason: str, note: str | None, user: str | None, db: str) -> None:
    """Mark a signal dismissed (a false alarm); later detections of its episode keep it dismissed."""
    _triage(signal_id, "dismiss", db, user, reason=reason, note=note)


@signals.command("reopen")
@click.argument("signal_id")
@click.option("--reason", required=True, help="Why it is reopened (required), kept in the audit log.")
@_as_user
@_db_option
def signals_reopen(signal_id: str, reason: str, user: str | None, db: str) -> None:
    """Set an acknowledged or dismissed signal back to new."""
    _triage(signal_id, "reopen", db, user, reason=reason)


@signals.command("assign")
@click.argument("signal_id")
@click.argument("assignee", required=False)
@_as_user
@_db_option
def signals_assign(signal_id: str, assignee: str | None, user: str | None, db: str) -> None:
    """Assign a signal to ASSIGNEE (without it: to nobody)."""
    _triage(signal_id, "assign", db, user, assignee=assignee)


@signals.command("note")
@click.argument("signal_id")
@click.argument("text")
@_as_user
@_db_option
def signals_note(signal_id: str, text: str, user: str | None, db: str) -> None:
    """Add a note to a signal's audit log."""
    _triage(signal_id, "note", db, user, note=text)


@signals.command("export")
@click.option("--format", "fmt", type=click.Choice(["misp"]), required=True, help="misp: one MISP event per signal.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="MISP JSON file to write (owner-only; never over an existing file without --force).")  # fmt: skip
@click.option("--push", "push_url", help="Send the events to this MISP instance with PyMISP (key: NPSWATCH_MISP_KEY).")
@click.option("--type", "types", multiple=True, help="Only these types (default: the substance types).")
@click.option("--state", "states", multiple=True, help="Only these states (repeatable).")
@click.option("--min-severity", type=click.Choice(["low", "medium", "high"]), default="low", show_default=True)
@click.option("--tlp", type=click.Choice(["clear", "green", "amber", "amber+strict", "red"]), default="amber",
              show_default=True, help="TLP tag of every event.")  # fmt: skip
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0, 20), help="Attempts after the first.")
@click.option(
    "--backoff", default=1.0, show_default=True, type=click.FloatRange(0), help="Seconds, doubled each retry."
)
@click.option("--dead-letter", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("var/alerts/misp-dead-letter.jsonl"), show_default=True,
              help="Where events that could not be pushed are kept.")  # fmt: skip
@click.option("--ca-file", type=click.Path(dir_okay=False, exists=True), help="CA bundle to verify the MISP server.")
@click.option("--force", is_flag=True, help="Replace --out when it exists.")
@_db_option
def signals_export(fmt: str, out_path: Path | None, push_url: str | None, types: tuple[str, ...],
                   states: tuple[str, ...], min_severity: str, tlp: str, retries: int, backoff: float,
                   dead_letter: Path, ca_file: str | None, force: bool, db: str) -> None:  # fmt: skip
    """Export signals as MISP events to a file (--out) and/or a MISP instance (--push). See docs/signals.md."""
    from signals.delivery import select
    from signals.delivery.config import MISP_KEY_ENV, DeliveryConfig, misp_key
    from signals.delivery.misp import Pusher, events_json, push
    from signals.model import SUBSTANCE_TYPES
    from storage.outputs import OutputError, check_target, staged_file, store_paths

    if out_path is None and push_url is None:
        raise click.UsageError("give --out FILE, --push URL, or both")
    protected = store_paths(db)
    if out_path is not None:
        try:
            check_target(out_path, force, protected)  # before anything is read or sent
        except OutputError as exc:
            fail(exc, 2)
    key = misp_key() if push_url else ""
    if push_url and not key:
        console.print(f"[red]error:[/red] {MISP_KEY_ENV} is not set: the MISP API key to push with")
        sys.exit(2)
    with _open(db) as kept:
        found = kept.find(types=types or SUBSTANCE_TYPES, states=states)
    chosen = select(found, DeliveryConfig(min_severity=min_severity))  # type: ignore[arg-type]
    if out_path is not None:
        try:
            with staged_file(out_path, force, protected) as stream:
                stream.write(events_json(chosen, tlp))
        except OutputError as exc:
            fail(exc, 2)
        except OSError as exc:
            fail(f"cannot write {out_path}: {exc}", 1)
        out.print(f"wrote {len(chosen)} MISP event(s) to {escape(str(out_path))}")
    if push_url:
        report = push(chosen, Pusher(push_url, key, ssl=ca_file or True), retries, backoff, dead_letter, tlp)
        out.print(
            f"pushed {len(report.sent)} MISP event(s) to {escape(push_url)}"
            + (f"; {len(report.failed)} dead-lettered to {escape(str(dead_letter))}" if report.failed else "")
        )
        for error in report.errors:
            console.print(f"[red]error:[/red] {escape(error)}")
        if report.failed:
            sys.exit(1)


def _open(db: str) -> Any:
    """The signal store of the store ``db``; exit 2 when neither is there (a mistyped --db must not make one)."""
    from signals.store import SignalStoreError, open_store, signals_path

    if not signals_path(db).exists():
        require_store(db)
    try:
        return open_store(db)
    except SignalStoreError as exc:
        fail(exc, 1)


@signals.command("backtest")
@click.option("--series", "series_path", required=True, type=click.Path(path_type=Path),
              help="CSV with columns t,observed.")  # fmt: skip
@click.option("--method", required=True, help="Count detector: ears-c1, ears-c2, ears-c3, farrington-*, bayes*.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Detector parameter (repeatable).")
@click.option("--freq", type=click.Choice(["52", "7"]), default=None, help="52: weekly counts; 7: daily counts.")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output CSV (never over an existing file without --force, never over the series).")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace --out when it exists.")
def signals_backtest(series_path: Path, method: str, params: tuple[str, ...], freq: str | None, out_path: Path,
                     force: bool) -> None:  # fmt: skip
    """Run one detector over a series: writes t,observed,upperbound,alarm (empty where not computable)."""
    from signals.backtest import BacktestError, backtest, write_backtest
    from storage.outputs import OutputError, check_target, staged_file, store_paths

    protected = [series_path, *store_paths()]
    try:
        check_target(out_path, force, protected)
        result = backtest(series_path, method, list(params), int(freq) if freq else None)
        with staged_file(out_path, force, protected) as stream:
            write_backtest(result, stream)
    except (BacktestError, OutputError) as exc:
        fail(exc, 2)
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot write {escape(str(out_path))}: {escape(exc.strerror or str(exc))}")
        sys.exit(1)
    for message in result.messages:
        console.print(f"note: {escape(message)}")
    evaluated = sum(1 for r in result.rows if r[2] is not None)
    console.print(f"{method}: {evaluated} of {len(result.rows)} points evaluated, {result.alarms} alarm(s); "
                  f"wrote {escape(str(out_path))}")  # fmt: skip
