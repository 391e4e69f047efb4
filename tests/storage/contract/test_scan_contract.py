"""The scan contract, on every backend: every document a query selects, once, page after page."""

from __future__ import annotations

from collections import Counter

from storage.base import SearchQuery, Storage
from tests.storage.documents import DAY1, DAY2, listing, post, vendor

DOCS = [
    *(listing(str(n), DAY1 if n % 2 else DAY2, title=f"3-MMC crystals batch {n}") for n in range(7)),
    *(post(str(n), DAY2, text=f"Tried 3-MMC again, report {n}") for n in range(4)),
    vendor("chemlab", DAY1),
]


def scanned(store: Storage, query: SearchQuery, page: int) -> Counter[str]:
    return Counter(hit["id"] for hit in store.scan(query, page=page))


def test_scan_yields_every_selected_document_once_across_pages(store: Storage) -> None:
    store.write(DOCS)
    for page in (1, 2, 5, 500):
        seen = scanned(store, SearchQuery(), page)
        assert set(seen) == {d["id"] for d in DOCS} and max(seen.values()) == 1


def test_scan_applies_the_query_and_ignores_limit_offset_and_facets(store: Storage) -> None:
    store.write(DOCS)
    query = SearchQuery(text="3-mmc", kinds=["post"], limit=1, offset=3, facets=("source",))
    assert set(scanned(store, query, 3)) == {d["id"] for d in DOCS if d["kind"] == "post"}


def test_scan_hits_are_search_hits(store: Storage) -> None:
    store.write(DOCS)
    hit = next(store.scan(SearchQuery(kinds=["vendor"])))
    assert hit["name"] == "chemlab" and hit["first_seen"] and hit["last_seen"]


def test_scan_of_nothing_yields_nothing(store: Storage) -> None:
    store.write(DOCS)
    assert list(store.scan(SearchQuery(text="nothingmatchesthis"))) == []
