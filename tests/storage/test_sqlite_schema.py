"""Opening a database: pragmas, schema migrations, files that are not ours, and open_storage targets."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from storage import open_storage
from storage.base import TEXT_FIELDS, SearchQuery, StorageError, document_text
from storage.migrations import MIGRATIONS_DIR, Migration, load_migrations
from storage.sqlite import TEXT_WEIGHTS, SqliteStorage
from tests.storage.documents import DAY1, DAY2, eur, listing, post, vendor


def inspect(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchall()


def test_a_new_database_is_in_wal_mode_at_the_latest_version(store: SqliteStorage, db_path: Path) -> None:
    assert inspect(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert inspect(db_path, "PRAGMA user_version") == [(len(load_migrations()),)]
    assert [row[:2] for row in inspect(db_path, "SELECT version, name FROM schema_migrations")] == [
        (1, "initial"),
        (2, "observation_facts"),
        (3, "search_indexes"),
        (4, "trend_terms"),
    ]


def test_the_text_index_has_one_column_per_text_field_with_a_weight(store: SqliteStorage, db_path: Path) -> None:
    assert [row[1] for row in inspect(db_path, "PRAGMA table_info(fts)")] == list(TEXT_FIELDS)
    assert [row[1] for row in inspect(db_path, "PRAGMA table_info(fts_source)")] == ["doc_key", *TEXT_FIELDS]
    assert set(TEXT_WEIGHTS) == set(TEXT_FIELDS)


def test_the_indexed_text_read_back_from_json_equals_document_text(store: SqliteStorage, db_path: Path) -> None:
    docs = [listing(title="Méphédrone «4-MMC»"), post(board=None, author=None), vendor()]
    store.write(docs)
    stored = inspect(db_path, f"SELECT {', '.join(TEXT_FIELDS)} FROM fts_source ORDER BY doc_key")
    assert [tuple(value or "" for value in row) for row in stored] == [
        tuple(document_text(doc).values()) for doc in docs
    ]


def test_reopening_keeps_everything(db_path: Path) -> None:
    with SqliteStorage(db_path) as store:
        store.write([listing(seen_at=DAY1), listing(seen_at=DAY2, prices=[eur("40.00")])])
    with SqliteStorage(db_path) as store:
        assert len(store.history(listing()["id"])) == 2
        assert store.search(SearchQuery(text="3-mmc")).total == 1


LATEST = len(load_migrations())


def write_migrations(folder: Path, extra: dict[str, str]) -> list[Migration]:
    """The project's migrations plus ``extra`` ({"NEXT_name.sql": sql}: NEXT is the next version)."""
    folder.mkdir()
    for step in MIGRATIONS_DIR.glob("*.sql"):
        shutil.copy(step, folder)
    for name, sql in extra.items():
        name = name.replace("NEXT", f"{LATEST + 1:04d}")
        (folder / name).write_text(sql, encoding="utf-8")
    return load_migrations(folder)


def test_a_new_migration_is_applied_once_and_the_data_survive(db_path: Path, tmp_path: Path) -> None:
    with SqliteStorage(db_path) as store:
        store.write([listing(seen_at=DAY1), post()])
    steps = write_migrations(
        tmp_path / "migrations",
        {
            "NEXT_vendor_notes.sql": "-- notes\nCREATE TABLE vendor_notes (vendor TEXT PRIMARY KEY, note TEXT);\n"
            "ALTER TABLE documents ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;\n"
        },
    )
    for _ in range(2):  # the second open finds nothing to do
        with SqliteStorage(db_path, migrations=steps) as store:
            store.write([listing(seen_at=DAY2)])
            assert store.count() == 2
            assert [o.day.isoformat() for o in store.history(listing()["id"])] == ["2024-05-01", "2024-05-02"]
            assert store.search(SearchQuery(text="2-fma")).total == 1
    assert inspect(db_path, "PRAGMA user_version") == [(LATEST + 1,)]
    assert [row[:2] for row in inspect(db_path, "SELECT version, name FROM schema_migrations")][-1] == (
        LATEST + 1,
        "vendor_notes",
    )
    assert inspect(db_path, "SELECT count(*) FROM documents WHERE reviewed = 0") == [(2,)]


def test_a_failing_migration_is_rolled_back_whole(db_path: Path, tmp_path: Path) -> None:
    with SqliteStorage(db_path) as store:
        store.write([listing()])
    steps = write_migrations(
        tmp_path / "migrations",
        {"NEXT_broken.sql": "CREATE TABLE half_done (x INTEGER);\nALTER TABLE no_such_table ADD COLUMN y;\n"},
    )
    with pytest.raises(StorageError, match=rf"migration {LATEST + 1:04d}_broken failed: no such table"):
        SqliteStorage(db_path, migrations=steps)
    assert inspect(db_path, "PRAGMA user_version") == [(LATEST,)]
    assert inspect(db_path, "SELECT name FROM sqlite_master WHERE name = 'half_done'") == []
    with SqliteStorage(db_path) as store:
        assert store.count() == 1


