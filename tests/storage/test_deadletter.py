"""`npswatch index replay`: what a crawl kept in its dead-letter file goes to the store again, idempotently;
what fails again stays in the file, counted by reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crawlers.items import item_to_document
from npswatch.cli import main
from storage.base import StorageError
from storage.cluster import ClusterStorage, parse_target
from storage.deadletter import CLAIMED_SUFFIX, append, dead_letter_line, default_path, replay
from storage.sqlite import SqliteStorage
from tests.storage.documents import listing
from tests.storage.test_cluster_backend import item, pipeline

REFUSED = {**listing("9"), "title": 42}  # every store refuses a number where text is expected
GARBAGE = "{not json"


def lines(path: Path) -> list[dict[str, Any] | str]:
    out: list[dict[str, Any] | str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append(line)
    return out


def replay_cli(path: Path, target: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["index", "replay", str(path), "--json", "--db", target], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.cluster
def test_replay_writes_what_a_crawl_kept_and_keeps_what_fails_again(tmp_path: Path, osmem_url: str) -> None:
    crawl = pipeline(tmp_path, "opensearch+http://127.0.0.1:9")  # the cluster is down during the crawl
    crawl.open_spider()
    for n in range(3):
        crawl.process_item(item(n))
    crawl.close_spider()
    path = default_path(tmp_path)
    append(path, [dead_letter_line(REFUSED, "refused before", "store_error"), GARBAGE])
    target = f"opensearch+{osmem_url}"

    code, report = replay_cli(path, target)  # the cluster is back
    assert code == 1  # something was kept
    assert (report["read"], report["replayed"]) == (5, 3)
    assert report["stored"] == {"created": 3, "updated": 0, "unchanged": 0, "observations": 3}
    assert report["before"] == {"store_error": 1, "store_unavailable": 3, "unreadable": 1}
    assert report["kept"] == {"store_error": 1, "unreadable": 1}
    garbage, refused = lines(path)  # unreadable lines are kept first, as they are read
    assert isinstance(refused, dict) and refused["reason"] == "store_error" and refused["document"] == REFUSED
    assert "expected text (or nothing) in 'title', found 42" in refused["error"] and garbage == GARBAGE
    assert not path.with_name(path.name + CLAIMED_SUFFIX).exists()

    append(path, [dead_letter_line(item_doc, "again", "store_unavailable") for item_doc in _stored(target, 3)])
    code, report = replay_cli(path, target)  # replaying what is already stored changes nothing
    assert (code, report["replayed"], report["stored"]["unchanged"], report["stored"]["created"]) == (1, 3, 3, 0)
    with ClusterStorage(parse_target(target)) as cluster:
        assert cluster.count() == 3
    assert len(lines(path)) == 2


def _stored(target: str, n: int) -> list[dict[str, Any]]:
    with ClusterStorage(parse_target(target)) as cluster:
        return [doc for doc in (cluster.get(item_to_document(item(i))["id"]) for i in range(n)) if doc is not None]


@pytest.mark.cluster
def test_an_outage_during_replay_keeps_the_rest_untried(tmp_path: Path, osmem_server: Any) -> None:
    path = tmp_path / "store.jsonl"
    docs = [listing(str(n)) for n in range(5)]
    append(path, [dead_letter_line(doc, "down", "store_unavailable") for doc in docs])
    clone = osmem_server.clone()
    store = ClusterStorage(parse_target(f"opensearch+{clone.url}"), sleep=lambda seconds: None)
    clone.close()  # the cluster goes away after the store was opened
    report = replay(path, store, batch=2)
    store.close()
    assert (report.read, report.replayed, dict(report.kept)) == (5, 0, {"store_unavailable": 5})
    kept = lines(path)
    assert [k["document"] for k in kept if isinstance(k, dict)] == docs
    assert "cannot reach the search cluster" in str(report.last_error)


def test_a_refused_batch_is_written_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "store.jsonl"
    docs = [listing("1"), REFUSED, listing("2")]
    append(path, [dead_letter_line(doc, "refused", "store_error") for doc in docs])
    with SqliteStorage(tmp_path / "npswatch.sqlite3") as store:
        report = replay(path, store)
        assert store.count() == 2
    assert (report.replayed, dict(report.kept), dict(report.before)) == (2, {"store_error": 1}, {"store_error": 3})
    assert [k["document"]["id"] for k in lines(path) if isinstance(k, dict)] == [REFUSED["id"]]


def test_a_line_without_a_reason_is_counted_unknown_and_a_missing_file_is_nothing_to_do(tmp_path: Path) -> None:
    path = tmp_path / "store.jsonl"
    path.write_text(json.dumps({"error": "written before reasons", "document": listing("1")}) + "\n", encoding="utf-8")
    with SqliteStorage(tmp_path / "npswatch.sqlite3") as store:
        report = replay(path, store)
        assert (report.replayed, dict(report.before), path.exists()) == (1, {"unknown": 1}, False)
        assert replay(tmp_path / "none.jsonl", store).read == 0


def test_a_replay_already_claimed_is_not_started_twice(tmp_path: Path) -> None:
    path = tmp_path / "store.jsonl"
    append(path, [dead_letter_line(listing("1"), "down", "store_unavailable")])
    path.with_name(path.name + CLAIMED_SUFFIX).write_text("", encoding="utf-8")
    with SqliteStorage(tmp_path / "npswatch.sqlite3") as store, pytest.raises(StorageError, match="another replay"):
        replay(path, store)
    assert len(lines(path)) == 1  # untouched


def test_the_cli_exits_0_when_everything_was_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path))
    append(default_path(), [dead_letter_line(listing("1"), "down", "store_unavailable")])
    db = str(tmp_path / "npswatch.sqlite3")
    result = CliRunner().invoke(main, ["index", "replay", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0
    assert "1 dead letter(s) read, 1 written (created 1, updated 0, unchanged 0), 0 kept" in result.stdout
