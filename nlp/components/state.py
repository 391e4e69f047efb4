"""Where components leave their results: an :class:`nlp.types.Extraction` in ``doc.user_data``, filled in
pipeline order and readable as ``doc._.nps``. (``user_data`` is used directly because it is several times cheaper
per access than the ``doc._`` proxy, which matters at a few microseconds per listing title.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Generic, TypeVar

from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

from nlp.types import Extraction


def string_id(text: str) -> int:
    """The id spaCy gives ``text`` (``Token.lower``, ``Token.prefix``... are such ids: the string's hash, or a
    symbol's number for the strings spaCy has symbols for, such as "cop"); comparing ids spares decoding a token's
    text."""
    value: int = get_string_id(text)
    return value


@lru_cache(maxsize=1)
def digit_ids() -> frozenset[int]:
    """Ids of the one-character strings that are digits (``str.isdigit``): a token starts with a digit iff its
    ``prefix`` (its first character) is one of them. Computed once, when a pipeline is built."""
    return frozenset(map(string_id, [c for c in map(chr, range(0x110000)) if c.isdigit()]))


CONTEXT_LIMIT = 64  # the longest match context kept (longer ones, rare in real text, are matched every time)


def match_context(text: str, start: int, spaces: int) -> str | None:
    """All a regular expression tried at ``start`` can read, for one whose only look-behind is one character and that
    takes fewer than ``spaces`` whitespace characters (every whitespace class in it optional, ``\\s?``): from the
    character before ``start`` (a space stands for the start of the text, which such a look-behind treats alike when it
    rejects word characters) to the ``spaces``-th whitespace character from ``start`` included, or to the end of the
    text (so a context that ends with fewer whitespace characters is one that ends the text). Two texts with the same
    context at two positions get the same match there: a match found once can be kept under its context.
    None if the context would be longer than ``CONTEXT_LIMIT`` characters: the look-up then stays cheap and bounded
    (a text with no whitespace would otherwise give contexts as long as itself, at every position)."""
    n = min(len(text), start + CONTEXT_LIMIT)
    i = start
    seen = 0
    while i < n:
        if text[i].isspace():
            seen += 1
            if seen == spaces:
                return text[start - 1 : i + 1] if start > 0 else " " + text[: i + 1]
        i += 1
    if n < len(text):
        return None
    return text[start - 1 :] if start > 0 else " " + text


T = TypeVar("T")


class MatchCache(Generic[T]):
    """What a regular expression found at a position, kept per ``match_context``: a word or an amount that comes again
    costs a dictionary look-up instead of a match. ``read`` turns a match (and its start) into what is kept; ``missing``
    is kept where the expression does not match. At most ``size`` contexts (emptied when full); contexts longer than
    ``CONTEXT_LIMIT`` are matched every time."""

    def __init__(self, spaces: int, size: int, read: Callable[[re.Match[str], int], T], missing: T) -> None:
        self.spaces = spaces  # the expression takes fewer whitespace characters than this (see ``match_context``)
        self.size = size
        self.read = read
        self.missing = missing
        self.found: dict[str, T] = {}

    def match(self, regex: re.Pattern[str], text: str, start: int) -> T:
        context = match_context(text, start, self.spaces)
        if context is not None:
            kept = self.found.get(context)
            if kept is not None:
                return kept
        m = regex.match(text, start)
        result = self.missing if m is None else self.read(m, start)
        if context is not None:
            if len(self.found) >= self.size:
                self.found.clear()
            self.found[context] = result
        return result


Match = tuple[int, int, int]  # (match key, start token, end token), as spaCy's matchers give them

KEY = "npswatch_extraction"
TEXT_KEY = "npswatch_text"
DATE_KEY = "npswatch_date"
NAMES_KEY = "npswatch_name_positions"  # tokens carrying the name norm, found by the substance matcher's one call
PHRASES_KEY = "npswatch_phrase_hits"  # later components' phrases among the hits of the substance matcher's one call

if not Doc.has_extension("nps"):
    Doc.set_extension("nps", getter=lambda doc: doc.user_data.get(KEY))


def findings(doc: Doc) -> Extraction:
    """The doc's extraction, created on first use (only this module writes ``KEY``, so no type check is needed)."""
    user_data = doc.user_data
    current: Extraction | None = user_data.get(KEY)
    if current is None:
        current = user_data[KEY] = Extraction(lang=doc.lang_)
    return current


def doc_text(doc: Doc) -> str:
    """The doc's text; ``Doc.text`` joins every token on each access, so it is computed once and kept."""
    user_data = doc.user_data
    text: str | None = user_data.get(TEXT_KEY)
    if text is None:
        text = user_data[TEXT_KEY] = doc.text
    return text


class PhraseTable:
    """Phrases a later component looks up (route words, effect phrases, consumption verbs), matched in the substance
    matcher's one ``PhraseMatcher`` call on ``NORM`` instead of a call of its own on ``LOWER``.

    A word's norm is a function of its lower-case text (see :mod:`nlp.vocab`), so that call finds every place a
    ``LOWER`` matcher would, and a few more (spelling variants share a norm, and so do all name-shaped words):
    :meth:`accepts` keeps a hit only if its words' lower-case forms are those of a phrase of its key, which gives
    exactly the ``LOWER`` matcher's hits. The substance matcher sorts the accepted hits by table into
    ``doc.user_data``; :meth:`hits` returns a table's, or, when no substance matcher ran before the component, the
    hits of a ``LOWER`` matcher of the table's own (built on first use)."""

    def __init__(self) -> None:
        self.patterns: dict[str, list[Doc]] = {}  # match key -> pattern docs
        self._lowers: dict[int, set[tuple[int, ...]]] = {}  # key id -> the LOWER ids of each of its phrases
        self._own: PhraseMatcher | None = None

    def add(self, key: str, docs: list[Doc]) -> None:
        self.patterns.setdefault(key, []).extend(docs)
        if docs:
            lowers = self._lowers.setdefault(docs[0].vocab.strings.add(key), set())
            lowers.update(tuple(t.lower for t in d) for d in docs)

    def keys(self) -> list[int]:
        """The ids of this table's match keys."""
        return list(self._lowers)

    def accepts(self, doc: Doc, match: Match) -> bool:
        key, start, end = match
        words = (doc[start].lower,) if end - start == 1 else tuple([doc[k].lower for k in range(start, end)])
        return words in self._lowers[key]

    def hits(self, doc: Doc) -> list[Match]:
        shared: dict[PhraseTable, list[Match]] | None = doc.user_data.get(PHRASES_KEY)
        if shared is not None:
            return shared.get(self) or []
        if self._own is None:
            self._own = PhraseMatcher(doc.vocab, attr="LOWER")
            for key, docs in self.patterns.items():
                self._own.add(key, docs)
        matches: list[Match] = self._own(doc)
        return matches


NO_PHRASES: dict[PhraseTable, list[Match]] = {}  # shared by every text without phrase hits: never changed
