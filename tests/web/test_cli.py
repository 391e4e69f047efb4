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
from web.accounts import Accounts


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
