"""The npswatch pipelines: ``spacy.blank(lang)`` with a tokenizer that keeps chemical names whole, and the registered
components, per language.

``build(lang)`` makes a fresh pipeline; ``get(lang)`` returns a cached one. Everything it reads is in ``nlp/data/``.
The language class comes from :func:`nlp.tokenizer.language_class`: spaCy's, except that French is made from the
tokenizer data ``make install`` stores (spaCy's French module compiles an expression for 2.5 s when imported; see
:mod:`nlp.tokenizer`), so every language is ready in well under a second.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from spacy.language import Language

from nlp.errors import UnsupportedLanguageError
from nlp.resources import LANGS
from nlp.tokenizer import language_class

COMPONENTS: tuple[tuple[str, str], ...] = (
    ("substances", "npswatch_substances_v1"),
    ("novel", "npswatch_novel_v1"),
    ("recogniser", "npswatch_recogniser_v1"),  # the trained model, where the rules left something unexplained
    ("offers", "npswatch_offers_v1"),
    ("routes", "npswatch_routes_v1"),
    ("effects", "npswatch_effects_v1"),
    ("doses", "npswatch_doses_v1"),
)


def build(
    lang: str,
    component_config: dict[str, dict[str, Any]] | None = None,
    components: Sequence[str] | None = None,
) -> Language:
    """A new, initialized pipeline for ``lang`` (en, nl, fr, de); ``component_config`` overrides per component;
    ``components`` names the components to use, in order (default: all seven, in the order of ``COMPONENTS``). An
    order in which a component runs before one that assigns what it reads fails with
    :class:`nlp.errors.PipelineOrderError`."""
    if lang not in LANGS:
        raise UnsupportedLanguageError(f"expected a language in {LANGS}, found {lang!r}")
    import nlp.components  # noqa: F401  (registers the factories)

    factories = dict(COMPONENTS)
    names = list(factories) if components is None else list(components)
    unknown = [name for name in names if name not in factories]
    if unknown:
        raise ValueError(f"expected components among {list(factories)}, found {unknown}")
    with no_cycle_collection():  # a build makes some 100,000 objects that live as long as the pipeline
        # spacy.blank(lang), with the tokenizer of nlp.tokenizer.chemical_language (French: french_language)
        pipeline = language_class(lang).from_config({})
        for name in names:
            pipeline.add_pipe(factories[name], name=name, config=(component_config or {}).get(name, {}))
        pipeline.initialize()
    return pipeline


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused inside the block (and as it was before, after it). Used where the
    objects made are long-lived or freed by reference counting, so that the collector's passes meanwhile are pure
    cost: a pipeline's build (a full pass over every object of the process, spaCy's imports included, fell inside
    it: 0.055 s of CPU of Dutch's 0.5 s) and a group of texts in :func:`nlp.api.extract_many`. Paused by its first
    threshold as well: ``srsly.msgpack_loads``, which spaCy loads models with, calls ``gc.enable()`` whatever the
    state was. Nothing else in ``nlp`` touches the collector."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.set_threshold(0, *thresholds[1:])  # 0: no automatic collection, even once enabled
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if enabled:
            gc.enable()
        else:
            gc.disable()


def get(lang: str, recogniser: bool = True) -> Language:
    """The shared pipeline for ``lang`` (built on first use); ``recogniser`` false: with the trained recogniser off
    (its ``enabled`` config; the rule components only)."""
    return _shared(lang, recogniser)


@lru_cache(maxsize=2 * len(LANGS))
def _shared(lang: str, recogniser: bool) -> Language:
    return build(lang, None if recogniser else {"recogniser": {"enabled": False}})
