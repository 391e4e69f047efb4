"""Dated exchange rates to EUR.

A rates file is CSV with the columns ``date,currency,eur_per_unit`` and optionally ``source`` (``#`` lines are
comments). The shipped table (``nlp/data/rates.csv``) is a dated snapshot: the ECB's euro reference rates and
approximate crypto rows, each row with its source (see its header and ``nlp/data/NOTICE.md``); ``npswatch rates
update`` (:mod:`nlp.rates_update`) writes a newer one. A rate applies from its date until the next one of the same
currency; for a date before the first row the first row is used. EUR needs no row: without EUR rows it converts at 1,
dated the day converted. Every conversion returns the rate and its date, and a rate more than ``STALE_DAYS`` days
from the day converted is stale (:func:`is_stale`; offers carry it as ``rate_stale``).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from nlp.data import DATA_DIR
from nlp.errors import RatesError

DEFAULT_RATES = DATA_DIR / "rates.csv"
STALE_DAYS = 7  # a rate further than this from the day converted is stale


@dataclass(frozen=True)
class Rate:
    currency: str
    date: dt.date
    eur_per_unit: float


class RateTable:
    """Rates per currency, sorted by date."""

    def __init__(self, rates: list[Rate]) -> None:
        self._dates: dict[str, list[dt.date]] = {}
        self._rates: dict[str, list[Rate]] = {}
        for rate in sorted(rates, key=lambda r: (r.currency, r.date)):
            self._dates.setdefault(rate.currency, []).append(rate.date)
            self._rates.setdefault(rate.currency, []).append(rate)

    @property
    def currencies(self) -> list[str]:
        return sorted(self._rates)

    def newest(self, currency: str) -> dt.date | None:
        """The date of the table's last rate for ``currency``."""
        dates = self._dates.get(currency.upper())
        return dates[-1] if dates else None

    def rate(self, currency: str, on: dt.date) -> Rate | None:
        """The rate in force for ``currency`` on ``on`` (None if the table has no such currency)."""
        dates = self._dates.get(currency.upper())
        if not dates:
            return Rate("EUR", on, 1.0) if currency.upper() == "EUR" else None
        index = bisect.bisect_right(dates, on) - 1
        return self._rates[currency.upper()][max(index, 0)]

    def to_eur(self, amount: float, currency: str, on: dt.date) -> tuple[float, Rate] | None:
        rate = self.rate(currency, on)
        if rate is None:
            return None
        return amount * rate.eur_per_unit, rate


def is_stale(rate: Rate, on: dt.date) -> bool:
    """Whether ``rate`` is more than ``STALE_DAYS`` days older than ``on`` (or, for a day before the table's first
    row, more than ``STALE_DAYS`` days later)."""
    return abs((on - rate.date).days) > STALE_DAYS


def load_rates(path: Path = DEFAULT_RATES) -> RateTable:
    """Read a rates CSV; raise :class:`RatesError` naming the line of the first bad row."""
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    except OSError as exc:
        raise RatesError(f"expected a rates CSV at {path}: {exc}") from exc
    reader = csv.DictReader(lines)
    expected = {"date", "currency", "eur_per_unit"}
    if reader.fieldnames is None or not expected <= set(reader.fieldnames):
        raise RatesError(f"{path}: expected columns {sorted(expected)}, found {reader.fieldnames}")
    rates = []
    for number, row in enumerate(reader, 2):
        try:
            rate = Rate(
                row["currency"].strip().upper(), dt.date.fromisoformat(row["date"].strip()), float(row["eur_per_unit"])
            )
        except (ValueError, AttributeError) as exc:
            raise RatesError(f"{path}: data row {number}: expected ISO date, currency, number; found {row}") from exc
        if rate.eur_per_unit <= 0:
            raise RatesError(f"{path}: data row {number}: expected a positive rate, found {rate.eur_per_unit}")
        rates.append(rate)
    if not rates:
        raise RatesError(f"{path}: expected at least one rate, found none")
    return RateTable(rates)
