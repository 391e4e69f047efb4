"""``npswatch_substances_v1``: known substances from the lexicon, tolerant of case, spacing, hyphens and misspelling.

Matching runs in spaCy's compiled ``PhraseMatcher``, and Python only looks at its hits:
- one matcher on ``NORM`` (the pipelines' lexeme norm is :func:`nlp.normalize.match_norm`, see :mod:`nlp.vocab`)
  holds every lexicon form of the pipeline's language, each also split at its hyphens, spaces and letter/digit
  boundaries ("3-MMC" gives the patterns "3-MMC" and "3 MMC"; "3mmc" and "3-mmc" share the first one's norm). A hit
  counts if the ``form_key`` of the matched text is a lexicon key, or, for one word, if its ``sound_key`` names one
  substance unambiguously ("mefedron", "kokain");
- the case-sensitive short forms ("H", "G", "MD", "MET") in the same matcher: a hit counts if the token is the
  short form exactly (what a matcher on ``ORTH`` would find);
- a hyphenated word whose part is an unambiguous name ("xtc-pillen", "S-keta") counts for that part; such words
  carry the shared name norm of :mod:`nlp.vocab`, so the same matcher call finds them.
The name-shaped words the same call finds go to ``doc._.nps_name_tokens`` for the novel-name component.
At each token the longest exact form wins, then a short form, a hyphenated part, a misspelling. Forms marked
ambiguous in the lexicon ("speed", "dope", "tina", "H") count only with drug context nearby: a cue word, an amount
with a unit, a price, or an unambiguous substance mention within ``context_window`` tokens.
"""

from __future__ import annotations

import re
import shutil
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from nlp import resources, tables
from nlp.components.state import (
    NAME_TOKENS,
    RULE_SUBSTANCES,
    check_order,
    digit_ids,
    doc_matches,
    doc_text,
    findings,
    string_id,
    token_end,
    token_idx,
    token_lower,
    token_orth,
    values,
)
from nlp.lexicon import CO_USE, DEFAULT_LEXICON, NOT_REPORTED, FormHit, Lexicon
from nlp.normalize import form_key, sound_key
from nlp.types import SubstanceMention
from nlp.vocab import NAME_NORM, install_norms, installed_lexicon, name_pattern

