"""Lexeme norms the npswatch components match on, computed once per vocabulary entry instead of once per token.

spaCy computes a lexeme's attributes when it first meets a string and shares the lexeme between every token of that
string, so work done here costs once per distinct word (per memory zone), and matching on it runs in spaCy's
compiled ``PhraseMatcher``. The pipelines' ``NORM`` is:

- for a lexicon key, or a word whose spelling key names a lexicon substance: :func:`nlp.normalize.match_norm`
  ("3-MMC", "3mmc" and "3-mmc" share the norm ``3mmc``; "mefedron" and "mephedrone" share ``mefedron``), so one
  ``PhraseMatcher`` on ``NORM`` does case, hyphen, accent and spelling tolerance;
- for any other word that may be or start a substance name the lexicon does not know (a letter and a digit in one
  word, a hyphenated word, an N- or α- prefix, a family suffix such as -nitazene, -zolam or -INACA, a bare cathinone
  core such as "CPMC" in "3 CPMC"; not an amount glued to its unit, "500ml", "100x"): the shared norm
  ``NAME_NORM``, so the same kind of matcher finds every such word in a text at once (the novel-name component and
  the hyphenated-part rule start from those words);
- for every other word: :func:`nlp.normalize.match_norm`.
Nothing else in the pipelines reads ``NORM``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import NORM
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.lexicon import Lexicon
from nlp.normalize import form_key, match_norm

NAME_NORM = "<npswatch:name>"
_NAME_SHAPE = re.compile(
    r"\d.*[^\W\d_]|[^\W\d_].*\d|[^\W\d_]-[^\W\d_]|^(?:N|α|β|bk)-|nitaz|fentan|zolam|zepam|ylon|edron|phedron|"
    r"phenidat|xetamin|ketamin|tryptamin|inaca|[bp]ica|iata|clone|oxizid",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"^(?:\d+(?:[.,]\d+)?(?:x|mg|g|gr|ug|µg|mcg|ml|kg|k|pcs|stk|h|min)|x\d+)$", re.IGNORECASE)
CORE = re.compile(r"^[a-z]{0,2}(?:mmc|cmc|bmc|fmc|mec|cec|pmc)$", re.IGNORECASE)


def _getters(vocab: Vocab) -> dict[int, Callable[[str], Any]]:
    # not in spaCy's type stubs
    getters: dict[int, Callable[[str], Any]] = vocab.lex_attr_getters  # type: ignore[attr-defined]
    return getters


def norm_getter(lexicon: Lexicon) -> Callable[[str], str]:
    """The lexeme norm described in the module docstring, for ``lexicon``."""
    keys, sounds = lexicon.by_key, lexicon.by_sound

    def norm(text: str) -> str:
        value = match_norm(text)
        if value in keys or value in sounds or form_key(text) in keys:
            return value
        if CORE.match(text) or (_NAME_SHAPE.search(text) and not _AMOUNT.match(text)):
            return NAME_NORM
        return value

    norm.lexicon = lexicon  # type: ignore[attr-defined]
    return norm


def install_norms(vocab: Vocab, lexicon: Lexicon, known: dict[str, str] | None = None) -> dict[str, str]:
    """Make :func:`norm_getter` the lexeme norm of ``vocab``; lexemes already in it are re-normed, and their norms
    returned by text. The first lexicon installed stays (the substance matcher, first in the pipeline, builds its
    patterns on those norms); installing another returns nothing. ``known``: norms computed before for this
    lexicon, by text (the matcher tables keep those of the lexemes a new language's vocabulary starts with: some
    8,600 for Dutch, whose norms took 0.06 s to compute); a text not in it is normed here."""
    getters = _getters(vocab)
    if getattr(getters.get(NORM), "lexicon", None) is not None:
        return {}
    getter = getters[NORM] = norm_getter(lexicon)
    stored = known or {}
    norms = {}
    for lexeme in vocab:
        text = lexeme.orth_
        norm = stored.get(text)
        if norm is None:
            norm = getter(text)
        lexeme.norm_ = norms[text] = norm
    return norms


def installed_lexicon(vocab: Vocab) -> Lexicon | None:
    """The lexicon whose norms :func:`install_norms` installed in ``vocab`` (None if none)."""
    lexicon: Lexicon | None = getattr(_getters(vocab).get(NORM), "lexicon", None)
    return lexicon


def name_pattern(vocab: Vocab) -> Doc:
    """A one-token ``PhraseMatcher`` pattern (attr ``NORM``) that matches every word normed ``NAME_NORM``."""
    doc = Doc(vocab, words=["name"])
    doc[0].norm_ = NAME_NORM
    return doc
