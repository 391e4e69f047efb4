"""``npswatch_recogniser_v1``: a small trained spaCy NER model beside the rules, run only where it can add something.

The model (``nlp/data/recogniser/``: a spaCy ``EntityRecognizer`` with one label, ``DRUG``, trained by ``make train``
on the Reddit r/opiates drug NER set and weak labels; see its README) costs far more per token than the rule
components, so it never reads a whole text. After the substance and novel-name components, a gate picks the few
regions where the rules left something unexplained:

- a name-shaped word (``doc._.nps_name_tokens``; alone, this component finds them with a matcher of its own) that no
  substance mention covers and that :func:`looks_chemical`;
- an amount with a dose unit ("20mg", "2 pills") with no substance mention within ``dose_chars`` characters and a
  consumption word (``data/cues.json``: "took", "snorted", "geslikt"...) within ``verb_chars``: a dose whose
  substance the rules did not find ("I took 20mg of dialudid"), with ``DOSE_REACH`` tokens on either side.
The model reads ``window`` tokens on either side of each region (overlapping windows merged). A doc with no region
costs a few look-ups; the windows of a whole batch of docs go through the model in one call (:meth:`Recogniser.pipe`,
which ``nlp.pipe`` and ``nlp.api``'s batches call), and what the model found in a window is kept by the window's words
(``cache_size`` windows), so a window that comes again costs a look-up.

A span the model finds is kept if it overlaps a region, no substance mention overlaps it (the rules win) and it is
not a generic word (``nlp.resources.GENERIC``). It becomes a substance mention with ``found_by: "model"``: the
lexicon's entry if its text is a lexicon form (``known: true``), else a family's groups if the name grammar
(:mod:`nlp.names`) reads its text whole (``known: false``, ``nps: true``), else, if it has ``MIN_LENGTH`` characters or
more, ``known: false`` with ``canonical: null``, ``effect_group: "other"``, ``chemical_group: "unknown"`` and ``nps:
false`` (the model says "a substance", not which one). Names the rules decide with cues of their own are never added
by the model: co-used substances (``chemical_group: "co-use"``, left out of warnings) and names never reported
(naloxone, test kits: ``nlp.lexicon.NOT_REPORTED``).
"""

from __future__ import annotations

import re
import shutil
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc

from nlp import names, resources
from nlp.components.state import (
    MODEL_SUBSTANCES,
    NAME_TOKENS,
    RULE_SUBSTANCES,
    check_order,
    doc_matches,
    doc_text,
    findings,
    string_id,
    token_end,
    token_idx,
    values,
)
from nlp.data import DATA_DIR
from nlp.errors import DataFileError
from nlp.lexicon import CO_USE, DEFAULT_LEXICON, NOT_REPORTED, FormHit, Lexicon
from nlp.normalize import form_key
from nlp.types import SubstanceMention
from nlp.vocab import install_norms, name_pattern

DEFAULT_MODEL = DATA_DIR / "recogniser"
FOUND_BY: Final = "model"  # the ``found_by`` of the mentions this component adds (the rule components': "rules")
WindowKey = tuple[tuple[int, ...], tuple[bool, ...]]  # a window's words (string ids) and the spaces after them
# the shortest name-shaped word the model reads, and the shortest name it adds that no lexicon form or family explains
# (as for the rules' novel candidates: "4-B", "M30", "80s" say too little)
MIN_LENGTH: Final = 4
DOSE_REACH: Final = 3  # tokens on either side of an unattributed dose where the model's span is kept
_CHEMICAL_CACHE: Final = 50_000
# an amount with a dose unit (the doses component's units, as written)
_DOSE_AMOUNT: Final = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|ug|ml|g|gr|grams?|pills?|tabs?|blotters?)(?!\w)", re.IGNORECASE
)
# times, ratios, links; four digits in a row; hex numbers; sizes
_NOT_A_NAME: Final = re.compile(r"[/:+=@#]|\d{4}|^0x|^[0-9A-F]*\d[0-9A-F]*\d[0-9A-F]*$|\d[x×]\d")
_TWO_CAPITALS: Final = re.compile(r"[A-Z].*[A-Z]")
# a digit that starts or ends a word or a hyphenated part ("4F-ABF", "2C-B", "JWH-018", "80s", "M30's"), not one in
# the middle of letters ("zz31qq", "unique31word": usernames and codes)
_EDGE_DIGIT: Final = re.compile(r"(?:^|-)\d|\d(?:'?s)?(?:$|-)")


