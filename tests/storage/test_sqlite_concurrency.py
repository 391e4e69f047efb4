"""A search (the CLI) while a crawl writes: WAL lets the reader see the last committed state."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.base import SearchQuery, WriteResult
from storage.sqlite import SqliteStorage
from tests.storage.documents import listing

WAIT_S = 10.0


def paused_batch(
    docs: list[dict[str, Any]], middle: threading.Event, resume: threading.Event
) -> Iterator[dict[str, Any]]:
    """Yield half the documents, then wait: the writer's transaction stays open meanwhile."""
    half = len(docs) // 2
    yield from docs[:half]
    middle.set()
    assert resume.wait(WAIT_S)
    yield from docs[half:]


def test_a_reader_sees_committed_data_while_a_write_is_in_progress(db_path: Path) -> None:
    with SqliteStorage(db_path) as store:
        store.write([listing("0")])
    middle, resume = threading.Event(), threading.Event()
    results: list[WriteResult] = []

    def crawl() -> None:
        with SqliteStorage(db_path) as writer:
            results.append(writer.write(paused_batch([listing(str(n)) for n in range(1, 601)], middle, resume)))

    thread = threading.Thread(target=crawl)
    thread.start()
    try:
        assert middle.wait(WAIT_S)
        with SqliteStorage(db_path, busy_timeout=0.5) as reader:
            assert reader.count() == 1
            assert reader.search(SearchQuery(text="3-mmc", facets=["vendor"])).total == 1
    finally:
        resume.set()
        thread.join(WAIT_S)
    assert results == [WriteResult(created=600, observations=600)]
    with SqliteStorage(db_path) as reader:
        assert reader.count() == 601


def test_a_second_writer_waits_for_the_first(db_path: Path) -> None:
    SqliteStorage(db_path).close()
    middle, resume = threading.Event(), threading.Event()

    def first_writer() -> None:
        with SqliteStorage(db_path) as writer:
            writer.write(paused_batch([listing("1"), listing("2")], middle, resume))

    thread = threading.Thread(target=first_writer)
    thread.start()
    try:
        assert middle.wait(WAIT_S)
        threading.Timer(0.2, resume.set).start()
        with SqliteStorage(db_path, busy_timeout=WAIT_S) as second:
            assert second.write([listing("3")]) == WriteResult(created=1, observations=1)
    finally:
        resume.set()
        thread.join(WAIT_S)
    with SqliteStorage(db_path) as reader:
        assert reader.count() == 3


def test_parallel_crawls_can_open_a_new_database_together(tmp_path: Path) -> None:
    db_path = tmp_path / "fresh.sqlite3"
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def crawl(number: int) -> None:
        try:
            start.wait(WAIT_S)
            with SqliteStorage(db_path) as writer:
                writer.write([listing(str(number))])
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=crawl, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    assert errors == []
    with SqliteStorage(db_path) as reader:
        assert reader.count() == 4
