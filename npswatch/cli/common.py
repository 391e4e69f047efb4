"""What the `npswatch` command groups share: the consoles, options and callbacks, opening the store."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from npswatch.settings import db_target

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)  # logs: no 80-col cut


def db_option(help_text: str) -> Callable[[Any], Any]:
    """``--db``: the storage target, from NPSWATCH_DB, else <NPSWATCH_DATA_DIR or var>/npswatch.sqlite3."""
    return click.option(
        "--db",
        envvar="NPSWATCH_DB",
        default=db_target,
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


store_option = db_option(
    "Storage target: a SQLite file or a cluster URL, e.g. elasticsearch+https://host:9200 (env NPSWATCH_DB)."
)


def iso_day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    day = day_option_value(ctx, param, value)
    return day.isoformat() if day else None


def field_filters(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, list[str]]:
    """Repeated ``--filter FIELD=VALUE`` options as {field: [values]}."""
    parsed: dict[str, list[str]] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected FIELD=VALUE, found {item!r}", param_hint="--filter")
        parsed.setdefault(name, []).append(value)
    return parsed


_Command = TypeVar("_Command", bound=Callable[..., Any])


def observation_filters(filter_help: str) -> Callable[[_Command], _Command]:
    """``--source``, ``--from``, ``--to`` and ``--filter FIELD=VALUE``: what `search` and `trend` narrow by."""
    options = [
        click.option("--source", "sources_", multiple=True, help="Only these sources (repeatable)."),
        click.option("--from", "date_from", callback=iso_day, help="Observed on or after YYYY-MM-DD."),
        click.option("--to", "date_to", callback=iso_day, help="Observed on or before YYYY-MM-DD."),
        click.option(
            "--filter", "filters", multiple=True, metavar="FIELD=VALUE", callback=field_filters, help=filter_help
        ),
    ]

    def apply(command: _Command) -> _Command:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def fail(error: Exception | str, code: int) -> NoReturn:
    """Print ``error: ...`` (escaped) and exit with ``code`` (1: an operation failed, 2: bad input)."""
    console.print(f"[red]error:[/red] {escape(str(error))}")
    sys.exit(code)


def as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def open_or_exit(target: str, create: bool = False) -> Any:
    """The store at ``target``; without ``create``, a store that is not there exits 2 (``require_store``)."""
    from storage import open_storage
    from storage.base import StorageError, StorageUnavailable, StoreMissing

    try:
        return open_storage(target, create=create)
    except StoreMissing as exc:
        fail(missing_store(exc, target), 2)
    except StorageUnavailable as exc:
        fail(exc, 1)
    except StorageError as exc:
        fail(exc, 2)


def missing_store(error: Exception, target: str) -> str:
    """What to say when a command that reads a store finds none: what was looked for, and how to make one."""
    from storage.cluster.config import is_cluster_target

    make = (f"npswatch index migrate --db {target}" if is_cluster_target(target)
            else f"npswatch crawl SOURCE --db {target} (or npswatch demo --db {target})")  # fmt: skip
    return f"{error} (check --db or NPSWATCH_DB); a new store is made by: {make}"


def absent_store(target: str) -> Exception | None:
    """Why ``target`` names no store (StoreMissing) when it names an embedded store that is not there, else None (a
    cluster's indices are checked when it is opened); exit 2 when ``target`` cannot name a store at all."""
    from storage import open_storage
    from storage.base import StorageError, StoreMissing
    from storage.cluster.config import is_cluster_target

    if is_cluster_target(target):
        return None
    try:
        open_storage(target, create=False).close()
    except StoreMissing as exc:
        return exc
    except StorageError as exc:
        fail(exc, 2)
    return None


def require_store(target: str) -> None:
    """Exit 2 when ``target`` names an embedded store that is not there, for commands that read a store without
    opening it here."""
    missing = absent_store(target)
    if missing is not None:
        fail(missing_store(missing, target), 2)


def check_store_target(target: str | None) -> None:
    """Exit 2 when ``target`` cannot name a store (an unknown scheme, a malformed cluster URL, a directory), before a
    command that creates the store starts its work."""
    from storage import validate_target
    from storage.base import StorageError

    if target is None:
        return
    try:
        validate_target(target)
    except StorageError as exc:
        fail(exc, 2)


def log_level_option(default: str) -> Callable[[Any], Any]:
    """``--log-level``: one of Python's level names (any case)."""
    levels = click.Choice(list(logging.getLevelNamesMapping()), case_sensitive=False)
    return click.option("--log-level", default=default, show_default=True, type=levels)


@contextlib.contextmanager
def opened(target: str, failed: int = 2) -> Iterator[Any]:
    """The store at ``target``, closed afterwards; a storage error is printed and exits with ``failed`` (1 when the
    store cannot be reached); a store that is not there exits 2."""
    from storage.base import StorageError, StorageUnavailable

    store = open_or_exit(target)
    try:
        yield store
    except StorageError as exc:
        fail(exc, 1 if isinstance(exc, StorageUnavailable) else failed)
    finally:
        store.close()
