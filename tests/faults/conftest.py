"""The fault suite's tools: real crawl processes against the demo sites, and an account of every item.

What the demo site served comes from its own log (``DemoSites.served``): each page it answered is rendered again
(the sites are deterministic) and parsed with the source's parser, which gives the (document id, day) of every
item the crawl was shown.  What is held comes from the store's observations and from every dead-letter file.
Every item served is then stored, dead-lettered or lost, and the crawl's report must say exactly how many of each.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawlers.config import Source, load_source
from crawlers.parsers import Page, parse_page
from crawlers.spiders.base import seen_at_for
from demosites.server import APPS, DemoSites, respond
from demosites.timeline import Fault, parse_as_of

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "crawlers" / "sources"
DAY = "2026-11-12"
Item = tuple[str, str]  # (document id, observation day)


@dataclass
class Crawl:
    """A finished crawl process: its exit code, its JSON report (None when killed) and its stderr."""

    returncode: int
    report: dict[str, Any] | None
    stderr: str

    @property
    def delivery(self) -> dict[str, int]:
        assert self.report is not None, self.stderr[-3000:]
        return dict(self.report["delivery"])


@dataclass
class Site:
    """One demo site being served, and the environment a crawl of it needs."""

    name: str
    sites: DemoSites
    tmp: Path
    source_file: Path
    counter: list[int] = field(default_factory=lambda: [0])

    def env(self, **extra: str) -> dict[str, str]:
        env = {**os.environ, **self.sites.env(), "NPSWATCH_ENRICH": "0", "PYTHONUNBUFFERED": "1"}
        env["NPSWATCH_DEAD_LETTER_FALLBACK"] = str(self.tmp / "fallback" / "store.jsonl")
        return {**env, **extra}

    def source(self) -> Source:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in self.sites.env().items():
                patch.setenv(key, value)
            return load_source(self.source_file)

    def mark(self) -> int:
        """A position in the site's log: ``served(since=...)`` counts what was served after it."""
        return len(self.sites.served)

    def served(self, since: int = 0, before: float | None = None) -> set[Item]:
        """The items on every page the site answered with 200 since ``since`` (and before the monotonic time
        ``before``)."""
        source, app = self.source(), APPS[self.name](self.sites.seed)
        out: set[Item] = set()
        for answer in self.sites.served[since:]:
            if answer.site != self.name or answer.status != 200 or (before is not None and answer.at >= before):
                continue
            response, _ = respond(app, answer.path, answer.as_of, self.sites.faults)
            url = self.sites.urls[self.name] + answer.path
            page = Page(url, response.body.decode("utf-8"), seen_at_for(answer.as_of))
            out |= {(item.id, str(answer.as_of)) for item in parse_page(page, source).items}
        return out

    def pages(self, since: int = 0) -> int:
        return sum(1 for a in self.sites.served[since:] if a.site == self.name)

    def start(self, data_dir: Path, db: Path, *extra: str, env: dict[str, str] | None = None,
              preexec: Callable[[], None] | None = None) -> tuple[subprocess.Popen[str], Path]:  # fmt: skip
        """Start ``npswatch crawl`` of this site as of ``DAY``; the process and where its report will be."""
        self.counter[0] += 1
        report = self.tmp / f"report-{self.counter[0]}.json"
        cmd = [sys.executable, "-m", "npswatch.cli", "crawl", str(self.source_file), "--as-of", DAY, "--db", str(db),
               "--json-report", str(report), *extra]  # fmt: skip
        process = subprocess.Popen(cmd, env=env or self.env(NPSWATCH_DATA_DIR=str(data_dir)), cwd=ROOT,
                                   stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                   preexec_fn=preexec)  # fmt: skip
        return process, report

    def crawl(self, data_dir: Path, db: Path, *extra: str, env: dict[str, str] | None = None,
              preexec: Callable[[], None] | None = None, timeout: float = 120) -> Crawl:  # fmt: skip
        process, report = self.start(data_dir, db, *extra, env=env, preexec=preexec)
        _, stderr = process.communicate(timeout=timeout)
        return Crawl(process.returncode, _report(report), stderr)

    def kill_after(self, process: subprocess.Popen[str], pages: int, since: int, then: float = 0,
                   timeout: float = 60, ready: Callable[[], bool] = lambda: True) -> float | None:  # fmt: skip
        """SIGKILL ``process`` ``then`` seconds after the site has served ``pages`` pages since ``since`` (0: at
        once) and ``ready()`` holds (progress the test sees, such as a journal write); the monotonic time of the
        kill, or None when the crawl ended before."""
        deadline = time.monotonic() + timeout
        while (self.pages(since) < pages or not ready()) and process.poll() is None:
            assert time.monotonic() < deadline, "the crawl made too little progress in time"
            time.sleep(0.005)
        if then and process.poll() is None:
            time.sleep(then)
        if process.poll() is not None:
            process.communicate()
            return None
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
        return killed_at


