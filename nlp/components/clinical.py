"""Routes, effects and doses: ``npswatch_routes_v1``, ``npswatch_effects_v1``, ``npswatch_doses_v1``.

Routes and effects are look-ups of the phrase tables in ``nlp/data/routes.tsv`` and ``nlp/data/effects.tsv`` for the
pipeline's language plus English (forum Dutch, French and German borrow "comedown", "bad trip", "IV"), matched on
lower-case words, each table by a ``PhraseMatcher`` of its component (:class:`nlp.components.state.PhraseTable`).
Route words that are also ordinary words ("line", "pipe", "plug", "tea", marked ``~`` in routes.tsv) count only with
a substance or an amount nearby. An effect is negated when a negation word of the language stands up to
``negation_window`` tokens before it with no scope breaker ("but", ",", ".", "maar", "mais", "aber") in between, and
hypothetical when a warning, risk or near-miss cue of ``clinical_cues.json`` stands before it in its sentence ("can
cause", "risk of", "or you'll", "almost") or after it ("te voorkomen", "zu vermeiden"). A dose is an amount with a
dose unit near a consumption verb or a route. Doses and effects are linked to a substance, and doses to a route, by
:mod:`nlp.components.attribution`: the same clause first, then the sentence, then what the text was about before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any, Final

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp import docread, resources, tables
from nlp.components.attribution import (
    CO_USED,
    MAIN,
    PASSING,
    RESCUE,
    Anchor,
    Anchors,
    ClauseBreaks,
    PassingCues,
    Segments,
    clause_breaks,
    passing,
)
from nlp.components.state import (
    OFFER_QUANTITIES,
    ROUTE_SPANS,
    SEGMENTS,
    Hit,
    PhraseTable,
    check_order,
    doc_text,
    findings,
    string_id,
    values,
)
from nlp.resources import ClinicalCues, EffectInfo, RouteInfo
from nlp.types import Dose, EffectMention, Extraction, RouteMention
from nlp.vocab import install_norms, installed_lexicon

DOSE_UNITS = frozenset({"mg", "µg", "g", "ml", "pills", "tabs", "blotters"})
# match keys: effect phrases, heads of gapped effect wordings, phrases that are no effect, consumption verbs
EFFECT_KEY, HEAD_KEY, BLOCK_KEY, VERB_KEY = (
    "npswatch_effect",
    "npswatch_effect_head",
    "npswatch_not_effect",
    "npswatch_consumption",
)
# (the constants read per token or per mention are ``Final``: the compiled module then reads them as constants, not
# by a look-up in the module's namespace)
# tokens before / after an effect a hypothetical cue may stand, and before it a near-miss cue ("almost")
HYPOTHETICAL_WINDOW: Final = 6
HYPOTHETICAL_AFTER: Final = 4
NEAR_MISS_WINDOW: Final = 3
NEGATION_AFTER: Final = 2  # tokens after an effect a word such as "gone" may stand
INDICATION_WINDOW: Final = 2  # tokens before an effect an indication or simile cue ("against", "feels like") may end
ATTRIBUTION_CHARS: Final = 200  # an effect's substance in its sentence: at most this many characters away
_NONE_PAIRED: frozenset[int] = frozenset()
_NT_IDS: Final = frozenset(string_id(v) for v in ("n't", "N't", "n'T", "N'T"))
_COMMA: Final = string_id(",")
_SENTENCE_IDS: Final = frozenset(string_id(v) for v in (".", "!", "?", ";", "\n"))
# what a word (its lower-case id) is to an effect's cues, as bits of ``EffectFinder._flags``: a scope breaker, a
# negation word, the end of a hypothetical wording's scope (a sentence end or a breaker other than a comma), a sentence
# end, and the last word of a cue phrase of each kind. A word with none of them (most words) costs one look-up.
_BREAKER: Final = 1
_NEGATION: Final = 2
_SCOPE_END: Final = 4
_SENTENCE: Final = 8
_HYPOTHETICAL: Final = 16
_HYPOTHETICAL_AFTER: Final = 32
_NEAR_MISS: Final = 64
_INDICATION: Final = 128
_NEGATION_AFTER: Final = 256
_NT: Final = 512  # the token ends in "n't" in any case (its suffix; not a cue word's bit: read per token)


def _languages(lang: str) -> list[str]:
    return [lang] if lang == "en" else [lang, "en"]


def _segments(doc: Doc, text: str, lang: str) -> Segments:
    """The sentences and clauses of the doc's text, found once per doc (effects and doses both read them) and kept in
    ``doc._.nps_segments``."""
    user_data = values(doc)
    found: Segments | None = user_data.get(SEGMENTS)
    if found is None:
        found = user_data[SEGMENTS] = Segments(text, _breaks(lang))
    return found


_PASSING: dict[str, PassingCues] = {}


def _passing_cues(cues: ClinicalCues, lang: str) -> PassingCues:
    found = _PASSING.get(lang)
    if found is None:
        found = _PASSING[lang] = PassingCues(frozenset().union(*(cues.passing[x] for x in _languages(lang))))
    return found


_BREAKS: dict[str, ClauseBreaks] = {}


def _breaks(lang: str) -> ClauseBreaks:
    found = _BREAKS.get(lang)
    if found is None:
        cues = resources.clinical_cues()
        found = _BREAKS[lang] = clause_breaks(frozenset().union(*(cues.clause_words[x] for x in _languages(lang))))
    return found


class RouteFinder:
    """Routes of administration: adds a :class:`nlp.types.RouteMention` per route phrase to ``doc._.nps.routes`` and
    the routes with their character offsets to ``doc._.nps_route_spans``. Reads the substances and quantities found
    before it: a route word that is also an ordinary word ("line", "plug") counts only near one of them; alone, such
    words never count. A short English route word in a text of another language ("im", "po") counts only in upper
    case ("IM"): German "im" is "in the". Phrases that contain a route word but are no route of a drug ("drink plenty
    of water") do not count. Its phrases load in ``initialize``."""

    READS = ("doc._.nps.substances", "doc._.nps.quantities")
    ASSIGNS = ("doc._.nps.routes", "doc._.nps_route_spans")

    def __init__(self, nlp: Language, name: str, context_chars: int, tables: bool = True) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.context_chars = context_chars
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self.tables = tables
        self._route_of: dict[str, RouteInfo] = {}
        self._upper_only: frozenset[str] = frozenset()
        self._blocks: frozenset[str] = frozenset()
        self._block_key = 0
        self._table: PhraseTable | None = None
        self._data: dict[str, Any] = {}

    def _phrases(self) -> dict[str, list[Doc]]:
        """The route phrases' pattern docs, one match key per route, and those of the phrases that are no route of a
        drug ("drink plenty of water")."""
        phrases: dict[str, list[Doc]] = {}
        for phrase, info in self._route_of.items():
            phrases.setdefault(info.route, []).append(self._make_doc(phrase))
        phrases[BLOCK_KEY] = [self._make_doc(phrase) for phrase in sorted(self._blocks)]
        return phrases

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._route_of = {}
        for lang in _languages(self.lang):
            for phrase, info in resources.routes().get(lang, {}).items():
                self._route_of.setdefault(phrase, info)
        own = resources.routes().get(self.lang, {})
        self._upper_only = frozenset(p for p in self._route_of if self.lang != "en" and p not in own and len(p) <= 3)
        clinical = resources.clinical_cues()
        self._blocks = frozenset().union(*(clinical.not_routes[lang] for lang in _languages(self.lang)))
        self._block_key = string_id(BLOCK_KEY)
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
        found: list[tuple[int, int, str]] = []
        drug_talk: bool | None = None
        for key, _, _, start_char, end_char in _longest_first(matches):
            if key == self._block_key:
                continue
            surface = text[start_char:end_char]
            phrase = surface.lower()
            info = self._route_of.get(phrase)
            route = info.route if info else self.vocab.strings[key]
            if phrase in self._upper_only and not surface.isupper():
                continue
            if (info is not None and info.weak) or len(phrase) <= 3:
                if not _any_within(anchors, start_char, self.context_chars):
                    continue
            elif not anchors:
                drug_talk = _drug_talk(doc) if drug_talk is None else drug_talk
                if not drug_talk:
                    continue
            out.routes.append(RouteMention(surface, route))
            found.append((start_char, end_char, route))
        values(doc)[ROUTE_SPANS] = found
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


class _Words:
    """What a doc's tokens are to the effect cues (``cue_bits``: the bits of ``EffectFinder._flags`` and ``_NT`` for
    a token that ends in "n't"), read for every token in one call; their lower-case ids, each read once when first
    asked for (an effect's cues look at the same dozen tokens many times); and ``like_num`` (rarely asked for: a
    ``Token`` each time)."""

    def __init__(self, doc: Doc, cue_bits: docread.WordBits) -> None:
        self.doc = doc
        self._flags: list[int] = cue_bits.read(doc)
        self._lower = [-1] * len(doc)

    def lower(self, k: int) -> int:
        found = self._lower[k]
        if found < 0:
            found = self._lower[k] = docread.lower(self.doc, k)
        return found

    def flags(self, k: int) -> int:
        """What the word is to the effect cues (``_BREAKER``...; 0 for most words), with ``_NT``."""
        return self._flags[k]

    def like_num(self, k: int) -> bool:
        return self.doc[k].like_num


class _Cues:
    """Cue phrases as token sequences (lower-case ids), looked up by their last token (``by_last``: the ids of the
    words a cue ends with)."""

    def __init__(self, make_doc: Callable[[str], Doc], phrases: AbstractSet[str]) -> None:
        self.by_last: dict[int, list[tuple[int, ...]]] = {}
        for phrase in sorted(phrases):
            ids = tuple(t.lower for t in make_doc(phrase))
            if ids:
                self.by_last.setdefault(ids[-1], []).append(ids)

    def ends_at(self, words: _Words, k: int, first: int) -> bool:
        """A cue ends at token ``k`` and starts at ``first`` or later."""
        for ids in self.by_last.get(words.lower(k), ()):
            begin = k - len(ids) + 1
            if begin >= first and all(words.lower(begin + j) == ids[j] for j in range(len(ids) - 1)):
                return True
        return False


class EffectFinder:
    """Effects: adds an :class:`nlp.types.EffectMention` (severity, negated, hypothetical, the substance it is
    about) per effect wording to ``doc._.nps.effects``. Reads the substances (to attribute effects), the prices (an
    ambiguous wording such as "Amnesia", a cannabis strain too, does not count in a text with prices) and the
    quantities and routes (which sentences tell of use). Its phrases and cue words load in ``initialize``."""

    READS = ("doc._.nps.substances", "doc._.nps.quantities", "doc._.nps.prices", "doc._.nps_route_spans")
    ASSIGNS = ("doc._.nps.effects",)

    def __init__(self, nlp: Language, name: str, negation_window: int, tables: bool = True) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.negation_window = negation_window
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self.tables = tables
        self._info: dict[str, EffectInfo] = {}
        # head -> (tail word ids, or for a tail "#N" no ids and the least number N, effect)
        self._gaps: dict[str, list[tuple[tuple[int, ...], float | None, EffectInfo]]] = {}
        self._blocks: frozenset[str] = frozenset()
        self._table: PhraseTable | None = None
        self._data: dict[str, Any] = {}
        self._negation_ids: frozenset[int] = frozenset()  # ids of the lower-case negation words
        self._breaker_ids: frozenset[int] = frozenset()
        self._hypothetical: _Cues | None = None
        self._hypothetical_after: _Cues | None = None
        self._near_miss: _Cues | None = None
        self._indication: _Cues | None = None
        self._negation_after: _Cues | None = None
        self._cues: ClinicalCues | None = None
        self._keys: tuple[int, int] = (0, 0)  # ids of HEAD_KEY and BLOCK_KEY
        self._flags: dict[int, int] = {}  # lower-case id -> what the word is to the cues (``_BREAKER``...)
        self._cue_bits = docread.WordBits({}, _NT_IDS, _NT)  # ``_flags`` and ``_NT``, read per doc

    def _phrases(self) -> dict[str, list[Doc]]:
        """The pattern docs of the effect phrases (a hit's effect is looked up by its text), of the heads of gapped
        wordings and of the phrases that are no effect ("energy drink", "police seizure")."""
        return {
            EFFECT_KEY: [self._make_doc(phrase) for phrase in self._info],
            HEAD_KEY: [self._make_doc(head) for head in self._gaps],
            BLOCK_KEY: [self._make_doc(phrase) for phrase in sorted(self._blocks)],
        }

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        cues, clinical, table = resources.cues(), resources.clinical_cues(), resources.effects()
        langs = _languages(self.lang)
        self._info, self._gaps = {}, {}
        for lang in langs:
            for phrase, info in table.phrases[lang].items():
                self._info.setdefault(phrase, info)
            for head, tails in table.gaps[lang].items():
                for tail, info in tails:
                    least = float(tail[0][1:]) if len(tail) == 1 and tail[0][:1] == "#" else None
                    ids = () if least is not None else tuple(string_id(w) for w in tail)
                    self._gaps.setdefault(head, []).append((ids, least, info))
        self._blocks = frozenset().union(*(clinical.not_effects[lang] for lang in langs))
        self._table, self._data = _load_table(self.vocab, self.lang, "effects", self.tables, self._phrases)
        borrowed = cues.negation.get("en", frozenset()) - clinical.borrowed_negation_exclude[self.lang]
        negation = cues.negation.get(self.lang, frozenset()) | (borrowed if self.lang != "en" else frozenset())
        self._negation_ids = frozenset(string_id(word) for word in negation)
        self._breaker_ids = frozenset(string_id(word) for word in cues.scope_breakers)
        self._hypothetical = _Cues(self._make_doc, frozenset().union(*(clinical.hypothetical[x] for x in langs)))
        self._hypothetical_after = _Cues(
            self._make_doc, frozenset().union(*(clinical.hypothetical_after[x] for x in langs))
        )
        self._near_miss = _Cues(self._make_doc, frozenset().union(*(clinical.near_miss[x] for x in langs)))
        self._indication = _Cues(  # what it was taken for, or what something is compared to: just before the effect
            self._make_doc, frozenset().union(*(clinical.indication[x] | clinical.simile[x] for x in langs))
        )
        self._negation_after = _Cues(self._make_doc, frozenset().union(*(clinical.negation_after[x] for x in langs)))
        self._cues = clinical
        self._keys = (string_id(HEAD_KEY), string_id(BLOCK_KEY))
        self._flags = self._word_flags()
        self._cue_bits = docread.WordBits(self._flags, _NT_IDS, _NT)

    def _word_flags(self) -> dict[int, int]:
        assert self._hypothetical and self._hypothetical_after and self._near_miss and self._indication
        assert self._negation_after is not None
        scope_ends = _SENTENCE_IDS | (self._breaker_ids - {_COMMA})
        flags: dict[int, int] = {}
        for ids, bit in (
            (self._breaker_ids, _BREAKER),
            (self._negation_ids, _NEGATION),
            (scope_ends, _SCOPE_END),
            (_SENTENCE_IDS, _SENTENCE),
            (frozenset(self._hypothetical.by_last), _HYPOTHETICAL),
            (frozenset(self._hypothetical_after.by_last), _HYPOTHETICAL_AFTER),
            (frozenset(self._near_miss.by_last), _NEAR_MISS),
            (frozenset(self._indication.by_last), _INDICATION),
            (frozenset(self._negation_after.by_last), _NEGATION_AFTER),
        ):
            for word in ids:
                flags[word] = flags.get(word, 0) | bit
        return flags

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
        head_key, block_key = self._keys
        found: list[EffectMention] = []
        words = _Words(doc, self._cue_bits)
        for key, start, end, start_char, end_char in _longest_first(matches):
            if key == block_key:
                continue
            negated = False
            info: EffectInfo | None
            if key == head_key:
                gapped = self._gapped(words, start, end, text[start_char:end_char].lower())
                if gapped is None:
                    continue
                info, end, negated = gapped
                end_char = docread.end(doc, end - 1)
            else:
                info = self._info.get(text[start_char:end_char].lower())
            if info is None or (info.ambiguous and (out.prices or _next_to_amount(text, start_char, end_char))):
                continue
            negated = negated or self._negated(words, start, end)
            hypothetical = self._is_hypothetical(words, start, end)
            found.append(EffectMention(text[start_char:end_char], start_char, end_char, info.effect, info.severity,
                                       negated, hypothetical))  # fmt: skip
        if found:
            self._attribute(doc, out, text, found)
            out.effects.extend(found)
        return doc

    def _gapped(self, words: _Words, start: int, end: int, head: str) -> tuple[EffectInfo, int, bool] | None:
        """The effect of a gapped wording whose head is ``doc[start:end]``: its tail within ``GAP`` words after, in
        the same clause, with the end of the tail and whether a negation word stands between."""
        negated = False
        tails = self._gaps.get(head, [])
        doc = words.doc
        for k in range(end, min(len(doc), end + resources.GAP + 1)):
            low = words.lower(k)
            for tail, least, info in tails:
                if least is not None:
                    if words.like_num(k) and _number(doc[k].text) >= least:
                        return info, k + 1, negated
                elif (
                    low == tail[0]
                    and k + len(tail) <= len(doc)
                    and all(words.lower(k + j) == tail[j] for j in range(1, len(tail)))
                ):
                    return info, k + len(tail), negated
            flags = words.flags(k)
            if flags & _BREAKER:
                return None
            negated = negated or bool(flags & (_NEGATION | _NT))
        return None

    def _negated(self, words: _Words, start: int, end: int) -> bool:
        """A negation word up to ``negation_window`` tokens before, with no scope breaker between, or a word such as
        "gone" or "weg" right after ("anxiety gone")."""
        assert self._negation_after is not None
        for k in range(end, min(len(words.doc), end + NEGATION_AFTER)):
            flags = words.flags(k)
            if flags & _NEGATION_AFTER and self._negation_after.ends_at(words, k, end):
                return True
            if flags & _BREAKER:
                break
        for k in range(start - 1, max(-1, start - 1 - self.negation_window), -1):
            flags = words.flags(k)
            if flags & _BREAKER:
                return False
            if flags & (_NEGATION | _NT):
                return True
        return False

    def _is_hypothetical(self, words: _Words, start: int, end: int) -> bool:
        """A warning or risk cue before the effect in its sentence (commas do not end this scope, "but" does), a
        near-miss cue just before it with no number between ("almost passed out", not "almost 2 hours of nausea"), an
        indication or a simile just before it (what the substance was taken for: "against anxiety", "tegen de angst";
        what something felt like: "feels like death"), or a cue such as "te voorkomen" right after it."""
        assert self._hypothetical and self._hypothetical_after and self._near_miss and self._indication
        for k in range(start - 1, max(-1, start - 1 - INDICATION_WINDOW), -1):
            if words.flags(k) & _INDICATION and self._indication.ends_at(words, k, 0):
                return True
        first = max(0, start - HYPOTHETICAL_WINDOW)
        for k in range(start - 1, first - 1, -1):
            if words.flags(k) & _SCOPE_END:
                first = k + 1
                break
        for k in range(start - 1, first - 1, -1):
            flags = words.flags(k)
            if flags & _HYPOTHETICAL and self._hypothetical.ends_at(words, k, first):
                return True
            # a near-miss cue with no number right after it
            if (
                flags & _NEAR_MISS
                and k >= start - NEAR_MISS_WINDOW
                and (k == start - 1 or not words.like_num(k + 1))
                and self._near_miss.ends_at(words, k, first)
            ):
                return True
        for k in range(end, min(len(words.doc), end + HYPOTHETICAL_AFTER)):
            flags = words.flags(k)
            if flags & _SENTENCE:
                break
            if flags & _HYPOTHETICAL_AFTER and self._hypothetical_after.ends_at(words, k, end):
                return True
        return False

    def _attribute(self, doc: Doc, out: Extraction, text: str, found: list[EffectMention]) -> None:
        """Sets each effect's ``substance`` (see :mod:`nlp.components.attribution`)."""
        if not out.substances:
            return
        assert self._cues is not None
        name = _one_substance(out, text, self._cues, self.lang)
        if name is not None:
            for effect in found:
                effect.substance = name
            return
        anchors = _substance_anchors(doc, out, text, self._cues, self.lang, for_doses=False)
        for effect in found:
            name, ok = anchors.nearest(effect.start, ATTRIBUTION_CHARS, after=True)
            if not ok:
                name = anchors.carried(effect.start) or anchors.only() or anchors.in_passing(effect.start)
            effect.substance = name


_AMOUNT_BEFORE = re.compile(r"\d\s*(?:[a-zµ]{1,5}\.?)?\s*$", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"\s*\d")


def _next_to_amount(text: str, start_char: int, end_char: int) -> bool:
    """The wording stands right after or before an amount ("Beuh 5g Amnesia", "Amnesia 5 gram"): a product name."""
    return bool(_AMOUNT_BEFORE.search(text, max(0, start_char - 12), start_char)) or bool(
        _AMOUNT_AFTER.match(text, end_char)
    )


def _number(text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return 0.0


def _one_substance(out: Extraction, text: str, cues: ClinicalCues, lang: str) -> str | None:
    """What every effect of the text is about when the text names one substance (one name, maybe more than once;
    rescue medicines aside), none co-used, and not only in passing: then the nearest anchor, the one carried from
    earlier sentences or the text's only main substance of :class:`Anchors` is that substance wherever the effect
    stands, and no anchors (sentences, clauses) need be made. None for any other text."""
    name: str | None = None
    for m in out.substances:
        if m.canonical in cues.rescue:
            continue
        if m.canonical in cues.co_used:
            return None
        value = m.canonical or m.text
        if name is None:
            name = value
        elif value != name:
            return None
    if name is not None:
        passing_cues = _passing_cues(cues, lang)
        for m in out.substances:
            if m.canonical not in cues.rescue and not passing(text, m.start, passing_cues):
                return name
    return None


def _substance_anchors(doc: Doc, out: Extraction, text: str, cues: ClinicalCues, lang: str, for_doses: bool) -> Anchors:
    """The text's substances as attribution anchors: for effects, rescue medicines (naloxone) left out and substances
    named in passing marked; for doses, rescue medicines kept (a naloxone dose is a dose) but never carried."""
    passing_cues = _passing_cues(cues, lang)
    items: list[Anchor] = []
    for m in out.substances:
        name = m.canonical or m.text
        if m.canonical in cues.rescue:
            if for_doses:
                items.append((m.start, name, RESCUE))
            continue
        weight = CO_USED if m.canonical in cues.co_used else MAIN
        if not for_doses and passing(text, m.start, passing_cues):
            weight = PASSING
        items.append((m.start, name, weight))
    routes: list[tuple[int, int, str]] = values(doc).get(ROUTE_SPANS) or []
    uses = [q.start for q in out.quantities] + [start for start, _, _ in routes]
    return Anchors(items, _segments(doc, text, lang), uses)


class DoseFinder:
    """Doses: adds a :class:`nlp.types.Dose` to ``doc._.nps.doses`` per quantity with a dose unit that is not in an
    offer and stands near a route, a substance (in a text without prices) or a consumption verb, with its substance
    and route (:mod:`nlp.components.attribution`: its clause, else earlier in its sentence, else what the text was
    about before; a route is taken from an earlier sentence only when the substance is too). Not doses: amounts over
    ``max_grams`` unless taken in their clause (a route or a consumption verb there, in a text without prices; up to
    ``max_grams_taken``: "ate another 7g of nutmeg"), a solvent ("dissolved in 1 ml of water"), a unit's strength in a
    listing ("pellets 1mg", "150µg blotters", "230mg each"), an extract's strength ("20x extract"). Reads what the
    substance, novel, offers and routes components assign; alone, it judges the quantities a caller put in
    ``doc._.nps`` (none, unless given). Its consumption verbs load in ``initialize``."""

    READS = ("doc._.nps.substances", "doc._.nps.quantities", "doc._.nps.prices", "doc._.nps_offer_quantities",
             "doc._.nps_route_spans")  # fmt: skip
    ASSIGNS = ("doc._.nps.doses",)

    def __init__(
        self, nlp: Language, name: str, window_chars: int, max_grams: float, max_grams_taken: float, tables: bool = True
    ) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.window_chars = window_chars
        self.max_grams = max_grams
        self.max_grams_taken = max_grams_taken
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self.tables = tables
        self._table: PhraseTable | None = None
        self._data: dict[str, Any] = {}
        self._cues: ClinicalCues | None = None

    def _phrases(self) -> dict[str, list[Doc]]:
        """The consumption verbs' pattern docs."""
        cues = resources.cues()
        words = set().union(*(cues.consumption.get(lang, frozenset()) for lang in _languages(self.lang)))
        return {VERB_KEY: [self._make_doc(w) for w in sorted(words)]}

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._table, self._data = _load_table(self.vocab, self.lang, "doses", self.tables, self._phrases)
        self._cues = resources.clinical_cues()

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
        max_grams = self.max_grams if out.prices else self.max_grams_taken
        candidates = [
            q
            for q in out.quantities
            if q.unit in DOSE_UNITS and (q.grams is None or q.grams <= max_grams) and q.start not in paired
        ]
        if not candidates:
            return doc
        assert self._cues is not None
        text = doc_text(doc)
        verbs: list[int] | None = None  # consumption verbs are looked up only if a route or a substance does not decide
        routes: list[tuple[int, int, str]] = user_data.get(ROUTE_SPANS) or []
        route_starts = [s for s, _, _ in routes]
        substance_starts = sorted(m.start for m in out.substances)
        limit = self.window_chars * 2
        kept = []
        for q in candidates:
            near_route = _any_within(route_starts, q.start, limit)
            if not (near_route or (not out.prices and _any_within(substance_starts, q.start, limit))):
                if verbs is None:
                    assert self._table is not None
                    verbs = [start_char for _, _, _, start_char, _ in self._table.hits(doc)]
                if not _any_within(verbs, q.start, self.window_chars):
                    continue
            if not _not_a_dose(text, q.start, q.end, q.unit, bool(out.prices), self._cues):
                kept.append(q)
        if not kept:
            return doc
        segments = _segments(doc, text, self.lang)
        if any(q.grams is not None and q.grams > self.max_grams for q in kept):
            if verbs is None:
                assert self._table is not None
                verbs = [start_char for _, _, _, start_char, _ in self._table.hits(doc)]
            taken = {segments.clause(p) for p in route_starts + verbs}
            kept = [q for q in kept if q.grams is None or q.grams <= self.max_grams or _taken(segments, q.start, taken)]
        substances = _substance_anchors(doc, out, text, self._cues, self.lang, for_doses=True)
        # (no route in the text, as in most listing titles: no anchors to make, no route to find)
        route_anchors = Anchors([(s, r, MAIN) for s, _, r in routes], segments, []) if routes else None
        amounts = [q.start for q in out.quantities]
        for q in kept:
            substance, own = substances.nearest(q.start, limit, after=False, blockers=amounts)
            if not own:
                substance = substances.carried(q.start)
            if substance is None and q.grams is None and q.unit != "ml":
                continue  # "4 Stück", "2 pills" of nothing named: a count of what, is unknown
            route = None
            if route_anchors is not None:
                route, near = route_anchors.nearest(q.start, limit, after=True)
                if not near:
                    route = _carried_route(route_anchors, substances, q.start, substance, own)
            out.doses.append(Dose(q.text, q.amount, q.unit, substance, route))
        return doc


def _carried_route(routes: Anchors, substances: Anchors, pos: int, substance: str | None, own: bool) -> str | None:
    """The route of the last earlier sentence that says one (one route only), for a dose whose sentence says none:
    when the dose's substance was carried too, or is a substance of that sentence ("Snorted 30mg of X. Redosed
    20mg"; "120 mg MDMA, capsule. 40 mg MDMA booster"; not "Smoked a joint. Today 100mg MDMA")."""
    found = routes.last_sentence_value(pos)
    if found is None:
        return None
    route, sentence = found
    return route if not own or substance in substances.names_in(sentence) else None


def _taken(segments: Segments, pos: int, taken: set[int]) -> bool:
    """A route or a consumption verb in the clause of ``pos`` or the one before it in its sentence ("Paddo's
    gegeten, 10 gram")."""
    clause = segments.clause(pos)
    if clause in taken:
        return True
    return (
        clause > 0 and clause - 1 in taken and segments.sentence(segments.clauses[clause - 1]) == segments.sentence(pos)
    )


_WORD = re.compile(r"[\w'\u2019]+")


def _not_a_dose(text: str, start: int, end: int, unit: str, listing: bool, cues: ClinicalCues) -> bool:
    """A solvent ("in 1 ml water"), a unit's strength in a listing ("pellets 1mg", "230mg each") or an extract's
    strength ("20x extract")."""
    if not (listing or unit == "ml" or unit == "pills"):
        return False
    before = []
    if listing or unit == "ml":
        before = [w.lower() for w in _WORD.findall(text[max(0, start - 40) : start])[-3:]]
    after = [w.lower() for w in _WORD.findall(text[end : end + 30])[:2]]
    if (
        unit == "ml"
        and before
        and before[-1] in ("in", "into", "dans", "im", "en", "met", "mit")
        and any(w in cues.solvents for w in after)
    ):
        return True
    if listing and (any(w in cues.strength_words for w in before) or (after[:1] and after[0] in cues.strength_words)):
        return True
    return unit == "pills" and bool(after) and after[0] in cues.extract_words


def _longest_first(hits: list[Hit]) -> list[Hit]:
    """Non-overlapping hits, longest first (as ``spacy.util.filter_spans``), in text order, without building
    spans."""
    previous_end = -1
    for hit in hits:  # in text order, as the matcher gives them: usually none overlap
        if hit[1] < previous_end:
            return _without_overlaps(hits)
        previous_end = hit[2]
    return hits


def _without_overlaps(hits: list[Hit]) -> list[Hit]:
    chosen: list[Hit] = []
    taken: set[int] = set()
    for hit in sorted(hits, key=lambda m: (m[1] - m[2], m[1])):
        start, end = hit[1], hit[2]
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            chosen.append(hit)
    return sorted(chosen, key=lambda m: m[1])


def _any_within(sorted_positions: list[int], pos: int, limit: int) -> bool:
    i = bisect.bisect_left(sorted_positions, pos - limit)
    return i < len(sorted_positions) and sorted_positions[i] <= pos + limit


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
    """Effects with their severity, negation- and warning-aware, attributed to a substance. ``tables``: as for
    routes."""
    return EffectFinder(nlp, name, negation_window, tables)


@Language.factory(
    "npswatch_doses_v1",
    default_config={"window_chars": 60, "max_grams": 5.0, "max_grams_taken": 50.0, "tables": True},
    assigns=["doc._.nps"],
)
def make_dose_finder(
    nlp: Language, name: str, window_chars: int, max_grams: float, max_grams_taken: float, tables: bool
) -> DoseFinder:
    """Doses: amounts near consumption verbs or routes, with their substance and route. ``max_grams``: the largest
    dose in grams; ``max_grams_taken``: the largest in a clause that says it was taken ("ate 7g of nutmeg"), in a text
    without prices. ``tables``: as for routes."""
    return DoseFinder(nlp, name, window_chars, max_grams, max_grams_taken, tables)
