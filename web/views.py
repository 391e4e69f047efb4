"""What the workbench shows, built once for the JSON API and the pages: search, documents, substances, sources.

Every function takes the request's context and principal and returns plain JSON data; the API returns it as is and
the pages render it (``web.pages``), so a page shows nothing the API does not offer.  Each function does a few
bounded store queries: a page of hits and a handful of facets, one trend, one history.  Crawled text is returned as
text; escaping is the templates' job (Jinja2 autoescape), and researchers get people pseudonymised (``web.privacy``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from signals.model import HEALTH_TYPES
from signals.series import candidate_key, candidate_names
from storage.base import KEYWORD_FIELDS, SORTS, SearchQuery, StorageError, TrendQuery, eur_per_gram
from web import privacy
from web.auth import Principal, require
from web.context import Context

MAX_TEXT = 500  # characters of a search text
MAX_PAGE = 500
PAGE_SIZES = (10, 20, 50, 100)
MAX_WINDOW = 10_000  # hits reachable by paging (a search cluster's result window)
SEARCH_FACETS = ("kind", "source", "substance", "ships_from", "language")
FACET_SIZE = 10
KINDS = ("listing", "post", "vendor")
MAX_VALUES = 20  # values per repeated parameter
SUBSTANCE_WEEKS = 52  # the substance page's charts cover at most this many weeks up to the latest observation
_RECORD_ID = re.compile(r"^<urn:[A-Za-z0-9:._-]{1,200}>$")


class ViewError(Exception):
    """A request the workbench cannot answer: ``status`` 400 (bad input) or 404 (unknown id)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class SearchParams:
    text: str = "*"
    kinds: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    size: int = 20

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> SearchParams:
        """From query parameters (``q``, ``kind``, ``source``, ``from``, ``to``, ``f`` as FIELD:VALUE, ``sort``,
        ``page``, ``size``; repeated ones as lists); ViewError 400 naming what is wrong."""
        text = _one(params, "q") or "*"
        if len(text) > MAX_TEXT:
            raise ViewError(400, f"q: at most {MAX_TEXT} characters, found {len(text)}")
        kinds, sources = _many(params, "kind"), _many(params, "source")
        if bad := [k for k in kinds if k not in KINDS]:
            raise ViewError(400, f"kind: expected one of {', '.join(KINDS)}, found {bad[0]!r}")
        filters: dict[str, list[str]] = {}
        for item in _many(params, "f"):
            name, sep, value = item.partition(":")
            if not sep or name not in KEYWORD_FIELDS:
                raise ViewError(400, f"f: expected FIELD:VALUE with FIELD one of {', '.join(KEYWORD_FIELDS)}, "
                                     f"found {item[:80]!r}")  # fmt: skip
            filters.setdefault(name, []).append(value)
        sort = _one(params, "sort") or "relevance"
        if sort not in SORTS:
            raise ViewError(400, f"sort: expected one of {', '.join(SORTS)}, found {sort[:40]!r}")
        page, size = _int(params, "page", 1, 1, MAX_PAGE), _int(params, "size", 20, 1, max(PAGE_SIZES))
        if page * size > MAX_WINDOW:
            raise ViewError(400, f"page: at most the first {MAX_WINDOW} hits can be paged to; narrow the search")
        return cls(text, kinds, sources, _day(params, "from"), _day(params, "to"), filters, sort, page, size)

    def to_json(self) -> dict[str, Any]:
        return {"q": self.text, "kind": self.kinds, "source": self.sources,
                "from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None,
                "f": [f"{k}:{v}" for k, values in self.filters.items() for v in values],
                "sort": self.sort, "page": self.page, "size": self.size}  # fmt: skip


