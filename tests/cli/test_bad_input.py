"""Every command of ``npswatch``, driven with bad input (numbers out of range, unknown names, a missing or
unwritable path, a directory where a file is expected, a store that is not there): each answers with one error
line and exit 2 (1 for an operation that failed), never a traceback.

The commands are enumerated from click's group, so a new command without cases here fails
``test_every_command_has_bad_input_cases``.  Before, ``search --offset 99999999999999999999999`` (OverflowError),
``demo-sites --site nosuch`` (ValueError), ``crawl --json-report /nonexistent/x.json`` (FileNotFoundError after the
whole crawl), ``crawl --log-level NOPE``, ``show --db nosuch://x``, ``tor newnym`` without Tor, ``index replay``
of a file that is not UTF-8 and ``users list`` over an unusable accounts file all ended in a traceback.

Commands that would run until stopped, or run Scrapy's reactor (which cannot restart in a process), are run in a
process of their own with a timeout; the others through click's runner.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from npswatch.cli import main
from storage.sqlite import SqliteStorage
from tests.storage.documents import listing

ROOT = Path(__file__).resolve().parents[2]
HUGE = "99999999999999999999999"
KEY = "5b0e1c7f3a9d2e8b6c4f1a0d9e8c7b6a5f4e3d2c1b0a99887766554433221100"
OWN_PROCESS = ("crawl", "schedule", "demo-sites", "demo", "serve")  # long-running, or Scrapy's reactor


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    code: int  # 2: bad input, 1: an operation that failed
    says: str  # part of the one error line
    env: dict[str, str] = field(default_factory=dict)
    stdin: str | None = None


def case(*args: str, code: int = 2, says: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Case:
    return Case(args, code, says, env or {}, stdin)


NO_SIGNAL = "no signal with id '123456'"
SERIES = ("--series", "{series}", "--method", "ears-c1")
CASES: dict[str, list[Case]] = {
    "sources list": [case(says="no such directory", env={"NPSWATCH_SOURCES_DIR": "{missing}"})],
    "sources validate": [case("{dir}", says="1 problem(s)"), case("{missing}", says="1 problem(s)")],
    "crawl": [
        case("nosuch", says="no source called 'nosuch'"),
        case("{source}", "--log-level", "NOPE", says="'NOPE' is not one of"),
        case("{source}", "--db", "nosuch://x", says="unknown storage scheme 'nosuch'"),
        case("{source}", "--db", "{dir}", says="is a directory; expected the path of an SQLite database file"),
        case("{source}", "--json-report", "/nonexistent/x.json", says="the directory /nonexistent does not exist"),
        case("{source}", "--json-report", "{file}", says="the file exists; choose another path or pass --force"),
        case("{source}", "--json-report", "{store}", "--force", says="refusing to write over"),
        case("{source}", "--as-of", "2026-13-45", says="expected a date as YYYY-MM-DD"),
    ],
    "schedule": [
        case("--log-level", "NOPE", says="'NOPE' is not one of"),
        case("--db", "nosuch://x", says="unknown storage scheme 'nosuch'"),
        case("--as-of", "someday", says="expected a date as YYYY-MM-DD"),
    ],
    "status": [
        case("--db", "{dir}", says="is a directory"),
        case("--db", "nosuch://x", says="unknown storage scheme 'nosuch'"),
    ],
    "tor status": [
        case(code=1, says="not ready", env={"NPSWATCH_TOR_CONTROL_PORTS": "{closed}"}),
        case(says="expected comma-separated port numbers", env={"NPSWATCH_TOR_SOCKS_PORTS": "ninety"}),
    ],
    "tor newnym": [
        case(code=1, says="Tor is not running or not reachable", env={"NPSWATCH_TOR_CONTROL_PORTS": "{closed}"}),
        case(says="expected comma-separated port numbers", env={"NPSWATCH_TOR_CONTROL_PORTS": "ninety"}),
    ],
    "search": [
        case("*", "--offset", HUGE, says="is not in the range 0<=x<=1000000000"),
        case("*", "--limit", HUGE, says="is not in the range 0<=x<=10000"),
        case("*", "--db", "{missing}", says="no store there"),
        case("*", "--db", "{dir}", says="is a directory"),
        case("*", "--from", "2026-13-45", says="expected a date as YYYY-MM-DD"),
        case("*", "--facet", "nosuch", says="unknown keyword field 'nosuch'"),
        case("*", "--filter", "nosuch", says="expected FIELD=VALUE"),
    ],
    "show": [
        case("abc", code=1, says="no document with id abc"),
        case("abc", "--db", "{missing}", says="no store there"),
        case("abc", "--db", "nosuch://x", says="unknown storage scheme 'nosuch'"),
    ],
    "trend": [
        case("--by", "nosuch", says="unknown trend field 'nosuch'"),
        case("--db", "{missing}", says="no store there"),
        case("--interval", "year", says="'year' is not one of"),
    ],
    "export": [
        case("--out", "{store}", "--force", says="refusing to write over"),
        case("--out", "{file}", says="the file exists; choose another path or pass --force"),
        case("--out", "{file}/corpus", says="is not a directory"),
        case("--out", "{tmp}/corpus", "--db", "{missing}", says="no store there"),
        case("--out", "{tmp}/corpus", says="NPSWATCH_PSEUDONYM_KEY", env={"NPSWATCH_PSEUDONYM_KEY": "short"}),
    ],
    "extract": [
        case("--in", "{missing}", says="does not exist"),
        case("--in", "{file}", "--out", "{file}", "--force", says="refusing to write over"),
        case("--out", "{dir}", says="is a directory"),
        case("--out", "{missing}", says="does not exist; expected an existing directory"),
        case("--rates", "{file}", says="expected columns"),
    ],
    "rates update": [
        case("--out", "{store}", "--force", says="refusing to write over"),
        case("--ecb-url", "nosuch", says="expected an http(s) URL, found 'nosuch'"),
        case("--out", "{dir}", says="is a directory"),
    ],
    "demo-sites": [
        case("--site", "nosuch", says="unknown demo site(s) nosuch"),
        case("--host", "999.1.1.1", says="expected an address of this machine"),
    ],
    "demo": [
        case("--db", "nosuch://x", says="unknown storage scheme 'nosuch'"),
        case("--db", "{dir}", says="is a directory"),
        case("--days", "0", says="is not in the range 1<=x<=365"),
        case("--step", HUGE, says="is not in the range 1<=x<=30"),
    ],
    "index migrate": [
        case("--db", "{store}", says="is not a cluster target"),
        case("--db", "elasticsearch+http://127.0.0.1:{closed}", code=1, says="cannot reach the search cluster"),
    ],
    "index reindex": [
        case("--from", "{missing}", says="no store there"),
        case("--from", "nosuch://x", says="unknown storage scheme 'nosuch'"),
        case("--from", "{store}", "--db", "{dir}", says="is a directory"),
    ],
    "index stats": [case("--db", "{missing}", says="no store there"), case("--db", "{dir}", says="is a directory")],
    "index replay": [
        case("{missing}", says="does not exist"),
        case("{store}", says="not a dead-letter file"),
        case("{dir}", says="is a directory"),
        case("{binary}", code=1, says="unreadable 1"),
        case("--db", "{dir}", says="is a directory"),
    ],
    "signals run": [
        case("--as-of", "yesterday", says="expected a date as YYYY-MM-DD"),
        case("--db", "{missing}", says="no store there"),
        case("--config", "{file}", says="a-file:1: expected a mapping of fields at the top"),
        case("--config", "{binary}", says="cannot read"),
        case("--config", "{missing}", says="No such file or directory"),
    ],
    "signals explain": [
        case("123456", says=NO_SIGNAL),
        case("123456", "--db", "{missing}", says="no store there"),
        case("123456", "--config", "{file}", says="expected a mapping of fields at the top"),
    ],
    "signals list": [
        case("--db", "{missing}", says="no store there"),
        case("--db", "nosuch://x", says="unknown storage scheme 'nosuch'"),
    ],
    "signals show": [case("123456", says=NO_SIGNAL), case("123456", "--db", "{missing}", says="no store there")],
    "signals ack": [case("123456", says=NO_SIGNAL)],
    "signals dismiss": [case("123456", "--reason", "r", says=NO_SIGNAL), case("123456", says="Missing option")],
    "signals reopen": [case("123456", "--reason", "r", says=NO_SIGNAL)],
    "signals assign": [case("123456", "alice", says=NO_SIGNAL)],
    "signals note": [case("123456", "a note", says=NO_SIGNAL)],
    "signals export": [
        case("--format", "misp", says="give --out FILE, --push URL, or both"),
        case("--format", "misp", "--out", "{store}", "--force", says="refusing to write over"),
        case("--format", "misp", "--out", "{file}/x.json", says="is not a directory"),
        case("--format", "misp", "--push", "http://127.0.0.1:{closed}/", says="NPSWATCH_MISP_KEY is not set"),
        case("--format", "misp", "--retries", HUGE, "--out", "{tmp}/x.json", says="is not in the range 0<=x<=20"),
    ],
    "signals backtest": [
        case("--series", "{missing}", "--method", "ears-c1", "--out", "{tmp}/o.csv", says="cannot read"),
        case("--series", "{series}", "--method", "nosuch", "--out", "{tmp}/o.csv", says="nosuch"),
        case(*SERIES, "--param", "x", "--out", "{tmp}/o.csv", says="KEY=VALUE"),
        case(*SERIES, "--out", "{series}", "--force", says="refusing to write over"),
        case(*SERIES, "--out", "{file}", says="pass --force"),
    ],
    "serve": [
        case("--db", "{missing}", says="no store there"),
        case("--port", HUGE, says="is not in the range 1<=x<=65535"),
        case("--host", "999.1.1.1", says="expected an address of this machine"),
        case(says="cannot use the accounts file", env={"NPSWATCH_USERS_DB": "{dir}"}),
    ],
    "users add": [
        case("bob", "--role", "analyst", stdin="short\n", says="expected at least 12 characters"),
        case("bob", "--role", "king", says="'king' is not one of"),
        case(
            "bob",
            "--role",
            "analyst",
            stdin="long enough pass\n",
            says="cannot use the accounts file",
            env={"NPSWATCH_USERS_DB": "{dir}"},
        ),
    ],
    "users token": [case("nosuch", says="no user 'nosuch'")],
    "users list": [case(says="cannot use the accounts file", env={"NPSWATCH_USERS_DB": "{dir}"})],
    "users remove": [case("nosuch", says="no user 'nosuch'")],
}


def leaf_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    """The name of every command that runs something (``index stats``, ``search``, ...)."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name))


