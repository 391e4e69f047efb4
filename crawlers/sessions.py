"""Sessions: cookies a person exported from a browser after logging in to a site.

A source with ``cookies_file`` sends these cookies with its start requests; Scrapy's cookie
middleware keeps them for the rest of the crawl.  The file lives outside the repository and
must be readable by its owner only: a file inside the repository, a group- or world-readable file
and a missing one are refused, with the source's name in the message.  Two formats are read:

* Netscape ``cookies.txt`` (browser extensions, ``curl -c``): tab-separated
  ``domain, include_subdomains, path, secure, expires, name, value``; ``#HttpOnly_`` prefixes kept.
* JSON: a list of ``{"name", "value", "domain", "path", "secure", "expirationDate"|"expires"}``
  (the Cookie-Editor / EditThisCookie export), or ``{"cookies": [...]}``.

Logging in, solving captchas or renewing a session is never automated: when the site shows a
page marked by the source's ``session.logged_out`` markers, the source goes to ``needs_login``.
"""

from __future__ import annotations

import json
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]  # cookies files may not live in here


class SessionError(Exception):
    """A cookies file that cannot be used; the message names the source and the file."""


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str
    domain: str
    path: str = "/"
    secure: bool = False
    expires: float | None = None  # Unix time; None for a session cookie

    def to_scrapy(self) -> dict[str, Any]:
        """The dict ``scrapy.Request(cookies=[...])`` takes."""
        return {"name": self.name, "value": self.value, "domain": self.domain, "path": self.path,
                "secure": self.secure}  # fmt: skip


def check_cookies_file(source_name: str, path: str | Path) -> Path:
    """The file, if it exists and only its owner may read it; SessionError otherwise."""
    file = Path(path).expanduser()
    try:
        mode = file.stat().st_mode
    except FileNotFoundError:
        raise SessionError(f"{source_name}: cookies_file {file} does not exist (export the cookies of a logged-in "
                           "browser session to it; see docs/scheduler.md)") from None  # fmt: skip
    except OSError as exc:
        raise SessionError(f"{source_name}: cookies_file {file} cannot be read: {exc}") from exc
    if file.resolve().is_relative_to(REPOSITORY):
        raise SessionError(f"{source_name}: cookies_file {file} is inside the repository; keep sessions outside it "
                           "(e.g. ~/.config/npswatch/cookies/) so they are never committed")  # fmt: skip
    if not stat.S_ISREG(mode):
        raise SessionError(f"{source_name}: cookies_file {file} is not a regular file")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SessionError(f"{source_name}: cookies_file {file} is readable by others (mode {stat.S_IMODE(mode):04o}); "
                           f"expected owner-only access: chmod 600 {file}")  # fmt: skip
    return file


def load_cookies(source_name: str, path: str | Path, now: float | None = None) -> list[Cookie]:
    """The unexpired cookies of the file (Netscape or JSON, told apart by content)."""
    file = check_cookies_file(source_name, path)
    text = file.read_text(encoding="utf-8")
    try:
        cookies = _from_json(text) if text.lstrip()[:1] in ("[", "{") else _from_netscape(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise SessionError(f"{source_name}: cookies_file {file}: expected Netscape cookies.txt or a JSON list of "
                           f"cookies, found {exc}") from exc  # fmt: skip
    moment = time.time() if now is None else now
    return [c for c in cookies if c.expires is None or c.expires <= 0 or c.expires > moment]


def _from_netscape(text: str) -> list[Cookie]:
    cookies = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#HttpOnly_"):
            line = line.removeprefix("#HttpOnly_")
        elif not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 7:
            raise ValueError(f"line {number} with {len(parts)} tab-separated fields instead of 7")
        domain, _, path, secure, expires, name, value = parts
        cookies.append(Cookie(name, value, domain, path or "/", secure.upper() == "TRUE", float(expires or 0) or None))
    return cookies


def _from_json(text: str) -> list[Cookie]:
    data = json.loads(text)
    rows = data.get("cookies") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ValueError("JSON that is not a list of cookies")
    cookies = []
    for row in rows:
        expires = row.get("expirationDate", row.get("expires"))
        cookies.append(Cookie(str(row["name"]), str(row["value"]), str(row["domain"]), str(row.get("path") or "/"),
                              bool(row.get("secure", False)), float(expires) if expires else None))  # fmt: skip
    return cookies
