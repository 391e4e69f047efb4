"""First sightings, price shifts and adverse-effect surges."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from signals.detectors import AdverseSurge, ParameterError, SeriesError, Sighting, first_seen, price_shift
from signals.detectors.priceshift import price_shift_at

D0 = date(2026, 1, 1)


def _s(entity: str, day: int, market: str = "m1", country: str = "NL", ref: str | None = None) -> Sighting:
    return Sighting(entity, D0 + timedelta(days=day), {"market": market, "country": country, "language": "en"}, ref)


class TestFirstSeen:
    def test_new_entity_is_reported_once_with_its_contexts(self):
        rows = [_s("mdma", 1), _s("2-mmc", 40, "m1", ref="l1"), _s("2-mmc", 41, "m2", "DE", ref="l2")]
        out = first_seen(rows, baseline_end=D0 + timedelta(days=30))
        assert len(out) == 1
        rec = out[0]
        assert (rec.entity, rec.dimension, rec.first_seen, rec.count) == ("2-mmc", None, D0 + timedelta(days=40), 2)
        assert rec.contexts["market"] == ["m1", "m2"] and rec.refs == ["l1", "l2"]

    def test_known_entity_in_a_new_market_and_country(self):
        rows = [_s("mdma", 1), _s("mdma", 35, "m2", "NL"), _s("mdma", 36, "m1", "BE")]
        out = first_seen(rows, baseline_end=D0 + timedelta(days=30))
        assert [(r.dimension, r.value) for r in out] == [("market", "m2"), ("country", "BE")]

    def test_nothing_new_raises_nothing(self):
        rows = [_s("mdma", 1), _s("mdma", 35)]
        assert first_seen(rows, baseline_end=D0 + timedelta(days=30)) == []

    def test_min_count_holds_back_a_single_sighting(self):
        rows = [_s("x", 40)]
        assert first_seen(rows, baseline_end=D0, min_count=2) == []
        with pytest.raises(ParameterError):
            first_seen(rows, baseline_end=D0, min_count=0)


class TestPriceShift:
    def test_clear_drop_is_significant_with_a_negative_change(self):
        rng = np.random.default_rng(1)
        before = np.exp(rng.normal(np.log(20), 0.2, 30))
        after = np.exp(rng.normal(np.log(12), 0.2, 20))
        res = price_shift(before, after)
        assert res.significant and res.direction == "down"
        assert res.ci_low < res.relative_change < res.ci_high < 0
        assert -0.5 < res.relative_change < -0.3

    def test_same_distribution_is_not_significant(self):
        rng = np.random.default_rng(2)
        res = price_shift(rng.lognormal(3, 0.3, 30), rng.lognormal(3, 0.3, 30))
        assert not res.significant and res.direction == "none"

    def test_too_few_values_give_no_verdict(self):
        res = price_shift([10, 11, 9], [5, 5.5])
        assert not res.significant

    def test_non_positive_prices_are_rejected(self):
        with pytest.raises(SeriesError, match="> 0"):
            price_shift([10, 0, 11], [5, 6])

    def test_windows_are_cut_from_a_dated_series(self):
        days = [D0 + timedelta(days=i) for i in range(70)]
        prices = [20.0 + (i % 3) if i < 56 else 12.0 + (i % 3) for i in range(70)]
        res = price_shift_at(days, prices, as_of=days[-1], window=14, reference=56)
        assert (res.n_reference, res.n_current) == (56, 14)
        assert res.significant and res.direction == "down"


class TestAdverseSurge:
    def test_rising_share_alarms_but_more_talk_alone_does_not(self):
        mentions = np.full(60, 20.0)
        adverse = np.full(60, 1.0)
        adverse[50:] = 6  # share from 5 % to 30 %
        busy = mentions.copy()
        busy[50:] = 120  # six times the talk, same 5 % share
        res = AdverseSurge()(adverse, mentions)
        assert res.alarm[52:].any()
        assert not res.alarm[:50].any()
        quiet = AdverseSurge()(np.where(np.arange(60) >= 50, 6.0, 1.0), busy)
        assert not quiet.alarm.any()

    def test_adverse_above_mentions_is_an_error(self):
        with pytest.raises(SeriesError, match="adverse <= mentions"):
            AdverseSurge()(np.array([3.0] * 40), np.array([2.0] * 40))

    def test_short_series_gives_a_message_and_no_alarm(self):
        res = AdverseSurge()(np.ones(10), np.ones(10) * 5)
        assert not res.alarm.any() and res.messages


def test_fast_hypergeometric_quantile_equals_scipy():
    from scipy.stats import hypergeom

    from signals.detectors.adverse import hypergeom_isf

    rng = np.random.default_rng(4)
    n1, n0 = rng.integers(1, 60, 2000), rng.integers(1, 200, 2000)
    a1, a0 = rng.binomial(n1, 0.1), rng.binomial(n0, 0.05)
    for q in (0.001, 0.01, 0.3):
        np.testing.assert_array_equal(hypergeom_isf(q, n0 + n1, a0 + a1, n1), hypergeom.isf(q, n0 + n1, a0 + a1, n1))


class TestPairedShift:
    def test_exact_p_equals_brute_force_over_every_arrangement(self):
        import itertools
        import math

        from signals.detectors import stratified_rank_test

        strata = [([1.0, 1.1, 0.9, 1.05], [0.7]), ([2.0, 2.2, 2.1], [1.5, 1.6])]
        stat, _, p, min_p = stratified_rank_test([(np.log(r), np.log(c)) for r, c in strata])
        sums = []
        for a in itertools.combinations(range(5), 1):
            for b in itertools.combinations(range(5), 2):
                sums.append(a[0] + 1 + sum(x + 1 for x in b))
        observed = 1 + 3  # the current days rank lowest in each listing
        assert stat == observed and min_p == pytest.approx(2 / (math.comb(5, 1) * math.comb(5, 2)))
        low = sum(s <= observed for s in sums) / len(sums)
        assert p == pytest.approx(min(1.0, 2 * low))

    def test_four_thin_listings_that_all_drop_are_significant(self):
        from signals.detectors import paired_shift

        rng = np.random.default_rng(5)
        strata = [(20 * np.exp(rng.normal(0, 0.03, 21)), [11.0 + i]) for i in range(4)]
        res = paired_shift(strata)
        assert res.significant and res.direction == "down" and res.min_p < 1e-4 and res.relative_change < -0.3

    def test_one_listing_cannot_reach_alpha_and_says_so(self):
        from signals.detectors import paired_shift

        res = paired_shift([([20.0] * 3 + [21.0] * 3, [10.0])])
        assert not res.reachable and not res.significant and res.min_p == pytest.approx(2 / 7)

    def test_a_currency_swing_moving_every_substance_is_not_a_shift(self):
        from signals.detectors import paired_shift

        rng = np.random.default_rng(6)
        strata = [(20 * np.exp(rng.normal(0, 0.02, 21)), [30.0 + i * 0.1]) for i in range(5)]  # +50 % in EUR
        assert paired_shift(strata).significant
        swing = paired_shift(strata, market=np.log([1.5, 1.48, 1.52, 1.5]), market_min_units=3)
        assert not swing.significant and swing.market_change == pytest.approx(0.5, abs=0.01)
        assert abs(swing.relative_change) < 0.05 and swing.raw_change > 0.4


class TestAdverseDoubling:
    def test_doubled_harm_alarms_but_more_talk_with_the_usual_share_does_not(self):
        from signals.detectors import AdverseDoubling

        mentions, adverse = np.full(60, 10.0), np.full(60, 1.0)
        adverse[50:] = 4  # harm x4, talk the same
        assert AdverseDoubling()(adverse, mentions).alarm[52:].any()
        busy, usual = mentions.copy(), adverse.copy()
        busy[50:], usual[50:] = 40, 4  # carnival: four times the talk, the same 10 % share
        assert not AdverseDoubling()(usual, busy).alarm.any()

    def test_a_quiet_substance_is_compared_with_the_forums_usual_share_not_with_zero(self):
        from signals.detectors import AdverseDoubling

        # row 0: the forum's busy substance, a third of its posts adverse all along; row 1: mentioned once a week,
        # never with a side effect, then a busy week (carnival) of 12 mentions with 4 mild side effects (a third)
        mentions, adverse = np.zeros((2, 60)), np.zeros((2, 60))
        mentions[0], adverse[0] = 3, 1
        mentions[1, ::7] = 1
        mentions[1, 53:60], adverse[1, [53, 56, 58, 59]] = [2, 2, 2, 2, 2, 1, 1], 1
        pooled = AdverseDoubling(min_adverse=3)(adverse, mentions)
        assert not pooled.alarm[1].any()  # about the usual share: 4 of 12 against a third
        assert pooled.statistics["share_ratio"][1, 59] < 1.5
        alone = AdverseDoubling(min_adverse=3, share_prior=0, forum_control=False)(adverse, mentions)
        assert alone.alarm[1].any()  # against its own 0.5 of ~4 mentions, the same week looked like x8
        assert not AdverseDoubling(min_adverse=3, share_prior=0)(adverse, mentions).alarm[1].any()  # forum's share
        harm = adverse.copy()
        harm[1, 53:60] = [2, 2, 2, 2, 2, 1, 1]  # every mention a harm: above any usual share
        assert AdverseDoubling(min_adverse=3)(harm, mentions).alarm[1].any()

    def test_a_quiet_substance_whose_week_is_as_adverse_as_the_forums_is_no_surge(self):
        from signals.detectors import AdverseDoubling

        # hold-out B, amphetamine (day 34): 5 mentions in 4 weeks, none adverse, then a week of 9 trip reports, 5
        # with a mild side effect; that week 26 % of all the forum's posts told of side effects
        mentions, adverse = np.zeros((2, 60)), np.zeros((2, 60))
        mentions[0], adverse[0, ::2] = 6, 3  # the rest of the forum: a quarter of its posts adverse all along
        mentions[1, 20:50:6] = 1
        mentions[1, 53:60], adverse[1, [54, 56, 57, 58, 59]] = [1, 1, 1, 1, 2, 1, 2], 1
        without = AdverseDoubling(forum_control=False)(adverse, mentions)
        assert without.alarm[1, 59]  # x40 the rate of the weeks before, the share x4 its shrunk reference
        res = AdverseDoubling()(adverse, mentions)
        assert not res.alarm[1].any()
        assert res.statistics["forum_pvalue"][1, 59] > 0.01
        assert res.statistics["forum_share"][1, 59] == pytest.approx((5 + 9) / (9 + 42))  # 26 % that week

    def test_a_wave_stands_out_from_the_rest_of_the_forum(self):
        from signals.detectors import AdverseDoubling

        # hold-out B, 3-MMC (days 40-47): the bad batch's posts tell of harm far more often than the forum's
        mentions, adverse = np.zeros((2, 60)), np.zeros((2, 60))
        mentions[0], adverse[0, ::2] = 6, 3
        mentions[1, 20:50:6], adverse[1, 26] = 1, 1
        mentions[1, 53:60], adverse[1, 53:60] = 3, 2
        res = AdverseDoubling()(adverse, mentions)
        assert res.alarm[1, 57:].all() and res.statistics["forum_pvalue"][1, 59] < 1e-3

    def test_the_forum_control_is_skipped_when_no_other_substance_is_mentioned(self):
        from signals.detectors import AdverseDoubling

        mentions, adverse = np.full(60, 10.0), np.full(60, 1.0)
        adverse[50:] = 4
        res = AdverseDoubling()(adverse, mentions)
        assert res.alarm[52:].any() and np.isnan(res.statistics["forum_pvalue"][55])
