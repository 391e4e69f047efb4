"""Normalisation keys shared by the lexicon builder and the matchers.

``form_key`` makes "3-MMC", "3 MMC", "3mmc" and "3-mmc" one key; ``sound_key`` further folds common spelling
variation ("mefedron" / "mephedrone", "kokain" / "cocaine") so misspellings find the right substance.
``match_norm`` is the lexeme norm of the npswatch pipelines (see :mod:`nlp.vocab`): the ``form_key`` of a token, and
its ``sound_key`` for alphabetic words of five letters or more, so spaCy's ``PhraseMatcher`` on ``NORM`` finds every
case, hyphen and spelling variant of a lexicon form in compiled code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_GREEK = str.maketrans({"α": "a", "β": "b", "γ": "g", "δ": "d", "Δ": "d", "μ": "u", "µ": "u", "ω": "o"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ALPHA_PREFIX = re.compile(r"\b(alpha|alfa|beta)[\s\-]+")  # "alpha-PVP", "alfa-PVP" = "α-PVP"


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


def _fold_sound(key: str) -> str:
    for pattern, repl in _SOUND_RULES:
        key = pattern.sub(repl, key)
    return key


@lru_cache(maxsize=50_000)
def sound_key(text: str) -> str:
    """A coarse spelling-insensitive key for words of five letters or more (empty otherwise)."""
    key = form_key(text)
    if len(key) < 5 or not key.isalpha():
        return ""
    return _fold_sound(key)


_HALOGEN_O = re.compile(r"(fluor|chlor|brom|iod)o")  # "fluoro-" / "fluor-", "chloro" / "chlor" (German, Dutch)


@lru_cache(maxsize=4096)
def spelling_key(text: str) -> str:
    """A spelling-insensitive key for systematic names, digits kept: ``form_key`` with the halogen prefixes' "o"
    dropped and ``sound_key``'s folding ("4-Fluoramphetamin", "4-fluoroamphetamine" and "4-Fluoramfetamine" are one
    key); empty under eight characters, where two names are too easily one key."""
    key = form_key(text)
    if len(key) < 8:
        return ""
    return _fold_sound(_HALOGEN_O.sub(r"\1", key))


def match_norm(text: str) -> str:
    """The matching norm of one token: its ``sound_key`` if it has one, else its ``form_key``; a token with no letter
    or digit ("-", "€") keeps its lower-case text."""
    key = form_key(text)
    if not key:
        return text.lower()
    if len(key) >= 5 and key.isalpha():
        return _fold_sound(key)
    return key
