"""Routes, effects and doses: ``npswatch_routes_v1``, ``npswatch_effects_v1``, ``npswatch_doses_v1``.

Routes and effects are look-ups of the phrase tables in ``nlp/data/routes.tsv`` and ``nlp/data/effects.tsv`` for the
pipeline's language plus English (forum Dutch, French and German borrow "comedown", "bad trip", "IV"), matched on
lower-case words, each table by a ``PhraseMatcher`` of its component (:class:`nlp.components.state.PhraseTable`).
Route words that are also ordinary words ("line", "pipe",
"plug", "shot") count only with a substance or an amount nearby. An effect is negated when a negation word of the
language stands up to ``negation_window`` tokens before it with no scope breaker ("but", ".", "maar", "mais",
"aber") in between. A dose is an amount with a dose unit near a consumption verb or a route, linked to the nearest
substance and route.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp import resources, tables
from nlp.components.state import (
    OFFER_QUANTITIES,
    ROUTE_SPANS,
    Match,
    PhraseTable,
    check_order,
    doc_text,
    findings,
    string_id,
    values,
)
from nlp.resources import EffectInfo
from nlp.types import Dose, EffectMention, RouteMention
from nlp.vocab import install_norms, installed_lexicon

WEAK_ROUTE_WORDS = frozenset(
    [
        "line",
        "lines",
        "blow",
        "pipe",
        "joint",
        "blunt",
        "spliff",
        "bong",
        "patch",
        "patches",
        "cart",
        "carts",
        "bang",
        "banging",
        "shot",
        "shoot",
        "rig",
        "needle",
        "plug",
        "plug",
        "it",
        "sl",
        "po",
        "im",
        "chew",
        "eat",
        "eating",
        "ate",
        "drink",
        "it",
        "drinking",
        "it",
        "capsule",
        "edible",
        "edibles",
        "dab",
        "dabs",
        "trace",
        "traces",
        "nase",
        "alu",
        "folie",
        "foil",
        "pijp",
        "jointje",
        "rook",
        "smoke",
        "smoking",
        "smokes",
        "fume",
        "bu",
        "mangé",
        "manger",
        "eten",
        "gegessen",
        "drinken",
        "getrunken",
        "bump",
        "bumps",
        "slam",
        "lijn",
        "lijnen",
        "linie",
        "kapsel",
        "pétard",
        "neus",
        "sniff",
        "blech",
        "pfeife",
        "e-cig",
        "volcano",
        "hole",
        "rail",
        "rails",
        "eat",
        "it",
    ]
)
DOSE_UNITS = frozenset({"mg", "µg", "g", "ml", "pills", "tabs", "blotters"})
EFFECT_KEY, VERB_KEY = "npswatch_effect", "npswatch_consumption"  # match keys of effect phrases and consumption verbs
_NONE_PAIRED: frozenset[int] = frozenset()
_NT_IDS = frozenset(string_id(v) for v in ("n't", "N't", "n'T", "N'T"))


def _languages(lang: str) -> list[str]:
    return [lang] if lang == "en" else [lang, "en"]


class RouteFinder:
    """Routes of administration: adds a :class:`nlp.types.RouteMention` per route phrase to ``doc._.nps.routes`` and
    the routes with their character offsets to ``doc._.nps_route_spans``. Reads the substances and quantities found
    before it: a route word that is also an ordinary word ("line", "plug") counts only near one of them; alone, such
    words never count. Its phrases load in ``initialize``."""

    READS = ("doc._.nps.substances", "doc._.nps.quantities")
    ASSIGNS = ("doc._.nps.routes", "doc._.nps_route_spans")

    def __init__(self, nlp: Language, name: str, context_chars: int, tables: bool = True) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.context_chars = context_chars
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self.tables = tables
        self._route_of: dict[str, str] = {}
        self._table: PhraseTable | None = None
        self._data: dict[str, Any] = {}

    def _phrases(self) -> dict[str, list[Doc]]:
        """The route phrases' pattern docs, one match key per route."""
        phrases: dict[str, list[Doc]] = {}
        for phrase, route in self._route_of.items():
            phrases.setdefault(route, []).append(self._make_doc(phrase))
        return phrases

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._route_of = {}
        for lang in _languages(self.lang):
            for phrase, route in resources.routes().get(lang, {}).items():
                self._route_of.setdefault(phrase, route)
        self._table, self._data = _load_table(self.vocab, self.lang, "routes", self.tables, self._phrases)

    def table_data(self) -> dict[str, Any]:
        """What :mod:`nlp.tables` keeps of this component."""
        return self._data

    def __call__(self, doc: Doc) -> Doc:
        if self._table is None:
            self.initialize()
        assert self._table is not None
        matches = self._table.hits(doc)
        if not matches:
            return doc
        out = findings(doc)
        text = doc_text(doc)
        anchors = sorted([m.start for m in out.substances] + [q.start for q in out.quantities])
        positions: list[tuple[int, int, str]] = []
        drug_talk: bool | None = None
        for key, start_char, end_char in _longest_first(doc, matches):
            surface = text[start_char:end_char]
            phrase = surface.lower()
            route = self._route_of.get(phrase) or self.vocab.strings[key]
            if phrase in WEAK_ROUTE_WORDS or len(phrase) <= 3:
                if not _any_within(anchors, start_char, self.context_chars):
                    continue
            elif not anchors:
                drug_talk = _drug_talk(doc) if drug_talk is None else drug_talk
                if not drug_talk:
                    continue
            out.routes.append(RouteMention(surface, route))
            positions.append((start_char, end_char, route))
        values(doc)[ROUTE_SPANS] = positions
        return doc


