"""Tokenizer tweaks: chemical names stay whole ("3-MMC", "2C-B", "4-F-MPH", "5F-MDMB-PICA", "α-PVP").

spaCy's default infixes split on a hyphen between a letter or digit and a letter; npswatch drops that rule (and only
that rule) so hyphenated names are single tokens. Hyphenated ordinary words ("xtc-pillen") then stay whole too; the
substance matcher looks inside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.language import Language


def _splits_hyphen_before_letter(pattern: str) -> bool:
    return "(?:-|–|—|--|---|——|~)" in pattern


def chemical_infixes(infixes: Sequence[Any] | None) -> list[Any]:
    """The language's infix rules without the one that splits a hyphen before a letter."""
    return [p for p in infixes or [] if not (isinstance(p, str) and _splits_hyphen_before_letter(p))]


def chemical_language(cls: type[Language]) -> type[Language]:
    """A subclass of the language class ``cls`` whose defaults have :func:`chemical_infixes`: its tokenizer is made
    with them, instead of being made with the default rules and changed after (which compiles the infix expression
    and reloads the special cases a second time)."""
    defaults = type("Defaults", (cls.Defaults,), {"infixes": chemical_infixes(cls.Defaults.infixes)})
    return type(cls.__name__, (cls,), {"Defaults": defaults, "lang": cls.lang})
