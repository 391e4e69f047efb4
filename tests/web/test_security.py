"""Security of the workbench: authentication on every route, hostile crawled content inert in every view, bad input
as a 4xx page, researchers never given a real name, CSRF, cookies, login rate limiting, security headers."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import lxml.html
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.conftest import config_of, csrf_of, login
from tests.web.site import AUTHOR, PASSWORD, VENDOR, Site
from web.app import PAGE_CSP, create_app
from web.evidence import FRAME_CSP

NAMES = ("Nightjar", "Sandpiper")  # parts of the vendor's and the author's names (tests/web/site.py)
assert all(n in VENDOR + AUTHOR for n in NAMES)


def path_values(site: Site, watch_id: int = 1) -> dict[str, list[str]]:
    """Values for every path parameter of the app's routes."""
    return {
        "doc_id": [site.listing_id, site.hostile_id, site.post_id, *(d["id"] for d in site.documents[-1:])],
        "name": ["3-MMC", "3-CPMC", "alice"],
        "signal_id": [site.signal_id],
        "watch_id": [str(watch_id)],
        "record_id": [quote(site.hostile_record, safe=""), quote(site.record_ids[0], safe="")],
    }


def app_routes(routes: list[Any]) -> Iterator[Any]:
    """Every route of the app, routers included (FastAPI includes them lazily)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        yield from app_routes(included.routes) if included is not None else [route]


def get_routes(client: TestClient, prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    for route in app_routes(client.app.routes):  # type: ignore[attr-defined]
        path = getattr(route, "path", "")
        if path.startswith(prefix) and not path.startswith("/static") and hasattr(route, "methods"):
            yield path, set(route.methods)


def filled(path: str, values: dict[str, list[str]]) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    out = []
    for combo in itertools.product(*(values[n] for n in names)):
        url = path
        for name, value in zip(names, combo, strict=True):
            url = url.replace("{" + name + "}", value)
        out.append(url)
    return out


# -- authentication ----------------------------------------------------------------------------------------


def test_every_api_route_refuses_requests_without_authentication(site: Site, anonymous: TestClient) -> None:
    routes = app_routes(anonymous.app.routes)  # type: ignore[attr-defined]
    api_routes = [r for r in routes if isinstance(r, APIRoute) and r.path.startswith("/api/")]
    assert len(api_routes) >= 20  # every route of web/api.py, the OpenAPI document included
    for route in api_routes:
        for url in filled(route.path, path_values(site)):
            for method in route.methods or ():
                answer = anonymous.request(method, url, follow_redirects=False)
                assert answer.status_code == 401, (method, url)
                assert answer.headers["www-authenticate"] == "Bearer"
                answer = anonymous.request(method, url, headers={"Authorization": "Bearer npw_forged"})
                assert answer.status_code == 401, (method, url)


def test_every_page_but_login_sends_a_stranger_to_the_login_form(site: Site, anonymous: TestClient) -> None:
    for path, methods in get_routes(anonymous):
        if path.startswith("/api/") or path == "/login":
            continue
        for url in filled(path, path_values(site)):
            for method in methods:
                answer = anonymous.request(method, url, follow_redirects=False)
                assert answer.status_code in (303, 401, 422), (method, url)
                if answer.status_code == 303:
                    assert answer.headers["location"].startswith("/login?next=")


def test_an_api_token_authenticates_and_is_kept_hashed(site: Site, clients: dict[str, TestClient]) -> None:
    admin = clients["admin1"]
    made = admin.post("/api/users/alice/token", headers={"X-CSRF-Token": csrf_of(admin)}).json()
    token = made["token"]
    assert token.startswith("npw_") and len(token) > 40
    assert token.encode() not in (site.data / "users.sqlite3").read_bytes()
    bare = TestClient(admin.app, base_url="https://testserver")
    me = bare.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["name"] == "alice" and me["via"] == "token" and "triage" in me["permissions"]
    # a token carries no ambient credential: its writes need no CSRF token
    note = {"action": "note", "note": "checked by script"}
    answer = bare.post(f"/api/signals/{site.signal_id}/triage", json=note, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.json()["audit"][-1]["via"] == "api"


@pytest.mark.parametrize(("user", "url", "status"), [
    ("rhea", "/api/signals", 403), ("rhea", "/signals", 403), ("rhea", "/api/watchlists", 403),
    ("rhea", "/api/sources", 403), ("alice", "/api/users", 403), ("alice", "/api/signals/export", 403),
    ("erin", "/api/signals/export", 200), ("erin", "/api/users", 403), ("admin1", "/api/users", 200),
    ("alice", "/api/signals", 200), ("rhea", "/api/search", 200),
])  # fmt: skip
def test_roles_open_what_they_should_and_nothing_else(clients: dict[str, TestClient], user: str, url: str,
                                                      status: int) -> None:  # fmt: skip
    assert clients[user].get(url).status_code == status


def test_researchers_never_see_evidence(site: Site, clients: dict[str, TestClient]) -> None:
    record = quote(site.hostile_record, safe="")
    for url in (f"/evidence/{record}", f"/api/evidence/{record}/page", f"/api/evidence/{record}/warc"):
        assert clients["rhea"].get(url).status_code == 403


# -- hostile content ---------------------------------------------------------------------------------------


def assert_inert(html: str, where: str, frame: bool = False) -> None:
    """No markup of the crawled content is live: no script, handler, frame, style or URL that could run or load
    (the evidence frame keeps the archived page's inline styles, without any ``url()``)."""
    root = lxml.html.document_fromstring(html)
    assert not root.xpath("//script | //object | //embed | //base | //meta[@http-equiv]"), where
    assert not root.xpath("//style") or (frame and "url(" not in html and "@import" not in html), where
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, element.tag, name)
            if name in ("href", "src", "action", "formaction", "srcset"):
                assert value.startswith(("/", "#", "?", "data:image/")) or value == "data:,", (where, value)
                assert not value.startswith("//"), (where, value)
        if element.tag == "iframe":
            assert element.attrib.get("sandbox") == "" and element.attrib["src"].startswith("/api/evidence/"), where
    assert "{{7*7}}${7*7}" in root.text_content() or "7*7" not in html, where  # template syntax stays text


