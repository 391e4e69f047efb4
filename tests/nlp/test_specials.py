"""Tokenizers made with the stored answers (nlp.specials, nlp/data/tables/<lang>-specials.msgpack, written by
`make install`) are spaCy's tokenizers made the ordinary way: the same special cases, lexemes, strings and tokens.

Each language's pipeline class is made twice, with npswatch's tokenizer factory and with spaCy's
(``spacy.Tokenizer.v1``); every text of the gold and hold-out sets and a stress set built from each special case
(wrapped in punctuation, doubled, glued to words, in upper case) are tokenized by both, and tokens, whitespace,
norms and every lexeme attribute must agree.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import srsly
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from nlp import specials
from nlp.evaluate import load_gold
from nlp.resources import LANGS
from nlp.tokenizer import language_class
from tests.nlp.stored import stored

SPACY_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}}
LEXEME = ("orth_", "flags", "lower_", "norm_", "shape_", "prefix_", "suffix_", "lang_", "cluster", "prob",
          "sentiment")  # fmt: skip


def _stored(lang: str) -> dict[str, Any]:
    return stored(specials.path_for(lang), specials.fingerprint(lang), "tokenizer answers")


def _lexemes(pipeline: Language) -> list[tuple[object, ...]]:
    return [tuple(getattr(lexeme, name) for name in LEXEME) for lexeme in pipeline.vocab]


def _tokens(pipeline: Language, text: str) -> list[tuple[object, ...]]:
    return [(t.text, t.whitespace_, t.norm_, t.idx, *(getattr(t.lex, n) for n in LEXEME)) for t in pipeline(text)]


def _stress(rules: dict[str, Any]) -> list[str]:
    texts = []
    for chunk in sorted(rules):
        texts += [f"({chunk})", f'"{chunk}".', f"{chunk},", f"{chunk}{chunk}", f"x{chunk} {chunk}x", chunk.upper(),
                  f"«{chunk}»!", f"{chunk}-{chunk}", f"3-MMC {chunk}) 10g"]  # fmt: skip
    return texts


@pytest.mark.parametrize("lang", LANGS)
def test_a_tokenizer_made_with_the_answers_is_spacys(lang: str) -> None:
    stored = _stored(lang)
    cls = language_class(lang)
    ours, theirs = cls.from_config({}), cls.from_config(SPACY_TOKENIZER)
    ours_getters, their_getters = ours.vocab.lex_attr_getters, theirs.vocab.lex_attr_getters  # type: ignore[attr-defined]
    assert isinstance(ours.tokenizer, specials.ChemicalTokenizer) and type(theirs.tokenizer) is Tokenizer
    assert stored["patterns"] == specials.patterns(ours.tokenizer), "the answers are for other expressions"
    assert vars(ours.tokenizer) == {}  # the answers are gone once the special cases are in
    assert ours_getters.keys() == their_getters.keys()
    assert all(specials.getter_name(g) == specials.getter_name(their_getters[a]) for a, g in ours_getters.items())
    assert ours.tokenizer.rules == theirs.tokenizer.rules
    for name in ("prefix_search", "suffix_search", "infix_finditer"):  # made from stored code: the same patterns
        assert getattr(ours.tokenizer, name).__self__ == getattr(theirs.tokenizer, name).__self__, name
    assert len(stored["expressions"]) == 3
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == theirs.tokenizer.to_bytes(exclude=["vocab"])
    assert _lexemes(ours) == _lexemes(theirs) and len(_lexemes(ours)) >= 400
    assert list(ours.vocab.strings) == list(theirs.vocab.strings)
    texts = [t.text for prefix in ("gold", "holdout", "holdout2", "holdout3", "holdout4")
             for t in load_gold(prefix=prefix) if t.lang == lang]  # fmt: skip
    texts += _stress(theirs.tokenizer.rules)
    differ = [text for text in texts if _tokens(ours, text) != _tokens(theirs, text)]
    assert differ == []
    assert _lexemes(ours) == _lexemes(theirs)  # the texts made the same new lexemes
    assert sum(len(t.split()) for t in texts) > 4 * len(theirs.tokenizer.rules)


def test_the_answers_are_the_ones_asked_for() -> None:
    """Dutch: 4,670 special cases, some 8,600 lexemes; the answers recorded now are those stored."""
    stored = _stored("nl")
    again = srsly.msgpack_loads(srsly.msgpack_dumps(specials.record(language_class("nl"))))
    assert again == stored
    assert len(stored["lexemes"]) > 8000 and len(stored["affixes"]["find_suffix"][0]) > 8000


def _copy(tmp_path: Path, lang: str) -> Path:
    _stored(lang)
    shutil.copy(specials.path_for(lang), tmp_path / specials.path_for(lang).name)
    return tmp_path


def test_stale_or_missing_answers_are_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    pattern = specials.patterns(language_class("de").from_config(SPACY_TOKENIZER).tokenizer)
    directory = _copy(tmp_path, "de")
    assert specials.answers("de", pattern, directory) is not None
    path = specials.path_for("de", directory)
    stored = srsly.msgpack_loads(path.read_bytes())
    path.write_bytes(srsly.msgpack_dumps({**stored, "fingerprint": "written by another spaCy"}))
    with caplog.at_level(logging.WARNING, logger="nlp.specials"):
        assert specials.answers("de", pattern, directory) is None
        assert specials.answers("en", pattern, directory) is None
    messages = [r.getMessage() for r in caplog.records]
    assert any("stale" in m and str(path) in m and "make install" in m for m in messages)
    assert any("no tokenizer answers" in m and "en-specials.msgpack" in m for m in messages)


def test_answers_for_other_expressions_are_quietly_not_used(caplog: pytest.LogCaptureFixture) -> None:
    """A pipeline loaded from disk is spaCy's class (English: its own infixes) until its tokenizer data is loaded."""
    from spacy.lang.en import English

    _stored("en")
    with caplog.at_level(logging.WARNING, logger="nlp.specials"):
        english = English.from_config({"nlp": {"tokenizer": {"@tokenizers": specials.TOKENIZER}}})
    assert isinstance(english.tokenizer, specials.ChemicalTokenizer)
    assert specials.answers("en", specials.patterns(english.tokenizer)) is None
    assert [r.getMessage() for r in caplog.records if r.name == "nlp.specials"] == []
    assert english.tokenizer.rules == English().tokenizer.rules
    text = "3-MMC, e.g. 10g (don't)"
    spacys, ours = [t.text for t in English()(text)], [t.text for t in language_class("en")()(text)]
    assert [t.text for t in english(text)] == spacys != ours


def test_an_expression_is_made_from_its_code_only_when_that_code_is_the_engines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    expression = "^[\\(\\[]|^'|\\.$|(?<=[a-z])[,!?](?=[a-z])"
    entry = specials.compiled_code(expression)
    made = specials.tokenizer_arguments(language_class("nl").Defaults)["prefix_search"].__self__
    assert made == re.compile(made.pattern)
    broken = [expression, entry[1], [*entry[2][:-3], 9999, 1], *entry[3:]]
    with caplog.at_level(logging.WARNING, logger="nlp.specials"):
        assert specials.pattern(expression, broken) == re.compile(expression)
    assert "could not make an expression from its stored code" in caplog.text
    assert specials.pattern(expression, entry) == re.compile(expression)
    assert specials.pattern(expression, [*entry[:6], "3.10.0 (another Python)"]) == re.compile(expression)
    assert specials.pattern("x|y", entry) == re.compile("x|y")  # another expression's code is not used