def load_ner(vocab: Any, path: Path, name: str = "npswatch_recogniser") -> EntityRecognizer:
    """The trained model in ``path`` (``config.cfg`` for the network, ``ner/`` for its weights), in ``vocab``."""
    from spacy.util import registry
    from thinc.api import Config

    try:
        config = Config().from_disk(path / "config.cfg")
        model = registry.resolve({"model": config["components"]["ner"]["model"]})["model"]
        ner = EntityRecognizer(vocab, model, name=name)
        ner.from_disk(path / "ner", exclude=["vocab"])
    except (OSError, KeyError, ValueError) as exc:
        raise DataFileError(f"expected a trained recogniser in {path} (config.cfg and ner/): {exc}") from exc
    return ner


def looks_chemical(word: str, grammar: names.Grammar | None = None) -> bool:
    """A name-shaped word worth the model's time: ``MIN_LENGTH`` characters or more, a digit at the edge of a part or
    a part with two capitals, and not a time, ratio, link, size ("3x4"), identifier (four digits in a row: order,
    tracking and part numbers, years) or hex number ("77AB", "0x3F2A"), unless the name grammar (``grammar``, default
    the shipped lexicon's: :mod:`nlp.names`) reads it whole ("U-47700")."""
    if len(word) < MIN_LENGTH or (_NOT_A_NAME.search(word) and names.parse(word, grammar) is None):
        return False
    return _EDGE_DIGIT.search(word) is not None or any(_TWO_CAPITALS.search(part) for part in word.split("-"))


def _window_doc(doc: Doc, start: int, end: int) -> Doc:
    """Tokens ``start`` to ``end`` of ``doc`` as a doc of their own (what the model reads: their words; a fraction of
    the time of ``Span.as_doc``, which copies every attribute)."""
    tokens = doc[start:end]
    return Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])


def windows(length: int, regions: list[tuple[int, int]], width: int) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """What the model reads: ``width`` tokens around each region of a doc of ``length`` tokens, overlapping windows
    merged; each window with its regions, in the window's token numbers."""
    wide = sorted((max(0, a - width), min(length, b + width), a, b) for a, b in regions)
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    for start, end, a, b in wide:
        if out and start <= out[-1][1]:
            last_start, last_end, inside = out[-1]
            out[-1] = (last_start, max(last_end, end), inside)
        else:
            out.append((start, end, []))
        out[-1][2].append((a - out[-1][0], b - out[-1][0]))
    return out


def recogniser_of(nlp: Language, name: str = "recogniser") -> Recogniser:
    """The pipeline's recogniser component (typed)."""
    component = nlp.get_pipe(name)
    if not isinstance(component, Recogniser):
        raise TypeError(f"expected a {Recogniser.__name__} as component {name!r}, found {type(component).__name__}")
    return component


