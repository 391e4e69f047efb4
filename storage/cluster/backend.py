"""The search-cluster backend of ``storage.base.Storage``: Elasticsearch 8/9 or OpenSearch 2/3.

One class for both engines: it speaks to a ``ClusterClient`` (``storage.cluster.client``), which wraps the
official client of the configured flavour.  Two indices behind aliases (``storage.cluster.indices``): the
current documents, and one observation per document and UTC day.  Writes follow the embedded store's rules
(``storage.cluster.write``) with conditional bulk actions; a bulk item answered 429 or 5xx is retried with
exponential backoff, a conflict (another writer) is planned again, and what still fails raises: a refused
document as ``ClusterError`` naming the document and field, an outage as ``ClusterUnavailable`` (the store
pipeline keeps those documents in its dead-letter file).

A write makes the next read of the same object refresh the aliases first, so a search sees the documents
just written (other processes see them within the refresh interval, one second by default).
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

from storage.base import (
    Observation,
    SearchQuery,
    SearchResult,
    StoreMissing,
    TrendBucket,
    TrendQuery,
    WriteResult,
    check_trend,
)
from storage.cluster import indices, query
from storage.cluster.client import ApiFailure, ClusterClient, Unreachable, connect
from storage.cluster.config import ClusterConfig
from storage.cluster.documents import observation_id
from storage.cluster.errors import ClusterError, ClusterUnavailable
from storage.cluster.write import STATE_FIELDS, Action, plan
from storage.sqlite import check_query, iso_time, lead_text
from storage.sqlite_write import Prepared, prepare

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 6  # per request or bulk item: 1 + 5 retries
BACKOFF_BASE_S = 0.5  # first retry after ~0.5 s, doubling, with jitter
BACKOFF_CAP_S = 30.0
CONFLICT_ROUNDS = 5  # times a document is planned again after a concurrent write
CHUNK_SIZE = 2000  # documents planned together: one mget per index and one bulk request of up to 2 x 2000 actions
_FIELD = re.compile(r"field \[([^\]]+)\]|\[([^\]]+)\] within")


class ClusterStorage:
    """``Storage`` over a search cluster; ``open`` checks it can be reached and its mappings are right."""

    def __init__(
        self,
        config: ClusterConfig,
        client: ClusterClient | None = None,
        *,
        ensure_indices: bool = True,
        create: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = MAX_ATTEMPTS,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self.config = config
        self.chunk_size = chunk_size
        self.client = client or connect(config)
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.documents = f"{config.prefix}-documents"
        self.observations = f"{config.prefix}-observations"
        self._dirty = False
        try:
            info = self._retrying("connect", self.client.info)
            self.version = str(info.get("version", {}).get("number", "?"))
            if not create and self._retrying("open", lambda: indices.alias_target(self.client, self.documents)) is None:
                raise StoreMissing(f"{config.target}: no npswatch indices with the prefix {config.prefix!r} there; "
                                   "expected an existing store")  # fmt: skip
            if ensure_indices:
                self._retrying("open", lambda: indices.ensure(self.client, config.prefix))
        except BaseException:
            self.client.close()
            raise

    def __enter__(self) -> ClusterStorage:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # -- writing -------------------------------------------------------------------------

    def write(self, documents: Iterable[Mapping[str, Any]]) -> WriteResult:
        """Write a batch: every document is checked first (one bad document writes nothing), then chunks are
        planned and bulk-written.  Not a transaction: after ClusterUnavailable part of the batch may be
        stored; writing the batch again is safe (writes are idempotent)."""
        rows = [prepare(doc) for doc in documents]
        result = WriteResult()
        for start in range(0, len(rows), self.chunk_size):
            self._write_chunk(rows[start : start + self.chunk_size], result)
        return result

    def _write_chunk(self, rows: list[Prepared], result: WriteResult) -> None:
        """Plan and write ``rows``; documents another writer changed meanwhile are planned again.  New
        observation days are counted from the observations actually created, so a day written before a
        conflict is counted once."""
        pending = rows
        for _ in range(CONFLICT_ROUNDS):
            chunk_plan = self._plan(pending)
            self._dirty = True
            conflicted, created_days = self._bulk([a for actions in chunk_plan.actions.values() for a in actions])
            result.observations += created_days
            for doc_id, part in chunk_plan.results.items():
                if doc_id not in conflicted:
                    result.add(WriteResult(part.created, part.updated, part.unchanged))
            if not conflicted:
                return
            pending = [row for row in pending if row.id in conflicted]
            logger.info("%d document(s) changed by another writer meanwhile: planning them again", len(conflicted))
        raise ClusterError(f"{self._where()}: {len(pending)} document(s) kept conflicting with another writer")

    def _plan(self, rows: list[Prepared]) -> Any:
        ids = list(dict.fromkeys(row.id for row in rows))
        obs_ids = list(dict.fromkeys(observation_id(row.id, row.day) for row in rows))
        docs = self._retrying("read", lambda: self.client.mget(self.documents, ids, STATE_FIELDS))
        obs = self._retrying("read", lambda: self.client.mget(self.observations, obs_ids, ["seen_us"]))
        stored_docs = {found["_id"]: found for found in docs.get("docs", [])}
        stored_obs = {found["_id"]: found for found in obs.get("docs", [])}
        return plan(rows, stored_docs, stored_obs, self.documents, self.observations)

    def _bulk(self, actions: list[Action]) -> tuple[set[str], int]:
        """Send ``actions``; retry items answered 429/5xx.  Returns the document ids that hit a conflict and
        the number of observations created."""
        conflicted: set[str] = set()
        created_days = 0
        pending = actions
        for attempt in range(1, self.max_attempts + 1):
            if not pending:
                break
            operations = [line for action in pending for line in action]
            answer = self._retrying("bulk write", partial(self.client.bulk, operations))
            retry: list[Action] = []
            refused: list[str] = []
            for action, item in zip(pending, answer.get("items", []), strict=True):
                status, error = _item_status(item)
                if status < 300:
                    created_days += "create" in action[0] and action[0]["create"]["_index"] == self.observations
                    continue
                item_id = str(next(iter(action[0].values()))["_id"])
                if status == 409:
                    conflicted.add(item_id.split(":", 1)[0])
                elif status in RETRY_STATUSES:
                    retry.append(action)
                else:
                    refused.append(_describe(item_id, error))
            if refused:
                raise ClusterError(f"{self._where()} refused {len(refused)} document(s): {'; '.join(refused[:3])}")
            pending = retry
            if pending and attempt < self.max_attempts:
                self._backoff(attempt, f"{len(pending)} bulk item(s) answered 429/5xx")
        if pending:
            raise ClusterUnavailable(
                f"{self._where()}: {len(pending)} bulk item(s) still answered 429/5xx after {self.max_attempts} tries"
            )
        return conflicted, created_days

    # -- reading -------------------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        answer = self._retrying("get", lambda: self.client.mget(self.documents, [doc_id], ["doc"]))
        found = (answer.get("docs") or [{}])[0]
        return dict(found["_source"]["doc"]) if found.get("found") else None

    def history(self, doc_id: str) -> list[Observation]:
        """Every observation of the document, oldest day first."""
        body = {"query": {"term": {"doc_id": doc_id}}, "sort": [{"day": "asc"}], "size": query.MAX_WINDOW}
        hits = self._read("history", self.observations, body)["hits"]["hits"]
        return [
            Observation(
                doc_id,
                date.fromisoformat(hit["_source"]["day"]),
                iso_time(int(hit["_source"]["seen_us"])),
                list(hit["_source"].get("prices") or []),
                hit["_source"].get("warc_record_id"),
            )
            for hit in hits
        ]

    def count(self, kind: str | None = None, source: str | None = None) -> int:
        conditions = query.filters([kind] if kind else [], [source] if source else [], {})
        self._refresh()
        body = {"query": {"bool": {"filter": conditions}}}
        return int(self._retrying("count", lambda: self.client.count(self.documents, body))["count"])

    def stats(self) -> dict[str, dict[str, int]]:
        """Document counts per kind and per source."""
        aggs = {name: {"terms": {"field": name, "size": 10_000}} for name in ("kind", "source")}
        answer = self._read("stats", self.documents, {"size": 0, "aggs": aggs})
        return {
            name: {b["key"]: int(b["doc_count"]) for b in sorted(answer["aggregations"][name]["buckets"], key=_key)}
            for name in ("kind", "source")
        }

    def search(self, search: SearchQuery) -> SearchResult:
        check_query(search)
        if search.limit and search.offset + search.limit > query.MAX_WINDOW:
            raise ClusterError(
                f"search page {search.offset}+{search.limit} goes past the first {query.MAX_WINDOW} hits; "
                "expected a narrower query (filters, dates) to reach deeper results"
            )
        answer = self._read("search", self.documents, query.search_body(search))
        hits = [_hit(hit) for hit in answer["hits"]["hits"]]
        aggs = answer.get("aggregations", {})
        facets = {name: {b["key"]: int(b["doc_count"]) for b in aggs[name]["buckets"]} for name in search.facets}
        return SearchResult(int(answer["hits"]["total"]["value"]), hits, facets)

    def scan(self, search: SearchQuery, page: int = 1000) -> Iterator[dict[str, Any]]:
        """Every selected document once, in id order: ``search_after`` pages, no result window."""
        check_query(search)
        body = query.search_body(replace(search, limit=page, offset=0, facets=()))
        body.pop("from", None)
        body["sort"] = [{"id": "asc"}]
        body["track_total_hits"] = False
        while True:
            hits = self._read("scan", self.documents, body)["hits"]["hits"]
            yield from (_hit(hit) for hit in hits)
            if len(hits) < page:
                return
            body["search_after"] = list(hits[-1]["sort"])

    def trend(self, trend: TrendQuery) -> list[TrendBucket]:
        """Observed documents per day or week (split by ``trend.by``) with EUR-per-gram percentiles."""
        check_trend(trend)
        answer = self._read("trend", self.observations, query.trend_body(trend))
        out = []
        for period in answer["aggregations"]["periods"]["buckets"]:
            day = date.fromisoformat(period["key_as_string"])
            if trend.by:
                out += [_bucket(day, str(inner["key"]), inner) for inner in period["by"]["buckets"]]
            else:
                out.append(_bucket(day, None, period))
        return out

    def index_stats(self) -> dict[str, dict[str, Any]]:
        """Per alias: the index behind it, its version, documents and size in bytes."""
        out: dict[str, dict[str, Any]] = {}
        for family in indices.families():
            alias = family.alias(self.config.prefix)
            index = self._retrying("stats", partial(indices.alias_target, self.client, alias))
            if index is None:
                out[alias] = {"index": None}
                continue
            self._refresh()
            answer = self._retrying("stats", partial(self.client.index_stats, index))
            total = answer.get("indices", {}).get(index, {}).get("primaries", {})
            counted = self._retrying("stats", partial(self.client.count, alias, {"query": {"match_all": {}}}))
            out[alias] = {
                "index": index,
                "reviewed_version": family.version,
                "documents": int(counted["count"]),  # docs.count of the stats also counts nested offers
                "bytes": int(total.get("store", {}).get("size_in_bytes", 0)),
            }
        return out

    # -- plumbing ------------------------------------------------------------------------

    def _read(self, action: str, index: str, body: Mapping[str, Any]) -> dict[str, Any]:
        self._refresh()
        return self._retrying(action, lambda: self.client.search(index, body))

    def _refresh(self) -> None:
        if self._dirty:
            self._retrying("refresh", lambda: self.client.refresh(f"{self.documents},{self.observations}"))
            self._dirty = False

    def _retrying(self, action: str, call: Callable[[], T]) -> T:
        """``call``, retried with backoff on no answer, 429 and 5xx; errors become ClusterError/Unavailable."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                return call()
            except Unreachable as exc:
                problem = f"cannot reach the search cluster at {self.config.target}: {exc}"
                if attempt == 1 and action in ("connect", "open"):
                    raise ClusterUnavailable(
                        f"{problem}; expected an Elasticsearch 8/9 or OpenSearch 2/3 server there "
                        "(is it running? is the URL right?)"
                    ) from exc
            except ApiFailure as exc:
                if exc.status == 401 or exc.status == 403:
                    raise ClusterError(
                        f"{self._where()}: {action} not allowed ({exc.status} {exc.reason}); "
                        "check NPSWATCH_ES_USERNAME/NPSWATCH_ES_PASSWORD or NPSWATCH_ES_API_KEY"
                    ) from exc
                if exc.status not in RETRY_STATUSES:
                    raise ClusterError(f"{self._where()}: {action} failed: {exc}") from exc
                problem = f"{self._where()}: {action} answered {exc}"
            if attempt == self.max_attempts:
                raise ClusterUnavailable(f"{problem} (gave up after {attempt} tries)")
            self._backoff(attempt, problem)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int, problem: str) -> None:
        delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        logger.warning("%s; retrying in %.1f s", problem, delay)
        self.sleep(delay)

    def _where(self) -> str:
        return f"search cluster {self.config.target}"


