"""The ``npswatch`` command: every entry point of the project.

Exit codes: 0 success, 1 a crawl or operation failed, 2 bad input (a source file,
an argument).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from alerts.cli import signals as signals_group
from crawlers.config import SourceError, find_source, iter_sources, source_files
from npswatch.options import day_option_value, db_option
from storage import data_dir

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)  # logs: no 80-col cut


_db_option = db_option(
    "Storage target: a SQLite file or a cluster URL, e.g. elasticsearch+https://host:9200 (env NPSWATCH_DB)."
)


def _iso_day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    day = day_option_value(ctx, param, value)
    return day.isoformat() if day else None


def _field_filters(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, list[str]]:
    """Repeated ``--filter FIELD=VALUE`` options as {field: [values]}."""
    parsed: dict[str, list[str]] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected FIELD=VALUE, found {item!r}", param_hint="--filter")
        parsed.setdefault(name, []).append(value)
    return parsed


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _observation_filters(filter_help: str) -> Callable[[_Command], _Command]:
    """``--source``, ``--from``, ``--to`` and ``--filter FIELD=VALUE``: what `search` and `trend` narrow by."""
    options = [
        click.option("--source", "sources_", multiple=True, help="Only these sources (repeatable)."),
        click.option("--from", "date_from", callback=_iso_day, help="Observed on or after YYYY-MM-DD."),
        click.option("--to", "date_to", callback=_iso_day, help="Observed on or before YYYY-MM-DD."),
        click.option(
            "--filter", "filters", multiple=True, metavar="FIELD=VALUE", callback=_field_filters, help=filter_help
        ),
    ]

    def apply(command: _Command) -> _Command:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


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


# --- scheduler and source health ---------------------------------------------------------
@main.command()
@click.option("--as-of", callback=_iso_day, help="Demo: crawl the demo sites as of this day YYYY-MM-DD.")
@click.option("--db", envvar="NPSWATCH_DB", default=None, help="Storage target passed to every crawl.")
@click.option("--log-level", default="INFO", show_default=True)
def schedule(as_of: str | None, db: str | None, log_level: str) -> None:
    """Run every source on its schedule in the foreground (same as `python scheduler.py`); Ctrl-C stops."""
    from scheduler import serve

    sys.exit(serve(as_of=as_of, db=db, log_level=log_level))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Every source: last run and its result, next run, health (docs/scheduler.md)."""
    from health.status import collect_status

    data = collect_status(data_dir())
    if as_json:
        print(json.dumps(data, indent=2, default=str))
        return
    table = Table("source", "schedule", "last run", "result", "pages", "items", "errors", "next run", "health")
    for row in data:
        if not row["valid"]:
            table.add_row(escape(row["source"]), "[red]invalid[/red]", "", "", "", "", "", "", escape(row["problem"]))
            continue
        last = row["last_run"] or {}
        health = row["health"] + (f" since {row['health_since'][:16]}" if row["health_since"] else "")
        table.add_row(row["source"], row["schedule"], (last.get("started") or "never")[:16], last.get("result", ""),
                      str(last.get("pages", "")), str(last.get("items", "")), str(last.get("errors", "")),
                      (row["next_run"] or "not scheduled")[:16], escape(health))  # fmt: skip
    out.print(table)
    for row in data:
        if row["valid"] and row["health"] not in ("ok", "unknown", "not checked"):
            out.print(escape(row["health_detail"] or ""))


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
@_observation_filters("Keyword filter (repeatable).")
@click.option("--kind", type=click.Choice(["listing", "post", "vendor"]), multiple=True)
@click.option("--facet", multiple=True, help="Count values of this field (repeatable).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 10_000))
@click.option("--offset", default=0, type=click.IntRange(0))
@click.option("--json", "as_json", is_flag=True, help='Print {"total", "hits", "facets"} as JSON.')
@_db_option
def search(query: str, sources_: tuple[str, ...], kind: tuple[str, ...], date_from: str | None,
           date_to: str | None, filters: dict[str, list[str]], facet: tuple[str, ...], limit: int, offset: int,
           as_json: bool, db: str) -> None:  # fmt: skip
    """Full-text search over what was crawled; "*" matches everything."""
    from npswatch.report import print_hits
    from storage.base import SearchQuery

    query_ = SearchQuery(text=query, kinds=kind, sources=sources_, filters=filters, facets=facet, limit=limit,
                         offset=offset, date_from=_day(date_from), date_to=_day(date_to))  # fmt: skip
    with _opened(db) as store:
        result = store.search(query_)
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


# --- export ----------------------------------------------------------------------------
@main.command()
@click.argument("query", default="*")
@click.option(
    "--out",
    "outfile",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON Lines file to write (gzip when it ends in .gz); a manifest is written beside it.",
)
@click.option("--source", "sources_", multiple=True, help="Only these sources (repeatable).")
@click.option("--kind", type=click.Choice(["listing", "post", "vendor"]), multiple=True)
@click.option("--from", "date_from", callback=_iso_day, help="Observed on or after YYYY-MM-DD.")
@click.option("--to", "date_to", callback=_iso_day, help="Observed on or before YYYY-MM-DD.")
@click.option("--history", is_flag=True, help="Add each document's observations (day, prices, WARC record).")
@click.option(
    "--link-sources",
    is_flag=True,
    help="One pseudonym per name across sources (follows vendors between markets; easier to re-identify).",
)
@_db_option
def export(query: str, outfile: Path, sources_: tuple[str, ...], kind: tuple[str, ...], date_from: str | None,
           date_to: str | None, history: bool, link_sources: bool, db: str) -> None:  # fmt: skip
    """Export a pseudonymised research corpus: the documents QUERY selects ("*": all), vendors and forum users
    replaced by keyed pseudonyms (key in NPSWATCH_PSEUDONYM_KEY), contacts removed. See docs/export.md."""
    from exports.corpus import export_corpus
    from exports.pseudonymise import Pseudonymiser, PseudonymKeyError, key_from_environment
    from storage.base import SearchQuery

    try:
        pseudonymiser = Pseudonymiser(key_from_environment(), link_sources=link_sources)
    except PseudonymKeyError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
    query_ = SearchQuery(text=query, kinds=kind, sources=sources_, date_from=_day(date_from), date_to=_day(date_to))
    with _opened(db) as store, click.progressbar(length=0, label="exporting", file=sys.stderr) as bar:

        def step(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        result = export_corpus(store, query_, outfile, pseudonymiser, history=history, progress=step)
    kinds = ", ".join(f"{n} {k}s" for k, n in sorted(result.by_kind.items())) or "nothing"
    replaced = ", ".join(f"{k} {n}" for k, n in sorted(result.replaced.items())) or "nothing"
    out.print(f"exported {result.documents} documents ({kinds}) to {escape(str(result.path))}")
    out.print(f"replaced: {replaced}")
    out.print(f"manifest: {escape(str(result.manifest))}")


# --- extract ---------------------------------------------------------------------------
@main.command()
@click.option("--in", "infile", type=click.Path(dir_okay=False, path_type=Path), help="JSONL input (default stdin).")
@click.option("--out", "outfile", type=click.Path(dir_okay=False, path_type=Path), help="JSONL output (stdout).")
@click.option("--rates", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Exchange rates CSV (date,currency,eur_per_unit) instead of the table crawls use.")  # fmt: skip
def extract(infile: Path | None, outfile: Path | None, rates: Path | None) -> None:
    """Extract substances, offers, doses, routes and effects from JSONL lines {"id", "text", "lang"?}.

    Writes one JSON line per input line, in input order (docs/extraction.md); a line that
    cannot be read gives an error line naming its number.
    """
    import nlp
    from nlp.errors import NlpError
    from pipelines.enrich import rates_file

    try:
        errors = nlp.cli_extract(infile, outfile, progress=sys.stderr.isatty(), rates_file=rates or rates_file())
    except NlpError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
    if errors:
        console.print(f"{errors} input line(s) could not be read: see the error lines in the output")


# --- rates -----------------------------------------------------------------------------
@main.group()
def rates() -> None:
    """Exchange rates to EUR (docs/extraction.md#exchange-rates)."""


@rates.command("update")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Table to write (default: $NPSWATCH_RATES_FILE, else <data dir>/rates.csv).")  # fmt: skip
@click.option("--ecb-url", default=None, help="The ECB's eurofxref-hist.zip (default: the ECB's own URL).")
@click.option("--crypto-url", default=None, help="CoinGecko market_chart URL with {id} (default: CoinGecko's API).")
def rates_update(out: Path | None, ecb_url: str | None, crypto_url: str | None) -> None:
    """Fetch the ECB's euro reference rates and daily crypto prices; merge them into the table crawls use."""
    from nlp.errors import NlpError
    from nlp.rates_update import COINGECKO_URL, ECB_URL, describe, fetch_and_update
    from pipelines.enrich import rates_file, rates_update_target

    target = out or rates_update_target()
    try:
        rows = fetch_and_update(target, rates_file(), ecb_url or ECB_URL, crypto_url or COINGECKO_URL)
    except (OSError, NlpError) as exc:
        console.print(f"[red]error:[/red] could not update the rates: {escape(str(exc))}")
        sys.exit(2)
    console.print(f"wrote {escape(str(target))}")
    for line in describe(rows):
        console.print(escape(line))


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


# --- search cluster --------------------------------------------------------------------
@main.group()
def index() -> None:
    """Search-cluster indices: create or migrate them, copy a store in, show their state, replay dead letters
    (docs/search-cluster.md).

    The target is --db / NPSWATCH_DB, e.g. elasticsearch+https://localhost:9200 (credentials in
    NPSWATCH_ES_USERNAME / NPSWATCH_ES_PASSWORD or NPSWATCH_ES_API_KEY, CA file in NPSWATCH_ES_CA_FILE).
    """


def _open_or_exit(target: str) -> Any:
    from storage import open_storage
    from storage.base import StorageError, StorageUnavailable

    try:
        return open_storage(target)
    except StorageUnavailable as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)
    except StorageError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)


@contextlib.contextmanager
def _opened(target: str, failed: int = 2) -> Iterator[Any]:
    """The store at ``target``, closed afterwards; a storage error is printed and exits with ``failed`` (1 when the
    store cannot be reached)."""
    from storage.base import StorageError, StorageUnavailable

    store = _open_or_exit(target)
    try:
        yield store
    except StorageError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1 if isinstance(exc, StorageUnavailable) else failed)
    finally:
        store.close()


