"""Dated rates from public sources: the ECB's eurofxref-hist and CoinGecko's daily prices, parsed in their published
formats, fetched from a local HTTP server standing in for them, and merged into a table that extraction uses."""

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

import nlp
from nlp.errors import RatesError
from nlp.rates import load_rates
from nlp.rates_update import fetch_and_update, parse_coingecko, parse_ecb, read_rows
from tests.httpsite import Route, serve

# the ECB's layout (units per euro, a trailing comma, N/A where a currency had no rate); the numbers are invented
ECB_CSV = (
    "Date,USD,JPY,BGN,CYP,GBP,\n2026-11-27,1.1000,170.00,N/A,N/A,0.8500,\n2026-11-26,1.0000,169.00,N/A,N/A,0.8000,\n"
)
DAY_MS = 86_400_000
START_MS = 1_795_651_200_000  # 2026-11-26 00:00 UTC


def ecb_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", ECB_CSV)
    return buffer.getvalue()


def market_chart(prices: list[float]) -> str:
    points = [[START_MS + k * DAY_MS, price] for k, price in enumerate(prices)]
    return json.dumps({"prices": points, "market_caps": [], "total_volumes": []})


def test_ecb_rates_are_euros_per_unit_of_each_day() -> None:
    rows = parse_ecb(ecb_zip(), ["USD", "GBP"])
    assert [(r.currency, r.date.isoformat(), r.eur_per_unit, r.source) for r in rows] == [
        ("GBP", "2026-11-26", 1.25, "ecb"),
        ("GBP", "2026-11-27", pytest.approx(1 / 0.85), "ecb"),
        ("USD", "2026-11-26", 1.0, "ecb"),
        ("USD", "2026-11-27", pytest.approx(1 / 1.1), "ecb"),
    ]
    assert parse_ecb(ECB_CSV.encode(), ["USD"]) == [r for r in rows if r.currency == "USD"]  # a plain CSV too


def test_coingecko_prices_are_dated_by_their_utc_day() -> None:
    rows = parse_coingecko(market_chart([80_000.0, 81_000.0]).encode(), "BTC", since=dt.date(2026, 11, 27))
    assert [(r.date.isoformat(), r.eur_per_unit, r.source) for r in rows] == [("2026-11-27", 81_000.0, "coingecko")]


@pytest.mark.parametrize(
    ("body", "parse"),
    [
        (b"Day,USD\n2026-11-27,1.1\n", lambda b: parse_ecb(b, ["USD"])),
        (b"Date,JPY\n2026-11-27,170\n", lambda b: parse_ecb(b, ["USD"])),
        (b'{"price": []}', lambda b: parse_coingecko(b, "BTC")),
    ],
)
def test_bad_source_files_say_what_was_expected(body: bytes, parse: object) -> None:
    with pytest.raises(RatesError, match="expected"):
        parse(body)  # type: ignore[operator]


def test_update_fetches_both_sources_and_merges_them_into_the_table(tmp_path: Path) -> None:
    base = tmp_path / "base.csv"
    base.write_text(
        "date,currency,eur_per_unit,source\n2024-01-01,XMR,146.7,approximate\n2026-11-26,USD,0.5,approximate\n",
        encoding="utf-8",
    )
    routes = {"/stats/eurofxref-hist.zip": Route(ecb_zip(), headers={"Content-Type": "application/zip"})}
    for coin, price in (("bitcoin", 80_000.0), ("monero", 300.0), ("litecoin", 90.0)):
        routes[f"/coins/{coin}/market_chart?vs_currency=eur"] = Route(market_chart([price, 2 * price]))
    out = tmp_path / "rates.csv"
    with serve(routes) as site:
        rows = fetch_and_update(
            out, base, f"{site.url}/stats/eurofxref-hist.zip", f"{site.url}/coins/{{id}}/market_chart?vs_currency=eur"
        )
    assert {(r.currency, r.source) for r in rows} == {
        ("USD", "ecb"), ("GBP", "ecb"), ("BTC", "coingecko"), ("XMR", "coingecko"), ("XMR", "approximate"),
        ("LTC", "coingecko"),
    }  # fmt: skip
    assert read_rows(out) == rows  # ETH was not served: left out, the rest written
    table = load_rates(out)
    usd = table.rate("USD", dt.date(2026, 11, 26))
    assert usd is not None and usd.eur_per_unit == 1.0  # the fetched row replaced the approximate one
    text = nlp.extract("MDMA 1g $10, 5g 0.001 BTC", lang="en", date=dt.date(2026, 11, 28), rates=table)
    assert [(o.eur, o.rate_date, o.rate_stale) for o in text.offers] == [
        (pytest.approx(10 / 1.1, abs=0.01), "2026-11-27", False),
        (160.0, "2026-11-27", False),
    ]
    assert "# USD: 2 rows, 2026-11-26 to 2026-11-27 (ecb)" in out.read_text(encoding="utf-8")


def test_an_unreachable_ecb_leaves_the_table_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "rates.csv"
    out.write_text("date,currency,eur_per_unit\n2026-11-26,USD,0.5\n", encoding="utf-8")
    with serve({}) as site, pytest.raises(RatesError, match="the server answered 404"):
        fetch_and_update(out, out, f"{site.url}/missing.zip", None)
    assert out.read_text(encoding="utf-8") == "date,currency,eur_per_unit\n2026-11-26,USD,0.5\n"
