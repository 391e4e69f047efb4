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

# Words for drug classes and generic drug talk, never substance mentions: the convention of the project's gold sets.
# The Reddit annotators marked them; the evaluation sets them aside, training leaves them unlabelled and the
# recogniser never adds them.
GENERIC = frozenset(
    [
        "drugs",
        "drug",
        "pills",
        "pill",
        "opiates",
        "opiate",
        "opioids",
        "opioid",
        "opiods",
        "opiode",
        "meds",
        "medication",
        "medications",
        "benzos",
        "benzo",
        "benzodiazepines",
        "psychedelics",
        "psychs",
        "substance",
        "substances",
        "antidepressants",
        "anticonvulsants",
        "stimulant",
        "stimulants",
        "uppers",
        "downers",
        "dose",
        "doses",
        "painkillers",
        "narcotics",
        "strains",
        "powder",
        "powders",
        "edit",
        "roa",
        "ssri",
        "snri",
        "lines",
        "line",
        "shot",
        "shots",
        "bags",
        "joint",
        "joints",
    ]
)


def lexicon(path: str = "") -> Lexicon:
    """The lexicon at ``path`` (default: the shipped one), loaded once per process: one object per file, whichever
    way its path is given."""
    return _lexicon(str(Path(path or DEFAULT_LEXICON).resolve()))


@lru_cache(maxsize=4)
def _lexicon(path: str) -> Lexicon:
    from nlp.tables import stored_lexicon  # the shipped lexicon's tables, stored by `make install`

    stored = stored_lexicon(Path(path))
    return Lexicon.load(Path(path)) if stored is None else stored


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


SEVERITIES = ("none", "moderate", "severe")  # the severity scale of effects.tsv, mildest first


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
    """What one wording of an effect says: the effect, its severity on ``SEVERITIES`` (``none``: not an adverse
    effect, such as euphoria; ``moderate``: adverse; ``severe``: adverse and severe, such as a seizure), and whether the
    wording is ambiguous (``~`` in effects.tsv: a product name too, not counted in a text with prices)."""

    effect: str
    severity: str
    ambiguous: bool = False

    @property
    def adverse(self) -> bool:
        return self.severity != "none"

    @property
    def severe(self) -> bool:
        return self.severity == "severe"


@dataclass(frozen=True)
class EffectTable:
    """Per language: lower-case phrase -> effect; and the gapped wordings ("breathing ... shallow": up to
    ``GAP`` words between the head and the tail), as head phrase -> [(tail words, effect)]."""

    phrases: dict[str, dict[str, EffectInfo]]
    gaps: dict[str, dict[str, list[tuple[tuple[str, ...], EffectInfo]]]]


GAP = 4  # words allowed between the head and the tail of a gapped effect wording


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
def effects(path: str = str(DATA_DIR / "effects.tsv")) -> EffectTable:
    """The effect wordings of ``path``: columns effect, severity (one of ``SEVERITIES``), then the forms of en, nl,
    fr, de ("|"-separated; ``~form``: ambiguous; ``head ... tail``: gapped)."""
    table = EffectTable({lang: {} for lang in LANGS}, {lang: {} for lang in LANGS})
    for cols in _tsv_rows(Path(path), 6):
        effect, severity = cols[0], cols[1]
        if severity not in SEVERITIES:
            raise DataFileError(f"{path}: effect {effect!r}: expected a severity in {SEVERITIES}, found {severity!r}")
        plain, ambiguous = EffectInfo(effect, severity), EffectInfo(effect, severity, ambiguous=True)
        for lang, forms in zip(LANGS, cols[2:], strict=True):
            for form in (f.strip().lower() for f in forms.split("|")):
                info = ambiguous if form.startswith("~") else plain
                form = form.lstrip("~").strip()
                if " ... " in form:
                    head, _, tail = form.partition(" ... ")
                    table.gaps[lang].setdefault(head.strip(), []).append((tuple(tail.split()), info))
                elif form:
                    table.phrases[lang].setdefault(form, info)
    return table


@dataclass(frozen=True)
class ClinicalCues:
    """The word lists of ``clinical_cues.json`` (its ``_doc`` says what each is for)."""

    hypothetical: dict[str, frozenset[str]]
    hypothetical_after: dict[str, frozenset[str]]
    near_miss: dict[str, frozenset[str]]
    indication: dict[str, frozenset[str]]
    simile: dict[str, frozenset[str]]
    negation_after: dict[str, frozenset[str]]
    borrowed_negation_exclude: dict[str, frozenset[str]]
    passing: dict[str, frozenset[str]]
    clause_words: dict[str, frozenset[str]]
    not_routes: dict[str, frozenset[str]]
    not_effects: dict[str, frozenset[str]]
    solvents: frozenset[str]
    strength_words: frozenset[str]
    extract_words: frozenset[str]
    co_used: frozenset[str]
    rescue: frozenset[str]


@lru_cache(maxsize=1)
def clinical_cues(path: str = str(DATA_DIR / "clinical_cues.json")) -> ClinicalCues:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))

        def per_lang(name: str) -> dict[str, frozenset[str]]:
            return {lang: frozenset(w.lower() for w in raw[name].get(lang, [])) for lang in LANGS}

        def words(name: str) -> frozenset[str]:
            return frozenset(w.lower() for w in raw[name])

        return ClinicalCues(
            hypothetical=per_lang("hypothetical"),
            hypothetical_after=per_lang("hypothetical_after"),
            near_miss=per_lang("near_miss"),
            indication=per_lang("indication"),
            simile=per_lang("simile"),
            negation_after=per_lang("negation_after"),
            borrowed_negation_exclude=per_lang("borrowed_negation_exclude"),
            passing=per_lang("passing"),
            clause_words=per_lang("clause_words"),
            not_routes=per_lang("not_routes"),
            not_effects=per_lang("not_effects"),
            solvents=words("solvents"),
            strength_words=words("strength_words"),
            extract_words=words("extract_words"),
            co_used=frozenset(raw["co_used"]),
            rescue=frozenset(raw["rescue"]),
        )
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise DataFileError(f"expected clinical cue lists in {path}: {exc}") from exc


@dataclass(frozen=True)
class RouteInfo:
    """What a route wording says: the route, and whether the wording is also an ordinary word (``~`` in routes.tsv:
    "line", "tea", "pipe"), which counts only near a substance or an amount."""

    route: str
    weak: bool = False


@lru_cache(maxsize=1)
def routes(path: str = str(DATA_DIR / "routes.tsv")) -> dict[str, dict[str, RouteInfo]]:
    """Per language: lower-case phrase -> route."""
    table: dict[str, dict[str, RouteInfo]] = {lang: {} for lang in LANGS}
    for route, lang, phrase in _tsv_rows(Path(path), 3):
        if route not in ROUTES or lang not in table:
            raise DataFileError(f"{path}: expected a route in {ROUTES} and a language in {LANGS}, found {route}/{lang}")
        form = phrase.strip().lower()
        table[lang].setdefault(form.lstrip("~"), RouteInfo(route, weak=form.startswith("~")))
    return table
