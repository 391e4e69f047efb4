"""What a dose or an effect is about: the sentences and clauses of a text, and the substance (or route) a mention at a
position belongs to.

A mention takes the substance of its own clause (the nearest one, either side), else the nearest one before it in
its sentence (for effects, also the nearest one after it in its sentence), else the substance the text was about in
the sentences before (:meth:`Anchors.carried`), else, for effects, the text's only substance. Co-used substances
(alcohol, tobacco, nicotine, caffeine) give way to any other substance at the same level; substances named in passing
("like 3-MMC", "without alcohol", "zoals", "comme", "ohne") count only when nothing else does; rescue medicines
(naloxone) are never what an effect or a carried dose is about. docs/extraction.md ("What the signals read") states
the rule as the adverse-surge detector relies on it.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

from nlp.components.state import space_at

# how much a substance mention counts as what a text is about (``Final``, as the other constants read per mention or
# per text: the compiled module reads them as constants, not by a look-up in the module's namespace)
MAIN: Final = 0
CO_USED: Final = 1
PASSING: Final = 2
RESCUE: Final = 3
# with the spaces after it: a run of ".!?…" before a space or the end, or a line break (the definition; the text is
# scanned for it by :func:`scan`)
SENTENCE_END: Final = re.compile(r"(?:[.!?\u2026]+(?=\s|$)|\n)\s*")
# a dash between spaces (the definition; :func:`scan` scans for it)
_DASH_BREAK: Final = re.compile(r"\s[-\u2013\u2014]\s")
# the characters other than ASCII ones that a case-insensitive expression matches to an ASCII letter (İ, ı, ſ, the
# Kelvin sign): in a text without them, an ASCII word matches case-insensitively only where the text's lower-case form
# contains it
_CASELESS_ASCII: Final[tuple[str, ...]] = ("\u0130", "\u0131", "\u017f", "\u212a")
# articles and determiners that may stand between a "passing" cue and the substance ("like the 3-MMC")
ARTICLES: Final = frozenset(["the", "a", "an", "my", "some", "this", "that", "de", "het", "een", "la", "le", "les",
                             "l'", "du", "des", "un", "une", "der", "die", "das", "den", "dem", "ein", "eine",
                             "einen"])  # fmt: skip
# the words "passing" cues are read from (the definition; :func:`words_before` scans for them)
_WORDS: Final = re.compile(r"[\w'\u2019+-]+")


class ClauseBreaks:
    """Where a clause ends: a comma, semicolon or colon before a space, a dash between spaces, or a word that starts
    a new action ("then", "puis", "daarna", "dann"). A comma between digits ("1,5 ml") is no break."""

    def __init__(self, words: frozenset[str]) -> None:
        alternatives = sorted(map(re.escape, words), key=len, reverse=True)
        self.words = re.compile(rf"\b(?:{'|'.join(alternatives) or '(?!)'})\b", re.IGNORECASE)
        # a text (ASCII, or without the characters of ``_CASELESS_ASCII``) has one of the (ASCII) words in any case
        # only if its lower-case form contains it: most texts are done with these look-ups, far cheaper than the
        # expression's case-insensitive search (several microseconds on a short text)
        self._ascii_words = tuple(sorted(words)) if all(w.isascii() for w in words) else None
        # words of ASCII letters and digits only: a match of the expression is then a whole run of word characters
        # (``\b`` on both sides), which :meth:`add_word_ends` finds by ``str.find`` in the lower-case text
        self._plain = all(w.isascii() and w.isalnum() for w in words)

    def add_word_ends(self, text: str, found: set[int]) -> None:
        """Adds the ends of the words' matches in ``text`` (the words and the punctuation of :func:`scan` never
        overlap: the searches give what one search for either would)."""
        ascii_words = self._ascii_words
        caseless = ascii_words is not None and (text.isascii() or not _contains_any(text, _CASELESS_ASCII))
        if caseless and ascii_words is not None:
            lowered = text.lower()
            if not _contains_any(lowered, ascii_words):
                return
            if self._plain:
                # (without "İ", the one character whose lower-case form is two, ``lowered`` aligns with ``text``)
                _add_whole_words(text, lowered, ascii_words, found)
                return
        found.update(m.end() for m in self.words.finditer(text))


def _add_whole_words(text: str, lowered: str, words: tuple[str, ...], found: set[int]) -> None:
    """Adds the ends of the places where one of ``words`` (ASCII letters and digits, lower case) is a whole run of
    word characters of ``text`` (what ``\\b(?:words)\\b`` matches case-insensitively in a text whose lower-case form
    ``lowered`` has the same length and where only ASCII letters lower to ASCII letters)."""
    for word in words:
        i = lowered.find(word)
        while i >= 0:
            end = i + len(word)
            if (i == 0 or not _regex_word_char(text, i - 1)) and (end == len(text) or not _regex_word_char(text, end)):
                found.add(end)
            i = lowered.find(word, i + 1)


def _regex_word_char(text: str, i: int) -> bool:
    """``text[i]`` is what ``\\w`` matches: a letter or digit of any script (``str.isalnum``) or "_"."""
    code = ord(text[i])
    if code < 128:
        return 48 <= code <= 57 or 65 <= code <= 90 or 97 <= code <= 122 or code == 95
    return text[i].isalnum()


def _contains_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` contains one of ``words`` (a typed tuple: compiled, a loop by index)."""
    return any(word in text for word in words)


