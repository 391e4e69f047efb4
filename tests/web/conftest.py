"""The workbench under test: one data dir (tests/web/site.py) per module, a FastAPI TestClient per user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.site import PASSWORD, Site, build
from web.app import create_app
from web.config import WebConfig


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return build(tmp_path_factory.mktemp("workbench"))


def config_of(site: Site, secure: bool = True) -> WebConfig:
    return WebConfig(db=str(site.db), data=site.data, users_db=site.data / "users.sqlite3", secure_cookies=secure)


@pytest.fixture(scope="module")
def app(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(config_of(site)), base_url="https://testserver") as client:
        yield client


def login(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    """Log ``client`` in through the login form; returns it (its cookie jar holds the session)."""
    form = client.get("/login")
    csrf = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"name": name, "password": password, "csrf": csrf, "next": "/"},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture(scope="module")
def clients(site: Site) -> Iterator[dict[str, TestClient]]:
    """One logged-in client per user of tests/web/site.py."""
    from tests.web.site import USERS

    opened: dict[str, TestClient] = {}
    for name in USERS:
        client = TestClient(create_app(config_of(site)), base_url="https://testserver")
        client.__enter__()
        opened[name] = login(client, name)
    yield opened
    for client in opened.values():
        client.__exit__(None, None, None)


def csrf_of(client: TestClient, page: str = "/search") -> str:
    text = client.get(page).text
    return text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def anonymous(app: TestClient) -> TestClient:
    app.cookies.clear()
    return app


def data_dir(site: Site) -> Path:
    return site.data
