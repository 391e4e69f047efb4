"""The test beds' sites (demosites.beds): served on their own timelines, and read right by their source files.

The pages go through the real parser (``crawlers.parsers.parse_page``) with the bed's source file, so a listing's
every price and a post's id, author, date and text are compared with what the generator made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawlers.config import Source, load_source
from crawlers.items import Listing, Post, Vendor
from crawlers.parsers import Page, parse_page
from demosites.beds import holdout_a, holdout_b, holdout_c, holdout_d, holdout_e, holdout_f
from demosites.beds.forum import ForumSpec, forum_day
from demosites.beds.market import Listing as BedListing
from demosites.beds.market import MarketSpec, market_day
from demosites.beds.registry import BED_SITES, BEDS
from demosites.beds.script import SCRIPTS_DIR, load_script
from demosites.forums import Post as BedPost
from demosites.forums import Thread
from demosites.server import DemoSites
from demosites.sites import etal_market, veillee_forum
from demosites.timeline import SEED, Fault, Timeline
from tests.demosites.conftest import fetch, followed

MARKETS: dict[str, MarketSpec] = {holdout_a.MARKET: holdout_a.MARKET_SPEC, holdout_b.MARKET: holdout_b.MARKET_SPEC,
                                   holdout_c.MARKET: holdout_c.MARKET_SPEC,
                                   holdout_d.MARKET: holdout_d.MARKET_SPEC,
                                   holdout_e.MARKET: holdout_e.MARKET_SPEC,
                                   holdout_f.MARKET: holdout_f.MARKET_SPEC}  # fmt: skip
FORUMS: dict[str, ForumSpec] = {holdout_a.FORUM: holdout_a.FORUM_SPEC, holdout_b.FORUM: holdout_b.FORUM_SPEC,
                                holdout_c.FORUM: holdout_c.FORUM_SPEC,
                                holdout_d.FORUM: holdout_d.FORUM_SPEC,
                                holdout_e.FORUM: holdout_e.FORUM_SPEC,
                                holdout_f.FORUM: holdout_f.FORUM_SPEC}  # fmt: skip
LISTING_PATH = {holdout_a.MARKET: "/offer/{}", holdout_b.MARKET: "/item/{}",
                holdout_c.MARKET: "/index.php?page=annonce&ref={}", holdout_d.MARKET: "/artikel/{}",
                holdout_e.MARKET: "/anzeige/{}"}  # fmt: skip
VENDOR_PATH = {holdout_a.MARKET: "/@{}", holdout_b.MARKET: "/verkoper/{}",
               holdout_c.MARKET: "/index.php?page=vendeur&pseudo={}", holdout_d.MARKET: "/winkel/{}",
               holdout_e.MARKET: "/haendler/{}", holdout_f.MARKET: "/boutique/{}"}  # fmt: skip
# thread id, page number (and the thread's board slug, for Schemer's list archives)
THREAD_PATH = {holdout_a.FORUM: "/thread.cgi?t={}&page={}", holdout_b.FORUM: "/showthread.php?t={}&page={}",
               holdout_c.FORUM: "/t/sujet/{}?page={}",
               holdout_d.FORUM: "/archives/list/{board}@schemer.lists/thread/{}/?page={}",
               holdout_e.FORUM: "/threads/thema.{}/page-{}", holdout_f.FORUM: "/post/{}"}  # fmt: skip
POSTS_PER_PAGE = {holdout_a.FORUM: 8, holdout_b.FORUM: 10, holdout_c.FORUM: 20, holdout_d.FORUM: 15,
                  holdout_e.FORUM: 15, holdout_f.FORUM: veillee_forum.VeilleeForum.posts_per_page}  # fmt: skip
# the order a page shows its posts in, when it is not the order they were posted in (La Veillée's comment tree)
PAGE_ORDER: dict[str, Callable[[Thread, Sequence[BedPost]], list[BedPost]]] = {
    holdout_f.FORUM: veillee_forum.page_order
}
ZONES = {holdout_a.FORUM: "Europe/Berlin", holdout_b.FORUM: "Europe/Brussels", holdout_c.FORUM: holdout_c.ZONE,
         holdout_d.FORUM: holdout_d.ZONE, holdout_e.FORUM: holdout_e.ZONE,
         holdout_f.FORUM: holdout_f.ZONE}  # fmt: skip
DAYS = (0, 21, 36, 63)  # 36: Monero is down on Kruispunt (its prices a quarter higher); past a bed's end: its last


Stored = list[tuple[Decimal, str]]  # a tier's prices as stored: amount and currency, one per price read


def gbp(amount: float, day: int) -> Stored:
    return [(Decimal(f"{amount:.2f}"), "GBP")]


def xmr(amount: float, day: int) -> Stored:
    return [(Decimal(f"{amount / holdout_b.xmr_eur(day):.4f}"), "XMR")]


def usd(amount: float, day: int) -> Stored:
    return [(Decimal(f"{amount:.2f}"), "USD")]


def eur(amount: float, day: int) -> Stored:
    return [(Decimal(f"{amount:.2f}"), "EUR")]


def btc_eur(amount: float, day: int) -> Stored:
    return [(Decimal(f"{amount / holdout_d.eur_btc(day):.8f}"), "BTC"), (Decimal(f"{amount:.2f}"), "EUR")]


def listing_path(site: str, listing: BedListing) -> str:
    """A listing's path on its site (L'Étal writes the title's slug after the reference)."""
    return etal_market.listing_path(listing) if site == holdout_f.MARKET else LISTING_PATH[site].format(listing.id)