def test_hostile_content_is_inert_in_every_view(site: Site, clients: dict[str, TestClient]) -> None:
    admin = clients["admin1"]
    made = admin.post("/watchlists", data={"name": f"watch {VENDOR}", "kind": "substance", "value": "3-MMC",
                                           "csrf": csrf_of(admin)}, follow_redirects=False)  # fmt: skip
    watch_id = int(made.headers["location"].rsplit("/", 1)[1])
    admin.post(f"/signals/{site.signal_id}/triage", data={"action": "note", "note": VENDOR + " <script>x</script>",
                                                         "csrf": csrf_of(admin)})  # fmt: skip
    pages = 0
    for path, methods in get_routes(admin):
        if "GET" not in methods or path in ("/logout", "/api/openapi.json") or path.endswith(("/warc", "/export")):
            continue
        for url in filled(path, path_values(site, watch_id)):
            for extra in ("", "?q=" + quote('<script>alert("q")</script>')):
                answer = admin.get(url + extra)
                if answer.status_code >= 400 and path.startswith("/api/"):
                    continue
                kind = answer.headers["content-type"]
                if kind.startswith("application/json"):
                    continue  # JSON is data: never rendered by the browser as a page (nosniff)
                assert kind.startswith("text/html"), (url, kind)
                assert_inert(answer.text, url + extra, frame=path.endswith("/page"))
                pages += 1
    assert pages >= 20


def test_the_archived_page_is_served_inert_with_a_strict_policy(site: Site, clients: dict[str, TestClient]) -> None:
    answer = clients["alice"].get(f"/api/evidence/{quote(site.hostile_record, safe='')}/page")
    assert answer.headers["content-security-policy"] == FRAME_CSP
    assert "default-src 'none'" in FRAME_CSP and "sandbox" in FRAME_CSP and "script-src" not in FRAME_CSP
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert_inert(answer.text, "frame", frame=True)
    root = lxml.html.document_fromstring(answer.text)
    assert not root.xpath("//iframe | //form[@action] | //link | //a[@href]")
    assert "evil.example/" not in " ".join(root.xpath("//@*"))
    assert "url(" not in answer.text and "@import" not in answer.text
    assert [img.attrib.get("src", "")[:22] for img in root.iter("img")] == ["", "data:image/png;base64,"]
    assert root.get_element_by_id("archived-title").text_content().startswith("3-MMC crystals 10g")


