"""The write contract, on every backend: idempotence, one observation per document and day, history,
older sightings never clobber newer content, and what a write reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from storage.base import SearchQuery, Storage, StorageError, WriteResult
from storage.sqlite_write import CHUNK_SIZE
from tests.storage.documents import DAY1, DAY2, DAY3, eur, listing, post, vendor


def test_new_documents_are_created_with_one_observation_each(store: Storage) -> None:
    assert store.write([listing("1"), listing("2"), post(), vendor()]) == WriteResult(created=4, observations=4)
    assert store.count() == 4


def test_the_same_batch_twice_adds_no_document_and_no_observation(store: Storage) -> None:
    batch = [listing("1"), listing("2"), post(), vendor()]
    store.write(batch)
    assert store.write(batch) == WriteResult(unchanged=4)
    assert store.count() == 4
    assert len(store.history(batch[0]["id"])) == 1


def test_get_returns_the_document_exactly_as_written(store: Storage) -> None:
    doc = {**listing(title="Méphédrone 4-MMC ✓"), "extra": {"nested": [1, "two", None, 2.5]}}
    store.write([doc])
    assert store.get(doc["id"]) == doc
    assert store.get("no-such-id") is None


def test_a_price_change_across_days_shows_in_history(store: Storage) -> None:
    store.write([listing(seen_at=DAY1, prices=[eur("45.00")])])
    assert store.write([listing(seen_at=DAY2, prices=[eur("39.00")])]) == WriteResult(updated=1, observations=1)
    history = store.history(listing()["id"])
    assert [(o.day, o.prices[0]["amount"]) for o in history] == [
        (date(2024, 5, 1), "45.00"),
        (date(2024, 5, 2), "39.00"),
    ]
    assert history[1].seen_at == "2024-05-02T10:00:00Z"
    assert history[1].warc_record_id == listing(seen_at=DAY2)["warc_record_id"]


def test_a_second_crawl_the_same_day_updates_that_days_observation(store: Storage) -> None:
    store.write([listing(seen_at="2024-05-01T08:00:00Z", prices=[eur("45.00")])])
    assert store.write([listing(seen_at="2024-05-01T20:00:00+00:00", prices=[eur("42.00")])]) == WriteResult(updated=1)
    (only,) = store.history(listing()["id"])
    assert (only.seen_at, only.prices[0]["amount"]) == ("2024-05-01T20:00:00Z", "42.00")


def test_an_earlier_sighting_the_same_day_does_not_replace_the_later_one(store: Storage) -> None:
    store.write([listing(seen_at="2024-05-01T20:00:00Z", prices=[eur("42.00")])])
    store.write([listing(seen_at="2024-05-01T08:00:00Z", prices=[eur("45.00")])])
    (only,) = store.history(listing()["id"])
    assert (only.seen_at, only.prices[0]["amount"]) == ("2024-05-01T20:00:00Z", "42.00")
    assert store.get(listing()["id"]) == listing(seen_at="2024-05-01T20:00:00Z", prices=[eur("42.00")])


def test_an_older_day_adds_its_observation_but_keeps_the_newer_document(store: Storage) -> None:
    newer = listing(seen_at=DAY3, title="3-MMC 10g (restocked)", prices=[eur("35.00")])
    store.write([newer])
    result = store.write([listing(seen_at=DAY1, title="3-MMC 10g", prices=[eur("45.00")])])
    assert result == WriteResult(unchanged=1, observations=1)
    assert store.get(newer["id"]) == newer
    assert [o.day.isoformat() for o in store.history(newer["id"])] == ["2024-05-01", "2024-05-03"]
    (hit,) = store.search(SearchQuery()).hits
    assert (hit["first_seen"], hit["last_seen"]) == ("2024-05-01T09:30:00Z", "2024-05-03T11:15:00Z")
    assert store.search(SearchQuery(date_to=date(2024, 5, 1))).total == 1  # the older day is searchable


def test_only_seen_at_and_warc_record_changing_counts_as_unchanged(store: Storage) -> None:
    store.write([listing(seen_at=DAY1)])
    again = listing(seen_at=DAY2, warc_record_id="<urn:uuid:other>")
    assert store.write([again]) == WriteResult(unchanged=1, observations=1)
    assert store.get(again["id"]) == again


def test_changed_content_is_reindexed(store: Storage) -> None:
    store.write([listing(title="Mephedrone crystals", vendor="oldvendor")])
    store.write([listing(seen_at=DAY2, title="Hexen crystals", vendor="newvendor")])
    assert [hit["id"] for hit in store.search(SearchQuery(text="mephedrone")).hits] == []
    assert [hit["id"] for hit in store.search(SearchQuery(text="hexen")).hits] == [listing()["id"]]
    assert store.search(SearchQuery(facets=["vendor"])).facets == {"vendor": {"newvendor": 1}}


def test_the_same_document_twice_in_one_batch_is_handled_in_order(store: Storage) -> None:
    first = listing(seen_at=DAY1, prices=[eur("45.00")])
    second = listing(seen_at=DAY2, prices=[eur("40.00")])
    result = store.write([first, second, listing(seen_at=DAY2, prices=[eur("40.00")])])
    assert result == WriteResult(created=1, updated=1, unchanged=1, observations=2)
    assert store.get(first["id"]) == second
    assert [o.prices[0]["amount"] for o in store.history(first["id"])] == ["45.00", "40.00"]


@pytest.mark.slow  # a chunk and more of documents into each backend: over 2 s on a cluster
def test_a_batch_larger_than_a_chunk_is_written_whole(store: Storage) -> None:
    docs = [listing(str(n)) for n in range(CHUNK_SIZE + 7)]
    result = store.write([*docs, listing("3", seen_at=DAY2)])
    assert result == WriteResult(created=CHUNK_SIZE + 7, unchanged=1, observations=CHUNK_SIZE + 8)
    assert store.count() == CHUNK_SIZE + 7


def test_count_and_stats_split_by_kind_and_source(store: Storage) -> None:
    store.write([listing("1"), listing("2", source="beta"), post(), vendor()])
    assert (store.count(kind="listing"), store.count(kind="listing", source="beta")) == (2, 1)
    assert store.count(source="drugsforum") == 1
    assert store.stats() == {
        "kind": {"listing": 2, "post": 1, "vendor": 1},
        "source": {"alpha": 2, "beta": 1, "drugsforum": 1},
    }


def test_a_second_handle_sees_what_the_first_wrote(store: Storage, open_store: Callable[[], Storage]) -> None:
    store.write([listing("1"), post()])
    other = open_store()
    assert other.get(listing("1")["id"]) == listing("1")
    assert other.write([listing("1")]) == WriteResult(unchanged=1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seen_at": "yesterday"}, "expected an ISO 8601 time"),
        ({"seen_at": None}, "expected a non-empty string in 'seen_at'"),
        ({"id": ""}, "expected a non-empty string in 'id'"),
        ({"extra": object()}, "expected plain JSON values"),
        ({"title": ["not", "text"]}, "expected text (or nothing) in 'title'"),
    ],
)
def test_a_bad_document_fails_the_whole_batch(store: Storage, change: dict[str, Any], message: str) -> None:
    with pytest.raises(StorageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        store.write([listing("1"), {**listing("2"), **change}])
    assert store.count() == 0


def test_odd_values_in_typed_fields_are_kept_not_refused(store: Storage) -> None:
    doc = {**listing(), "rating": "4.8 stars", "feedback_count": "many"}  # text where numbers belong
    assert store.write([doc]) == WriteResult(created=1, observations=1)
    assert store.get(doc["id"]) == doc


def test_seen_at_with_an_offset_is_counted_on_its_utc_day(store: Storage) -> None:
    store.write([listing(seen_at="2024-05-02T01:30:00+02:00")])
    (only,) = store.history(listing()["id"])
    assert (only.day, only.seen_at) == (date(2024, 5, 1), "2024-05-01T23:30:00Z")
