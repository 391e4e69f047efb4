"""Commands that write a file never write over one of their inputs, the store or an existing file without --force
(``storage.outputs.check_target``), and say so in one line, exit 2, before any work.

Before: ``npswatch extract --in F --out F`` emptied F and exited 0; ``signals export --out``, ``signals backtest
--out`` and ``rates update --out`` replaced the store when pointed at it; ``crawl --json-report`` wrote over any file
and found a missing directory only after the crawl (a traceback).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from storage.deadletter import append, dead_letter_line
from storage.sqlite import SqliteStorage
from tests.crawlers.test_crawl_scope import SOURCE, listing
from tests.httpsite import Route, Site, serve
from tests.nlp.test_rates_update import ecb_zip
from tests.storage.documents import listing as listing_doc

ROOT = Path(__file__).resolve().parents[2]
LINE = json.dumps({"id": "a", "text": "Pure 3-MMC 10g - €45"}) + "\n"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir and a store with one document in it (its path); no other store or rates table around."""
    for name in ("NPSWATCH_SIGNALS_DB", "NPSWATCH_ALERTS_CONFIG", "NPSWATCH_RATES_FILE", "NPSWATCH_SOURCES_DIR"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "var" / "npswatch.sqlite3"
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(db.parent))
    monkeypatch.setenv("NPSWATCH_DB", str(db))
    with SqliteStorage(db) as store:
        store.write([listing_doc("1")])
    return db


@pytest.fixture
def ecb() -> Iterator[Site]:
    """A local stand-in for the ECB's rates file."""
    with serve({"/eurofxref-hist.zip": Route(ecb_zip())}) as site:
        yield site


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["same path", "symbolic link", "hard link"])
def test_extract_refuses_to_write_over_its_input(name: str, tmp_path: Path, env: Path) -> None:
    infile = tmp_path / "in.jsonl"
    infile.write_text(LINE, encoding="utf-8")
    outfile = {"same path": infile, "symbolic link": tmp_path / "soft.jsonl", "hard link": tmp_path / "hard.jsonl"}
    if name == "symbolic link":
        outfile[name].symlink_to(infile)
    elif name == "hard link":
        outfile[name].hardlink_to(infile)
    code, output = run("extract", "--in", str(infile), "--out", str(outfile[name]), "--force")
    assert code == 2 and f"refusing to write over {infile}" in output
    assert len(output.strip().splitlines()) == 1, output
    assert infile.read_text(encoding="utf-8") == LINE  # before: emptied, exit 0
    assert os.stat(outfile[name]).st_ino == os.stat(infile).st_ino  # the link is left as it was


@pytest.mark.slow  # loads the extraction pipeline: seconds
def test_extract_replaces_an_existing_output_only_with_force(tmp_path: Path, env: Path) -> None:
    infile, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    infile.write_text(LINE, encoding="utf-8")
    out.write_text("kept\n", encoding="utf-8")
    code, output = run("extract", "--in", str(infile), "--out", str(out))
    assert code == 2 and "exists; choose another path or pass --force" in output
    assert out.read_text(encoding="utf-8") == "kept\n"
    code, output = run("extract", "--in", str(infile), "--out", str(out), "--force")
    assert code == 0, output
    assert json.loads(out.read_text(encoding="utf-8"))["substances"][0]["canonical"] == "3-MMC"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl", "var"]  # no staging file left


def _commands(db: Path, tmp_path: Path, ecb: Site) -> dict[str, list[str]]:
    series = tmp_path / "series.csv"
    series.write_text("t,observed\n1,0\n2,1\n", encoding="utf-8")
    infile = tmp_path / "in.jsonl"
    infile.write_text(LINE, encoding="utf-8")
    return {
        "extract": ["extract", "--in", str(infile), "--out", str(db), "--force"],
        "export": ["export", "--out", str(db), "--force", "--db", str(db)],
        "signals export": ["signals", "export", "--format", "misp", "--out", str(db), "--force", "--db", str(db)],
        "signals backtest": ["signals", "backtest", "--series", str(series), "--method", "ears-c1", "--out", str(db),
                             "--force"],
        "rates update": ["rates", "update", "--out", str(db), "--force", "--ecb-url", f"{ecb.url}/eurofxref-hist.zip",
                         "--crypto-url", ""],
        "crawl --json-report": ["crawl", "nova_market", "--json-report", str(db), "--force", "--db", str(db)],
        "index replay": ["index", "replay", str(db), "--db", str(db)],
    }


@pytest.mark.parametrize("command", ["extract", "export", "signals export", "signals backtest", "rates update",
                                     "crawl --json-report", "index replay"])  # fmt: skip
def test_no_output_replaces_the_store_even_with_force(command: str, tmp_path: Path, env: Path, ecb: Site) -> None:
    before = digest(env)
    code, output = run(*_commands(env, tmp_path, ecb)[command])
    assert code == 2, output
    assert "refusing to write over" in output or "not a dead-letter file" in output
    assert len(output.strip().splitlines()) == 1, output
    assert digest(env) == before
    with SqliteStorage(env) as store:
        assert store.count() == 1


def test_the_signal_store_beside_the_store_is_protected_too(tmp_path: Path, env: Path) -> None:
    code, _ = run("signals", "list", "--db", str(env))  # makes the signal store beside the store
    kept = env.with_name("npswatch.signals.sqlite3")
    assert code == 0 and kept.exists()
    before = digest(kept)
    code, output = run("signals", "export", "--format", "misp", "--out", str(kept), "--force", "--db", str(env))
    assert code == 2 and "refusing to write over" in output
    assert digest(kept) == before


