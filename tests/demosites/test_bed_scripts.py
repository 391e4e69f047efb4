"""The event scripts (bench/markets/<bed>/script.yml) say what the beds' sites serve, and the traps are real.

For each event: a new substance is nowhere before its start day and on one of its sites on that day; a listing
spike and a price move show in the listings; an adverse wave is many bad experiences in lay words, no severe word.
For each trap, what it guards against is on the site: test strips, the outage, the daily re-post, the Monero swing,
the passing mentions, the carnival and festival peaks, the weekly rhythm, alcohol and naloxone.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator

import pytest

from demosites.beds import holdout_a, holdout_b, holdout_c, holdout_d, holdout_e, holdout_f
from demosites.beds.forum import ForumSpec, threads
from demosites.beds.market import Listing, MarketSpec, market_day, universe
from demosites.beds.model import Arrive, Drug, Flood, Lull, NewThread, Peak, Relabel, Reprice
from demosites.beds.registry import BED_SITES
from demosites.beds.script import Event, Script, load_script, name_key, script_path
from demosites.server import DemoSites
from demosites.sites import etal_market
from demosites.timeline import EVENTS, SEED, Fault
from tests.demosites.conftest import fetch

BEDS = {"holdout_a": holdout_a, "holdout_b": holdout_b, "holdout_c": holdout_c, "holdout_d": holdout_d,
        "holdout_e": holdout_e, "holdout_f": holdout_f}  # fmt: skip
LISTING_PATH = {"holdout_a": "/offer/{}", "holdout_b": "/item/{}", "holdout_c": "/index.php?page=annonce&ref={}",
                "holdout_d": "/artikel/{}", "holdout_e": "/anzeige/{}"}  # fmt: skip
SEVERE_WORDS = re.compile(r"seizure|psychos|hospital|A&E|collapse|overdos|unconscious|passed out|krampf|notaufnahme|"
                          r"krankenhaus|bewusstlos|notarzt|ziekenhuis|spoed|aanval|urgences|épilep|connaissance",
                          re.IGNORECASE)  # fmt: skip


def listing_path(bed: str, listing: Listing) -> str:
    """A listing's path on its site (L'Étal writes the title's slug after the reference)."""
    return etal_market.listing_path(listing) if bed == "holdout_f" else LISTING_PATH[bed].format(listing.id)


def script(bed: str) -> Script:
    return load_script(script_path(bed))


def events(kind: str) -> list[tuple[str, Event]]:
    return [(bed, e) for bed in BEDS for e in script(bed).events if e.type == kind]


def mentions(text: str, names: set[str]) -> bool:
    flat = name_key(text)
    return any(name in flat for name in names)


def drugs_of(spec: MarketSpec | ForumSpec, event: Event) -> list[Drug]:
    """The bed's substances an event is about (by key or by any of their names)."""
    return [d for d in spec.drugs if {name_key(n) for n in (d.key, *d.names)} & event.names()]


def market_texts(spec: MarketSpec, first: int, last: int) -> Iterator[str]:
    """Title and description of every listing live on some day in [first, last]."""
    for listing in universe(spec, SEED).listings:
        if listing.start <= last and listing.end >= first:
            yield f"{listing.title} {listing.description}"


def forum_texts(spec: ForumSpec, first: int, last: int) -> Iterator[str]:
    """Thread title and text of every post posted in [first, last]."""
    for thread in threads(spec, SEED):
        for post in thread.posts:
            if first <= post.day <= last:
                yield f"{thread.title} {post.text}"


def texts(bed: str, first: int, last: int) -> list[str]:
    module = BEDS[bed]
    return [*market_texts(module.MARKET_SPEC, first, last), *forum_texts(module.FORUM_SPEC, first, last)]


@pytest.mark.parametrize(("bed", "event"), events("first_seen"), ids=lambda v: getattr(v, "id", v))
def test_a_new_substance_is_nowhere_before_its_start_and_shows_on_that_day(bed: str, event: Event) -> None:
    history = -BEDS[bed].FORUM_SPEC.history - 60
    assert not [t for t in texts(bed, history, event.start - 1) if mentions(t, event.names())]
    assert [t for t in texts(bed, event.start, event.start) if mentions(t, event.names())]
    assert [t for t in texts(bed, event.end, event.end) if mentions(t, event.names())]


