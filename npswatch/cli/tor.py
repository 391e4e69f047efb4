"""``npswatch tor status|newnym``: the Tor instances and Tor sources."""

from __future__ import annotations

import json
import sys

import click
from rich.markup import escape

from crawlers.config import SourceError, valid_sources
from npswatch.cli.common import console, fail, out


def _skip_invalid(error: SourceError) -> None:
    console.print(f"[yellow]skipped[/yellow] {escape(error.problems[0])}")


@click.group()
def tor() -> None:
    """Tor: instances, bootstrap, circuits per source, last errors (docs/tor.md)."""


@tor.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def tor_status(as_json: bool) -> None:
    """Tor instances (bootstrap, circuits) and Tor sources (circuits, up/down, last error); exit 1 if not ready."""
    from crawlers.settings import project_settings
    from crawlers.tor import TorError
    from crawlers.tor.report import collect_status, print_status

    tor_sources = [s.name for s in valid_sources(_skip_invalid) if s.tor]
    try:
        data = collect_status(project_settings(), tor_sources)
    except TorError as exc:  # the Tor settings do not make a pool
        fail(exc, 2)
    if as_json:
        print(json.dumps(data, indent=2))
    else:
        print_status(data, out)
    if not data["ready"]:
        unready = sum(1 for i in data["instances"] if not i["ready"])
        console.print(f"[red]error:[/red] Tor is not ready: {unready} of {len(data['instances'])} instance(s)")
        sys.exit(1)


@tor.command("newnym")
def tor_newnym() -> None:
    """New circuits for new requests on every Tor instance, waiting out Tor's rate limit (about 10 s)."""
    from crawlers.settings import project_settings
    from crawlers.tor import TorError
    from crawlers.tor.control import TorControl, TorPool

    try:
        instances = TorPool.from_settings(project_settings()).instances
    except TorError as exc:  # the Tor settings do not make a pool
        fail(exc, 2)
    failed = 0
    for instance in instances:
        control = TorControl(instance)
        try:
            waited = control.new_identity(wait=True)
        except TorError as exc:  # not running, not reachable, refused
            console.print(f"[red]error:[/red] instance {instance.index}: {escape(str(exc))}")
            failed += 1
            continue
        finally:
            control.close()
        out.print(f"instance {instance.index}: NEWNYM sent (waited {waited:.1f}s for the rate limit)")
    sys.exit(1 if failed else 0)
