"""Pseudonymisation of people in exported documents: vendors and forum authors become keyed pseudonyms.

A pseudonym is ``HMAC-SHA256(key, scope + name)`` cut to 12 hex digits, with a prefix saying what it stands for
(``vendor-``, ``user-``, ``pgp-``). The same key gives the same pseudonym in every export, so researchers can follow a
vendor across exports and days; without the key a pseudonym cannot be turned back into a name, nor recomputed from a
guessed name. By default the scope is the source (a name on two markets gets two pseudonyms); ``link_sources`` makes
it the name alone, so a vendor who moves between markets keeps one pseudonym.

What changes in a document (see docs/export.md):
- people fields (``vendor``, ``author``, a vendor's ``name``) are replaced, URLs that name them are dropped, and so
  is the hash of the raw text;
- a vendor document's ``id`` (a hash of the name anyone could recompute) and PGP fingerprint are pseudonymised;
- in free text (titles, descriptions, posts, URLs), the names of known people of every source (a forum post names
  market vendors), ``@mentions``, e-mail addresses, messenger handles and PGP blocks are replaced.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from npswatch import settings

KEY_ENV = "NPSWATCH_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
MIN_NAME_LENGTH = 3  # shorter names are pseudonymised in their fields but not searched for in free text
TEXT_FIELDS = ("title", "description", "text", "thread_title", "url")
# a person's profile URL, and the hash of the raw (unpseudonymised) text, which would confirm a guessed original
DROPPED_FIELDS = ("vendor_url", "text_hash")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PGP_BLOCK = re.compile(r"-----BEGIN PGP [A-Z ]+-----.*?(?:-----END PGP [A-Z ]+-----|\Z)", re.DOTALL)
_HANDLE = re.compile(
    r"(?i)\b(telegram|wickr(?:\s*me)?|signal|session|threema|jabber|xmpp|whatsapp|snapchat|tox)"
    r"(\s*(?:id|ID)?\s*[:=]\s*)([@\w.+-]{3,80})"
)
_TELEGRAM_LINK = re.compile(r"(?i)\b(?:https?://)?t\.me/[\w+]{3,64}")
_MENTION = re.compile(r"(?<![\w@])@([\w.-]{2,32})")


class PseudonymKeyError(ValueError):
    """The pseudonymisation key is missing or too short."""


def key_from_environment() -> bytes:
    """The secret key from ``$NPSWATCH_PSEUDONYM_KEY`` (at least 16 characters); never a default."""
    value = settings.secret(KEY_ENV) or ""
    if len(value) < MIN_KEY_LENGTH:
        found = "it is not set" if not value else f"it has {len(value)} characters"
        raise PseudonymKeyError(
            f"{KEY_ENV} must hold a secret of at least {MIN_KEY_LENGTH} characters ({found}); "
            f"e.g. export {KEY_ENV}=$(openssl rand -hex 32), and keep it to re-create the same pseudonyms"
        )
    return value.encode("utf-8")


def key_fingerprint(key: bytes) -> str:
    """A short public fingerprint of the key, written in the export manifest (tells exports with one key apart)."""
    return hashlib.sha256(b"npswatch-pseudonym-key\x00" + key).hexdigest()[:16]


@dataclass
class Pseudonymiser:
    """Replaces people in documents; ``known`` holds each source's people names, searched for in free text."""

    key: bytes
    link_sources: bool = False
    known: dict[str, dict[str, str]] = field(default_factory=dict)  # source -> casefolded name -> prefix
    counts: dict[str, int] = field(default_factory=dict)  # what was replaced, by kind

    def pseudonym(self, prefix: str, source: str, name: str) -> str:
        scope = "" if self.link_sources else source
        message = f"{scope}\x00{name.strip().casefold()}".encode()
        return f"{prefix}-{hmac.new(self.key, message, hashlib.sha256).hexdigest()[:12]}"

    def learn(self, source: str, names: Iterable[str | None], prefix: str) -> None:
        """Add people of a source (``prefix`` ``vendor`` or ``user``) before its documents are processed; a name
        learnt first keeps its prefix, so learn vendors before forum users."""
        bucket = self.known.setdefault(source, {})
        for name in names:
            if name and name.strip():
                bucket.setdefault(name.strip().casefold(), prefix)
        self.__dict__.pop("_name_pattern", None)  # compiled again, with the new names, on first use

    def document(self, doc: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of ``doc`` with its people replaced."""
        out = dict(doc)
        source = str(out.get("source") or "")
        if out.get("kind") == "vendor" and out.get("name"):
            name = str(out["name"])
            out["name"] = self.pseudonym("vendor", source, name)
            out["id"] = self.pseudonym("vendor", source, name)  # the stored id is sha256 of the name
            out["url"] = None
            self._count("vendor_name")
        if out.get("vendor"):
            out["vendor"] = self.pseudonym("vendor", source, str(out["vendor"]))
            self._count("vendor")
        if out.get("author"):
            out["author"] = self.pseudonym("user", source, str(out["author"]))
            self._count("author")
        if out.get("pgp_fingerprint"):  # one key, one person, on every market: scoped to nothing
            digest = hmac.new(self.key, str(out["pgp_fingerprint"]).encode(), hashlib.sha256).hexdigest()[:12]
            out["pgp_fingerprint"] = f"pgp-{digest}"
        for name in DROPPED_FIELDS:
            if name in out:
                out[name] = None
        for name in TEXT_FIELDS:
            value = out.get(name)
            if isinstance(value, str) and value:
                out[name] = self.text(source, value)
        return out

    def text(self, source: str, text: str) -> str:
        """Free text with the source's known people, mentions, e-mails, handles and PGP blocks replaced."""
        text = self._sub(_PGP_BLOCK, "[pgp block]", text, "pgp_block")
        text = self._sub(_EMAIL, "[email]", text, "email")
        text = self._sub(_TELEGRAM_LINK, "[contact]", text, "contact")
        text, n = _HANDLE.subn(lambda m: f"{m[1]}{m[2]}[contact]", text)
        self._count("contact", n)
        pattern = self._name_pattern
        if pattern is not None:
            text, n = pattern.subn(lambda m: self._known_name(source, m[0]), text)
            self._count("name_in_text", n)
        text, n = _MENTION.subn(lambda m: "@" + self._known_name(source, m[1]), text)
        self._count("mention", n)
        return text

    def _known_name(self, source: str, name: str) -> str:
        """The pseudonym of a name met in ``source``'s text: as a person of that source if it has one by that name,
        else as the person of the first other source who has (forum posts name market vendors), else a user."""
        key = name.casefold()
        for scope in (source, *sorted(self.known)):
            prefix = self.known.get(scope, {}).get(key)
            if prefix is not None:
                return self.pseudonym(prefix, scope, name)
        return self.pseudonym("user", source, name)

    @cached_property
    def _name_pattern(self) -> re.Pattern[str] | None:
        """One pattern for the people of every source (a post may name anyone), longest names first."""
        known = {n for names in self.known.values() for n in names if len(n) >= MIN_NAME_LENGTH}
        alternation = "|".join(re.escape(n) for n in sorted(known, key=lambda n: (-len(n), n)))
        return re.compile(rf"(?<![\w@])(?:{alternation})(?!\w)", re.IGNORECASE) if alternation else None

    def _sub(self, pattern: re.Pattern[str], replacement: str, text: str, what: str) -> str:
        text, n = pattern.subn(replacement, text)
        self._count(what, n)
        return text

    def _count(self, what: str, n: int = 1) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n