def test_a_database_newer_than_the_code_is_refused(db_path: Path, tmp_path: Path) -> None:
    steps = write_migrations(tmp_path / "migrations", {"NEXT_more.sql": "CREATE TABLE more (x INTEGER);\n"})
    SqliteStorage(db_path, migrations=steps).close()
    newer = rf"schema version {LATEST + 1} is newer than this npswatch knows \(expected at most {LATEST}\)"
    with pytest.raises(StorageError, match=newer):
        SqliteStorage(db_path, migrations=steps[:LATEST])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"0001_initial.sql": "", "0003_late.sql": ""}, "migration 0003_late: expected version 2"),
        ({"1_initial.sql": ""}, "expected a migration file named NNNN_name.sql"),
    ],
)
def test_badly_numbered_migration_files_are_refused(tmp_path: Path, files: dict[str, str], message: str) -> None:
    for name, sql in files.items():
        (tmp_path / name).write_text(sql, encoding="utf-8")
    with pytest.raises(StorageError, match=message):
        load_migrations(tmp_path)


def test_a_file_that_is_not_sqlite_is_refused_with_its_path(db_path: Path) -> None:
    db_path.write_bytes(b"WARC/1.1\r\n" + bytes(range(256)) * 32)
    with pytest.raises(StorageError, match="expected a writable SQLite 3 database file") as error:
        SqliteStorage(db_path)
    assert str(db_path) in str(error.value)


def test_someone_elses_sqlite_database_is_left_alone(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("CREATE TABLE users (name TEXT)")
    with pytest.raises(
        StorageError, match=r"expected an empty file or an npswatch database, found other tables \(users\)"
    ):
        SqliteStorage(db_path)
    assert inspect(db_path, "PRAGMA user_version") == [(0,)]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a directory; expected the path of an SQLite database file"):
        SqliteStorage(tmp_path)


def test_a_path_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError, match=r"cannot create the directory of .*not-a-folder/db\.sqlite3"):
        SqliteStorage(blocker / "db.sqlite3")


def test_missing_folders_are_created(tmp_path: Path) -> None:
    with SqliteStorage(tmp_path / "var" / "deep" / "npswatch.sqlite3") as store:
        assert store.count() == 0


def test_a_closed_store_says_so(store: SqliteStorage) -> None:
    store.close()
    with pytest.raises(StorageError, match="count failed: Cannot operate on a closed database"):
        store.count()


@pytest.mark.parametrize("target", ["{dir}/a.sqlite3", "sqlite:///{dir}/a.sqlite3", "sqlite:///{rel}/a.sqlite3"])
def test_open_storage_opens_paths_and_sqlite_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    monkeypatch.chdir(tmp_path)
    with closing(open_storage(target.format(dir=tmp_path, rel="sub"))) as store:
        store.write([listing()])
    expected = tmp_path / ("sub" if "{rel}" in target else "") / "a.sqlite3"
    assert inspect(expected, "SELECT count(*) FROM documents") == [(1,)]


def test_open_storage_accepts_a_path_object_and_memory(tmp_path: Path) -> None:
    open_storage(tmp_path / "b.sqlite3").close()
    memory = open_storage("sqlite:///:memory:")
    memory.write([listing()])
    assert memory.count() == 1
    memory.close()


def test_open_storage_defaults_to_var_or_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NPSWATCH_DB", raising=False)
    open_storage().close()
    assert (tmp_path / "var" / "npswatch.sqlite3").is_file()
    monkeypatch.setenv("NPSWATCH_DB", str(tmp_path / "elsewhere.sqlite3"))
    open_storage().close()
    assert (tmp_path / "elsewhere.sqlite3").is_file()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("elasticsearch://localhost:9200/npswatch", "unknown storage scheme 'elasticsearch'"),
        ("https://example.org/db", "unknown storage scheme 'https'"),
        ("sqlite://host/db.sqlite3", "expected a file path, sqlite:///relative/path or sqlite:////absolute/path"),
        ("sqlite:///", "expected a file path"),
    ],
)
def test_open_storage_refuses_other_schemes_and_lists_the_supported_ones(target: str, message: str) -> None:
    with pytest.raises(StorageError, match=message) as error:
        open_storage(target)
    assert "sqlite:///relative/path" in str(error.value)


def test_observations_from_before_version_2_trend_with_the_current_version(store: SqliteStorage, db_path: Path) -> None:
    """Version 2 keeps each day's trend facts; a row written by version 1 (facts NULL) falls back to the
    document's current version and that day's prices, as version 1 did."""
    from storage.base import TrendQuery

    store.write([{**listing(seen_at=DAY1, prices=[eur("40.00")]), "substance": ["3-MMC"]},
                 {**listing(seen_at=DAY2, prices=[eur("50.00")]), "substance": ["3-CMC"]}])  # fmt: skip
    query = TrendQuery(by="substance", percents=(50.0,))
    seen_then = [(b.period.isoformat(), b.key, b.eur_per_gram) for b in store.trend(query)]
    assert seen_then == [("2024-05-01", "3-MMC", {"50.0": 4.0}), ("2024-05-02", "3-CMC", {"50.0": 5.0})]
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE observations SET facts = NULL")
    legacy = [(b.period.isoformat(), b.key, b.eur_per_gram) for b in store.trend(query)]
    assert legacy == [("2024-05-01", "3-CMC", {"50.0": 4.0}), ("2024-05-02", "3-CMC", {"50.0": 5.0})]
