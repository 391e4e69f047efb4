"""The trend contract, on every backend: observed documents per day or week, split by a field, with
EUR-per-gram percentiles from each day's prices."""

from __future__ import annotations

from datetime import date

import pytest

from storage.base import StorageError, TrendBucket, TrendQuery
from tests.storage.documents import eur, listing, post


@pytest.fixture
def trending(store: object) -> object:
    docs = [
        {**listing("1", "2024-05-06T10:00:00Z", prices=[eur("45.00", "10g")]), "substance": ["3-MMC"]},
        {**listing("1", "2024-05-07T10:00:00Z", prices=[eur("40.00", "10g")]), "substance": ["3-MMC"]},
        {**listing("2", "2024-05-07T11:00:00Z", prices=[eur("12.00", "1g")], ships_from="DE"), "substance": ["3-MMC"]},
        {**listing("3", "2024-05-07T12:00:00Z", prices=[eur("5.00", "500mg")], source="beta"), "substance": ["2-MMC"]},
        {**listing("4", "2024-05-14T09:00:00Z", prices=[eur("100.00", "1 oz")]), "substance": ["Hexen"]},
        {**post("1", "2024-05-07T08:00:00Z"), "substance": ["2-FMA"]},
    ]
    store.write(docs)  # type: ignore[attr-defined]
    return store


def test_counts_per_substance_per_day(trending: object) -> None:
    buckets = trending.trend(TrendQuery(by="substance", interval="day"))  # type: ignore[attr-defined]
    assert [(b.period, b.key, b.observations, b.documents) for b in buckets] == [
        (date(2024, 5, 6), "3-MMC", 1, 1),
        (date(2024, 5, 7), "3-MMC", 2, 2),
        (date(2024, 5, 7), "2-MMC", 1, 1),
        (date(2024, 5, 14), "Hexen", 1, 1),
    ]


def test_a_week_counts_each_document_once_and_each_day_it_was_seen(trending: object) -> None:
    buckets = trending.trend(TrendQuery(by="substance", interval="week"))  # type: ignore[attr-defined]
    first = buckets[0]
    assert (first.period, first.key, first.observations, first.documents) == (date(2024, 5, 6), "3-MMC", 3, 2)
    assert [(b.period, b.key) for b in buckets[1:]] == [(date(2024, 5, 6), "2-MMC"), (date(2024, 5, 13), "Hexen")]


def test_eur_per_gram_comes_from_each_days_prices(trending: object) -> None:
    query = TrendQuery(by="substance", interval="day", percents=(50.0,), filters={"substance": ["3-MMC"]})
    buckets = trending.trend(query)  # type: ignore[attr-defined]
    assert [(b.period, b.eur_per_gram) for b in buckets] == [
        (date(2024, 5, 6), {"50.0": 4.5}),
        (date(2024, 5, 7), {"50.0": pytest.approx(12.0, abs=8.0)}),  # 4.0 and 12.0: engines interpolate differently
    ]
    (hexen,) = trending.trend(TrendQuery(by="substance", filters={"substance": ["Hexen"]}))  # type: ignore[attr-defined]
    assert hexen.eur_per_gram == {}  # "1 oz" is not read as a mass


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"by": "ships_from"}, [("2024-05-06", "NL", 1), ("2024-05-07", "NL", 2), ("2024-05-07", "DE", 1),
                                ("2024-05-14", "NL", 1)]),
        ({"by": "source", "sources": ["beta"]}, [("2024-05-07", "beta", 1)]),
        ({"by": None, "kinds": ["post"]}, [("2024-05-07", None, 1)]),
        ({"by": "market", "date_from": date(2024, 5, 7), "date_to": date(2024, 5, 7), "size": 1},
         [("2024-05-07", "Alpha Market", 3)]),
    ],
)  # fmt: skip
def test_splits_filters_and_ranges(
    trending: object, fields: dict[str, object], expected: list[tuple[str, str, int]]
) -> None:
    buckets = trending.trend(TrendQuery(**fields))  # type: ignore[attr-defined, arg-type]
    assert [(b.period.isoformat(), b.key, b.observations) for b in buckets] == expected


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"by": "price"}, "unknown trend field 'price'"), ({"interval": "month"}, "interval"), ({"size": 0}, "size")],
)
def test_a_bad_trend_query_says_what_was_expected(trending: object, fields: dict[str, object], message: str) -> None:
    with pytest.raises(StorageError, match=message):
        trending.trend(TrendQuery(**fields))  # type: ignore[attr-defined, arg-type]


def test_trend_bucket_json_is_plain(trending: object) -> None:
    (bucket, *_) = trending.trend(TrendQuery())  # type: ignore[attr-defined]
    assert isinstance(bucket, TrendBucket)
    assert bucket.to_json() == {"period": "2024-05-06", "key": "3-MMC", "observations": 1, "documents": 1,
                                "eur_per_gram": {"25.0": 4.5, "50.0": 4.5, "75.0": 4.5}}  # fmt: skip


def _offer(eur_per_gram: float) -> dict[str, object]:
    """An offer as the NLP stage adds it (pipelines.enrich): 10 g at ``eur_per_gram``."""
    return {"price_amount": eur_per_gram * 10, "price_currency": "EUR", "quantity_grams": 10.0,
            "eur_per_gram": eur_per_gram}  # fmt: skip


def test_eur_per_gram_over_time_is_the_price_observed_at_each_time(store: object) -> None:
    """The listing's offers change every day and it is relabelled on the last: each day counts the offers and
    the label seen that day, not today's (sightings written out of order)."""
    sightings = [("2024-05-08T10:00:00Z", 20.0, "3-CMC"), ("2024-05-06T10:00:00Z", 10.0, "3-MMC"),
                 ("2024-05-07T10:00:00Z", 12.0, "3-MMC")]  # fmt: skip
    store.write(  # type: ignore[attr-defined]
        {**listing("1", seen, prices=[eur("100.00", "10g")]), "substance": [substance], "offers": [_offer(per_gram)]}
        for seen, per_gram, substance in sightings
    )
    store.write([{**listing("2", "2024-05-07T11:00:00Z", prices=[eur("30.00", "1g")]), "substance": ["3-MMC"]}])  # type: ignore[attr-defined]
    buckets = store.trend(TrendQuery(by="substance", percents=(50.0,)))  # type: ignore[attr-defined]
    assert [(b.period.isoformat(), b.key, b.documents, b.eur_per_gram) for b in buckets] == [
        ("2024-05-06", "3-MMC", 1, {"50.0": 10.0}),
        ("2024-05-07", "3-MMC", 2, {"50.0": pytest.approx(21.0, abs=9.0)}),  # 12 and 30: interpolation differs
        ("2024-05-08", "3-CMC", 1, {"50.0": 20.0}),
    ]
    (week,) = store.trend(TrendQuery(by=None, interval="week", percents=(10.0, 90.0)))  # type: ignore[attr-defined]
    low, high = week.eur_per_gram["10.0"], week.eur_per_gram["90.0"]
    assert (week.observations, week.documents) == (4, 2) and 10.0 <= low < 12.5 and 20.0 < high <= 30.0