def test_every_command_has_bad_input_cases() -> None:
    assert sorted(CASES) == sorted(leaf_commands())


@pytest.fixture
def where(tmp_path: Path) -> dict[str, str]:
    """The paths the cases name: a store with a document, a directory, a file, a missing path, a series, a source
    file whose site is down, a file that is not UTF-8, a closed port."""
    import socket

    data = tmp_path / "var"
    with SqliteStorage(data / "npswatch.sqlite3") as store:
        store.write([listing("1")])
    (tmp_path / "a-dir").mkdir()
    (tmp_path / "a-file").write_text("x\n", encoding="utf-8")
    (tmp_path / "series.csv").write_text("t,observed\n1,0\n2,1\n3,0\n", encoding="utf-8")
    (tmp_path / "binary.jsonl").write_bytes(b"\x8e\xff\n")
    source = (ROOT / "crawlers" / "sources" / "nova_market.yml").read_text(encoding="utf-8")
    (tmp_path / "down_market.yml").write_text(source.replace("name: nova_market", "name: down_market"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = str(probe.getsockname()[1])
    return {"tmp": str(tmp_path), "store": str(data / "npswatch.sqlite3"), "dir": str(tmp_path / "a-dir"),
            "file": str(tmp_path / "a-file"), "missing": str(tmp_path / "missing" / "x"),
            "series": str(tmp_path / "series.csv"), "binary": str(tmp_path / "binary.jsonl"),
            "source": str(tmp_path / "down_market.yml"), "closed": closed, "data": str(data)}  # fmt: skip


def environment(where: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    env = {"NPSWATCH_DATA_DIR": where["data"], "NPSWATCH_DB": where["store"], "NPSWATCH_PSEUDONYM_KEY": KEY,
           "NPSWATCH_DEMO_NOVA_MARKET_URL": f"http://127.0.0.1:{where['closed']}", "NPSWATCH_ENRICH": "0",
           "NPSWATCH_TOR_CONTROL_PORTS": where["closed"], "NPSWATCH_TOR_SOCKS_PORTS": where["closed"]}  # fmt: skip
    return {**env, **{name: value.format(**where) for name, value in extra.items()}}


ALL = [(command, n, c) for command, cases in CASES.items() for n, c in enumerate(cases)]


@pytest.mark.parametrize(
    ("command", "case_"),
    [pytest.param(command, c, marks=[pytest.mark.slow] if command.split()[0] in OWN_PROCESS else [],
                  id=f"{command}-{n}") for command, n, c in ALL],
)  # fmt: skip
def test_bad_input_is_one_error_line_never_a_traceback(command: str, case_: Case, where: dict[str, str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    for name in ("NPSWATCH_SIGNALS_DB", "NPSWATCH_ALERTS_CONFIG", "NPSWATCH_SOURCES_DIR", "NPSWATCH_USERS_DB",
                 "NPSWATCH_MISP_KEY", "NPSWATCH_RATES_FILE", "NPSWATCH_DEMO_FAULTS"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    args = [*command.split(), *(a.format(**where) for a in case_.args)]
    env = environment(where, case_.env)
    if command.split()[0] in OWN_PROCESS:
        done = subprocess.run([sys.executable, "-m", "npswatch.cli", *args], env={**os.environ, **env}, cwd=ROOT,
                              capture_output=True, text=True, input=case_.stdin, timeout=90)  # fmt: skip
        code, output = done.returncode, done.stdout + done.stderr
    else:
        result = CliRunner().invoke(main, args, env=env, input=case_.stdin)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        code, output = result.exit_code, result.output
    assert "Traceback" not in output, output
    assert (code, case_.says in output) == (case_.code, True), output
    said = [line for line in output.splitlines() if case_.says in line]
    assert len(said) == 1, output  # one line says it
