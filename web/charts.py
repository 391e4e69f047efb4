"""Charts as server-rendered SVG: lines over days (price history) and bars per week (counts, EUR per gram).

No script, no style sheet: presentation attributes only, so the pages' Content-Security-Policy needs no exception.
Every label is escaped (a price tier label is crawled text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 46
COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d4820a", "#555555")


def _frame(title: str, body: list[str], legend: list[str]) -> Markup:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}"><title>{escape(title)}</title>',
             f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{HEIGHT - TOP - BOTTOM}" '
             'fill="#fafafa" stroke="#cccccc"/>', *body, *legend, "</svg>"]  # fmt: skip
    return Markup("".join(parts))


def _y(value: float, low: float, high: float) -> float:
    span = high - low or 1.0
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def _axis_labels(low: float, high: float, first: str, last: str, unit: str) -> list[str]:
    bottom = HEIGHT - BOTTOM
    return [
        f'<text x="{LEFT - 4}" y="{TOP + 10}" text-anchor="end" font-size="11">{escape(_num(high))}</text>',
        f'<text x="{LEFT - 4}" y="{bottom}" text-anchor="end" font-size="11">{escape(_num(low))}</text>',
        f'<text x="{LEFT - 4}" y="{(TOP + bottom) / 2}" text-anchor="end" font-size="10">{escape(unit)}</text>',
        f'<text x="{LEFT}" y="{bottom + 14}" font-size="11">{escape(first)}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{bottom + 14}" text-anchor="end" font-size="11">{escape(last)}</text>',
    ]


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def line_chart(series: Sequence[dict[str, object]], title: str, unit: str) -> Markup:
    """``series``: ``{"label", "points": [(ISO day, value), ...]}``; one line (and dots) per series over days."""
    points = [(date.fromisoformat(str(d)), float(v)) for s in series for d, v in s["points"]]  # type: ignore[attr-defined]
    if not points:
        return Markup('<p class="muted">no prices observed</p>')
    first, last = min(p[0] for p in points), max(p[0] for p in points)
    low, high = min(0.0, min(p[1] for p in points)), max(p[1] for p in points) * 1.05 or 1.0
    days = (last - first).days or 1
    plot = WIDTH - LEFT - RIGHT
    body, legend = _axis_labels(low, high, first.isoformat(), last.isoformat(), unit), []
    for n, s in enumerate(series[: len(COLOURS)]):
        colour = COLOURS[n]
        xy = [(LEFT + plot * (date.fromisoformat(str(d)) - first).days / days, _y(float(v), low, high))
              for d, v in s["points"]]  # type: ignore[attr-defined]  # fmt: skip
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{line}"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in xy]
        legend.append(f'<rect x="{LEFT + 150 * (n % 4)}" y="{HEIGHT - 16 - 12 * (n // 4)}" width="10" height="10" '
                      f'fill="{colour}"/><text x="{LEFT + 14 + 150 * (n % 4)}" y="{HEIGHT - 7 - 12 * (n // 4)}" '
                      f'font-size="11">{escape(str(s["label"])[:24])}</text>')  # fmt: skip
    return _frame(title, body, legend)


def bar_chart(rows: Sequence[dict[str, object]], key: str, title: str, unit: str) -> Markup:
    """One bar per row (``rows[i]["week"]``), height ``rows[i][key]`` (rows without a value are gaps)."""
    values = [(str(r["week"]), r.get(key)) for r in rows]
    known = [float(v) for _, v in values if isinstance(v, int | float)]
    if not known or max(known) <= 0:
        return Markup(f'<p class="muted">no {escape(unit)} to chart</p>')
    high = max(known) * 1.05
    plot = WIDTH - LEFT - RIGHT
    width = plot / len(values)
    body = _axis_labels(0.0, high, values[0][0], values[-1][0], unit)
    for n, (week, value) in enumerate(values):
        if not isinstance(value, int | float):
            continue
        y = _y(float(value), 0.0, high)
        body.append(f'<rect x="{LEFT + n * width + 1:.1f}" y="{y:.1f}" width="{max(1.0, width - 2):.1f}" '
                    f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{COLOURS[0]}"><title>{escape(week)}: '
                    f"{escape(_num(float(value)))}</title></rect>")  # fmt: skip
    return _frame(title, body, [])
