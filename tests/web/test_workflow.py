"""What analysts do in the workbench, through the pages and the API: search, documents with their chart, substance
pages, evidence download, triage with the audit log, watchlists with retro-hunt and new hits, sources, accounts."""

from __future__ import annotations

import io
import stat
from datetime import UTC, datetime
from urllib.parse import quote

import lxml.html
from fastapi.testclient import TestClient
from warcio.archiveiterator import ArchiveIterator

from signals.run import run_and_deliver
from storage.sqlite import SqliteStorage
from tests.web.conftest import csrf_of
from tests.web.site import DAYS, Site, listing


def test_the_search_page_shows_what_the_api_answers(clients: dict[str, TestClient]) -> None:
    alice = clients["alice"]
    api = alice.get("/api/search", params={"q": "3-mmc", "kind": "listing", "sort": "newest"}).json()
    page = lxml.html.document_fromstring(alice.get("/search", params={"q": "3-mmc", "kind": "listing",
                                                                     "sort": "newest"}).text)  # fmt: skip
    assert int(page.get_element_by_id("total").text_content()) == api["total"] == 2
    titles = [a.text_content() for a in page.xpath("//li[@class='hit']/a[@class='title']")]
    assert titles == [h["title"] for h in api["hits"]]
    assert api["facets"]["kind"] == {"listing": 2} and "source" in api["facets"]
    assert api["query"]["sort"] == "newest" and api["pages"] == 1


def test_facets_filter_and_dates_narrow_the_search(clients: dict[str, TestClient]) -> None:
    alice = clients["alice"]
    assert alice.get("/api/search", params={"f": "kind:post"}).json()["total"] == 1
    assert alice.get("/api/search", params={"from": "2026-10-05"}).json()["total"] == 0
    paged = alice.get("/api/search", params={"size": 1, "page": 2}).json()
    assert paged["pages"] == paged["total"] and len(paged["hits"]) == 1


def test_a_listing_page_has_its_price_chart_and_highlighted_extraction(
    site: Site, clients: dict[str, TestClient]
) -> None:
    alice = clients["alice"]
    data = alice.get(f"/api/documents/{site.listing_id}").json()
    assert [o["day"] for o in data["observations"]] == DAYS
    assert [o["warc_record_id"] for o in data["observations"]] == site.record_ids
    tiers = {s["label"]: [v for _, v in s["points"]] for s in data["price_series"]}
    assert list(tiers) == ["EUR per gram (median)", "10g (EUR)"]
    assert tiers["10g (EUR)"] == [45.0, 44.0, 40.0, 38.0] and tiers["EUR per gram (median)"][-1] == 3.8
    marks = {(s["mark"], s["text"]) for s in data["highlights"]["description"] if s["mark"]}
    assert ("substance", "3-MMC") in marks and any(mark == "price" for mark, _ in marks)
    page = lxml.html.document_fromstring(alice.get(f"/documents/{site.listing_id}").text)
    [chart] = page.xpath("//section[@id='price-chart']//*[local-name()='svg']")
    assert len(chart.xpath(".//*[local-name()='polyline']")) == 2
    assert page.xpath("//mark[@class='substance']")
    assert len(page.xpath("//a[@class='evidence']")) == 4


def test_the_substance_page_folds_spellings_and_counts_per_week(clients: dict[str, TestClient]) -> None:
    data = clients["alice"].get("/api/substances/3mmc").json()
    assert data["name"] == "3-MMC" and data["known"] and "metaphedrone" in data["spellings"]
    assert data["first_seen"] == DAYS[0] and data["total"] == 3
    assert data["where"]["kind"] == {"listing": 2, "post": 1} and data["where"]["market"] == {"Kestrel Market": 2}
    assert data["weekly"][0]["week"] == "2026-09-28" and data["weekly"][0]["listings"] >= 4
    assert data["weekly"][0]["eur_per_gram"] is not None and data["vendors"]["count"] == 2
    assert [s["type"] for s in data["signals"]] == ["spike"]
    page = lxml.html.document_fromstring(clients["alice"].get("/substances/3mmc").text)
    assert len(page.xpath("//*[local-name()='svg']")) >= 2
    novel = clients["alice"].get("/api/substances/3cpmc").json()
    assert not novel["known"] and novel["total"] == 1 and "3-CPMC" in novel["spellings"]


def test_the_warc_record_downloads_as_archived(site: Site, clients: dict[str, TestClient]) -> None:
    answer = clients["erin"].get(f"/api/evidence/{quote(site.record_ids[1], safe='')}/warc")
    assert answer.status_code == 200 and answer.headers["content-disposition"].startswith("attachment")
    records = [(r.rec_headers.get_header("WARC-Record-ID"), r.content_stream().read())
               for r in ArchiveIterator(io.BytesIO(answer.content))]  # fmt: skip
    assert len(records) == 1 and records[0][0] == site.record_ids[1] and b"44.00 EUR" in records[0][1]


