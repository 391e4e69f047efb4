"""The generator: deterministic, fast, and following the scripted timeline."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from demosites.forums import FORUMS, forum_day, threads
from demosites.markets import MARKETS, MarketDay, market_day, universe
from demosites.server import APPS
from demosites.shop import shop_day
from demosites.timeline import EVENTS, LAST_DAY, SEED, AsOf, Event, day_date, events, parse_as_of
from demosites.vocab import NOVEL

OTHER_SEED = SEED + 1


def _all_text(day: int, seed: int = SEED) -> str:
    """Everything every site says on a day, as one string (titles, descriptions, posts)."""
    parts: list[str] = []
    for name in MARKETS:
        parts += [f"{x.title} {x.description}" for x in market_day(name, seed, day).listings]
    for name in FORUMS:
        parts += [f"{t.title} " + " ".join(p.text for p in ps) for t, ps in forum_day(name, seed, day).threads]
    parts += [f"{p.name} {p.description}" for p in shop_day(seed, day)]
    return "\n".join(parts)


@pytest.mark.parametrize("site", sorted(APPS))
def test_same_seed_same_bytes(site: str) -> None:
    paths = {
        "nova_market": "/c/cathinones",
        "tulip_bazaar": "/index.php",
        "lowlands_forum": "/viewforum.php",
        "salon_fr": "/forum/recits",
        "chemvendo_shop": "/shop/",
    }
    query = {"f": "2"} if site == "lowlands_forum" else {}
    first = APPS[site](SEED).handle(paths[site], query, 20).body
    assert first == APPS[site](SEED).handle(paths[site], query, 20).body
    assert first != APPS[site](OTHER_SEED).handle(paths[site], query, 20).body


def test_generating_a_site_day_is_fast() -> None:
    started = time.perf_counter()
    market_day("nova_market", OTHER_SEED, 7)
    forum_day("lowlands_forum", OTHER_SEED, 7)
    shop_day(OTHER_SEED, 7)
    assert time.perf_counter() - started < 0.6


def test_sizes_on_the_last_day() -> None:
    assert len(market_day("nova_market", SEED, LAST_DAY).listings) >= 140
    assert len(market_day("tulip_bazaar", SEED, LAST_DAY).listings) >= 110
    assert all(len(universe(m, SEED).vendors) >= 15 for m in MARKETS)
    assert forum_day("lowlands_forum", SEED, LAST_DAY).post_count >= 250
    assert forum_day("salon_fr", SEED, LAST_DAY).post_count >= 100
    assert len(shop_day(SEED, LAST_DAY)) >= 60


@pytest.mark.parametrize("market", sorted(MARKETS))
def test_listings_appear_and_vanish_keeping_their_ids(market: str) -> None:
    listings = universe(market, SEED).listings
    born = next(x for x in listings if 0 < x.start < LAST_DAY)
    gone = next(x for x in listings if 0 <= x.end < LAST_DAY)
    assert born not in market_day(market, SEED, born.start - 1).listings
    assert market_day(market, SEED, born.start).listing(born.id) == born
    assert market_day(market, SEED, gone.end).listing(gone.id) == gone
    assert market_day(market, SEED, gone.end + 1).listing(gone.id) is None
    assert len({x.id for x in listings}) == len(listings)


def test_novel_substance_absent_before_its_first_day_and_present_after() -> None:
    first = min(e.day for e in EVENTS if e.substance == NOVEL)
    assert NOVEL.casefold() not in _all_text(first - 1).casefold()
    assert "cpmc" not in _all_text(first - 1).casefold()
    assert NOVEL in {x.sub.key for x in market_day("nova_market", SEED, first).listings}


@pytest.mark.parametrize("event", [e for e in EVENTS if e.kind == "new_substance"], ids=lambda e: str(e.day))
def test_novel_substance_spreads_to_each_site_on_its_day(event: Event) -> None:
    site = event.sites[0]

    def mentions(day: int) -> int:
        if site in MARKETS:
            return sum(x.sub.key == NOVEL for x in market_day(site, SEED, day).listings)
        if site in FORUMS:
            return sum(
                "cpmc" in (t.title + " ".join(p.text for p in ps)).casefold()
                for t, ps in forum_day(site, SEED, day).threads
            )
        return sum(NOVEL in p.name for p in shop_day(SEED, day))

    assert mentions(event.day) > mentions(event.day - 1)


@pytest.mark.parametrize("market", ["nova_market", "tulip_bazaar"])
def test_3cmc_listings_triple_during_the_spike(market: str) -> None:
    spike = events(market, "listing_spike")[0]

    def count(day: int) -> int:
        return sum(x.sub.key == spike.substance for x in market_day(market, SEED, day).listings)

    assert count(spike.until or spike.day) >= 2.5 * count(spike.day - 1)


def test_ketamine_price_drops_40_percent_on_tulip_bazaar() -> None:
    drop = events("tulip_bazaar", "price_drop")[0]
    before, after = market_day("tulip_bazaar", SEED, drop.day - 1), market_day("tulip_bazaar", SEED, drop.day)
    ketamine = next(x for x in after.listings if x.sub.key == "ketamine" and x.live(drop.day - 1) and x.unit_price)

    def euros(day_view: MarketDay) -> float:
        text = day_view.tiers(ketamine)[0].prices[0]
        return float(text.removeprefix("€").replace(".", "").replace(",", "."))

    assert 0.5 < euros(after) / euros(before) < 0.7


def test_adverse_wave_brings_severe_reports() -> None:
    wave = events("lowlands_forum", "adverse_wave")[0]
    words = ("seizure", "epileptische", "psychos", "hospital", "ziekenhuis", "urgences", "épilepsie")

    def severe(name: str, day: int) -> int:
        return sum(any(w in p.text for w in words) for _, ps in forum_day(name, SEED, day).threads for p in ps)

    for name in FORUMS:
        assert severe(name, wave.until or wave.day) - severe(name, wave.day - 1) >= 10


def test_posts_accumulate_and_keep_their_ids() -> None:
    early, late = forum_day("lowlands_forum", SEED, 10), forum_day("lowlands_forum", SEED, 30)
    assert late.post_count > early.post_count
    for thread, posts in early.threads:
        later = late.thread(thread.id)
        assert later is not None and later[1][: len(posts)] == posts
    ids = [p.id for t in threads("lowlands_forum", SEED) for p in t.posts]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, AsOf(LAST_DAY)),
        ("2026-10-01", AsOf(0)),
        ("2026-10-15", AsOf(14)),
        ("2026-11-11", AsOf(LAST_DAY)),
        ("2026-09-01", AsOf(0, date(2026, 9, 1))),
        ("2027-01-01", AsOf(LAST_DAY, date(2027, 1, 1))),
    ],
)
def test_as_of_is_read_and_clamped_into_the_timeline(value: str | None, expected: AsOf) -> None:
    assert parse_as_of(value) == expected


def test_as_of_rejects_what_is_not_a_date() -> None:
    with pytest.raises(ValueError):
        parse_as_of("yesterday")


def test_every_event_is_in_the_docs_table() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "demo-timeline.md").read_text(encoding="utf-8")
    for event in EVENTS:
        row = f"| {event.day} | {day_date(event.day).isoformat()} | {event.until or ''} | {', '.join(event.sites)} |"
        assert row.replace("|  |", "| |") in doc.replace("|  |", "| |"), row
