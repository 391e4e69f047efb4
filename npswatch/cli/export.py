"""``npswatch export``: a pseudonymised research corpus, as a dataset directory with its card.

The CLI is an operator's tool: whoever runs it can read the store and the WARC files anyway, so it exports with the
``operator`` role, which may add the evidence package (``--with-evidence``).  The workbench calls
``exports.corpus.export_corpus`` with its user's role instead, and researchers are refused the evidence there.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from npswatch.cli.common import as_date, console, fail, iso_day, opened, out, require_store, store_option


@click.command()
@click.argument("query", default="*")
@click.option(
    "--out",
    "outdir",
    required=True,
    type=click.Path(path_type=Path),
    help="Directory to write: README.md (dataset card), manifest.json, data/<kind>s.<format>.",
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "parquet", "csv"]), default="jsonl", show_default=True)
@click.option("--source", "sources_", multiple=True, help="Only these sources (repeatable).")
@click.option("--kind", type=click.Choice(["listing", "post", "vendor"]), multiple=True)
@click.option("--from", "date_from", callback=iso_day, help="Observed on or after YYYY-MM-DD.")
@click.option("--to", "date_to", callback=iso_day, help="Observed on or before YYYY-MM-DD.")
@click.option("--history", is_flag=True, help="Add each document's observations (day, prices).")
@click.option(
    "--link-sources",
    is_flag=True,
    help="One pseudonym per name across sources (follows vendors between markets; easier to re-identify).",
)
@click.option(
    "--with-evidence",
    is_flag=True,
    help="Add evidence.wacz: the archived pages behind the rows, NOT pseudonymised (never give it to researchers).",
)
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the WARC files are (default: <NPSWATCH_DATA_DIR or var>/warc).")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace OUT when it exists (never the store).")
@store_option
def export(query: str, outdir: Path, fmt: str, sources_: tuple[str, ...], kind: tuple[str, ...],
           date_from: str | None, date_to: str | None, history: bool, link_sources: bool, with_evidence: bool,
           warc_dir: Path | None, force: bool, db: str) -> None:  # fmt: skip
    """Export a pseudonymised research corpus: the documents QUERY selects ("*": all), vendors and forum users
    replaced by keyed pseudonyms (key in NPSWATCH_PSEUDONYM_KEY), contacts removed. See docs/export.md."""
    from exports.corpus import export_corpus
    from exports.evidence import EvidenceError
    from exports.pseudonymise import Pseudonymiser, PseudonymKeyError, key_from_environment
    from npswatch.settings import data_dir
    from storage.base import SearchQuery
    from storage.outputs import OutputError, check_target, store_paths

    require_store(db)  # before the output check: a mistyped --db is the first thing to say
    protected = store_paths(db)
    try:
        check_target(outdir, force, protected, parents=True)  # before the key check's work and the store scan
        pseudonymiser = Pseudonymiser(key_from_environment(), link_sources=link_sources)
    except (PseudonymKeyError, OutputError) as exc:
        fail(exc, 2)
    query_ = SearchQuery(text=query, kinds=kind, sources=sources_, date_from=as_date(date_from),
                         date_to=as_date(date_to))  # fmt: skip
    with opened(db) as store, click.progressbar(length=0, label="exporting", file=sys.stderr) as bar:

        def step(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            result = export_corpus(store, query_, outdir, pseudonymiser, fmt=fmt, history=history,
                                   evidence=with_evidence, role="operator", warc_dir=warc_dir or data_dir() / "warc",
                                   force=force, protected=protected, progress=step)  # fmt: skip
        except (OutputError, EvidenceError) as exc:
            fail(exc, 2)
    kinds = ", ".join(f"{n} {k}s" for k, n in sorted(result.by_kind.items())) or "nothing"
    replaced = ", ".join(f"{k} {n}" for k, n in sorted(result.replaced.items())) or "nothing"
    out.print(f"exported {result.documents} documents ({kinds}) as {fmt} to {escape(str(result.path))}")
    out.print(f"replaced: {replaced}")
    if result.evidence is not None:
        out.print(f"evidence: {result.evidence_records} WARC records in {escape(str(result.evidence))} "
                  "(NOT pseudonymised)")  # fmt: skip
        if result.evidence_missing:
            console.print(f"[yellow]warning:[/yellow] {result.evidence_missing} WARC record(s) named by the rows were "
                          f"not found under the WARC directory")  # fmt: skip
    out.print(f"dataset card: {escape(str(result.path / 'README.md'))}")
