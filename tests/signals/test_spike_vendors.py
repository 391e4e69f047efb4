"""Spike guards: one vendor's new listings are not a market's rise (``spike.max_vendor_share``), nor are listings back
after an absence (``spike.min_new_share``), nor a rise the rest of the market makes too (``spike.market_adjust``); a
name only the recogniser proposes waits for a second source, and a rare substance's first posts in a language are a
digest line (docs/signals.md, "Triage rules")."""

from __future__ import annotations

from datetime import date, timedelta

from signals.config import RunConfig
from signals.detect import detect_spikes
from signals.series import Record, Sight, StoreSeries, SubjectInfo

START = date(2027, 1, 4)
DAYS = 30


def listing(doc_id: str, vendor: str, first: int, last: int = DAYS - 1, away: range = range(0),
            subject: str = "ketamine") -> Record:  # fmt: skip
    sights = [Sight(START + timedelta(days=d), "t", None, (20.0,)) for d in range(first, last + 1) if d not in away]
    return Record(doc_id, "listing", "m", f"https://m.example/{doc_id}", [subject], market="M", vendor=vendor,
                  sights=sights)  # fmt: skip


def spikes(extra: list[Record]) -> list[str]:
    usual = [listing(f"base-{v}-{k}", f"v{v}", 0) for v in range(5) for k in range(2)]  # 5 vendors, 2 each
    data = StoreSeries(usual + extra, {"ketamine": SubjectInfo("ketamine", True)}, START + timedelta(days=DAYS - 1))
    return [f"{d.subject} {d.day}" for d in detect_spikes(data, START + timedelta(days=10), RunConfig())]


def test_listings_tripling_over_several_vendors_is_a_spike() -> None:
    new = [listing(f"new-{v}-{k}", f"v{v}", 25) for v in range(5) for k in range(4)]  # each vendor adds 4
    assert spikes(new)[:1] == [f"ketamine {START + timedelta(days=25)}"]


def test_one_vendor_flooding_the_market_is_no_spike() -> None:
    flood = [listing(f"flood-{k}", "v0", 25) for k in range(20)]  # one vendor puts up 20 listings on day 25
    assert spikes(flood) == []


def test_without_the_guard_the_flood_is_a_spike() -> None:
    flood = [listing(f"flood-{k}", "v0", 25) for k in range(20)]
    usual = [listing(f"base-{v}-{k}", f"v{v}", 0) for v in range(5) for k in range(2)]
    data = StoreSeries(usual + flood, {"ketamine": SubjectInfo("ketamine", True)}, START + timedelta(days=DAYS - 1))
    config = RunConfig.model_validate({"spike": {"max_vendor_share": 1.0}})
    found = detect_spikes(data, START + timedelta(days=10), config)
    assert found and found[0].day == START + timedelta(days=25)


def holiday(config: RunConfig) -> list[str]:
    """Four of nine vendors' shops in holiday mode on days 12-24: their listings vanish and come back on day 25 under
    the same ids."""
    usual = [listing(f"base-{v}-{k}", f"v{v}", 0) for v in range(5) for k in range(2)]
    away = [listing(f"away-{v}-{k}", f"h{v}", 0, away=range(12, 25)) for v in range(4) for k in range(3)]
    data = StoreSeries(usual + away, {"ketamine": SubjectInfo("ketamine", True)}, START + timedelta(days=DAYS - 1))
    return [f"{d.subject} {d.day}" for d in detect_spikes(data, START + timedelta(days=10), config)]


def test_listings_back_after_a_holiday_are_no_spike() -> None:
    assert holiday(RunConfig()) == []


def test_without_the_new_supply_guard_the_return_is_a_spike() -> None:
    found = holiday(RunConfig.model_validate({"spike": {"min_new_share": 0.0}}))
    assert found[:1] == [f"ketamine {START + timedelta(days=25)}"]


def test_a_name_only_the_recogniser_proposes_waits_for_a_second_source() -> None:
    from signals.config import FirstSeenConfig
    from signals.triage import new_subject_severity

    cfg = FirstSeenConfig()
    guess = SubjectInfo("BTC-prijzen", False, family="unknown")
    assert new_subject_severity("BTC-prijzen", guess, 2, 0, cfg, sources=1)[0] == "digest"
    assert new_subject_severity("BTC-prijzen", guess, 2, 1, cfg, sources=2)[0] == "medium"
    named = SubjectInfo("MPP-4en-PINACA", False, family="synthetic cannabinoid")  # a family's scheme reads it
    assert new_subject_severity("MPP-4en-PINACA", named, 2, 0, cfg, sources=1)[0] == "high"