def _load_table(
    vocab: Vocab, lang: str, section: str, stored: bool, phrases: Callable[[], dict[str, list[Doc]]]
) -> tuple[PhraseTable, dict[str, Any]]:
    """A component's phrase table: from the serialised tables when ``stored`` and the vocabulary's norms are those of
    the shipped lexicon (the norms they were written with), else made from ``phrases()``. The shipped lexicon's norms
    are installed first if no component installed others, so a component alone matches as in the full pipeline."""
    default = resources.lexicon()
    install_norms(vocab, default)
    if stored and installed_lexicon(vocab) is default:
        data = tables.section(lang, section, lambda: PhraseTable.data(phrases()))
    else:
        data = PhraseTable.data(phrases())
    return PhraseTable(vocab, data), data


def _drug_talk(doc: Doc) -> bool:
    """A text with no substance or amount still talks about drug use if it says so plainly."""
    return bool(re.search(r"\b(?:drugs?|dose|dosed|high|trip|rolling|nod|drogen?|drogue|drugs)\b", doc_text(doc), re.I))


class EffectFinder:
    """Effects: adds an :class:`nlp.types.EffectMention` (adverse, severe, negated) per effect phrase to
    ``doc._.nps.effects``. Reads nothing another component assigns. Its phrases and negation words load in
    ``initialize``."""

    READS: tuple[str, ...] = ()
    ASSIGNS = ("doc._.nps.effects",)

    def __init__(self, nlp: Language, name: str, negation_window: int, tables: bool = True) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.negation_window = negation_window
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self.tables = tables
        self._info: dict[str, EffectInfo] = {}
        self._table: PhraseTable | None = None
        self._data: dict[str, Any] = {}
        self._negation_ids: frozenset[int] = frozenset()  # ids of the lower-case negation words
        self._breaker_ids: frozenset[int] = frozenset()

    def _phrases(self) -> dict[str, list[Doc]]:
        """The effect phrases' pattern docs, under one match key (a hit's effect is looked up by its text)."""
        return {EFFECT_KEY: [self._make_doc(phrase) for phrase in self._info]}

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        cues = resources.cues()
        self._info = {}
        for lang in _languages(self.lang):
            for phrase, info in resources.effects().get(lang, {}).items():
                self._info.setdefault(phrase, info)
        self._table, self._data = _load_table(self.vocab, self.lang, "effects", self.tables, self._phrases)
        negation = frozenset().union(*(cues.negation.get(lang, frozenset()) for lang in _languages(self.lang)))
        self._negation_ids = frozenset(string_id(word) for word in negation)
        self._breaker_ids = frozenset(string_id(word) for word in cues.scope_breakers)

    def table_data(self) -> dict[str, Any]:
        """What :mod:`nlp.tables` keeps of this component."""
        return self._data

    def __call__(self, doc: Doc) -> Doc:
        if self._table is None:
            self.initialize()
        assert self._table is not None
        matches = self._table.hits(doc)
        if not matches:
            return doc
        out = findings(doc)
        text = doc_text(doc)
        for start, start_char, end_char in _longest_first(doc, matches, token_start=True):
            surface = text[start_char:end_char]
            info = self._info.get(surface.lower())
            if info is None:
                continue
            negated = self._negated(doc, start)
            out.effects.append(EffectMention(surface, info.effect, info.adverse, info.severe, negated))
        return doc

    def _negated(self, doc: Doc, start: int) -> bool:
        for k in range(start - 1, max(-1, start - 1 - self.negation_window), -1):
            token = doc[k]  # compared by string ids: reading a token's text costs a decoding
            low = token.lower
            if low in self._breaker_ids:
                return False
            if low in self._negation_ids or token.suffix in _NT_IDS:  # its last three characters: "n't" in any case
                return True
        return False


