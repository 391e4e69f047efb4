"""nlp.docread: the compiled reads of a Doc (nlp/docread.pyx) give what the reference (nlp/docread.py, spaCy's API)
gives, on every token of the gold texts and on edge cases."""

import importlib.util
import types
from pathlib import Path

import pytest
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

import nlp
from nlp import docread, pipeline
from nlp.components.state import PhraseTable, string_id
from nlp.evaluate import GOLD_DIR, load_gold

ROOT = Path(__file__).resolve().parents[2]


def _reference() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("docread_reference", ROOT / "nlp" / "docread.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REFERENCE = _reference()
EDGE_TEXTS = ["", " ", "x", "  3-MMC  10g\n\n€45 ", "didn't snort 2C-B.", "ＡＢＣ 𝔘𝔫𝔦 ☃☃ 10 mg", "a\u00a0b\tc"]


def _docs(lang: str) -> list[Doc]:
    texts = [t.text for t in load_gold(GOLD_DIR) if t.lang == lang] + EDGE_TEXTS
    make = pipeline.get(lang).make_doc
    return [make(text) for text in texts]


def test_the_compiled_module_runs_when_the_extraction_modules_are_compiled() -> None:
    if nlp.compiled():
        assert not str(docread.__file__).endswith(".py"), docread.__file__
    else:
        assert str(docread.__file__).endswith(".py")


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_token_reads_are_those_of_the_reference(lang: str) -> None:
    for doc in _docs(lang):
        n = len(doc)
        for i in [*range(n), *range(-n, 0)]:
            for name in ("idx", "end", "lower", "orth", "suffix"):
                assert getattr(docread, name)(doc, i) == getattr(REFERENCE, name)(doc, i), (doc.text, i, name)
        for start in range(n + 1):
            for stop in range(start, min(n, start + 4) + 1):
                assert docread.lowers(doc, start, stop) == REFERENCE.lowers(doc, start, stop)


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_word_bits_are_those_of_the_reference(lang: str) -> None:
    """The bits a table gives each token's lower-case id, with a bit for the tokens whose suffix is one of those
    asked for ("n't" in any case; the edge texts have "didn't")."""
    suffixes = frozenset(map(string_id, ("n't", "N'T", "ine")))
    seen = 0
    for doc in _docs(lang):
        table = {docread.lower(doc, i): 1 << (i % 3) for i in range(0, len(doc), 2)}
        found = docread.WordBits(table, suffixes, 64).read(doc)
        assert found == REFERENCE.WordBits(table, suffixes, 64).read(doc)
        assert found == [table.get(t.lower, 0) | (64 if t.suffix in suffixes else 0) for t in doc]
        seen += sum(1 for bits in found if bits & 64)
    assert seen > 0


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_phrase_matcher_hits_are_those_of_the_matcher(lang: str) -> None:
    nlp_ = pipeline.get(lang)
    matchers = [nlp_.get_pipe("substances")._forms, nlp_.get_pipe("effects")._table._matcher]
    hits = 0
    for doc in _docs(lang):
        for matcher in matchers:
            found = docread.matches(matcher, doc)
            assert found == REFERENCE.matches(matcher, doc) == matcher(doc)
            hits += len(found)
    assert hits > 20


@pytest.mark.parametrize("attr", ["LOWER", "ORTH", "SHAPE"])
def test_phrase_matcher_hits_on_other_attributes_are_those_of_the_matcher(attr: str) -> None:
    """The compiled walk reads NORM itself and any other attribute as spaCy does: overlapping and nested phrases,
    phrases at the end of the doc, two keys for one phrase."""
    nlp_ = pipeline.get("en")
    matcher = PhraseMatcher(nlp_.vocab, attr=attr)
    make = nlp_.make_doc
    matcher.add("A", [make("snort"), make("snorted 2C-B"), make("2C-B"), make("Xxxx")])
    matcher.add("B", [make("2C-B"), make("didn't snort"), make("mg")])
    hits = 0
    for doc in _docs("en"):
        found = docread.matches(matcher, doc)
        assert found == REFERENCE.matches(matcher, doc) == matcher(doc)
        hits += len(found)
    assert hits > 5


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
def test_phrase_table_hits_are_those_of_the_reference(lang: str) -> None:
    """The hits a phrase table keeps (``docread.Phrases``: its matcher's hits whose lower-case words are a phrase's)
    are the reference's, and those of the matcher whose lower-case words are a phrase's, with their characters."""
    nlp_ = pipeline.get(lang)
    kept = 0
    for component in ("routes", "effects", "doses"):
        table = nlp_.get_pipe(component)._table
        for doc in _docs(lang):
            found = docread.Phrases(table._matcher, table._lowers).hits(doc)
            assert found == REFERENCE.Phrases(table._matcher, table._lowers).hits(doc) == table.hits(doc)
            expected = [
                (key, start, end, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))
                for key, start, end in table._matcher(doc)
                if tuple(t.lower for t in doc[start:end]) in table._lowers[key]
            ]
            assert found == expected, doc.text
            kept += len(found)
    assert kept > 20


def test_phrase_hits_keep_only_the_phrases_lower_case_words() -> None:
    """A hit on NORM whose lower-case words are no phrase of its key is left out ("do not" has the norms of
    "didn't"), in the compiled class as in the reference; one phrase's words under another key do not count."""
    make = pipeline.get("en").make_doc
    data = PhraseTable.data({"K": [make("didn't"), make("snort it")], "L": [make("do it")]})
    table = PhraseTable(pipeline.get("en").vocab, data)
    doc = make("I do not, didn't, did not. Do it, snort it, SNORT IT, do IT")
    found = table.hits(doc)
    assert found == REFERENCE.Phrases(table._matcher, table._lowers).hits(doc)
    assert [doc.text[s:e] for _, _, _, s, e in found] == ["didn't", "Do it", "snort it", "SNORT IT", "do IT"]
    assert len(table._matcher(doc)) > len(found)


def test_positions_out_of_range_are_index_errors() -> None:
    doc = pipeline.get("en").make_doc("two words")
    for module in (docread, REFERENCE):
        for name in ("idx", "end", "lower", "orth", "suffix"):
            with pytest.raises(IndexError):
                getattr(module, name)(doc, 2)
            with pytest.raises(IndexError):
                getattr(module, name)(doc, -3)
        with pytest.raises(IndexError):
            module.lowers(doc, 1, 3)
