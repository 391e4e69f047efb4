"""The source files of the demo sites: valid, and their selectors pick the right values on served pages.

Extraction here is a minimal reading of a field spec with parsel (css / xpath / from_url, then ``re``,
stripped, empty strings dropped) so the selectors are checked without the real parsers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from parsel import Selector

from crawlers.config import SOURCES_DIR, FieldSpec, RowsSpec, Source, load_source
from demosites.forums import forum_day
from demosites.markets import market_day
from demosites.server import SITES, DemoSites, env_var
from demosites.shop import shop_day
from demosites.timeline import SEED
from demosites.web import slug
from tests.demosites.conftest import fetch, followed

DAY = 41


def extract(spec: FieldSpec, sel: Selector, url: str) -> list[str]:
    if spec.from_url:
        found = re.search(spec.from_url, url)
        values = [found[1]] if found else []
    else:
        values = sel.css(spec.css).getall() if spec.css else sel.xpath(spec.xpath or "").getall()
    if spec.re:
        values = [m[1] for v in values if (m := re.search(spec.re, v))]
    return [v.strip() for v in values if v.strip()]


def extract_page(source: Source, page: str, url: str, body: str) -> dict[str, object]:
    sel = Selector(text=body)
    out: dict[str, object] = {}
    for name, spec in source.pages[page].fields.items():
        if isinstance(spec, RowsSpec):
            rows = sel.css(spec.css) if spec.css else sel.xpath(spec.xpath or "")
            out[name] = [{k: extract(f, row, url) for k, f in spec.fields.items()} for row in rows]
        else:
            out[name] = extract(spec, sel, url)
    return out


def _pages() -> dict[str, dict[str, str]]:
    """For each source, a path per page kind, chosen so every field has a value."""
    nova = market_day("nova_market", SEED, DAY)
    nova_listing = next(x for x in nova.listings if x.vendor and x.unit_price and x.finalize_early)
    tulip = market_day("tulip_bazaar", SEED, DAY)
    tulip_listing = next(x for x in tulip.listings if x.vendor and x.unit_price)
    lowlands = next(t for t, ps in forum_day("lowlands_forum", SEED, DAY).threads if t.trip_report and len(ps) > 5)
    salon = next(t for t, ps in forum_day("salon_fr", SEED, DAY).threads if t.trip_report and len(ps) > 6)
    product = shop_day(SEED, DAY)[0]
    return {
        "nova_market": {"listing": f"/listing/{nova_listing.id}", "vendor": f"/vendor/{nova_listing.vendor}"},
        "tulip_bazaar": {
            "listing": f"/item.php?id={tulip_listing.id}",
            "vendor": f"/vendor.php?u={tulip_listing.vendor}",
        },
        "lowlands_forum": {"thread": f"/viewtopic.php?t={lowlands.id}&start=5"},
        "salon_fr": {"thread": f"/discussion/{salon.id}-{slug(salon.title, 40)}?page=2"},
        "chemvendo_shop": {"product": f"/product/{product.slug}/"},
    }


PAGES = _pages()
CASES = [(site, page) for site in sorted(PAGES) for page in PAGES[site]]


@pytest.fixture(scope="module")
def sources(demo: DemoSites, monkeypatch_module: pytest.MonkeyPatch) -> dict[str, Source]:
    for name, value in demo.env().items():
        monkeypatch_module.setenv(name, value)
    return {site: load_source(SOURCES_DIR / f"{site}.yml") for site in SITES}


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_demo_site_has_a_valid_source_file() -> None:
    files = {p.stem for p in Path(SOURCES_DIR).glob("*.yml")}
    assert set(SITES) <= files
    for site in SITES:
        source = load_source(SOURCES_DIR / f"{site}.yml")
        assert source.start_urls[0].startswith(f"http://127.0.0.1:{SITES[site]}/")
        assert source.politeness.delay == 0 and not source.tor


def test_start_urls_read_the_demo_environment(sources: dict[str, Source], demo: DemoSites) -> None:
    for site, source in sources.items():
        assert source.start_urls[0].startswith(demo.urls[site] + "/"), env_var(site)


@pytest.mark.parametrize(("site", "page"), CASES)
def test_selectors_fill_every_field(sources: dict[str, Source], demo: DemoSites, site: str, page: str) -> None:
    url = demo.urls[site] + PAGES[site][page]
    fetched = fetch(url)
    assert fetched.status == 200
    assert re.search(sources[site].pages[page].url, url)
    values = extract_page(sources[site], page, url, fetched.body)
    empty = [name for name, found in values.items() if not found]
    assert not empty, f"{site} {page}: no value for {empty}"
    for name, found in values.items():
        if isinstance(found, list) and found and isinstance(found[0], dict):
            blank = [(name, k) for row in found for k, v in row.items() if not v]
            assert not blank, f"{site} {page}: rows without {blank}"


@pytest.mark.parametrize(("site", "page"), CASES)
def test_page_urls_match_only_their_own_kind(sources: dict[str, Source], site: str, page: str) -> None:
    for other, path in PAGES[site].items():
        assert bool(re.search(sources[site].pages[page].url, "http://h" + path)) == (other == page)
    assert not re.search(sources[site].pages[page].url, "http://h/")


@pytest.mark.parametrize("site", sorted(SITES))
def test_follow_selectors_reach_pages_of_every_kind(sources: dict[str, Source], demo: DemoSites, site: str) -> None:
    """Two hops of the follow selectors from the start page find pages of every kind, and no denied link."""
    source = sources[site]
    seen = followed(source)
    for page, spec in source.pages.items():
        assert any(re.search(spec.url, u) for u in seen), f"{site}: no {page} page reached"
    allowed = [u for u in seen if not any(re.search(d, u) for d in source.deny)]
    assert all(fetch(u).status == 200 for u in allowed[:10])


def test_extracted_values_are_the_generated_ones(sources: dict[str, Source], demo: DemoSites) -> None:
    listing = next(x for x in market_day("nova_market", SEED, DAY).listings if x.vendor and x.unit_price)
    url = f"{demo.urls['nova_market']}/listing/{listing.id}"
    values = extract_page(sources["nova_market"], "listing", url, fetch(url).body)
    tiers = market_day("nova_market", SEED, DAY).tiers(listing)
    assert values["native_id"] == [str(listing.id)]
    assert values["category"] == list(listing.category)
    assert values["prices"] == [{"quantity": [t.label], "price": list(t.prices)} for t in tiers]
    assert values["ships_to"] == list(listing.ships_to)


def test_forum_dates_parse_as_declared(sources: dict[str, Source], demo: DemoSites) -> None:
    for site in ("lowlands_forum", "salon_fr"):
        url = demo.urls[site] + PAGES[site]["thread"]
        values = extract_page(sources[site], "thread", url, fetch(url).body)
        posts = values["posts"]
        assert isinstance(posts, list)
        spec = sources[site].pages["thread"].fields["posts"]
        assert isinstance(spec, RowsSpec)
        fmt = spec.fields["posted_at"].format
        for post in posts:
            text = post["posted_at"][0]
            parsed = datetime.strptime(text, fmt) if fmt else datetime.fromisoformat(text)
            assert parsed.year == 2026


def test_trip_report_selector_matches_only_trip_reports(sources: dict[str, Source], demo: DemoSites) -> None:
    day = forum_day("lowlands_forum", SEED, DAY)
    plain = next(t for t, _ in day.threads if not t.trip_report)
    url = f"{demo.urls['lowlands_forum']}/viewtopic.php?t={plain.id}"
    assert extract_page(sources["lowlands_forum"], "thread", url, fetch(url).body)["is_trip_report"] == []


def test_only_robots_txt_keeps_the_shop_crawl_out_of_the_cart(sources: dict[str, Source], demo: DemoSites) -> None:
    source = sources["chemvendo_shop"]
    sel = Selector(text=fetch(source.start_urls[0]).body)
    followed = [h for css in source.follow for h in sel.css(css).css("::attr(href)").getall()]
    private = [h for h in followed if h.startswith(("/cart", "/checkout", "/my-account"))]
    assert len(private) == 3
    assert not [h for h in private if any(re.search(d, h) for d in source.deny)]
