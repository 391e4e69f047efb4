"""``npswatch extract``: extraction over JSON Lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from npswatch.cli.common import console, fail


@click.command()
@click.option("--in", "infile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSONL input (default stdin).")  # fmt: skip
@click.option(
    "--out",
    "outfile",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL output (default stdout); never over an existing file without --force, never over --in.",
)
@click.option("--force", is_flag=True, help="Replace --out when it exists.")
@click.option("--rates", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Exchange rates CSV (date,currency,eur_per_unit) instead of the table crawls use.")  # fmt: skip
@click.option("--recogniser/--no-recogniser", default=None,
              help="Run the trained recogniser beside the rules, or the rules only "
                   "(default: NPSWATCH_RECOGNISER, on).")  # fmt: skip
def extract(
    infile: Path | None, outfile: Path | None, force: bool, rates: Path | None, recogniser: bool | None
) -> None:
    """Extract substances, offers, doses, routes and effects from JSONL lines {"id", "text", "lang"?}.

    Writes one JSON line per input line, in input order (docs/extraction.md); a line that
    cannot be read gives an error line naming its number.  --out is written in full or not at all.
    """
    import nlp
    from nlp.errors import NlpError
    from npswatch import settings
    from pipelines.enrich import rates_file
    from storage.outputs import OutputError, check_target, staged_file, store_paths

    model = settings.recogniser() if recogniser is None else recogniser
    table = rates or rates_file()
    protected = [*(p for p in (infile, table) if p is not None), *store_paths()]
    try:
        if outfile is None:
            errors = nlp.cli_extract(infile, None, progress=sys.stderr.isatty(), rates_file=table, recogniser=model)
        else:
            check_target(outfile, force, protected)  # before the pipeline loads: seconds
            with staged_file(outfile, force, protected) as stream:
                errors = nlp.cli_extract(infile, stream, progress=sys.stderr.isatty(), rates_file=table,
                                         recogniser=model)  # fmt: skip
    except (NlpError, OutputError) as exc:
        fail(exc, 2)
    except OSError as exc:  # a file that cannot be read or written (a full disk): the message names it
        fail(exc, 1)
    if errors:
        console.print(f"{errors} input line(s) could not be read: see the error lines in the output")
