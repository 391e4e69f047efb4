"""What analysts do in the workbench: the signal inbox and triage, watchlists, evidence, accounts and exports.

Like ``web.views``, each function returns plain JSON data for both the API and the pages.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.warcindex import Location, WarcIndex
from signals.model import Signal
from signals.store import ACTIONS, STATES, SignalStoreError
from signals.watch import KINDS as WATCH_KINDS
from signals.watch import WatchError, WatchSpec, create, query_spec, substance_spec
from web import privacy
from web.auth import Principal, require
from web.context import Context
from web.views import SearchParams, ViewError, record_id_checked, title

SEVERITIES = ("low", "medium", "high")
SIGNALS_PAGE = 100


# -- signals -------------------------------------------------------------------------------------------


def signal_list(ctx: Context, who: Principal, params: Mapping[str, Any]) -> dict[str, Any]:
    """The inbox: signals filtered by type, severity, state and assignee, the latest episodes first."""
    require(who, "signals")
    chosen = {name: _choice(params, name, allowed) for name, allowed in
              (("type", None), ("severity", SEVERITIES), ("state", STATES), ("assignee", None))}  # fmt: skip
    found = ctx.signals().find(types=[chosen["type"]] if chosen["type"] else (),
                               states=[chosen["state"]] if chosen["state"] else ())  # fmt: skip
    found = [s for s in found if (not chosen["severity"] or s.severity == chosen["severity"])
             and (not chosen["assignee"] or s.assignee == chosen["assignee"])]  # fmt: skip
    found.sort(key=lambda s: (s.last_seen, s.first_seen, s.id), reverse=True)
    return {"filters": chosen, "total": len(found), "signals": [_line(s) for s in found[:SIGNALS_PAGE]]}


def _choice(params: Mapping[str, Any], name: str, allowed: tuple[str, ...] | None) -> str | None:
    value = str(params.get(name) or "").strip()
    if len(value) > 100 or (value and allowed is not None and value not in allowed):
        raise ViewError(400, f"{name}: expected one of {', '.join(allowed or ())}, found {value[:40]!r}")
    return value or None


def _line(s: Signal) -> dict[str, Any]:
    return {"id": s.id, "type": s.type, "subject": s.subject, "scope": s.scope, "severity": s.severity,
            "state": s.state, "assignee": s.assignee, "first_seen": s.first_seen, "last_seen": s.last_seen,
            "summary": s.summary}  # fmt: skip


def signal(ctx: Context, who: Principal, signal_id: str) -> dict[str, Any]:
    require(who, "signals")
    kept = ctx.signals()
    found = kept.get(signal_id) if 6 <= len(signal_id) <= 40 else None
    if found is None:
        raise ViewError(404, f"no signal with id {signal_id[:40]!r}")
    return {"signal": found.to_json(), "audit": [e.to_json() for e in kept.audit(found.id)],
            "actions": list(ACTIONS), "users": [u["name"] for u in ctx.accounts.users()]}  # fmt: skip


def triage(ctx: Context, who: Principal, signal_id: str, action: str, reason: str | None, note: str | None,
           assignee: str | None) -> dict[str, Any]:  # fmt: skip
    """Assign, acknowledge, dismiss (with a reason), reopen or note a signal; logged in the signal store's audit
    log with the user and how (web page or API token)."""
    require(who, "triage")
    if assignee and ctx.accounts.user(assignee) is None:
        raise ViewError(400, f"assignee: no user {assignee[:64]!r}")
    try:
        ctx.signals().triage(signal_id, action, who.name, via="web" if who.via == "session" else "api",
                             reason=reason, note=note, assignee=assignee)  # fmt: skip
    except SignalStoreError as exc:
        status = 404 if "no signal with id" in str(exc) else 400
        raise ViewError(status, str(exc)) from exc
    return signal(ctx, who, signal_id)


def signals_export(ctx: Context, who: Principal) -> list[dict[str, Any]]:
    """Every open signal as an EWS notification (``npswatch-ews-notification.v1``)."""
    require(who, "signals_export")
    from signals.delivery.ews import notification

    return [notification(s) for s in ctx.signals().find(states=("new", "acknowledged"))]


# -- watchlists ----------------------------------------------------------------------------------------


def watchlists(ctx: Context, who: Principal) -> dict[str, Any]:
    require(who, "watchlists")
    kept = ctx.signals()
    return {"watchlists": [{**_watch(w), "hits": kept.count_watch_hits(w.id)} for w in kept.watchlists()]}


def _watch(w: Any) -> dict[str, Any]:
    return {"id": w.id, "name": w.name, "kind": w.kind, "spec": w.spec, "created_by": w.created_by,
            "created_at": w.created_at, "checked_through": w.checked_through, "active": w.active}  # fmt: skip


def create_watchlist(ctx: Context, who: Principal, name: str, kind: str, value: str, severity: str) -> dict[str, Any]:
    """A saved search (``value``: query parameters as the search page takes them, e.g. ``q=3-mmc&kind=listing``)
    or a substance name; runs the retro-hunt."""
    require(who, "watchlists")
    if kind not in WATCH_KINDS:
        raise ViewError(400, f"kind: expected one of {', '.join(WATCH_KINDS)}, found {kind[:20]!r}")
    try:
        spec = _spec(kind, value, severity)
        retro = create(ctx.store(), ctx.signals(), name, spec, who.name, datetime.now(UTC).date())
    except WatchError as exc:
        raise ViewError(400, str(exc)) from exc
    return {**watchlist(ctx, who, retro.watchlist.id), "retro": {"total": retro.total, "truncated": retro.truncated}}


def _spec(kind: str, value: str, severity: str) -> WatchSpec:
    if kind == "substance":
        return substance_spec(value, severity)
    from urllib.parse import parse_qs

    params = SearchParams.parse({k: v for k, v in parse_qs(value[:2000]).items()} if "=" in value else {"q": value})
    return query_spec(params.text, params.kinds, params.sources, params.filters, severity)


def watchlist(ctx: Context, who: Principal, watch_id: int) -> dict[str, Any]:
    """A watchlist with what it matched (the retro-hunt and later new documents), newest first."""
    require(who, "watchlists")
    kept = ctx.signals()
    found = kept.watchlist(watch_id)
    if found is None:
        raise ViewError(404, f"no watchlist {watch_id}")
    store = ctx.store()
    hits = []
    for hit in kept.watch_hits(watch_id, limit=100):
        doc = store.get(hit["doc_id"])
        if doc is not None:
            shown = privacy.document(ctx, who, doc)
            hits.append({**hit, "title": title(shown), "kind": shown.get("kind"), "source": shown.get("source")})
    raised = [s.to_json() for s in kept.find(types=("watch_hit",)) if s.scope == f"watchlist={watch_id}"]
    return {"watchlist": _watch(found), "counts": kept.count_watch_hits(watch_id), "hits": hits, "signals": raised}


def remove_watchlist(ctx: Context, who: Principal, watch_id: int) -> dict[str, Any]:
    require(who, "watchlists")
    kept = ctx.signals()
    if kept.watchlist(watch_id) is None:
        raise ViewError(404, f"no watchlist {watch_id}")
    kept.deactivate_watchlist(watch_id)
    return watchlists(ctx, who)


# -- evidence ------------------------------------------------------------------------------------------


def locate(ctx: Context, who: Principal, record_id: str) -> tuple[WarcIndex, Location]:
    """The WARC index and where the record is; ViewError 404 for an unknown id or an archive that cannot be read."""
    require(who, "evidence")
    from crawlers.warcindex import WarcIndexError

    index = ctx.warc()
    try:
        location = index.find(record_id_checked(record_id))
    except WarcIndexError as exc:
        raise ViewError(404, f"the WARC archive cannot be read: {exc}") from exc
    if location is None:
        raise ViewError(404, f"no WARC record {record_id[:80]!r} in {ctx.config.warc_dir}")
    return index, location


def evidence(ctx: Context, who: Principal, record_id: str) -> dict[str, Any]:
    """An archived response: where and when it was captured, and the archived links that have a copy."""
    from web.evidence import archived_links

    index, location = locate(ctx, who, record_id)
    record = index.read(location)
    return {
        "record_id": location.record_id,
        "type": location.type,
        "url": location.uri,
        "captured_at": location.date,
        "status": record.http_status,
        "content_type": location.content_type,
        "bytes": len(record.payload),
        "truncated": record.truncated,
        "file": location.path.name,
        "links": archived_links(record, index),
    }


# -- accounts and exports --------------------------------------------------------------------------------


def users(ctx: Context, who: Principal) -> dict[str, Any]:
    require(who, "users")
    return {"users": ctx.accounts.users()}


def add_user(ctx: Context, who: Principal, name: str, role: str, password: str) -> dict[str, Any]:
    from web.accounts import AccountError

    require(who, "users")
    try:
        ctx.accounts.add_user(name, role, password)
    except AccountError as exc:
        raise ViewError(400, str(exc)) from exc
    return users(ctx, who)


def remove_user(ctx: Context, who: Principal, name: str) -> dict[str, Any]:
    """Remove an account with its tokens and sessions (not one's own)."""
    from web.accounts import AccountError

    require(who, "users")
    if name.casefold() == who.name.casefold():
        raise ViewError(400, "an admin cannot remove their own account")
    try:
        ctx.accounts.remove_user(name)
    except AccountError as exc:
        raise ViewError(404, str(exc)) from exc
    return users(ctx, who)


def new_token(ctx: Context, who: Principal, name: str) -> dict[str, str]:
    """A new API token for the user, shown this once (only its hash is kept)."""
    from web.accounts import AccountError

    require(who, "users")
    try:
        return {"user": name, "token": ctx.accounts.new_token(name, f"made by {who.name}")}
    except AccountError as exc:
        raise ViewError(404, str(exc)) from exc


def export_corpus(ctx: Context, who: Principal, params: SearchParams, fmt: str = "jsonl") -> Path:
    """The pseudonymised corpus the search selects, as the export's dataset directory (data files, dataset card,
    manifest; ``exports.corpus``) zipped: the caller streams the zip and deletes its directory.  The export gets the
    user's role, so the evidence package stays out of reach of researchers; the workbench never asks for it."""
    require(who, "export")
    privacy.check_people(ctx, who, params)
    from exports.corpus import export_corpus as export
    from exports.pseudonymise import Pseudonymiser, PseudonymKeyError, key_from_environment
    from exports.writers import FORMATS
    from storage.base import SearchQuery

    if fmt not in FORMATS:
        raise ViewError(400, f"format: expected one of {', '.join(FORMATS)}")
    try:
        key = key_from_environment()
    except PseudonymKeyError as exc:
        raise ViewError(400, f"exports need a pseudonym key on the server: {exc}") from exc
    kinds = [k for k in params.kinds if k != "vendor"] or ["listing", "post"]
    query = SearchQuery(params.text, kinds, params.sources, params.date_from, params.date_to, params.filters)
    work = Path(tempfile.mkdtemp(prefix="npswatch-export-"))
    export(ctx.store(), query, work / "corpus", Pseudonymiser(key), fmt=fmt, role=who.role)
    return Path(shutil.make_archive(str(work / "corpus"), "zip", root_dir=work, base_dir="corpus"))
