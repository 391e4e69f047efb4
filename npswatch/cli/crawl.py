"""``npswatch crawl``: crawl sources by hand and store what they show."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from crawlers.config import SourceError, find_source
from npswatch.cli.common import console, iso_day, store_option
from storage import data_dir


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--as-of", callback=iso_day, help="Simulated day YYYY-MM-DD, sent to the demo sites.")
@store_option
@click.option("--log-level", default="WARNING", show_default=True)
@click.option("--json-report", type=click.Path(dir_okay=False, path_type=Path), help="Also write the reports as JSON.")
@click.option("--resume", is_flag=True, help="Keep crawl state under var/jobs so an interrupted crawl resumes.")
def crawl(names: tuple[str, ...], as_of: str | None, db: str, log_level: str, json_report: Path | None,
          resume: bool) -> None:  # fmt: skip
    """Crawl one or more sources (by name or path to a source file) and store what they show.

    Ctrl-C once stops a crawl cleanly (with --resume, the next run continues where it stopped).
    """
    from crawlers.run import CrawlJob, print_report, run_crawls
    from crawlers.tor import TorError

    sources_ = [_load(name) for name in names]
    _check_sessions(sources_)
    jobs = [CrawlJob(s, as_of, CrawlJob.default_jobdir(data_dir(), s, as_of) if resume else None) for s in sources_]
    try:
        reports = run_crawls(
            jobs, overrides={"NPSWATCH_DB": db}, log_level=log_level, on_done=print_report, parallel=True
        )
    except TorError as exc:  # Tor missing or not bootstrapped: raised before any request of a Tor source
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)
    if json_report is not None:
        json_report.write_text(json.dumps([r.health_json() for r in reports], indent=2, default=str), encoding="utf-8")
    if len(reports) < len(jobs):
        console.print(f"[red]stopped:[/red] {len(jobs) - len(reports)} of {len(jobs)} crawl(s) did not run")
    sys.exit(0 if len(reports) == len(jobs) and all(r.ok for r in reports) else 1)


def _load(name: str) -> Any:
    try:
        return find_source(name)
    except SourceError as exc:
        for line in exc.problems:
            console.print(escape(line))
        sys.exit(2)
    except KeyError as exc:
        console.print(escape(str(exc.args[0])))
        sys.exit(2)


def _check_sessions(sources_: list[Any]) -> None:
    """A source's cookies file must exist and be readable by its owner only (docs/scheduler.md)."""
    from crawlers.sessions import SessionError, check_cookies_file

    for source in sources_:
        if source.cookies_file:
            try:
                check_cookies_file(source.name, source.cookies_file)
            except SessionError as exc:
                console.print(f"[red]error:[/red] {escape(str(exc))}")
                sys.exit(2)
