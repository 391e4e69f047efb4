"""The ``npswatch`` command: every entry point of the project.

Exit codes: 0 success, 1 a crawl or operation failed, 2 bad input (a source file,
an argument).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawlers.config import SourceError, find_source, iter_sources, source_files

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _db_option(func: Any) -> Any:
    return click.option(
        "--db",
        envvar="NPSWATCH_DB",
        default=lambda: str(Path(os.environ.get("NPSWATCH_DATA_DIR", "var")) / "npswatch.sqlite3"),
        show_default="var/npswatch.sqlite3",
        help="Storage target: a SQLite file (env NPSWATCH_DB).",
    )(func)


def _iso_day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, found {value!r}") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="npswatch")
def main() -> None:
    """npswatch: watch markets and forums for new psychoactive substances."""


# --- sources ---------------------------------------------------------------------------
@main.group()
def sources() -> None:
    """List and validate source files (crawlers/sources/*.yml)."""


@sources.command("list")
def sources_list() -> None:
    """Every source with its template, Tor use, schedule and start URLs."""
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


# --- crawl -----------------------------------------------------------------------------
@main.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--as-of", callback=_iso_day, help="Simulated day YYYY-MM-DD, sent to the demo sites.")
@_db_option
@click.option("--log-level", default="WARNING", show_default=True)
@click.option("--json-report", type=click.Path(dir_okay=False, path_type=Path), help="Also write the reports as JSON.")
@click.option("--resume", is_flag=True, help="Keep crawl state under var/jobs so an interrupted crawl resumes.")
def crawl(names: tuple[str, ...], as_of: str | None, db: str, log_level: str, json_report: Path | None,
          resume: bool) -> None:  # fmt: skip
    """Crawl one or more sources (by name or path to a source file) and store what they show.

    Ctrl-C once stops a crawl cleanly (with --resume, the next run continues where it stopped).
    """
    from crawlers.tor import TorError
    from npswatch.crawl import CrawlJob, run_crawls
    from npswatch.report import print_report

    data_dir = Path(os.environ.get("NPSWATCH_DATA_DIR", "var"))
    sources_ = [_load(name) for name in names]
    jobs = [CrawlJob(s, as_of, CrawlJob.default_jobdir(data_dir, s, as_of) if resume else None) for s in sources_]
    try:
        reports = run_crawls(
            jobs, overrides={"NPSWATCH_DB": db}, log_level=log_level, on_done=print_report, parallel=True
        )
    except TorError as exc:  # Tor missing or not bootstrapped: raised before any request of a Tor source
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)
    if json_report is not None:
        json_report.write_text(json.dumps([r.to_json() for r in reports], indent=2, default=str), encoding="utf-8")
    sys.exit(0 if all(r.ok for r in reports) else 1)


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


# --- tor -------------------------------------------------------------------------------
@main.group()
def tor() -> None:
    """Tor: instances, bootstrap, circuits per source, last errors (docs/tor.md)."""


@tor.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def tor_status(as_json: bool) -> None:
    """Tor instances (bootstrap, circuits) and Tor sources (circuits, up/down, last error); exit 1 if not ready."""
    from crawlers.tor.report import collect_status, print_status, project_settings

    tor_sources = [s.name for s in iter_sources() if not isinstance(s, SourceError) and s.tor]
    data = collect_status(project_settings(), tor_sources)
    if as_json:
        print(json.dumps(data, indent=2))
    else:
        print_status(data, out)
    sys.exit(0 if data["ready"] else 1)


@tor.command("newnym")
def tor_newnym() -> None:
    """New circuits for new requests on every Tor instance, waiting out Tor's rate limit (about 10 s)."""
    from crawlers.tor.control import TorControl, TorPool
    from crawlers.tor.report import project_settings

    for instance in TorPool.from_settings(project_settings()).instances:
        control = TorControl(instance)
        try:
            waited = control.new_identity(wait=True)
        finally:
            control.close()
        out.print(f"instance {instance.index}: NEWNYM sent (waited {waited:.1f}s for the rate limit)")


# --- search ----------------------------------------------------------------------------
@main.command()
@click.argument("query")
@click.option("--source", "sources_", multiple=True, help="Only these sources (repeatable).")
@click.option("--kind", type=click.Choice(["listing", "post", "vendor"]), multiple=True)
@click.option("--from", "date_from", callback=_iso_day, help="Observed on or after YYYY-MM-DD.")
@click.option("--to", "date_to", callback=_iso_day, help="Observed on or before YYYY-MM-DD.")
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE", help="Keyword filter (repeatable).")
@click.option("--facet", multiple=True, help="Count values of this field (repeatable).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 10_000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True, help='Print {"total", "hits", "facets"} as JSON.')
@_db_option
def search(query: str, sources_: tuple[str, ...], kind: tuple[str, ...], date_from: str | None,
           date_to: str | None, filters: tuple[str, ...], facet: tuple[str, ...], limit: int, offset: int,
           as_json: bool, db: str) -> None:  # fmt: skip
    """Full-text search over what was crawled; "*" matches everything."""
    from npswatch.report import print_hits
    from storage import open_storage
    from storage.base import SearchQuery, StorageError

    parsed: dict[str, list[str]] = {}
    for item in filters:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected FIELD=VALUE, found {item!r}", param_hint="--filter")
        parsed.setdefault(name, []).append(value)
    query_ = SearchQuery(text=query, kinds=kind, sources=sources_, filters=parsed, facets=facet, limit=limit,
                         offset=offset, date_from=_day(date_from), date_to=_day(date_to))  # fmt: skip
    try:
        store = open_storage(db)
        try:
            result = store.search(query_)
        finally:
            store.close()
    except StorageError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
    if as_json:
        out.print_json(json.dumps(result.to_json(), ensure_ascii=False, default=str))
    else:
        print_hits(result, out)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@main.command()
@click.argument("doc_id")
@_db_option
def show(doc_id: str, db: str) -> None:
    """One stored document with its observation history (prices per day, WARC record)."""
    from npswatch.report import print_document
    from storage import open_storage

    store = open_storage(db)
    try:
        doc = store.get(doc_id)
        if doc is None:
            console.print(f"no document with id {escape(doc_id)}")
            sys.exit(1)
        print_document(doc, store.history(doc_id), out)
    finally:
        store.close()


# --- demo ------------------------------------------------------------------------------
@main.command("demo-sites")
@click.option("--site", "sites", multiple=True, help="Serve only these sites (repeatable).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--free-ports", is_flag=True, help="Pick free ports instead of the defaults (8701-8705).")
@click.option("--json", "as_json", is_flag=True, help="Print the site URLs as one JSON line.")
def demo_sites(sites: tuple[str, ...], host: str, free_ports: bool, as_json: bool) -> None:
    """Serve the local demo sites (markets, forums, shop) until interrupted."""
    import signal
    import threading

    from demosites.server import DemoSites

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with DemoSites(sites=sites or None, host=host, free_ports=free_ports) as running:
        if as_json:
            print(json.dumps(running.urls), flush=True)
        else:
            for name, url in running.urls.items():
                out.print(f"{name:16} {url}")
            out.print("Ctrl-C to stop.")
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


@main.command()
@click.option("--days", default=None, type=click.IntRange(1, 365), help="Simulated days to crawl (default: all).")
@click.option("--step", default=1, show_default=True, type=click.IntRange(1, 30), help="Crawl every Nth day.")
@_db_option
def demo(days: int | None, step: int, db: str) -> None:
    """Serve the demo sites and crawl every demo source over the simulated days."""
    from npswatch.demo import run_demo

    sys.exit(run_demo(db, days, step, out))


if __name__ == "__main__":
    main()
