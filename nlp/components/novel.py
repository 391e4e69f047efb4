"""``npswatch_novel_v1``: names absent from the lexicon that the name grammar (:mod:`nlp.names`) reads as a member of
an NPS family: substituents on a known core ("2-Br-NEP", "4-BzO-EPT", "N-allyl-2F-DCK") or a family's naming scheme
(a synthetic cannabinoid's head-tail-core "EDMB-5en-HEXINACA", a nitazene's stem and ending "isotonitazepane", a
lysergamide's 1-acyl group "1V-BU-LAD"). The grammar is one compiled expression (families whose ending is not in the
text are left out of it), made in ``initialize`` with the cores the component's lexicon knows.

The expression runs only where a word looks like a name: words that carry the shared name norm of :mod:`nlp.vocab`
(``doc._.nps_name_tokens``, which the substance matcher's one ``PhraseMatcher`` call fills; without it, this
component's own call finds them), up to two short prefix words before one ("EDMB 5en HEXINACA"), and known names a
prefix may extend ("N-pyrrolidino" + "-nitazene"), so a text with no such word costs next to nothing. What the
expression found at a word is kept for the stretch of text it could read there (``state.MatchCache``), so a name that
comes again costs a dictionary look-up. A match is a candidate only if it stands alone (no letter or digit glued to
either side), is not a known substance (those are the lexicon's job) and does not look like an identifier (hex key
ids, long digit runs, dates). Candidates carry ``known: false``, ``canonical: null`` and the family as their chemical
group; the **whole** name is the candidate, and a known name inside it ("EPT" in "4-BzO-EPT", "PRO LAD" in "1B PRO
LAD") is no mention of its own. The EWS reads every candidate, so the grammar favours precision: a bare family or class
word ("nitazene", "fentanyl") is no name.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, Final

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp import names, resources
from nlp.components.state import (
    NAME_TOKENS,
    RULE_SUBSTANCES,
    MatchCache,
    check_order,
    doc_matches,
    doc_text,
    findings,
    token_idx,
    token_orth,
    values,
)
from nlp.lexicon import DEFAULT_LEXICON, Lexicon, Substance
from nlp.normalize import form_key, spelling_key
from nlp.types import SubstanceMention
from nlp.vocab import CORE, install_norms, name_pattern

# "1B", "EDMB", "N-desethyl"
_PREFIX_WORD: Final = re.compile(r"^(?:\d[A-Za-z]{1,3}|[A-Z][A-Za-z]{1,5}|N-[A-Za-zé]{3,12})$")


def _extends(word: str) -> bool:
    """A family word a prefix word may extend ("N-pyrrolidino" + "-nitazene", "ortho-methyl" + "fentanyl")."""
    low = word.lower()
    return "nitaz" in low or "fentan" in low


_IDENTIFIER: Final = re.compile(r"^(?:0x)?[0-9A-F]{8,}$|\d{4,}|^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$")
_THREE_LETTERS: Final = re.compile(r"[a-z]{3}", re.IGNORECASE)
_ELIDED: Final = re.compile(r"\b(?:[ldjmnstc]|qu)'$", re.IGNORECASE)  # "l'", "d'", "qu'" just before a name
_SALT: Final = re.compile(
    r"[\s-]*(?:HCl|HBr|hydrochloride|fumarate|freebase|base|citrate|tartrate|sulfate|sulphate)$", re.IGNORECASE
)


_CACHE_SIZE: Final = 20_000  # stretches of text whose family match is kept, per set of possible families
# the grammar takes two whitespace characters at most ("1B PRO LAD"), and its look-behind rejects word characters, "'"
# and "-"
_SPACES: Final = 3
FAMILIES: Final = names.FAMILIES
# a bare core or a family word a prefix may extend ("CPMC", "nitazene"); a prefix word
_CORE_WORD: Final = 1
_PREFIX: Final = 2


def _encode(match: re.Match[str], start: int) -> int:
    """A family match as one number: its length times the number of families, plus its family's index."""
    return (match.end() - start) * len(FAMILIES) + int(str(match.lastgroup)[1:])


