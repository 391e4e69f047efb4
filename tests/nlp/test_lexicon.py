import json
from pathlib import Path

import pytest

from nlp.lexicon import DEFAULT_LEXICON, EFFECT_GROUPS, Lexicon
from nlp.normalize import form_key


def _records() -> list[dict]:
    return json.loads(DEFAULT_LEXICON.read_text(encoding="utf-8"))["substances"]


def test_the_lexicon_carries_a_notice_of_its_sources() -> None:
    notice = json.loads(DEFAULT_LEXICON.read_text(encoding="utf-8"))["notice"]
    sources = {source["id"]: source for source in notice["sources"]}
    assert {"tripsit", "npswatch"} <= set(sources)
    assert len(sources["tripsit"]["sha256"]) == 64
    assert all(len(digest) == 64 for digest in sources["npswatch"]["files"].values())
    assert all(source["licence"] and (source.get("url") or source.get("files")) for source in sources.values())
    cited = {s for r in _records() for s in r["sources"]}
    assert cited <= set(sources)
    assert len(cited - {"tripsit", "npswatch"}) >= 10  # public references recorded per entry


@pytest.mark.parametrize(
    ("form", "canonical", "group"),
    [
        ("San Pedro", "mescaline", "phenethylamine"),
        ("peyote", "mescaline", "phenethylamine"),
        ("Hawaiian baby woodrose", "LSA", "lysergamide"),
        ("MHRB", "DMT", "tryptamine"),
        ("Mimosa hostilis", "DMT", "tryptamine"),
        ("Syrian rue", "Syrian rue", "harmala alkaloid"),
        ("nootmuskaat", "nutmeg", "plant"),
        ("blue lotus", "blue lotus", "plant"),
        ("gabbies", "gabapentin", "gabapentinoid"),
        ("dialudid", "hydromorphone", "other opioid"),
        ("klonopine", "clonazepam", "benzodiazepine"),
        ("Seresta", "oxazepam", "benzodiazepine"),
        ("Girl Scout Cookies", "cannabis", "phytocannabinoid"),
        ("rosin", "cannabis", "phytocannabinoid"),
        ("beers", "alcohol", "co-use"),
        ("snus", "tobacco", "co-use"),
        ("nicotinezakjes", "nicotine", "co-use"),
        ("coffees", "caffeine", "co-use"),
        ("narcan", "naloxone", "harm reduction"),
        ("fentanyl test strips", "drug test kit", "test kit"),
    ],
)
def test_topic_lists_give_substance_and_group(form: str, canonical: str, group: str) -> None:
    lex = Lexicon.load(DEFAULT_LEXICON)
    hits = lex.by_key.get(form_key(form), [])
    assert hits, form
    assert (hits[0].substance.canonical, hits[0].substance.chemical_group) == (canonical, group)


def test_co_used_substances_are_no_nps_and_named_for_the_signals() -> None:
    lex = Lexicon.load(DEFAULT_LEXICON)
    assert lex.co_use() == {"alcohol", "tobacco", "nicotine", "caffeine"}
    assert not any(lex.by_canonical(name).nps for name in lex.co_use())  # type: ignore[union-attr]


def test_class_words_are_no_substances() -> None:
    lex = Lexicon.load(DEFAULT_LEXICON)
    for word in ("synthetic cannabinoids", "nitazenes", "benzos", "benzo", "opioids", "antidepressants", "SSRIs"):
        assert form_key(word) not in lex.by_key, word


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