class Recogniser:
    """The trained recogniser (see the module docstring): adds a :class:`nlp.types.SubstanceMention` with
    ``found_by: "model"`` to ``doc._.nps.substances`` per span the model finds where the rules left something
    unexplained. Reads the substance mentions and ``doc._.nps_name_tokens`` (alone, it finds the name-shaped words
    itself); ``enabled`` false, or a language outside ``langs``: it does nothing and loads no model. ``gate`` false:
    the model reads every token of every text (for measuring; with no rule component before it, the model alone)."""

    READS = (RULE_SUBSTANCES, "doc._.nps_name_tokens")
    ASSIGNS = (MODEL_SUBSTANCES,)

    def __init__(
        self, nlp: Language, name: str, model_path: str, lexicon_path: str, enabled: bool, langs: list[str],
        window: int, gate: bool, dose_chars: int, verb_chars: int, cache_size: int,
    ) -> None:  # fmt: skip
        self.name = name
        self.vocab = nlp.vocab
        self.lang: str = nlp.lang or "en"
        self.model_path = model_path or str(DEFAULT_MODEL)
        self.lexicon_path = lexicon_path or str(DEFAULT_LEXICON)
        self.enabled = enabled
        self.langs = list(langs)
        self.window = window
        self.gate = gate
        self.dose_chars = dose_chars
        self.verb_chars = verb_chars
        self.cache_size = cache_size
        self._found: dict[WindowKey, tuple[tuple[int, int], ...]] = {}  # what the model found in a window, kept
        self._chemical: dict[str, bool] = {}  # looks_chemical of the words seen
        self._verb_ids: frozenset[int] = frozenset()
        self._names = PhraseMatcher(nlp.vocab, attr="NORM")
        self._ner: EntityRecognizer | None = None
        self._lexicon: Lexicon | None = None
        self._grammar: names.Grammar | None = None
        self.opened = 0  # docs the gate opened on, and docs seen (for measuring the gate)
        self.seen = 0

    @property
    def active(self) -> bool:
        return self.enabled and self.lang in self.langs

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._found = {}
        if not self.active:
            return
        lex = self._lexicon = resources.lexicon(self.lexicon_path)
        self._grammar = resources.grammar(self.lexicon_path)
        install_norms(self.vocab, lex)
        self._names = PhraseMatcher(self.vocab, attr="NORM")
        self._names.add("NAME", [name_pattern(self.vocab)])
        consumption = resources.cues().consumption
        words = consumption.get(self.lang, frozenset()) | consumption.get("en", frozenset())
        self._verb_ids = frozenset(string_id(word) for word in words)  # as ``Token.lower`` gives them
        self._ner = load_ner(self.vocab, Path(self.model_path))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the model the component uses, so a saved pipeline carries it."""
        target = Path(path)
        target.mkdir(parents=True, exist_ok=True)
        source = Path(self.model_path)
        shutil.copyfile(source / "config.cfg", target / "config.cfg")
        shutil.copytree(source / "ner", target / "ner", dirs_exist_ok=True)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Recogniser:
        self.model_path = str(path)
        self.initialize()
        return self

    def __call__(self, doc: Doc) -> Doc:
        for _ in self.pipe([doc]):
            pass
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """The docs, with what the model adds; the windows of all of them go through the model in one call."""
        batch = docs if isinstance(docs, list) else list(docs)
        if self._ner is None and self.active:
            self.initialize()
        ner = self._ner
        if ner is None or not self.active:
            yield from batch
            return
        jobs: list[tuple[Doc, int, list[tuple[int, int]], WindowKey]] = []  # (doc, window start, regions, key)
        todo: dict[WindowKey, Doc] = {}  # windows the model has not read yet, as docs of their own
        kept = self._found
        self.seen += len(batch)
        for doc in batch:
            if self.gate:
                regions = self.regions(doc)
                if not regions:
                    continue
                self.opened += 1
                parts = windows(len(doc), regions, self.window)
            else:
                parts = [(0, len(doc), [(0, len(doc))])] if len(doc) else []
            for start, end, inside in parts:
                tokens = doc[start:end]
                key = (tuple([t.orth for t in tokens]), tuple([bool(t.whitespace_) for t in tokens]))
                if key not in kept and key not in todo:
                    todo[key] = _window_doc(doc, start, end)
                jobs.append((doc, start, inside, key))
        found: dict[WindowKey, tuple[tuple[int, int], ...]] = {}
        if todo:
            window_docs = list(todo.values())
            ner.set_annotations(window_docs, ner.predict(window_docs))
            found = {key: tuple([(e.start, e.end) for e in window.ents]) for key, window in todo.items()}
            if self.cache_size:
                if len(kept) + len(found) > self.cache_size:
                    kept.clear()
                kept.update(found)
        for doc, start, inside, key in jobs:
            spans = found[key] if key in found else kept[key]
            self._add(doc, [(start + a, start + b) for a, b in spans if any(x < b and a < y for x, y in inside)])
        yield from batch

    def regions(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges the rules left unexplained, where a span the model finds is kept (see the module docstring):
        a name-shaped word; an unattributed dose with ``DOSE_REACH`` tokens on either side."""
        user_data = values(doc)
        substances = findings(doc, user_data).substances
        names: list[int] | None = user_data.get(NAME_TOKENS)
        if names is None:
            names = [start for _, start, _ in doc_matches(self._names, doc)]
        out: list[tuple[int, int]] = []
        text = doc_text(doc, user_data)
        if not names and substances and len(text) <= self.dose_chars:
            return out  # (most listing titles: no name-shaped word, and a substance within reach of every amount)
        for i in names:
            start, end = token_idx(doc, i), token_end(doc, i)
            for m in substances:  # a loop, not any(): no generator per word
                if m.start < end and start < m.end:
                    break
            else:
                if self._looks_chemical(text[start:end]):  # the token's text
                    out.append((i, i + 1))
        # every amount of a short text with a substance in it has a substance within reach: no need to look
        if not substances or len(text) > self.dose_chars:
            for start, end in self._unattributed_doses(doc, text, substances):
                out.append((max(0, start - DOSE_REACH), min(len(doc), end + DOSE_REACH)))
        return out

    def _unattributed_doses(self, doc: Doc, text: str, substances: list[SubstanceMention]) -> list[tuple[int, int]]:
        """Token ranges of amounts with a dose unit that have no substance mention within ``dose_chars`` characters
        and a consumption word within ``verb_chars``."""
        out = []
        starts = [m.start for m in substances]
        for match in _DOSE_AMOUNT.finditer(text):
            at, end = match.start(), match.end()
            k = bisect_left(starts, at - self.dose_chars)
            if k < len(starts) and starts[k] <= end + self.dose_chars:
                continue
            near = doc.char_span(max(0, at - self.verb_chars), min(len(text), end + self.verb_chars),
                                 alignment_mode="expand")  # fmt: skip
            amount = doc.char_span(at, end, alignment_mode="expand")
            if near is None or amount is None:
                continue
            for token in near:
                if token.lower in self._verb_ids:
                    out.append((amount.start, amount.end))
                    break
        return out

    def _looks_chemical(self, word: str) -> bool:
        """``looks_chemical``, kept per word (at most ``_CHEMICAL_CACHE`` words; emptied when full)."""
        kept = self._chemical.get(word)
        if kept is None:
            if len(self._chemical) >= _CHEMICAL_CACHE:
                self._chemical.clear()
            kept = self._chemical[word] = looks_chemical(word, self._grammar)
        return kept

    def _add(self, doc: Doc, spans: list[tuple[int, int]]) -> None:
        """Mentions for the model's spans (token ranges) that no substance mention overlaps."""
        user_data = values(doc)
        found = findings(doc, user_data)
        text = doc_text(doc, user_data)
        added = False
        for first, last in spans:
            start = token_idx(doc, first)
            end = token_end(doc, last - 1)
            surface = text[start:end]
            if surface.lower() in resources.GENERIC or any(m.start < end and start < m.end for m in found.substances):
                continue
            mention = self.mention(surface, start, end)
            if mention.chemical_group in NOT_REPORTED or mention.chemical_group == CO_USE:
                continue  # the rules decide these with their own cues (a test kit, "don't mix with alcohol")
            if mention.known or mention.nps or len(surface) >= MIN_LENGTH:
                found.substances.append(mention)
                added = True
        if added:
            found.substances.sort(key=lambda m: m.start)

    def mention(self, surface: str, start: int, end: int) -> SubstanceMention:
        """The mention for a span the model found: the lexicon's entry, else the family the name grammar reads it as,
        else unknown."""
        hit = self._lexicon_hit(surface)
        if hit is not None:
            sub = hit.substance
            return SubstanceMention(surface, start, end, sub.canonical, sub.effect_group, sub.chemical_group, sub.nps,
                                    True, FOUND_BY)  # fmt: skip
        family = names.parse(surface, self._grammar)
        if family is not None:
            return SubstanceMention(surface, start, end, None, family.effect_group, family.chemical_group, True, False,
                                    FOUND_BY)  # fmt: skip
        return SubstanceMention(surface, start, end, None, "other", "unknown", False, False, FOUND_BY)

    def _lexicon_hit(self, surface: str) -> FormHit | None:
        lex = self._lexicon
        if lex is None:
            return None
        hits = lex.by_key.get(form_key(surface)) or lex.short_forms.get(surface)
        return lex.pick(hits, self.lang) if hits else None


@Language.factory(
    "npswatch_recogniser_v1",
    default_config={"model_path": "", "lexicon_path": "", "enabled": True, "langs": ["en", "nl", "fr", "de"],
                    "window": 4, "gate": True, "dose_chars": 120, "verb_chars": 60, "cache_size": 4096},
    assigns=["doc._.nps"],
)  # fmt: skip
def make_recogniser(
    nlp: Language, name: str, model_path: str, lexicon_path: str, enabled: bool, langs: list[str], window: int,
    gate: bool, dose_chars: int, verb_chars: int, cache_size: int,
) -> Recogniser:  # fmt: skip
    """The trained recogniser; after ``npswatch_novel_v1`` and before the components that read substances.
    ``model_path`` empty means the shipped ``nlp/data/recogniser``; ``enabled`` false (``nlp.pipeline.get(lang,
    recogniser=False)``) or a pipeline language not in ``langs`` turns it off; ``dose_chars`` and ``verb_chars`` as the
    doses component's reach (twice its ``window_chars``) and its ``window_chars``."""
    return Recogniser(nlp, name, model_path, lexicon_path, enabled, langs, window, gate, dose_chars, verb_chars,
                      cache_size)  # fmt: skip
