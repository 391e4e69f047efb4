import datetime as dt
import json
import time

import pytest

import nlp
from nlp.api import Record, clean

SHAPE = {
    "substances": {"text", "start", "end", "canonical", "effect_group", "chemical_group", "nps", "known", "found_by"},
    "quantities": {"text", "start", "end", "amount", "unit", "grams"},
    "prices": {"text", "start", "end", "amount", "currency"},
    "offers": {
        "quantity_grams",
        "units",
        "price_amount",
        "price_currency",
        "eur",
        "eur_per_gram",
        "eur_rate",
        "rate_date",
        "rate_stale",
    },
    "purity": {"text", "percent"},
    "doses": {"text", "amount", "unit", "substance", "route"},
    "routes": {"text", "route"},
    "effects": {
        "text",
        "start",
        "end",
        "effect",
        "severity",
        "adverse",
        "severe",
        "negated",
        "hypothetical",
        "substance",
    },
}
RICH = "Snorted 50mg 3-MMC (€10/g, 5g €45, 88% pure) and found 4-Br-PVP; no nausea but a seizure later. Took 2 pills."


def test_json_has_the_contract_shape() -> None:
    data = json.loads(nlp.extract(RICH, lang="en", id="x1").to_json())
    assert set(data) == {"id", "lang", *SHAPE}
    assert data["id"] == "x1" and data["lang"] == "en"
    for field, keys in SHAPE.items():
        assert data[field], field
        for item in data[field]:
            assert set(item) == keys, field


def test_offsets_index_the_input_text() -> None:
    e = nlp.extract(RICH, lang="en")
    for item in [*e.substances, *e.quantities, *e.prices, *e.effects]:
        assert RICH[item.start : item.end] == item.text
    assert any(m.canonical is None and not m.known for m in e.substances)


def test_html_is_blanked_without_moving_offsets() -> None:
    text = '<div class="title"><b>3-MMC</b> 10g</div> &amp; <script>x</script>'
    assert len(clean(text)) == len(text)
    e = nlp.extract(text, lang="en")
    assert [(m.text, text[m.start : m.end]) for m in e.substances] == [("3-MMC", "3-MMC")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02\xff\ufffd" * 200,
        bytes(range(256)).decode("latin-1") * 50,
        "Кокаин 1г ❄️ 可卡因 コカイン 3-MMC 10g 🚀 مخدرات",
        "<html><body>" + "<p>MDMA 1g €20</p>" * 500 + "</body></html>",
        "\ud800 broken surrogate",
    ],
)
def test_bad_input_gives_valid_json(text: str) -> None:
    data = json.loads(nlp.extract(text).to_json())
    assert data["lang"] in ("en", "nl", "fr", "de")


def test_unknown_language_falls_back_to_detection() -> None:
    assert nlp.extract("Ik heb gisteren xtc genomen en het was niet goed", lang="xx").lang == "nl"
    assert nlp.extract("Ich habe gestern Koks genommen und es war nicht gut", lang=None).lang == "de"


@pytest.mark.slow
def test_long_text_is_chunked_and_time_is_linear() -> None:
    unit = "Bought 3-MMC 10g €45 and 2C-B, no nausea. " * 2000  # ~88 kB
    start = time.perf_counter()
    small = nlp.extract(unit, lang="en")
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    big = nlp.extract(unit * 4, lang="en")
    t_big = time.perf_counter() - start
    assert len(big.substances) == 4 * len(small.substances)
    assert t_big < 4 * t_small * 2.5 + 0.5
    last = big.substances[-1]
    assert (unit * 4)[last.start : last.end] == last.text


@pytest.mark.slow
def test_ten_megabyte_text() -> None:
    text = ("Selling MDMA 1g €20, 3-MMC 5g €40. " + "lorem ipsum dolor sit amet " * 10) * 35_000
    assert len(text) > 10_000_000
    e = nlp.extract(text, lang="en")
    assert len(e.substances) == 70_000


def test_extract_many_keeps_input_order_across_languages() -> None:
    items = [
        {"id": 1, "text": "3-MMC 10g", "lang": "en"},
        Record("Ik heb xtc genomen", id=2, lang="nl"),
        "J'ai pris de la kéta",
        {"id": 4, "text": "Koks 1g", "lang": "de"},
    ]
    out = list(nlp.extract_many(items, batch_size=2))
    assert [e.id for e in out] == [1, 2, None, 4]
    assert [e.lang for e in out] == ["en", "nl", "fr", "de"]