def _cluster_or_exit(target: str) -> Any:
    """The cluster at ``target``, connected but with its indices untouched (``migrate`` reports what it does)."""
    from storage.base import StorageError, StorageUnavailable
    from storage.cluster import ClusterStorage, is_cluster_target, parse_target

    if not is_cluster_target(target):
        console.print(f"[red]error:[/red] {escape(target)} is not a cluster target; expected "
                      "elasticsearch+https://host:9200 or opensearch+http://host:9200 (the embedded store "
                      "migrates itself)")  # fmt: skip
        sys.exit(2)
    try:
        return ClusterStorage(parse_target(target), ensure_indices=False)
    except StorageError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1 if isinstance(exc, StorageUnavailable) else 2)


@index.command("migrate")
@_db_option
def index_migrate(db: str) -> None:
    """Put the reviewed templates, create missing indices, reindex an alias onto a new mapping version."""
    from storage.base import StorageError
    from storage.cluster.indices import migrate

    store = _cluster_or_exit(db)
    try:
        for line in migrate(store.client, store.config.prefix):
            out.print(escape(line))
    except StorageError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)
    finally:
        store.close()


@index.command("reindex")
@click.option("--from", "source", required=True, help="The store to copy from: a SQLite file or a cluster URL.")
@_db_option
def index_reindex(source: str, db: str) -> None:
    """Copy every document with its observation history from --from into --db (idempotent)."""
    from storage.base import StorageError
    from storage.cluster.copy import copy_store

    origin, target = _open_or_exit(source), _open_or_exit(db)
    try:
        result = copy_store(origin, target, progress=lambda n: console.print(f"{n} document(s) copied"))
    except StorageError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)
    finally:
        origin.close()
        target.close()
    out.print(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
              f"new observation days {result.observations}")  # fmt: skip


