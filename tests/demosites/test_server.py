"""The server: one port per site, the as-of header, 404s, robots.txt, and the environment it exports."""

from __future__ import annotations

import time

import pytest

from demosites.markets import market_day
from demosites.server import APPS, SITES, SLOW_SECONDS, DemoSites, env_var, respond
from demosites.timeline import SEED, Fault
from demosites.vocab import NOVEL
from tests.demosites.conftest import fetch


def test_every_site_answers_on_its_own_port(demo: DemoSites) -> None:
    assert set(demo.urls) == set(SITES)
    assert len({url.rsplit(":", 1)[1] for url in demo.urls.values()}) == len(SITES)
    for url in demo.urls.values():
        page = fetch(url + "/")
        assert page.status == 200
        assert page.headers["Content-Type"] == "text/html; charset=utf-8"
        assert page.headers["X-Demo-Day"] == "2026-11-11"


def test_env_names_every_running_site(demo: DemoSites) -> None:
    assert demo.env() == {env_var(site): url for site, url in demo.urls.items()}
    assert env_var("nova_market") == "NPSWATCH_DEMO_NOVA_MARKET_URL"


def test_as_of_header_serves_that_day(demo: DemoSites) -> None:
    listing = next(x for x in market_day("nova_market", SEED, 20).listings if x.sub.key == NOVEL)
    url = f"{demo.urls['nova_market']}/listing/{listing.id}"
    assert fetch(url, "2026-10-10").status == 404
    shown = fetch(url, "2026-10-21")
    assert shown.status == 200 and NOVEL in shown.body
    assert shown.headers["X-Demo-Day"] == "2026-10-21"


def test_dates_outside_the_timeline_are_clamped_and_said_so(demo: DemoSites) -> None:
    page = fetch(demo.urls["salon_fr"] + "/", "2030-01-01")
    assert page.status == 200
    assert page.headers["X-Demo-Day"] == "2026-11-11; clamped-from=2030-01-01"


def test_a_bad_as_of_header_is_a_400(demo: DemoSites) -> None:
    assert fetch(demo.urls["salon_fr"] + "/", "last tuesday").status == 400


@pytest.mark.parametrize("path", ["/nope", "/listing/1", "/c/unknown", "/c/cathinones?page=99", "/vendor/nobody"])
def test_unknown_paths_are_404(demo: DemoSites, path: str) -> None:
    assert fetch(demo.urls["nova_market"] + path).status == 404


def test_shop_robots_txt_disallows_the_pages_it_links_to(demo: DemoSites) -> None:
    robots = fetch(demo.urls["chemvendo_shop"] + "/robots.txt")
    assert robots.headers["Content-Type"] == "text/plain; charset=utf-8"
    for path in ("/cart", "/checkout", "/my-account"):
        assert f"Disallow: {path}\n" in robots.body
        assert f'href="{path}/' in fetch(demo.urls["chemvendo_shop"] + "/shop/").body
        assert fetch(demo.urls["chemvendo_shop"] + path + "/").status == 200


def test_html_in_content_is_escaped(demo: DemoSites) -> None:
    hostile = next(x for x in market_day("nova_market", SEED, 41).listings if "<script>" in x.description)
    body = fetch(f"{demo.urls['nova_market']}/listing/{hostile.id}").body
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_sites_can_be_chosen_and_stopped() -> None:
    with DemoSites(["salon_fr"], free_ports=True) as demo:
        url = demo.urls["salon_fr"]
        assert list(demo.env()) == ["NPSWATCH_DEMO_SALON_FR_URL"]
        assert fetch(url + "/").status == 200
    assert demo.urls == {}
    with pytest.raises(ValueError, match="unknown demo site"):
        DemoSites(["nope"])


def test_an_outage_fault_answers_503_on_its_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("demosites.timeline.FAULTS", (Fault("salon_fr", "outage", (3,)),))
    app = APPS["salon_fr"](SEED)
    assert respond(app, "/", "2026-10-04")[0].status == 503
    assert respond(app, "/", "2026-10-05")[0].status == 200


def test_an_errors_fault_fails_about_half_the_pages_but_never_an_entry_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("demosites.timeline.FAULTS", (Fault("tulip_bazaar", "errors", (3,)),))
    app = APPS["tulip_bazaar"](SEED)
    targets = [f"/item.php?id={n}" for n in range(1, 41)]
    statuses = [respond(app, t, "2026-10-04")[0].status for t in targets]
    assert 10 <= statuses.count(500) <= 30 and set(statuses) <= {200, 404, 500}
    assert statuses == [respond(app, t, "2026-10-04")[0].status for t in targets]  # the same pages every time
    assert all(respond(app, t, "2026-10-04")[0].status != 500 for t in ("/", "/robots.txt"))
    assert 500 not in {respond(app, t, "2026-10-05")[0].status for t in targets}  # only on its day


def test_a_slow_fault_delays_every_answer_on_its_day() -> None:
    with DemoSites(["salon_fr"], free_ports=True, faults=(Fault("salon_fr", "slow", (3,)),)) as demo:
        url = demo.urls["salon_fr"] + "/"
        started = time.monotonic()
        assert fetch(url, "2026-10-04").status == 200
        slow = time.monotonic() - started
        started = time.monotonic()
        assert fetch(url, "2026-10-05").status == 200
        usual = time.monotonic() - started
    assert slow >= SLOW_SECONDS > usual