SPAN_KEY: Final = "substances"
_PIECES: Final = re.compile(r"[\s\-–_]+|(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
# preference at one token, best first
_EXACT: Final = 0
_SHORT: Final = 1
_PART: Final = 2
_SOUND: Final = 3
_CHEMICAL_NAME: Final = re.compile(r"^(?=.*\d)(?=.*[A-Z]).*-")  # "5-EtO-MPT": a chemical name is drug context
_STRENGTH: Final = re.compile(r"^\d{1,3}s?$")  # "Percocet 10", "roxy 30s"
# what a number after a medicine's name may be followed by when it is no strength of that brand ("Percocet 10 pills")
_NOT_STRENGTH: Final = frozenset(
    ["mg", "g", "mcg", "µg", "ug", "ml", "%", "x", "pcs", "pills", "pill", "tabs", "tablets", "stuks", "stück",
     "comprimés", "€", "$", "£", "eur", "usd", "for", "per", "voor", "für", "pour", "bags", "days", "minutes", "min"]
)  # fmt: skip
_NOT_STRENGTH_IDS: Final = frozenset(string_id(word) for word in _NOT_STRENGTH)  # as ``Token.lower`` gives them
_MEDICINE_GROUPS: Final = frozenset(
    ["benzodiazepine", "other opioid", "z-drug", "gabapentinoid", "phenidate", "antihistamine", "barbiturate"]
)
_STREET: Final = frozenset(["heroin", "opium", "kratom", "poppy seed tea", "desomorphine"])  # "heroin 10" is no brand
_CACHE_SIZE: Final = 50_000  # matched surface forms whose lexicon hit is kept (the cache is emptied when full)
# what a word is to the context and descriptor checks, as bits (``SubstanceMatcher._word_flags``, kept per word)
_CONTEXT_WORD: Final = 1  # a drug-context word (by its lower-case form)
_NUMBER_CONTEXT: Final = 2  # a number with a context word glued to it ("10g")
_LIKE_NUM: Final = 4
_UNIT_WORD: Final = 8  # in ``_UNIT_WORDS`` (lower case)
_LINK_WORD: Final = 16  # in ``_LINKS``


class _Near:
    """A name-shaped word (a novel name, for the novel-name component) that a product word may describe."""

    __slots__ = ("end", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start + 1


class _Candidate:
    __slots__ = ("end", "end_char", "hit", "start", "start_char")

    def __init__(self, start: int, end: int, start_char: int, end_char: int, hit: FormHit) -> None:
        self.start = start  # token indices
        self.end = end
        self.start_char = start_char
        self.end_char = end_char
        self.hit = hit


def spelling_variants(form: str) -> set[str]:
    """The form, and the form split at its separators and letter/digit boundaries in every combination of joined
    and spaced pieces (up to five pieces; beyond that only all joined and all spaced)."""
    pieces = [p for p in _PIECES.split(form) if p]
    out = {form}
    if 1 < len(pieces) <= 5:
        for mask in range(2 ** (len(pieces) - 1)):
            joined = pieces[0]
            for k, piece in enumerate(pieces[1:]):
                joined += (" " if mask >> k & 1 else "") + piece
            out.add(joined)
    elif len(pieces) > 5:
        out.update(("".join(pieces), " ".join(pieces)))
    return out


class SubstanceMatcher:
    """Known substances: adds a :class:`nlp.types.SubstanceMention` (``known: true``) per lexicon mention to
    ``doc._.nps.substances``, and, with ``fuzzy``, the tokens carrying the name norm to ``doc._.nps_name_tokens``.
    Reads nothing another component assigns. Its lexicon, matcher patterns and context words load in ``initialize``
    (or on first use)."""

    READS: tuple[str, ...] = ()
    ASSIGNS = (RULE_SUBSTANCES, "doc._.nps_name_tokens")

    def __init__(
        self,
        nlp: Language,
        name: str,
        lexicon_path: str,
        context_window: int,
        fuzzy: bool,
        span_group: bool,
        tables: bool = True,
    ) -> None:
        self.name = name
        self.tables = tables
        self.lang: str = nlp.lang or "en"
        self.lexicon_path = lexicon_path or str(DEFAULT_LEXICON)
        self.context_window = context_window
        self.fuzzy = fuzzy
        self.span_group = span_group
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self._substance_key = nlp.vocab.strings.add("SUBSTANCE")
        self._name_key = nlp.vocab.strings.add("NAME")
        self._short_key = nlp.vocab.strings.add("SHORT")
        self._lexicon: Lexicon | None = None
        self._context: frozenset[str] = frozenset()
        self._context_ids: frozenset[int] = frozenset()
        self._own: dict[str, tuple[frozenset[int], frozenset[str]]] = {}  # own-context words (ids) and units
        self._own_unit_words: dict[str, frozenset[int]] = {}  # the units that are words ("eighth", "ons"), as ids
        self._warning_combine: frozenset[int] = frozenset()
        self._warning_avoid: frozenset[int] = frozenset()
        self._warning_none: frozenset[int] = frozenset()
        self._release: frozenset[int] = frozenset()
        self._again = frozenset(string_id(w) for w in ("again", "wieder", "meer", "opnieuw", "plus"))
        self._digit_ids: frozenset[int] = frozenset()
        self._forms = PhraseMatcher(nlp.vocab, attr="NORM")
        self._short_orths: frozenset[int] = frozenset()
        self._data: dict[str, Any] = {}
        # ``_exact_hit`` of the matched texts of one word, and of more (by the text: a string keeps its hash, where a
        # (text, one word) tuple is hashed at every look-up)
        self._word_hits: dict[str, tuple[FormHit | None, int]] = {}
        self._phrase_hits: dict[str, tuple[FormHit | None, int]] = {}
        self._flags: dict[int, int] = {}  # ``_word_flags`` by ``orth`` id

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        lex = self._lexicon = resources.lexicon(self.lexicon_path)
        extra = resources.substance_cues()
        self._context = resources.cues().context_for(self.lang) | extra.context.get("*", frozenset())
        self._context = self._context | extra.context.get(self.lang, frozenset())
        self._context_ids = frozenset(string_id(word) for word in self._context)  # as ``Token.lower`` gives them
        self._own = {
            key: (
                frozenset(string_id(w) for w in table.get("*", frozenset()) | table.get(self.lang, frozenset())),
                table.get("units", frozenset()),
            )
            for key, table in extra.own.items()
        }
        self._own_unit_words = {
            key: frozenset(string_id(u) for u in units if len(u) > 2 and u.isalpha())
            for key, (_, units) in self._own.items()
        }
        self._warning_combine = frozenset(string_id(w) for w in extra.warning_combine.get(self.lang, frozenset()))
        self._warning_avoid = frozenset(string_id(w) for w in extra.warning_avoid.get(self.lang, frozenset()))
        self._warning_none = frozenset(string_id(w) for w in extra.warning_none.get(self.lang, frozenset()))
        self._release = frozenset(string_id(w) for w in extra.release)
        shipped = self.tables and Path(self.lexicon_path) == DEFAULT_LEXICON
        preset = tables.fresh_section(self.lang, "substances") if shipped else None
        norms = install_norms(self.vocab, lex, preset.get("norms") if preset else None)
        self._word_hits = {}
        self._phrase_hits = {}
        self._flags = {}
        # the serialised tables hold the shipped lexicon's patterns, written with its norms (nlp.tables)
        stored = shipped and installed_lexicon(self.vocab) is lex
        data = self._data = (
            tables.section(self.lang, "substances", self._build_table) if stored else self._build_table()
        )
        if "norms" not in data:  # built here: the tables keep the norms installed above (nlp.tables.write)
            data["norms"] = norms
        self._digit_ids = frozenset(data["digit_ids"])
        self._forms = PhraseMatcher(self.vocab, attr="NORM")
        self._forms.add("SUBSTANCE", data["SUBSTANCE"])
        if self.fuzzy:
            self._forms.add("NAME", data["NAME"])
        if data["SHORT"]:
            self._forms.add("SHORT", data["SHORT"])
        self._short_orths = frozenset(data["short_orths"])

    def _build_table(self) -> dict[str, Any]:
        """The matcher's patterns as token norms (each lexicon form of the language in its spellings, the name
        norm, the one-token short forms), the short forms' ``ORTH`` ids and the ids of the digits."""
        lex = self.lexicon
        seen: set[tuple[int, ...]] = set()
        forms: list[list[int]] = []
        for text, hit in lex.forms:
            if hit.lang is not None and hit.lang != self.lang:
                continue
            for variant in spelling_variants(text):
                doc = self._make_doc(variant)
                norms = tuple(t.norm for t in doc)
                if norms not in seen and any(t.norm_ != NAME_NORM for t in doc):  # the name norm alone is no form
                    seen.add(norms)
                    forms.append(list(norms))
        shorts = [self._make_doc(text) for text, hits in lex.short_forms.items() if lex.pick(hits, self.lang)]
        shorts = [doc for doc in shorts if len(doc) == 1]
        return {
            "SUBSTANCE": forms,
            "NAME": [[t.norm for t in name_pattern(self.vocab)]],
            "SHORT": [[doc[0].norm] for doc in shorts],
            "short_orths": [doc[0].orth for doc in shorts],
            "digit_ids": sorted(digit_ids()),
        }

    def table_data(self) -> dict[str, Any]:
        """What :mod:`nlp.tables` keeps of this component."""
        return self._data

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the lexicon the component uses, so a saved pipeline carries its own data."""
        target = Path(path)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.lexicon_path, target / "lexicon.json")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SubstanceMatcher:
        self.lexicon_path = str(Path(path) / "lexicon.json")
        self.initialize()
        return self

    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self.initialize()
        assert self._lexicon is not None
        return self._lexicon

    def __call__(self, doc: Doc) -> Doc:
        matches = doc_matches(self._forms, doc)
        substance, name, short = self._substance_key, self._name_key, self._short_key
        options = []
        names = []  # the name-shaped words (``doc._.nps_name_tokens``)
        for key, s, e in matches:
            if key == substance:
                options.append((s, _EXACT, -e))
            elif key == name:
                options.append((s, _PART, -e))
                names.append(s)
            elif key == short and token_orth(doc, s) in self._short_orths:
                options.append((s, _SHORT, -e))
        user_data = values(doc)
        if self.fuzzy:
            user_data[NAME_TOKENS] = names
        if not options and not self.span_group:
            return doc
        if len(options) > 1:
            options.sort()
        text = doc_text(doc, user_data)
        candidates = self._candidates(doc, text, self.lexicon, options)
        accepted = self._accept(doc, text, candidates, names) if candidates else candidates
        if accepted:
            accepted = self._reported(doc, text, accepted)
        found = findings(doc, user_data).substances
        for cand in accepted:
            sub = cand.hit.substance
            found.append(
                SubstanceMention(
                    text[cand.start_char : cand.end_char],
                    cand.start_char,
                    cand.end_char,
                    sub.canonical,
                    sub.effect_group,
                    sub.chemical_group,
                    sub.nps,
                    True,
                )
            )
        if self.span_group:
            spans = [Span(doc, c.start, c.end, label=c.hit.substance.canonical) for c in accepted if c.start < c.end]
            doc.spans[SPAN_KEY] = SpanGroup(doc, name=SPAN_KEY, spans=spans)
        return doc

    def _accept(self, doc: Doc, text: str, candidates: list[_Candidate], names: list[int]) -> list[_Candidate]:
        for c in candidates:
            if c.hit.ambiguous:
                break
        else:
            return candidates  # nothing ambiguous: every candidate stands
        firm = [c for c in candidates if not c.hit.ambiguous]
        # firm names and chemical names ("next to 5-EtO-MPT") are drug context
        firm_starts = sorted([c.start for c in firm] + [i for i in names if _CHEMICAL_NAME.match(doc[i].text)])
        own = self._own_context(doc, text, candidates)
        accepted: list[_Candidate] = []
        # firm, accepted and descriptor candidates, and name-shaped words ("1V-BU-LAD buvards"), sorted by start
        nearby: list[_Candidate | _Near] = [*firm, *(_Near(i) for i in names)]
        nearby.sort(key=lambda c: c.start)
        nearby_starts = [c.start for c in nearby]
        for cand in candidates:
            if cand.hit.ambiguous:
                if not (cand in own if cand.hit.own else self._has_context(doc, cand, firm_starts)):
                    continue
                # a strain's name is no product word ("Rosin 2g - Lemon Cherry Gelato": both are mentions)
                descriptor = not cand.hit.capital and self._descriptor(doc, cand, nearby, nearby_starts)
                at = bisect_right(nearby_starts, cand.start)
                nearby.insert(at, cand)
                nearby_starts.insert(at, cand.start)
                if descriptor:
                    continue
            accepted.append(cand)
        return accepted

    def _descriptor(self, doc: Doc, cand: _Candidate, others: list[_Candidate | _Near], starts: list[int]) -> bool:
        """An ambiguous word right next to another substance name or a name-shaped word, with at most amounts between
        ("Ketamine crystal", "α-PVP 2g crystal shards", "Speed paste", "1V-BU-LAD buvards"), or before it with "of"
        ("Buvards de 1V-BU-LAD"), describes that product; it is not a mention of its own. A list separator or a
        conjunction in between ("speed, coke", "hasj und Gras") keeps it."""
        first = bisect_left(starts, cand.start - 12)
        for other in others[first : bisect_right(starts, cand.end + 4)]:
            if other is cand:
                continue
            lo, hi = (other.end, cand.start) if other.end <= cand.start else (cand.end, other.start)
            if 0 <= hi - lo <= 3:
                for k in range(lo, hi):  # tokens, not a Span: a Span costs more than the few tokens between
                    flags = self._word_flags(doc, k)
                    if not (flags & (_LIKE_NUM | _UNIT_WORD) or (lo == cand.end and flags & _LINK_WORD)):
                        break
                else:
                    return True
        return False

    def _own_context(self, doc: Doc, text: str, candidates: list[_Candidate]) -> list[_Candidate]:
        """The candidates of forms that need context of their own kind ("^" forms: "Amnesia", "bars", "mimosa") that
        have it: a word of their kind, a weight or strength right next to them, or a mention of the same substance or
        group that does not need such context or has it (a list of strains: "Runtz, Girl Scout Cookies and Durban
        Poison, 28g"). A form written with a capital counts only so written."""
        own = [c for c in candidates if c.hit.own and (not c.hit.capital or text[c.start_char].isupper())]
        if not own:
            return own
        window = self.context_window
        found = [c for c in own if self._own_words(doc, c, 2 * window)]
        for c in own:
            if c in found:
                continue
            kind = self._own_key(c.hit)
            for other in candidates:
                near = other is not c and abs(other.start - c.start) <= window
                if near and self._own_key(other.hit) == kind and (not other.hit.own or other in found):
                    found.append(c)
                    break
        return found

    def _own_key(self, hit: FormHit) -> str:
        sub = hit.substance
        return sub.canonical if sub.canonical in self._own else sub.chemical_group

    def _own_words(self, doc: Doc, cand: _Candidate, window: int) -> bool:
        words, units = self._own.get(self._own_key(cand.hit), (frozenset(), frozenset()))
        unit_words = self._own_unit_words.get(self._own_key(cand.hit), frozenset())
        lo, hi = max(0, cand.start - window), min(len(doc), cand.end + window)
        for k in range(lo, hi):
            if cand.start <= k < cand.end:
                continue
            token = doc[k]
            if token.lower in words or token.lower in unit_words:  # "an eighth", "half ons"
                return True
            if units and abs(k - cand.start) <= 3 and (cand.start <= k or k < cand.start):
                low = token.lower_
                if token.like_num and k + 1 < len(doc) and doc[k + 1].lower_ in units:
                    return True
                if token.prefix in self._digit_ids and low.lstrip("0123456789.,/") in units:
                    return True
        return False

    def _reported(self, doc: Doc, text: str, accepted: list[_Candidate]) -> list[_Candidate]:
        """What is reported of the accepted candidates: not the names that are never reported (naloxone, test kits,
        stealth labels; nlp.lexicon.NOT_REPORTED), not a co-used substance in a warning ("don't combine with
        alcohol"); a medicine's mention extended over a bare strength or a release form ("Percocet 10", "roxy 30s",
        "Oxycodone IR")."""
        out = []
        for cand in accepted:
            sub = cand.hit.substance
            if sub.chemical_group in NOT_REPORTED:
                continue
            if sub.chemical_group == CO_USE and self._in_warning(doc, cand):
                continue
            if sub.chemical_group in _MEDICINE_GROUPS and not sub.nps and sub.canonical not in _STREET:
                self._extend_medicine(doc, text, cand)
            out.append(cand)
        return out

    def _in_warning(self, doc: Doc, cand: _Candidate) -> bool:
        """A determiner negation right before the mention ("no alcohol", "geen alcohol", "kein Alkohol"), or a
        negation or avoidance word up to eight words before it and a combination word in the same stretch of its
        sentence ("never combine with alcohol", "niet combineren met alcohol", "nicht mit Alkohol mischen", "ne pas
        mélanger avec de l'alcool"); not after "again"/"wieder" ("nie wieder Ketamin mit Alkohol": what happened)."""
        avoid, combine = self._warning_avoid, self._warning_combine
        before = []
        for k in range(cand.start - 1, max(-1, cand.start - 9), -1):
            token = doc[k]
            if token.text in (".", "!", "?", ";", "\n"):
                break
            before.append(token.lower)
        if any(word in self._again for word in before[:3]):
            return False  # "nie wieder Ketamin mit Alkohol", "never again": what happened, not a warning
        if any(word in self._warning_none for word in before[:2]):
            return True  # "no alcohol", "geen alcohol", "pas d'alcool", "kein Alkohol"
        if not any(word in avoid for word in before):
            return False
        after = []
        for k in range(cand.end, min(len(doc), cand.end + 6)):
            token = doc[k]
            if token.text in (".", "!", "?", ";", "\n"):
                break
            after.append(token.lower)
        return any(word in combine for word in before) or any(word in combine for word in after)

    def _extend_medicine(self, doc: Doc, text: str, cand: _Candidate) -> None:
        end = cand.end
        if end < len(doc) and token_orth(doc, end) in self._release:
            end += 1
        elif end < len(doc) and token_idx(doc, end) > token_end(doc, end - 1):  # a space between (``whitespace_``)
            word = text[token_idx(doc, end) : token_end(doc, end)]
            # (a strength starts with a digit and is short: the expression is tried on those only)
            strength = len(word) <= 5 and word[0].isdecimal() and _STRENGTH.match(word) is not None
            if strength and not (end + 1 < len(doc) and token_lower(doc, end + 1) in _NOT_STRENGTH_IDS):
                end += 1
        if end > cand.end:
            cand.end = end
            cand.end_char = token_end(doc, end - 1)

    def _candidates(self, doc: Doc, text: str, lex: Lexicon, options: list[tuple[int, int, int]]) -> list[_Candidate]:
        """Leftmost, then best-kind and longest, non-overlapping candidates from the matchers' options."""
        out: list[_Candidate] = []
        free = 0  # first token not inside an accepted candidate
        for start, kind, neg_end in options:
            if start < free:
                continue
            end = -neg_end
            if kind != _EXACT:
                cand = self._resolve_other(doc, lex, start, kind, end)
                if cand is not None:
                    out.append(cand)
                    free = cand.end
                continue
            start_char = token_idx(doc, start)
            last_start = start_char if end - start == 1 else token_idx(doc, end - 1)
            last_end = token_end(doc, end - 1)
            matched = text[start_char:last_end]
            one_word = end - start == 1
            cache = self._word_hits if one_word else self._phrase_hits
            entry = cache.get(matched)
            if entry is None:
                if len(cache) >= _CACHE_SIZE:
                    cache.clear()
                entry = cache[matched] = self._exact_hit(lex, matched, one_word)
            hit, dots = entry
            # "2C-B." at the end of a sentence stays one token: its trailing dots are no part of the name (a last
            # token of dots only is no name at all)
            if hit is not None and dots < last_end - last_start:
                out.append(_Candidate(start, end, start_char, last_end - dots, hit))
                free = end
        return out

    def _resolve_other(self, doc: Doc, lex: Lexicon, start: int, kind: int, end: int) -> _Candidate | None:
        """A short form (case-sensitive, one token) or a name inside a hyphenated word."""
        first = doc[start]
        start_char = first.idx
        if kind == _SHORT:
            prev = doc[start - 1] if start > 0 else None
            if prev is not None and prev.whitespace_ == "" and prev.like_num:  # "10G" is not GHB
                return None
            hit = lex.pick(lex.short_forms.get(first.text, []), self.lang)
            return _Candidate(start, end, start_char, start_char + len(first), hit) if hit else None
        return self._part(start, first.text, start_char, lex)

    def _exact_hit(self, lex: Lexicon, matched: str, one_word: bool) -> tuple[FormHit | None, int]:
        """The lexicon hit of a matched text without its trailing dots (exact key first, then, for one word, its
        spelling key), and how many trailing dots it has; no hit if it does not end in a letter or digit then."""
        surface = matched.rstrip(".")
        dots = len(matched) - len(surface)
        if not surface[-1:].isalnum():
            return None, dots
        return self._form_hit(lex, surface, one_word), dots

    def _form_hit(self, lex: Lexicon, surface: str, one_word: bool) -> FormHit | None:
        hits = lex.by_key.get(form_key(surface))
        hit = lex.pick(hits, self.lang) if hits else None
        if hit is None and one_word and self.fuzzy:
            substance = lex.by_sound.get(sound_key(surface))
            hit = FormHit(substance, False, None) if substance is not None else None
        return hit

    def _part(self, i: int, token_text: str, start_char: int, lex: Lexicon) -> _Candidate | None:
        """The first unambiguous name among the hyphen-separated parts of one token ("xtc-pillen")."""
        if "-" not in token_text or len(token_text) <= 4:
            return None
        offset = 0
        for part in token_text.split("-"):
            hits = lex.by_key.get(form_key(part)) if len(part) >= 3 else None
            hit = lex.pick(hits, self.lang) if hits else None
            if hit is not None and not hit.ambiguous:
                return _Candidate(i, i + 1, start_char + offset, start_char + offset + len(part), hit)
            offset += len(part) + 1
        return None

    def _word_flags(self, doc: Doc, k: int) -> int:
        """What word ``k`` is to the context and descriptor checks (``_CONTEXT_WORD``, ... bits: all of them facts of
        the word, not of its place), kept per word by its ``orth`` id (at most ``_CACHE_SIZE``): a ``Token`` and its
        attributes cost several times the look-up."""
        orth = token_orth(doc, k)
        flags = self._flags.get(orth)
        if flags is None:
            token = doc[k]  # compared by string ids: reading a token's text costs a decoding
            low = token.lower_
            flags = (_CONTEXT_WORD if token.lower in self._context_ids else 0) | (_LIKE_NUM if token.like_num else 0)
            if token.prefix in self._digit_ids and low.rstrip("0123456789.,") in self._context:  # "10g"
                flags |= _NUMBER_CONTEXT
            flags |= (_UNIT_WORD if low in _UNIT_WORDS else 0) | (_LINK_WORD if low in _LINKS else 0)
            if len(self._flags) >= _CACHE_SIZE:
                self._flags.clear()
            self._flags[orth] = flags
        return flags

    def _has_context(self, doc: Doc, cand: _Candidate, firm_starts: list[int]) -> bool:
        window = self.context_window
        if cand.end_char - cand.start_char <= 2:  # "H", "G", "MD": a closer cue is needed
            window = max(2, window // 2)
        lo, hi = max(0, cand.start - window), min(len(doc), cand.end + window)
        for k in range(lo, hi):
            if cand.start <= k < cand.end:
                continue
            flags = self._word_flags(doc, k)
            if flags & (_CONTEXT_WORD | _NUMBER_CONTEXT):
                return True
            if flags & _LIKE_NUM and k + 1 < len(doc) and self._word_flags(doc, k + 1) & _CONTEXT_WORD:
                return True
        lo = bisect_left(firm_starts, cand.start - 2 * window)
        return lo < len(firm_starts) and firm_starts[lo] <= cand.start + 2 * window


_UNIT_WORDS: Final = frozenset(
    [
        "g",
        "gr",
        "gram",
        "grams",
        "gramm",
        "gramme",
        "grammes",
        "mg",
        "kg",
        "ml",
        "x",
        "oz",
        "lb",
        "µg",
        "ug",
        "mcg",
        "%",
        "-",
        "–",
        ":",
        "hcl",
        "base",
        "sulphate",
        "sulfate",
        "pure",
        "uncut",
        "crystal",
        "crystals",
        "shards",
        "flake",
        "powder",
        "peruvian",
        "colombian",
        "clear",
        "big",
        "small",
        "huge",
        "fresh",
        "cooked",
        "premium",
        "top",
    ]
)


# "Buvards de 1V-BU-LAD", "blotters of 1P-LSD"
_LINKS: Final = frozenset(["of", "de", "du", "des", "van", "von", "vom"])


@Language.factory(
    "npswatch_substances_v1",
    default_config={"lexicon_path": "", "context_window": 6, "fuzzy": True, "span_group": False, "tables": True},
    assigns=["doc._.nps", "doc._.nps_name_tokens"],
)
def make_substance_matcher(
    nlp: Language, name: str, lexicon_path: str, context_window: int, fuzzy: bool, span_group: bool, tables: bool
) -> SubstanceMatcher:
    """Known-substance matcher. ``lexicon_path`` empty means the shipped ``nlp/data/lexicon.json``;
    ``span_group`` also writes the mentions to ``doc.spans["substances"]`` (off by default: it costs time);
    ``tables``: use the serialised matcher tables (:mod:`nlp.tables`) when they are up to date."""
    return SubstanceMatcher(nlp, name, lexicon_path, context_window, fuzzy, span_group, tables)
