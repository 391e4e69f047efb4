"""Who is asking, and what their role lets them do.

A request is authenticated by an API token (``Authorization: Bearer npw_...``) or by the session cookie the login
form sets.  Cookie-authenticated writes must carry the session's CSRF token (a form field ``csrf`` or the header
``X-CSRF-Token``) and, when the browser sends one, an ``Origin`` of this server; a token-authenticated request
carries no ambient credential, so it needs none.  The session cookie is ``HttpOnly``, ``SameSite=Strict`` and
``Secure`` (named ``__Host-npswatch``) unless ``NPSWATCH_WEB_SECURE_COOKIES=0`` (plain http on loopback).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request

from web.accounts import Session, User
from web.context import Context

# permission -> the roles that have it (docs/web.md)
PERMISSIONS: dict[str, frozenset[str]] = {
    "search": frozenset({"analyst", "ews", "researcher", "admin"}),  # search, documents, substances
    "evidence": frozenset({"analyst", "ews", "admin"}),  # archived pages name people: never researchers
    "signals": frozenset({"analyst", "ews", "admin"}),
    "triage": frozenset({"analyst", "ews", "admin"}),
    "signals_export": frozenset({"ews", "admin"}),
    "watchlists": frozenset({"analyst", "ews", "admin"}),
    "sources": frozenset({"analyst", "ews", "admin"}),
    "export": frozenset({"analyst", "researcher", "admin"}),  # pseudonymised corpora
    "users": frozenset({"admin"}),
}
LOGIN_COOKIE = "npswatch_login"  # the login form's CSRF token (before there is a session)


def session_cookie(secure: bool) -> str:
    return "__Host-npswatch" if secure else "npswatch_session"


@dataclass(frozen=True)
class Principal:
    user: User
    via: str  # session | token
    csrf: str | None = None  # the session's CSRF token
    session_id: str | None = None

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def researcher(self) -> bool:
        """Sees people pseudonymised, never by name."""
        return self.user.role == "researcher"

    def can(self, permission: str) -> bool:
        return self.user.role in PERMISSIONS[permission]


def context(request: Request) -> Context:
    found: Context = request.app.state.context
    return found


def authenticate(request: Request) -> Principal | None:
    """The principal of a request, or None."""
    ctx = context(request)
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        user = ctx.accounts.token_user(token.strip()) if scheme.lower() == "bearer" else None
        return Principal(user, "token") if user is not None else None
    session_id = request.cookies.get(session_cookie(ctx.config.secure_cookies), "")
    if not session_id:
        return None
    found: Session | None = ctx.accounts.session(session_id, ctx.config.session_hours * 3600,
                                                 ctx.config.idle_minutes * 60)  # fmt: skip
    return None if found is None else Principal(found.user, "session", found.csrf, session_id)


def principal(request: Request) -> Principal:
    """The FastAPI dependency of every route but login: 401 without a valid token or session."""
    found = authenticate(request)
    if found is None:
        raise HTTPException(401, "authentication required: log in, or send Authorization: Bearer <token>")
    request.state.principal = found
    return found


def require(who: Principal, permission: str) -> None:
    if not who.can(permission):
        raise HTTPException(403, f"the {who.role} role may not do this ({permission})")


def check_csrf(request: Request, who: Principal, submitted: str | None) -> None:
    """A cookie-authenticated write must carry the session's CSRF token and come from this origin."""
    if who.via != "session":
        return
    token = submitted or request.headers.get("x-csrf-token", "")
    if not who.csrf or not hmac.compare_digest(token.encode(), who.csrf.encode()):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")
    check_origin(request)


def check_origin(request: Request) -> None:
    origin = request.headers.get("origin")  # "null" from a sandboxed frame is refused too
    if origin and origin.rstrip("/") != str(request.base_url).rstrip("/"):
        raise HTTPException(403, "cross-origin request refused")