@pytest.mark.parametrize(("bed", "event"), events("first_seen"), ids=lambda v: getattr(v, "id", v))
def test_a_new_substance_s_script_names_every_way_the_bed_writes_it(bed: str, event: Event) -> None:
    [drug] = drugs_of(BEDS[bed].MARKET_SPEC, event)
    assert {name_key(n) for n in (drug.key, *drug.names)} <= event.names()


@pytest.mark.parametrize(("bed", "event"), events("spike"), ids=lambda v: getattr(v, "id", v))
def test_a_listing_spike_triples_the_live_listings(bed: str, event: Event) -> None:
    spec = BEDS[bed].MARKET_SPEC
    keys = {d.key for d in drugs_of(spec, event)}
    before = len([x for x in market_day(spec, SEED, event.start - 1).listings if x.drug.key in keys])
    during = [len([x for x in market_day(spec, SEED, d).listings if x.drug.key in keys])
              for d in range(event.start, event.end + 1)]  # fmt: skip
    assert before >= 3
    assert during == sorted(during) and during[0] > before and during[-1] >= 2.5 * before


def median_unit_price(spec: MarketSpec, keys: set[str], day: int) -> float:
    md = market_day(spec, SEED, day)
    return statistics.median(md.tiers(x)[0].amount for x in md.listings if x.drug.key in keys)


@pytest.mark.parametrize(("bed", "event"), events("price_shift"), ids=lambda v: getattr(v, "id", v))
def test_a_price_shift_moves_the_median_and_stays(bed: str, event: Event) -> None:
    spec = BEDS[bed].MARKET_SPEC
    keys = {d.key for d in drugs_of(spec, event)}
    before, earlier = median_unit_price(spec, keys, event.start - 1), median_unit_price(spec, keys, event.start - 8)
    assert 0.9 < before / earlier < 1.1
    for day in (event.start + 3, event.end):
        ratio = median_unit_price(spec, keys, day) / before
        assert ratio > 1.25 if event.direction == "up" else ratio < 0.8, (day, ratio)


def bad_posts(bed: str, event: Event, first: int, last: int) -> list[str]:
    """Posts about the event's substance in [first, last] that tell a bad experience in the bed's lay words."""
    spec = BEDS[bed].FORUM_SPEC
    keys = {d.key for d in drugs_of(spec, event)}
    lay = [p for lang in spec.words.lay.values() for p in lang]
    return [p.text for t in threads(spec, SEED) if t.drug in keys for p in t.posts
            if first <= p.day <= last and any(phrase.lower() in p.text.lower() for phrase in lay)]  # fmt: skip


@pytest.mark.parametrize(("bed", "event"), events("adverse_surge"), ids=lambda v: getattr(v, "id", v))
def test_an_adverse_wave_is_many_bad_experiences_in_lay_words_without_a_severe_one(bed: str, event: Event) -> None:
    wave = bad_posts(bed, event, event.start, event.end)
    span = event.end - event.start + 1
    assert len(wave) >= 30
    assert len(bad_posts(bed, event, event.start - 4 * span, event.start - 1)) <= 4
    assert not [text for text in wave if SEVERE_WORDS.search(text)]
    severe = [p for lang in BEDS[bed].FORUM_SPEC.words.severe.values() for p in lang]
    assert not [text for text in wave if any(s in text for s in severe)]


@pytest.fixture(scope="module")
def beds() -> Iterator[DemoSites]:
    with DemoSites(list(BED_SITES), free_ports=True, faults="") as sites:
        yield sites


def test_the_new_substance_listings_are_served_from_their_start_day_only(beds: DemoSites) -> None:
    """Through the server: the first listing of each new substance is a 404 the day before and shown from then; a
    substance seen on the forum only is never listed."""
    for bed, event in events("first_seen"):
        spec = BEDS[bed].MARKET_SPEC
        keys = {d.key for d in drugs_of(spec, event)}
        listed = [x for x in universe(spec, SEED).listings if x.drug.key in keys]
        if spec.name not in event.sites:
            assert not listed
            continue
        first = listed[0]
        path = listing_path(bed, first)
        url = beds.urls[spec.name] + path
        assert fetch(url, spec.timeline.day_date(first.start - 1).isoformat()).status == 404
        shown = fetch(url, spec.timeline.day_date(event.end).isoformat())
        assert shown.status == 200 and mentions(shown.body, event.names())


