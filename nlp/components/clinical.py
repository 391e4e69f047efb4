"""Routes, effects and doses: ``npswatch_routes_v1``, ``npswatch_effects_v1``, ``npswatch_doses_v1``.

Routes and effects are PhraseMatcher look-ups (attr LOWER) of the phrase tables in ``nlp/data/routes.tsv`` and
``nlp/data/effects.tsv`` for the pipeline's language plus English (forum Dutch, French and German borrow "comedown",
"bad trip", "IV"). Route words that are also ordinary words ("line", "pipe", "plug", "shot") count only with a
substance or an amount nearby. An effect is negated when a negation word of the language stands up to
``negation_window`` tokens before it with no scope breaker ("but", ".", "maar", "mais", "aber") in between.
A dose is an amount with a dose unit near a consumption verb or a route, linked to the nearest substance and route.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp import resources
from nlp.components.offers import PAIRED_KEY
from nlp.components.state import doc_text, findings
from nlp.resources import EffectInfo
from nlp.types import Dose, EffectMention, RouteMention

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
ROUTES_KEY = "npswatch_route_positions"


def _languages(lang: str) -> list[str]:
    return [lang] if lang == "en" else [lang, "en"]


class RouteFinder:
    def __init__(self, nlp: Language, name: str, context_chars: int) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.context_chars = context_chars
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._make_doc = nlp.make_doc
        self._route_of: dict[str, str] = {}
        self._ready = False

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        table = resources.routes()
        for lang in _languages(self.lang):
            for phrase, route in table.get(lang, {}).items():
                if phrase not in self._route_of:
                    self._route_of[phrase] = route
                    self.matcher.add(route, [self._make_doc(phrase)])
        self._ready = True

    def __call__(self, doc: Doc) -> Doc:
        if not self._ready:
            self.initialize()
        out = findings(doc)
        anchors = sorted([m.start for m in out.substances] + [q.start for q in out.quantities])
        positions: list[tuple[int, int, str]] = []
        spans = filter_spans([Span(doc, s, e, label=key) for key, s, e in self.matcher(doc)])
        drug_talk: bool | None = None
        for span in spans:
            phrase = span.text.lower()
            route = self._route_of.get(phrase, span.label_)
            if phrase in WEAK_ROUTE_WORDS or len(phrase) <= 3:
                if not _any_within(anchors, span.start_char, self.context_chars):
                    continue
            elif not anchors:
                drug_talk = _drug_talk(doc) if drug_talk is None else drug_talk
                if not drug_talk:
                    continue
            out.routes.append(RouteMention(span.text, route))
            positions.append((span.start_char, span.end_char, route))
        doc.user_data[ROUTES_KEY] = positions
        return doc


def _drug_talk(doc: Doc) -> bool:
    """A text with no substance or amount still talks about drug use if it says so plainly."""
    return bool(re.search(r"\b(?:drugs?|dose|dosed|high|trip|rolling|nod|drogen?|drogue|drugs)\b", doc_text(doc), re.I))


class EffectFinder:
    def __init__(self, nlp: Language, name: str, negation_window: int) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.negation_window = negation_window
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._make_doc = nlp.make_doc
        self._info: dict[str, EffectInfo] = {}
        self._negation: frozenset[str] = frozenset()
        self._breakers: frozenset[str] = frozenset()
        self._ready = False

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        table = resources.effects()
        cues = resources.cues()
        for lang in _languages(self.lang):
            for phrase, info in table.get(lang, {}).items():
                if phrase not in self._info:
                    self._info[phrase] = info
                    self.matcher.add(info.effect, [self._make_doc(phrase)])
        self._negation = frozenset().union(*(cues.negation.get(lang, frozenset()) for lang in _languages(self.lang)))
        self._breakers = cues.scope_breakers
        self._ready = True

    def __call__(self, doc: Doc) -> Doc:
        if not self._ready:
            self.initialize()
        out = findings(doc)
        for span in filter_spans([Span(doc, s, e, label=key) for key, s, e in self.matcher(doc)]):
            info = self._info.get(span.text.lower())
            if info is None:
                continue
            out.effects.append(EffectMention(span.text, info.effect, info.adverse, info.severe, self._negated(span)))
        return doc

    def _negated(self, span: Span) -> bool:
        doc = span.doc
        for k in range(span.start - 1, max(-1, span.start - 1 - self.negation_window), -1):
            low = doc[k].lower_
            if low in self._breakers:
                return False
            if low in self._negation or low.endswith("n't"):
                return True
        return False


class DoseFinder:
    def __init__(self, nlp: Language, name: str, window_chars: int, max_grams: float) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.window_chars = window_chars
        self.max_grams = max_grams
        self._verbs: re.Pattern[str] | None = None

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        words = set().union(*(resources.cues().consumption.get(lang, frozenset()) for lang in _languages(self.lang)))
        alternation = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
        self._verbs = re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        if self._verbs is None:
            self.initialize()
        assert self._verbs is not None
        out = findings(doc)
        text = doc_text(doc)
        paired: set[int] = doc.user_data.get(PAIRED_KEY, set())
        routes: list[tuple[int, int, str]] = doc.user_data.get(ROUTES_KEY, [])
        verbs = [m.start() for m in self._verbs.finditer(text)] if out.quantities else []
        route_items = sorted((s, r) for s, _, r in routes)
        substance_items = sorted((m.start, m.canonical or m.text) for m in out.substances)
        for q in out.quantities:
            if q.unit not in DOSE_UNITS or (q.grams is not None and q.grams > self.max_grams):
                continue
            if q.start in paired:
                continue
            near_verb = _any_within(verbs, q.start, self.window_chars)
            route = _nearest(q.start, route_items, self.window_chars * 2)
            substance = _nearest(q.start, substance_items, self.window_chars * 2)
            if not (near_verb or route or (substance and not out.prices)):
                continue
            out.doses.append(Dose(q.text, q.amount, q.unit, substance, route))
        return doc


def _any_within(sorted_positions: list[int], pos: int, limit: int) -> bool:
    i = bisect.bisect_left(sorted_positions, pos - limit)
    return i < len(sorted_positions) and sorted_positions[i] <= pos + limit


def _nearest(pos: int, items: list[tuple[int, str]], limit: int) -> str | None:
    """The value of the item (sorted by position) nearest to ``pos`` within ``limit`` characters."""
    best: tuple[int, str] | None = None
    i = bisect.bisect_left(items, (pos - limit, ""))
    for start, value in items[i : bisect.bisect_right(items, (pos + limit, "\uffff"))]:
        distance = abs(start - pos)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, value)
    return best[1] if best else None


@Language.factory("npswatch_routes_v1", default_config={"context_chars": 80})
def make_route_finder(nlp: Language, name: str, context_chars: int) -> RouteFinder:
    """Routes of administration mapped to the ten npswatch routes."""
    return RouteFinder(nlp, name, context_chars)


@Language.factory("npswatch_effects_v1", default_config={"negation_window": 4})
def make_effect_finder(nlp: Language, name: str, negation_window: int) -> EffectFinder:
    """Effects with adverse/severe flags, negation-aware."""
    return EffectFinder(nlp, name, negation_window)


@Language.factory("npswatch_doses_v1", default_config={"window_chars": 60, "max_grams": 5.0})
def make_dose_finder(nlp: Language, name: str, window_chars: int, max_grams: float) -> DoseFinder:
    """Doses: amounts near consumption verbs or routes, linked to the nearest substance and route."""
    return DoseFinder(nlp, name, window_chars, max_grams)
