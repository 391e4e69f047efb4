"""``npswatch index migrate|reindex|stats|replay``: search-cluster indices."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from npswatch.cli.common import console, fail, open_or_exit, out, store_option


@click.group()
def index() -> None:
    """Search-cluster indices: create or migrate them, copy a store in, show their state, replay dead letters
    (docs/search-cluster.md).

    The target is --db / NPSWATCH_DB, e.g. elasticsearch+https://localhost:9200 (credentials in
    NPSWATCH_ES_USERNAME / NPSWATCH_ES_PASSWORD or NPSWATCH_ES_API_KEY, CA file in NPSWATCH_ES_CA_FILE).
    """




def _target_or_exit(target: str) -> Any:
    """The store ``target`` names, created when it is not there (and said so: a mistyped path shows)."""
    from storage import open_storage
    from storage.base import StorageError, StorageUnavailable, StoreMissing

    try:
        return open_storage(target, create=False)
    except StoreMissing:
        console.print(f"[yellow]note:[/yellow] no store at {escape(target)}: a new one is created")
    except StorageError as exc:
        fail(exc, 1 if isinstance(exc, StorageUnavailable) else 2)
    return open_or_exit(target, create=True)


def _cluster_or_exit(target: str) -> Any:
    """The cluster at ``target``, connected but with its indices untouched (``migrate`` reports what it does)."""
    from storage.base import StorageError, StorageUnavailable
    from storage.cluster import ClusterStorage, is_cluster_target, parse_target

    if not is_cluster_target(target):
        console.print(f"[red]error:[/red] {escape(target)} is not a cluster target; expected "
                      "elasticsearch+https://host:9200 or opensearch+http://host:9200 (the embedded store "
                      "migrates itself)")  # fmt: skip
        sys.exit(2)
    try:
        return ClusterStorage(parse_target(target), ensure_indices=False)
    except StorageError as exc:
        fail(exc, 1 if isinstance(exc, StorageUnavailable) else 2)


@index.command("migrate")
@store_option
def index_migrate(db: str) -> None:
    """Put the reviewed templates, create missing indices, reindex an alias onto a new mapping version."""
    from storage.base import StorageError
    from storage.cluster.indices import migrate

    store = _cluster_or_exit(db)
    try:
        for line in migrate(store.client, store.config.prefix):
            out.print(escape(line))
    except StorageError as exc:
        fail(exc, 1)
    finally:
        store.close()


@index.command("reindex")
@click.option("--from", "source", required=True, help="The store to copy from (it must exist): a SQLite file or a "
              "cluster URL.")  # fmt: skip
@store_option
def index_reindex(source: str, db: str) -> None:
    """Copy every document with its observation history from --from into --db (idempotent; --db is created when
    it is not there)."""
    from storage.base import StorageError
    from storage.cluster.copy import copy_store

    origin = open_or_exit(source)
    target = _target_or_exit(db)
    try:
        result = copy_store(origin, target, progress=lambda n: console.print(f"{n} document(s) copied"))
    except StorageError as exc:
        fail(exc, 1)
    finally:
        origin.close()
        target.close()
    out.print(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
              f"new observation days {result.observations}")  # fmt: skip


@index.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@store_option
def index_stats(as_json: bool, db: str) -> None:
    """Documents per kind and source; for a cluster also each alias, its index, version and size."""
    store = open_or_exit(db)
    try:
        data: dict[str, Any] = {"target": db, **store.stats()}
        if hasattr(store, "index_stats"):
            data["indices"] = store.index_stats()
            data["server_version"] = store.version
    finally:
        store.close()
    if as_json:
        print(json.dumps(data, indent=2))
        return
    for name in ("kind", "source"):
        out.print(f"{name}: " + (", ".join(f"{k} {v}" for k, v in data[name].items()) or "none"))
    for alias, info in data.get("indices", {}).items():
        out.print(f"{alias} -> {info.get('index')}: {info.get('documents', 0)} documents, {info.get('bytes', 0)} "
                  f"bytes (reviewed mapping version {info.get('reviewed_version')})")  # fmt: skip


@index.command("replay")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@store_option
def index_replay(file: Path | None, as_json: bool, db: str) -> None:
    """Write the dead-lettered documents of FILE to --db again (idempotent); what fails again stays in FILE.

    FILE defaults to <NPSWATCH_DATA_DIR>/dead-letter/store.jsonl, where a crawl keeps what the store refused
    or could not reach.  --db is created when it is not there (a store lost to a fault is rebuilt from the dead
    letters), and the command says so.  Exit code 1 when anything was kept.
    """
    from storage.base import StorageError
    from storage.deadletter import default_path, replay
    from storage.outputs import store_paths

    path = file or default_path()
    if path.resolve() in {kept.resolve() for kept in store_paths(db)}:
        fail(f"{path}: that is the store or a file kept beside it, not a dead-letter file; expected a JSON Lines "
             "file a crawl wrote (e.g. <data dir>/dead-letter/store.jsonl)", 2)  # fmt: skip
    store = _target_or_exit(db)
    try:
        report = replay(path, store)
    except StorageError as exc:
        fail(exc, 1)
    finally:
        store.close()
    if as_json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        stored, kept = report.stored, sum(report.kept.values())
        out.print(f"{escape(str(path))}: {report.read} dead letter(s) read, {report.replayed} written (created "
                  f"{stored.created}, updated {stored.updated}, unchanged {stored.unchanged}), {kept} kept"
                  + "".join(f"; {reason} {n}" for reason, n in sorted(report.kept.items())))  # fmt: skip
        if report.last_error:
            console.print(f"last error: {escape(report.last_error)}")
    sys.exit(1 if report.kept else 0)
