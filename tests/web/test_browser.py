"""The workbench in a real browser: Debian's chromium driven by Playwright (its driver ships in the wheel; no browser
is downloaded).  One server and one browser for the module; the tests run in order on one logged-in page: log in,
search, a listing with its chart, its archived evidence, a hostile page and its archive (no dialog may open, no
request may leave the server), triage with a reason seen in the audit log, a watchlist and its retro-hunt, log out.
Under CI=true a missing chromium fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import uvicorn
from playwright.sync_api import Dialog, Page

from tests.web.conftest import config_of
from tests.web.site import PASSWORD, Site
from web.app import create_app

pytestmark = pytest.mark.browser
Shared = tuple[Page, dict[str, list[str]]]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[str]:
    """The workbench on a free loopback port, in a thread of this process (Secure cookies: chromium, like other
    browsers, treats http://127.0.0.1 as a secure context)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(config_of(site)), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the workbench did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[Shared]:
    if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing (Debian package chromium, .ci/apt-packages)")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    seen: dict[str, list[str]] = {"dialogs": [], "console": [], "requests": [], "errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context().new_page()
        page.set_default_timeout(15_000)

        def on_dialog(dialog: Dialog) -> None:
            seen["dialogs"].append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda message: seen["console"].append(message.text))
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.on("request", lambda request: seen["requests"].append(request.url))
        yield page, seen
        browser.close()


def test_log_in(server: str, browser_page: Shared) -> None:
    page, _ = browser_page
    page.goto(f"{server}/search")
    assert "/login" in page.url
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/search")
    assert "alice (analyst)" in page.inner_text("header")


def test_search_and_open_a_listing_with_its_chart(server: str, browser_page: Shared
                                                  ) -> None:  # fmt: skip
    page, _ = browser_page
    page.fill("input[name=q]", "3-mmc crystals")
    page.select_option("select[name=sort]", "newest")
    page.click("form.search button")
    page.wait_for_selector("#total")
    assert int(page.inner_text("#total")) >= 1
    page.click("li.hit a.title >> text='3-MMC crystals 10g'")
    page.wait_for_selector("#price-chart svg polyline", state="attached")  # a flat line has no height
    assert page.locator("#price-chart svg circle").count() == 8
    assert page.locator("mark.substance").count() >= 1


def test_open_its_evidence_as_archived(server: str, browser_page: Shared) -> None:
    page, _ = browser_page
    page.click("a.evidence >> nth=1")
    page.wait_for_selector("#record-id")
    assert page.inner_text("#record-id").startswith("<urn:uuid:")
    frame = page.frame_locator("#archived")
    assert "44.00 EUR" in frame.locator("body").inner_text()
    assert page.locator("#warc-download").count() == 1


def test_a_hostile_listing_and_its_archive_never_run_anything(site: Site, server: str,
                                                              browser_page: Shared
                                                              ) -> None:  # fmt: skip
    page, seen = browser_page
    for url in (f"/documents/{site.hostile_id}", f"/documents/{site.post_id}", "/search?q=" + quote("<script>"),
                f"/evidence/{quote(site.hostile_record, safe='')}", f"/signals/{site.signal_id}"):
        page.goto(server + url)
        page.wait_for_load_state("load")
    frame = page.frame_locator("#archived")
    page.goto(f"{server}/evidence/{quote(site.hostile_record, safe='')}")
    assert frame.locator("#archived-title").inner_text().startswith("3-MMC crystals 10g")
    frame.locator("a >> text=pay").click()  # an inert link: nothing happens
    page.wait_for_timeout(300)
    assert seen["dialogs"] == [] and seen["errors"] == []
    assert not [text for text in seen["console"] if "xss" in text]
    outside = [u for u in seen["requests"] if not u.startswith((server, "data:"))]
    assert outside == []


def test_triage_a_signal_with_a_reason_and_see_it_in_the_audit_log(site: Site, server: str,
                                                                   browser_page: Shared
                                                                   ) -> None:  # fmt: skip
    page, _ = browser_page
    page.goto(f"{server}/signals")
    page.click(f"a.signal[href='/signals/{site.signal_id}']")
    page.select_option("#action", "dismiss")
    page.fill("#reason", "restock of one vendor, not a rise")
    page.click("#triage-form button")
    page.wait_for_selector("#audit")
    assert page.inner_text("#state") == "dismissed"
    last = page.inner_text("#audit tbody tr:last-child")
    assert "alice" in last and "dismiss" in last and "restock of one vendor, not a rise" in last


def test_create_a_watchlist_and_see_its_retro_hunt(server: str, browser_page: Shared
                                                   ) -> None:  # fmt: skip
    page, _ = browser_page
    page.goto(f"{server}/watchlists")
    page.fill("#watch-name", "3-MMC, every spelling")
    page.select_option("#watch-kind", "substance")
    page.fill("#watch-value", "3mmc")
    page.click("#watch-form button")
    page.wait_for_selector("#retro-count")
    assert page.inner_text("#retro-count").startswith("3 document(s)")
    assert page.locator("#watch-hits tbody tr").count() == 3


def test_log_out(server: str, browser_page: Shared) -> None:
    page, seen = browser_page
    page.click("#logout")
    page.wait_for_url(f"{server}/login")
    page.goto(f"{server}/signals")
    assert "/login" in page.url
    assert seen["dialogs"] == []
