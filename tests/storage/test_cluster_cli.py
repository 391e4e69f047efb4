"""`npswatch index migrate|reindex|stats`, `npswatch trend` and `npswatch search` on a cluster target."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from npswatch.cli import main
from storage.sqlite import SqliteStorage
from tests.storage.documents import DAY1, DAY2, eur, listing, post

pytestmark = pytest.mark.cluster


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_migrate_reindex_stats_trend_and_search_on_a_cluster(osmem_url: str, tmp_path: Path) -> None:
    target = f"opensearch+{osmem_url}"
    embedded = tmp_path / "npswatch.sqlite3"
    with SqliteStorage(embedded) as store:
        store.write([{**listing("1", DAY1, prices=[eur("45.00")]), "substance": ["3-MMC"]}, post("1", DAY1)])
        store.write([{**listing("1", DAY2, prices=[eur("40.00")]), "substance": ["3-MMC"]}])

    migrated = run("index", "migrate", "--db", target)
    assert migrated.exit_code == 0 and "created npswatch-documents-v1 behind npswatch-documents" in migrated.output
    copied = run("index", "reindex", "--from", str(embedded), "--db", target)
    assert copied.exit_code == 0 and "created 2" in copied.output and "new observation days 3" in copied.output

    stats = json.loads(run("index", "stats", "--json", "--db", target).output)
    assert stats["kind"] == {"listing": 1, "post": 1}
    assert stats["indices"]["npswatch-documents"]["index"] == "npswatch-documents-v1"
    assert stats["indices"]["npswatch-observations"]["documents"] == 3

    buckets = json.loads(run("trend", "--interval", "day", "--json", "--db", target).output)
    assert [(b["period"], b["key"], b["eur_per_gram"]["50.0"]) for b in buckets] == [
        ("2024-05-01", "3-MMC", 4.5),
        ("2024-05-02", "3-MMC", 4.0),
    ]
    found = json.loads(run("search", "3-mmc", "--json", "--facet", "kind", "--db", target).output)
    assert (found["total"], found["facets"]) == (1, {"kind": {"listing": 1}})
    assert [hit["id"] for hit in found["hits"]] == [listing("1")["id"]]


def test_an_unreachable_cluster_exits_1_naming_the_url() -> None:
    result = CliRunner().invoke(main, ["index", "stats", "--db", "elasticsearch+http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the search cluster at elasticsearch+http://127.0.0.1:9" in result.output


def test_index_commands_refuse_the_embedded_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["index", "migrate", "--db", str(tmp_path / "x.sqlite3")])
    assert result.exit_code == 2 and "is not a cluster target" in result.output
