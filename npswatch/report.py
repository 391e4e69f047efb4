"""How the CLI shows crawl reports, search hits and documents.  Crawled text is escaped for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from npswatch.crawl import CrawlReport
from storage.base import Observation, SearchResult

_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def print_report(report: CrawlReport, console: Console = _err) -> None:
    """A crawl's summary: pages, items, what the store did, drops, refusals and errors."""
    status = "[green]ok[/green]" if report.ok else "[red]FAILED[/red]"
    day = f" as of {report.as_of}" if report.as_of else ""
    console.print(f"{status} {escape(report.source)}{day}: {report.pages} pages in {report.seconds:.1f}s")
    console.print(f"  items: {_pairs(report.items)}; store: {_pairs(report.store)}")
    if report.dropped:
        console.print(f"  dropped or incomplete: {escape(_pairs(report.dropped))}")
    if report.refused:
        console.print(f"  refused requests: {_pairs(report.refused)}")
    if report.walls:
        console.print(f"  [yellow]walls (not parsed): {_pairs(report.walls)}[/yellow]")
    bad_status = {k: v for k, v in report.http_status.items() if not k.startswith(("2", "3"))}
    if bad_status:
        console.print(f"  HTTP errors: {_pairs(bad_status)}")
    lost, kept = report.delivery.get("lost", 0), report.delivery.get("dead_lettered", 0)
    if lost or kept or report.write_errors:
        console.print(f"  [red]{lost + kept} of {sum(report.delivery.values())} item(s) not stored: {lost} lost, "
                      f"{kept} recoverable{_kept_in(report.dead_letter_files)}; write errors: "
                      f"{_pairs(report.write_errors)}[/red]")  # fmt: skip
    if report.finish_reason != "finished":
        console.print(f"  [red]stopped before the end (finish reason {escape(report.finish_reason)})[/red]")
    elif report.errors or (not report.ok and not (lost or kept or report.write_errors)):
        console.print(f"  [red]errors: {escape(_pairs(report.errors))}; finish reason {report.finish_reason}[/red]")


def _kept_in(files: dict[str, int]) -> str:
    if not files:
        return ""
    where = ", ".join(f"{n} in {escape(path)}" for path, n in files.items())
    return f" ({where}; `npswatch index replay FILE` writes them to the store)"


def _title(hit: dict[str, Any]) -> str:
    return str(hit.get("title") or hit.get("thread_title") or hit.get("name") or "")


def print_hits(result: SearchResult, console: Console) -> None:
    table = Table("kind", "source", "title", "last seen", "id", title=f"{result.total} hit(s)")
    for hit in result.hits:
        table.add_row(hit.get("kind", ""), escape(hit.get("source", "")), escape(_title(hit)[:80]),
                      str(hit.get("last_seen", ""))[:10], hit.get("id", ""))  # fmt: skip
    console.print(table)
    for name, counts in result.facets.items():
        facet = Table(escape(name), "count")
        for value, count in counts.items():
            facet.add_row(escape(value), str(count))
        console.print(facet)


def print_document(doc: dict[str, Any], history: list[Observation], console: Console) -> None:
    console.print(f"[bold]{escape(_title(doc))}[/bold]  ({doc.get('kind')} {doc.get('id')})")
    for key in ("source", "market", "forum", "vendor", "url", "first_seen", "last_seen"):
        if doc.get(key):
            console.print(f"  {key}: {escape(str(doc[key]))}")
    table = Table("day", "prices", "WARC record", title="observations")
    for obs in history:
        prices = "; ".join(f"{p.get('quantity') or ''} {p['amount']} {p['currency']}".strip() for p in obs.prices)
        table.add_row(obs.day.isoformat(), escape(prices), obs.warc_record_id or "")
    console.print(table)
