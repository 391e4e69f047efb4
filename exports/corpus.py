"""A pseudonymised research corpus: the documents a search selects, people replaced, as JSON Lines.

``export_corpus`` scans the store (any backend), learns every source's people first (vendor names and
forum authors, from facets and vendor documents), then writes one JSON document per line (gzip when the file name
ends in ``.gz``) and a manifest beside it (``<file>.manifest.json``: query, counts, key fingerprint, what was
replaced). The corpus is written to a temporary file and renamed at the end: a failed export leaves no half file.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from exports.pseudonymise import Pseudonymiser, key_fingerprint
from storage.base import SearchQuery, Storage
from storage.private import create_private

PAGE = 500  # documents per search request
MAX_PEOPLE_PER_SOURCE = 10_000  # facet size asked for when learning a source's people


@dataclass
class ExportResult:
    path: Path
    manifest: Path
    documents: int
    by_kind: dict[str, int]
    replaced: dict[str, int]


def export_corpus(
    store: Storage,
    query: SearchQuery,
    out: Path,
    pseudonymiser: Pseudonymiser,
    history: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the documents ``query`` selects to ``out`` with people replaced; ``progress(done, total)``."""
    total = store.search(replace(query, limit=0, offset=0, facets=())).total
    learn_people(store, pseudonymiser)
    by_kind: dict[str, int] = {}
    partial = out.with_name(out.name + ".partial")
    try:
        with _open(partial) as stream:
            for done, doc in enumerate(store.scan(query, page=PAGE), start=1):
                clean = pseudonymiser.document(doc)
                clean.pop("snippet", None)  # a search artefact, cut from the raw text
                if history:
                    clean["history"] = [_observation(o) for o in store.history(str(doc["id"]))]
                stream.write(json.dumps(clean, ensure_ascii=False, default=str) + "\n")
                by_kind[str(doc.get("kind"))] = by_kind.get(str(doc.get("kind")), 0) + 1
                if progress is not None:
                    progress(done, total)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, out)
    manifest = out.with_name(out.name + ".manifest.json")
    count = sum(by_kind.values())
    manifest.write_text(json.dumps(_manifest(query, count, by_kind, pseudonymiser, history), indent=2) + "\n")
    return ExportResult(out, manifest, count, by_kind, dict(pseudonymiser.counts))


def _open(path: Path) -> IO[str]:
    create_private(path)  # owner-only (0600): an export holds what people wrote, even pseudonymised
    if path.name.endswith(".gz.partial"):
        return gzip.open(path, "wt", encoding="utf-8")
    return path.open("w", encoding="utf-8")


def learn_people(store: Storage, pseudonymiser: Pseudonymiser) -> None:
    """Teach ``pseudonymiser`` the people of every source of the store (also what the workbench hides from
    researchers)."""
    for source in _sources(store):
        _learn(store, source, pseudonymiser)


def _sources(store: Storage) -> list[str]:
    """Every source of the store, whatever the query: a post may name a vendor of a market the export leaves out."""
    return sorted(
        store.search(SearchQuery(limit=0, facets=("source",), facet_size=MAX_PEOPLE_PER_SOURCE)).facets["source"]
    )


def _learn(store: Storage, source: str, pseudonymiser: Pseudonymiser) -> None:
    """A source's people: vendors (facet and vendor documents) first, then forum authors."""
    people = SearchQuery(sources=[source], facets=("vendor", "author"), facet_size=MAX_PEOPLE_PER_SOURCE, limit=0)
    facets = store.search(people).facets
    vendors = list(facets.get("vendor", {}))
    for doc in store.scan(SearchQuery(sources=[source], kinds=["vendor"]), page=PAGE):
        vendors.append(str(doc.get("name") or ""))
    pseudonymiser.learn(source, vendors, "vendor")
    pseudonymiser.learn(source, facets.get("author", {}), "user")


def _observation(observation: Any) -> dict[str, Any]:
    row = asdict(observation)
    row.pop("doc_id", None)
    return row


def _manifest(
    query: SearchQuery, count: int, by_kind: dict[str, int], pseudonymiser: Pseudonymiser, history: bool
) -> dict[str, Any]:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": count,
        "by_kind": by_kind,
        "query": {
            "text": query.text,
            "kinds": list(query.kinds),
            "sources": list(query.sources),
            "from": query.date_from.isoformat() if query.date_from else None,
            "to": query.date_to.isoformat() if query.date_to else None,
            "filters": {k: list(v) for k, v in query.filters.items()},
        },
        "history": history,
        "pseudonyms": {
            "method": "HMAC-SHA256, 12 hex digits",
            "scope": "name" if pseudonymiser.link_sources else "source + name",
            "key_fingerprint": key_fingerprint(pseudonymiser.key),
            "replaced": dict(sorted(pseudonymiser.counts.items())),
        },
    }
