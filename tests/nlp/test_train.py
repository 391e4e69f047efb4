"""Training the recogniser: the fixed Reddit split, the weak labels, the skip without shared data, the notice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.evaluate import REDDIT, SHARED, load_reddit, reddit_split
from nlp.train import MODEL_DIR as DEFAULT_MODEL
from nlp.train import main as train_main
from nlp.train import replace_mentions, same_case


def test_reddit_split_is_fixed_and_disjoint() -> None:
    if not (SHARED / REDDIT).is_file():
        pytest.skip(f"{SHARED / REDDIT} is not there: npswatch does not ship it (see nlp/data/NOTICE.md)")
    texts = load_reddit()
    train, dev = reddit_split(texts)
    assert len(train) + len(dev) == len(texts) and len(dev) == 275
    assert not {t.text for t in train} & {t.text for t in dev}
    assert [t.text for t in reddit_split(list(reversed(texts)))[1]] == [t.text for t in reversed(dev)]


def test_mentions_are_replaced_with_their_offsets() -> None:
    text, spans = replace_mentions("took dope and subs", [(5, 9), (14, 18)], lambda s: same_case(s, "3-MMC"))
    assert text == "took 3-mmc and 3-mmc" and [text[s:e] for s, e in spans] == ["3-mmc", "3-mmc"]
    assert same_case("Dope", "heroin") == "Heroin" and same_case("OXY", "heroin") == "HEROIN"


def test_training_is_skipped_without_the_shared_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (DEFAULT_MODEL / "ner" / "model").stat().st_mtime
    assert train_main(["--shared", str(tmp_path)]) == 0
    assert "skipped, no training data" in capsys.readouterr().err
    assert (DEFAULT_MODEL / "ner" / "model").stat().st_mtime == before


def test_the_model_notice_names_its_training_data() -> None:
    meta = json.loads((DEFAULT_MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "npswatch_recogniser_v1" and meta["reddit_dev_texts"] == 275
    readme = (DEFAULT_MODEL / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "ExplosionAI" in readme
