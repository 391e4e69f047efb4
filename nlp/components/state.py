"""What the npswatch components share: the documented ``Doc`` extensions they pass their results through, the check
of their order, and the helpers they use for matching.

Results go from one component to the next only through these extensions (registered when ``nlp.components`` is
imported; docs/extraction.md lists them):

- ``doc._.nps``: the :class:`nlp.types.Extraction` every component adds its findings to;
- ``doc._.nps_text``, ``doc._.nps_date``, ``doc._.nps_rates``: inputs a caller may set (the doc's text, kept so that
  ``Doc.text`` is not joined again; the day the text was seen; the exchange-rate table to convert with);
- ``doc._.nps_name_tokens``, ``doc._.nps_route_spans``, ``doc._.nps_offer_quantities``: what one component found
  for a later one (the name-shaped words, the routes with their offsets, the quantities that went into offers);
- ``doc._.nps_segments``: the sentences and clauses of the text (:class:`nlp.components.attribution.Segments`),
  found by the first component that needs them (effects or doses) and kept for the others.

Components read and write them through ``doc.user_data``, under the key ``"npswatch._.<name>"`` (``ext_key``; the
extensions' getters and setters read and write it, so ``doc._.name`` sees the same values): several times cheaper
per access than the ``doc._`` proxy, which counts for short texts such as listing titles (a test checks that both
agree).

Each component class declares what it reads (``READS``) and assigns (``ASSIGNS``), as ``doc._.nps.substances``-style
names; a name with a part after ``:`` is part of an attribute: the substance mentions the rules find
(``doc._.nps.substances:rules``, ``found_by: "rules"``) and those the trained recogniser adds
(``doc._.nps.substances:model``) are the two parts of ``doc._.nps.substances``, and reading an attribute reads all of
its parts. A component works alone; in a pipeline, any component that assigns what it reads (or a part of it) must run
before it: :func:`check_order`, called from each component's ``initialize``, raises
:class:`nlp.errors.PipelineOrderError` otherwise.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any, Final, Generic, TypeVar

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp import docread
from nlp.errors import PipelineOrderError
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


def space_at(text: str, i: int) -> bool:
    """``text[i].isspace()``, without making a string of an ASCII character (compiled, ``ord(text[i])`` reads it)."""
    code = ord(text[i])
    if code < 128:
        return 9 <= code <= 13 or 28 <= code <= 32
    return text[i].isspace()


CONTEXT_LIMIT: Final = 64  # the longest match context kept (longer ones, rare in real text, are matched every time)


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
        code = ord(text[i])  # ``space_at``, inline (a call per character costs as much as the test)
        if (9 <= code <= 13 or 28 <= code <= 32) if code < 128 else text[i].isspace():
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
Hit = tuple[int, int, int, int, int]  # a match with its characters: (key, start token, end token, start char, end char)


EXT_PREFIX = "npswatch._."


def ext_key(name: str) -> str:
    """Where ``doc._.<name>`` keeps its value in ``doc.user_data``: the string ``"npswatch._.<name>"``.

    A dictionary hashes the key of every look-up; Python keeps a string's hash in the string, but no tuple's. With
    spaCy's own key for a doc extension, the tuple ``("._.", name, None, None)``, the components' twenty or so
    look-ups per doc each hashed its four items (about 190 instructions, a tenth of what the components spend on a
    listing title beside the tokenizer). The extensions are registered with a getter and a setter that read and write
    this key, so ``doc._.<name>`` sees what the components store, and the other way round."""
    return sys.intern(EXT_PREFIX + name)


def _get(key: str, doc: Doc) -> Any:
    return values(doc).get(key)


def _set(key: str, doc: Doc, value: Any) -> None:
    values(doc)[key] = value


def values(doc: Doc) -> dict[Any, Any]:
    """``doc.user_data``, where the extensions keep their values (spaCy's type stubs give it string keys only)."""
    data: dict[Any, Any] = doc.user_data
    return data


# docread's readers as constants: compiled, a constant is a C static, where ``docread.idx(...)`` looks ``idx`` up in
# the module's namespace at every call (about as many instructions as the read itself)
doc_matches: Final = docread.matches
token_idx: Final = docread.idx
token_end: Final = docread.end
token_orth: Final = docread.orth
token_lower: Final = docread.lower

NPS: Final = ext_key("nps")
TEXT: Final = ext_key("nps_text")
DATE: Final = ext_key("nps_date")
RATES: Final = ext_key("nps_rates")
NAME_TOKENS: Final = ext_key("nps_name_tokens")
ROUTE_SPANS: Final = ext_key("nps_route_spans")
OFFER_QUANTITIES: Final = ext_key("nps_offer_quantities")
SEGMENTS: Final = ext_key("nps_segments")
EXTENSIONS = (
    "nps",
    "nps_text",
    "nps_date",
    "nps_rates",
    "nps_name_tokens",
    "nps_route_spans",
    "nps_offer_quantities",
    "nps_segments",
)

for _name in EXTENSIONS:
    if not Doc.has_extension(_name):  # default None: the getter's, for a key not in ``user_data``
        Doc.set_extension(_name, getter=partial(_get, ext_key(_name)), setter=partial(_set, ext_key(_name)))


RULE_SUBSTANCES = "doc._.nps.substances:rules"  # the mentions the rule components find
MODEL_SUBSTANCES = "doc._.nps.substances:model"  # the mentions the trained recogniser adds


def overlaps(read: str, assigned: str) -> bool:
    """Whether assigning ``assigned`` changes what reading ``read`` sees: the same attribute, a part of it, or the
    whole it is a part of (``doc._.nps.substances:model`` is part of ``doc._.nps.substances``)."""
    return read == assigned or assigned.startswith(read + ":") or read.startswith(assigned + ":")


def check_order(nlp: Language | None, name: str, reads: tuple[str, ...]) -> None:
    """Raise :class:`PipelineOrderError` if a component after ``name`` in ``nlp`` assigns one of ``reads`` (or a
    part of it)."""
    if nlp is None or name not in nlp.pipe_names:
        return
    names = nlp.pipe_names
    for later in names[names.index(name) + 1 :]:
        assigned: tuple[str, ...] = getattr(nlp.get_pipe(later), "ASSIGNS", ())
        for attribute in reads:
            for written in assigned:
                if overlaps(attribute, written):
                    part = "" if written == attribute else f" ({written})"
                    raise PipelineOrderError(
                        f"component {name!r} reads {attribute}, which component {later!r} assigns after it{part}: "
                        f"put {later!r} before {name!r}, or leave {later!r} out"
                    )


def findings(doc: Doc, user_data: dict[Any, Any] | None = None) -> Extraction:
    """``doc._.nps``, created on first use. ``user_data``: the doc's ``values``, when the caller has them (reading
    ``doc.user_data`` is an attribute look-up that costs more than the dictionary's)."""
    if user_data is None:
        user_data = values(doc)
    current: Extraction | None = user_data.get(NPS)
    if current is None:
        current = user_data[NPS] = Extraction(lang=doc.lang_)
    return current


def doc_text(doc: Doc, user_data: dict[Any, Any] | None = None) -> str:
    """``doc._.nps_text``: ``Doc.text`` joins every token on each access, so it is computed once and kept.
    ``user_data``: as for ``findings``."""
    if user_data is None:
        user_data = values(doc)
    text: str | None = user_data.get(TEXT)
    if text is None:
        text = user_data[TEXT] = doc.text
    return text


class PhraseTable:
    """Phrases a component looks up (route words, effect phrases, consumption verbs) under their match keys, and the
    ``PhraseMatcher`` that finds them.

    It matches on ``NORM`` and keeps a hit only if its words' lower-case forms are those of a phrase of its key
    (:meth:`hits`): the hits of a ``LOWER`` matcher, less the words whose norm the tokenizer's exceptions set to
    another word ("did" in "didnt" has the norm "do"). It is made from :meth:`data` (the phrases' token norms and
    lower-case forms, as ids), which the serialised tables keep (:mod:`nlp.tables`)."""

    def __init__(self, vocab: Vocab, data: dict[str, Any]) -> None:
        self._matcher = PhraseMatcher(vocab, attr="NORM")
        self._lowers: dict[int, set[tuple[int, ...]]] = {}  # key id -> the LOWER ids of each of its phrases
        for key, norms in data["norms"].items():
            self._matcher.add(key, norms)
            self._lowers[vocab.strings.add(key)] = {tuple(lowers) for lowers in data["lowers"][key]}
        self._phrases = docread.Phrases(self._matcher, self._lowers)

    @staticmethod
    def data(phrases: dict[str, list[Doc]]) -> dict[str, Any]:
        """The table of these pattern docs (by match key), as plain lists of ids."""
        return {
            "norms": {key: [[t.norm for t in doc] for doc in docs] for key, docs in phrases.items()},
            "lowers": {key: [[t.lower for t in doc] for doc in docs] for key, docs in phrases.items()},
        }

    def hits(self, doc: Doc) -> list[Hit]:
        """The matches whose words' lower-case forms are those of a phrase of their key, with their characters (one
        call that stays in compiled code: ``docread.Phrases``)."""
        found: list[Hit] = self._phrases.hits(doc)
        return found
