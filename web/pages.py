"""The pages: Jinja2 templates over the data ``web.views`` and ``web.workflow`` give the API too.

Forms post back here (a redirect after each write, so a reload never repeats it) with the session's CSRF token.
"""

from __future__ import annotations

import hmac
import re
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from web import privacy, views, workflow
from web.accounts import FAILURE_WINDOW, MAX_FAILURES
from web.auth import LOGIN_COOKIE, Principal, check_csrf, check_origin, context, principal, require, session_cookie
from web.charts import bar_chart, line_chart

router = APIRouter()
Who = Depends(principal)
templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(default=True, default_for_string=True))  # fmt: skip
SNIPPET_MARK = re.compile("«([^«»]*)»")


def snippet(text: str) -> Markup:
    """A search snippet with its matched words (between the store's marks « ») in <mark>, every part escaped."""
    parts = SNIPPET_MARK.split(text)
    return Markup("").join(Markup("<mark>%s</mark>") % part if n % 2 else escape(part) for n, part in enumerate(parts))


templates.globals.update(line_chart=line_chart, bar_chart=bar_chart, snippet=snippet,
                         quote=lambda v: quote(str(v), safe=""))  # fmt: skip


def render(request: Request, name: str, code: int = 200, **data: Any) -> HTMLResponse:
    who = getattr(request.state, "principal", None)
    html = templates.get_template(name).render(request=request, who=who, path=request.url.path, **data)
    return HTMLResponse(html, status_code=code)


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# -- login and logout ------------------------------------------------------------------------------------


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    ctx = context(request)
    token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
    response = render(request, "login.html", csrf=token, next=_safe_next(next))
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=ctx.config.secure_cookies,
                        path="/login", max_age=3600)  # fmt: skip
    return response


@router.post("/login", include_in_schema=False)
def login(request: Request, name: str = Form("", max_length=64), password: str = Form("", max_length=1024),
          csrf: str = Form("", max_length=100), next: str = Form("/", max_length=500)) -> Response:  # fmt: skip
    ctx = context(request)
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf.encode()):
        return render(request, "login.html", 403, csrf=expected or secrets.token_urlsafe(32), next=_safe_next(next),
                      error="The login form expired: try again.")  # fmt: skip
    check_origin(request)
    keys = (f"user:{name.casefold()}", f"address:{request.client.host if request.client else '?'}")
    if any(ctx.accounts.failures(key) >= MAX_FAILURES[key.split(":")[0]] for key in keys):
        response = render(request, "login.html", 429, csrf=expected, next=_safe_next(next),
                          error="Too many failed logins: wait a few minutes and try again.")  # fmt: skip
        response.headers["Retry-After"] = str(FAILURE_WINDOW)
        return response
    user = ctx.accounts.verify(name, password) if name and password else None
    if user is None:
        ctx.accounts.record_failure(*keys)
        return render(request, "login.html", 401, csrf=expected, next=_safe_next(next),
                      error="Wrong name or password.")  # fmt: skip
    ctx.accounts.clear_failures(keys[0])
    session_id, _ = ctx.accounts.new_session(user)
    done = _back(_safe_next(next))
    done.set_cookie(session_cookie(ctx.config.secure_cookies), session_id, httponly=True, samesite="strict",
                        secure=ctx.config.secure_cookies, path="/",
                        max_age=int(ctx.config.session_hours * 3600))  # fmt: skip
    done.delete_cookie(LOGIN_COOKIE, path="/login")
    return done


def _safe_next(target: str) -> str:
    """Only a path of this site ("//host" and "/\\host" are other sites to a browser)."""
    if not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 500:
        return "/"
    return target


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form("", max_length=100), who: Principal = Who) -> Response:
    check_csrf(request, who, csrf)
    ctx = context(request)
    if who.session_id:
        ctx.accounts.end_session(who.session_id)
    response = _back("/login")
    response.delete_cookie(session_cookie(ctx.config.secure_cookies), path="/")
    return response


# -- reading -------------------------------------------------------------------------------------------


@router.get("/", include_in_schema=False)
def home(request: Request, who: Principal = Who) -> Response:
    return _back("/signals" if who.can("signals") else "/search")


@router.get("/search", include_in_schema=False)
def search(request: Request, who: Principal = Who) -> HTMLResponse:
    params = views.SearchParams.parse(request.query_params)
    data = views.search(context(request), who, params)
    base = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return render(request, "search.html", data=data, base=urlencode(base), export_query=urlencode(base))


