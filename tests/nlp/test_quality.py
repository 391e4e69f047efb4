"""The gold set must stay at the issue's targets (it is our own set; see tests/nlp/gold/README.md)."""

from nlp.evaluate import load_gold, parse_markup, run, score


def test_markup_parser() -> None:
    text, spans = parse_markup("took [[3mmc|3-MMC]] and {{4-Br-PVP}}")
    assert text == "took 3mmc and 4-Br-PVP"
    assert [(text[s.start : s.end], s.canonical, s.novel) for s in spans] == [
        ("3mmc", "3-MMC", False),
        ("4-Br-PVP", None, True),
    ]


def test_gold_set_meets_the_targets() -> None:
    gold = load_gold()
    assert len(gold) >= 400 and {t.lang for t in gold} == {"en", "nl", "fr", "de"}
    s = score(gold, run(gold))
    assert s.substances_strict.f1 >= 0.85
    assert s.grams_exact / s.grams_total >= 0.98
    assert s.group_right / s.group_total >= 0.90
    assert s.novel.recall >= 0.8 and s.novel.precision >= 0.7