@index.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@_db_option
def index_stats(as_json: bool, db: str) -> None:
    """Documents per kind and source; for a cluster also each alias, its index, version and size."""
    store = _open_or_exit(db)
    try:
        data: dict[str, Any] = {"target": db, **store.stats()}
        if hasattr(store, "index_stats"):
            data["indices"] = store.index_stats()
            data["server_version"] = store.version
    finally:
        store.close()
    if as_json:
        print(json.dumps(data, indent=2))
        return
    for name in ("kind", "source"):
        out.print(f"{name}: " + (", ".join(f"{k} {v}" for k, v in data[name].items()) or "none"))
    for alias, info in data.get("indices", {}).items():
        out.print(f"{alias} -> {info.get('index')}: {info.get('documents', 0)} documents, {info.get('bytes', 0)} "
                  f"bytes (reviewed mapping version {info.get('reviewed_version')})")  # fmt: skip


@index.command("replay")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_db_option
def index_replay(file: Path | None, as_json: bool, db: str) -> None:
    """Write the dead-lettered documents of FILE to --db again (idempotent); what fails again stays in FILE.

    FILE defaults to <NPSWATCH_DATA_DIR>/dead-letter/store.jsonl, where a crawl keeps what the store refused
    or could not reach.  Exit code 1 when anything was kept.
    """
    from storage.deadletter import default_path, replay

    path = file or default_path()
    with _opened(db, failed=1) as store:
        report = replay(path, store)
    if as_json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        stored, kept = report.stored, sum(report.kept.values())
        out.print(f"{escape(str(path))}: {report.read} dead letter(s) read, {report.replayed} written (created "
                  f"{stored.created}, updated {stored.updated}, unchanged {stored.unchanged}), {kept} kept"
                  + "".join(f"; {reason} {n}" for reason, n in sorted(report.kept.items())))  # fmt: skip
        if report.last_error:
            console.print(f"last error: {escape(report.last_error)}")
    sys.exit(1 if report.kept else 0)


