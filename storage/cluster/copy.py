"""Copy every document with its observation history from one store to another (any two backends).

Each observation is written again as the version seen that day (the current content with that day's
prices, time and WARC record), oldest first, then the current version: the target ends with the same
current documents, the same first/last seen and the same history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from storage.base import SearchQuery, Storage, WriteResult

PAGE = 500


def iter_documents(store: Storage, page: int = PAGE) -> Iterator[dict[str, Any]]:
    """Every current document of ``store``."""
    from storage.cluster.backend import ClusterStorage, all_documents

    if isinstance(store, ClusterStorage):  # past the 10,000-hit window: search_after
        yield from all_documents(store, page)
        return
    offset = 0
    while True:
        hits = store.search(SearchQuery(limit=page, offset=offset)).hits
        for hit in hits:
            yield {k: v for k, v in hit.items() if k not in ("first_seen", "last_seen", "snippet")}
        if len(hits) < page:
            return
        offset += page


def versions(store: Storage, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document as seen on each observation day, oldest first, ending with the current version."""
    out = []
    for seen in store.history(doc["id"]):
        version = {**doc, "seen_at": seen.seen_at, "warc_record_id": seen.warc_record_id}
        if "prices" in doc:
            version["prices"] = seen.prices
        out.append(version)
    return [*out, doc]


def copy_store(
    source: Storage, target: Storage, batch: int = PAGE, progress: Callable[[int], None] | None = None
) -> WriteResult:
    """Copy ``source`` into ``target``; idempotent (copying twice changes nothing)."""
    result = WriteResult()
    pending: list[dict[str, Any]] = []
    done = 0
    for doc in iter_documents(source):
        pending += versions(source, doc)
        done += 1
        if len(pending) >= batch:
            result.add(target.write(pending))
            pending = []
            if progress is not None:
                progress(done)
    if pending:
        result.add(target.write(pending))
    if progress is not None:
        progress(done)
    return result
