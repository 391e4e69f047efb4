"""The workbench's settings: every environment variable it reads, read here and only here (docs/settings.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from storage import data_dir, default_target

USERS_DB_ENV = "NPSWATCH_USERS_DB"  # the accounts file (default <data dir>/users.sqlite3)
SECURE_COOKIES_ENV = "NPSWATCH_WEB_SECURE_COOKIES"  # 0: cookies without Secure, for plain http on loopback only
SESSION_HOURS_ENV = "NPSWATCH_WEB_SESSION_HOURS"  # a session ends this many hours after login (default 12)
IDLE_MINUTES_ENV = "NPSWATCH_WEB_IDLE_MINUTES"  # ... or after this many minutes without a request (default 60)
DEMO_PASSWORD_ENV = "NPSWATCH_DEMO_PASSWORD"  # the demo account's password (`make demo`); random when unset


@dataclass(frozen=True)
class WebConfig:
    db: str  # the document store (a SQLite file or a cluster URL)
    data: Path  # the data dir: WARC files, run history, sources' health
    users_db: Path
    secure_cookies: bool = True
    session_hours: float = 12.0
    idle_minutes: float = 60.0
    sources_dir: Path | None = None  # source files (None: crawlers.config's default)

    @property
    def warc_dir(self) -> Path:
        return self.data / "warc"

    @classmethod
    def from_env(cls, db: str | None = None) -> WebConfig:
        data = data_dir()
        return cls(
            db=db or default_target(),
            data=data,
            users_db=Path(os.environ.get(USERS_DB_ENV) or data / "users.sqlite3"),
            secure_cookies=os.environ.get(SECURE_COOKIES_ENV, "1").strip() not in ("0", "false", "no"),
            session_hours=_number(SESSION_HOURS_ENV, 12.0),
            idle_minutes=_number(IDLE_MINUTES_ENV, 60.0),
        )


def demo_password() -> str | None:
    return os.environ.get(DEMO_PASSWORD_ENV) or None


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name}: expected a number, found {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name}: expected a number above 0, found {raw!r}")
    return value
