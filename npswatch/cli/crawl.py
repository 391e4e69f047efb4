"""``npswatch crawl``: crawl sources by hand, store what they show, and check their health."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from npswatch.cli.common import check_store_target, console, iso_day, log_level_option, store_option
from npswatch.settings import data_dir

if TYPE_CHECKING:
    from crawlers.config import Source
    from crawlers.run import CrawlReport


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--as-of", callback=iso_day, help="Simulated day YYYY-MM-DD, sent to the demo sites.")
@store_option
@log_level_option("WARNING")
@click.option("--json-report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the reports as JSON (checked before the crawl: never over an existing file without "
              "--force; its directory must exist).")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace the --json-report file when it exists.")
@click.option("--resume", is_flag=True, help="Keep crawl state under var/jobs so an interrupted crawl resumes.")
def crawl(names: tuple[str, ...], as_of: str | None, db: str, log_level: str, json_report: Path | None,
          force: bool, resume: bool) -> None:  # fmt: skip
    """Crawl one or more sources (by name or path to a source file) and store what they show.

    Each crawl is then recorded in the run history and checked like a scheduled one (source health, its signals;
    see `npswatch status`).  Ctrl-C once stops a crawl cleanly (with --resume, the next run continues where it
    stopped).
    """
    from crawlers.run import CrawlError, crawl_sources, load_jobs, print_report

    check_store_target(db)
    try:
        jobs = load_jobs(names, as_of, data_dir() if resume else None)
        done = _checked(print_report, {job.source.name: job.source for job in jobs}, db)
        outcome = crawl_sources(jobs, db=db, log_level=log_level, json_report=json_report, force=force, on_done=done)
    except CrawlError as exc:
        console.print(escape(str(exc)).replace("error:", "[red]error:[/red]", 1))
        sys.exit(exc.code)
    if len(outcome.reports) < len(outcome.jobs):
        console.print(f"[red]stopped:[/red] {len(outcome.jobs) - len(outcome.reports)} of {len(outcome.jobs)} "
                      "crawl(s) did not run")  # fmt: skip
    sys.exit(outcome.code)


def _checked(show: Callable[[CrawlReport], None], sources: dict[str, Source], db: str
             ) -> Callable[[CrawlReport], None]:  # fmt: skip
    """``show`` a crawl's report, then record it in the run history and check its health (``check_crawl``)."""
    from health.history import RunHistory
    from signals.health import check_crawl
    from signals.store import SignalStoreError

    history = RunHistory(data_dir() / "runs.sqlite3")

    def done(report: CrawlReport) -> None:
        show(report)
        try:
            run, assessment, _, _ = check_crawl(history, report, sources[report.source].health, db)
        except (SignalStoreError, sqlite3.Error, OSError) as exc:
            console.print(f"  [red]health not checked:[/red] {escape(str(exc))}")
            return
        console.print(f"  health: {escape(assessment.state)} ({run.result}, {run.availability or 'unknown'}); "
                      "npswatch status")  # fmt: skip

    return done
