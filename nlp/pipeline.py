"""The npswatch pipelines: ``spacy.blank(lang)`` + the tokenizer callback + the registered components, per language.

``build(lang)`` makes a fresh pipeline; ``get(lang)`` returns a cached one. Everything it reads is in ``nlp/data/``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.util import registry

from nlp.errors import UnsupportedLanguageError
from nlp.resources import LANGS
from nlp.tokenizer import keep_chemical_names_whole

COMPONENTS: tuple[tuple[str, str], ...] = (
    ("substances", "npswatch_substances_v1"),
    ("novel", "npswatch_novel_v1"),
    ("offers", "npswatch_offers_v1"),
    ("routes", "npswatch_routes_v1"),
    ("effects", "npswatch_effects_v1"),
    ("doses", "npswatch_doses_v1"),
)


@registry.callbacks("npswatch.chemical_tokenizer.v1")  # type: ignore[untyped-decorator]
def chemical_tokenizer_callback() -> Callable[[Language], Language]:
    """``[nlp.after_creation]`` callback: keep hyphenated chemical names whole."""

    def apply(nlp: Language) -> Language:
        keep_chemical_names_whole(nlp)
        return nlp

    return apply


def build(lang: str, component_config: dict[str, dict[str, Any]] | None = None) -> Language:
    """A new, initialized pipeline for ``lang`` (en, nl, fr, de); ``component_config`` overrides per component."""
    if lang not in LANGS:
        raise UnsupportedLanguageError(f"expected a language in {LANGS}, found {lang!r}")
    import nlp.components  # noqa: F401  (registers the factories)

    pipeline = spacy.blank(lang, config={"nlp": {"after_creation": {"@callbacks": "npswatch.chemical_tokenizer.v1"}}})
    for name, factory in COMPONENTS:
        pipeline.add_pipe(factory, name=name, config=(component_config or {}).get(name, {}))
    pipeline.initialize()
    return pipeline


@lru_cache(maxsize=len(LANGS))
def get(lang: str) -> Language:
    """The shared pipeline for ``lang`` (built on first use).

    A shared pipeline lives as long as the process, and its lexicon, patterns and tables are some 100,000 Python
    objects that Python's cyclic garbage collector would otherwise walk at every full collection (an extraction
    allocates a few dozen objects, so collections are frequent): once built, they are moved out of its reach with
    ``gc.freeze()``. This freezes every object alive at that moment, so build the pipelines early (``nlp.api`` users
    get them on first use)."""
    pipeline = build(lang)
    gc.freeze()
    return pipeline