@router.get("/documents/{doc_id}", include_in_schema=False)
def document(doc_id: str, request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "document.html", data=views.document(context(request), who, doc_id))


@router.get("/substances/{name}", include_in_schema=False)
def substance(name: str, request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "substance.html", data=views.substance(context(request), who, name))


@router.get("/sources", include_in_schema=False)
def sources(request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "sources.html", data=views.sources(context(request), who))


@router.get("/evidence/{record_id}", include_in_schema=False)
def evidence(record_id: str, request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "evidence.html", data=workflow.evidence(context(request), who, record_id))


# -- signals -------------------------------------------------------------------------------------------


@router.get("/signals", include_in_schema=False)
def signals(request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "signals.html", data=workflow.signal_list(context(request), who, request.query_params))


@router.get("/signals/{signal_id}", include_in_schema=False)
def signal(signal_id: str, request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "signal.html", data=workflow.signal(context(request), who, signal_id))


@router.post("/signals/{signal_id}/triage", include_in_schema=False)
def triage(signal_id: str, request: Request, action: str = Form(..., max_length=20),
           reason: str = Form("", max_length=4000), note: str = Form("", max_length=4000),
           assignee: str = Form("", max_length=64), csrf: str = Form("", max_length=100),
           who: Principal = Who) -> Response:  # fmt: skip
    check_csrf(request, who, csrf)
    done = workflow.triage(context(request), who, signal_id, action, reason or None, note or None, assignee or None)
    return _back(f"/signals/{quote(done['signal']['id'])}")


# -- watchlists ----------------------------------------------------------------------------------------


@router.get("/watchlists", include_in_schema=False)
def watchlists(request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "watchlists.html", data=workflow.watchlists(context(request), who))


@router.post("/watchlists", include_in_schema=False)
def create_watchlist(request: Request, name: str = Form(..., max_length=200), kind: str = Form(..., max_length=20),
                     value: str = Form(..., max_length=2000), severity: str = Form("medium", max_length=10),
                     csrf: str = Form("", max_length=100), who: Principal = Who) -> Response:  # fmt: skip
    check_csrf(request, who, csrf)
    made = workflow.create_watchlist(context(request), who, name, kind, value, severity)
    return _back(f"/watchlists/{made['watchlist']['id']}")


@router.get("/watchlists/{watch_id}", include_in_schema=False)
def watchlist(watch_id: int, request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "watchlist.html", data=workflow.watchlist(context(request), who, watch_id))


@router.post("/watchlists/{watch_id}/remove", include_in_schema=False)
def remove_watchlist(watch_id: int, request: Request, csrf: str = Form("", max_length=100),
                     who: Principal = Who) -> Response:  # fmt: skip
    check_csrf(request, who, csrf)
    workflow.remove_watchlist(context(request), who, watch_id)
    return _back("/watchlists")


# -- accounts and exports --------------------------------------------------------------------------------


@router.get("/admin/users", include_in_schema=False)
def users(request: Request, who: Principal = Who) -> HTMLResponse:
    return render(request, "users.html", data=workflow.users(context(request), who))


@router.post("/admin/users", include_in_schema=False)
def add_user(request: Request, name: str = Form(..., max_length=64), role: str = Form(..., max_length=20),
             password: str = Form(..., max_length=1024), csrf: str = Form("", max_length=100),
             who: Principal = Who) -> Response:  # fmt: skip
    check_csrf(request, who, csrf)
    workflow.add_user(context(request), who, name, role, password)
    return _back("/admin/users")


@router.post("/admin/users/{name}/token", include_in_schema=False)
def new_token(name: str, request: Request, csrf: str = Form("", max_length=100), who: Principal = Who
              ) -> HTMLResponse:  # fmt: skip
    check_csrf(request, who, csrf)
    token = workflow.new_token(context(request), who, name)
    return render(request, "users.html", data=workflow.users(context(request), who), token=token)


@router.post("/admin/users/{name}/remove", include_in_schema=False)
def remove_user(name: str, request: Request, csrf: str = Form("", max_length=100), who: Principal = Who
                ) -> Response:  # fmt: skip
    check_csrf(request, who, csrf)
    workflow.remove_user(context(request), who, name)
    return _back("/admin/users")


@router.get("/export", include_in_schema=False)
def export(request: Request, who: Principal = Who) -> HTMLResponse:
    require(who, "export")
    params = views.SearchParams.parse(request.query_params)
    privacy.check_people(context(request), who, params)
    base = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "size")]
    return render(request, "export.html", params=params.to_json(), export_query=urlencode(base))
