"""``npswatch extract``: extraction over JSON Lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from npswatch.cli.common import console, fail


@click.command()
@click.option("--in", "infile", type=click.Path(dir_okay=False, path_type=Path), help="JSONL input (default stdin).")
@click.option("--out", "outfile", type=click.Path(dir_okay=False, path_type=Path), help="JSONL output (stdout).")
@click.option("--rates", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Exchange rates CSV (date,currency,eur_per_unit) instead of the table crawls use.")  # fmt: skip
@click.option("--recogniser/--no-recogniser", default=None,
              help="Run the trained recogniser beside the rules, or the rules only "
                   "(default: NPSWATCH_RECOGNISER, on).")  # fmt: skip
def extract(infile: Path | None, outfile: Path | None, rates: Path | None, recogniser: bool | None) -> None:
    """Extract substances, offers, doses, routes and effects from JSONL lines {"id", "text", "lang"?}.

    Writes one JSON line per input line, in input order (docs/extraction.md); a line that
    cannot be read gives an error line naming its number.
    """
    import nlp
    from nlp.errors import NlpError
    from npswatch import settings
    from pipelines.enrich import rates_file

    model = settings.recogniser() if recogniser is None else recogniser
    try:
        errors = nlp.cli_extract(infile, outfile, progress=sys.stderr.isatty(), rates_file=rates or rates_file(),
                                 recogniser=model)  # fmt: skip
    except NlpError as exc:
        fail(exc, 2)
    if errors:
        console.print(f"{errors} input line(s) could not be read: see the error lines in the output")
