"""``npswatch sources list|validate``: the source files."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from crawlers.config import SourceError, iter_sources, source_files, sources_dir
from npswatch.cli.common import console, fail, out


@click.group()
def sources() -> None:
    """List and validate source files (crawlers/sources/*.yml)."""


@sources.command("list")
def sources_list() -> None:
    """Every source with its template, Tor use, schedule and start URLs."""
    directory = sources_dir()
    if not directory.is_dir():
        fail(f"{directory}: no such directory; expected the directory of the source files (NPSWATCH_SOURCES_DIR)", 2)
    table = Table("name", "template", "tor", "language", "schedule", "start urls")
    failed = 0
    for entry in iter_sources():
        if isinstance(entry, SourceError):
            failed += 1
            table.add_row(escape(entry.path.stem), "[red]invalid[/red]", "", "", "", escape(entry.problems[0]))
            continue
        schedule = f"every {entry.schedule.every}" if entry.schedule.every else f"cron {entry.schedule.cron}"
        table.add_row(entry.name, entry.template, "yes" if entry.tor else "no", ",".join(entry.language),
                      schedule, escape(" ".join(entry.start_urls)))  # fmt: skip
    out.print(table)
    if failed:
        console.print(f"{failed} invalid source file(s): run `npswatch sources validate`")
        sys.exit(2)


@sources.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def sources_validate(paths: tuple[Path, ...]) -> None:
    """Check source files; print each problem as file:line: field: what was expected (exit 2 on any)."""
    from crawlers.config import load_source

    files = list(paths) or source_files()
    problems = 0
    for path in files:
        try:
            load_source(path)
        except SourceError as exc:
            problems += len(exc.problems)
            for line in exc.problems:
                out.print(escape(line))
    console.print(f"{len(files)} file(s) checked, {problems} problem(s)")
    sys.exit(2 if problems else 0)