def _report(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    [report] = json.loads(path.read_text(encoding="utf-8"))
    return dict(report)


def site_fixture(name: str, replace: dict[str, str] | None = None, slow: bool = False) -> Any:
    """A module fixture serving demo site ``name``, its source file written with ``replace`` applied; ``slow``:
    every answer on ``DAY`` waits ``demosites.server.SLOW_SECONDS`` (1 s)."""

    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
        tmp = tmp_path_factory.mktemp(name)
        text = (SOURCES / f"{name}.yml").read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        (tmp / f"{name}.yml").write_text(text, encoding="utf-8")
        faults = (Fault(name, "slow", (parse_as_of(DAY).day,)),) if slow else ()
        with DemoSites(sites=[name], free_ports=True, faults=faults) as sites:
            yield Site(name, sites, tmp, tmp / f"{name}.yml")

    return fixture


# --- what is held --------------------------------------------------------------------------------------------


def stored(db: Path, day: str = DAY) -> set[Item]:
    """(id, day) of every observation of ``day`` in the store."""
    with closing_db(db) as conn:
        rows = conn.execute(
            "SELECT d.id, o.day FROM observations o JOIN documents d ON d.doc_key = o.doc_key WHERE o.day = ?", (day,)
        ).fetchall()
    return {(doc_id, obs_day) for doc_id, obs_day in rows}


def dead_letters(*paths: Path) -> list[Item]:
    """(id, day) of every line of the dead-letter files (a list: a document kept twice shows twice)."""
    out = []
    for path in paths:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                document = json.loads(line)["document"]
                out.append((document["id"], document["seen_at"][:10]))
    return out


def journal_done(data_dir: Path, source: str, day: str = DAY, done: int = 1) -> int:
    """Requests the ``--resume`` journal of ``source`` holds as done (fetched, and what their pages gave stored), or
    with ``done=0`` as still to do; 0 before the journal exists."""
    journal = data_dir / "jobs" / source / day / "requests.sqlite3"
    if not journal.exists():
        return 0
    try:
        with closing_db(journal) as conn:
            return int(conn.execute("SELECT count(*) FROM requests WHERE done = ?", (done,)).fetchone()[0])
    except sqlite3.OperationalError:  # the table is not made yet (or is being made)
        return 0


@contextmanager
def closing_db(db: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(db)
    try:
        yield conn
    finally:
        conn.close()


def check_consistent(db: Path, warc_dir: Path) -> None:
    """The store is sound after whatever happened: SQLite's and FTS5's integrity checks pass, no document or
    observation twice, every observation's WARC record is in a WARC file (a killed crawl may leave its file's
    last record cut short: read up to there)."""
    with closing_db(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.execute("INSERT INTO fts (fts, rank) VALUES ('integrity-check', 1)")  # raises when index != content
        assert conn.execute("SELECT count(*) - count(DISTINCT id) FROM documents").fetchone() == (0,)
        orphans = "SELECT count(*) FROM observations WHERE doc_key NOT IN (SELECT doc_key FROM documents)"
        assert conn.execute(orphans).fetchone() == (0,)
        records = {r for (r,) in conn.execute("SELECT warc_record_id FROM observations") if r}
    missing = records - warc_records(warc_dir)
    assert not missing, f"{len(missing)} stored item(s) name WARC records no WARC file holds"


def warc_records(directory: Path) -> set[str]:
    found: set[str] = set()
    for path in sorted(directory.rglob("*.warc.gz")):
        with path.open("rb") as stream, suppress(Exception):  # a file cut short by a kill ends early
            for record in ArchiveIterator(stream):
                found.add(record.rec_headers.get_header("WARC-Record-ID"))
    return found


def assert_accounted(crawl: Crawl, served: set[Item], held: set[Item], kept: list[Item]) -> set[Item]:
    """The report's stored, dead-lettered and lost counts are what the store and the dead-letter files hold of
    what was served; an item not stored fails the crawl.  Returns the lost items."""
    lost = served - held - set(kept)
    assert held | set(kept) <= served
    if lost or kept:
        assert (crawl.returncode, crawl.report and crawl.report["ok"]) == (1, False), (
            f"{len(lost)} lost and {len(kept)} dead-lettered of {len(served)}, yet exit {crawl.returncode}"
        )
    assert crawl.delivery == {"stored": len(held), "dead_lettered": len(kept), "lost": len(lost)}, crawl.stderr[-2000:]
    return lost


# --- faults ---------------------------------------------------------------------------------------------------


def can_mount() -> bool:
    """Root with a mount command, unless NPSWATCH_TEST_DISK=rlimit asks for the file-size-limit way."""
    wanted = os.environ.get("NPSWATCH_TEST_DISK", "tmpfs")
    return wanted != "rlimit" and os.geteuid() == 0 and shutil.which("mount") is not None


@dataclass
class Disk:
    """A small disk: a tmpfs of ``size`` bytes when root can mount one, else a directory with a file-size limit
    (RLIMIT_FSIZE) set in the crawl's process (``preexec``)."""

    path: Path
    size: int
    mounted: bool

    def preexec(self) -> Callable[[], None] | None:
        if self.mounted:
            return None
        size = self.size

        def limit() -> None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))  # Python ignores SIGXFSZ: writes fail EFBIG

        return limit


@contextmanager
def small_disk(path: Path, size: int) -> Iterator[Disk]:
    path.mkdir(parents=True)
    mounted = can_mount() and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                                              str(path)], capture_output=True).returncode == 0  # fmt: skip
    try:
        yield Disk(path, size, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], check=True)


@contextmanager
def read_only_store(db: Path) -> Iterator[Path]:
    """The store ``db`` made unwritable, even for root; yields the path to crawl with.  As root: the file made
    immutable (chattr +i) where the file system allows, else a copy on a tmpfs mounted read-only.  Otherwise mode
    0444 (enough for any other user)."""
    if os.geteuid() != 0:
        db.chmod(0o444)
        yield db
        return
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode == 0:
        try:
            yield db
        finally:
            subprocess.run(["chattr", "-i", str(db)], check=True)
        return
    if not can_mount():
        pytest.fail("running as root, where neither chattr +i nor mount works: no way to make the store read-only")
    with small_disk(db.parent / "read-only", 16 * 1024 * 1024) as disk:
        shutil.copy(db, disk.path / db.name)
        subprocess.run(["mount", "-o", "remount,ro", str(disk.path)], check=True)
        yield disk.path / db.name