# ---- traps -------------------------------------------------------------------------------------------------------


def trap(bed: str, trap_id: str) -> object:
    return next(t for t in script(bed).traps if t.id == trap_id)


STRIPS = [("holdout_a", "TA1", "nitazene test strips"), ("holdout_a", "TA1", "fentanyl test strips"),
          ("holdout_b", "TB1", "fentanyl test strips"), ("holdout_c", "TC1", "benzodiazepine test kit"),
          ("holdout_c", "TC1", "synthetic cannabinoid test kit"),
          ("holdout_d", "TD1", "xylazine test strips"), ("holdout_e", "TE1", "fentanyl test strips"),
          ("holdout_f", "TF1", "reagent test kit")]  # fmt: skip
TESTING = re.compile(r"test ?stri|teststr|bandelette|kits? (de test|réactif)|reagent kit", re.IGNORECASE)


@pytest.mark.parametrize(("bed", "trap_id", "key"), STRIPS)
def test_test_strips_are_sold_from_the_trap_start(bed: str, trap_id: str, key: str) -> None:
    spec, start = BEDS[bed].MARKET_SPEC, trap(bed, trap_id).start  # type: ignore[attr-defined]
    live = [d for d in range(spec.timeline.days) if any(x.drug.key == key for x in market_day(spec, SEED, d).listings)]
    assert live == list(range(start, spec.timeline.days))
    forum = forum_texts(BEDS[bed].FORUM_SPEC, -60, spec.timeline.last_day)
    assert [t for t in forum if TESTING.search(t)]


@pytest.mark.parametrize(("bed", "trap_id", "fault"), [("holdout_a", "TA4", holdout_a.OUTAGE),
                                                      ("holdout_c", "TC4", holdout_c.FORUM_OUTAGE),
                                                      ("holdout_e", "TE3", holdout_e.OUTAGE)])  # fmt: skip
def test_the_outage_trap_is_the_served_outage(bed: str, trap_id: str, fault: Fault) -> None:
    outage = trap(bed, trap_id)
    assert BED_SITES[fault.site].faults == (fault,)
    assert fault.days == tuple(range(outage.start, outage.start + 2))  # type: ignore[attr-defined]


@pytest.mark.parametrize(("bed", "trap_id", "title"), [("holdout_a", "TA5", "Amnesia Haze 10 g – Top Qualität 🔥"),
                                                      ("holdout_d", "TD2", holdout_d.REPOST_TITLE),
                                                      ("holdout_e", "TE2", holdout_e.REPOST_TITLE)])  # fmt: skip
def test_the_reposted_listing_is_one_live_listing_with_a_new_id_every_day(bed: str, trap_id: str, title: str) -> None:
    spec = BEDS[bed].MARKET_SPEC
    start = trap(bed, trap_id).start  # type: ignore[attr-defined]
    ids = []
    for day in range(start, spec.timeline.days):
        [listing] = [x for x in market_day(spec, SEED, day).listings if x.title == title]
        ids.append(listing.id)
    assert len(set(ids)) == len(ids)
    assert not [x for x in market_day(spec, SEED, start - 1).listings if x.title == title]


def test_the_monero_swing_lifts_every_xmr_price_for_five_days_then_back() -> None:
    spec, (first, last) = holdout_b.MARKET_SPEC, holdout_b.SWING
    assert (first, last) == (trap("holdout_b", "TB3").start, 38)  # type: ignore[attr-defined]

    def xmr(day: int) -> dict[str, float]:
        md = market_day(spec, SEED, day)
        return {x.id: float(md.tiers(x)[0].shown[0].split()[0].replace(",", ".")) for x in md.listings}

    before, during, after = xmr(first - 1), xmr(first + 2), xmr(last + 1)
    ratios = [during[i] / before[i] for i in before.keys() & during.keys()]
    assert min(ratios) > 1.12 and max(ratios) < 1.4
    back = [after[i] / before[i] for i in before.keys() & after.keys()]
    assert statistics.median(back) == pytest.approx(1.0, abs=0.06)


