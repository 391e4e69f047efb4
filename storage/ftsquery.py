"""User search text -> a safe SQLite FTS5 query.

The user types words, ``"quoted phrases"`` and ``prefix*`` terms; nothing they type is
FTS5 syntax.  Every term becomes a double-quoted FTS5 string, which the table's tokenizer
(unicode61, diacritics removed) splits exactly as it split the indexed text, so
``3-mmc`` becomes the phrase ``3 mmc`` and matches both "3-MMC" and "3 MMC".  Outside
quotes a term also matches its joined spelling ("3MMC") and, when it mixes digits and
letters, the spelling split between them (``3mmc`` matches "3-MMC").  Terms are ANDed.
Text with no letters or digits at all (``""``, ``*``, ``(``) matches everything, as
punctuation is not indexed either.
"""

from __future__ import annotations

import re
import unicodedata

MATCH_ALL = None
_PHRASE = re.compile(r'"([^"]*)"')
_DIGIT_RUNS = re.compile(r"\d+|[^\W\d_]+")  # "3mmc" -> "3", "mmc"
_MAX_TERMS = 32  # a longer query is cut here: FTS5 cost grows with every AND


def to_fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``, or ``None`` when it matches every document."""
    clauses = [clause for term in _terms(text) if (clause := _clause(term))]
    if not clauses:
        return MATCH_ALL
    return " AND ".join(clauses[:_MAX_TERMS])


def _terms(text: str) -> list[tuple[str, bool]]:
    """The user's terms as ``(text, is_phrase)``; a lone ``"`` is just punctuation."""
    composed = unicodedata.normalize("NFC", text)
    cleaned = "".join(ch if ch.isprintable() else " " for ch in composed)
    terms: list[tuple[str, bool]] = []
    position = 0
    for match in _PHRASE.finditer(cleaned):
        terms += [(word, False) for word in cleaned[position : match.start()].split()]
        terms.append((match[1], True))
        position = match.end()
    terms += [(word, False) for word in cleaned[position:].split()]
    return terms


def _clause(term: tuple[str, bool]) -> str:
    text, is_phrase = term
    words = _words(text)
    if not words:
        return ""
    star = "*" if not is_phrase and text.endswith("*") else ""
    spellings = [" ".join(words)]
    if not is_phrase:  # "3-mmc" also as "3mmc"; "3mmc" also as "3 mmc"
        spellings += ["".join(words), " ".join(part for word in words for part in _DIGIT_RUNS.findall(word))]
    quoted = [_quote(spelling) + star for spelling in dict.fromkeys(spellings)]
    return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"


def _words(text: str) -> list[str]:
    """Runs of letters and digits, roughly as the unicode61 tokenizer finds them."""
    return [word for word in re.split(r"[\W_]+", text) if word]


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'
