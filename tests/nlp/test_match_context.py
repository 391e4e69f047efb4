"""The premise of the match caches (``nlp.components.state.match_context``, ``MatchCache``): an expression tried at
a position reads nothing outside its context there, so two texts with the same context get the same match. Checked on
random texts made of fragments the expressions care about, at every position, against a random other text sharing
the context."""

import random
import re

import pytest

import nlp
from nlp import resources
from nlp.components.novel import _SPACES, FAMILIES
from nlp.components.offers import _QTY, _QTY_SPACES
from nlp.components.state import CONTEXT_LIMIT, match_context

NAME_FRAGMENTS = [
    "3", "4", "-", "N-", "ethyl", "MMC", "CMC", "PVP", "PiHP", "2C-B", "nitazene", "N-pyrrolidino", "fluoro", "F",
    "Cl", "MeO", "DMT", "PINACA", "MDMB", "4en", "fentanyl", "oyl", "zolam", "bromaz", "edrone", "U-47700", "HHC",
    "-O", "α", "a", "é", "x", "1", "00", "'", ",", ".", " ", " ", "  ", "\t", "\n", "\u00a0", "EDMB", "5en",
    "HEXINACA", "ICA", "1B", "PRO", "LAD", "BzO", "EPT", "nitazepane", "Br", "NEP", "DCK", "N-allyl", "Iod", "butyr",
    "alfa", "tryptamine", "2F",
]  # fmt: skip
GRAMMAR = resources.grammar()
AMOUNT_FRAGMENTS = [
    "1", "10", "250", "0", ".", ",", "5", "x", "X", "×", "*", "g", "G", "mg", "gram", "kg", "st", "St", "ST", "pills",
    "tabs", "½", "1/2", "3/4", "/", "LTE", "abc", "é", "_", "-", "%", " ", " ", "  ", "\t", "\n", "\u00a0",
]  # fmt: skip

CASES = [
    # (expression, whitespace characters it can take + 1, fragments)
    (GRAMMAR.for_families(frozenset(range(len(FAMILIES)))), _SPACES, NAME_FRAGMENTS),
    (GRAMMAR.for_families(frozenset([0, 1, 4, 6, 8])), _SPACES, NAME_FRAGMENTS),
    (_QTY, _QTY_SPACES, AMOUNT_FRAGMENTS),
]


@pytest.mark.parametrize(("regex", "spaces", "fragments"), CASES, ids=["families", "some families", "quantities"])
def test_a_match_depends_only_on_its_context(regex: re.Pattern[str], spaces: int, fragments: list[str]) -> None:
    rng = random.Random(7)
    checked = 0
    for _ in range(4000):
        text = "".join(rng.choice(fragments) for _ in range(rng.randint(1, 12)))
        for start in range(len(text)):
            context = match_context(text, start, spaces)
            if context is None:  # longer than CONTEXT_LIMIT: matched every time, never kept
                assert len(text) - start > CONTEXT_LIMIT
                continue
            # any text before the context (its first character, or a space for the start of a text, comes right
            # before the position), and after it only if it ends at its last whitespace character
            before = "".join(rng.choice(fragments) for _ in range(rng.randint(0, 3)))
            ends_text = sum(ch.isspace() for ch in context[1:]) < spaces
            after = "" if ends_text else "".join(rng.choice(fragments) for _ in range(3))
            other, at = before + context + after, len(before) + 1
            assert match_context(other, at, spaces) == context
            a, b = regex.match(text, start), regex.match(other, at)
            assert (a is None) == (b is None), (text, start, other, at)
            if a is not None and b is not None:
                assert (a.end() - start, a.groupdict()) == (b.end() - at, b.groupdict()), (text, start, other, at)
                checked += 1
    assert checked > 100  # matches compared, not only misses


def test_long_contexts_are_not_kept() -> None:
    """A text without whitespace would give contexts as long as itself at every number: quadratic time and memory."""
    from nlp import pipeline

    junk = "1g" * 25_000
    assert match_context(junk, 0, 4) is None
    assert match_context("x 10 g of it and more", 2, 4) == " 10 g of it "  # to the fourth whitespace
    assert match_context("10 g", 0, 4) == " 10 g"  # the end of the text ends it
    nlp.extract(junk + " 3-MMC 10 g", lang="en")
    kept = pipeline.get("en").get_pipe("offers")._quantity_matches.found
    assert kept and max(map(len, kept)) <= CONTEXT_LIMIT + 1
