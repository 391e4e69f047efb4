"""Third-party files the project does not ship (TripSit, the Reddit drug NER set, PsyTAR) are read from
``../shared/data`` beside the project: these tests run when they are there and skip, saying so, when not."""

from pathlib import Path

import pytest

from nlp.data import build_lexicon
from nlp.evaluate import PSYTAR, REDDIT, SHARED, load_reddit, run, score, score_psytar


def _shared(name: Path) -> Path:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} is not there: npswatch does not ship it (see nlp/data/NOTICE.md)")
    return path


def test_the_lexicon_built_from_its_sources_is_the_shipped_one() -> None:
    tripsit = _shared(build_lexicon.TRIPSIT)
    entries, _ = build_lexicon.build(tripsit)
    shipped = build_lexicon.OUT.read_text(encoding="utf-8")
    assert build_lexicon.render(entries, build_lexicon.notice(tripsit)) == shipped


def test_build_lexicon_skips_with_a_message_without_tripsit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "lexicon.json"
    assert build_lexicon.main(["--shared", str(tmp_path), "--out", str(out)]) == 0
    assert not out.exists()
    assert f"skipped: the TripSit drug database is not at {tmp_path / build_lexicon.TRIPSIT}" in capsys.readouterr().err


def test_substances_on_the_reddit_set_stay_at_their_level() -> None:
    texts = load_reddit(_shared(REDDIT))
    strict = score(texts, run(texts)).substances_strict
    assert len(texts) > 1400 and strict.f1 >= 0.85, strict


def test_adverse_effects_on_psytar_stay_at_their_level() -> None:
    counts = score_psytar(_shared(PSYTAR))
    assert counts.f1 >= 0.45, counts