@pytest.mark.parametrize(("bed", "trap_id"), [("holdout_a", "TA6"), ("holdout_b", "TB6"), ("holdout_c", "TC7"),
                                             ("holdout_d", "TD6"), ("holdout_e", "TE7"),
                                             ("holdout_f", "TF10")])  # fmt: skip
def test_the_wave_mentions_other_substances_in_passing(bed: str, trap_id: str) -> None:
    [event] = [e for e in script(bed).events if e.type == "adverse_surge"]
    others = {name_key(n) for s in trap(bed, trap_id).subjects for n in (s,)}  # type: ignore[attr-defined]
    spec = BEDS[bed].FORUM_SPEC
    passing = {name_key(n) for d in spec.drugs if name_key(d.key) in others for n in (d.key, *d.names)}
    wave = bad_posts(bed, event, event.start, event.end)
    assert len([t for t in wave if mentions(t, passing)]) >= 8


def test_the_rebrand_trap_is_the_scripted_rebrand() -> None:
    guard, rebrand = trap("holdout_c", "TC5"), holdout_c.REBRAND
    assert guard.start == rebrand.day and guard.end >= rebrand.day + rebrand.gap + 3  # type: ignore[attr-defined]
    assert rebrand in holdout_c.MARKET_SPEC.happenings


@pytest.mark.parametrize(("bed", "trap_id", "lang", "board"), [("holdout_c", "TC6", "de", "deutschschweiz"),
                                                           ("holdout_e", "TE5", "fr", "coin-francophone")])  # fmt: skip
def test_a_new_language_board_opens_with_known_substances_only(bed: str, trap_id: str, lang: str, board: str) -> None:
    """Hold-outs C and E: no post in the board's language before the trap's start; then the trap's substances, each
    sold and talked about in the bed's other languages long before."""
    guard, spec = trap(bed, trap_id), BEDS[bed].FORUM_SPEC
    found = [t for t in threads(spec, SEED) if t.lang == lang]
    assert found and min(p.day for t in found for p in t.posts) == guard.start  # type: ignore[attr-defined]
    assert {t.board.slug for t in found} == {board}
    subjects = {name_key(s) for s in guard.subjects}  # type: ignore[attr-defined]
    assert {name_key(t.drug) for t in found} == subjects
    for key in {t.drug for t in found}:
        assert [t for t in threads(spec, SEED) if t.drug == key and t.lang != lang and t.posts[0].day < 0]
        assert [x for x in market_day(BEDS[bed].MARKET_SPEC, SEED, 0).listings if x.drug.key == key]


def test_the_designer_benzo_threads_compare_it_with_a_benzo_sold_all_along() -> None:
    guard = trap("holdout_c", "TC8")
    [event] = [e for e in script("holdout_c").events if e.subject == holdout_c.BENZO]
    texts = forum_texts(holdout_c.FORUM_SPEC, event.start, guard.end)  # type: ignore[attr-defined]
    assert len([t for t in texts if "xanax" in t.lower() and mentions(t, event.names())]) >= 2
    sold = [d for d in range(event.start) if market_day(holdout_c.MARKET_SPEC, SEED, d).of("alprazolam")]
    assert sold == list(range(event.start))


def posts_per_day(spec: ForumSpec) -> dict[int, int]:
    counts = dict.fromkeys(range(spec.timeline.days), 0)
    for thread in threads(spec, SEED):
        for post in thread.posts:
            if post.day >= 0:
                counts[post.day] += 1
    return counts


def usual_posts(spec: ForumSpec, counts: dict[int, int], days: range) -> float:
    """The posts ``days`` would have had as usual: for each, the median of the other days of its weekday."""

    def usual(day: int) -> float:
        weekday = spec.timeline.day_date(day).weekday()
        return statistics.median(
            n for d, n in counts.items() if d not in days and spec.timeline.day_date(d).weekday() == weekday
        )

    return sum(usual(d) for d in days)


@pytest.mark.parametrize(("bed", "trap_id"), [("holdout_a", "TA3"), ("holdout_b", "TB4"), ("holdout_c", "TC3"),
                                             ("holdout_d", "TD4"), ("holdout_f", "TF6")])  # fmt: skip