class NovelCandidates:
    """Novel-substance candidates: adds a :class:`nlp.types.SubstanceMention` with ``known: false`` per name that
    the family expressions accept to ``doc._.nps.substances`` (and removes a known mention that a longer novel name
    swallows). Reads the known mentions and ``doc._.nps_name_tokens`` when the substance matcher runs before it;
    alone, it finds the name-shaped words itself and extends no known name."""

    READS = (RULE_SUBSTANCES, "doc._.nps_name_tokens")
    ASSIGNS = (RULE_SUBSTANCES,)

    def __init__(self, nlp: Language, name: str, lexicon_path: str, min_length: int) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self._names = PhraseMatcher(nlp.vocab, attr="NORM")
        self.lexicon_path = lexicon_path or str(DEFAULT_LEXICON)
        self.min_length = min_length
        self._lexicon: Lexicon | None = None
        self._grammar: names.Grammar | None = None
        # per ``Grammar.gate_key`` (the set of possible families): their expression, and the ``_encode``d match at a
        # word's context, or -1 for none
        self._matches: dict[int, tuple[re.Pattern[str], MatchCache[int]]] = {}
        self._words: dict[int, int] = {}  # ``_CORE_WORD | _PREFIX`` flags of the words seen, by their ``orth`` id
        self._novel_names: dict[str, bool] = {}  # ``_novel`` of the names seen
        self._extensible: dict[str, bool] = {}  # ``_extends`` of the known mentions seen
        self._spellings: dict[str, Substance | None] | None = None  # ``spelling_index``, made at the first candidate

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        check_order(nlp, self.name, self.READS)
        self._lexicon = resources.lexicon(self.lexicon_path)
        self._grammar = resources.grammar(self.lexicon_path)
        self._matches = {}
        self._words = {}
        self._novel_names = {}
        self._extensible = {}
        self._spellings = None
        install_norms(self.vocab, self._lexicon)
        self._names = PhraseMatcher(self.vocab, attr="NORM")
        self._names.add("NAME", [name_pattern(self.vocab)])

    def __call__(self, doc: Doc) -> Doc:
        if self._lexicon is None or self._grammar is None:
            self.initialize()
        assert self._grammar is not None
        user_data = values(doc)
        out = findings(doc, user_data)
        known = out.substances  # in text order (the substance matcher scans left to right)
        extensible = [m.start for m in known if self._is_extensible(m.text)] if known else []
        positions: Sequence[int] | None = user_data.get(NAME_TOKENS)
        if positions is None:
            positions = [start for _, start, _ in doc_matches(self._names, doc)]
        if not positions and not extensible:
            return doc
        text = doc_text(doc, user_data)
        known_starts = [m.start for m in known]
        swallowed: set[int] = set()
        found: list[tuple[int, int, names.Family]] = []
        free = 0  # first character not inside an accepted candidate
        # families named by a word ending ("-zolam", "-nitazene") are left out when the text does not have that ending
        key = self._grammar.gate_key(text)
        entry = self._matches.get(key)
        if entry is None:
            regex = self._grammar.for_families(self._grammar.families_of(key))
            entry = self._matches[key] = (regex, MatchCache(_SPACES, _CACHE_SIZE, _encode, -1))
        regex, kept = entry
        for start in self._starts(doc, text, positions, extensible):
            if start < free:
                continue
            found_at = kept.match(regex, text, start)
            if found_at < 0:
                continue
            family = FAMILIES[found_at % len(FAMILIES)]
            end = start + found_at // len(FAMILIES)
            near = known[bisect_left(known_starts, start - 80) : bisect_left(known_starts, end)]
            # a longer novel name swallows a known name inside it ("N-pyrrolidino flunitazene", "4F-PiHP")
            inside = [m for m in near if start <= m.start and m.end <= end and m.end - m.start < end - start]
            taken = [(m.start, m.end) for m in near if m not in inside]
            if self._accept(text, start, end, taken):
                found.append((start, end, family))
                swallowed.update(m.start for m in inside)
                free = end
        if swallowed:
            out.substances = [m for m in out.substances if m.start not in swallowed]
        for start, end, family in found:
            sub = self._known_spelling(text[start:end])
            if sub is not None:  # a known substance in another language's spelling ("4-Fluoramphetamin": 4-FA)
                mention = SubstanceMention(text[start:end], start, end, sub.canonical, sub.effect_group,
                                           sub.chemical_group, sub.nps, True)  # fmt: skip
            else:
                mention = SubstanceMention(
                    text[start:end], start, end, None, family.effect_group, family.chemical_group, True, False
                )
            out.substances.append(mention)
        if found:
            out.substances.sort(key=lambda m: m.start)
        return doc

    def _starts(self, doc: Doc, text: str, positions: Sequence[int], extensible: list[int]) -> list[int]:
        """Where a name may start: each name-shaped word, the word before a bare core ("3 CPMC"), up to two prefix
        words before a name-shaped word ("EDMB 5en HEXINACA"), and the word before a known family word a prefix may
        extend ("N-pyrrolidino" before "-nitazene", "ortho-methyl" before
        "fentanyl")."""
        starts = []
        for i in positions:
            if i > 0 and self._word(doc, i) & _CORE_WORD:
                starts.append(token_idx(doc, i - 1))
            # up to two prefix words of a spaced name ("EDMB 5en HEXINACA")
            for k in (i - 1, i - 2):
                if k < 0:
                    break
                if self._word(doc, k) & _PREFIX and doc[k].whitespace_:
                    starts.append(token_idx(doc, k))
                else:
                    break
            starts.append(token_idx(doc, i))
        for start in extensible:
            if start > 1 and text[start - 1] in " -":
                starts.append(text.rfind(" ", 0, start - 1) + 1)
        return sorted(set(starts))

    def _is_extensible(self, mention: str) -> bool:
        """``_extends`` of a known mention's text, kept per text (at most ``_CACHE_SIZE``)."""
        kept = self._extensible.get(mention)
        if kept is None:
            if len(self._extensible) >= _CACHE_SIZE:
                self._extensible.clear()
            kept = self._extensible[mention] = _extends(mention)
        return kept

    def _word(self, doc: Doc, i: int) -> int:
        """What word ``i`` may be in a name, as ``_CORE_WORD | _PREFIX`` flags, kept per word (at most
        ``_CACHE_SIZE``)."""
        orth = token_orth(doc, i)
        flags = self._words.get(orth)
        if flags is None:
            word = doc[i].text
            flags = (_CORE_WORD if CORE.match(word) or _extends(word) else 0) | (
                _PREFIX if _PREFIX_WORD.match(word) else 0
            )
            if len(self._words) >= _CACHE_SIZE:
                self._words.clear()
            self._words[orth] = flags
        return flags

    def _accept(self, text: str, start: int, end: int, taken: list[tuple[int, int]]) -> bool:
        if end - start < self.min_length:
            return False
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
            return False
        if start > 0 and text[start - 1] == "'" and not _ELIDED.search(text, max(0, start - 3), start):
            return False  # inside a word with an apostrophe; a French elided word before is fine ("l'EDMB ...")
        if end < len(text) and (
            text[end].isalnum() or (text[end] == "-" and end + 1 < len(text) and text[end + 1].isalnum())
        ):
            return False
        if any(s < end and start < e for s, e in taken):
            return False
        name = text[start:end]
        novel = self._novel_names.get(name)
        if novel is None:
            if len(self._novel_names) >= _CACHE_SIZE:
                self._novel_names.clear()
            novel = self._novel_names[name] = self._novel(name)
        return novel

    def _known_spelling(self, name: str) -> Substance | None:
        """The lexicon's substance whose systematic name ``name`` spells another way (``spelling_index``), if any."""
        if self._spellings is None:
            assert self._lexicon is not None
            self._spellings = spelling_index(self._lexicon)
        key = spelling_key(name)
        return self._spellings.get(key) if key else None

    def _novel(self, name: str) -> bool:
        """A name that is no identifier and no lexicon form (with or without a salt)."""
        if _IDENTIFIER.search(name.replace("-", "")) and not _THREE_LETTERS.search(name):
            return False
        assert self._lexicon is not None
        bare = _SALT.sub("", name)
        return not any(key in self._lexicon.by_key for key in (form_key(name), form_key(bare)))


def spelling_index(lexicon: Lexicon) -> dict[str, Substance | None]:
    """The lexicon's forms by ``spelling_key``: the substance, or None where two substances share a key."""
    index: dict[str, Substance | None] = {}
    for key, hits in lexicon.by_key.items():
        subs = {hit.substance.canonical: hit.substance for hit in hits if not hit.ambiguous}
        spelled = spelling_key(key)
        if not spelled or len(subs) != 1:
            continue
        (sub,) = subs.values()
        previous = index.get(spelled, sub)
        index[spelled] = sub if previous is not None and previous.canonical == sub.canonical else None
    return index


@Language.factory("npswatch_novel_v1", default_config={"lexicon_path": "", "min_length": 4}, assigns=["doc._.nps"])
def make_novel_candidates(nlp: Language, name: str, lexicon_path: str, min_length: int) -> NovelCandidates:
    """Novel-substance candidates by naming morphology; after ``npswatch_substances_v1`` when both run."""
    return NovelCandidates(nlp, name, lexicon_path, min_length)