def test_results_do_not_depend_on_the_batch_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Docs go through each component a batch at a time: batch boundaries, a batch cut by its character limit, a long
    text cut into chunks inside a batch and cleaned text change nothing in the results."""
    import nlp.api

    monkeypatch.setattr(nlp.api, "MAX_CHUNK", 400)
    monkeypatch.setattr(nlp.api, "BATCH_CHARS", 900)
    long_text = "Selling 3-MMC 5g for €40, snorted it. " + "filler words here " * 60 + "2C-B 10 tabs $80 "
    texts = [
        Record("3-MMC 10g €50", 1, "en", dt.date(2024, 3, 1)),
        Record("Ik heb xtc gesnoven, geen paranoia", 2, "nl"),
        Record(long_text, 3, "en"),
        Record("<b>Koks</b> 1g 60 EUR\x00", 4, "de"),
        Record("J'ai pris 2 ecstas, nausée", 5, "fr"),
        Record("", 6, "en"),
        Record("4-F-MPH 0.5 g 25 USD, speed 1g", 7, "en"),
    ] * 3
    one_by_one = [e.to_json() for e in nlp.extract_many(texts, batch_size=1)]
    for batch_size in (2, 5, 256):
        assert [e.to_json() for e in nlp.extract_many(texts, batch_size=batch_size)] == one_by_one
    assert [e.id for e in nlp.extract_many(texts, batch_size=4)] == [t.id for t in texts]
    assert {s["canonical"] for s in json.loads(one_by_one[2])["substances"]} >= {"3-MMC", "2C-B"}  # both chunks


def test_extraction_makes_no_reference_cycles_and_restores_the_collector() -> None:
    """Groups run with the cyclic garbage collector paused: that is only safe if extraction leaves no cycles."""
    import gc

    texts = [RICH, "Ik heb xtc gesnoven, geen paranoia", "<p>Koks 1g 60 EUR</p>", "J'ai pris 2 ecstas", ""] * 20
    list(nlp.extract_many(texts))  # pipelines built, caches filled
    gc.collect()
    assert gc.isenabled()
    gc.disable()
    try:
        results = list(nlp.extract_many(texts, batch_size=7))
        assert len(results) == len(texts)
        assert gc.collect() == 0
        list(nlp.extract_many(texts[:3]))
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    list(nlp.extract_many(texts[:3]))
    assert gc.isenabled()


def test_pipeline_saves_and_loads_with_its_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import spacy

    from nlp import pipeline

    pipeline.get("nl").to_disk(tmp_path / "nl")
    assert (tmp_path / "nl" / "substances" / "lexicon.json").exists()
    assert (tmp_path / "nl" / "offers" / "rates.csv").exists()
    loaded = spacy.load(tmp_path / "nl")
    doc = loaded("3-MMC 10 gram €40, gesnoven")
    assert [m.canonical for m in doc._.nps.substances] == ["3-MMC"]
    assert [t.text for t in loaded.make_doc("4-F-MPH")] == ["4-F-MPH"]


def test_vocabulary_stops_growing_past_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp.api
    from nlp import pipeline

    vocab = pipeline.get("en").vocab
    monkeypatch.setattr(nlp.api, "VOCAB_BUDGET", len(vocab))  # full now: every later word is freed after its group
    before = [len(list(vocab))]
    texts = [f"unique{i}word zz{i}qq 3-MMC 10g" for i in range(300)]
    out = list(nlp.extract_many([Record(t, i, "en") for i, t in enumerate(texts)], zone_texts=100))
    assert [m.canonical for e in out for m in e.substances] == ["3-MMC"] * 300
    assert len(list(vocab)) == before[0]


def test_words_are_kept_while_a_group_fits_in_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp.api
    from nlp import pipeline

    vocab = pipeline.get("en").vocab
    monkeypatch.setattr(nlp.api, "VOCAB_BUDGET", len(vocab) + 10_000)
    before = len(list(vocab))
    list(nlp.extract_many([Record("keptword1 keptword2 3-MMC", 1, "en")]))
    assert len(list(vocab)) >= before + 2  # looked up next time instead of rebuilt
    monkeypatch.setattr(nlp.api, "VOCAB_BUDGET", len(vocab) + 10)  # a 60-character group could pass it
    before = len(list(vocab))
    list(nlp.extract_many([Record("freedword1 freedword2 freedword3 freedword4 freedword5 3-MMC", 2, "en")]))
    assert len(list(vocab)) == before


def test_clean_skips_only_texts_with_nothing_to_clean() -> None:
    # clean() returns printable texts without "<" or U+FFFD untouched without its search: no character it blanks is
    # printable, except those two
    from nlp.api import _NEEDS_CLEANING

    for code in range(0x110000):
        char = chr(code)
        if _NEEDS_CLEANING.match(char):
            assert char in "<\ufffd" or not char.isprintable(), hex(code)
    assert clean("a\u200bb<b>c</b>\ufffd") == "a b   c    " + " "


def test_a_pipeline_is_built_without_cycle_collections_and_the_collector_restored() -> None:
    """A build's objects live as long as the pipeline: the collector is paused meanwhile, also across spaCy's model
    loading (srsly.msgpack_loads calls gc.enable()), and left as it was (enabled or not, same thresholds)."""
    import gc

    from nlp import pipeline

    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.callbacks.append(count)
    try:
        with pipeline.no_cycle_collection():
            pipeline.build("nl")
            assert collections == []
        assert gc.isenabled() and gc.get_threshold() == thresholds
        gc.disable()
        pipeline.build("en")
        assert not gc.isenabled() and gc.get_threshold() == thresholds
    finally:
        gc.callbacks.remove(count)
        gc.enable()
