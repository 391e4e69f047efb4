"""Accounts of the workbench: users with a role, server-side sessions, API tokens and failed logins.

One SQLite file in the data dir (``users.sqlite3``, ``$NPSWATCH_USERS_DB``), readable by its owner only (0600).
Passwords are kept as argon2id hashes (``argon2-cffi``'s defaults).  Session ids and API tokens are random
(256 bits) and kept as SHA-256 hashes: whoever reads the file cannot use them (a fast hash is enough for secrets that
cannot be guessed).  A session ends at logout, ``session_hours`` after login, or ``idle_minutes`` after its last
request.  Failed logins are counted per user name and per client address; past ``MAX_FAILURES`` in
``FAILURE_WINDOW`` seconds, logins are refused until the window passes (``web.auth``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from storage.private import FILE_MODE, create_private

ROLES = ("analyst", "ews", "researcher", "admin")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSWORD = 12  # characters
MAX_PASSWORD = 1024
MAX_FAILURES = {"user": 5, "address": 20}  # failed logins allowed per user name / per client address ...
FAILURE_WINDOW = 15 * 60  # ... in this many seconds
TOKEN_PREFIX = "npw_"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    user TEXT NOT NULL COLLATE NOCASE,
    label TEXT NOT NULL,
    created_at REAL NOT NULL,
    last_used REAL
);
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY,
    user TEXT NOT NULL COLLATE NOCASE,
    csrf TEXT NOT NULL,
    created_at REAL NOT NULL,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    key TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at);
"""
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("npswatch: a hash to verify against when the user does not exist")


class AccountError(ValueError):
    """A user, role or password that cannot be accepted; the message says what was expected."""


@dataclass(frozen=True)
class User:
    name: str
    role: str


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str  # the token every form and cookie-authenticated API write must carry


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Accounts:
    """The accounts file; each call opens its own connection (server threads call it concurrently)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            create_private(path)
            os.chmod(path, FILE_MODE)
            with self._db() as db:
                db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise AccountError(f"{path}: cannot use the accounts file ({exc}); expected a writable SQLite file "
                               "(NPSWATCH_USERS_DB)") from exc  # fmt: skip

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30.0)
        try:
            with db:
                yield db
        finally:
            db.close()

    # -- users ---------------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> User:
        if not NAME.match(name):
            raise AccountError(f"user name: expected 1-64 letters, digits, '.', '_' or '-', found {name!r}")
        if role not in ROLES:
            raise AccountError(f"role: expected one of {', '.join(ROLES)}, found {role!r}")
        check_password(password)
        try:
            with self._db() as db:
                db.execute("INSERT INTO users VALUES (?, ?, ?, ?)", (name, role, _hasher.hash(password), time.time()))
        except sqlite3.IntegrityError as exc:
            raise AccountError(f"user {name!r} exists already") from exc
        return User(name, role)

    def set_password(self, name: str, password: str) -> None:
        check_password(password)
        with self._db() as db:
            if db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name)
                          ).rowcount == 0:  # fmt: skip
                raise AccountError(f"no user {name!r}")
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))

    def remove_user(self, name: str) -> None:
        """Remove the user, their tokens and their sessions."""
        with self._db() as db:
            if db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
                raise AccountError(f"no user {name!r}")
            db.execute("DELETE FROM tokens WHERE user = ?", (name,))
            db.execute("DELETE FROM sessions WHERE user = ?", (name,))

    def user(self, name: str) -> User | None:
        with self._db() as db:
            row = db.execute("SELECT name, role FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else User(*row)

    def users(self) -> list[dict[str, object]]:
        sql = (
            "SELECT u.name, u.role, u.created_at, (SELECT count(*) FROM tokens t WHERE t.user = u.name) "
            "FROM users u ORDER BY u.name"
        )
        with self._db() as db:
            rows = db.execute(sql).fetchall()
        return [{"name": n, "role": r, "created_at": _iso(c), "tokens": int(t)} for n, r, c, t in rows]

    def verify(self, name: str, password: str) -> User | None:
        """The user when the password is theirs; an unknown name costs the same hash check."""
        with self._db() as db:
            row = db.execute("SELECT name, role, password_hash FROM users WHERE name = ?", (name,)).fetchone()
        try:
            _hasher.verify(row[2] if row else _DUMMY, password[:MAX_PASSWORD])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        return User(row[0], row[1]) if row else None

    # -- API tokens ----------------------------------------------------------------------------------

    def new_token(self, name: str, label: str = "") -> str:
        """A new API token for the user, shown once: only its hash is kept."""
        user = self.user(name)
        if user is None:
            raise AccountError(f"no user {name!r}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._db() as db:
            db.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, NULL)", (secret_hash(token), user.name, label[:100],
                                                                        time.time()))  # fmt: skip
        return token

    def token_user(self, token: str) -> User | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self._db() as db:
            row = db.execute("SELECT u.name, u.role FROM tokens t JOIN users u ON u.name = t.user WHERE t.hash = ?",
                             (secret_hash(token),)).fetchone()  # fmt: skip
            if row is not None:
                db.execute("UPDATE tokens SET last_used = ? WHERE hash = ?", (time.time(), secret_hash(token)))
        return None if row is None else User(*row)

    # -- sessions ------------------------------------------------------------------------------------

    def new_session(self, user: User) -> tuple[str, Session]:
        """A new session for ``user``: its id (for the cookie, shown once) and the session."""
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = time.time()
        with self._db() as db:
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", (secret_hash(session_id), user.name, csrf, now,
                                                                       now))  # fmt: skip
        return session_id, Session(user, csrf)

    def session(self, session_id: str, max_age: float, idle: float) -> Session | None:
        """The live session with this id (its last request noted), or None; expired sessions are deleted."""
        if not session_id or len(session_id) > 200:
            return None
        now = time.time()
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE created_at < ? OR seen_at < ?", (now - max_age, now - idle))
            row = db.execute(
                "SELECT u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.name = s.user WHERE s.hash = ?",
                (secret_hash(session_id),),
            ).fetchone()
            if row is not None:
                db.execute("UPDATE sessions SET seen_at = ? WHERE hash = ?", (now, secret_hash(session_id)))
        return None if row is None else Session(User(row[0], row[1]), row[2])

    def end_session(self, session_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE hash = ?", (secret_hash(session_id),))

    # -- failed logins -------------------------------------------------------------------------------

    def failures(self, key: str) -> int:
        with self._db() as db:
            db.execute("DELETE FROM failures WHERE at < ?", (time.time() - FAILURE_WINDOW,))
            return int(db.execute("SELECT count(*) FROM failures WHERE key = ?", (key,)).fetchone()[0])

    def record_failure(self, *keys: str) -> None:
        with self._db() as db:
            db.executemany("INSERT INTO failures VALUES (?, ?)", [(key, time.time()) for key in keys])

    def clear_failures(self, key: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM failures WHERE key = ?", (key,))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: expected at least {MIN_PASSWORD} characters, found {len(password)}")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"password: expected at most {MAX_PASSWORD} characters")
    if len(set(password)) < 4:
        raise AccountError("password: expected more than 3 different characters")


def _iso(stamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))
