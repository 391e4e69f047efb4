"""Series from the store: daily and weekly distinct counts, splits, missing crawl days, EUR per gram."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from signals.series import candidate_names, load_series
from storage.sqlite import SqliteStorage
from tests.signals.synthetic import DAYS, START, day


def test_listing_counts_per_day_follow_observation_days(filled: SqliteStorage) -> None:
    data = load_series(filled, day(DAYS - 1))
    series = data.series("3-CMC", "listings")
    assert series.start == START - timedelta(days=20)  # forum history reaches back
    values = series.values[-DAYS:]
    assert values[0] == 4 and values[17] == 4 and values[18] == 7 and values[21] == 16 and values[-1] == 16
    # M1 was not crawled on day 5: its listings seen on days 4 and 6 are bridged over it (not zero, not missing)
    assert values[5] == 4
    m1 = data.counts("3-CMC", "listings", split="market")["M1"].values
    assert m1[-DAYS + 5] == 4 and np.isnan(m1[:-DAYS]).all()  # missing before the market's first crawl
    assert data.series("3-CMC", "vendors").values[-1] == 3 and data.series("3-CMC", "markets").values[-1] == 1


def test_a_split_by_market_counts_each_market(filled: SqliteStorage) -> None:
    data = load_series(filled, day(DAYS - 1))
    by_market = data.counts("cocaine", "listings", split="market")
    assert set(by_market) == {"M1", "M2"}
    assert by_market["M1"].values[-DAYS + 5] == 6 and by_market["M2"].values[-DAYS + 5] == 6
    by_country = data.counts("cocaine", "listings", split="country")
    assert by_country["Netherlands"].values[-1] == 6 and by_country["Germany"].values[-1] == 6


def test_posts_count_on_the_day_they_were_posted(filled: SqliteStorage) -> None:
    data = load_series(filled, day(DAYS - 1))
    posts = data.series("MDMB-4en-PINACA", "posts").values[-DAYS:]
    assert list(posts[21:26]) == [0, 6, 6, 6, 0]
    assert data.series("MDMB-4en-PINACA", "severe").values[-DAYS:][22] == 6
    assert data.series("cocaine", "threads").values[-1] >= 1


def test_weekly_counts_are_distinct_over_the_week(filled: SqliteStorage) -> None:
    weekly = load_series(filled, day(DAYS - 1)).series("ketamine", "listings", "week")
    assert weekly.interval == "week" and weekly.start.weekday() == 0
    assert np.nanmax(weekly.values) == 6  # the same 6 listings all week count once


def test_as_of_hides_what_came_later(filled: SqliteStorage) -> None:
    data = load_series(filled, day(10))
    assert "3-CPMC" not in data.subjects and data.days()[-1] == day(10)


def test_eur_per_gram_follows_each_days_prices(filled: SqliteStorage) -> None:
    data = load_series(filled, day(DAYS - 1))
    prices = data.price_series("ketamine").values[-DAYS:]
    assert prices[10] == pytest.approx(26.5) and prices[25] == pytest.approx(26.5 * 0.6, rel=0.01)
    points = data.prices("ketamine", split="market")["M2"]
    assert {p[0] for p in points} == {day(i) for i in range(DAYS)}


def test_candidate_spellings_fold_together(filled: SqliteStorage) -> None:
    assert candidate_names(["3-CPMC", "3cpmc", "3 CPMC"]) == ["3-CPMC"]
    info = load_series(filled, day(DAYS - 1)).subjects["3-CPMC"]
    assert info.known is False and info.family == "synthetic cathinone"


def test_unknown_measure_is_refused(filled: SqliteStorage) -> None:
    with pytest.raises(ValueError, match="measure: expected one of"):
        load_series(filled, day(3)).counts("cocaine", "likes")


def test_bridging_stops_where_the_market_was_crawled_without_the_listing() -> None:
    from signals.series import Sight, bridge

    seen = [Sight(day(1), "t1", "w1"), Sight(day(4), "t4", "w4")]
    assert [s.day for s in bridge(seen, {day(1), day(4)})] == [day(1), day(2), day(3), day(4)]
    assert [s.day for s in bridge(seen, {day(1), day(3), day(4)})] == [day(1), day(4)]  # gone on day 3


def test_harm_given_to_a_classic_drug_beside_an_nps_is_the_nps() -> None:
    from signals.series import Record, thread_leads

    sold_as = Record("p1", "post", "f", "u", ["MDMB-4en-PINACA", "THC"], adverse=True, severe=True,
                     known_names=frozenset({"MDMB-4en-PINACA", "THC"}), adverse_subjects=frozenset({"THC"}),
                     severe_subjects=frozenset({"THC"}))  # fmt: skip
    classic = Record("p2", "post", "f", "u", ["MDMA", "cocaine"], adverse=True,
                     known_names=frozenset({"MDMA", "cocaine"}), adverse_subjects=frozenset({"MDMA"}))  # fmt: skip
    thread_leads([sold_as, classic])
    assert sold_as.harms("MDMB-4en-PINACA") and sold_as.harms("MDMB-4en-PINACA", severe=True)
    assert not sold_as.harms("THC")
    assert classic.harms("MDMA") and not classic.harms("cocaine")  # no NPS: extraction's attribution stands
