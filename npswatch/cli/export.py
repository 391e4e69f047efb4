"""``npswatch export``: a pseudonymised research corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from npswatch.cli.common import as_date, fail, iso_day, opened, out, store_option


@click.command()
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
@click.option("--from", "date_from", callback=iso_day, help="Observed on or after YYYY-MM-DD.")
@click.option("--to", "date_to", callback=iso_day, help="Observed on or before YYYY-MM-DD.")
@click.option("--history", is_flag=True, help="Add each document's observations (day, prices, WARC record).")
@click.option(
    "--link-sources",
    is_flag=True,
    help="One pseudonym per name across sources (follows vendors between markets; easier to re-identify).",
)
@store_option
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
        fail(exc, 2)
    query_ = SearchQuery(text=query, kinds=kind, sources=sources_, date_from=as_date(date_from),
                         date_to=as_date(date_to))  # fmt: skip
    with opened(db) as store, click.progressbar(length=0, label="exporting", file=sys.stderr) as bar:

        def step(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        result = export_corpus(store, query_, outfile, pseudonymiser, history=history, progress=step)
    kinds = ", ".join(f"{n} {k}s" for k, n in sorted(result.by_kind.items())) or "nothing"
    replaced = ", ".join(f"{k} {n}" for k, n in sorted(result.replaced.items())) or "nothing"
    out.print(f"exported {result.documents} documents ({kinds}) to {escape(str(result.path))}")
    out.print(f"replaced: {replaced}")
    out.print(f"manifest: {escape(str(result.manifest))}")
