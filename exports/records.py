"""Export records: one code path from stored documents to the rows every format writes.

A record is built from an allow-list (``SCHEMA``), never by copying a document and removing what is known to be
personal: a field added to documents later stays out of exports until it is added here.  Each column has a type
(``TYPES``), which the Parquet writer maps to Arrow types, the CSV writer to cells and the dataset card to its field
table; ``DESCRIPTIONS`` says what each column holds.

What happens to what a site could map back to a person (docs/export.md):

- the document's URL becomes its ``host`` (the site, not the page); native listing ids, post ids and thread ids,
  the stored id (a plain hash of the source and native id), vendor profile URLs and the hash of the raw text are not
  exported; ``id`` and ``thread`` are keyed ids (HMAC under the export key);
- vendors, authors and PGP fingerprints are keyed pseudonyms; free text loses contact details and names of people;
- a post's time is kept to the day (``posted_on``): with the thread and the minute, a site can find the post;
- WARC record ids (random, unknown to the site) are kept only with the evidence package, whose pages they name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from exports.pseudonymise import Pseudonymiser

KINDS: tuple[str, ...] = ("listing", "post", "vendor")

# column -> type; nested types name a struct below
_COMMON = {
    "id": "string",
    "kind": "string",
    "source": "string",
    "host": "string",
    "seen_at": "timestamp",
    "warc_record_id": "string",
}
_NLP = {
    "language": "string",
    "substance": "list<string>",
    "novel_substance": "list<string>",
    "model_substance": "list<string>",
    "effect_group": "list<string>",
    "chemical_group": "list<string>",
    "nps": "bool",
    "effect": "list<string>",
    "adverse_effect": "list<string>",
    "severe": "bool",
    "route": "list<string>",
    "doses": "list<dose>",
    "offers": "list<offer>",
    "eur_per_gram": "float",
}
SCHEMA: dict[str, dict[str, str]] = {
    "listing": {
        **_COMMON,
        "market": "string",
        "title": "string",
        "description": "string",
        "category": "list<string>",
        "vendor": "string",
        "prices": "list<price>",
        "ships_from": "string",
        "ships_to": "list<string>",
        "feedback_count": "int",
        "rating": "float",
        "escrow": "bool",
        "finalize_early": "bool",
        **_NLP,
        "history": "list<observation>",
    },
    "post": {
        **_COMMON,
        "forum": "string",
        "board": "string",
        "thread": "string",
        "thread_title": "string",
        "text": "string",
        "author": "string",
        "posted_on": "date",
        "language_hint": "string",
        "is_trip_report": "bool",
        **_NLP,
        "history": "list<observation>",
    },
    "vendor": {
        **_COMMON,
        "name": "string",
        "pgp_fingerprint": "string",
        "feedback_count": "int",
        "rating": "float",
        "history": "list<observation>",
    },
}
STRUCTS: dict[str, dict[str, str]] = {
    "price": {"amount": "float", "currency": "string", "quantity": "string", "text": "string"},
    "dose": {"amount": "float", "unit": "string", "substance": "string", "route": "string"},
    "offer": {
        "quantity_grams": "float",
        "units": "float",
        "price_amount": "float",
        "price_currency": "string",
        "eur": "float",
        "eur_per_gram": "float",
        "eur_rate": "float",
        "rate_date": "string",
    },
    "observation": {"day": "date", "seen_at": "timestamp", "prices": "list<price>", "warc_record_id": "string"},
}
DESCRIPTIONS: dict[str, str] = {
    "id": "keyed id of the document (`doc-` + 16 hex digits): stable across exports with one key, unknown to the site",
    "kind": "`listing`, `post` or `vendor`",
    "source": "the npswatch source (one site) it was crawled from",
    "host": "the site's host name (the page's path is not kept)",
    "seen_at": "when it was last seen (UTC)",
    "warc_record_id": "WARC-Record-ID of the archived page; only with the evidence package (`evidence.wacz`)",
    "market": "market name",
    "title": "listing title, contacts and names of people replaced",
    "description": "listing text, contacts and names of people replaced",
    "category": "the market's categories",
    "vendor": "vendor pseudonym (`vendor-` + 12 hex digits), the same as the vendor table's `name`",
    "prices": "prices as offered: amount, currency, quantity tier, text as written",
    "ships_from": "country the listing ships from, as written",
    "ships_to": "countries it ships to, as written",
    "feedback_count": "feedback count shown by the market",
    "rating": "rating shown by the market",
    "escrow": "escrow offered",
    "finalize_early": "finalize-early required",
    "language": "language detected by extraction",
    "substance": "canonical substances found (npswatch lexicon)",
    "novel_substance": "candidate names not in the lexicon",
    "model_substance": "substances and candidates only the trained recogniser found (no rule did): less certain",
    "effect_group": "effect groups of the substances",
    "chemical_group": "chemical groups of the substances",
    "nps": "a new psychoactive substance was found",
    "effect": "effects reported (not negated)",
    "adverse_effect": "adverse effects reported",
    "severe": "a severe adverse effect was reported",
    "route": "routes of administration",
    "doses": "doses found: amount, unit, substance, route",
    "offers": "offers found: grams, units, price, EUR, EUR per gram, rate used",
    "eur_per_gram": "median EUR per gram of the offers",
    "history": "one observation per day seen: day, time, prices (with `--history`)",
    "forum": "forum name",
    "board": "board (sub-forum)",
    "thread": "keyed id of the thread (`thread-` + 16 hex digits): joins the posts of one thread",
    "thread_title": "thread title, contacts and names of people replaced",
    "text": "post text, contacts and names of people replaced",
    "author": "author pseudonym (`user-` + 12 hex digits)",
    "posted_on": "day it was posted (the time of day is not kept)",
    "language_hint": "language of the board, as configured",
    "is_trip_report": "posted as a trip report",
    "name": "vendor pseudonym (`vendor-` + 12 hex digits)",
    "pgp_fingerprint": "pseudonym of the vendor's PGP key (`pgp-` + 12 hex digits), the same on every market",
}


def record(doc: Mapping[str, Any], p: Pseudonymiser, history: list[Any] | None = None,
           evidence: bool = False) -> dict[str, Any]:  # fmt: skip
    """The export row of one stored document (search hit), every column of its kind present."""
    kind = str(doc.get("kind"))
    if kind not in SCHEMA:
        raise ValueError(f"document {doc.get('id')!r}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    source = str(doc.get("source") or "")
    row: dict[str, Any] = {name: _typed(doc.get(name), type_) for name, type_ in SCHEMA[kind].items()}
    row.update(
        id=p.keyed("doc", str(doc.get("id"))),
        host=host_of(doc.get("url")),
        warc_record_id=doc.get("warc_record_id") if evidence else None,
        history=[_observation(o, p, source, evidence) for o in history] if history is not None else None,
    )
    _replace_people(row, doc, p)
    if "prices" in row:
        row["prices"] = _prices(row["prices"], p, source)
    if kind == "post":
        row["thread"] = p.keyed("thread", source, str(doc.get("thread_id") or ""))
        row["posted_on"] = _typed(doc.get("posted_at"), "date")
    return row


SITE_IDS = ("native_id", "post_id", "thread_id", "vendor_url", "text_hash", "warc_record_id")


def display(doc: Mapping[str, Any], p: Pseudonymiser) -> dict[str, Any]:
    """A stored document as a researcher may see it in the workbench: its fields as stored (the workbench keeps its
    own ``id`` to link pages), people and contacts replaced as in an export, the URL cut to its host, and the site's
    own ids, profile links and the raw-text hash removed."""
    out = {k: v for k, v in doc.items() if k not in SITE_IDS}
    out["url"] = None
    out["host"] = host_of(doc.get("url"))
    _replace_people(out, doc, p, extra_text=("snippet", "board", "category"))
    return out


def _replace_people(row: dict[str, Any], doc: Mapping[str, Any], p: Pseudonymiser,
                    extra_text: tuple[str, ...] = ()) -> None:  # fmt: skip
    """People fields as pseudonyms and free text without contacts or names, in place (the row's kind decides)."""
    source = str(doc.get("source") or "")
    language = doc.get("language") if isinstance(doc.get("language"), str) else None
    for name in ("title", "description", "thread_title", "text", *extra_text):
        if isinstance(row.get(name), str):
            row[name] = p.text(source, row[name], language)
    kind = doc.get("kind")
    if kind == "listing":
        row["vendor"] = p.person("vendor", source, doc.get("vendor"))
    elif kind == "post":
        row["author"] = p.person("user", source, doc.get("author"))
    elif kind == "vendor":
        row["name"] = p.person("vendor", source, doc.get("name"))
        row["pgp_fingerprint"] = p.pgp(doc.get("pgp_fingerprint"))


def host_of(url: object) -> str | None:
    """The host of a URL (no user, port or path)."""
    if not isinstance(url, str) or not url:
        return None
    return urlsplit(url).hostname


def _observation(o: Any, p: Pseudonymiser, source: str, evidence: bool) -> dict[str, Any]:
    return {
        "day": _typed(o.day, "date"),
        "seen_at": _typed(o.seen_at, "timestamp"),
        "prices": _prices(_typed(o.prices, "list<price>"), p, source),
        "warc_record_id": o.warc_record_id if evidence else None,
    }


def _prices(prices: list[dict[str, Any]] | None, p: Pseudonymiser, source: str) -> list[dict[str, Any]] | None:
    if prices is None:
        return None
    return [{**price, "text": p.text(source, price["text"])} for price in prices]


def _typed(value: Any, type_: str) -> Any:
    """``value`` as the column type says (None when missing or unreadable as that type)."""
    if value is None:
        return None
    if type_.startswith("list<"):
        inner = type_[5:-1]
        items = value if isinstance(value, list) else [value]
        return [_typed(v, inner) for v in items if v is not None and v != ""]
    if type_ in STRUCTS:
        if not isinstance(value, Mapping):
            return None
        return {name: _typed(value.get(name), t) for name, t in STRUCTS[type_].items()}
    return _scalar(value, type_)


def _scalar(value: Any, type_: str) -> Any:
    try:
        if type_ == "string":
            return str(value)
        if type_ == "bool":
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")
        if type_ == "int":
            return int(value)
        if type_ == "float":
            return float(value)
        if type_ == "date":
            return value if isinstance(value, date) and not isinstance(value, datetime) else _when(str(value)).date()
        if type_ == "timestamp":
            return value if isinstance(value, datetime) else _when(str(value))
    except (TypeError, ValueError):
        return None
    raise ValueError(f"unknown column type {type_!r}")


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
