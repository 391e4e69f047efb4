"""Serialised matcher tables (nlp/data/tables/, written by `make install`): they hold what the components would
build from the data files, are used only while those files are unchanged, and a stale or missing table is rebuilt
with a warning, never used."""

import json
import logging
import shutil
from pathlib import Path

import pytest
import srsly

from nlp import pipeline, resources, tables
from nlp.lexicon import DEFAULT_LEXICON, Lexicon
from tests.nlp.stored import stored

BUILT_FROM_DATA = {name: {"tables": False} for name in tables.COMPONENTS}


def _sections(lang: str) -> dict[str, object]:
    return stored(tables.path_for(lang), tables.fingerprint(lang), "matcher tables")["sections"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_the_stored_tables_are_what_the_components_build_from_the_data_files(lang: str) -> None:
    stored = _sections(lang)
    built = pipeline.build(lang, component_config=BUILT_FROM_DATA)
    for name in tables.COMPONENTS:
        assert _sorted(stored[name]) == _sorted(built.get_pipe(name).table_data()), name  # type: ignore[attr-defined]


def _sorted(value: object) -> object:
    """Lists of patterns in a canonical order (spelling variants come out of a set, in an order that varies)."""
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted(_sorted(item) for item in value)  # type: ignore[type-var]
    return value


def test_a_pipeline_from_stored_tables_extracts_what_one_built_from_the_data_files_does() -> None:
    _sections("en")
    texts = ["3-MMC 1g €12 | 5g €50, snorted 50mg, no nausea", "I did a line of speed and felt anxious, 2C-B 20mg"]
    stored, built = pipeline.build("en"), pipeline.build("en", component_config=BUILT_FROM_DATA)
    assert [stored(t)._.nps for t in texts] == [built(t)._.nps for t in texts]


def test_the_stored_norms_are_the_norms_the_lexicon_gives() -> None:
    """Dutch starts with some 8,600 lexemes (spaCy's special cases), normed from the tables instead of computed."""
    assert len(_sections("nl")["substances"]["norms"]) > 8000  # type: ignore[index]
    stored, built = pipeline.build("nl"), pipeline.build("nl", component_config=BUILT_FROM_DATA)
    norms = {lexeme.orth_: lexeme.norm_ for lexeme in stored.vocab}
    assert norms == {text: built.vocab[text].norm_ for text in norms}


def _write(tmp_path: Path, fingerprint: str) -> Path:
    path = tables.path_for("en", tmp_path)
    path.write_bytes(srsly.msgpack_dumps({"fingerprint": fingerprint, "sections": {"routes": {"kept": True}}}))
    return path


def test_a_table_written_from_the_current_files_is_used(tmp_path: Path) -> None:
    _write(tmp_path, tables.fingerprint("en"))
    assert tables.section("en", "routes", lambda: {"built": True}, tmp_path) == {"kept": True}


def test_a_table_written_from_another_lexicon_is_rebuilt_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _write(tmp_path, tables.fingerprint("en"))
    edited = tmp_path / "lexicon.json"
    records = json.loads(tables.INPUTS[0].read_text(encoding="utf-8"))["substances"]
    records.append({"id": "x", "canonical": "Zorbazine", "effect_group": "other", "chemical_group": "other",
                    "nps": True, "forms": [{"text": "Zorbazine"}]})  # fmt: skip
    edited.write_text(json.dumps(records), encoding="utf-8")
    inputs = (edited, *tables.INPUTS[1:])
    with caplog.at_level(logging.WARNING, logger="nlp.tables"):
        assert tables.section("en", "routes", lambda: {"built": True}, tmp_path, inputs) == {"built": True}
    assert "are stale" in caplog.text and "python -m nlp.tables" in caplog.text


def test_a_missing_table_is_built_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="nlp.tables"):
        assert tables.section("en", "routes", lambda: {"built": True}, tmp_path) == {"built": True}
    assert "no matcher tables" in caplog.text


def test_a_custom_lexicon_never_uses_the_shipped_tables(tmp_path: Path) -> None:
    lexicon = tmp_path / "lexicon.json"
    shutil.copyfile(tables.INPUTS[0], lexicon)
    records = json.loads(lexicon.read_text(encoding="utf-8"))["substances"]
    records.append({"id": "x", "canonical": "Zorbazine", "effect_group": "stimulant", "chemical_group": "other",
                    "nps": True, "forms": [{"text": "Zorbazine"}]})  # fmt: skip
    lexicon.write_text(json.dumps(records), encoding="utf-8")
    nlp = pipeline.build("en", {"substances": {"lexicon_path": str(lexicon)}}, components=["substances"])
    assert [m.canonical for m in nlp("Zorbazine 1g")._.nps.substances] == ["Zorbazine"]


def test_the_stored_lexicon_is_the_lexicon_file() -> None:
    """The shipped lexicon is made from its stored lookup tables (keys computed by `make install`), hits shared as
    when it is read from the file."""
    stored(tables.lexicon_path(), tables.lexicon_fingerprint(), "stored lexicon")
    made, read = tables.stored_lexicon(DEFAULT_LEXICON), Lexicon.load(DEFAULT_LEXICON)
    assert made is not None
    assert resources.lexicon() is not read and resources.lexicon().substances == read.substances
    for name in ("substances", "by_key", "short_forms", "by_sound", "forms"):
        assert getattr(made, name) == getattr(read, name), name
    assert len(made.forms) > 4000
    keyed = {id(hit) for hits in made.by_key.values() for hit in hits}
    assert all(id(hit) in keyed for _, hit in made.forms)  # one object, as in a lexicon read from the file
    assert all(hit.substance is made.substances[hit.substance.id] for hits in made.by_key.values() for hit in hits)


def test_a_stale_or_missing_stored_lexicon_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    lexicon = tmp_path / "lexicon.json"
    shutil.copyfile(DEFAULT_LEXICON, lexicon)
    assert tables.stored_lexicon(lexicon) is None  # another file than the shipped one: quietly
    path = tables.write_lexicon(tmp_path)
    assert tables.stored_lexicon(DEFAULT_LEXICON, tmp_path) is not None
    data = srsly.msgpack_loads(path.read_bytes())
    path.write_bytes(srsly.msgpack_dumps({**data, "fingerprint": "another lexicon"}))
    with caplog.at_level(logging.WARNING, logger="nlp.tables"):
        assert tables.stored_lexicon(DEFAULT_LEXICON, tmp_path) is None
        path.unlink()
        assert tables.stored_lexicon(DEFAULT_LEXICON, tmp_path) is None
    assert "stored lexicon" in caplog.text and "is stale" in caplog.text and "no stored lexicon" in caplog.text
