"""Normalisation keys shared by the lexicon builder and the matchers.

``form_key`` makes "3-MMC", "3 MMC", "3mmc" and "3-mmc" one key; ``sound_key`` further folds common spelling
variation ("mefedron" / "mephedrone", "kokain" / "cocaine") so misspellings find the right substance.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_GREEK = str.maketrans({"α": "a", "β": "b", "γ": "g", "δ": "d", "Δ": "d", "μ": "u", "µ": "u", "ω": "o"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ALPHA_PREFIX = re.compile(r"\b(alpha|beta)[\s\-]+")


@lru_cache(maxsize=50_000)
def form_key(text: str) -> str:
    """Lower-case, fold accents and Greek letters, drop everything that is not a letter or digit."""
    lowered = text.lower().translate(_GREEK)
    lowered = _ALPHA_PREFIX.sub(lambda m: m.group(1)[0], lowered)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", ascii_only)


_SOUND_RULES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"y"), "i"),
    (re.compile(r"k"), "c"),
    (re.compile(r"z"), "s"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"e$"), ""),
]


@lru_cache(maxsize=50_000)
def sound_key(text: str) -> str:
    """A coarse spelling-insensitive key for words of five letters or more (empty otherwise)."""
    key = form_key(text)
    if len(key) < 5 or not key.isalpha():
        return ""
    for pattern, repl in _SOUND_RULES:
        key = pattern.sub(repl, key)
    return key
