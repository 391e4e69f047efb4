import json
from pathlib import Path

from nlp.lexicon import DEFAULT_LEXICON, EFFECT_GROUPS, Lexicon


def _records() -> list[dict]:
    return json.loads(DEFAULT_LEXICON.read_text(encoding="utf-8"))["substances"]


def test_the_lexicon_carries_a_notice_of_its_sources() -> None:
    notice = json.loads(DEFAULT_LEXICON.read_text(encoding="utf-8"))["notice"]
    sources = {source["id"]: source for source in notice["sources"]}
    assert set(sources) == {"tripsit", "npswatch"}
    assert all(source["licence"] and len(source["sha256"]) == 64 for source in sources.values())
    assert {s for r in _records() for s in r["sources"]} == set(sources)


def test_a_bare_array_of_substances_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(_records()[:3]), encoding="utf-8")
    assert len(Lexicon.load(path).substances) == 3


def test_lexicon_has_at_least_700_substances_and_3000_surface_forms() -> None:
    records = _records()
    assert len(records) >= 700
    assert sum(len(r["forms"]) for r in records) >= 3000


def test_every_substance_has_canonical_name_groups_and_nps_flag() -> None:
    for record in _records():
        assert record["canonical"]
        assert record["effect_group"] in EFFECT_GROUPS
        assert record["chemical_group"]
        assert isinstance(record["nps"], bool)


def test_lexicon_has_slang_in_dutch_french_and_german() -> None:
    langs = {f.get("lang") for r in _records() for f in r["forms"]}
    assert {"nl", "fr", "de"} <= langs


def test_effect_groups_follow_the_issue_rules() -> None:
    lex = Lexicon.load(DEFAULT_LEXICON)
    expected = {
        "alprazolam": "depressant",
        "GHB": "depressant",
        "5F-MDMB-PICA": "cannabinoid",
        "MDMA": "empathogen",
        "ketamine": "dissociative",
        "isotonitazene": "opioid",
        "LSD": "psychedelic",
        "3-MMC": "stimulant",
    }
    for name, group in expected.items():
        substance = lex.by_canonical(name)
        assert substance is not None, name
        assert substance.effect_group == group, name
