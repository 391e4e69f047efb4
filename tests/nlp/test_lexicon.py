import json
import subprocess
import sys
from pathlib import Path

from nlp.lexicon import DEFAULT_LEXICON, EFFECT_GROUPS, Lexicon

ROOT = Path(__file__).resolve().parents[2]


def _records() -> list[dict]:
    return json.loads(DEFAULT_LEXICON.read_text(encoding="utf-8"))


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


def test_built_lexicon_matches_its_sources(tmp_path: Path) -> None:
    out = tmp_path / "lexicon.json"
    cmd = [sys.executable, "-m", "nlp.data.build_lexicon", "--out", str(out)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == DEFAULT_LEXICON.read_text(encoding="utf-8")