# a tier's reference amount on a day -> as stored
AMOUNT = {holdout_a.MARKET: gbp, holdout_b.MARKET: xmr, holdout_c.MARKET: usd, holdout_d.MARKET: btc_eur,
          holdout_e.MARKET: eur, holdout_f.MARKET: eur}  # fmt: skip


ACCOUNT = (r"login|account|/cart\b|post\.cgi|newreply|bestel|/bericht|connexion|panier|/u/|inloggen|mandje|/users/"
           r"|/reply/|message/new|/anmelden|/registrieren|/merkliste|/nachrichten/|/kaufen/|/members/"
           r"|/conversations/")  # pages never to fetch; fmt: skip


@pytest.fixture(scope="module")
def beds(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[DemoSites]:
    with DemoSites(list(BED_SITES), free_ports=True, faults="") as sites:
        for name, value in sites.env().items():
            monkeypatch_module.setenv(name, value)
        yield sites


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def sources(beds: DemoSites) -> dict[str, Source]:
    """Every bed site's source file, read after the sites' URLs are in the environment."""
    found = {}
    for bed, sites in BEDS.items():
        for site in sites:
            found[site] = load_source(SCRIPTS_DIR / bed / "sources" / f"{site}.yml")
    return found


def parsed(source: Source, url: str, as_of: str) -> list[object]:
    page = fetch(url, as_of)
    assert page.status == 200, url
    result = parse_page(Page(url, page.body, f"{as_of}T12:00:00+00:00"), source)
    assert not result.dropped, f"{url}: {result.dropped}"
    return list(result.items)


def test_the_bed_sources_validate_and_start_at_the_served_sites(sources: dict[str, Source], beds: DemoSites) -> None:
    assert set(sources) == set(BED_SITES)
    for site, source in sources.items():
        assert source.start_urls[0].startswith(beds.urls[site] + "/")
        assert source.politeness.delay == 0 and not source.tor


@pytest.mark.parametrize("site", sorted(BED_SITES))
def test_each_site_serves_its_own_timeline(beds: DemoSites, site: str) -> None:
    timeline = (MARKETS.get(site) or FORUMS[site]).timeline
    first, last = timeline.day_date(0).isoformat(), timeline.day_date(timeline.last_day).isoformat()
    assert fetch(beds.urls[site] + "/", first).headers["X-Demo-Day"] == first
    assert fetch(beds.urls[site] + "/").headers["X-Demo-Day"] == last
    assert fetch(beds.urls[site] + "/", "2026-10-01").headers["X-Demo-Day"] == f"{first}; clamped-from=2026-10-01"
    assert fetch(beds.urls[site] + "/nope").status == 404


@pytest.mark.parametrize(("site", "day"), [(s, d) for s in sorted(MARKETS) for d in DAYS])
def test_listings_parse_with_every_price_right(
    sources: dict[str, Source], beds: DemoSites, site: str, day: int
) -> None:
    spec = MARKETS[site]
    day = min(day, spec.timeline.last_day)
    md = market_day(spec, SEED, day)
    as_of = spec.timeline.day_date(day).isoformat()
    for listing in md.listings[::9]:
        [item] = parsed(sources[site], beds.urls[site] + listing_path(site, listing), as_of)
        assert isinstance(item, Listing)
        assert (item.native_id, item.title, item.vendor) == (listing.id, listing.title, listing.vendor)
        assert item.category == [listing.drug.group]
        assert item.ships_to == list(listing.ships_to) and item.ships_from == listing.ships_from
        stored = [AMOUNT[site](t.amount, day) for t in md.tiers(listing)]
        expected = [(t.label, " ".join(shown.split())) for t, read in zip(md.tiers(listing), stored, strict=True)
                    for shown in t.shown[: len(read)]]  # fmt: skip
        assert [(p.quantity, p.text) for p in item.prices] == expected
        assert [(p.amount, p.currency) for p in item.prices] == [price for read in stored for price in read]
        vendor = md.universe.vendors[listing.vendor]
        assert (item.feedback_count, item.escrow) == (vendor.sales_on(day), True)
        assert item.rating == pytest.approx(vendor.rating, abs=0.051)


@pytest.mark.parametrize("site", sorted(MARKETS))
def test_vendor_pages_parse(sources: dict[str, Source], beds: DemoSites, site: str) -> None:
    md = market_day(MARKETS[site], SEED, 30)
    vendor = md.universe.vendors[md.listings[0].vendor]
    as_of = MARKETS[site].timeline.day_date(30).isoformat()
    [item] = parsed(sources[site], beds.urls[site] + VENDOR_PATH[site].format(vendor.name), as_of)
    assert isinstance(item, Vendor)
    assert (item.name, item.feedback_count) == (vendor.name, vendor.sales_on(30))
    assert item.pgp_fingerprint == vendor.fingerprint.replace(" ", "")


@pytest.mark.parametrize(("site", "day"), [(s, d) for s in sorted(FORUMS) for d in DAYS])
def test_posts_parse_with_ids_authors_dates_and_text(
    sources: dict[str, Source], beds: DemoSites, site: str, day: int
) -> None:
    spec = FORUMS[site]
    day = min(day, spec.timeline.last_day)
    as_of = spec.timeline.day_date(day).isoformat()
    zone = ZoneInfo(ZONES[site])
    for thread, posts in forum_day(spec, SEED, day).threads[::7]:
        number = (len(posts) - 1) // POSTS_PER_PAGE[site] + 1  # the last page
        path = THREAD_PATH[site].format(thread.id, number, board=thread.board.slug)
        items = parsed(sources[site], beds.urls[site] + path, as_of)
        shown: Sequence[BedPost] = posts[(number - 1) * POSTS_PER_PAGE[site] :]
        if site in PAGE_ORDER:
            shown = PAGE_ORDER[site](thread, shown)
        assert all(isinstance(i, Post) for i in items)
        assert [i.post_id for i in items] == [str(p.id) for p in shown]  # type: ignore[attr-defined]
        for item, post in zip(items, shown, strict=True):
            assert isinstance(item, Post)
            assert (item.thread_id, item.thread_title, item.author) == (str(thread.id), thread.title, post.author)
            assert item.board == thread.board.name and item.is_trip_report == thread.trip_report
            if "language" in sources[site].pages["thread"].fields:  # La Rade says each topic's language
                assert item.language_hint == thread.lang
            assert item.text == " ".join(post.text.split())
            assert item.posted_at == post.at.replace(tzinfo=zone).astimezone(UTC).isoformat()


@pytest.mark.parametrize("site", sorted(BED_SITES))
def test_follow_selectors_reach_pages_of_every_kind_and_no_denied_link(
    sources: dict[str, Source], beds: DemoSites, site: str
) -> None:
    source = sources[site]
    seen = followed(source, per_hop=60)
    for page, spec in source.pages.items():
        assert any(re.search(spec.url, u) for u in seen), f"{site}: no {page} page reached"
    allowed = [u for u in seen if not any(re.search(d, u) for d in source.deny)]
    assert [(u, fetch(u).status) for u in allowed[:15] if fetch(u).status != 200] == []
    account = [u for u in seen if re.search(ACCOUNT, u)]
    assert all(any(re.search(d, u) for d in source.deny) for u in account)


@pytest.mark.parametrize(("outage", "timeline"), [(holdout_a.OUTAGE, holdout_a.TIMELINE),
                                                  (holdout_c.FORUM_OUTAGE, holdout_c.TIMELINE),
                                                  (holdout_e.OUTAGE, holdout_e.TIMELINE)])  # fmt: skip
def test_the_scripted_outage_is_served_whatever_faults_are_asked(
    beds: DemoSites, outage: Fault, timeline: Timeline
) -> None:
    url = beds.urls[outage.site] + "/"
    for day in outage.days:
        assert fetch(url, timeline.day_date(day).isoformat()).status == 503
    assert fetch(url, timeline.day_date(outage.days[0] - 1).isoformat()).status == 200
    assert fetch(url, timeline.day_date(outage.days[-1] + 1).isoformat()).status == 200


def test_a_rebranded_vendor_keeps_its_key_and_its_listings_come_back_under_new_ids(
    sources: dict[str, Source], beds: DemoSites
) -> None:
    """Hold-out C: a vendor's listings end the day it leaves and are posted again by its new account."""
    spec, rebrand = holdout_c.MARKET_SPEC, holdout_c.REBRAND
    old = sorted(v for v in market_day(spec, SEED, 0).universe.vendors if v != rebrand.name)[rebrand.vendor]
    before = market_day(spec, SEED, rebrand.day - 1).by_vendor(old)
    back = market_day(spec, SEED, rebrand.day + rebrand.gap)
    assert len(before) >= 8
    assert not market_day(spec, SEED, rebrand.day).by_vendor(old) and not back.by_vendor(old)
    again = back.by_vendor(rebrand.name)
    assert len({x.title for x in before} & {x.title for x in again}) >= 0.8 * len(before)  # some were ending anyway
    assert not {x.id for x in before} & {x.id for x in again}
    as_of = spec.timeline.day_date(rebrand.day + rebrand.gap).isoformat()
    pages = [parsed(sources[spec.name], beds.urls[spec.name] + VENDOR_PATH[spec.name].format(name), as_of)
             for name in (old, rebrand.name)]  # fmt: skip
    [[gone], [new]] = pages
    assert isinstance(gone, Vendor) and isinstance(new, Vendor)
    assert gone.pgp_fingerprint == new.pgp_fingerprint and (new.feedback_count or 0) < 10


def test_scripts_name_the_source_files_beside_them() -> None:
    for bed, sites in BEDS.items():
        script = load_script(SCRIPTS_DIR / bed / "script.yml")
        assert sorted(Path(s).stem for s in script.sources) == sorted(sites)
        assert all((SCRIPTS_DIR / bed / s).is_file() for s in script.sources)


def test_vendors_in_holiday_mode_vanish_and_come_back_under_the_same_ids(
    sources: dict[str, Source], beds: DemoSites
) -> None:
    """Hold-out D: the listings of the vendors in holiday mode are gone (404) from the pause's first day to its
    last, and served again the day after under the same ids; their shop pages list nothing meanwhile."""
    spec, pause = holdout_d.MARKET_SPEC, holdout_d.HOLIDAY
    names = sorted(market_day(spec, SEED, 0).universe.vendors)
    away = {names[i] for i in pause.vendors}
    before = [x for x in market_day(spec, SEED, pause.day - 1).listings if x.vendor in away]
    assert len(before) >= 15
    assert len(market_day(spec, SEED, pause.day).listings) <= 0.8 * len(market_day(spec, SEED, pause.day - 1).listings)
    back = {x.id for x in market_day(spec, SEED, pause.until + 1).listings if x.vendor in away}
    assert {x.id for x in before if x.live(pause.until + 1)} <= back
    url = beds.urls[spec.name] + LISTING_PATH[spec.name]
    for listing in before[::4]:
        for day in (pause.day, pause.until):
            assert fetch(url.format(listing.id), spec.timeline.day_date(day).isoformat()).status == 404
        if listing.live(pause.until + 1):
            assert fetch(url.format(listing.id), spec.timeline.day_date(pause.until + 1).isoformat()).status == 200
    shop = beds.urls[spec.name] + VENDOR_PATH[spec.name].format(sorted(away)[0])
    during = fetch(shop, spec.timeline.day_date(pause.day + 3).isoformat())
    assert during.status == 200 and "/artikel/" not in during.body
    [vendor] = parsed(sources[spec.name], shop, spec.timeline.day_date(pause.day + 3).isoformat())
    assert isinstance(vendor, Vendor) and vendor.name == sorted(away)[0]


def test_a_quoted_post_is_served_in_every_reply_and_read_once(sources: dict[str, Source], beds: DemoSites) -> None:
    """Hold-out E: every reply of the quoted thread shows the first post in a <blockquote>; the source file reads
    each reply's own words only, so the quoted text is stored once (with the first post)."""
    spec, site = holdout_e.FORUM_SPEC, holdout_e.FORUM
    day = spec.timeline.last_day
    [(thread, posts)] = [(t, ps) for t, ps in forum_day(spec, SEED, day).threads if holdout_e.quoted_thread(t)]
    as_of, first = spec.timeline.day_date(day).isoformat(), " ".join(posts[0].text.split())
    items: list[Post] = []
    for number in range(1, (len(posts) - 1) // POSTS_PER_PAGE[site] + 2):
        url = beds.urls[site] + THREAD_PATH[site].format(thread.id, number)
        body = fetch(url, as_of).body
        shown = posts[(number - 1) * POSTS_PER_PAGE[site] : number * POSTS_PER_PAGE[site]]
        assert body.count('class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote"') == len(
            [p for p in shown if p is not posts[0]]
        )
        items += [i for i in parsed(sources[site], url, as_of) if isinstance(i, Post)]
    assert [i.text for i in items] == [" ".join(p.text.split()) for p in posts]
    assert [i.text for i in items].count(first) == 1 and len(items) >= 16
    background = [(t, i) for t, ps in forum_day(spec, SEED, day).threads if not holdout_e.quoted_thread(t)
                  for i in range(1, len(ps)) if holdout_e.quote_of(t, i)]  # fmt: skip
    assert len(background) >= 30  # people quote each other elsewhere too


# ---- hold-out F (sealed) -----------------------------------------------------------------------------------------


def test_a_sale_shows_the_usual_price_struck_through_and_the_price_charged_is_read(
    sources: dict[str, Source], beds: DemoSites
) -> None:
    """Hold-out F: during L'Étal's sale every tier shows the usual price in <s> and the cut one, which is stored."""
    spec, sale = holdout_f.MARKET_SPEC, holdout_f.SALE
    day = sale.day + 1
    md = market_day(spec, SEED, day)
    for listing in md.listings[::15]:
        url = beds.urls[spec.name] + listing_path(spec.name, listing)
        [item] = parsed(sources[spec.name], url, spec.timeline.day_date(day).isoformat())
        assert isinstance(item, Listing)
        tiers = md.tiers(listing)
        assert all(t.was for t in tiers)
        assert [p.amount for p in item.prices] == [Decimal(f"{t.amount:.2f}") for t in tiers]
        body = fetch(url, spec.timeline.day_date(day).isoformat()).body
        assert all(f'<s class="avant">{t.was[0]}</s>' in body for t in tiers)
    assert not any(t.was for x in market_day(spec, SEED, sale.until + 1).listings[:20]
                   for t in market_day(spec, SEED, sale.until + 1).tiers(x))  # fmt: skip


def test_half_the_market_s_pages_fail_on_the_scripted_days_and_the_front_page_works(beds: DemoSites) -> None:
    """Hold-out F: on L'Étal's two bad days about half of the listing pages answer 500, never the front page."""
    spec, fault = holdout_f.MARKET_SPEC, holdout_f.ERRORS
    assert BED_SITES[spec.name].faults == (fault,) and fault.kind == "errors"
    listings = market_day(spec, SEED, fault.days[0]).listings
    url = beds.urls[spec.name]
    for day in fault.days:
        as_of = spec.timeline.day_date(day).isoformat()
        assert fetch(url + "/", as_of).status == 200
        failed = [fetch(url + listing_path(spec.name, x), as_of).status == 500 for x in listings[::3]]
        assert 0.25 < sum(failed) / len(failed) < 0.75
    for day in (fault.days[0] - 1, fault.days[-1] + 1):
        as_of = spec.timeline.day_date(day).isoformat()
        steady = [x for x in listings if x.live(fault.days[0] - 1) and x.live(fault.days[-1] + 1)]
        assert all(fetch(url + listing_path(spec.name, x), as_of).status == 200 for x in steady[:30:3])


def test_comments_nest_and_each_is_read_with_its_own_words_only(sources: dict[str, Source], beds: DemoSites) -> None:
    """Hold-out F: La Veillée nests replies inside their parent comment; the thread with the deepest tree is read
    with every comment's text its own (the replies' words are not in it)."""
    spec, site = holdout_f.FORUM_SPEC, holdout_f.FORUM
    day = spec.timeline.last_day

    def depth(thread: Thread, posts: Sequence[BedPost]) -> int:
        up, deepest = veillee_forum.parents(thread), 0
        for post in posts[1:]:
            level, parent = 1, up[post.id]
            while parent is not None:
                level, parent = level + 1, up[parent]
            deepest = max(deepest, level)
        return deepest

    thread, posts = max(forum_day(spec, SEED, day).threads, key=lambda found: depth(*found))
    assert depth(thread, posts) >= 3
    items = parsed(sources[site], beds.urls[site] + f"/post/{thread.id}", spec.timeline.day_date(day).isoformat())
    texts = {p.id: " ".join(p.text.split()) for p in posts}
    assert {i.post_id: i.text for i in items if isinstance(i, Post)} == {str(k): v for k, v in texts.items()}