class DoseFinder:
    """Doses: adds a :class:`nlp.types.Dose` to ``doc._.nps.doses`` per quantity with a dose unit that is not in an
    offer and stands near a route, a substance (in a text without prices) or a consumption verb, with the nearest
    substance and route. Reads what the substance, novel, offers and routes components assign; alone, it judges the
    quantities a caller put in ``doc._.nps`` (none, unless given). Its consumption verbs load in ``initialize``."""

    READS = ("doc._.nps.substances", "doc._.nps.quantities", "doc._.nps.prices", "doc._.nps_offer_quantities",
             "doc._.nps_route_spans")  # fmt: skip
    ASSIGNS = ("doc._.nps.doses",)

    def __init__(self, nlp: Language, name: str, window_chars: int, max_grams: float, tables: bool = True) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.window_chars = window_chars
        self.max_grams = max_grams
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self.tables = tables
        self._table: PhraseTable | None = None
        self._data: dict[str, Any] = {}

    def _phrases(self) -> dict[str, list[Doc]]:
        """The consumption verbs' pattern docs."""
        cues = resources.cues()
        words = set().union(*(cues.consumption.get(lang, frozenset()) for lang in _languages(self.lang)))
        return {VERB_KEY: [self._make_doc(w) for w in sorted(words)]}

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._table, self._data = _load_table(self.vocab, self.lang, "doses", self.tables, self._phrases)

    def table_data(self) -> dict[str, Any]:
        """What :mod:`nlp.tables` keeps of this component."""
        return self._data

    def __call__(self, doc: Doc) -> Doc:
        if self._table is None:
            self.initialize()
        out = findings(doc)
        if not out.quantities:
            return doc
        user_data = values(doc)
        paired: AbstractSet[int] = user_data.get(OFFER_QUANTITIES) or _NONE_PAIRED
        max_grams = self.max_grams
        candidates = [
            q
            for q in out.quantities
            if q.unit in DOSE_UNITS and (q.grams is None or q.grams <= max_grams) and q.start not in paired
        ]
        if not candidates:
            return doc
        verbs: list[int] | None = None  # consumption verbs are looked up only if a route or a substance does not decide
        routes: list[tuple[int, int, str]] = user_data.get(ROUTE_SPANS) or []
        route_items = sorted([(s, r) for s, _, r in routes]) if routes else []
        substance_items = sorted([(m.start, m.canonical or m.text) for m in out.substances])
        limit = self.window_chars * 2
        for q in candidates:
            route = _nearest(q.start, route_items, limit) if route_items else None
            substance = _nearest(q.start, substance_items, limit) if substance_items else None
            if not (route or (substance and not out.prices)):
                if verbs is None:
                    assert self._table is not None
                    verbs = [doc[start].idx for _, start, _ in self._table.hits(doc)]
                if not _any_within(verbs, q.start, self.window_chars):
                    continue
            out.doses.append(Dose(q.text, q.amount, q.unit, substance, route))
        return doc


