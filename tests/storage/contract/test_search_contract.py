"""The search contract, on every backend: user text (spellings, phrases, prefixes, hostile input), ranking
where it is defined, snippets, filters, observation-day ranges, facets over the whole result, pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from crawlers.items import Price
from storage.base import KEYWORD_FIELDS, SearchQuery, Storage, StorageError
from tests.storage.documents import DAY1, DAY2, DAY3, listing, post, vendor

CORPUS = {
    "l1": listing("1", DAY1, title="3-MMC crystals 10g", ships_to=["EU", "UK"]),
    "l2": listing(
        "2",
        DAY2,
        title="3 MMC pellets",
        vendor="pelletking",
        category=["Stimulants"],
        ships_to=["EU"],
        description="Pressed pellets, 100 mg each.",
    ),
    "l3": listing(
        "3",
        DAY3,
        source="beta",
        market="Beta Bazaar",
        title="Méphédrone 4-MMC",
        description="Mephedrone crystals, also sold as pellets.",
        category=["Stimulants"],
        ships_from="DE",
        ships_to=["WW"],
        prices=[Price(Decimal("0.002"), "BTC", "0.002 BTC", "1g")],
    ),
    "l4": listing(
        "4",
        DAY1,
        source="beta",
        market="Beta Bazaar",
        title="1P-LSD blotters 100µg",
        vendor="acidhouse",
        description="Blotters on art paper.",
        category=["Psychedelics"],
        ships_to=["EU"],
    ),
    "p1": post("1", DAY2),
    "p2": post(
        "2",
        DAY2,
        thread_id="t2",
        thread_title="3MMC experience",
        text="Tried 3mmc last weekend, very euphoric.",
        language_hint="nl",
        is_trip_report=False,
        author="gebruiker",
    ),
    "v1": vendor("chemlab", DAY1),
}
IDS = {doc["id"]: name for name, doc in CORPUS.items()}


L4_AGAIN = {**CORPUS["l4"], "seen_at": DAY3, "warc_record_id": "<urn:uuid:l4-again>"}  # unchanged, two days on


@pytest.fixture
def corpus(store: Storage) -> Storage:
    store.write(CORPUS.values())
    store.write([L4_AGAIN])
    return store


def names(store: Storage, **fields: Any) -> list[str]:
    return [IDS[hit["id"]] for hit in store.search(SearchQuery(**fields)).hits]


def found(store: Storage, **fields: Any) -> set[str]:
    return set(names(store, limit=100, **fields))


@pytest.mark.parametrize("text", ["3-mmc", "3-MMC", "3–MMC", "3_mmc", '"3 mmc"', "3MMC"])
def test_3_mmc_matches_every_spelling(corpus: Storage, text: str) -> None:
    assert found(corpus, text=text) >= {"l1", "l2"}
    assert "l3" not in found(corpus, text=text)


def test_a_hyphenated_term_also_matches_its_joined_spelling(corpus: Storage) -> None:
    assert found(corpus, text="3-mmc") == {"l1", "l2", "p2"}


def test_words_are_anded(corpus: Storage) -> None:
    assert found(corpus, text="crystals 3-mmc") == {"l1"}
    assert found(corpus, text="crystals") == {"l1", "l3"}


def test_a_quoted_phrase_keeps_its_word_order(corpus: Storage) -> None:
    assert found(corpus, text='"mmc pellets"') == {"l2"}
    assert found(corpus, text='"pellets mmc"') == set()


@pytest.mark.parametrize("text", ["mephedrone", "méphédrone", "MEPHEDRONE", "Méphé*"])
def test_diacritics_and_case_are_ignored(corpus: Storage, text: str) -> None:
    assert found(corpus, text=text) == {"l3"}


@pytest.mark.parametrize(
    "text",
    ['"', '""', "AND OR NOT (", "(", ")", "NEAR(a b)", "title:foo", '"unbalanced phrase', "a' OR 1=1 --", "^",
     "-", "3-", "*mmc", "💊", "\x00", "ü", 'x"y', "{col}", "NOT", "a AND", "OR OR", "a:b:c", "\\", "%_",
     '{"query": {"match_all": {}}}', "title:* OR *", "/.*/", "a~2", "x^100", "[1 TO 5]"],
)  # fmt: skip
def test_hostile_query_text_never_fails(corpus: Storage, text: str) -> None:
    result = corpus.search(SearchQuery(text=text, facets=["kind"]))
    assert 0 <= result.total <= len(CORPUS)


@pytest.mark.parametrize("text", ["*", "", "   ", '"', "(", "💊"])
def test_text_without_words_matches_everything(corpus: Storage, text: str) -> None:
    assert corpus.search(SearchQuery(text=text)).total == len(CORPUS)


def test_boolean_words_are_searched_as_words(corpus: Storage) -> None:
    assert found(corpus, text="AND OR NOT") == set()
    assert found(corpus, text="also sold") == {"l3"}


def test_a_title_match_ranks_above_a_description_match(corpus: Storage) -> None:
    assert names(corpus, text="pellets") == ["l2", "l3"]


def test_without_text_hits_come_latest_seen_first_then_by_id(corpus: Storage) -> None:
    hits = corpus.search(SearchQuery(limit=100)).hits
    keys = [(hit["last_seen"], hit["id"]) for hit in hits]
    assert keys == sorted(sorted(keys, key=lambda key: key[1]), key=lambda key: key[0], reverse=True)


def test_a_hit_is_the_document_with_first_last_seen_and_a_plain_text_snippet(corpus: Storage) -> None:
    (hit,) = corpus.search(SearchQuery(text="blotters")).hits
    assert {k: v for k, v in hit.items() if k not in ("first_seen", "last_seen", "snippet")} == L4_AGAIN
    assert (hit["first_seen"], hit["last_seen"]) == ("2024-05-01T09:30:00Z", "2024-05-03T11:15:00Z")
    assert "«blotters»" in hit["snippet"].lower()
    assert "<" not in hit["snippet"]


def test_a_hit_without_text_match_gets_the_start_of_its_text(corpus: Storage) -> None:
    (hit,) = corpus.search(SearchQuery(filters={"author": ["gebruiker"]})).hits
    assert hit["snippet"] == "Tried 3mmc last weekend, very euphoric."


def test_kinds_and_sources_restrict_the_result(corpus: Storage) -> None:
    assert found(corpus, kinds=["post"]) == {"p1", "p2"}
    assert found(corpus, sources=["beta"]) == {"l3", "l4"}
    assert found(corpus, kinds=["listing", "vendor"], sources=["alpha"]) == {"l1", "l2", "v1"}


def test_filters_are_ored_within_a_field_and_anded_across_fields(corpus: Storage) -> None:
    assert found(corpus, filters={"vendor": ["chemlab", "pelletking"]}) == {"l1", "l2", "l3"}
    assert found(corpus, filters={"vendor": ["chemlab", "pelletking"], "ships_to": ["UK", "WW"]}) == {"l1", "l3"}
    assert found(corpus, filters={"category": ["Psychedelics"]}) == {"l4"}
    assert found(corpus, filters={"currency": ["BTC"]}) == {"l3"}


def test_boolean_filter_values_match_stored_booleans(corpus: Storage) -> None:
    assert found(corpus, filters={"is_trip_report": [True]}) == {"p1"}
    assert found(corpus, filters={"is_trip_report": ["false"]}) == {"p2"}


def test_an_empty_filter_list_does_not_restrict(corpus: Storage) -> None:
    assert len(found(corpus, filters={"vendor": []})) == len(CORPUS)


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (date(2024, 5, 3), None, {"l3", "l4"}),
        (None, date(2024, 5, 1), {"l1", "l4", "v1"}),
        (date(2024, 5, 2), date(2024, 5, 2), {"l2", "p1", "p2"}),  # l4 seen on the 1st and 3rd, not the 2nd
        (date(2024, 5, 4), None, set()),
        (date(2024, 5, 3), date(2024, 5, 1), set()),
    ],
)
def test_date_ranges_select_documents_observed_on_those_days(
    corpus: Storage, date_from: date | None, date_to: date | None, expected: set[str]
) -> None:
    assert found(corpus, date_from=date_from, date_to=date_to) == expected


def test_facets_count_the_whole_result_and_each_list_element(corpus: Storage) -> None:
    result = corpus.search(SearchQuery(kinds=["listing"], facets=["ships_to", "category", "source"], limit=1))
    assert result.total == 4 and len(result.hits) == 1
    assert result.facets == {
        "ships_to": {"EU": 3, "UK": 1, "WW": 1},
        "category": {"Stimulants": 3, "Psychedelics": 1, "RCs": 1},
        "source": {"alpha": 2, "beta": 2},
    }
    assert list(result.facets["category"]) == ["Stimulants", "Psychedelics", "RCs"]  # count, then value


def test_facets_follow_the_text_query(corpus: Storage) -> None:
    result = corpus.search(SearchQuery(text="3-mmc", facets=["kind", "vendor"]))
    assert result.facets == {"kind": {"listing": 2, "post": 1}, "vendor": {"chemlab": 1, "pelletking": 1}}


def test_facet_size_keeps_the_most_frequent_values(corpus: Storage) -> None:
    assert corpus.search(SearchQuery(facets=["ships_to"], facet_size=1)).facets == {"ships_to": {"EU": 3}}


@pytest.mark.parametrize("fields", [{"facets": ["price"]}, {"filters": {"title": ["x"]}}])
def test_an_unknown_keyword_field_names_the_field_and_the_valid_ones(corpus: Storage, fields: dict[str, Any]) -> None:
    with pytest.raises(StorageError) as error:
        corpus.search(SearchQuery(**fields))
    assert repr(next(iter(fields.get("facets") or fields["filters"]))) in str(error.value)
    assert ", ".join(KEYWORD_FIELDS) in str(error.value)


def test_pages_cover_the_result_once(corpus: Storage) -> None:
    pages = [corpus.search(SearchQuery(limit=3, offset=offset)) for offset in (0, 3, 6, 9)]
    assert {page.total for page in pages} == {len(CORPUS)}
    seen = [hit["id"] for page in pages for hit in page.hits]
    assert sorted(seen) == sorted(IDS) and [len(page.hits) for page in pages] == [3, 3, 1, 0]


def test_limit_zero_gives_total_and_facets_only(corpus: Storage) -> None:
    result = corpus.search(SearchQuery(limit=0, facets=["kind"]))
    assert (result.total, result.hits, result.facets) == (7, [], {"kind": {"listing": 4, "post": 2, "vendor": 1}})


@pytest.mark.parametrize("fields", [{"limit": -1}, {"offset": -5}, {"facet_size": 0}])
def test_negative_paging_is_refused(corpus: Storage, fields: dict[str, Any]) -> None:
    with pytest.raises(StorageError, match=next(iter(fields))):
        corpus.search(SearchQuery(**fields))


def test_newest_first_ignores_the_score(corpus: Storage) -> None:
    ranked = [h["id"] for h in corpus.search(SearchQuery("pellets")).hits]
    newest = corpus.search(SearchQuery("pellets", sort="newest")).hits
    assert sorted(ranked) == sorted(h["id"] for h in newest)
    assert [h["last_seen"] for h in newest] == sorted((h["last_seen"] for h in newest), reverse=True)


def test_an_unknown_sort_is_refused(corpus: Storage) -> None:
    with pytest.raises(StorageError, match="sort must be one of relevance, newest"):
        corpus.search(SearchQuery(sort="cheapest"))