def test_the_carnival_and_festival_peaks_are_real(bed: str, trap_id: str) -> None:
    """The peak's days have well over the posts of a usual same weekday, and talk of not mixing with alcohol."""
    spec, guard = BEDS[bed].FORUM_SPEC, trap(bed, trap_id)
    [peak] = [h for h in spec.happenings if isinstance(h, Peak)]
    assert guard.start <= peak.day and peak.until <= guard.end  # type: ignore[attr-defined]
    counts, days = posts_per_day(spec), range(peak.day, peak.until + 1)
    assert sum(counts[d] for d in days) >= 1.6 * usual_posts(spec, counts, days)
    party = forum_texts(spec, peak.day, peak.until)
    assert [t for t in party if re.search(r"alkohol|alcohol|alcool|pintjes", t, re.IGNORECASE)]


@pytest.mark.parametrize("bed", sorted(BEDS))
def test_weekends_are_busier_than_weekdays(bed: str) -> None:
    spec = BEDS[bed].FORUM_SPEC
    counts = posts_per_day(spec)
    weekend = [n for d, n in counts.items() if spec.timeline.day_date(d).weekday() >= 5]
    weekday = [n for d, n in counts.items() if spec.timeline.day_date(d).weekday() < 4]
    assert statistics.mean(weekend) > 1.5 * statistics.mean(weekday)


@pytest.mark.parametrize("bed", sorted(BEDS))
def test_naloxone_and_alcohol_are_talked_about_all_along(bed: str) -> None:
    spec = BEDS[bed].FORUM_SPEC
    for first in range(0, spec.timeline.days - 20, 20):
        window = list(forum_texts(spec, first, first + 19))
        assert [t for t in window if re.search(r"alkohol|alcohol|alcool", t, re.IGNORECASE)]
    assert len([t for t in forum_texts(spec, -60, spec.timeline.last_day) if re.search("nalox", t, re.I)]) >= 10


# ---- the demo's script -------------------------------------------------------------------------------------------


def test_the_demo_script_is_the_demo_timeline() -> None:
    kinds = {"first_seen": "new_substance", "spike": "listing_spike", "price_shift": "price_drop",
             "adverse_surge": "adverse_wave"}  # fmt: skip
    demo = script("demo")
    for event in demo.events:
        scripted = [e for e in EVENTS if e.kind == kinds[event.type] and name_key(e.substance) in event.names()]
        assert scripted and min(e.day for e in scripted) == event.start
        assert set(event.sites) == {s for e in scripted for s in e.sites}
    assert demo.faults == "scenario" and demo.days == 42


# ---- hold-out D's own traps ----------------------------------------------------------------------------------------


def test_the_bitcoin_rally_lowers_every_btc_price_and_leaves_the_euro_prices() -> None:
    """Hold-out D: after the rally the same listings cost about an eighth less in bitcoin, the same in euros."""
    spec, (first, last), guard = holdout_d.MARKET_SPEC, holdout_d.RALLY, trap("holdout_d", "TD5")
    assert guard.start == first and guard.end >= last + 5  # type: ignore[attr-defined]

    def shown(day: int) -> dict[str, tuple[float, float]]:
        md = market_day(spec, SEED, day)
        moved = {"MDMA", "ketamine"}  # scripted price changes of their own
        return {x.id: tuple(float(re.sub(r"[^\d,]", "", s).replace(",", ".")) for s in md.tiers(x)[0].shown)
                for x in md.listings if x.drug.key not in moved}  # type: ignore[misc]  # fmt: skip

    before, after = shown(first - 1), shown(last + 1)
    common = before.keys() & after.keys()
    assert len(common) >= 50
    btc = [after[i][0] / before[i][0] for i in common]
    eur = [after[i][1] / before[i][1] for i in common]
    assert statistics.median(btc) == pytest.approx(1 / 1.125, abs=0.04) and max(btc) < 1.0
    assert statistics.median(eur) == pytest.approx(1.0, abs=0.02)
    assert [t for t in forum_texts(holdout_d.FORUM_SPEC, first, guard.end) if "BTC" in t]  # type: ignore[attr-defined]


