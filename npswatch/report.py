"""How the CLI shows search hits and documents.  Crawled text is escaped for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storage.base import Observation, SearchResult


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
