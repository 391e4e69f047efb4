"""``npswatch rates update``: the exchange-rate table crawls and ``npswatch extract`` convert prices with."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from npswatch.cli.common import console, fail


@click.group()
def rates() -> None:
    """Exchange rates to EUR (docs/extraction.md#exchange-rates)."""


@rates.command("update")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Table to write (default: $NPSWATCH_RATES_FILE, else <data dir>/rates.csv, updated in place); "
              "another existing file is replaced only with --force.")  # fmt: skip
@click.option("--force", is_flag=True, help="Replace --out when it exists and is not the table in use.")
@click.option("--ecb-url", default=None, help="The ECB's eurofxref-hist.zip (default: the ECB's own URL).")
@click.option("--crypto-url", default=None, help="CoinGecko market_chart URL with {id} (default: CoinGecko's API).")
def rates_update(out: Path | None, force: bool, ecb_url: str | None, crypto_url: str | None) -> None:
    """Fetch the ECB's euro reference rates and daily crypto prices; merge them into the table crawls use.

    The table in use is updated in place (its rows kept, new ones merged in, written in full or not at all): that
    is what the command is for.  --out another file writes the merged table there instead, and replaces an
    existing file only with --force; never the store.
    """
    from nlp.errors import NlpError
    from nlp.rates_update import COINGECKO_URL, ECB_URL, describe, fetch_and_update
    from pipelines.enrich import rates_file, rates_update_target
    from storage.outputs import OutputError, check_target, store_paths

    target, base = out or rates_update_target(), rates_file()
    try:
        check_target(target, force or target.resolve() == base.resolve(), store_paths(), parents=True)
    except OutputError as exc:
        fail(exc, 2)
    try:
        rows = fetch_and_update(target, base, ecb_url or ECB_URL, crypto_url or COINGECKO_URL)
    except (OSError, NlpError) as exc:
        fail(f"could not update the rates: {exc}", 2)
    console.print(f"wrote {escape(str(target))}")
    for line in describe(rows):
        console.print(escape(line))
