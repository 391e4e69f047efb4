"""Pseudonyms for people and for whatever a site could map back to a person; contacts out of free text.

A person's pseudonym is ``HMAC-SHA256(key, scope + name)`` cut to 12 hex digits, with a prefix saying what it stands
for (``vendor-``, ``user-``, ``pgp-``).  The same key gives the same pseudonym in every export, so researchers can
follow a vendor across exports and days; without the key a pseudonym cannot be turned back into a name, nor
recomputed from a guessed name.  By default the scope is the source (a name on two markets gets two pseudonyms);
``link_sources`` makes it the name alone, so a vendor who moves between markets keeps one pseudonym.

Identifiers a site knows (its own listing, post and thread ids, and the stored document id, a plain hash of them)
become keyed ids the same way (:meth:`Pseudonymiser.keyed`): a researcher can still join a post to its thread or a
listing across exports, a site cannot look them up.

Free text (:meth:`Pseudonymiser.text`) loses contact details (``exports.scrub``), then the names of known people of
every source (a forum post names market vendors) and ``@mentions``, replaced by their pseudonyms.  Which fields go
into an export, and how, is ``exports.records``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from exports.keys import KEY_ENV, PseudonymKeyError, key_from_environment
from exports.scrub import Scrubber

__all__ = ["KEY_ENV", "PseudonymKeyError", "Pseudonymiser", "key_from_environment"]

MIN_NAME_LENGTH = 3  # shorter names are pseudonymised in their fields but not searched for in free text
_MENTION = re.compile(r"(?<![\w@])@([\w.-]{2,32})")


@dataclass
class Pseudonymiser:
    """Replaces people; ``known`` holds each source's people names, searched for in free text."""

    key: bytes
    link_sources: bool = False
    known: dict[str, dict[str, str]] = field(default_factory=dict)  # source -> casefolded name -> prefix
    scrubber: Scrubber = field(default_factory=Scrubber)

    @property
    def counts(self) -> dict[str, int]:
        """What was replaced, by kind (shared with the scrubber)."""
        return self.scrubber.counts

    def pseudonym(self, prefix: str, source: str, name: str) -> str:
        scope = "" if self.link_sources else source
        message = f"{scope}\x00{name.strip().casefold()}".encode()
        return f"{prefix}-{hmac.new(self.key, message, hashlib.sha256).hexdigest()[:12]}"

    def keyed(self, prefix: str, *parts: str) -> str:
        """A keyed id for a site's identifier (``doc``, ``thread``): 16 hex digits of HMAC-SHA256(key, parts)."""
        message = "\x00".join((prefix, *parts)).encode()
        return f"{prefix}-{hmac.new(self.key, message, hashlib.sha256).hexdigest()[:16]}"

    def person(self, prefix: str, source: str, name: object) -> str | None:
        """The pseudonym of a person field's value (None stays None); counted under ``prefix``."""
        if name is None or not str(name).strip():
            return None
        self.scrubber.count(prefix)
        return self.pseudonym(prefix, source, str(name))

    def pgp(self, fingerprint: object) -> str | None:
        """One PGP key is one person on every market: its pseudonym is scoped to nothing."""
        if not fingerprint:
            return None
        digest = hmac.new(self.key, str(fingerprint).replace(" ", "").upper().encode(), hashlib.sha256).hexdigest()
        return f"pgp-{digest[:12]}"

    def learn(self, source: str, names: Iterable[str | None], prefix: str) -> None:
        """Add people of a source (``prefix`` ``vendor`` or ``user``) before its documents are processed; a name
        learnt first keeps its prefix, so learn vendors before forum users."""
        bucket = self.known.setdefault(source, {})
        for name in names:
            if name and name.strip():
                bucket.setdefault(name.strip().casefold(), prefix)
        self.__dict__.pop("_name_pattern", None)  # compiled again, with the new names, on first use

    def text(self, source: str, text: str | None, language: str | None = None) -> str | None:
        """Free text with contact details, the known people of every source and mentions replaced."""
        if not text:
            return text
        text = self.scrubber.text(text, language)
        pattern = self._name_pattern
        if pattern is not None:
            text, n = pattern.subn(lambda m: self._known_name(source, m[0]), text)
            self.scrubber.count("name_in_text", n)
        text, n = _MENTION.subn(lambda m: "@" + self._known_name(source, m[1]), text)
        self.scrubber.count("mention", n)
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
