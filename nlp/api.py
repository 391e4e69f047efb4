"""The Python API: :func:`extract` for one text, :func:`extract_many` for a stream (batched through ``nlp.pipe``).

Input is cleaned without moving any character: HTML tags and control or binary bytes become spaces of the same
length, so offsets always index the caller's text. Texts longer than ``MAX_CHUNK`` characters are cut at whitespace
into chunks, processed one by one and merged, so a 10 MB text costs time linear in its length and bounded memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from nlp import langid, pipeline
from nlp.components.state import TEXT_KEY, findings
from nlp.resources import LANGS
from nlp.types import Extraction

MAX_CHUNK = 50_000
_TAG = re.compile(r"<(?:[a-zA-Z/!][^<>]{0,500})>")
_NEEDS_CLEANING = re.compile(
    r"[<\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff\u200b-\u200f\u2028\u2029\ud800-\udfff]"
)
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff\u200b-\u200f\u2028\u2029\ud800-\udfff]")


@dataclass(frozen=True)
class Record:
    """One text to extract from; ``date`` (when it was seen) selects the exchange rate."""

    text: str
    id: Any = None
    lang: str | None = None
    date: dt.date | None = None


def clean(text: str) -> str:
    """Same-length cleanup: tags and control/binary characters become spaces."""
    if _NEEDS_CLEANING.search(text) is None:
        return text
    text = _TAG.sub(lambda m: " " * len(m.group(0)), text)
    return _JUNK.sub(" ", text)


def resolve_language(text: str, lang: str | None) -> str:
    """``lang`` if npswatch supports it, else the detected language (an unknown ``lang`` falls back to detection)."""
    if lang:
        code = lang.lower().split("-")[0].split("_")[0]
        if code in LANGS:
            return code
    return langid.detect(text)


def extract(text: str, lang: str | None = None, *, date: dt.date | None = None, id: Any = None) -> Extraction:
    """Extract substances, offers, doses, routes and effects from one text."""
    return next(iter(extract_many([Record(text, id, lang, date)], batch_size=1)))


def extract_many(
    items: Iterable[str | Record | Mapping[str, Any]], batch_size: int = 256, date: dt.date | None = None
) -> Iterator[Extraction]:
    """Extract from many texts, in input order. Items are strings, :class:`Record` or ``{"id", "text", "lang"}``."""
    batch: list[Record] = []
    for item in items:
        batch.append(_as_record(item, date))
        if len(batch) >= batch_size:
            yield from _run_batch(batch, batch_size)
            batch = []
    if batch:
        yield from _run_batch(batch, batch_size)


def _as_record(item: str | Record | Mapping[str, Any], date: dt.date | None) -> Record:
    if isinstance(item, Record):
        return item if item.date or date is None else dataclasses.replace(item, date=date)
    if isinstance(item, str):
        return Record(item, None, None, date)
    text = item.get("text")
    raw_date = item.get("date")
    when = dt.date.fromisoformat(str(raw_date)[:10]) if raw_date else date
    lang = item.get("lang")
    return Record(text if isinstance(text, str) else "", item.get("id"), lang if isinstance(lang, str) else None, when)


def _chunks(text: str) -> list[tuple[int, str]]:
    if len(text) <= MAX_CHUNK:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK)
        if end < len(text):
            cut = text.rfind(" ", start + MAX_CHUNK // 2, end)
            end = cut + 1 if cut > 0 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _run_batch(records: list[Record], batch_size: int) -> Iterator[Extraction]:
    # spaCy's memory zones free the strings and lexemes a batch adds to the vocab, so memory stays flat over millions
    # of texts full of unique tokens (ids, hashes, URLs). No Doc or Token may outlive the zone: results are copied out.
    with ExitStack() as zones:
        results = _process(records, batch_size, zones)
    yield from results


def _process(records: list[Record], batch_size: int, zones: ExitStack) -> list[Extraction]:
    jobs: dict[str, list[tuple[int, int, Doc]]] = {}
    results: list[Extraction] = []
    cleaned_texts: list[str] = []
    for index, record in enumerate(records):
        cleaned = clean(record.text)
        cleaned_texts.append(cleaned)
        lang = resolve_language(cleaned, record.lang)
        results.append(Extraction(id=record.id, lang=lang))
        nlp = pipeline.get(lang)
        if lang not in jobs:
            zones.enter_context(nlp.memory_zone())
            jobs[lang] = []
        for offset, piece in _chunks(cleaned):
            doc = nlp.make_doc(piece)
            doc.user_data[TEXT_KEY] = piece
            if record.date is not None:
                doc.user_data["npswatch_date"] = record.date
            jobs.setdefault(lang, []).append((index, offset, doc))
    for lang, items in jobs.items():
        docs = pipeline.get(lang).pipe((doc for _, _, doc in items), batch_size=batch_size)
        for (index, offset, _), doc in zip(items, docs, strict=True):
            original = records[index].text
            _merge(results[index], findings(doc), offset, None if cleaned_texts[index] is original else original)
    return results


def _merge(target: Extraction, part: Extraction, offset: int, original: str | None) -> None:
    """Add a chunk's findings; ``original`` is the caller's text when cleaning changed it, else None."""

    def shift(items: list[Any]) -> list[Any]:
        if offset:
            items = [dataclasses.replace(x, start=x.start + offset, end=x.end + offset) for x in items]
        return items if original is None else [_restore_text(x, original) for x in items]

    target.substances.extend(shift(part.substances))
    target.quantities.extend(shift(part.quantities))
    target.prices.extend(shift(part.prices))
    target.offers.extend(part.offers)
    target.purity.extend(part.purity)
    target.doses.extend(part.doses)
    target.routes.extend(part.routes)
    target.effects.extend(part.effects)


def _restore_text(item: Any, original: str) -> Any:
    """Report the caller's characters (cleaning only blanked tags and junk, so offsets are unchanged)."""
    text = original[item.start : item.end]
    return item if text == item.text else dataclasses.replace(item, text=text)