def test_christmas_is_quiet_and_the_vendors_on_holiday_are_explained() -> None:
    """Hold-out D: Christmas has well under the posts of the same weekdays otherwise; threads say why a third of the
    vendors are away, before the pause starts."""
    spec, pause = holdout_d.FORUM_SPEC, holdout_d.HOLIDAY
    [lull] = [h for h in spec.happenings if isinstance(h, Lull)]
    assert trap("holdout_d", "TD4").start == lull.day  # type: ignore[attr-defined]
    counts, days = posts_per_day(spec), range(lull.day, lull.until + 1)
    assert sum(counts[d] for d in days) <= 0.6 * usual_posts(spec, counts, days)
    guard = trap("holdout_d", "TD3")
    assert guard.start == pause.day and guard.end >= pause.until + 5  # type: ignore[attr-defined]
    assert pause in holdout_d.MARKET_SPEC.happenings
    told = forum_texts(spec, pause.day - 2, pause.day)
    assert [t for t in told if re.search("vakantie|vacation mode", t, re.IGNORECASE)]


def test_the_new_year_hangover_posts_blame_the_drink_not_the_ecstasy() -> None:
    """Hold-out D: the hangover threads about ecstasy, from the trap's first day, tell of feeling bad and put it down
    to alcohol in every post."""
    guard, spec = trap("holdout_d", "TD10"), holdout_d.FORUM_SPEC
    drink = re.compile(r"drank|bier|wijn|champagne|wodka|booze|beer|prosecco|sekt|alkohol", re.IGNORECASE)
    hangover = [t for t in threads(spec, SEED) if t.drug == "XTC" and re.search("kater|hangover", t.title, re.I)]
    posts = [p for t in hangover for p in t.posts]
    assert {t.lang for t in hangover} == {"nl", "de"} and len(posts) >= 12
    assert min(p.day for p in posts) == guard.start and max(p.day for p in posts) <= guard.end  # type: ignore[attr-defined]
    assert all(drink.search(p.text) for p in posts)


# ---- hold-out E (unsealed on 2026-12-07) ---------------------------------------------------------------------------


def test_easter_is_quiet_then_back_to_normal() -> None:
    """Hold-out E: Good Friday to Easter Monday have well under the posts of usual same weekdays."""
    spec, lull, guard = holdout_e.FORUM_SPEC, holdout_e.EASTER, trap("holdout_e", "TE6")
    assert lull in spec.happenings and (guard.start, lull.until) == (lull.day, 42)  # type: ignore[attr-defined]
    assert spec.timeline.day_date(lull.day).isoformat() == "2028-04-14"  # Good Friday
    counts, days = posts_per_day(spec), range(lull.day, lull.until + 1)
    assert sum(counts[d] for d in days) <= 0.6 * usual_posts(spec, counts, days)


def test_the_quoted_bad_night_is_one_post_and_the_replies_are_calm() -> None:
    """Hold-out E: the 2C-B thread's first post tells a bad night in lay words; every reply quotes it, in calm words
    of its own; no other 2C-B post of the trap's days tells a bad experience."""
    guard, spec = trap("holdout_e", "TE4"), holdout_e.FORUM_SPEC
    [thread] = [t for t in threads(spec, SEED) if holdout_e.quoted_thread(t)]
    assert len(thread.posts) - 1 >= 15 and thread.posts[-1].day <= guard.end  # type: ignore[attr-defined]
    assert all(holdout_e.quote_of(thread, i) == thread.posts[0] for i in range(1, len(thread.posts)))
    lay = [p for lang in spec.words.lay.values() for p in lang]
    assert any(phrase in thread.posts[0].text for phrase in lay)
    bad = [p for t in threads(spec, SEED) if t.drug == "2C-B" for p in t.posts
           if guard.start <= p.day <= guard.end and any(x.lower() in p.text.lower() for x in lay)]  # type: ignore[attr-defined]  # fmt: skip
    assert len(bad) <= 2
    calm = set(spec.words.moods["calm"]["de"])
    assert all(any(p.text.startswith(c.split("{")[0]) for c in calm) for p in thread.posts[1:])


