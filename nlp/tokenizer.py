"""Tokenizer tweaks: chemical names stay whole ("3-MMC", "2C-B", "4-F-MPH", "5F-MDMB-PICA", "α-PVP"), and French
loads fast.

spaCy's default infixes split on a hyphen between a letter or digit and a letter; npswatch drops that rule (and only
that rule) so hyphenated names are single tokens. Hyphenated ordinary words ("xtc-pillen") then stay whole too; the
substance matcher looks inside them.

French: importing ``spacy.lang.fr`` takes about 2.5 s of CPU, nearly all of it compiling one expression when
``spacy/lang/fr/tokenizer_exceptions.py`` is imported (its ``TOKEN_MATCH``: some 270 alternatives, each repeating a
class of tens of thousands of letters, that ``re`` optimises under ``(?i)`` one copy at a time). npswatch builds its
French class without importing that module: :func:`write_french` (run by ``python -m nlp.tables``, so by
`make install`) stores the module's tokenizer exceptions and an equivalent expression whose alternatives are grouped
by their common tail (:func:`factored_token_match`: the same strings match, the letter class is compiled 8 times;
about 0.05 s), as the code the regular expression engine runs for it (:func:`nlp.specials.compiled_code`: under a
millisecond to make), in ``nlp/data/tables/fr-tokenizer.msgpack``; :func:`french_language` makes spaCy's
``French`` class again from that file and spaCy's other French modules (punctuation, lexical attributes, stop
words, syntax iterators), imported one by one. Tokenization is unchanged: tests/nlp/test_french_tokenizer.py
tokenizes every French text of the gold and hold-out sets and a generated stress set with both and compares tokens
and whitespace. The file carries a fingerprint of spaCy's version and of the spaCy sources it is derived from; when
it is missing or stale, spaCy's own French is used, with a warning that says how to write the file again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import spacy
import spacy.about
import srsly
from spacy.language import BaseDefaults, Language
from spacy.util import get_lang_class

from nlp.data import DATA_DIR
from nlp.errors import DataFileError
from nlp.specials import TOKENIZER, compiled_code, pattern


def _splits_hyphen_before_letter(pattern: str) -> bool:
    return "(?:-|–|—|--|---|——|~)" in pattern


def chemical_infixes(infixes: Sequence[Any] | None) -> list[Any]:
    """The language's infix rules without the one that splits a hyphen before a letter."""
    return [p for p in infixes or [] if not (isinstance(p, str) and _splits_hyphen_before_letter(p))]


