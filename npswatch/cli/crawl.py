"""``npswatch crawl``: crawl sources by hand and store what they show."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

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
    from crawlers.run import CrawlError, crawl_sources, print_report

    try:
        outcome = crawl_sources(names, as_of=as_of, db=db, resume_in=data_dir() if resume else None,
                                log_level=log_level, json_report=json_report, on_done=print_report)  # fmt: skip
    except CrawlError as exc:
        console.print(escape(str(exc)).replace("error:", "[red]error:[/red]", 1))
        sys.exit(exc.code)
    if len(outcome.reports) < len(outcome.jobs):
        console.print(f"[red]stopped:[/red] {len(outcome.jobs) - len(outcome.reports)} of {len(outcome.jobs)} "
                      "crawl(s) did not run")  # fmt: skip
    sys.exit(outcome.code)