def test_the_new_cathinone_threads_compare_it_with_3mmc_sold_all_along() -> None:
    guard = trap("holdout_e", "TE8")
    [event] = [e for e in script("holdout_e").events if e.subject == holdout_e.CATHINONE]
    texts = forum_texts(holdout_e.FORUM_SPEC, event.start, guard.end)  # type: ignore[attr-defined]
    assert len([t for t in texts if "3-MMC" in t and mentions(t, event.names())]) >= 2
    sold = [d for d in range(event.start) if market_day(holdout_e.MARKET_SPEC, SEED, d).of("3-MMC")]
    assert sold == list(range(event.start))


# ---- hold-out F (unsealed on 2026-12-07) ---------------------------------------------------------------------------


def test_a_flood_is_one_vendor_s_near_duplicates_for_two_days() -> None:
    """Hold-out F: on the flood's day one vendor posts a listing per title (same text and price), all gone after
    ``until``; amphetamine's other listings are as before."""
    spec, guard = holdout_f.MARKET_SPEC, trap("holdout_f", "TF3")
    [flood] = [h for h in spec.happenings if isinstance(h, Flood)]
    assert guard.start == flood.day and guard.end >= flood.until + 5  # type: ignore[attr-defined]
    flooded = [x for x in universe(spec, SEED).listings if x.title in flood.titles]
    assert len(flooded) == len(flood.titles) == 14 and len({x.vendor for x in flooded}) == 1
    assert {(x.start, x.end, x.description, x.unit_price) for x in flooded} == {
        (flood.day, flood.until, flooded[0].description, flooded[0].unit_price)
    }
    counts = {d: len(market_day(spec, SEED, d).of(flood.drug)) for d in (flood.day - 1, flood.day, flood.until + 1)}
    assert counts[flood.day] >= counts[flood.day - 1] + 14 and counts[flood.until + 1] <= counts[flood.day - 1] + 2
    assert [t for t in forum_texts(holdout_f.FORUM_SPEC, flood.day, flood.until + 2) if "arnaque" in t]


def test_a_relabelled_substance_is_posted_again_under_new_ids_and_its_new_name() -> None:
    """Hold-out F: the vendor's 3-MMC listings end the day before the rename and come back with new ids and the new
    titles from that day; the market threads say it is the same product."""
    spec, guard = holdout_f.MARKET_SPEC, trap("holdout_f", "TF5")
    [relabel] = [h for h in spec.happenings if isinstance(h, Relabel)]
    vendor = sorted(universe(spec, SEED).vendors)[relabel.vendor]
    assert guard.start == relabel.day  # type: ignore[attr-defined]
    before = [x for x in market_day(spec, SEED, relabel.day - 1).of(relabel.drug) if x.vendor == vendor]
    after = [x for x in market_day(spec, SEED, relabel.day).of(relabel.drug) if x.vendor == vendor]
    assert before and len(after) == len(before)
    assert not {x.id for x in before} & {x.id for x in after}
    assert {x.title for x in after} <= set(relabel.titles) and all(x.reviews == () for x in after)
    others = [x for x in market_day(spec, SEED, relabel.day).of(relabel.drug) if x.vendor != vendor]
    assert others and not {x.title for x in others} & set(relabel.titles)
    said = forum_texts(holdout_f.FORUM_SPEC, relabel.day, guard.end)  # type: ignore[attr-defined]
    assert len([t for t in said if re.search("métaphédrone|metaphedron", t, re.IGNORECASE)]) >= 3


def test_the_sale_cuts_every_price_for_its_days_only() -> None:
    """Hold-out F: during the sale every tier costs the sale's factor times its usual price, shown beside it."""
    spec, sale, guard = holdout_f.MARKET_SPEC, holdout_f.SALE, trap("holdout_f", "TF8")
    assert guard.start == sale.day and guard.end >= sale.until + 4  # type: ignore[attr-defined]
    for day in range(sale.day - 1, sale.until + 2):
        md = market_day(spec, SEED, day)
        tiers = [t for x in md.listings for t in md.tiers(x)]
        if sale.day <= day <= sale.until:
            usual = [float(t.was[0].replace("\u202f", "").replace(",", ".").rstrip("\u00a0€")) for t in tiers]
            assert all(t.amount == pytest.approx(u * sale.factor, abs=0.011) for t, u in zip(tiers, usual, strict=True))
        else:
            assert not [t for t in tiers if t.was]
    assert [t for t in forum_texts(holdout_f.FORUM_SPEC, sale.day - 1, sale.until) if "20 %" in t]