def test_the_evidence_page_frames_it_sandboxed_and_shows_capture_time_and_id(
    site: Site, clients: dict[str, TestClient]
) -> None:
    page = clients["alice"].get(f"/evidence/{quote(site.hostile_record, safe='')}")
    root = lxml.html.document_fromstring(page.text)
    [frame] = root.iter("iframe")
    assert frame.attrib["sandbox"] == "" and frame.attrib["referrerpolicy"] == "no-referrer"
    assert root.get_element_by_id("record-id").text_content() == site.hostile_record
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", root.get_element_by_id("captured-at").text_content())
    assert any(link["url"].endswith("id=2") for link in clients["alice"].get(
        f"/api/evidence/{quote(site.hostile_record, safe='')}").json()["links"])  # fmt: skip


def test_security_headers_on_every_page(clients: dict[str, TestClient]) -> None:
    answer = clients["alice"].get("/search")
    assert answer.headers["content-security-policy"] == PAGE_CSP and "script-src 'none'" in PAGE_CSP
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store" and answer.headers["referrer-policy"] == "same-origin"


# -- bad input -----------------------------------------------------------------------------------------------

BAD = [
    "/documents/no-such-document", "/documents/" + "x" * 300, "/api/documents/nope", "/substances/---",
    "/substances/nothing-mentions-this", "/api/substances/" + "y" * 300, "/signals/ffffffff", "/signals/x",
    "/api/signals/" + "z" * 100, "/watchlists/999", "/watchlists/abc", "/api/watchlists/-1",
    "/evidence/" + quote("<urn:uuid:00000000-0000-0000-0000-000000000000>", safe=""), "/evidence/not-an-id",
    "/api/evidence/%3Cscript%3E", "/search?q=" + "a" * 600, "/search?page=0", "/search?page=abc",
    "/search?page=9999", "/search?size=1000", "/search?from=yesterday", "/search?to=2026-13-01",
    "/search?f=password:x", "/search?f=nocolon", "/search?sort=cheapest", "/search?kind=person",
    "/api/search?" + "&".join(["source=a"] * 30), "/signals?state=bogus", "/signals?severity=urgent",
    "/api/search?q=" + "b" * 5000, "/nowhere", "/api/nowhere",
]  # fmt: skip


@pytest.mark.parametrize("url", BAD)
def test_bad_input_gives_a_4xx_page_never_a_traceback(clients: dict[str, TestClient], url: str) -> None:
    answer = clients["alice"].get(url)
    assert 400 <= answer.status_code < 500, (url, answer.status_code)
    assert "Traceback" not in answer.text and "File \"" not in answer.text
    if url.startswith("/api/"):
        assert "detail" in answer.json()
    else:
        assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("text", ['"unbalanced', "NEAR(a b)", "* OR -", "col:umn", "\x00\x01", "((((", "💊 3‑mmc"])
def test_query_syntax_of_any_kind_is_searched_not_failed(clients: dict[str, TestClient], text: str) -> None:
    assert clients["alice"].get("/search", params={"q": text}).status_code == 200


@pytest.mark.parametrize(("data", "status"), [
    ({"action": "dismiss"}, 400), ({"action": "explode"}, 400), ({"action": "assign", "assignee": "nobody-here"}, 400),
    ({"action": "note", "note": "x" * 5000}, 422),
])  # fmt: skip
def test_bad_triage_is_refused(site: Site, clients: dict[str, TestClient], data: dict[str, str], status: int) -> None:
    alice = clients["alice"]
    answer = alice.post(f"/signals/{site.signal_id}/triage", data={**data, "csrf": csrf_of(alice)})
    assert answer.status_code == status and "Traceback" not in answer.text


# -- researchers ---------------------------------------------------------------------------------------------