def chemical_language(cls: type[Language]) -> type[Language]:
    """A subclass of the language class ``cls`` whose defaults have :func:`chemical_infixes`: its tokenizer is made
    with them, instead of being made with the default rules and changed after (which compiles the infix expression
    and reloads the special cases a second time), by ``npswatch.tokenizer.v1`` (:func:`nlp.specials.make_tokenizer`:
    spaCy's tokenizer, its special cases added with stored answers)."""
    config = cls.Defaults.config.merge({"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    defaults = type("Defaults", (cls.Defaults,), {"infixes": chemical_infixes(cls.Defaults.infixes), "config": config})
    return type(cls.__name__, (cls,), {"Defaults": defaults, "lang": cls.lang})


# --- French: spaCy's tokenizer rules without the cost of importing spacy.lang.fr -------------------------------------

FRENCH_DATA = DATA_DIR / "tables" / "fr-tokenizer.msgpack"
FORMAT = 2  # raised when what write_french stores, or how, changes (2: token_match as its engine code)
# What the stored data is derived from, besides spaCy's version: spaCy's French exceptions and what they are built of.
_FRENCH_SOURCES = ("lang/fr/tokenizer_exceptions.py", "lang/fr/punctuation.py", "lang/tokenizer_exceptions.py",
                   "lang/char_classes.py")  # fmt: skip
_FRENCH_MODULES = ("punctuation", "lex_attrs", "stop_words", "syntax_iterators")  # imported without spacy.lang.fr
logger = logging.getLogger(__name__)


def french_fingerprint() -> str:
    """What the stored French tokenizer data depends on, as one hash."""
    digest = hashlib.sha256(f"{FORMAT}\0{spacy.about.__version__}\0".encode())
    root = Path(spacy.__file__).parent
    for name in _FRENCH_SOURCES:
        digest.update((root / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _has_top_level_alternation(pattern: str) -> bool:
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False


def _alternatives(parts: Sequence[str]) -> str:
    if any(_has_top_level_alternation(part) for part in parts):
        raise DataFileError(f"expected alternatives without a top-level '|', found {list(parts)}")
    return "|".join(f"(?:{part})" for part in parts)


def factored_token_match(module: ModuleType) -> str:
    """spaCy's French ``TOKEN_MATCH`` expression with its alternatives grouped by their common tail.

    spaCy joins some 270 anchored alternatives, ``^<prefix><tail>$``, each repeating a letter class of tens of
    thousands of characters; compiling it (``re``'s charset optimisation under ``(?i)``, once per copy) takes about
    2.5 s. Here each group of alternatives that share a tail becomes ``^(?:<prefix>|<prefix>...)<tail>$``: the same
    strings match (concatenation distributes over alternation; every prefix is checked to have no top-level ``|``),
    and the letter class is compiled 8 times instead of some 530. ``module`` is ``spacy.lang.fr.tokenizer_exceptions``;
    if its expression is not built the way this function rebuilds it (another spaCy), a DataFileError says so."""
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER

    hyphen, elision = module.HYPHENS, module.ELISION
    stock: list[str] = list(module._regular_exp)
    if module.TOKEN_MATCH.__self__.pattern != "(?iu)" + "|".join(f"(?:{m})" for m in stock):
        raise DataFileError("spacy.lang.fr TOKEN_MATCH is not the join of its _regular_exp: cannot factor it")
    tails = {  # each family of spaCy's alternatives: its prefixes (the part after "^") and their common tail
        "hyphen": (list(module._hyphen_prefix), f"[{hyphen}][{ALPHA_LOWER}][{hyphen}{ALPHA_LOWER}{elision}]*$"),
        "elision": (list(module._elision_prefix), f"[{elision}][{ALPHA_LOWER}][{hyphen}{ALPHA_LOWER}{elision}]*$"),
    }
    combined = list(module._hyphen_combination)
    generated = [f"^{p}{tail}" for prefixes, tail in tails.values() for p in prefixes]
    generated += [f"^[{ALPHA}]+[{hyphen}]{c}[{hyphen}](?:l[{elision}])?[{ALPHA}]+$" for c in combined]
    explicit = stock[: len(stock) - len(generated)]
    if stock[len(explicit) :] != generated:
        raise DataFileError("spacy.lang.fr TOKEN_MATCH alternatives are not built as expected: cannot factor them")
    for ending in (f"[{ALPHA_LOWER}]+$", f"[{ALPHA_LOWER}]*$"):
        tails[ending] = ([e[1 : -len(ending)] for e in explicit if e.startswith("^") and e.endswith(ending)], ending)
    if sum(len(tails[ending][0]) for ending in (f"[{ALPHA_LOWER}]+$", f"[{ALPHA_LOWER}]*$")) != len(explicit):
        raise DataFileError("spacy.lang.fr TOKEN_MATCH has an alternative of an unexpected form: cannot factor it")
    groups = [f"^(?:{_alternatives(prefixes)}){tail}" for prefixes, tail in tails.values()]
    groups.append(f"^[{ALPHA}]+[{hyphen}](?:{_alternatives(combined)})[{hyphen}](?:l[{elision}])?[{ALPHA}]+$")
    return "(?iu)" + "|".join(f"(?:{g})" for g in groups)


def write_french(path: Path = FRENCH_DATA) -> Path:
    """Import spaCy's French (slow: it compiles the stock expression) and store what :func:`french_language` needs:
    its tokenizer exceptions and the factored ``token_match`` expression, with their fingerprint."""
    from spacy.lang.fr import French, tokenizer_exceptions

    data = {
        "fingerprint": french_fingerprint(),
        "token_match": compiled_code(factored_token_match(tokenizer_exceptions)),
        "exceptions": French.Defaults.tokenizer_exceptions,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(srsly.msgpack_dumps(data))
    tmp.replace(path)
    return path


def _spacy_french_module(name: str) -> ModuleType:
    """``spacy.lang.fr.<name>`` imported without running ``spacy/lang/fr/__init__.py`` (which imports the slow
    ``tokenizer_exceptions``). It is registered under its own name, so a later ``import spacy.lang.fr`` uses it."""
    full = f"spacy.lang.fr.{name}"
    if full in sys.modules:
        return sys.modules[full]
    spec = importlib.util.spec_from_file_location(full, Path(spacy.__file__).parent / "lang" / "fr" / f"{name}.py")
    if spec is None or spec.loader is None:
        raise DataFileError(f"expected spaCy's module {full}, found none")
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[full]
        raise
    return module


@lru_cache(maxsize=2)
def french_language(path: Path = FRENCH_DATA) -> type[Language] | None:
    """spaCy's French language class, rebuilt from spaCy's French modules but the exceptions, whose values come from
    ``path`` (written by :func:`write_french`); None, with a warning, when ``path`` is missing or stale."""
    data = None
    if path.is_file():
        try:
            data = srsly.msgpack_loads(path.read_bytes())
        except ValueError as exc:
            logger.warning("could not read the French tokenizer data %s (%s)", path, exc)
    if not isinstance(data, dict) or data.get("fingerprint") != french_fingerprint():
        logger.warning(
            "%s French tokenizer data at %s: using spaCy's French, which takes about 2.5 s more to load; "
            "`python -m nlp.tables` (run by `make install`) writes it",
            "stale (written by another spaCy or format)" if isinstance(data, dict) else "no usable",
            path,
        )
        return None
    punctuation, lex_attrs, stop_words, syntax_iterators = (_spacy_french_module(n) for n in _FRENCH_MODULES)
    values = {
        "tokenizer_exceptions": data["exceptions"],
        "prefixes": punctuation.TOKENIZER_PREFIXES,
        "suffixes": punctuation.TOKENIZER_SUFFIXES,
        "infixes": punctuation.TOKENIZER_INFIXES,
        "token_match": pattern(data["token_match"][0], data["token_match"]).match,
        "lex_attr_getters": lex_attrs.LEX_ATTRS,
        "syntax_iterators": syntax_iterators.SYNTAX_ITERATORS,
        "stop_words": stop_words.STOP_WORDS,
    }
    defaults = type("FrenchDefaults", (BaseDefaults,), values)
    return type("French", (Language,), {"lang": "fr", "Defaults": defaults})


def language_class(lang: str) -> type[Language]:
    """The class of ``lang``'s npswatch pipelines: spaCy's (French: :func:`french_language` when its data is
    current) with the chemical infixes."""
    french = french_language() if lang == "fr" else None
    return chemical_language(french or get_lang_class(lang))
