"""Names of one substance are one subject (``signals.series.fold_names``): the rules of docs/signals.md, "Triage"."""

from __future__ import annotations

from signals.series import Record, Sight, candidate_names, fold_names
from tests.signals.synthetic import day


def doc(doc_id: str, on: int, *names: str) -> Record:
    return Record(doc_id, "post", "f", f"https://f.example/{doc_id}", list(names), sights=[Sight(day(on), "t", None)])


def subjects(records: list[Record]) -> set[str]:
    return {n for r in records for n in r.subjects}


def test_the_name_kept_for_two_synonyms_does_not_change_with_later_documents() -> None:
    # hold-out A, day 33: a listing "butonitazepyne powder (N-pyrrolidino butonitazene)", then warning posts that
    # name only butonitazepyne; the daily run of day 33 and a run over every day must keep the same name
    listing = [doc("l1", 33, "BUTONITAZEPYNE", "NPYRROLIDINOBUTONITAZENE")]
    posts = [doc(f"p{i}", 35 + i, "BUTONITAZEPYNE") for i in range(5)]
    both = ("BUTONITAZEPYNE", "NPYRROLIDINOBUTONITAZENE")
    later = [doc("l1", 33, *both), *posts, doc("l2", 37, *both)]
    fold_names(listing)
    fold_names(later)
    assert subjects(listing) == subjects(later) == {"NPYRROLIDINOBUTONITAZENE"}


def test_the_name_seen_first_is_kept() -> None:
    records = [doc("a", 3, "BUTONITAZEPYNE"), doc("b", 5, "BUTONITAZEPYNE", "NPYRROLIDINOBUTONITAZENE")]
    assert fold_names(records) == {"BUTONITAZEPYNE": ["NPYRROLIDINOBUTONITAZENE"]}


def test_a_candidate_written_without_its_position_is_the_one_positioned_candidate() -> None:
    # the demo, day 19: "Première fois avec la CPMC" in a post of its own, a week after 3-CPMC was first listed
    records = [doc("l1", 12, "3-CPMC"), doc("p1", 19, "CPMC")]
    assert fold_names(records) == {"3-CPMC": ["CPMC"]}
    assert subjects(records) == {"3-CPMC"}


def test_a_candidate_without_position_stays_apart_beside_two_positional_isomers() -> None:
    records = [doc("l1", 12, "3-CPMC"), doc("l2", 13, "4-CPMC"), doc("p1", 19, "CPMC")]
    assert fold_names(records) == {}
    assert subjects(records) == {"3-CPMC", "4-CPMC", "CPMC"}


def test_a_synthetic_cannabinoid_written_without_its_head_is_the_one_with_a_head() -> None:
    # hold-out E: a listing "7en-BINACA Räuchermischung" on day 17, "ADB-7en-BINACA" from day 19, never both in one
    # document: one substance, not two first sightings
    records = [doc("l1", 17, "7-ENBINACA"), doc("l2", 19, "ADB7ENBINACA"), doc("p1", 20, "ADB7ENBINACA")]
    assert fold_names(records) == {"7-ENBINACA": ["ADB7ENBINACA"]}
    assert subjects(records) == {"7-ENBINACA"}


def test_a_headless_name_stays_apart_beside_two_heads() -> None:
    records = [doc("l1", 17, "ADB7ENBINACA"), doc("l2", 18, "MDMB7ENBINACA"), doc("p1", 20, "7-ENBINACA")]
    assert fold_names(records) == {}
    assert subjects(records) == {"ADB7ENBINACA", "MDMB7ENBINACA", "7-ENBINACA"}


def test_substituents_spelled_out_or_abbreviated_are_one_candidate() -> None:
    # hold-out E: "4-bromo-PiHP" in a listing's text, "4-Br-PiHP" in its title and the posts, "4-Br-α-PiHP" once
    written = ["4-BROMO-PIHP", "4-BR-PIHP", "4-BR-Α-PIHP", "4-BRPIHP", "4-BROM-ALPHA-PIHP"]
    assert {n for w in written for n in candidate_names([w])} == {"4-BRPIHP"}
