"""``npswatch search``, ``show`` and ``trend``: what was crawled, and how it is shown (crawled text escaped)."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from npswatch.cli.common import as_date, console, observation_filters, opened, out, store_option
from storage.base import Observation, SearchResult

MAX_OFFSET = 1_000_000_000  # hits to skip at most (SQLite takes no more than a 64-bit integer)


def _title(hit: dict[str, Any]) -> str:
    return str(hit.get("title") or hit.get("thread_title") or hit.get("name") or "")


def print_hits(result: SearchResult, printer: Console) -> None:
    table = Table("kind", "source", "title", "last seen", "id", title=f"{result.total} hit(s)")
    for hit in result.hits:
        table.add_row(hit.get("kind", ""), escape(hit.get("source", "")), escape(_title(hit)[:80]),
                      str(hit.get("last_seen", ""))[:10], hit.get("id", ""))  # fmt: skip
    printer.print(table)
    for name, counts in result.facets.items():
        facet = Table(escape(name), "count")
        for value, count in counts.items():
            facet.add_row(escape(value), str(count))
        printer.print(facet)


def print_document(doc: dict[str, Any], history: list[Observation], printer: Console) -> None:
    printer.print(f"[bold]{escape(_title(doc))}[/bold]  ({doc.get('kind')} {doc.get('id')})")
    for key in ("source", "market", "forum", "vendor", "url", "first_seen", "last_seen"):
        if doc.get(key):
            printer.print(f"  {key}: {escape(str(doc[key]))}")
    table = Table("day", "prices", "WARC record", title="observations")
    for obs in history:
        prices = "; ".join(f"{p.get('quantity') or ''} {p['amount']} {p['currency']}".strip() for p in obs.prices)
        table.add_row(obs.day.isoformat(), escape(prices), obs.warc_record_id or "")
    printer.print(table)


@click.command()
@click.argument("query")
@observation_filters("Keyword filter (repeatable).")
@click.option("--kind", type=click.Choice(["listing", "post", "vendor"]), multiple=True)
@click.option("--facet", multiple=True, help="Count values of this field (repeatable).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(0, 10_000))
@click.option("--offset", default=0, type=click.IntRange(0, MAX_OFFSET))
@click.option("--json", "as_json", is_flag=True, help='Print {"total", "hits", "facets"} as JSON.')
@store_option
def search(query: str, sources_: tuple[str, ...], kind: tuple[str, ...], date_from: str | None,
           date_to: str | None, filters: dict[str, list[str]], facet: tuple[str, ...], limit: int, offset: int,
           as_json: bool, db: str) -> None:  # fmt: skip
    """Full-text search over what was crawled; "*" matches everything."""
    from storage.base import SearchQuery

    query_ = SearchQuery(text=query, kinds=kind, sources=sources_, filters=filters, facets=facet, limit=limit,
                         offset=offset, date_from=as_date(date_from), date_to=as_date(date_to))  # fmt: skip
    with opened(db) as store:
        result = store.search(query_)
    if as_json:
        out.print_json(json.dumps(result.to_json(), ensure_ascii=False, default=str))
    else:
        print_hits(result, out)




@click.command()
@click.argument("doc_id")
@store_option
def show(doc_id: str, db: str) -> None:
    """One stored document with its observation history (prices per day, WARC record)."""
    with opened(db) as store:
        doc = store.get(doc_id)
        history = store.history(doc_id) if doc is not None else []
    if doc is None:
        console.print(f"no document with id {escape(doc_id)}")
        sys.exit(1)
    print_document(doc, history, out)


@click.command()
@click.option("--by", default="substance", show_default=True, help="Split by this field (or 'none').")
@click.option("--interval", type=click.Choice(["day", "week"]), default="week", show_default=True)
@click.option("--kind", "kinds", multiple=True, default=["listing"], show_default=True)
@observation_filters("Trend field filter (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the buckets as JSON.")
@store_option
def trend(by: str, interval: str, kinds: tuple[str, ...], sources_: tuple[str, ...], date_from: str | None,
          date_to: str | None, filters: dict[str, list[str]], as_json: bool, db: str) -> None:  # fmt: skip
    """Documents observed per day or week, split by a field, with EUR-per-gram percentiles."""
    from storage.base import TrendQuery

    query = TrendQuery(by=None if by == "none" else by, interval=interval, kinds=kinds, sources=sources_,
                       filters=filters, date_from=as_date(date_from), date_to=as_date(date_to))  # fmt: skip
    with opened(db) as store:
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
