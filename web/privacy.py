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
    from exports.records import display

    return display(doc, ctx.pseudonymiser())


def check_terms(ctx: Context, who: Principal, *texts: str) -> None:
    """Researchers may not search for people: a search (or substance name) naming a known vendor or forum user, or
    a contact, would tell whether that person is in the data.  Refused without repeating what was asked."""
    if not who.researcher:
        return
    pseudonymiser = ctx.pseudonymiser()
    if any(pseudonymiser.text("", text) != text for text in texts if text):
        from web.views import ViewError

        raise ViewError(400, "researchers cannot search for people (vendors, forum users, contacts)")


def check_people(ctx: Context, who: Principal, params: Any) -> None:
    """``check_terms`` over a search's text and filter values; filters on people fields are refused too."""
    if who.researcher and any(name in PEOPLE_FIELDS for name in params.filters):
        from web.views import ViewError

        raise ViewError(400, "researchers cannot filter by vendor or author")
    check_terms(ctx, who, params.text, *(v for values in params.filters.values() for v in values))


def facets(who: Principal, found: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {name: dict(counts) for name, counts in found.items() if not (who.researcher and name in PEOPLE_FIELDS)}


def visible_kind(who: Principal, kind: object) -> bool:
    return not (who.researcher and kind in HIDDEN_KINDS)
