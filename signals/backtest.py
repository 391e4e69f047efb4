"""``npswatch signals backtest``: one count detector over a series from a CSV file, for analysts.

Input: a CSV with columns ``t,observed`` (``t`` a whole number or an ISO date, one row per period, no gaps;
``observed`` a whole count >= 0).  Output: ``t,observed,upperbound,alarm`` for every row, ``upperbound`` and
``alarm`` empty where the detector gives no verdict (too little history, a rule of the method).  Bad input raises
:class:`BacktestError` naming the file, the line and what was expected; nothing is written then.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from signals.detectors import DetectorError, get_detector, parse_params

FREQ_PERIOD = {52: 52, 7: 364}  # --freq: 52 weekly counts (52 a year); 7 daily counts (364 days, weekday-aligned)


class BacktestError(Exception):
    """The series or the options cannot be used; the message says where and what was expected."""


@dataclass
class Backtest:
    rows: list[tuple[str, int, float | None, bool | None]]
    messages: tuple[str, ...]
    alarms: int


def read_series(path: Path) -> tuple[list[str], list[int]]:
    """The ``t`` labels and counts of a CSV series, checked (see the module docstring)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.DictReader(stream)
            fields = [f.strip() for f in reader.fieldnames or []]
            if "t" not in fields or "observed" not in fields:
                raise BacktestError(f"{path}: expected a header with columns t,observed, found {','.join(fields)!r}")
            labels, counts = [], []
            for line, row in enumerate(reader, start=2):
                row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                labels.append(row["t"])
                counts.append(_count(path, line, row["observed"]))
    except OSError as exc:
        raise BacktestError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise BacktestError(f"{path}: expected UTF-8 text ({exc.reason})") from exc
    if not counts:
        raise BacktestError(f"{path}: expected at least one row of t,observed, found none")
    _check_regular(path, labels)
    return labels, counts


def _count(path: Path, line: int, text: str) -> int:
    if text == "":
        raise BacktestError(f"{path}:{line}: observed is empty; expected a whole count >= 0 (gaps are not allowed)")
    try:
        value = float(text)
    except ValueError:
        raise BacktestError(f"{path}:{line}: observed {text!r} is not a number; expected a whole count >= 0") from None
    if math.isnan(value) or math.isinf(value) or value < 0 or value != int(value):
        raise BacktestError(f"{path}:{line}: observed {text!r}; expected a whole count >= 0")
    return int(value)


def _check_regular(path: Path, labels: list[str]) -> None:
    """``t`` must be consecutive whole numbers, or dates one day or one week apart."""
    if all(_is_int(t) for t in labels):
        values = [int(t) for t in labels]
        for i in range(1, len(values)):
            if values[i] != values[i - 1] + 1:
                raise BacktestError(f"{path}:{i + 2}: t jumps from {values[i - 1]} to {values[i]}; expected "
                                    "consecutive periods (a gap, or rows out of order)")  # fmt: skip
        return
    try:
        days = [date.fromisoformat(t) for t in labels]
    except ValueError:
        bad = next(t for t in labels if not _is_date(t))
        raise BacktestError(f"{path}: t {bad!r} is neither a whole number nor a date YYYY-MM-DD") from None
    if len(days) > 1:
        step = (days[1] - days[0]).days
        if step not in (1, 7):
            raise BacktestError(f"{path}:3: dates {days[0]} and {days[1]} are {step} days apart; expected 1 or 7")
        for i in range(1, len(days)):
            if (days[i] - days[i - 1]).days != step:
                raise BacktestError(f"{path}:{i + 2}: t jumps from {days[i - 1]} to {days[i]}; expected one period "
                                    f"of {step} day(s) (a gap, or rows out of order)")  # fmt: skip


def _is_int(text: str) -> bool:
    try:
        int(text)
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def backtest(path: Path, method: str, params: list[str], freq: int | None = None) -> Backtest:
    """Run ``method`` (a registered count detector) with ``--param KEY=VALUE`` strings over the series in ``path``."""
    labels, counts = read_series(path)
    try:
        kwargs: dict[str, Any] = parse_params(method, params)
        defaults = get_detector(method).params
        if freq is not None:
            if freq not in FREQ_PERIOD:
                raise BacktestError(f"--freq: expected 52 (weekly) or 7 (daily), found {freq}")
            if "period" in defaults:
                kwargs.setdefault("period", FREQ_PERIOD[freq])
        detector = get_detector(method, **kwargs)
        result = detector(counts)
    except DetectorError as exc:
        raise BacktestError(str(exc)) from exc
    rows = []
    for i, label in enumerate(labels):
        computed = bool(result.computed[i]) and not math.isnan(float(result.upperbound[i]))
        rows.append((label, counts[i], float(result.upperbound[i]) if computed else None,
                     bool(result.alarm[i]) if computed else None))  # fmt: skip
    messages = tuple(result.messages)
    if not any(r[2] is not None for r in rows):
        messages += (f"{method}: no time point could be evaluated ({len(counts)} points; the method needs "
                     f"{detector.min_history} before the first one); no alarm",)  # fmt: skip
    return Backtest(rows, messages, sum(1 for r in rows if r[3]))


def write_backtest(result: Backtest, stream: IO[str]) -> None:
    """The rows as CSV to ``stream`` (opened by the caller: ``npswatch signals backtest`` stages its output file)."""
    writer = csv.writer(stream)
    writer.writerow(["t", "observed", "upperbound", "alarm"])
    for label, observed, bound, alarm in result.rows:
        writer.writerow([label, observed, "" if bound is None else repr(bound),
                         "" if alarm is None else ("TRUE" if alarm else "FALSE")])  # fmt: skip