def test_researchers_never_receive_a_real_name_on_any_route(site: Site, clients: dict[str, TestClient],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("NPSWATCH_PSEUDONYM_KEY", "5f0c1e9a7b3d42e8a6c4f1b2d9e07a3c8b5d6e1f2a4c7b9e0d3f6a8c1e2b4d7f")
    rhea = clients["rhea"]
    seen = 0
    for path, methods in get_routes(rhea):
        if "GET" not in methods or path == "/logout":
            continue
        for url in filled(path, path_values(site)):
            for extra in ("", "?q=3-mmc", f"?q={quote(VENDOR)}", "?f=vendor:" + quote(VENDOR), "?kind=vendor"):
                answer = rhea.get(url + extra)
                body = answer.content.decode("utf-8", errors="replace")
                assert not any(n in body for n in NAMES), (url + extra, answer.status_code)
                seen += answer.status_code == 200
    assert seen >= 15
    hits = rhea.get("/api/search", params={"q": "3-mmc"}).json()
    assert hits["total"] >= 2 and any(h.get("vendor", "").startswith("vendor-") for h in hits["hits"])
    assert "vendor" not in hits["facets"] and "author" not in hits["facets"]
    post = rhea.get(f"/api/documents/{site.post_id}").json()["document"]
    assert post["author"].startswith("user-") and "vendor-" in post["text"]
    corpus = rhea.get("/api/export", params={"q": "3-mmc"})
    assert corpus.status_code == 200 and corpus.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(corpus.content)) as dataset:
        files = {name: dataset.read(name).decode("utf-8") for name in dataset.namelist() if not name.endswith("/")}
    rows = [line for name, text in files.items() if name.endswith(".jsonl") for line in text.splitlines()]
    assert "corpus/README.md" in files and "corpus/manifest.json" in files and len(rows) >= 2
    assert not any(n in text for n in NAMES for text in files.values())


# -- sessions, CSRF, login -----------------------------------------------------------------------------------


def test_the_session_cookie_is_secure_httponly_strict(site: Site) -> None:
    for secure, name in ((True, "__Host-npswatch"), (False, "npswatch_session")):
        with TestClient(create_app(config_of(site, secure)), base_url="https://testserver") as client:
            form = client.get("/login")
            csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            answer = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": csrf},
                                 follow_redirects=False)  # fmt: skip
            cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(name))
            flags = {part.strip().lower() for part in cookie.split(";")}
            assert {"httponly", "samesite=strict", "path=/"} <= flags
            assert ("secure" in flags) is secure


def test_writes_need_the_session_csrf_token_and_this_origin(site: Site, clients: dict[str, TestClient]) -> None:
    alice = clients["alice"]
    url, note = f"/signals/{site.signal_id}/triage", {"action": "note", "note": "csrf test"}
    assert alice.post(url, data=note).status_code == 403
    assert alice.post(url, data={**note, "csrf": "forged"}).status_code == 403
    token = csrf_of(alice)
    evil = alice.post(url, data={**note, "csrf": token}, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403
    assert alice.post(url, data={**note, "csrf": token}, headers={"Origin": "null"}).status_code == 403
    assert alice.post(f"/api{url}", json=note).status_code == 403
    assert alice.post(f"/api{url}", json=note, headers={"X-CSRF-Token": token}).status_code == 200
    assert alice.post(url, data={**note, "csrf": token}, follow_redirects=False).status_code == 303


def test_login_is_rate_limited_per_user(site: Site) -> None:
    with TestClient(create_app(config_of(site)), base_url="https://testserver") as client:
        for _ in range(5):
            form = client.get("/login")
            csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            bad = client.post("/login", data={"name": "erin", "password": "wrong password!", "csrf": csrf})
            assert bad.status_code == 401 and "Wrong name or password" in bad.text
        right = client.post("/login", data={"name": "erin", "password": PASSWORD, "csrf": csrf},
                            follow_redirects=False)  # fmt: skip
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 0
        assert "__Host-npswatch" not in right.headers.get("set-cookie", "")


def test_login_needs_its_form_token_and_never_redirects_off_site(site: Site) -> None:
    with TestClient(create_app(config_of(site)), base_url="https://testserver") as client:
        assert client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": "x"}).status_code == 403
        form = client.get("/login")
        csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        for target in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
            answer = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": csrf,
                                                 "next": target}, follow_redirects=False)  # fmt: skip
            assert answer.headers["location"] == "/"
            client.cookies.set("npswatch_login", csrf, path="/login")


def test_logout_ends_the_session_on_the_server(site: Site) -> None:
    with TestClient(create_app(config_of(site)), base_url="https://testserver") as client:
        login(client, "alice")
        stolen = dict(client.cookies)
        assert client.get("/search").status_code == 200
        token = csrf_of(client)
        assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
        replay = TestClient(client.app, base_url="https://testserver", cookies=stolen)
        assert replay.get("/search", follow_redirects=False).status_code == 303

