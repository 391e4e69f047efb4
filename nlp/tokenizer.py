"""Tokenizer tweaks: chemical names stay whole ("3-MMC", "2C-B", "4-F-MPH", "5F-MDMB-PICA", "α-PVP").

spaCy's default infixes split on a hyphen between a letter or digit and a letter; npswatch drops that rule (and only
that rule) so hyphenated names are single tokens. Hyphenated ordinary words ("xtc-pillen") then stay whole too; the
substance matcher looks inside them.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex


def _splits_hyphen_before_letter(pattern: str) -> bool:
    return "(?:-|–|—|--|---|——|~)" in pattern


def keep_chemical_names_whole(nlp: Language) -> None:
    infixes = [p for p in nlp.Defaults.infixes or [] if not (isinstance(p, str) and _splits_hyphen_before_letter(p))]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
