"""Cached loaders for the data files in ``nlp/data/`` (read on first use, never at import time)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlp import names
from nlp.data import DATA_DIR
from nlp.errors import DataFileError
from nlp.lexicon import DEFAULT_LEXICON, Lexicon

LANGS = ("en", "nl", "fr", "de")
ROUTES = (
    "oral",
    "insufflated",
    "intravenous",
    "intramuscular",
    "smoked",
    "vaporised",
    "rectal",
    "sublingual",
    "buccal",
    "transdermal",
)


def lexicon(path: str = "") -> Lexicon:
    """The lexicon at ``path`` (default: the shipped one), loaded once per process: one object per file, whichever
    way its path is given."""
    return _lexicon(str(Path(path or DEFAULT_LEXICON).resolve()))


@lru_cache(maxsize=4)
def _lexicon(path: str) -> Lexicon:
    return Lexicon.load(Path(path))


def grammar(path: str = "") -> names.Grammar:
    """The name grammar (:mod:`nlp.names`) with the cores of the lexicon at ``path``, made once per process and
    lexicon file (its compiled expressions are shared by every pipeline)."""
    return _grammar(str(Path(path or DEFAULT_LEXICON).resolve()))


@lru_cache(maxsize=4)
def _grammar(path: str) -> names.Grammar:
    return names.grammar_for(_lexicon(path))


@dataclass(frozen=True)
class Cues:
    context: dict[str, frozenset[str]]
    negation: dict[str, frozenset[str]]
    consumption: dict[str, frozenset[str]]
    scope_breakers: frozenset[str]
    discount: frozenset[str]
    purity_words: frozenset[str]

    def context_for(self, lang: str) -> frozenset[str]:
        return self.context.get(lang, frozenset()) | self.context.get("*", frozenset())


@lru_cache(maxsize=1)
def cues(path: str = str(DATA_DIR / "cues.json")) -> Cues:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))

        def per_lang(name: str) -> dict[str, frozenset[str]]:
            return {lang: frozenset(w.lower() for w in words) for lang, words in raw[name].items()}

        return Cues(
            context=per_lang("context"),
            negation=per_lang("negation"),
            consumption=per_lang("consumption"),
            scope_breakers=frozenset(raw["scope_breakers"]),
            discount=frozenset(raw["discount"]),
            purity_words=frozenset(raw["purity_words"]),
        )
    except (OSError, ValueError, KeyError) as exc:
        raise DataFileError(f"expected cue lists in {path}: {exc}") from exc


@dataclass(frozen=True)
class SubstanceCues:
    """``data/substance_cues.json``: context of the substance matcher's own (see its ``_doc``). Words are lower case;
    ``own`` maps a canonical name or chemical group to its words per language ("*": every language) and ``units``."""

    own: dict[str, dict[str, frozenset[str]]]
    warning_combine: dict[str, frozenset[str]]
    warning_avoid: dict[str, frozenset[str]]
    warning_none: dict[str, frozenset[str]]
    context: dict[str, frozenset[str]]
    release: frozenset[str]


@lru_cache(maxsize=1)
def substance_cues(path: str = str(DATA_DIR / "substance_cues.json")) -> SubstanceCues:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))

        def lower(table: dict[str, list[str]]) -> dict[str, frozenset[str]]:
            return {key: frozenset(w.lower() for w in words) for key, words in table.items()}

        return SubstanceCues(
            own={key: lower(table) for key, table in raw["own_context"].items()},
            warning_combine=lower(raw["co_use_warning"]["combine"]),
            warning_avoid=lower(raw["co_use_warning"]["avoid"]),
            warning_none=lower(raw["co_use_warning"]["none"]),
            context=lower(raw["context"]),
            release=frozenset(raw["release"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(f"expected the substance matcher's cue lists in {path}: {exc}") from exc


@dataclass(frozen=True)
class EffectInfo:
    effect: str
    adverse: bool
    severe: bool


def _tsv_rows(path: Path, width: int) -> list[list[str]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"expected a data file at {path}: {exc}") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != width:
            raise DataFileError(f"{path}:{number}: expected {width} tab-separated columns, found {len(cols)}")
        rows.append(cols)
    return rows


@lru_cache(maxsize=1)
def effects(path: str = str(DATA_DIR / "effects.tsv")) -> dict[str, dict[str, EffectInfo]]:
    """Per language: lower-case phrase -> effect."""
    table: dict[str, dict[str, EffectInfo]] = {lang: {} for lang in LANGS}
    for cols in _tsv_rows(Path(path), 7):
        info = EffectInfo(cols[0], cols[1] == "1", cols[2] == "1")
        for lang, forms in zip(LANGS, cols[3:], strict=True):
            for form in forms.split("|"):
                if form.strip():
                    table[lang].setdefault(form.strip().lower(), info)
    return table


@lru_cache(maxsize=1)
def routes(path: str = str(DATA_DIR / "routes.tsv")) -> dict[str, dict[str, str]]:
    """Per language: lower-case phrase -> route."""
    table: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for route, lang, phrase in _tsv_rows(Path(path), 3):
        if route not in ROUTES or lang not in table:
            raise DataFileError(f"{path}: expected a route in {ROUTES} and a language in {LANGS}, found {route}/{lang}")
        table[lang].setdefault(phrase.strip().lower(), route)
    return table
