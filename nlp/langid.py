"""Language identification per text, offline, among the four npswatch languages (lingua, low-accuracy mode).

Only the first ``max_chars`` characters are read, so the cost does not grow with the text. A text with too few
letters to tell (a listing title such as "3-MMC 10g") falls back to ``default``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SUPPORTED = ("en", "nl", "fr", "de")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_FUNCTION_WORDS = {
    "en": frozenset(
        [
            "the",
            "and",
            "i",
            "it",
            "was",
            "is",
            "of",
            "to",
            "my",
            "with",
            "for",
            "but",
            "this",
            "that",
            "you",
            "not",
            "have",
            "had",
            "just",
            "they",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "ik",
            "niet",
            "van",
            "is",
            "dat",
            "je",
            "was",
            "met",
            "maar",
            "op",
            "voor",
            "heb",
            "zijn",
            "ook",
            "wel",
            "geen",
            "nog",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "je",
            "pas",
            "de",
            "des",
            "un",
            "une",
            "est",
            "que",
            "du",
            "pour",
            "mais",
            "avec",
            "ai",
            "sur",
            "ce",
            "il",
            "en",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ich",
            "nicht",
            "ist",
            "ein",
            "eine",
            "mit",
            "war",
            "aber",
            "auf",
            "für",
            "hab",
            "habe",
            "es",
            "zu",
            "den",
            "dem",
        ]
    ),
}


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = (Language.ENGLISH, Language.DUTCH, Language.FRENCH, Language.GERMAN)
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect(text: str, default: str = "en", max_chars: int = 2000) -> str:
    """ISO 639-1 code of ``text`` among en, nl, fr, de; ``default`` when the text has too little language in it."""
    sample = text[:max_chars]
    words = [w.lower() for w in _WORDS.findall(sample)]
    if len(words) < 2:
        return default
    counts = {lang: sum(w in vocab for w in words) for lang, vocab in _FUNCTION_WORDS.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if ranked[0][1] >= 2 and ranked[0][1] >= 2 * ranked[1][1]:
        return ranked[0][0]
    if sum(len(w) for w in words) < 12:
        return default
    from lingua import Language

    codes = {Language.ENGLISH: "en", Language.DUTCH: "nl", Language.FRENCH: "fr", Language.GERMAN: "de"}
    found = _detector().detect_language_of(" ".join(words))
    return codes.get(found, default) if found is not None else default
