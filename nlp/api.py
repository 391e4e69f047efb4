"""The Python API: :func:`extract` for one text, :func:`extract_many` for a stream (in groups of texts).

Input is cleaned without moving any character: HTML tags and control or binary bytes become spaces of the same
length, so offsets always index the caller's text. Texts longer than ``MAX_CHUNK`` characters are cut at whitespace
into chunks, processed one by one and merged, so a 10 MB text costs time linear in its length and bounded memory.

Memory stays bounded over millions of texts. Texts go through spaCy in groups (up to ``ZONE_TEXTS`` texts and
``GROUP_CHARS`` characters). A group whose characters still fit in its pipeline's ``VOCAB_BUDGET`` (a group cannot add
more words to the vocabulary than it has characters) runs as is: the words it meets are kept for good, in the
vocabulary and the tokenizer's cache, so they are looked up, not rebuilt, next time. Any other group runs inside a
memory zone, which frees the words it adds when it is done (spaCy's tokenizer does not cache inside a zone, so such
text costs more to tokenize). So a pipeline's vocabulary never grows past the budget.
Docs go through the pipeline's components in batches (each component over the whole batch, then the next), as
``nlp.pipe`` would run them but without its generator per component, and the components fill each result in place.
A component with a ``pipe(docs)`` method (spaCy's protocol for components that work on batches, which ``nlp.pipe``
follows too; here the trained recogniser, which sends a batch's windows to its model in one call) is given the whole
batch as a list and yields the same docs back; every other component is called on one doc at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from nlp import langid, pipeline
from nlp.components.state import DATE, NPS, RATES, TEXT, findings, values
from nlp.rates import RateTable
from nlp.resources import LANGS
from nlp.types import Extraction

MAX_CHUNK = 50_000
ZONE_TEXTS = 4096
GROUP_CHARS = 50_000
BATCH_CHARS = 50_000  # the most characters in one batch of docs (a batch's docs are alive together)
VOCAB_BUDGET = 100_000  # lexemes a language pipeline keeps for good; a group that could pass it runs in a memory zone
_TAG = re.compile(r"<(?:[a-zA-Z/!][^<>]{0,500})>")
_NEEDS_CLEANING = re.compile(
    r"[<\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff\u200b-\u200f\u2028\u2029\ud800-\udfff]"
)
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ufeff\u200b-\u200f\u2028\u2029\ud800-\udfff]")


class Record(NamedTuple):
    """One text to extract from; ``date`` (when it was seen) selects the exchange rate. (A named tuple: immutable,
    and cheaper to make than a frozen dataclass, which counts for short texts such as listing titles.)"""

    text: str
    id: Any = None
    lang: str | None = None
    date: dt.date | None = None


def clean(text: str) -> str:
    """Same-length cleanup: tags and control/binary characters become spaces."""
    # every character ``_NEEDS_CLEANING`` looks for is "<", "\ufffd" or not printable: most texts are done with these
    # three tests in C, far cheaper than the expression's search
    if text.isprintable() and "<" not in text and "\ufffd" not in text:
        return text
    if _NEEDS_CLEANING.search(text) is None:
        return text
    text = _TAG.sub(lambda m: " " * len(m.group(0)), text)
    return _JUNK.sub(" ", text)


def resolve_language(text: str, lang: str | None) -> str:
    """``lang`` if npswatch supports it, else the detected language (an unknown ``lang`` falls back to detection)."""
    if lang in LANGS:
        return lang
    if lang:
        code = lang.lower().split("-")[0].split("_")[0]
        if code in LANGS:
            return code
    return langid.detect(text)


def extract(
    text: str,
    lang: str | None = None,
    *,
    date: dt.date | None = None,
    id: Any = None,
    rates: RateTable | None = None,
    recogniser: bool = True,
) -> Extraction:
    """Extract substances, offers, doses, routes and effects from one text (``recogniser``: see ``extract_many``)."""
    return next(iter(extract_many([Record(text, id, lang, date)], batch_size=1, rates=rates, recogniser=recogniser)))


def extract_many(
    items: Iterable[str | Record | Mapping[str, Any]],
    batch_size: int = 256,
    date: dt.date | None = None,
    zone_texts: int = ZONE_TEXTS,
    rates: RateTable | None = None,
    recogniser: bool = True,
) -> Iterator[Extraction]:
    """Extract from many texts, in input order. Items are strings, :class:`Record` or ``{"id", "text", "lang"}``.

    ``zone_texts`` is the most texts in one group (results are yielded when their group is done; at least
    ``batch_size``); ``batch_size`` is the most docs that go through each component together (see ``_run_docs``);
    ``rates`` is the exchange-rate table offers are converted with (default: the offers component's, the shipped
    snapshot unless configured otherwise); ``recogniser`` false runs the rule components only (the trained
    recogniser off: ``nlp.pipeline.get(lang, recogniser=False)``)."""
    group: list[Record] = []
    chars = 0
    limit = max(1, zone_texts, batch_size)
    for item in items:
        record = _as_record(item, date)
        group.append(record)
        chars += len(record.text)
        if len(group) >= limit or chars >= GROUP_CHARS:
            for done in _run_group(group, batch_size, rates, recogniser):  # (compiled, cheaper than ``yield from``)
                yield done
            group, chars = [], 0
    if group:
        for done in _run_group(group, batch_size, rates, recogniser):
            yield done


def _as_record(item: str | Record | Mapping[str, Any], date: dt.date | None) -> Record:
    if isinstance(item, Record):
        return item if item.date or date is None else item._replace(date=date)
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


def _run_group(records: list[Record], batch_size: int, rates: RateTable | None, recogniser: bool) -> list[Extraction]:
    # No Doc or Token may outlive the memory zones: results are plain Python objects, complete when the zones close.
    with ExitStack() as zones:
        # Extraction makes no reference cycles (a test checks that a collection after a group finds nothing), so the
        # collector's passes over a batch's live docs, several per batch, are pure cost (docs/benchmarks.md).
        zones.enter_context(pipeline.no_cycle_collection())
        results: list[Extraction] = []
        jobs: dict[str, list[tuple[int, int, str]]] = {}  # lang -> (record index, chunk offset, cleaned chunk)
        cleaned_texts: list[str] = []
        for index, record in enumerate(records):
            cleaned = clean(record.text)
            cleaned_texts.append(cleaned)
            lang = record.lang if record.lang in LANGS else resolve_language(cleaned, record.lang)
            results.append(Extraction(id=record.id, lang=lang))
            todo = jobs.get(lang)
            if todo is None:
                todo = jobs[lang] = []
            if len(cleaned) <= MAX_CHUNK:
                todo.append((index, 0, cleaned))
            else:
                todo.extend((index, offset, piece) for offset, piece in _chunks(cleaned))
        for lang, items in jobs.items():
            nlp = pipeline.get(lang, recogniser)
            if len(nlp.vocab) + sum(len(piece) for _, _, piece in items) > VOCAB_BUDGET:
                zones.enter_context(nlp.memory_zone())
            _run_docs(nlp, records, results, cleaned_texts, items, batch_size, rates)
    return results


def _run_docs(
    nlp: Language,
    records: list[Record],
    results: list[Extraction],
    cleaned_texts: list[str],
    items: list[tuple[int, int, str]],
    batch_size: int,
    rates: RateTable | None,
) -> None:
    """The chunks through the pipeline's components in batches (up to ``batch_size`` docs and ``BATCH_CHARS``
    characters): each component runs over the whole batch before the next one starts, as ``nlp.pipe`` runs
    components, without its generator per component. A component's code and tables then stay in the processor's
    caches for a batch instead of being evicted by the other components at every doc (measured against one doc
    through all components at a time: docs/benchmarks.md); a component with a ``pipe`` method gets the batch in one
    call (see the module docstring). A chunk's findings are merged into its record's result unless the components
    filled that result directly."""
    steps = [(component, getattr(component, "pipe", None)) for _, component in nlp.pipeline]
    make_doc = nlp.make_doc
    limit = max(1, batch_size)
    at = 0
    while at < len(items):
        batch: list[tuple[int, int, bool]] = []  # (record index, chunk offset, whole text)
        docs: list[Doc] = []
        chars = 0
        while at < len(items) and len(docs) < limit and (chars < BATCH_CHARS or not docs):
            index, offset, piece = items[at]
            at += 1
            chars += len(piece)
            doc = make_doc(piece)
            user_data = values(doc)
            user_data[TEXT] = piece  # the documented extensions (nlp.components.state) the components read
            record = records[index]
            if record.date is not None:
                user_data[DATE] = record.date
            if rates is not None:
                user_data[RATES] = rates
            whole = offset == 0 and piece is record.text  # one chunk of unchanged text: the components fill the result
            if whole:
                user_data[NPS] = results[index]
            batch.append((index, offset, whole))
            docs.append(doc)
        for component, batched in steps:
            if batched is not None:
                docs = list(batched(docs))
                continue
            for k, doc in enumerate(docs):
                docs[k] = component(doc)
        for (index, offset, whole), doc in zip(batch, docs, strict=True):
            if not whole:
                original = records[index].text
                _merge(results[index], findings(doc), offset, None if cleaned_texts[index] is original else original)


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
