"""``npswatch_substances_v1``: known substances from the lexicon, tolerant of case, spacing, hyphens and misspelling.

Why not a PhraseMatcher: "3-MMC", "3 MMC", "3mmc" and "3-mmc" tokenize differently, so the match is done on the
``form_key`` of a run of up to ``max_tokens`` tokens, pruned by a prefix set (one dict lookup per token in the common
case). Forms marked ambiguous in the lexicon ("speed", "dope", "tina", "H") count only with drug context nearby: a cue
word, an amount with a unit, a price, or an unambiguous substance mention within ``context_window`` tokens.
"""

from __future__ import annotations

import bisect
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from nlp import resources
from nlp.components.state import doc_text, findings
from nlp.lexicon import DEFAULT_LEXICON, FormHit, Lexicon
from nlp.normalize import form_key, sound_key
from nlp.types import SubstanceMention

SPAN_KEY = "substances"


@dataclass
class _Candidate:
    start: int  # token indices
    end: int
    start_char: int
    end_char: int
    hit: FormHit


class SubstanceMatcher:
    def __init__(
        self, nlp: Language, name: str, lexicon_path: str, context_window: int, fuzzy: bool, span_group: bool
    ) -> None:
        self.name = name
        self.lang: str = nlp.lang or "en"
        self.lexicon_path = lexicon_path or str(DEFAULT_LEXICON)
        self.context_window = context_window
        self.fuzzy = fuzzy
        self.span_group = span_group
        self._lexicon: Lexicon | None = None
        self._context: frozenset[str] = frozenset()

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        self._lexicon = resources.lexicon(self.lexicon_path)
        self._context = resources.cues().context_for(self.lang)

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
        lex = self.lexicon
        candidates = self._candidates(doc, lex)
        firm = [c for c in candidates if not c.hit.ambiguous]
        firm_starts = [c.start for c in firm]
        accepted: list[_Candidate] = []
        nearby: list[_Candidate] = list(firm)  # firm, accepted and descriptor candidates, kept sorted by start
        nearby_starts = list(firm_starts)
        for cand in candidates:
            if cand.hit.ambiguous:
                if not self._has_context(doc, cand, firm_starts):
                    continue
                descriptor = _descriptor(doc, cand, nearby, nearby_starts)
                at = bisect.bisect_right(nearby_starts, cand.start)
                nearby.insert(at, cand)
                nearby_starts.insert(at, cand.start)
                if descriptor:
                    continue
            accepted.append(cand)
        out = findings(doc)
        text = doc_text(doc)
        spans = []
        for cand in accepted:
            sub = cand.hit.substance
            out.substances.append(
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
            if self.span_group and cand.start < cand.end:
                spans.append(Span(doc, cand.start, cand.end, label=sub.canonical))
        if self.span_group:
            doc.spans[SPAN_KEY] = SpanGroup(doc, name=SPAN_KEY, spans=spans)
        return doc

    def _candidates(self, doc: Doc, lex: Lexicon) -> list[_Candidate]:
        out: list[_Candidate] = []
        pairs = [(t.text, t.idx) for t in doc]  # plain values: indexing a Doc builds a Token object each time
        texts = [p[0] for p in pairs]
        idxs = [p[1] for p in pairs]
        n = len(texts)
        i = 0
        while i < n:
            text = texts[i]
            best: _Candidate | None = None
            if text in lex.short_forms:
                prev = doc[i - 1] if i > 0 else None
                glued_to_number = prev is not None and prev.whitespace_ == "" and prev.like_num
                hit = None if glued_to_number else lex.pick(lex.short_forms[text], self.lang)
                if hit is not None:
                    best = _Candidate(i, i + 1, idxs[i], idxs[i] + len(text), hit)
            key = form_key(text)
            if key and key in lex.prefixes:
                best = self._longest(texts, idxs, i, key, lex) or best
            if best is None and self.fuzzy and len(text) >= 5:
                best = self._fuzzy(doc, i, lex)
            if best is not None:
                out.append(best)
                i = max(best.end, i + 1)
            else:
                i += 1
        return out

    def _longest(self, texts: list[str], idxs: list[int], i: int, key: str, lex: Lexicon) -> _Candidate | None:
        """The longest lexicon form starting at token ``i``, joining up to ``lex.max_tokens`` tokens."""
        best = None
        concat, digits = "", any(ch.isdigit() for ch in key)
        for j in range(i, min(len(texts), i + lex.max_tokens)):
            part = form_key(texts[j]) if j > i else key
            if j > i and not part:
                if texts[j] in ("-", "–"):
                    continue
                break
            concat += part
            digits = digits or any(ch.isdigit() for ch in part)
            if concat not in lex.prefixes:
                break
            hits = lex.by_key.get(concat)
            # joining tokens needs a digit ("3 MMC") or a lexicon form with a separator ("magic mushrooms")
            if hits is None or (j > i and not (digits or concat in lex.spaced_keys)):
                continue
            last = texts[j].rstrip(".")  # "2C-B." at the end of a sentence stays one token
            hit = lex.pick(hits, self.lang) if last[-1:].isalnum() else None
            if hit is not None:
                best = _Candidate(i, j + 1, idxs[i], idxs[j] + len(last), hit)
        return best

    def _fuzzy(self, doc: Doc, i: int, lex: Lexicon) -> _Candidate | None:
        token = doc[i]
        text = token.text
        if "-" in text and len(text) > 4:
            offset = 0
            for part in text.split("-"):
                hits = lex.by_key.get(form_key(part)) if len(part) >= 3 else None
                hit = lex.pick(hits, self.lang) if hits else None
                if hit is not None and not hit.ambiguous:
                    start = token.idx + offset
                    return _Candidate(i, i + 1, start, start + len(part), hit)
                offset += len(part) + 1
        skey = sound_key(text)
        if skey:
            substance = lex.by_sound.get(skey)
            if substance is not None:
                return _Candidate(i, i + 1, token.idx, token.idx + len(text), FormHit(substance, False, None))
        return None

    def _has_context(self, doc: Doc, cand: _Candidate, firm_starts: list[int]) -> bool:
        window = self.context_window
        if cand.end_char - cand.start_char <= 2:  # "H", "G", "MD": a closer cue is needed
            window = max(2, window // 2)
        lo, hi = max(0, cand.start - window), min(len(doc), cand.end + window)
        for k in range(lo, hi):
            if cand.start <= k < cand.end:
                continue
            token = doc[k]
            low = token.lower_
            if low in self._context:
                return True
            if token.like_num and k + 1 < len(doc) and doc[k + 1].lower_ in self._context:
                return True
            if low[:1].isdigit() and low.rstrip("0123456789.,") in self._context:
                return True
        lo = bisect.bisect_left(firm_starts, cand.start - 2 * window)
        return lo < len(firm_starts) and firm_starts[lo] <= cand.start + 2 * window


_UNIT_WORDS = frozenset(
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
    ]
)


def _descriptor(doc: Doc, cand: _Candidate, others: list[_Candidate], starts: list[int]) -> bool:
    """An ambiguous word right next to another substance name, with at most amounts between ("Ketamine crystal",
    "α-PVP 2g crystal shards", "Speed paste"), describes that product; it is not a mention of its own.
    A list separator or a conjunction in between ("speed, coke", "hasj und Gras") keeps it."""
    first = bisect.bisect_left(starts, cand.start - 12)
    for other in others[first : bisect.bisect_right(starts, cand.end + 4)]:
        if other is cand:
            continue
        lo, hi = (other.end, cand.start) if other.end <= cand.start else (cand.end, other.start)
        if 0 <= hi - lo <= 3 and all(t.like_num or t.lower_ in _UNIT_WORDS for t in doc[lo:hi]):
            return True
    return False


@Language.factory(
    "npswatch_substances_v1",
    default_config={"lexicon_path": "", "context_window": 6, "fuzzy": True, "span_group": False},
)
def make_substance_matcher(
    nlp: Language, name: str, lexicon_path: str, context_window: int, fuzzy: bool, span_group: bool
) -> SubstanceMatcher:
    """Known-substance matcher. ``lexicon_path`` empty means the shipped ``nlp/data/lexicon.json``;
    ``span_group`` also writes the mentions to ``doc.spans["substances"]`` (off by default: it costs time)."""
    return SubstanceMatcher(nlp, name, lexicon_path, context_window, fuzzy, span_group)