def scan(text: str) -> tuple[list[int], set[int]]:
    """One pass over the text's characters (compiled, far cheaper than starting the expressions' searches on a short
    text) for what they define:

    - the sentence starts: 0 and the ends of ``SENTENCE_END``'s matches inside the text, as ``finditer`` finds them: a
      line break, or a run of ".!?…" that ends the text or is followed by whitespace (``\\s``, which is what
      ``str.isspace`` tells), with the whitespace after it; no match starts inside a run followed by anything else;
    - the ends of the punctuation and dash breaks: a comma or colon before whitespace, any semicolon
      (``[,;:](?:(?<=;)|(?=\\s))``), and ``_DASH_BREAK``'s matches, left to right and not overlapping.

    None of these characters is whitespace or of a sentence end's run, so skipping a run or the whitespace after a
    sentence end skips no break."""
    starts = [0]
    found: set[int] = set()
    n = len(text)
    dash_end = 0  # the end of the last dash break: the next one starts there or later
    i = 0
    while i < n:
        code = ord(text[i])
        if code == 44 or code == 58:  # ",", ":"
            if i + 1 < n and space_at(text, i + 1):
                found.add(i + 1)
        elif code == 59:  # ";"
            found.add(i + 1)
        elif code == 45 or code == 0x2013 or code == 0x2014:  # "-", "–", "—"
            if i + 1 < n and i - 1 >= dash_end and space_at(text, i - 1) and space_at(text, i + 1):
                dash_end = i + 2
                found.add(dash_end)
        elif code == 10 or code == 46 or code == 33 or code == 63 or code == 0x2026:  # "\n", ".", "!", "?", "…"
            j = i + 1
            if code != 10:
                while j < n and _stop(ord(text[j])):
                    j += 1
                if j < n and not space_at(text, j):
                    i = j
                    continue
            while j < n and space_at(text, j):
                j += 1
            if 0 < j < n:
                starts.append(j)
            i = j
            continue
        i += 1
    return starts, found


def _stop(code: int) -> bool:
    return code == 46 or code == 33 or code == 63 or code == 0x2026


def clause_breaks(words: frozenset[str]) -> ClauseBreaks:
    """The clause breaks of a language, with its words that start a new action."""
    return ClauseBreaks(words)


class Segments:
    """The sentence and clause starts of a text (character offsets, sorted), and which one a position is in."""

    def __init__(self, text: str, breaks: ClauseBreaks) -> None:
        self.sentences, clause_starts = scan(text)
        breaks.add_word_ends(text, clause_starts)
        if clause_starts:
            clause_starts.update(self.sentences)
            self.clauses = sorted(clause_starts)
        else:
            self.clauses = list(self.sentences)  # (sorted, one each)

    def sentence(self, pos: int) -> int:
        # (most listing titles are one sentence of one clause: no search)
        return 0 if len(self.sentences) == 1 and pos >= 0 else bisect.bisect_right(self.sentences, pos) - 1

    def clause(self, pos: int) -> int:
        return 0 if len(self.clauses) == 1 and pos >= 0 else bisect.bisect_right(self.clauses, pos) - 1


class PassingCues:
    """The cues that name a substance in passing ("like", "than", "without", "zoals", "comme", "ohne"; phrases of
    words joined by a space), with the words they end with: a mention whose word before it (an article aside) ends no
    cue is not named in passing, which two words read back tell (most mentions)."""

    def __init__(self, cues: frozenset[str]) -> None:
        self.cues = cues
        self.last_words = frozenset(cue.rsplit(" ", 1)[-1] for cue in cues)


def passing(text: str, start: int, cues: PassingCues) -> bool:
    """The mention at ``start`` follows a cue that names it in passing ("like", "than", "without", "zoals", "comme",
    "ohne"), maybe with an article between ("like the 3-MMC")."""
    last = words_before(text, start, 2)  # (the last word a cue can end with, an article aside)
    if last and last[-1] in ARTICLES:
        last.pop()
    if not last or last[-1] not in cues.last_words:
        return False
    words = words_before(text, start, 4)  # an article and three words
    if words and words[-1] in ARTICLES:
        words.pop()
    return any(" ".join(words[-n:]) in cues.cues for n in (1, 2, 3) if len(words) >= n)


def words_before(text: str, start: int, count: int = 4) -> list[str]:
    """The last ``count`` words (``_WORDS``' matches, as ``findall`` finds them) of the 30 characters before
    ``start``, in lower case and in text order, found by a scan back from ``start``: a word is a run of characters
    that are letters or digits (``str.isalnum``, which is what ``\\w`` tells besides "_") or one of "_'’+-", cut where
    the 30 characters begin."""
    first = max(0, start - 30)
    words: list[str] = []
    i = start
    while i > first and len(words) < count:
        while i > first and not _word_char(text, i - 1):
            i -= 1
        end = i
        while i > first and _word_char(text, i - 1):
            i -= 1
        if i < end:
            words.append(text[i:end].lower())
    words.reverse()
    return words