def _one(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def _many(params: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    values = getlist(name) if getlist else params.get(name) or []
    values = [values] if isinstance(values, str) else list(values)
    if len(values) > MAX_VALUES:
        raise ViewError(400, f"{name}: at most {MAX_VALUES} values, found {len(values)}")
    if any(len(str(v)) > MAX_TEXT for v in values):
        raise ViewError(400, f"{name}: at most {MAX_TEXT} characters per value")
    return [str(v) for v in values if str(v).strip()]


def _int(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    raw = _one(params, name)
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ViewError(400, f"{name}: expected a whole number from {low} to {high}, found {raw[:20]!r}")
    return int(raw)


def _day(params: Mapping[str, Any], name: str) -> date | None:
    raw = _one(params, name)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ViewError(400, f"{name}: expected a date as YYYY-MM-DD, found {raw[:20]!r}") from exc


def _store_call(call: Any, *args: Any) -> Any:
    try:
        return call(*args)
    except StorageError as exc:
        raise ViewError(400, str(exc)) from exc


# -- search --------------------------------------------------------------------------------------------


def search(ctx: Context, who: Principal, params: SearchParams) -> dict[str, Any]:
    require(who, "search")
    privacy.check_people(ctx, who, params)
    kinds = params.kinds
    if who.researcher:  # never vendor documents (a person's profile)
        kinds = [k for k in kinds if privacy.visible_kind(who, k)] or ["listing", "post"]
    query = SearchQuery(params.text, kinds, params.sources, params.date_from, params.date_to, params.filters,
                        SEARCH_FACETS, FACET_SIZE, params.size, (params.page - 1) * params.size,
                        params.sort)  # fmt: skip
    result = ctx.cached(f"search:{query!r}", lambda: _store_call(ctx.store().search, query))
    return {
        "query": params.to_json(),
        "total": result.total,
        "pages": max(1, min(-(-result.total // params.size), MAX_WINDOW // params.size)),
        "hits": [_hit(ctx, who, hit) for hit in result.hits],
        "facets": privacy.facets(who, result.facets),
    }


def _hit(ctx: Context, who: Principal, hit: Mapping[str, Any]) -> dict[str, Any]:
    shown = privacy.document(ctx, who, hit)
    keep = ("id", "kind", "source", "market", "forum", "vendor", "author", "substance", "novel_substance",
            "ships_from", "language", "first_seen", "last_seen", "snippet", "eur_per_gram")  # fmt: skip
    out = {name: shown.get(name) for name in keep if shown.get(name) not in (None, "", [])}
    out["title"] = title(shown)
    return out


def title(doc: Mapping[str, Any]) -> str:
    return str(doc.get("title") or doc.get("thread_title") or doc.get("name") or doc.get("id") or "")


# -- a document ----------------------------------------------------------------------------------------


def document(ctx: Context, who: Principal, doc_id: str) -> dict[str, Any]:
    require(who, "search")
    if len(doc_id) > 100:
        raise ViewError(404, "no such document")
    store = ctx.store()
    doc = _store_call(store.get, doc_id)
    if doc is None or not privacy.visible_kind(who, doc.get("kind")):
        raise ViewError(404, f"no document with id {doc_id[:100]!r}")
    history = _store_call(store.history, doc_id)
    shown = privacy.document(ctx, who, doc)
    from web.highlight import highlights

    observations = [
        {"day": o.day.isoformat(), "seen_at": o.seen_at, "prices": o.prices,
         "eur_per_gram": eur_per_gram(doc, o.prices),
         **({} if who.researcher else {"warc_record_id": o.warc_record_id})}
        for o in history
    ]  # fmt: skip
    return {
        "document": {**shown, "title": title(shown)},
        "observations": observations,
        "price_series": price_series(observations),
        "highlights": highlights(shown),
    }


def price_series(observations: list[dict[str, Any]], max_tiers: int = 5) -> list[dict[str, Any]]:
    """The median EUR per gram each observed day, and the price of each tier (quantity) in the listing's main
    currency (its latest first price's: a chart mixing USD with BTC shows nothing), at most ``max_tiers``."""
    latest: list[dict[str, Any]] = next((o["prices"] for o in reversed(observations) if o["prices"]), [])
    currency = latest[0].get("currency") if latest else None
    tiers: dict[str, list[tuple[str, float]]] = {}
    per_gram: list[tuple[str, float]] = []
    for obs in observations:
        for price in obs["prices"]:
            try:
                amount = float(price.get("amount") or 0)
            except (TypeError, ValueError):
                continue
            if price.get("currency") == currency and amount > 0:
                tiers.setdefault(f"{price.get('quantity') or 'price'} ({currency})", []).append((obs["day"], amount))
        if obs["eur_per_gram"]:
            values = sorted(obs["eur_per_gram"])
            per_gram.append((obs["day"], values[len(values) // 2]))
    series = [{"label": "EUR per gram (median)", "points": per_gram}] if per_gram else []
    return series + [{"label": label, "points": points} for label, points in list(tiers.items())[:max_tiers]]


# -- a substance ---------------------------------------------------------------------------------------


def substance(ctx: Context, who: Principal, name: str) -> dict[str, Any]:
    """Every spelling folded in, first seen, where, listings and posts per week, EUR per gram per week, signals,
    vendors: two searches, one trend and one signal look-up."""
    require(who, "search")
    privacy.check_terms(ctx, who, name)
    from signals.watch import WatchError, substance_spec

    try:
        spec = substance_spec(name)
    except WatchError as exc:
        raise ViewError(400, str(exc)) from exc
    store = ctx.store()
    spellings = list(spec.spellings)
    if spec.known:  # the canonical name, and the name as asked (a store enriched with another lexicon)
        filters: dict[str, list[str]] = {"substance": sorted({str(spec.substance), " ".join(name.split())})}
    else:  # the candidate as extraction spelled it in the store
        seen = _store_call(store.search, SearchQuery(spec.spellings[0], facets=("novel_substance",), facet_size=100,
                                                     limit=0)).facets.get("novel_substance", {})  # fmt: skip
        key = candidate_key(str(spec.substance))
        forms = sorted({*spec.candidates, *(v for v in seen if candidate_key(v) == key)})
        spellings = sorted(set(forms) | set(spellings))
        filters = {"novel_substance": forms}
    facets = ("kind", "source", "market", "forum", "ships_from", "language", "vendor")
    query = SearchQuery(filters=filters, facets=facets, facet_size=FACET_SIZE, limit=10, sort="newest")
    found = ctx.cached(f"search:{query!r}", lambda: _store_call(store.search, query))
    if found.total == 0:
        raise ViewError(404, f"nothing stored mentions {name[:100]!r}")
    latest = max(str(h.get("last_seen") or "")[:10] for h in found.hits)
    since = date.fromisoformat(latest) - timedelta(weeks=SUBSTANCE_WEEKS) if latest else None
    trend = getattr(store, "trend", None)
    per_day = TrendQuery(by="kind", interval="day", kinds=("listing", "post"), date_from=since, filters=filters)
    buckets = ctx.cached(f"trend:{per_day!r}", lambda: _store_call(trend, per_day)) if trend else []
    subject = str(spec.substance) if spec.known else candidate_names([name])[0]
    signals = ctx.signals().find(subject=subject) if who.can("signals") else []
    vendors = found.facets.get("vendor", {})
    return {
        "name": spec.substance,
        "known": spec.known,
        "spellings": spellings,
        "total": found.total,
        "first_seen": min((b.period for b in buckets), default=None),
        "where": privacy.facets(who, {k: v for k, v in found.facets.items() if k != "vendor"}),
        "weekly": weekly(buckets),
        "recent": [_hit(ctx, who, hit) for hit in found.hits if privacy.visible_kind(who, hit.get("kind"))],
        "signals": [_signal_line(s) for s in signals],
        "vendors": {"count": len(vendors), **({} if who.researcher else {"top": vendors})},
    }


def weekly(buckets: list[Any]) -> list[dict[str, Any]]:
    """Daily trend buckets split by kind -> per ISO week: listings and posts observed (document-days), the median
    of the days' EUR-per-gram medians."""
    weeks: dict[date, dict[str, Any]] = {}
    for b in buckets:
        week = b.period - timedelta(days=b.period.weekday())
        row = weeks.setdefault(week, {"week": week.isoformat(), "listings": 0, "posts": 0, "eur_per_gram": []})
        row["listings" if b.key == "listing" else "posts"] += b.documents
        if "50.0" in b.eur_per_gram:
            row["eur_per_gram"].append(b.eur_per_gram["50.0"])
    for row in weeks.values():
        values = sorted(row["eur_per_gram"])
        row["eur_per_gram"] = round(values[len(values) // 2], 2) if values else None
    return [weeks[w] for w in sorted(weeks)]


def _signal_line(s: Any) -> dict[str, Any]:
    return {"id": s.id, "type": s.type, "severity": s.severity, "state": s.state, "first_seen": s.first_seen,
            "last_seen": s.last_seen, "summary": s.summary, "scope": s.scope, "assignee": s.assignee}  # fmt: skip


# -- sources -------------------------------------------------------------------------------------------


def sources(ctx: Context, who: Principal) -> dict[str, Any]:
    """Every source with its last runs, items, errors and health signals."""
    require(who, "sources")
    from health.history import RunHistory
    from health.status import collect_status

    kept = ctx.signals()
    raised = [s for s in kept.find(types=HEALTH_TYPES) if s.state != "closed"]
    by_source: dict[str, list[Any]] = {}
    for s in raised:
        by_source.setdefault(s.subject, []).append(s)
    status = collect_status(ctx.config.data, ctx.config.sources_dir, open_signals=by_source)
    history = RunHistory(ctx.config.data / "runs.sqlite3")
    stored = _store_call(ctx.store().stats).get("source", {})
    out = []
    for entry in status:
        name = entry["source"]
        runs = [r.to_json() for r in history.runs(name, 10)] if entry.get("valid") else []
        signals = [_signal_line(s) for s in kept.find(types=HEALTH_TYPES, subject=name)][-10:]
        out.append({**entry, "documents": stored.get(name, 0), "runs": runs, "signals": signals})
    return {"sources": out}


def record_id_checked(record_id: str) -> str:
    if not _RECORD_ID.match(record_id):
        raise ViewError(404, "no such WARC record (expected an id like <urn:uuid:...>)")
    return record_id