def test_backtest_replaces_an_existing_output_only_with_force_and_never_its_series(tmp_path: Path, env: Path) -> None:
    series, out = tmp_path / "series.csv", tmp_path / "out.csv"
    series.write_text("t,observed\n" + "".join(f"{t},{t % 3}\n" for t in range(1, 15)), encoding="utf-8")
    out.write_text("kept\n", encoding="utf-8")
    backtest = ["signals", "backtest", "--series", str(series), "--method", "ears-c1", "--out"]
    code, output = run(*backtest, str(out))
    assert code == 2 and "pass --force" in output and out.read_text() == "kept\n"
    code, output = run(*backtest, str(series), "--force")
    assert code == 2 and "refusing to write over" in output and series.read_text().startswith("t,observed\n1,1\n")
    code, output = run(*backtest, str(out), "--force")
    assert code == 0, output
    assert out.read_text().splitlines()[0] == "t,observed,upperbound,alarm"


def test_rates_update_updates_the_table_in_use_in_place_and_another_file_only_with_force(
    tmp_path: Path, env: Path, ecb: Site
) -> None:
    fetch = ["--ecb-url", f"{ecb.url}/eurofxref-hist.zip", "--crypto-url", ""]
    table = env.parent / "rates.csv"
    for _ in range(2):  # the table in use: written, then updated in place (its rows kept), no --force needed
        code, output = run("rates", "update", *fetch)
        assert code == 0, output
    assert table.read_text().count("USD") > 0 and stat.S_IMODE(table.stat().st_mode) == 0o600
    other = tmp_path / "other.csv"
    other.write_text("kept\n", encoding="utf-8")
    code, output = run("rates", "update", "--out", str(other), *fetch)
    assert code == 2 and "pass --force" in output and other.read_text() == "kept\n"
    code, output = run("rates", "update", "--out", str(other), "--force", *fetch)
    assert code == 0 and "USD" in other.read_text()


def test_index_replay_keeps_bytes_that_are_not_utf8_as_they_were(tmp_path: Path, env: Path) -> None:
    """A dead-letter file with a line that is not UTF-8 once raised UnicodeDecodeError (a traceback) and left the
    file claimed (``store.jsonl.replaying``) for good; now the line is kept, byte for byte, as unreadable."""
    path = tmp_path / "store.jsonl"
    append(path, [dead_letter_line(listing_doc("2"), "down", "store_unavailable")])
    with path.open("ab") as stream:
        stream.write(b"\x8e\xff not text\n")
    code, output = run("index", "replay", str(path), "--db", str(env))
    assert code == 1, output  # something was kept
    assert "1 written" in output and "unreadable 1" in output
    assert path.read_bytes() == b"\x8e\xff not text\n" and not path.with_name("store.jsonl.replaying").exists()


# --- crawl --json-report: checked before the crawl, in a process of its own (a crawl runs Scrapy's reactor) ---


def _crawl(tmp_path: Path, site: Site, report: Path, *args: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "hostile_market.yml"
    source.write_text(SOURCE.format(url=site.url), encoding="utf-8")
    report_arg = str(source) if report.name == "SOURCE" else str(report)
    env = {**os.environ, "NPSWATCH_DATA_DIR": str(tmp_path / "var")}
    cmd = [sys.executable, "-m", "npswatch.cli", "crawl", str(source), "--db", str(tmp_path / "db.sqlite3"),
           "--json-report", report_arg, *args]  # fmt: skip
    return subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.slow  # a crawl process per case
@pytest.mark.parametrize(
    ("report", "force", "message"),
    [
        ("missing-dir/report.json", False, "the directory {tmp}/missing-dir does not exist"),
        ("exists.json", False, "the file exists; choose another path or pass --force"),
        ("a-dir", True, "is a directory"),
        ("SOURCE", True, "refusing to write over {tmp}/hostile_market.yml"),
        ("file/report.json", False, "{tmp}/file is not a directory"),
    ],
    ids=["missing directory", "existing file", "a directory", "the source file", "under a file"],
)
def test_crawl_checks_its_json_report_before_crawling(tmp_path: Path, report: str, force: bool, message: str) -> None:
    (tmp_path / "exists.json").write_text("kept", encoding="utf-8")
    (tmp_path / "a-dir").mkdir()
    (tmp_path / "file").write_text("", encoding="utf-8")
    with serve({"/": Route("hello")}) as site:
        done = _crawl(tmp_path, site, tmp_path / report, *(["--force"] if force else []))
        requests = list(site.requests)
    assert done.returncode == 2, done.stderr
    assert message.format(tmp=tmp_path) in done.stderr and "Traceback" not in done.stderr
    assert requests == []  # checked before the crawl: nothing fetched (before, after the whole crawl)
    assert not (tmp_path / "db.sqlite3").exists()
    assert (tmp_path / "exists.json").read_text() == "kept"


@pytest.mark.slow
def test_crawl_replaces_its_json_report_with_force(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old", encoding="utf-8")
    with serve({"/": Route('<a href="/listing/1">1</a>'), "/listing/1": Route(listing("3-MMC", "€10"))}) as site:
        done = _crawl(tmp_path, site, report, "--force")
    assert done.returncode == 0, done.stderr
    [written] = json.loads(report.read_text(encoding="utf-8"))
    assert written["items"] == {"listing": 1} and stat.S_IMODE(report.stat().st_mode) == 0o600
