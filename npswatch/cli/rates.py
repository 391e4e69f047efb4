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
        fail(f"could not update the rates: {exc}", 2)
    console.print(f"wrote {escape(str(target))}")
    for line in describe(rows):
        console.print(escape(line))
