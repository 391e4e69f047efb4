"""Every file npswatch makes under the data directory is owner-only (files 0600, new directories 0700), whatever
the umask, like the store and the WARC files: the run history, the signal store and its feed, the request journal,
the dead-letter files, the WARC index, the scheduler's job store, reports and logs, the Tor status, the accounts,
the exchange-rate table.  Before, the dead-letter directory and several of these files took the umask's 0755/0644.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storage.private import replace_private

Maker = Callable[[Path], None]


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask of a login shell: what is not asked owner-only is world-readable."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def run_history(data: Path) -> None:
    from health.history import RunHistory

    RunHistory(data / "runs.sqlite3")


def signal_store(data: Path) -> None:
    from signals.store import open_store

    open_store(data / "npswatch.sqlite3", data).close()


def dead_letters(data: Path) -> None:
    from storage.deadletter import DeadLetterFile, default_path

    letters = DeadLetterFile([default_path(data)])
    assert letters.check() is not None
    letters.append(['{"error": "x", "reason": "store_error", "document": {}}'])


def warc_index(data: Path) -> None:
    from crawlers.warcindex import WarcIndex

    WarcIndex(data / "warc").close()


def accounts(data: Path) -> None:
    from web.accounts import Accounts

    Accounts(data / "users.sqlite3")


def feeds(data: Path) -> None:
    from signals.delivery.atom import write_feed
    from signals.delivery.config import AtomConfig, EwsConfig
    from signals.delivery.ews import export
    from signals.delivery.retry import dead_letter
    from tests.signals.test_delivery import signal

    write_feed(AtomConfig(path=data / "npswatch.signals.atom"), [signal()])
    export(EwsConfig(directory=data / "alerts" / "ews"), [signal()])
    dead_letter(data / "alerts" / "dead-letter.jsonl", "webhook", "http://127.0.0.1:9/", "1", 3, "down", "{}")


def tor_status(data: Path) -> None:
    from crawlers.tor.status import StatusStore

    with StatusStore(data / "tor" / "status.json").edit("nova_market") as status:
        status.last_error = "down"


def scheduler(data: Path) -> None:
    from scheduler import CrawlScheduler

    CrawlScheduler(data, data / "no-sources").scheduler.configure()  # its job store, run history and data dir


def rates_table(data: Path) -> None:
    from nlp.rates_update import update
    from tests.nlp.test_rates_update import ecb_zip

    update(data / "rates.csv", None, ecb_zip())


def replaced(data: Path) -> None:
    replace_private(data / "reports" / "nova_market" / "1.json", "{}")


MAKERS = [run_history, signal_store, dead_letters, warc_index, accounts, feeds, tor_status, scheduler, rates_table,
          replaced]  # fmt: skip


@pytest.mark.parametrize("make", MAKERS, ids=[m.__name__ for m in MAKERS])
def test_files_under_the_data_dir_are_owner_only(make: Maker, tmp_path: Path, umask_022: None) -> None:
    data = tmp_path / "var"
    make(data)
    made = sorted(data.rglob("*"))
    assert made, "nothing was made"
    modes = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in [data, *made]}
    wanted = {path: oct(0o700 if (tmp_path / path).is_dir() else 0o600) for path in modes}
    assert modes == wanted


def test_replace_private_keeps_the_old_file_whole_when_the_write_fails(tmp_path: Path) -> None:
    path = tmp_path / "status.json"
    replace_private(path, "old")
    with pytest.raises(TypeError):
        replace_private(path, 42)  # type: ignore[arg-type]
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["status.json"]
