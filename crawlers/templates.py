"""What each template reads: its page types, their fields, which are required, which are blocks of rows.

The parsers (``crawlers/parsers/market.py`` and ``forum.py``) read exactly these names, so a source file
is checked against them when it is loaded: a misspelt field (``titel``) is an error that suggests the
closest name, not a field silently never read.  docs/sources.md lists the same table.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

TEXT = "text"  # a single field: css, xpath or from_url
DATE = "date"  # a single field read as a date: the only kind that takes a strptime ``format``


@dataclass(frozen=True)
class Rows:
    """A block of rows (quantity tiers, posts): a selector per row and these fields inside each."""

    fields: dict[str, str]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageKind:
    fields: dict[str, str | Rows]
    required: tuple[str, ...] = ()
    needed: bool = False  # the template needs a page of this type
    rows: dict[str, Rows] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", {k: v for k, v in self.fields.items() if isinstance(v, Rows)})


_LISTING: dict[str, str | Rows] = {
    "native_id": TEXT, "title": TEXT, "description": TEXT, "category": TEXT, "vendor": TEXT, "vendor_url": TEXT,
    "prices": Rows({"quantity": TEXT, "price": TEXT}), "price": TEXT, "ships_from": TEXT, "ships_to": TEXT,
    "feedback_count": TEXT, "rating": TEXT, "escrow": TEXT, "finalize_early": TEXT,
}  # fmt: skip
_VENDOR: dict[str, str | Rows] = {"name": TEXT, "pgp_fingerprint": TEXT, "feedback_count": TEXT, "rating": TEXT}
_THREAD: dict[str, str | Rows] = {
    "thread_id": TEXT, "thread_title": TEXT, "board": TEXT, "is_trip_report": TEXT, "language": TEXT,
    "posts": Rows({"post_id": TEXT, "author": TEXT, "posted_at": DATE, "text": TEXT}, required=("post_id", "text")),
}  # fmt: skip

PAGES: dict[str, dict[str, PageKind]] = {
    "market": {
        "listing": PageKind(_LISTING, required=("native_id", "title"), needed=True),
        "vendor": PageKind(_VENDOR, required=("name",)),
    },
    "forum": {"thread": PageKind(_THREAD, required=("thread_id", "thread_title", "posts"), needed=True)},
    "shop": {"product": PageKind(_LISTING, required=("native_id", "title"), needed=True)},
}


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """``unknown field 'titel': did you mean 'title'?``, or the known names when none is close."""
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"expected one of {', '.join(names)}"
    return f"unknown {kind} {name!r}: {hint}"
