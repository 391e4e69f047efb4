"""What the cluster indexes: every field the interface filters, facets, trends or searches on is in the
reviewed mappings, and a document becomes an indexed source the strict mappings accept."""

from __future__ import annotations

from typing import Any

import pytest

from storage.base import ENTITY_FIELDS, KEYWORD_FIELDS, TEXT_FIELDS, eur_per_gram
from storage.cluster.documents import document_source, observation_source
from storage.cluster.indices import load_family
from storage.sqlite_write import prepare
from tests.storage.documents import eur, listing, post


def properties(family: str) -> dict[str, Any]:
    found: dict[str, Any] = load_family(family).template["mappings"]["properties"]
    return found


@pytest.mark.parametrize("family", ["documents", "observations"])
def test_every_keyword_and_entity_field_is_a_mapped_keyword(family: str) -> None:
    for name in (*KEYWORD_FIELDS, *ENTITY_FIELDS):
        assert properties(family).get(name, {}).get("type") == "keyword", f"{family}: {name}"


def test_every_text_field_has_the_folded_analyzer_and_one_sub_field_per_language() -> None:
    for name in TEXT_FIELDS:
        spec = properties("documents")[name]
        assert spec["analyzer"] == "npswatch_folded"
        assert {sub for sub in spec["fields"] if sub != "keyword"} == {"en", "nl", "fr", "de"}


@pytest.mark.parametrize(
    "doc", [listing(), post(), {**listing(), "rating": "4.8 stars"}], ids=["listing", "post", "odd"]
)
def test_indexed_sources_only_use_mapped_fields(doc: dict[str, Any]) -> None:
    row = prepare(doc)
    for family, source in (("documents", document_source(row, 1, 2, ["2024-05-01"])),
                           ("observations", observation_source(row))):  # fmt: skip
        assert set(source) <= set(properties(family)), set(source) - set(properties(family))
    assert document_source(row, 1, 2, [])["doc"] == doc


def test_nlp_fields_are_indexed_as_entities_and_offers() -> None:
    nlp = {"substance": ["3-MMC"], "nps": True, "route": ["insufflated"], "eur_per_gram": 4.2,
           "offers": [{"quantity_grams": 10.0, "price_amount": 45.0, "price_currency": "EUR", "eur": 45.0,
                       "eur_per_gram": 4.5, "units": None, "eur_rate": 1.0, "rate_date": "2024-05-01"}]}  # fmt: skip
    source = document_source(prepare({**listing(), **nlp}), 1, 2, [])
    assert (source["substance"], source["nps"], source["route"]) == (["3-MMC"], ["true"], ["insufflated"])
    assert source["offers"] == [{"amount": 45.0, "currency": "EUR", "quantity": None, "grams": 10.0,
                                 "eur_per_gram": 4.5}]  # fmt: skip
    assert source["eur_per_gram"] == [4.5]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (listing(prices=[eur("45.00", "10g"), eur("5.00", "500mg"), eur("9.00", "1 oz")]), [4.5, 10.0]),
        (listing(prices=[eur("45.00", None)]), []),
        ({**listing(), "eur_per_gram": 3.5}, [3.5]),
        ({**listing(), "offers": [{"eur_per_gram": 4.0}, {"eur_per_gram": None}]}, [4.0]),
    ],
)
def test_eur_per_gram_prefers_what_extraction_found(doc: dict[str, Any], expected: list[float]) -> None:
    assert eur_per_gram(doc) == expected