@main.command()
@click.option("--by", default="substance", show_default=True, help="Split by this field (or 'none').")
@click.option("--interval", type=click.Choice(["day", "week"]), default="week", show_default=True)
@click.option("--kind", "kinds", multiple=True, default=["listing"], show_default=True)
@_observation_filters("Trend field filter (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the buckets as JSON.")
@_db_option
def trend(by: str, interval: str, kinds: tuple[str, ...], sources_: tuple[str, ...], date_from: str | None,
          date_to: str | None, filters: dict[str, list[str]], as_json: bool, db: str) -> None:  # fmt: skip
    """Documents observed per day or week, split by a field, with EUR-per-gram percentiles."""
    from storage.base import TrendQuery

    query = TrendQuery(by=None if by == "none" else by, interval=interval, kinds=kinds, sources=sources_,
                       filters=filters, date_from=_day(date_from), date_to=_day(date_to))  # fmt: skip
    with _opened(db) as store:
        buckets = store.trend(query)
    if as_json:
        print(json.dumps([b.to_json() for b in buckets], indent=2, ensure_ascii=False))
        return
    table = Table("period", by, "observations", "documents", "EUR/g p25", "p50", "p75")
    for b in buckets:
        p = b.eur_per_gram
        table.add_row(b.period.isoformat(), escape(b.key or ""), str(b.observations), str(b.documents),
                      *(f"{p[k]:.2f}" if k in p else "" for k in ("25.0", "50.0", "75.0")))  # fmt: skip
    out.print(table)


# --- signals ---------------------------------------------------------------------------
main.add_command(signals_group)  # npswatch signals run|list|show|ack|dismiss|backtest (alerts/cli.py)

if __name__ == "__main__":
    main()
