"""The workbench's settings, from ``npswatch.settings`` (docs/settings.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from npswatch import settings


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
        return cls(
            db=db or settings.db_target(),
            data=settings.data_dir(),
            users_db=settings.users_db(),
            secure_cookies=settings.web_secure_cookies(),
            session_hours=settings.web_session_hours(),
            idle_minutes=settings.web_idle_minutes(),
        )


def demo_password() -> str | None:
    return settings.secret("NPSWATCH_DEMO_PASSWORD")