def _item_status(item: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
    body = next(iter(item.values()))
    return int(body.get("status", 500)), body.get("error") or {}


def _describe(item_id: str, error: Mapping[str, Any]) -> str:
    reason = str(error.get("reason", error))
    found = _FIELD.search(reason)
    field = f" field {found[1] or found[2]!r}:" if found else ""
    return f"{item_id}:{field} {error.get('type', 'error')}: {reason}"


def _key(bucket: Mapping[str, Any]) -> str:
    return str(bucket["key"])


def _hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    source = hit["_source"]
    doc: dict[str, Any] = dict(source["doc"])
    highlight = hit.get("highlight") or {}
    fragments = [highlight[name][0] for name in query.SNIPPET_ORDER if highlight.get(name)]
    snippet = " ".join(fragments[0].split()) if fragments else lead_text(doc)
    first, last = iso_time(int(source["first_us"])), iso_time(int(source["last_us"]))
    return {**doc, "first_seen": first, "last_seen": last, "snippet": snippet}


def _bucket(period: date, key: str | None, body: Mapping[str, Any]) -> TrendBucket:
    values = body.get("eur_per_gram", {}).get("values") or {}
    percentiles = {f"{float(p):.1f}": round(float(v), 4) for p, v in values.items() if v is not None}
    return TrendBucket(period, key, int(body["doc_count"]), int(body["documents"]["value"]), percentiles)


def all_documents(store: ClusterStorage, page: int = 1000) -> Iterable[dict[str, Any]]:
    """Every stored document (id order), for copying a store: ``search_after`` pages, no window limit."""
    after: Sequence[Any] | None = None
    while True:
        body: dict[str, Any] = {"size": page, "sort": [{"id": "asc"}], "_source": ["doc"]}
        if after is not None:
            body["search_after"] = list(after)
        hits = store._read("export", store.documents, body)["hits"]["hits"]
        yield from (dict(hit["_source"]["doc"]) for hit in hits)
        if len(hits) < page:
            return
        after = hits[-1]["sort"]
