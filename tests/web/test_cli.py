"""`npswatch users ...` and `npswatch serve`: accounts from the terminal, the server on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from storage.sqlite import SqliteStorage
from web.accounts import Accounts

pytestmark = pytest.mark.slow  # serve and demo in their own processes


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NPSWATCH_USERS_DB", raising=False)
    return tmp_path


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_users_add_list_token_remove(data: Path) -> None:
    assert invoke("users", "add", "alice", "--role", "analyst", stdin="a long passphrase here\n")[0] == 0
    code, _, err = invoke("users", "add", "alice", "--role", "analyst", stdin="a long passphrase here\n")
    assert code == 2 and "exists already" in err
    code, _, err = invoke("users", "add", "bob", "--role", "ews", stdin="short\n")
    assert code == 2 and "at least 12 characters" in err
    assert invoke("users", "add", "bob", "--role", "boss", stdin="a long passphrase here\n")[0] == 2
    code, token, _ = invoke("users", "token", "alice", "--label", "scripts")
    assert code == 0 and token.startswith("npw_")
    accounts = Accounts(data / "users.sqlite3")
    user = accounts.token_user(token.strip())
    assert user is not None and user.name == "alice"
    assert accounts.verify("alice", "a long passphrase here") is not None
    code, out, _ = invoke("users", "list")
    assert code == 0 and "alice\tanalyst" in out and "tokens 1" in out
    assert invoke("users", "remove", "alice")[0] == 0
    assert accounts.token_user(token.strip()) is None and invoke("users", "remove", "alice")[0] == 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_listens_on_loopback_and_answers(data: Path) -> None:
    SqliteStorage(data / "npswatch.sqlite3").close()  # serve reads a store: one that is not there is refused
    port = free_port()
    env = {**os.environ, "NPSWATCH_DATA_DIR": str(data)}
    server = subprocess.Popen([sys.executable, "-m", "npswatch.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as answer:
                    page, headers = answer.read().decode(), answer.headers
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)
        assert "Log in" in page and headers["X-Frame-Options"] == "DENY" and "server" not in headers
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search", timeout=5)
        assert refused.value.code == 401
        refused.value.close()
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"http://127.0.0.1:{port}/" in output


def test_the_demo_ends_with_how_to_open_the_workbench(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from web.demo import print_workbench

    monkeypatch.delenv("NPSWATCH_DEMO_PASSWORD", raising=False)
    printed = Console(record=True, width=400)
    password = print_workbench(str(data / "npswatch.sqlite3"), printed)
    text = printed.export_text()
    assert "npswatch serve" in text and "log in as demo" in text and f"password {password}" in text
    accounts = Accounts(data / "users.sqlite3")
    user = accounts.user("demo")
    assert accounts.verify("demo", password) is not None and user is not None and user.role == "analyst"
    monkeypatch.setenv("NPSWATCH_DEMO_PASSWORD", "the demo's own passphrase")
    again = Console(record=True, width=400)
    print_workbench(str(data / "npswatch.sqlite3"), again)
    assert "NPSWATCH_DEMO_PASSWORD" in again.export_text() and "the demo's own" not in again.export_text()
    assert accounts.verify("demo", "the demo's own passphrase") is not None
    assert accounts.verify("demo", password) is None
