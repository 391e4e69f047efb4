"""``npswatch tor status|newnym``: the Tor instances and Tor sources."""

from __future__ import annotations

import json
import sys

import click
from rich.markup import escape

from crawlers.config import SourceError, valid_sources
from npswatch.cli.common import console, out


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
    from crawlers.tor.report import collect_status, print_status

    tor_sources = [s.name for s in valid_sources(_skip_invalid) if s.tor]
    data = collect_status(project_settings(), tor_sources)
    if as_json:
        print(json.dumps(data, indent=2))
    else:
        print_status(data, out)
    sys.exit(0 if data["ready"] else 1)


@tor.command("newnym")
def tor_newnym() -> None:
    """New circuits for new requests on every Tor instance, waiting out Tor's rate limit (about 10 s)."""
    from crawlers.settings import project_settings
    from crawlers.tor.control import TorControl, TorPool

    for instance in TorPool.from_settings(project_settings()).instances:
        control = TorControl(instance)
        try:
            waited = control.new_identity(wait=True)
        finally:
            control.close()
        out.print(f"instance {instance.index}: NEWNYM sent (waited {waited:.1f}s for the rate limit)")
