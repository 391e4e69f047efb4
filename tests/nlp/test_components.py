"""The seven components (six rule components and the trained recogniser) stand alone: results go between them
only through documented ``Doc`` extensions, each works alone, any valid order gives the same results, and an invalid
order fails naming what is missing."""

import itertools
from functools import lru_cache

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from nlp import pipeline
from nlp.components.state import EXTENSIONS, NPS, ext_key, findings, overlaps
from nlp.errors import PipelineOrderError
from nlp.types import Extraction, Quantity

NAMES = [name for name, _ in pipeline.COMPONENTS]
TEXTS = [
    "Snorted 50mg 3-MMC (€10/g, 5g €45, 88% pure) and found 4-Br-PVP; no nausea but a seizure later. Took 2 pills.",
    "N-pyrrolidino protonitazene 10mg €60, 4-F-MPH 1g €15 | 5g €60. I did a line of speed and felt anxious.",
    "Ive increased to 50mg but it didnt really seem to make a difference, so I tried 60",
    "ketamine 1g 25 EUR, mephedrone 2g, 85% purity. Smoked a joint, then a bump: dizzy, no paranoia.",
    "I snorted it and dosed again, geen misselijkheid",
]


@lru_cache(maxsize=1)
def full() -> Language:
    return pipeline.build("en")


def _run(components: list[object], text: str) -> Extraction:
    doc = full().make_doc(text)
    for component in components:
        doc = component(doc)  # type: ignore[operator]
    return findings(doc)


def _valid(order: tuple[str, ...]) -> bool:
    components = {name: full().get_pipe(name) for name in NAMES}
    for k, name in enumerate(order):
        reads = components[name].READS
        assigned = [a for later in order[k + 1 :] for a in components[later].ASSIGNS]
        if any(overlaps(read, a) for read in reads for a in assigned):
            return False
    return True


def _json(extraction: Extraction) -> str:
    return extraction.to_json()


def test_the_extensions_are_registered_and_doc_underscore_reads_what_components_write() -> None:
    for name in EXTENSIONS:
        assert Doc.has_extension(name), name
    doc = full()(TEXTS[0])
    assert doc._.nps is doc.user_data[NPS] and doc._.nps.substances
    assert doc._.nps_name_tokens == doc.user_data[ext_key("nps_name_tokens")] != []
    assert [route for _, _, route in doc._.nps_route_spans] == [r.route for r in doc._.nps.routes]
    assert doc._.nps_offer_quantities == {q.start for q in doc._.nps.quantities if q.text in ("5g",)}


def test_doc_underscore_reads_and_writes_the_components_keys() -> None:
    doc = full().make_doc("3-MMC 5g")
    assert doc._.nps_date is None and doc.user_data == {}
    doc._.nps_date = "a day"
    assert doc.user_data == {ext_key("nps_date"): "a day"}
    doc.user_data[ext_key("nps_rates")] = "a table"
    assert doc._.nps_rates == "a table" and doc._.nps_date == "a day"
    doc._.nps_rates = "another"
    assert doc.user_data[ext_key("nps_rates")] == "another" and len(doc.user_data) == 2


def test_results_pass_only_through_documented_extensions() -> None:
    doc = full()(TEXTS[1])
    documented = {ext_key(name) for name in EXTENSIONS}
    assert set(doc.user_data) <= documented, set(doc.user_data) - documented


@pytest.mark.parametrize("name", NAMES)
def test_each_component_builds_and_runs_alone(name: str) -> None:
    alone = pipeline.build("en", components=[name])
    assert alone.pipe_names == [name]
    for text in TEXTS:
        alone(text)


