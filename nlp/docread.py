"""What the components read of a spaCy ``Doc``: the hits of a ``PhraseMatcher`` and a token's offsets and ids, by
position, without making a ``Token`` object per read.

This file is the reference, in plain Python through spaCy's API. ``make install`` also compiles
``nlp/docread.pyx``, the same functions written in Cython against spaCy's C structures (``Doc.c``, an array of
``TokenC``, and the trie of a ``PhraseMatcher``, walked as its ``find_matches`` walks it), into a module of the same
name that Python imports in preference to this file (as the mypyc-compiled modules, setup.py). Through the API, each
read makes a ``Token`` (a `PhraseMatcher` call also builds a Python tuple per hit and decodes each hit's key to look
for a callback); compiled, a read is an array look-up: a phrase-matcher call on a short text costs about half, a
token read about a third (docs/benchmarks.md, "Extraction"). Both give the same values: ``tests/nlp/test_docread.py``
compares them.

Positions are token indices into ``doc`` (``0 <= i < len(doc)``; a negative one counts from the end, as ``doc[i]``).
"""

from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc


def matches(matcher: PhraseMatcher, doc: Doc) -> list[tuple[int, int, int]]:
    """``matcher(doc)``: its hits as ``(match key, start token, end token)``, in its order (by start, then end).
    The components' matchers have no ``on_match`` callbacks (the compiled version does not call any)."""
    found: list[tuple[int, int, int]] = matcher(doc)
    return found


class Phrases:
    """The hits of a ``PhraseMatcher`` whose words' lower-case ids are those of one of the phrases of their key
    (``phrases``: key -> the lower-case ids of each of its phrases)."""

    def __init__(self, matcher: PhraseMatcher, phrases: dict[int, set[tuple[int, ...]]]) -> None:
        self.matcher = matcher
        self.phrases = phrases

    def hits(self, doc: Doc) -> list[tuple[int, int, int, int, int]]:
        """In the matcher's order, as ``(match key, start token, end token, start char, end char)``."""
        return [
            (key, start, stop, idx(doc, start), end(doc, stop - 1))
            for key, start, stop in matches(self.matcher, doc)
            if lowers(doc, start, stop) in self.phrases[key]
        ]


def idx(doc: Doc, i: int) -> int:
    """``doc[i].idx``: the token's first character."""
    return doc[i].idx


def end(doc: Doc, i: int) -> int:
    """``doc[i].idx + len(doc[i])``: the character after the token."""
    token = doc[i]
    return token.idx + len(token)


def lower(doc: Doc, i: int) -> int:
    """``doc[i].lower``: the id of the token's lower-case form."""
    return doc[i].lower


def orth(doc: Doc, i: int) -> int:
    """``doc[i].orth``: the id of the token's text."""
    return doc[i].orth


def suffix(doc: Doc, i: int) -> int:
    """``doc[i].suffix``: the id of the token's last three characters."""
    return doc[i].suffix


class WordBits:
    """Bits per lower-case id (``table``; 0 for an id it does not hold), with ``suffix_bit`` added for a token whose
    ``suffix`` is one of ``suffixes``: what a component's tables say of each word of a doc, read in one call."""

    def __init__(self, table: dict[int, int], suffixes: frozenset[int], suffix_bit: int) -> None:
        self.table = dict(table)
        self.suffixes = frozenset(suffixes)
        self.suffix_bit = suffix_bit

    def read(self, doc: Doc) -> list[int]:
        """The bits of each token of ``doc``, by position."""
        return [
            self.table.get(token.lower, 0) | (self.suffix_bit if token.suffix in self.suffixes else 0) for token in doc
        ]


def lowers(doc: Doc, start: int, stop: int) -> tuple[int, ...]:
    """``tuple(t.lower for t in doc[start:stop])`` for ``0 <= start <= stop <= len(doc)``."""
    return tuple([doc[k].lower for k in range(start, stop)])
