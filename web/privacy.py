"""What researchers see: people replaced by keyed pseudonyms, never by name, on every page and in every API answer.

Documents go through the export's pseudonymiser (``exports.pseudonymise``: vendors, authors, names met in free
text, contacts, profile URLs); search snippets too; facets and lists of people (vendors, authors) are left out;
vendor documents (a person's profile) are not shown.  Evidence, signals (their evidence names pages), watchlists,
source health and accounts are not open to researchers at all (``web.auth.PERMISSIONS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from web.auth import Principal
from web.context import Context

PEOPLE_FIELDS = ("vendor", "author")
HIDDEN_KINDS = ("vendor",)


def document(ctx: Context, who: Principal, doc: Mapping[str, Any]) -> dict[str, Any]:
    """``doc`` as ``who`` may see it."""
    if not who.researcher:
        return dict(doc)
    pseudonymiser = ctx.pseudonymiser()
    out = pseudonymiser.document(doc)
    source = str(out.get("source") or "")
    for name in ("snippet", "board", "category"):
        value = out.get(name)
        if isinstance(value, str) and value:
            out[name] = pseudonymiser.text(source, value)
    out.pop("warc_record_id", None)
    return out


def facets(who: Principal, found: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {name: dict(counts) for name, counts in found.items() if not (who.researcher and name in PEOPLE_FIELDS)}


def visible_kind(who: Principal, kind: object) -> bool:
    return not (who.researcher and kind in HIDDEN_KINDS)
