"""kill -9 at random points (fixed seeds), ten times in a row, with and without ``--resume``.

After every kill the store, its full-text index and the WARC records its items name are consistent, with nothing
twice; what was stored is what the site served.  A killed crawl exits by the signal (a failing exit), so it may
lose what it had not written yet; the crawl that follows must end with every item of the day stored, exit 0:
- with ``--resume``, each run continues where the last was killed (the pages it had stored are not fetched again),
  and the last run fetches only what is left;
- without, each run starts over, and a complete run stores everything once.
Before #13, a resumed crawl after kill -9 found an empty queue and every URL seen: 0 pages, or posts missing.
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest

from tests.faults.conftest import DAY, Site, check_consistent, closing_db, journal_done, site_fixture, stored

pytestmark = [pytest.mark.faults, pytest.mark.slow]

# Two requests at a time with a short delay: a day of the market (220 pages, 195 items) takes 2-3 s to crawl.
market = site_fixture("nova_market", {"concurrency: 8": "concurrency: 2", "delay: 0\n": "delay: 0.01\n"})
KILLS = 10
Day = tuple[set[tuple[str, str]], int]
FLUSH = {"NPSWATCH_STORE_FLUSH_SECONDS": "0.25"}  # the store is written (and the journal committed) this often


@pytest.fixture(scope="module")
def full_day(market: Site, tmp_path_factory: pytest.TempPathFactory) -> tuple[set[tuple[str, str]], int]:
    """Every item of the day and the number of pages, from one complete crawl."""
    tmp, since = tmp_path_factory.mktemp("reference"), market.mark()
    crawl = market.crawl(tmp / "var", tmp / "db.sqlite3")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    return market.served(since), market.pages(since)


def kill_ten_times(site: Site, data: Path, db: Path, seed: int, most: int, *extra: str) -> None:
    """Start a crawl and kill -9 it ``KILLS`` times, each after a random number of pages (at most ``most``, 0:
    during start-up) and a random fraction of a second; after each, what is stored was served, and consistent.

    With ``--resume``, the last run is killed as soon as its journal holds both requests done and requests still to
    do: the crawl that follows must then fetch less than a full crawl.  Killed at a random point instead, it could
    be killed before anything was stored (heavy load), or after its last page while closing (the journal then has
    nothing left, and the next crawl starts afresh, as documented): both gave 220 pages of 220."""
    rng = random.Random(seed)
    served: set[tuple[str, str]] = set()
    for kill in range(KILLS):
        since = site.mark()
        process, _ = site.start(data, db, *extra, env=site.env(NPSWATCH_DATA_DIR=str(data), **FLUSH))
        after, then = rng.randint(0, most), rng.uniform(0, 0.4)
        if kill == KILLS - 1 and "--resume" in extra:
            after, then = 0, 0.0
            ready = lambda: journal_done(data, site.name) > 0 and journal_done(data, site.name, done=0) > 0  # noqa: E731
        else:
            ready = lambda: True  # noqa: E731
        killed = site.kill_after(process, after, since, then=then, ready=ready)
        assert killed, f"run {kill} ended before its kill (with --resume: it fetched more than what was left)"
        assert process.returncode == -signal.SIGKILL
        served |= site.served(since)
        if db.exists():
            assert stored(db) <= served
            check_consistent(db, data / "warc")


@pytest.mark.parametrize("at_start_up", [False, True], ids=["random_points", "every_kill_at_start_up"])
def test_kill_9_ten_times_then_resume_stores_every_item_once(market: Site, full_day: Day, tmp_path: Path,
                                                             at_start_up: bool) -> None:  # fmt: skip
    """``every_kill_at_start_up``: kills before any page, as a heavily loaded machine once gave by chance."""
    everything, pages = full_day
    db, data = tmp_path / "db.sqlite3", tmp_path / "var"
    most = 0 if at_start_up else pages // (KILLS + 2)
    kill_ten_times(market, data, db, 1309, most, "--resume")  # each run goes on from the last
    since = market.mark()
    last = market.crawl(data, db, "--resume", env=market.env(NPSWATCH_DATA_DIR=str(data), **FLUSH))
    assert last.returncode == 0, last.stderr[-2000:]
    assert last.delivery["lost"] == last.delivery["dead_lettered"] == 0
    assert stored(db) == everything  # each item of the day, stored once (one observation per document and day)
    assert market.pages(since) < pages  # the last run fetched only what the killed ones had not stored
    assert not (data / "jobs" / "nova_market" / DAY).exists()  # finished: the next crawl starts afresh
    check_consistent(db, data / "warc")


def test_kill_9_ten_times_without_resume_then_a_full_crawl_stores_every_item_once(market: Site, full_day: Day,
                                                                                   tmp_path: Path) -> None:  # fmt: skip
    everything, pages = full_day
    db, data = tmp_path / "db.sqlite3", tmp_path / "var"
    kill_ten_times(market, data, db, 1310, pages // 2)  # each run starts over
    last = market.crawl(data, db)
    assert last.returncode == 0, last.stderr[-2000:]
    assert last.delivery == {"stored": len(everything), "dead_lettered": 0, "lost": 0}
    assert stored(db) == everything
    check_consistent(db, data / "warc")


def test_a_journal_with_nothing_left_to_do_starts_the_crawl_afresh(market: Site, tmp_path: Path) -> None:
    """A crawl killed after its last page was stored but before its job directory was removed: the next
    --resume crawls the day again instead of finding every request done and crawling nothing."""
    db, data, since = tmp_path / "db.sqlite3", tmp_path / "var", market.mark()
    process, _ = market.start(data, db, "--resume", env=market.env(NPSWATCH_DATA_DIR=str(data), **FLUSH))
    assert market.kill_after(process, 30, since, then=0.5)
    journal = data / "jobs" / "nova_market" / DAY / "requests.sqlite3"
    with closing_db(journal) as conn:
        conn.execute("UPDATE requests SET done = 1")
        conn.commit()
    since = market.mark()
    crawl = market.crawl(data, db, "--resume")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    assert market.pages(since) == 220 and len(stored(db)) == 195
