"""Command-line options shared by the `npswatch` command groups (npswatch.cli, signals.cli)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import click

from storage import default_target


def db_option(help_text: str) -> Callable[[Any], Any]:
    """``--db``: the storage target, from NPSWATCH_DB, else <NPSWATCH_DATA_DIR or var>/npswatch.sqlite3."""
    return click.option(
        "--db",
        envvar="NPSWATCH_DB",
        default=default_target,
        show_default="var/npswatch.sqlite3",
        help=help_text,
    )


def day_option_value(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A click callback reading a YYYY-MM-DD option value as a date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, found {value!r}") from exc