def test_a_new_vendor_lists_known_substances_in_a_language_new_to_the_market() -> None:
    """Hold-out F: no Dutch listing before the newcomer's day, then one listing per substance it brings, each of a
    substance listed from day 0 in the market's own languages."""
    spec, guard = holdout_f.MARKET_SPEC, trap("holdout_f", "TF4")
    [arrive] = [h for h in spec.happenings if isinstance(h, Arrive)]
    assert guard.start == arrive.day  # type: ignore[attr-defined]
    dutch = [x for x in universe(spec, SEED).listings if x.lang == arrive.lang]
    assert arrive.lang not in spec.langs and {x.vendor for x in dutch} == {arrive.name}
    assert {x.start for x in dutch} == {arrive.day} and sorted(x.drug.key for x in dutch) == sorted(arrive.drugs)
    assert {name_key(k) for k in arrive.drugs} <= {name_key(s) for s in guard.subjects}  # type: ignore[attr-defined]
    for key in arrive.drugs:
        assert market_day(spec, SEED, 0).of(key)
    vendor = universe(spec, SEED).vendors[arrive.name]
    assert vendor.country == arrive.country and vendor.sales_on(arrive.day) <= 5


def test_the_price_drop_shows_at_some_vendors_only() -> None:
    """Hold-out F: a share of the MDMA listings keep their price after the drop; the others cost the drop's factor
    times as much (within the daily jitter)."""
    spec = holdout_f.MARKET_SPEC
    [drop] = [h for h in spec.happenings if isinstance(h, Reprice) and h.followers < 1]
    before, after = market_day(spec, SEED, drop.day - 1), market_day(spec, SEED, drop.day + drop.spread)
    ratios = {x.vendor: after.tiers(x)[0].amount / before.tiers(x)[0].amount
              for x in before.of(drop.drug) if after.listing(x.id)}  # fmt: skip
    kept = [r for r in ratios.values() if r > 0.9]
    assert all(r == pytest.approx(1, abs=0.07) for r in kept) and 2 <= len(kept) <= 0.5 * len(ratios)
    assert all(r == pytest.approx(drop.factor, abs=0.05) for r in ratios.values() if r <= 0.9)


def test_the_news_threads_mention_ghb_often_without_use_or_harm() -> None:
    """Hold-out F: the court-case threads name GHB or GBL in nearly every post, and tell neither use nor any effect."""
    spec, guard = holdout_f.FORUM_SPEC, trap("holdout_f", "TF7")
    news = [t for t in threads(spec, SEED) if t.board.slug == "actu"]
    posts = [p for t in news for p in t.posts]
    assert {t.lang for t in news} == {"fr", "de"} and len(posts) >= 12
    assert min(p.day for p in posts) == guard.start and max(p.day for p in posts) <= guard.end  # type: ignore[attr-defined]
    assert len([p for p in posts if re.search(r"\bG(HB|BL)\b", p.text)]) >= 0.6 * len(posts)
    words = spec.words
    banks = (words.lay, words.adverse, words.effects, words.severe)
    told = [s for bank in banks for lang in bank.values() for s in lang]
    assert not [p.text for p in posts if any(s in p.text for s in told)]


def test_the_2cb_thread_tells_of_bad_ketamine() -> None:
    """Hold-out F: the thread titled with 2C-B, in the wave's days, says in every post that the ketamine was bad."""
    spec, guard = holdout_f.FORUM_SPEC, trap("holdout_f", "TF9")
    [scripted] = [h for h in spec.happenings if isinstance(h, NewThread) and h.first == "x_in_y"]
    [thread] = [t for t in threads(spec, SEED) if t.drug == scripted.drug == "2C-B"
                and t.board.slug == scripted.board and t.posts[0].day == scripted.day]  # fmt: skip
    assert mentions(thread.title, {"2cb", "nexus"})
    lay = [p for lang in spec.words.lay.values() for p in lang]
    assert all(re.search("kéta|kétamine", p.text) and any(s in p.text for s in lay) for p in thread.posts)
    assert all(guard.start <= p.day <= guard.end for p in thread.posts)  # type: ignore[attr-defined]