def test_components_alone_find_their_own_results() -> None:
    alone = {name: pipeline.build("en", components=[name]) for name in NAMES}
    everything = full()(TEXTS[0])._.nps
    substances = alone["substances"](TEXTS[0])._.nps
    assert [m.canonical for m in substances.substances] == [m.canonical for m in everything.substances if m.known]
    novel = alone["novel"](TEXTS[0])._.nps
    assert [m.text for m in novel.substances] == ["4-Br-PVP"] and not novel.substances[0].known
    offers = alone["offers"](TEXTS[0])._.nps
    assert _json(Extraction(quantities=offers.quantities, prices=offers.prices, offers=offers.offers)) == _json(
        Extraction(quantities=everything.quantities, prices=everything.prices, offers=everything.offers)
    )
    effects = alone["effects"](TEXTS[0])._.nps.effects  # alone: the same effects, attributed to no substance
    assert [(e.effect, e.negated, e.substance) for e in effects] == [("nausea", True, None), ("seizure", False, None)]
    assert [(e.effect, e.negated, e.substance) for e in everything.effects] == [("nausea", True, "3-MMC"),
                                                                               ("seizure", False, "3-MMC")]  # fmt: skip
    # alone, routes count only unambiguous route words in drug talk ("snorted", "dosed")
    assert [r.route for r in alone["routes"](TEXTS[4])._.nps.routes] == ["insufflated"]
    assert alone["routes"]("I ate a sandwich")._.nps.routes == []  # "ate" needs a substance or an amount nearby


def test_doses_alone_judge_the_quantities_a_caller_gives() -> None:
    doses = pipeline.build("en", components=["doses"])
    assert doses("I snorted 50mg")._.nps.doses == []  # no component found a quantity
    doc = doses.make_doc("I snorted 50mg")
    doc._.nps = Extraction(lang="en", quantities=[Quantity("50mg", 10, 14, 50.0, "mg", 0.05)])
    doc = doses.get_pipe("doses")(doc)
    assert [(d.text, d.amount, d.unit) for d in doc._.nps.doses] == [("50mg", 50.0, "mg")]


def test_every_valid_order_of_every_subset_gives_the_results_of_the_standard_order() -> None:
    components = {name: full().get_pipe(name) for name in NAMES}
    checked = 0
    for size in range(1, len(NAMES) + 1):
        for subset in itertools.combinations(NAMES, size):  # in the standard order
            expected = [_json(_run([components[n] for n in subset], text)) for text in TEXTS]
            for order in itertools.permutations(subset):
                if order != subset and _valid(order):
                    got = [_json(_run([components[n] for n in order], text)) for text in TEXTS]
                    assert got == expected, order
                    checked += 1
    assert checked >= 15  # effects reads what substances, novel, offers and routes assign: fewer orders are valid


def test_valid_permuted_pipelines_build_and_agree() -> None:
    orders = [order for order in itertools.permutations(NAMES) if _valid(order)]
    assert len(orders) == 2  # effects and doses read the same components, not each other: either may run last
    expected = [_json(full()(text)._.nps) for text in TEXTS]
    for order in orders:
        built = pipeline.build("en", components=list(order))
        assert [_json(built(text)._.nps) for text in TEXTS] == expected, order


@pytest.mark.parametrize(
    ("order", "missing", "late"),
    [
        (["novel", "substances"], "doc._.nps.substances:rules", "substances"),
        (["recogniser", "novel"], "doc._.nps.substances:rules", "novel"),
        (["substances", "offers", "recogniser"], "doc._.nps.substances", "recogniser"),
        (["offers", "novel"], "doc._.nps.substances", "novel"),
        (["routes", "offers"], "doc._.nps.quantities", "offers"),
        (["doses", "routes"], "doc._.nps_route_spans", "routes"),
        (["substances", "doses", "offers", "routes"], "doc._.nps.quantities", "offers"),
    ],
)
def test_an_invalid_order_fails_naming_the_missing_requirement(order: list[str], missing: str, late: str) -> None:
    with pytest.raises(PipelineOrderError, match=rf"reads {missing}, which component '{late}' assigns after it"):
        pipeline.build("en", components=order)


def test_unknown_components_are_refused() -> None:
    with pytest.raises(ValueError, match="expected components among"):
        pipeline.build("en", components=["substances", "parser"])
