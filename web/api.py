"""The JSON API under ``/api/``: everything the pages show, with the same permissions (a session or an API token).

FastAPI documents it at ``/api/openapi.json`` (for authenticated users only: every route here needs a principal).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from web import views, workflow
from web.auth import Principal, check_csrf, context, principal

router = APIRouter(prefix="/api", dependencies=[Depends(principal)])
Who = Depends(principal)


class TriageIn(BaseModel):
    action: Literal["acknowledge", "dismiss", "reopen", "assign", "note"]
    reason: str | None = Field(None, max_length=4000)
    note: str | None = Field(None, max_length=4000)
    assignee: str | None = Field(None, max_length=64)


class WatchIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["query", "substance"]
    value: str = Field(min_length=1, max_length=2000)  # a substance name, or search parameters (q=...&kind=...)
    severity: Literal["low", "medium", "high"] = "medium"


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    role: Literal["analyst", "ews", "researcher", "admin"]
    password: str = Field(min_length=1, max_length=1024)


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request) -> dict[str, Any]:
    schema: dict[str, Any] = request.app.openapi()
    return schema


@router.get("/me")
def me(who: Principal = Who) -> dict[str, Any]:
    """The user asking, their role and what it permits."""
    from web.auth import PERMISSIONS

    return {"name": who.name, "role": who.role, "via": who.via,
            "permissions": sorted(p for p in PERMISSIONS if who.can(p))}  # fmt: skip


@router.get("/search")
def search(request: Request, who: Principal = Who) -> dict[str, Any]:
    """Search: q (the CLI's query language), kind, source, from, to, f=FIELD:VALUE (repeatable), sort, page, size."""
    return views.search(context(request), who, views.SearchParams.parse(request.query_params))


@router.get("/documents/{doc_id}")
def document(doc_id: str, request: Request, who: Principal = Who) -> dict[str, Any]:
    """One document with its observations, price series and highlighted extraction."""
    return views.document(context(request), who, doc_id)


@router.get("/substances/{name}")
def substance(name: str, request: Request, who: Principal = Who) -> dict[str, Any]:
    """A substance (canonical name or candidate): spellings, first seen, where, per week, signals, vendors."""
    return views.substance(context(request), who, name)


@router.get("/sources")
def sources(request: Request, who: Principal = Who) -> dict[str, Any]:
    """Every source with its runs, items, errors and health signals."""
    return views.sources(context(request), who)


@router.get("/signals")
def signals(request: Request, who: Principal = Who) -> dict[str, Any]:
    """The signal inbox: type, severity, state, assignee filters."""
    return workflow.signal_list(context(request), who, request.query_params)


@router.get("/signals/export")
def signals_export(request: Request, who: Principal = Who) -> list[dict[str, Any]]:
    """Every open signal as an EWS notification (EWS officers and admins)."""
    return workflow.signals_export(context(request), who)


@router.get("/signals/{signal_id}")
def signal(signal_id: str, request: Request, who: Principal = Who) -> dict[str, Any]:
    """One signal with its audit log."""
    return workflow.signal(context(request), who, signal_id)


@router.post("/signals/{signal_id}/triage")
def triage(signal_id: str, body: TriageIn, request: Request, who: Principal = Who) -> dict[str, Any]:
    """Assign, acknowledge, dismiss (reason required), reopen (reason required) or note a signal."""
    check_csrf(request, who, None)
    return workflow.triage(context(request), who, signal_id, body.action, body.reason, body.note, body.assignee)


@router.get("/watchlists")
def watchlists(request: Request, who: Principal = Who) -> dict[str, Any]:
    return workflow.watchlists(context(request), who)


@router.post("/watchlists")
def create_watchlist(body: WatchIn, request: Request, who: Principal = Who) -> dict[str, Any]:
    """Save a watchlist and run its retro-hunt."""
    check_csrf(request, who, None)
    return workflow.create_watchlist(context(request), who, body.name, body.kind, body.value, body.severity)


@router.get("/watchlists/{watch_id}")
def watchlist(watch_id: int, request: Request, who: Principal = Who) -> dict[str, Any]:
    return workflow.watchlist(context(request), who, watch_id)


@router.post("/watchlists/{watch_id}/remove")
def remove_watchlist(watch_id: int, request: Request, who: Principal = Who) -> dict[str, Any]:
    check_csrf(request, who, None)
    return workflow.remove_watchlist(context(request), who, watch_id)


@router.get("/evidence/{record_id}")
def evidence(record_id: str, request: Request, who: Principal = Who) -> dict[str, Any]:
    """Where and when a response was archived, and its links that have an archived copy."""
    return workflow.evidence(context(request), who, record_id)


@router.get("/evidence/{record_id}/page", response_class=Response)
def evidence_page(record_id: str, request: Request, who: Principal = Who) -> Response:
    """The archived response made inert (the evidence frame's document; see web.evidence)."""
    from web.evidence import FRAME_CSP, render

    index, location = workflow.locate(context(request), who, record_id)
    headers = {"Content-Security-Policy": FRAME_CSP, "X-Frame-Options": "SAMEORIGIN"}
    return Response(render(index.read(location), index), media_type="text/html; charset=utf-8", headers=headers)


@router.get("/evidence/{record_id}/warc", response_class=Response)
def evidence_warc(record_id: str, request: Request, who: Principal = Who) -> Response:
    """The record as archived: a .warc.gz file of one record."""
    index, location = workflow.locate(context(request), who, record_id)
    name = quote("".join(ch if ch.isalnum() or ch == "-" else "_" for ch in record_id.strip("<>"))) + ".warc.gz"
    return Response(index.raw(location), media_type="application/gzip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/users")
def users(request: Request, who: Principal = Who) -> dict[str, Any]:
    return workflow.users(context(request), who)


@router.post("/users")
def add_user(body: UserIn, request: Request, who: Principal = Who) -> dict[str, Any]:
    check_csrf(request, who, None)
    return workflow.add_user(context(request), who, body.name, body.role, body.password)


@router.post("/users/{name}/remove")
def remove_user(name: str, request: Request, who: Principal = Who) -> dict[str, Any]:
    check_csrf(request, who, None)
    return workflow.remove_user(context(request), who, name)


@router.post("/users/{name}/token")
def new_token(name: str, request: Request, who: Principal = Who) -> dict[str, str]:
    """A new API token for the user, shown this once."""
    check_csrf(request, who, None)
    return workflow.new_token(context(request), who, name)


@router.get("/export", response_class=StreamingResponse)
def export(request: Request, who: Principal = Who) -> StreamingResponse:
    """The pseudonymised corpus the search parameters select, as a zipped dataset (``format`` jsonl, parquet or csv;
    data files per kind, the dataset card and the manifest; docs/export.md)."""
    fmt = request.query_params.get("format", "jsonl")
    path = workflow.export_corpus(context(request), who, views.SearchParams.parse(request.query_params), fmt)
    return StreamingResponse(_stream_and_delete(path), media_type="application/zip",
                             headers={"Content-Disposition": 'attachment; filename="corpus.zip"'})  # fmt: skip


def _stream_and_delete(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 16):
                yield chunk
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