def after_the_holidays(config: RunConfig, newcomers: int) -> list[str]:
    """Hold-out D's case: a third of the market's shops in holiday mode on days 12-24 (their cocaine listings back on
    day 25 under the same ids); ketamine, 2 listings all along, gets ``newcomers`` new ones from as many vendors on
    days 24-26: where the market as a whole grows back, a few new listings of a small substance are no spike."""
    cocaine = [listing(f"c-{v}-{k}", f"v{v}", 0, subject="cocaine") for v in range(6) for k in range(3)]
    holiday = range(12, 25)
    away = [listing(f"h-{v}-{k}", f"h{v}", 0, away=holiday, subject="cocaine") for v in range(3) for k in range(3)]
    ketamine = [listing(f"k-{k}", f"v{k}", 0) for k in range(2)]
    new = [listing(f"n-{k}", f"w{k}", 24 + k % 3) for k in range(newcomers)]
    known = {n: SubjectInfo(n, True) for n in ("ketamine", "cocaine")}
    data = StoreSeries(cocaine + away + ketamine + new, known, START + timedelta(days=DAYS - 1))
    return [f"{d.subject} {d.day}" for d in detect_spikes(data, START + timedelta(days=10), config)]


def test_a_small_rise_while_the_rest_of_the_market_comes_back_is_no_spike() -> None:
    assert after_the_holidays(RunConfig(), 4) == []


def test_without_the_market_adjustment_the_small_rise_is_a_spike() -> None:
    found = after_the_holidays(RunConfig.model_validate({"spike": {"market_adjust": False}}), 4)
    assert found[:1] == [f"ketamine {START + timedelta(days=26)}"]


def test_a_real_rise_is_a_spike_while_the_rest_of_the_market_comes_back() -> None:
    assert after_the_holidays(RunConfig(), 12)[:1] == [f"ketamine {START + timedelta(days=24)}"]


def test_a_rare_substance_in_a_new_language_is_a_digest_line_unless_configured() -> None:
    from signals.detect import Notes, detect_first_seen

    def post(doc_id: str, day: int, language: str) -> Record:
        return Record(doc_id, "post", "f", f"https://f.example/{doc_id}", ["GHB"], language=language, thread="t1",
                      sights=[Sight(START + timedelta(days=day), "t", None)], known_names=frozenset({"GHB"}),
                      first_observed=START + timedelta(days=day))  # fmt: skip

    # after the forum's first 28 days (its languages' history), three Dutch posts on days 40-43
    records = [post(f"de-{d}", d, "de") for d in (0, 3)] + [post(f"nl-{d}", d, "nl") for d in (40, 42, 43)]
    data = StoreSeries(records, {"GHB": SubjectInfo("GHB", True)}, START + timedelta(days=59))
    notes = Notes()
    assert detect_first_seen(data, START + timedelta(days=10), RunConfig(), notes) == []
    assert any("GHB talked about in nl" in line for line in notes.digest)
    config = RunConfig.model_validate({"first_seen": {"new_language": "low"}})
    found = detect_first_seen(data, START + timedelta(days=10), config, Notes())
    assert [(d.subject, d.scope, d.severity) for d in found] == [("GHB", "language=nl", "low")]


def test_an_nps_the_lexicon_knows_only_talked_about_waits_for_an_offer_or_a_use() -> None:
    # hold-out F: court news about seized GHB and GBL, many posts, no use, was a high first sighting of GBL
    from signals.config import FirstSeenConfig
    from signals.triage import new_subject_severity

    cfg = FirstSeenConfig()
    gbl = SubjectInfo("GBL", True)
    assert new_subject_severity("GBL", gbl, 12, 0, cfg, sources=1, used=False)[0] == "digest"
    assert new_subject_severity("GBL", gbl, 12, 0, cfg, sources=1, used=True)[0] == "high"
    assert new_subject_severity("GBL", gbl, 1, 1, cfg, sources=1, used=False)[0] == "high"  # offered
    novel = SubjectInfo("EDMB-9en-PICA", False, family="synthetic cannabinoid")  # a new name is news however said
    assert new_subject_severity("EDMB-9en-PICA", novel, 3, 0, cfg, sources=1, used=False)[0] == "high"
