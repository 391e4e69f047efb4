"""A pseudonymised research corpus: the documents a search selects, as a dataset directory.

``export_corpus`` scans the store (any backend), learns every source's people first (vendor names and forum
authors, from facets and vendor documents), turns each document into an export row (``exports.records``: one code
path for every format) and writes::

    OUT/README.md              dataset card (Hugging Face sections, counts from the data: exports.card)
    OUT/manifest.json          query, counts, key id, what was replaced
    OUT/data/<kind>s.<format>  one table per kind: jsonl, parquet or csv (exports.writers)
    OUT/evidence.wacz          with evidence: the archived pages behind the rows (exports.evidence)

Everything is written to a private staging directory beside ``OUT`` and moved into place at the end
(``storage.outputs``): a failed export leaves nothing, an existing ``OUT`` is replaced only with ``force``, and the
store is never written over.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from exports.keys import key_id
from exports.pseudonymise import Pseudonymiser
from exports.records import KINDS, record
from exports.writers import writer
from storage.base import SearchQuery, Storage
from storage.outputs import staged_dir, write_private
from storage.private import private_dirs

PAGE = 500  # documents per search request
MAX_PEOPLE_PER_SOURCE = 10_000  # facet size asked for when learning a source's people
EVIDENCE_ROLES = frozenset({"operator", "admin", "analyst", "ews"})  # who may receive archived pages (names inside)


class EvidenceRefused(PermissionError):
    """The caller's role may not receive the evidence package (archived pages are not pseudonymised)."""


@dataclass
class Tally:
    """What went into the export, for the card and the manifest."""

    by_kind: Counter[str] = field(default_factory=Counter)
    by_source: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    substances: Counter[str] = field(default_factory=Counter)
    first: date | None = None
    last: date | None = None
    warc_ids: list[str] = field(default_factory=list)

    def add(self, row: dict[str, Any]) -> None:
        self.by_kind[row["kind"]] += 1
        self.by_source[row["source"]] += 1
        if row.get("language"):
            self.by_language[row["language"]] += 1
        self.substances.update(row.get("substance") or [])
        for day in self._days(row):
            self.first = day if self.first is None or day < self.first else self.first
            self.last = day if self.last is None or day > self.last else self.last

    @staticmethod
    def _days(row: dict[str, Any]) -> Iterable[date]:
        if row.get("seen_at"):
            yield row["seen_at"].date()
        for o in row.get("history") or []:
            yield o["day"]

    @property
    def documents(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class ExportResult:
    path: Path
    fmt: str
    documents: int
    by_kind: dict[str, int]
    replaced: dict[str, int]
    files: dict[str, Path]
    evidence: Path | None = None
    evidence_records: int = 0
    evidence_missing: int = 0  # record ids the rows name that no WARC file holds


def export_corpus(
    store: Storage,
    query: SearchQuery,
    out: Path,
    pseudonymiser: Pseudonymiser,
    fmt: str = "jsonl",
    history: bool = False,
    evidence: bool = False,
    role: str = "operator",
    warc_dir: Path | None = None,
    force: bool = False,
    protected: Iterable[Path | str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the documents ``query`` selects to the dataset directory ``out``; ``progress(done, total)``.

    ``role`` is the caller's (the workbench passes its user's role, the CLI ``operator``): the evidence package
    holds the pages as archived, with every name, and is refused (``EvidenceRefused``) for any role outside
    ``EVIDENCE_ROLES``, researchers included.  ``protected``: paths the output must never replace (the store).
    """
    if evidence and role not in EVIDENCE_ROLES:
        raise EvidenceRefused(
            f"the evidence package holds archived pages with vendor and user names, not pseudonymised; "
            f"the {role!r} role may not receive it"
        )
    if evidence and warc_dir is None:
        raise ValueError("the evidence package needs warc_dir, where the WARC files are")
    total = store.search(replace(query, limit=0, offset=0, facets=())).total
    learn_people(store, pseudonymiser)
    kinds = tuple(k for k in KINDS if not query.kinds or k in query.kinds)
    tally = Tally()
    with staged_dir(out, force, protected) as staging:
        tables = writer(fmt, private_dirs(staging / "data"), kinds)
        try:
            for done, doc in enumerate(store.scan(query, page=PAGE), start=1):
                observations = store.history(str(doc["id"])) if history else None
                row = record(doc, pseudonymiser, observations, evidence)
                tables.write(row["kind"], row)
                tally.add(row)
                if evidence:
                    tally.warc_ids += [o.warc_record_id for o in observations or [] if o.warc_record_id]  # each day
                    tally.warc_ids += [doc["warc_record_id"]] if doc.get("warc_record_id") else []
                if progress is not None:
                    progress(done, total)
        finally:
            tables.close()
        packed = None
        if evidence:
            from exports.evidence import write_wacz

            assert warc_dir is not None
            packed = write_wacz(warc_dir, tally.warc_ids, staging / "evidence.wacz")
        files = {kind: out / "data" / path.name for kind, path in tables.paths.items()}
        manifest = _manifest(query, tally, pseudonymiser, fmt, history, files, packed)
        write_private(staging / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        from exports.card import dataset_card

        write_private(staging / "README.md", dataset_card(manifest, tally))
    return ExportResult(out, fmt, tally.documents, dict(tally.by_kind), dict(pseudonymiser.counts), files,
                        out / "evidence.wacz" if packed else None, packed.records if packed else 0,
                        packed.missing if packed else 0)  # fmt: skip


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


def _manifest(query: SearchQuery, tally: Tally, pseudonymiser: Pseudonymiser, fmt: str, history: bool,
              files: dict[str, Path], packed: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "format": "npswatch-corpus.v2",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": tally.documents,
        "by_kind": {kind: tally.by_kind.get(kind, 0) for kind in files},
        "by_source": dict(sorted(tally.by_source.items())),
        "by_language": dict(tally.by_language.most_common()),
        "first_day": tally.first.isoformat() if tally.first else None,
        "last_day": tally.last.isoformat() if tally.last else None,
        "files": {kind: f"data/{path.name}" for kind, path in files.items()},
        "table_format": fmt,
        "query": {
            "text": query.text,
            "kinds": list(query.kinds),
            "sources": list(query.sources),
            "from": query.date_from.isoformat() if query.date_from else None,
            "to": query.date_to.isoformat() if query.date_to else None,
            "filters": {k: list(v) for k, v in query.filters.items()},
        },
        "history": history,
        "evidence": {
            "file": "evidence.wacz",
            "records": packed.records,
            "pages": packed.pages,
            "missing": packed.missing,
        }
        if packed
        else None,
        "pseudonyms": {
            "method": "HMAC-SHA256: people 12 hex digits, document and thread ids 16",
            "scope": "name" if pseudonymiser.link_sources else "source + name",
            "key_id": key_id(pseudonymiser.key),
            "key_id_method": "scrypt(key, n=2^14, r=8, p=1), 8 bytes: see docs/export.md",
            "replaced": dict(sorted(pseudonymiser.counts.items())),
        },
    }
