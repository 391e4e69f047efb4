"""The trained recogniser: its gate, what it adds, how it is switched off, loaded and saved."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import nlp
from nlp import pipeline
from nlp.components.recogniser import DEFAULT_MODEL, Recogniser, load_ner, looks_chemical, windows
from nlp.components.state import TEXT, findings, values


def _recogniser(lang: str = "en") -> Recogniser:
    component = pipeline.get(lang).get_pipe("recogniser")
    assert isinstance(component, Recogniser)
    return component


def _rules_doc(text: str, lang: str = "en"):  # type: ignore[no-untyped-def]
    """``text`` through the rule components only (every component but the recogniser)."""
    nlp_ = pipeline.get(lang)
    doc = nlp_.make_doc(text)
    values(doc)[TEXT] = text
    for name, component in nlp_.pipeline:
        if name != "recogniser":
            doc = component(doc)
    return doc


@pytest.mark.parametrize(
    ("word", "chemical"),
    [
        ("3-Me-PCPy", True),
        ("4F-ABF", True),
        ("4F-PHP", True),
        ("80s", False),  # too short to say anything
        ("4-B", False),
        ("zz31qq", False),  # a digit inside letters: usernames, codes
        ("DXM-XR", True),
        ("U-47700", True),  # four digits, but a novel-name family takes it whole
        ("T+0:45", False),  # a time
        ("1mg/ml", False),  # a ratio
        ("LX123456789DE", False),  # a tracking number
        ("2024-00871", False),
        ("77AB", False),  # hex
        ("0x3F2A9C1D", False),
        ("Ego-Tod", False),  # an ordinary hyphenated word
        ("look-alike", False),
    ],
)
def test_the_gate_sends_chemical_looking_words_only(word: str, chemical: bool) -> None:
    assert looks_chemical(word) is chemical


def test_the_gate_stays_closed_where_the_rules_explain_everything() -> None:
    for text in ["3-MMC 10g €45", "Took 120mg MDMA and felt great", "Ketamine 5g, fast shipping", ""]:
        assert _recogniser().regions(_rules_doc(text)) == []


def test_the_gate_opens_at_an_unexplained_name_and_an_unattributed_dose() -> None:
    doc = _rules_doc("Got some 3-Me-XYZ yesterday")
    assert [doc[a:b].text for a, b in _recogniser().regions(doc)] == ["3-Me-XYZ"]
    doc = _rules_doc("I took 20mg of zorbalin last night")  # an invented name: no rule knows it
    assert [doc[a:b].text for a, b in _recogniser().regions(doc)] == ["I took 20mg of zorbalin last"]


def test_windows_are_merged_and_keep_their_regions() -> None:
    assert windows(30, [(5, 6), (8, 9), (25, 26)], 4) == [(1, 13, [(4, 5), (7, 8)]), (21, 30, [(4, 5)])]


def test_rules_win_and_lexicon_forms_take_the_lexicon_entry() -> None:
    component = _recogniser()
    doc = _rules_doc("3-MMC and some dope")
    component._add(doc, [(0, 1), (3, 4)])  # the model's spans: "3-MMC" (the rules have it), "dope"
    mentions = [(m.text, m.canonical, m.known) for m in findings(doc).substances]
    assert mentions == [("3-MMC", "3-MMC", True), ("dope", "heroin", True)]


def test_a_name_the_model_adds_is_known_false_with_a_family_or_unknown() -> None:
    component = _recogniser()
    novel = component.mention("4-Br-PVP", 0, 8)
    assert (novel.known, novel.canonical, novel.nps, novel.chemical_group) == (False, None, True, "synthetic cathinone")
    other = component.mention("zorblax", 0, 7)
    assert (other.known, other.canonical, other.nps, other.effect_group, other.chemical_group) == (
        False, None, False, "other", "unknown")  # fmt: skip


def test_generic_words_are_never_added() -> None:
    doc = _rules_doc("benzos and pills")
    _recogniser()._add(doc, [(0, 1), (2, 3)])
    assert findings(doc).substances == []


def test_the_setting_turns_the_recogniser_off() -> None:
    built = pipeline.build("en", {"recogniser": {"enabled": False}})
    component = built.get_pipe("recogniser")
    assert isinstance(component, Recogniser) and not component.active and component._ner is None
    text = "Got some 3-Me-XYZ yesterday, 10mg of it"
    assert built(text)._.nps.substances == findings(_rules_doc(text)).substances


def test_the_model_is_small_and_loads_quickly() -> None:
    size = sum(p.stat().st_size for p in DEFAULT_MODEL.rglob("*") if p.is_file())
    assert size < 5_000_000
    started = time.perf_counter()
    ner = load_ner(pipeline.get("en").vocab, DEFAULT_MODEL)
    assert time.perf_counter() - started < 1.0  # about 0.05 s measured; generous for a loaded machine
    assert ner.labels == ("DRUG",)


def test_a_saved_pipeline_carries_the_model(tmp_path: Path) -> None:
    import spacy

    pipeline.get("en").to_disk(tmp_path / "en")
    assert (tmp_path / "en" / "recogniser" / "ner" / "model").is_file()
    loaded = spacy.load(tmp_path / "en")
    assert loaded.get_pipe("recogniser").active


def test_same_output_whatever_the_batch_size() -> None:
    texts = ["Got some 3-Me-XYZ yesterday", "3-MMC 10g", "I took 20mg of zorbalin", "nothing here"] * 3
    one = [e.to_json() for e in nlp.extract_many(texts, batch_size=1)]
    assert [e.to_json() for e in nlp.extract_many(texts, batch_size=5)] == one


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("Got some 3-Me-XYZ yesterday, really strong stuff", "en", "3-Me-XYZ"),
        ("Selling 4-CL-FLX pellets 10mg", "en", "4-CL-FLX"),
        ("Ik heb 5-Cl-XPD gesnoven, heftig", "nl", "5-Cl-XPD"),
    ],
)
def test_the_model_adds_names_the_rules_miss(text: str, lang: str, name: str) -> None:
    """Invented names no rule knows (no lexicon form, no novel-name family): the rules find nothing, the model finds
    the name, reported as an unknown substance."""
    assert findings(_rules_doc(text, lang)).substances == []
    found = nlp.extract(text, lang=lang).substances
    assert [(m.text, m.known, m.canonical, m.nps, m.chemical_group) for m in found] == [
        (name, False, None, False, "unknown")
    ]


def test_the_model_never_adds_co_used_or_never_reported_names() -> None:
    """The rules decide these with cues of their own: alcohol in a warning is no mention, naloxone never is one."""
    doc = _rules_doc("never mix it with alcohol and carry naloxone")
    assert findings(doc).substances == []
    spans = [(t.i, t.i + 1) for t in doc if t.text in ("alcohol", "naloxone")]
    assert len(spans) == 2
    _recogniser()._add(doc, spans)
    assert findings(doc).substances == []
