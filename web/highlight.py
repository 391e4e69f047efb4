"""What extraction found, marked in the text it found it in: substances, novel candidates, quantities and prices
(the offers), doses, routes and effects.

The shown text is extracted again (``nlp.extract``, the project's pipeline, so the marks are exactly what it finds)
and cut into segments ``{"text", "mark", "label"}``: ``mark`` None for plain text.  Templates escape every segment;
nothing of the crawled text is ever inserted as markup.  Substances, quantities and prices carry their offsets;
doses, routes and effects are found by their text in what is left.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MAX_TEXT = 20_000  # characters of a field highlighted (the rest is shown plain)
FIELDS = ("title", "thread_title", "description", "text")


def highlights(doc: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    lang = doc.get("language") or doc.get("language_hint")
    return {name: segments(str(doc[name]), lang if isinstance(lang, str) else None)
            for name in FIELDS if isinstance(doc.get(name), str) and doc[name]}  # fmt: skip


def segments(text: str, lang: str | None = None) -> list[dict[str, Any]]:
    import nlp

    head, tail = text[:MAX_TEXT], text[MAX_TEXT:]
    found = nlp.extract(head, lang)
    spans: list[tuple[int, int, str, str]] = []
    for s in found.substances:
        spans.append((s.start, s.end, "substance" if s.known else "novel", s.canonical or s.text))
    spans += [(q.start, q.end, "quantity", q.text) for q in found.quantities]
    spans += [(p.start, p.end, "price", f"{p.amount:g} {p.currency}") for p in found.prices]
    for mark, items in (("dose", [(d.text, f"{d.amount:g} {d.unit}") for d in found.doses]),
                        ("route", [(r.text, r.route) for r in found.routes]),
                        ("effect", [(e.text, e.effect) for e in found.effects if not e.negated])):  # fmt: skip
        for words, label in items:
            for match in re.finditer(re.escape(words), head, re.IGNORECASE) if words.strip() else ():
                spans.append((match.start(), match.end(), mark, label))
    out: list[dict[str, Any]] = []
    position = 0
    for start, end, mark, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < position or end <= start:
            continue  # overlaps a span already marked
        if start > position:
            out.append({"text": head[position:start], "mark": None, "label": None})
        out.append({"text": head[start:end], "mark": mark, "label": label})
        position = end
    if position < len(head) or tail:
        out.append({"text": head[position:] + tail, "mark": None, "label": None})
    return out