def test_triage_through_the_page_is_in_the_audit_log(site: Site, clients: dict[str, TestClient]) -> None:
    erin = clients["erin"]
    form = {"action": "assign", "assignee": "alice", "csrf": csrf_of(erin)}
    assert erin.post(f"/signals/{site.signal_id}/triage", data=form, follow_redirects=False).status_code == 303
    form = {"action": "acknowledge", "reason": "three new vendors this week", "csrf": csrf_of(erin)}
    page = erin.post(f"/signals/{site.signal_id}/triage", data=form)
    root = lxml.html.document_fromstring(page.text)
    assert root.get_element_by_id("state").text_content() == "acknowledged"
    assert root.get_element_by_id("assignee").text_content() == "alice"
    rows = [[td.text_content() for td in tr.iter("td")] for tr in root.xpath("//table[@id='audit']/tbody/tr")]
    expected = ["erin", "web", "acknowledge", "new → acknowledged", "alice", "three new vendors this week"]
    assert rows[-1][1:7] == expected
    inbox = clients["alice"].get("/api/signals", params={"assignee": "alice", "state": "acknowledged"}).json()
    assert [s["id"] for s in inbox["signals"]] == [site.signal_id]


def test_a_watchlist_lists_its_retro_hunt_and_signals_new_documents(
    site: Site, clients: dict[str, TestClient]
) -> None:
    alice = clients["alice"]
    watch = {"name": "M-CAT family", "kind": "query", "value": "q=3-mmc&kind=listing"}
    made = alice.post("/api/watchlists", json=watch, headers={"X-CSRF-Token": csrf_of(alice)}).json()
    assert made["retro"] == {"total": 2, "truncated": False} and len(made["hits"]) == 2
    assert all(h["retro"] for h in made["hits"])
    watch_id = made["watchlist"]["id"]
    with SqliteStorage(site.db) as store:  # a new listing, first seen today (after the watchlist was made)
        today = datetime.now(UTC).date().isoformat()
        store.write([listing("77", today, "42.00", "<urn:uuid:new-77>", title="3-MMC shards 10g")])
    outcome = run_and_deliver(str(site.db), datetime.now(UTC).date(), data=site.data, deliver=False)
    assert any("1 new watch_hit signal" in line for line in outcome.lines), outcome.lines
    shown = alice.get(f"/api/watchlists/{watch_id}").json()
    assert shown["counts"] == {"retro": 2, "new": 1} and shown["signals"][0]["type"] == "watch_hit"
    page = lxml.html.document_fromstring(alice.get(f"/watchlists/{watch_id}").text)
    assert "2 document(s) matched" in page.get_element_by_id("retro-count").text_content()
    assert "3-MMC shards 10g" in page.get_element_by_id("watch-hits").text_content()


def test_sources_show_runs_and_health_signals(clients: dict[str, TestClient]) -> None:
    data = clients["alice"].get("/api/sources").json()
    tulip = next(s for s in data["sources"] if s["source"] == "tulip_bazaar")
    assert [r["as_of"] for r in tulip["runs"]] == DAYS[::-1] and tulip["runs"][0]["items"] == 5
    assert tulip["documents"] >= 3 and [s["type"] for s in tulip["signals"]] == ["source_down"]
    assert tulip["open_signals"][0]["type"] == "source_down"


def test_admins_manage_accounts_from_the_page(site: Site, clients: dict[str, TestClient]) -> None:
    admin = clients["admin1"]
    form = {"name": "newbie", "role": "analyst", "password": "a long enough passphrase", "csrf": csrf_of(admin)}
    assert admin.post("/admin/users", data=form, follow_redirects=False).status_code == 303
    short = admin.post("/admin/users", data={**form, "name": "shorty", "password": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.text
    token = admin.post("/admin/users/newbie/token", data={"csrf": csrf_of(admin)})
    assert "npw_" in lxml.html.document_fromstring(token.text).get_element_by_id("new-token").text_content()
    assert admin.post("/admin/users/newbie/remove", data={"csrf": csrf_of(admin)}).status_code == 200
    assert "newbie" not in [u["name"] for u in admin.get("/api/users").json()["users"]]
    own = admin.post("/admin/users/admin1/remove", data={"csrf": csrf_of(admin)})
    assert own.status_code == 400
    assert stat.S_IMODE((site.data / "users.sqlite3").stat().st_mode) == 0o600
    assert b"$argon2id$" in (site.data / "users.sqlite3").read_bytes()


def test_the_openapi_document_lists_the_api(clients: dict[str, TestClient]) -> None:
    schema = clients["alice"].get("/api/openapi.json").json()
    assert {"/api/search", "/api/documents/{doc_id}", "/api/substances/{name}", "/api/signals/{signal_id}/triage",
            "/api/watchlists", "/api/evidence/{record_id}/warc", "/api/sources"} <= set(schema["paths"])  # fmt: skip
    assert not any(path.startswith(("/search", "/login")) for path in schema["paths"])
