"""``npswatch signals explain ID``: the series a signal was raised on, the test, why it fired and why its severity.

The series are read again from the store as of the signal's last day (what the detector saw then); the test's
numbers and the two sentences ``reason`` and ``severity_rule`` are the ones the detection stored.
"""

from __future__ import annotations

from datetime import date, timedelta

from signals.config import RunConfig
from signals.detect import pairs_on
from signals.model import Signal
from signals.series import StoreSeries, load_series
from storage import open_storage

SHOWN_DAYS = 42  # days of a count series printed, up to the signal's last day


def explain(signal: Signal, db: str, config: RunConfig) -> list[str]:
    """Lines for a person: what the signal is, the test and its numbers, the series behind it."""
    stats = signal.statistics
    lines = [f"{signal.id} {signal.type} {signal.subject}" + (f" [{signal.scope}]" if signal.scope else ""),
             f"  {signal.summary}",
             f"  detector: {signal.detector}; episode {signal.first_seen} .. {signal.last_seen}; state {signal.state}",
             f"  why it fired: {stats.get('reason', '(not recorded by the version that raised it)')}",
             f"  why {signal.severity}: {stats.get('severity_rule', '(not recorded)')}"]  # fmt: skip
    numbers = {k: v for k, v in stats.items() if k not in ("reason", "severity_rule", "params", "contexts")}
    lines.append("  test: " + ", ".join(f"{k} {v}" for k, v in sorted(numbers.items())))
    if stats.get("params"):
        lines.append("  parameters: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["params"].items())))
    if signal.type not in ("first_seen", "spike", "price_shift", "adverse_surge"):
        return lines
    store = open_storage(db)
    try:
        data = load_series(store, date.fromisoformat(signal.last_seen))
    finally:
        store.close()
    if signal.subject not in data.by_subject:
        return [*lines, "  series: the store no longer has documents of this subject"]
    return lines + _series_lines(signal, data, config)


def _series_lines(signal: Signal, data: StoreSeries, config: RunConfig) -> list[str]:
    if signal.type == "price_shift":
        return _price_lines(signal, data, config)
    measures = {"spike": ("listings",), "adverse_surge": ("posts", "adverse", "severe"),
                "first_seen": ("listings", "posts")}[signal.type]  # fmt: skip
    split = "market" if signal.type == "spike" else None
    days = data.days()[-SHOWN_DAYS:]
    lines = [f"  series, daily, {days[0]} .. {days[-1]} (. = not observed):"]
    for measure in measures:
        for value, series in sorted(data.counts(signal.subject, measure, split=split).items(), key=str):
            shown = series.values[-len(days) :]
            cells = " ".join("." if v != v else f"{int(v)}" for v in shown)
            lines.append(f"    {measure}{' ' + str(value) if value else ''}: {cells}")
    return lines


def _price_lines(signal: Signal, data: StoreSeries, config: RunConfig) -> list[str]:
    market = (signal.scope or "").partition("=")[2]
    points = data.prices(signal.subject, split="market").get(market, [])
    day = date.fromisoformat(signal.first_seen) + timedelta(days=config.price_shift.window - 1)
    pairs = pairs_on(points, day, config)
    lines = [f"  listings on {market} in both windows on {day} (reference median EUR/g -> current EUR/g):"]
    for doc, (ref, cur) in sorted(pairs.items()):
        ref_median = sorted(ref)[len(ref) // 2]
        lines.append(
            f"    {doc}: {ref_median:.2f} ({len(ref)} days) -> {cur[-1]:.2f} ({cur[-1] / ref_median - 1:+.0%})"
        )
    return lines
