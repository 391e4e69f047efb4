"""``SearchQuery`` and ``TrendQuery`` as Query DSL, with the embedded store's semantics.

User text is never Query DSL: it is cut into terms exactly as ``storage.ftsquery`` cuts it (words,
``"quoted phrases"``, ``prefix*``), and every term becomes a ``multi_match`` phrase (``phrase_prefix`` for
``prefix*``) over the text fields, weighted as the embedded store weights them.  Outside quotes a term also
matches its joined spelling ("3-mmc" -> "3mmc") and its digit/letter split ("3mmc" -> "3 mmc").  Terms are
ANDed; text without letters or digits matches everything.  Hits come best score first, then latest seen,
then by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from storage.base import TEXT_FIELDS, SearchQuery, TrendQuery, keyword_value
from storage.ftsquery import _DIGIT_RUNS, _MAX_TERMS, _terms, _words  # the one definition of a user's terms
from storage.sqlite import SNIPPET_MARKS, TEXT_WEIGHTS

SNIPPET_CHARS = 120  # characters per highlighted fragment (the embedded store's 16 words, roughly)
SNIPPET_ORDER = ("description", "text", "title", "thread_title", "name")  # the field a snippet comes from
_FIELDS = [f"{name}^{TEXT_WEIGHTS[name]:g}" for name in TEXT_FIELDS]
MAX_WINDOW = 10_000  # index.max_result_window in storage/mappings/documents.json


def text_query(text: str) -> dict[str, Any] | None:
    """The query for the user's ``text``, or None when it matches every document."""
    clauses = []
    for term, is_phrase in _terms(text):
        words = _words(term)
        if not words:
            continue
        kind = "phrase_prefix" if not is_phrase and term.endswith("*") else "phrase"
        spellings = [" ".join(words)]
        if not is_phrase:
            spellings += ["".join(words), " ".join(part for word in words for part in _DIGIT_RUNS.findall(word))]
        should = [
            {"multi_match": {"query": spelling, "type": kind, "fields": _FIELDS}}
            for spelling in dict.fromkeys(spellings)
        ]
        clauses.append(should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}})
    if not clauses:
        return None
    return {"bool": {"must": clauses[:_MAX_TERMS]}}


def filters(
    kinds: Sequence[str],
    sources: Sequence[str],
    by_field: Mapping[str, Sequence[Any]],
) -> list[dict[str, Any]]:
    """Terms filters: ORed within a field, ANDed across fields; an empty list does not restrict."""
    out = []
    for name, values in (("kind", kinds), ("source", sources), *by_field.items()):
        accepted = [keyword_value(v) for v in ([values] if isinstance(values, str) else values)]
        if accepted:
            out.append({"terms": {name: accepted}})
    return out


def day_range(field: str, query: SearchQuery | TrendQuery) -> list[dict[str, Any]]:
    if query.date_from is None and query.date_to is None:
        return []
    bounds = {}
    if query.date_from is not None:
        bounds["gte"] = query.date_from.isoformat()
    if query.date_to is not None:
        bounds["lte"] = query.date_to.isoformat()
    return [{"range": {field: {**bounds, "format": "yyyy-MM-dd"}}}]


def search_body(query: SearchQuery) -> dict[str, Any]:
    """The ``_search`` body of ``query`` (``check_query`` has accepted it)."""
    matched = text_query(query.text)
    conditions = filters(query.kinds, query.sources, query.filters) + day_range("days", query)
    bool_query: dict[str, Any] = {"filter": conditions}
    if matched is not None:
        bool_query["must"] = [matched]
    body: dict[str, Any] = {
        "query": {"bool": bool_query},
        "track_total_hits": True,
        "from": query.offset if query.limit else 0,
        "size": query.limit,
        "sort": [*(["_score"] if query.sort == "relevance" else []), {"last_us": "desc"}, {"id": "asc"}],
        "_source": ["doc", "first_us", "last_us"],
    }
    if query.facets:
        body["aggs"] = {
            name: {"terms": {"field": name, "size": query.facet_size, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
            for name in query.facets
        }
    if matched is not None and query.limit:
        opening, closing = SNIPPET_MARKS
        body["highlight"] = {
            "pre_tags": [opening],
            "post_tags": [closing],
            "number_of_fragments": 1,
            "fragment_size": SNIPPET_CHARS,
            "fields": {name: {} for name in TEXT_FIELDS},
        }
    return body


def trend_body(query: TrendQuery) -> dict[str, Any]:
    """Observations per period (``date_histogram`` on ``day``), split by ``query.by`` when given, with
    distinct documents (``cardinality``) and EUR-per-gram percentiles in every bucket."""
    metrics: dict[str, Any] = {
        "documents": {"cardinality": {"field": "doc_id", "precision_threshold": 40_000}},
        "eur_per_gram": {"percentiles": {"field": "eur_per_gram", "percents": list(query.percents)}},
    }
    inner: dict[str, Any] = metrics
    if query.by:
        order = [{"_count": "desc"}, {"_key": "asc"}]
        inner = {"by": {"terms": {"field": query.by, "size": query.size, "order": order}, "aggs": metrics}}
    histogram = {"field": "day", "calendar_interval": query.interval, "format": "yyyy-MM-dd", "min_doc_count": 1}
    conditions = filters(query.kinds, query.sources, query.filters) + day_range("day", query)
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"filter": conditions}},
        "aggs": {"periods": {"date_histogram": histogram, "aggs": inner}},
    }