def _longest_first(doc: Doc, matches: list[Match], token_start: bool = False) -> list[tuple[int, int, int]]:
    """Non-overlapping matches, longest first (as ``spacy.util.filter_spans``), in text order, without building
    spans: ``(match key or start token, start char, end char)``."""
    chosen = matches
    previous_end = -1
    for _, start, end in matches:  # in text order, as the matcher gives them: usually none overlap
        if start < previous_end:
            chosen = _without_overlaps(matches)
            break
        previous_end = end
    out = []
    for key, start, end in chosen:
        first = doc[start]
        last = first if end - start == 1 else doc[end - 1]
        out.append((start if token_start else key, first.idx, last.idx + len(last)))
    return out


def _without_overlaps(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    chosen: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    for key, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            chosen.append((key, start, end))
    return sorted(chosen, key=lambda m: m[1])


def _any_within(sorted_positions: list[int], pos: int, limit: int) -> bool:
    i = bisect.bisect_left(sorted_positions, pos - limit)
    return i < len(sorted_positions) and sorted_positions[i] <= pos + limit


def _nearest(pos: int, items: list[tuple[int, str]], limit: int) -> str | None:
    """The value of the item (sorted by position) nearest to ``pos`` within ``limit`` characters."""
    if len(items) == 1:  # the common case: one substance in a listing title
        start, value = items[0]
        inside = -limit <= start - pos < limit or (start - pos == limit and value <= "\uffff")  # as the bisection
        return value if inside else None
    best: tuple[int, str] | None = None
    i = bisect.bisect_left(items, (pos - limit, ""))
    for start, value in items[i : bisect.bisect_right(items, (pos + limit, "\uffff"))]:
        distance = abs(start - pos)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, value)
    return best[1] if best else None


@Language.factory(
    "npswatch_routes_v1",
    default_config={"context_chars": 80, "tables": True},
    assigns=["doc._.nps", "doc._.nps_route_spans"],
)
def make_route_finder(nlp: Language, name: str, context_chars: int, tables: bool) -> RouteFinder:
    """Routes of administration mapped to the ten npswatch routes. ``tables``: use the serialised matcher tables
    (:mod:`nlp.tables`) when they are up to date."""
    return RouteFinder(nlp, name, context_chars, tables)


@Language.factory("npswatch_effects_v1", default_config={"negation_window": 4, "tables": True}, assigns=["doc._.nps"])
def make_effect_finder(nlp: Language, name: str, negation_window: int, tables: bool) -> EffectFinder:
    """Effects with adverse/severe flags, negation-aware. ``tables``: as for routes."""
    return EffectFinder(nlp, name, negation_window, tables)


@Language.factory(
    "npswatch_doses_v1", default_config={"window_chars": 60, "max_grams": 5.0, "tables": True}, assigns=["doc._.nps"]
)
def make_dose_finder(nlp: Language, name: str, window_chars: int, max_grams: float, tables: bool) -> DoseFinder:
    """Doses: amounts near consumption verbs or routes, linked to the nearest substance and route. ``tables``: as
    for routes."""
    return DoseFinder(nlp, name, window_chars, max_grams, tables)
