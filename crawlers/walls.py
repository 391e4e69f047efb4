"""Walls: pages that stand between the crawler and a site's content, recognised before parsing.

Markets put DDoS-protection queues, captchas and login forms in front of their pages.  Such a
page is reported as a wall (``npswatch/walls/<kind>`` in stats, and in the Tor source status),
never parsed as content.  ``detect_wall`` is a pure function of the page text and the source's
own markers (``walls:`` in the source file), checked before the built-in ones.  Every marker runs on
RE2 (``crawlers.patterns``): linear in the page, whatever the page or the pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from crawlers.patterns import Pattern, regex

if TYPE_CHECKING:
    from crawlers.config import WallMarkers

WallKind = Literal["queue", "captcha", "login"]
KINDS: tuple[WallKind, ...] = ("queue", "captcha", "login")  # checked in this order: a queue often shows a captcha

BUILTIN: dict[WallKind, tuple[Pattern, ...]] = {
    "queue": tuple(regex(p, True) for p in (
        r"\bddos[- ]?(?:protection|guard|filter|mitigation)\b",
        r"\byou are (?:now )?in (?:the |a )?queue\b",
        r"\b(?:position|place) in (?:the )?queue\b",
        r"\bchecking your browser\b",
        r"\bplease wait while we (?:check|verify)\b",
    )),
    "captcha": tuple(regex(p, True) for p in (
        r"<input[^>]+name=[\"']?[\w-]*captcha",
        r"<img[^>]+(?:src|id|class|alt)=[\"']?[^\"'>]*captcha",
        r"\b(?:g-recaptcha|h-captcha|cf-turnstile)\b",
        r"\b(?:solve|enter|complete) the captcha\b",
        r"\bare you (?:a )?human\b",
    )),
    "login": (),  # see _looks_like_login: a password field alone is not a wall
}
# Words one of the kind's built-in markers needs: without any of them, its regexes cannot match.
_HINTS: dict[WallKind, tuple[str, ...]] = {
    "queue": ("ddos", "queue", "checking your browser", "please wait while we"),
    "captcha": ("captcha", "turnstile", "are you human", "are you a human"),
    "login": (),
}
_PASSWORD = regex(r"<input[^>]+type=[\"']?password", True)
_LOGIN_TITLE = regex(
    r"<(?:title|h1|h2)[^>]*>[^<]*\b(?:log ?in|sign ?in|inloggen|connexion|anmelden|members only|login required)\b", True
)


@dataclass(frozen=True)
class Wall:
    kind: WallKind
    marker: str  # the pattern that matched, for the log and the status


def _looks_like_login(text: str) -> bool:
    """A password field on a page whose title or heading asks to log in (a sidebar login box is not a wall)."""
    return _PASSWORD.test(text) and _LOGIN_TITLE.test(text)


def detect_wall(text: str, markers: WallMarkers | None = None) -> Wall | None:
    """The wall this page is, or None for a content page.  The source's markers win over the built-in ones."""
    for kind in KINDS:
        for pattern in getattr(markers, kind, None) or ():
            if regex(pattern, True).test(text):
                return Wall(kind, pattern)
    lowered = text.casefold()
    for kind in KINDS:
        if not any(hint in lowered for hint in _HINTS[kind]):  # cheap test first: content pages are the rule
            continue
        for compiled in BUILTIN[kind]:
            if compiled.test(text):
                return Wall(kind, compiled.pattern)
    if _looks_like_login(text):
        return Wall("login", "password field under a log-in title")
    return None