def _word_char(text: str, i: int) -> bool:
    """A character of ``_WORDS``: one ``\\w`` matches, or one of "'+-’"."""
    code = ord(text[i])
    return code == 39 or code == 43 or code == 45 or code == 0x2019 or _regex_word_char(text, i)


Anchor = tuple[int, str, int]  # (start, name, how much it counts: MAIN, CO_USED, PASSING or RESCUE)


class Anchors:
    """The substances (or routes) of one text in text order, with the sentences that tell of use (an amount or a
    route in them), to answer what a mention at a position is about."""

    def __init__(self, items: list[Anchor], segments: Segments, use_positions: list[int]) -> None:
        self.items = items
        self.segments = segments
        self.use_sentences = {segments.sentence(p) for p in use_positions}
        self.use_clauses = {segments.clause(p) for p in use_positions}
        self._sentence_of = [segments.sentence(start) for start, _, _ in items]
        self._clause_of = [segments.clause(start) for start, _, _ in items]

    def nearest(self, pos: int, limit: int, after: bool, blockers: list[int] | None = None) -> tuple[str | None, bool]:
        """The anchor in the clause of ``pos`` (nearest, either side), else the nearest before it in its sentence,
        else (``after``) the nearest after it in its sentence; at each level a main substance before a co-used one,
        and one in a clause that tells of use (an amount, a route) before others; within ``limit`` characters;
        substances named in passing excluded, and anchors that belong to another of ``blockers`` (sorted positions:
        the other amounts of a text; see :func:`_owned_by_another`). The name, and whether one was found."""
        clause, sentence = self.segments.clause(pos), self.segments.sentence(pos)
        best: tuple[int, int, int, int] | None = None
        name: str | None = None
        for k, (start, value, weight) in enumerate(self.items):
            distance = abs(start - pos)
            if weight == PASSING or distance > limit or self._sentence_of[k] != sentence:
                continue
            if blockers and _owned_by_another(blockers, pos, start):
                continue
            if self._clause_of[k] == clause:
                level = 0
            elif start < pos:
                level = 1
            elif after:
                level = 2
            else:
                continue
            key = (level, weight, self._clause_of[k] not in self.use_clauses, distance)
            if best is None or key < best:
                best, name = key, value
        return name, best is not None

    def carried(self, pos: int) -> str | None:
        """What the sentences before the one of ``pos`` were about: the last main substance of a sentence that tells
        of use, else the last main substance, else the last co-used one (never a rescue medicine or a substance named
        in passing)."""
        sentence = self.segments.sentence(pos)
        used = main = co_used = None
        for k, (_, value, weight) in enumerate(self.items):
            if self._sentence_of[k] >= sentence:
                break
            if weight == MAIN:
                main = value
                if self._sentence_of[k] in self.use_sentences:
                    used = value
            elif weight == CO_USED:
                co_used = value
        return used or main or co_used

    def last_sentence_value(self, pos: int) -> tuple[str, int] | None:
        """The value of the last sentence before the one of ``pos`` that has anchors, if they all have one value (a
        route said once, or said the same way twice), with that sentence's index."""
        sentence = self.segments.sentence(pos)
        last, values = -1, set[str]()
        for k, (_, value, _) in enumerate(self.items):
            if self._sentence_of[k] >= sentence:
                break
            if self._sentence_of[k] != last:
                last, values = self._sentence_of[k], set[str]()
            values.add(value)
        return (values.pop(), last) if len(values) == 1 else None

    def names_in(self, sentence: int) -> set[str]:
        """The values of the anchors in sentence number ``sentence``."""
        return {value for k, (_, value, _) in enumerate(self.items) if self._sentence_of[k] == sentence}

    def only(self) -> str | None:
        """The text's only main substance, if it names exactly one."""
        names = {value for _, value, weight in self.items if weight == MAIN}
        return names.pop() if len(names) == 1 else None

    def in_passing(self, pos: int) -> str | None:
        """The nearest substance named in passing in the sentence of ``pos``."""
        sentence = self.segments.sentence(pos)
        found = [
            (abs(start - pos), value)
            for k, (start, value, weight) in enumerate(self.items)
            if weight == PASSING and self._sentence_of[k] == sentence
        ]
        return min(found)[1] if found else None


def _owned_by_another(amounts: list[int], pos: int, start: int) -> bool:
    """The anchor at ``start``, after the amount at ``pos``, belongs to another amount: one between them ("0,1 g
    bruin en 0,1 g coke": coke is the second amount's), or one after it that is nearer ("Zolpidem 20 mg + Atarax
    25 mg": Atarax is the second amount's). An anchor before an amount is any later amount's too ("120mg of MDMA,
    then another 60mg")."""
    if start < pos:
        return False
    i = bisect.bisect_right(amounts, pos)
    j = bisect.bisect_left(amounts, start)
    beyond = amounts[j] if j < len(amounts) else None
    return j > i or (beyond is not None and beyond - start < start - pos)
