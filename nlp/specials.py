"""Stored answers for building a tokenizer's special cases, so that a pipeline's tokenizer is made faster and the same.

spaCy's ``Tokenizer`` adds its language's tokenizer exceptions one at a time whenever it is made (Dutch: 4,670 of
them; English 1,347, German 417, French 278). For each it makes a lexeme for every new word, calling the
vocabulary's lexical attribute getters (Python functions: the word's shape, whether it looks like a URL or a number,
...) on it, asks the prefix, suffix and infix expressions whether the string has affixes, and if so tokenizes it
(more affix searches) for its special-case ``PhraseMatcher``. For Dutch that was some 0.27 s of a 0.5 s start-up:
24,800 affix searches (about 0.08 s) and 8,600 lexemes' attributes (about 0.04 s) among it; compiling the three
expressions took 0.03 s more, in every language.

These are answers of pure functions, the same in every process. ``python -m nlp.tables`` (run by `make install`)
builds each language's tokenizer once the ordinary way, records every string the build asked the three expressions
about with the answers, and every lexeme it made with the values of its costlier attribute getters, and writes them
to ``nlp/data/tables/<lang>-specials.msgpack`` with the code the regular expression engine runs for each expression
(:func:`compiled_code`). The pipelines' tokenizer factory (``npswatch.tokenizer.v1``, :func:`make_tokenizer`) makes
the expressions from that code, and adds the special cases as spaCy does, in spaCy's code, with the answers in
plain ``dict``s in front of the expressions and getters while it does (``find_prefix``, ``find_suffix`` and
``find_infix`` of a :class:`ChemicalTokenizer` instance, the vocabulary's ``lex_attr_getters``); it takes them away
after. A string without a stored answer is asked as before. Nothing else changes: the expressions, special cases,
lexemes and tokenization are spaCy's (tests/nlp/test_specials.py compares the whole state and the tokens of every
language's texts with a tokenizer made the ordinary way).

The answers are only used where they are the answers: the file carries a fingerprint of this module's ``FORMAT``,
the spaCy, Python and Unicode versions, the language and the bytes of spaCy's language sources they come from, and
the expressions' patterns, which must be the tokenizer's. An expression's code is used only for that very expression
and by the Python that made it (``_sre.compile`` is CPython's internal constructor, and its code changes between
versions), and each getter's answers only if the vocabulary's getter for that attribute has the name it had. A
missing or stale file makes the tokenizer the ordinary way, with a warning that says how to write it again;
expressions of another language class (a pipeline loaded from disk, with spaCy's own infixes) quietly too.
"""

from __future__ import annotations

import _sre
import functools
import hashlib
import itertools
import logging
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

import spacy
import spacy.about
import srsly
from spacy import attrs, util
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.vocab import create_vocab

from nlp.data import DATA_DIR
from nlp.errors import DataFileError

FORMAT = 3  # raised when what is recorded, or how, changes (2: the expressions' code; 3: with the Python's version)
TOKENIZER = "npswatch.tokenizer.v1"  # the registered name of make_tokenizer's factory
TABLES_DIR = DATA_DIR / "tables"
AFFIXES = ("find_prefix", "find_suffix", "find_infix")  # the Tokenizer methods whose answers are stored
# Getters cheaper to call than to look up (one string method or slice in spaCy's LEX_ATTRS): always called.
CALLED = frozenset([attrs.IS_ALPHA, attrs.IS_DIGIT, attrs.IS_LOWER, attrs.IS_SPACE, attrs.IS_TITLE, attrs.IS_UPPER,
                    attrs.LOWER, attrs.PREFIX, attrs.SUFFIX])  # fmt: skip
logger = logging.getLogger(__name__)


class ChemicalTokenizer(Tokenizer):  # type: ignore[misc]
    """spaCy's ``Tokenizer``, as a Python subclass so that an instance can hold the stored answers while its special
    cases are added (instance attributes in front of the methods ``find_prefix``, ``find_suffix`` and
    ``find_infix``, which spaCy's code looks up by name). They are removed once the special cases are in: the
    tokenizer then works, and saves and loads, as spaCy's."""


class _Answers(dict[str, Any]):
    """Stored answers by string; a string without one is asked (``__missing__``: the answer is not kept)."""

    __slots__ = ("ask",)

    def __init__(self, answers: Iterable[tuple[str, Any]], ask: Callable[[str], Any]) -> None:
        super().__init__(answers)
        self.ask = ask

    def __missing__(self, key: str) -> Any:
        return self.ask(key)


def path_for(lang: str, directory: Path = TABLES_DIR) -> Path:
    return directory / f"{lang}-specials.msgpack"


def tokenizer_arguments(defaults: Any, compiled: Iterable[list[Any]] = ()) -> dict[str, Any]:
    """The expressions and matchers of a language's ``Defaults``, as spaCy's own tokenizer factory makes them
    (``spacy.util.compile_prefix_regex`` and the like); an expression among ``compiled`` (:func:`compiled_code`) is
    made from its stored code instead of compiled."""
    stored = {entry[0]: entry for entry in compiled}
    made = {name: None if expression is None else pattern(expression, stored.get(expression))
            for name, expression in expressions(defaults).items()}  # fmt: skip
    return {
        "prefix_search": None if made["prefix"] is None else made["prefix"].search,
        "suffix_search": None if made["suffix"] is None else made["suffix"].search,
        "infix_finditer": None if made["infix"] is None else made["infix"].finditer,
        "token_match": defaults.token_match,
        "url_match": defaults.url_match,
    }


def expressions(defaults: Any) -> dict[str, str | None]:
    """The prefix, suffix and infix expressions spaCy's tokenizer factory compiles for ``defaults``."""
    affixes = {"prefix": defaults.prefixes, "suffix": defaults.suffixes, "infix": defaults.infixes}
    forms = {"prefix": "^{}", "suffix": "{}$", "infix": "{}"}
    return {name: "|".join(forms[name].format(p) for p in pieces if p.strip()) if pieces else None
            for name, pieces in affixes.items()}  # fmt: skip


def compiled_code(expression: str) -> list[Any]:
    """What ``re.compile(expression)`` hands to the regular expression engine (``_sre.compile``), as
    ``re._compiler.compile`` computes it: parsing and optimising the character classes of spaCy's affix expressions
    is most of their 0.03 s of compiling; making the pattern from this takes under a millisecond. Checked to make
    a pattern equal to ``re.compile``'s (same expression, flags and code)."""
    parsed = _parser.parse(expression, 0)
    code = _compiler._code(parsed, 0)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    entry = [expression, parsed.state.flags, list(code), parsed.state.groups - 1, groupindex, indexgroup, sys.version]
    if pattern(expression, entry) != re.compile(expression):
        raise DataFileError(f"expected the stored code of an expression to make re.compile's pattern: {expression:.60}")
    return entry


def pattern(expression: str, entry: list[Any] | None) -> re.Pattern[str]:
    """``re.compile(expression)``, made from ``entry`` (:func:`compiled_code`) if it is that expression's, by this
    Python."""
    if entry is not None and entry[0] == expression and entry[6] == sys.version:
        try:
            made: re.Pattern[str] = _sre.compile(expression, entry[1], entry[2], entry[3], entry[4], tuple(entry[5]))
            return made
        except (TypeError, ValueError, RuntimeError) as exc:  # not this engine's code: compile it
            logger.warning("could not make an expression from its stored code (%s): compiling it", exc)
    return re.compile(expression)


def fingerprint(lang: str) -> str:
    """What the answers depend on but the expressions' patterns: versions and spaCy's language sources."""
    digest = hashlib.sha256(f"{FORMAT}\0{spacy.about.__version__}\0{sys.version}\0{unicodedata.unidata_version}\0"
                            f"{lang}\0".encode())  # fmt: skip
    root = Path(spacy.__file__).parent / "lang"
    for path in (*sorted(root.glob("*.py")), *sorted((root / lang).glob("*.py"))):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def patterns(tokenizer: Tokenizer) -> str:
    """The prefix, suffix and infix expressions of ``tokenizer``, as one hash (the affix answers hold for these)."""
    found = (tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer)
    return hashlib.sha256("\0".join("" if f is None else f.__self__.pattern for f in found).encode()).hexdigest()


def getter_name(getter: Any) -> str:
    """A getter's name, with those of the functions a ``functools.partial`` holds (spaCy's norms and stop words)."""
    if isinstance(getter, functools.partial):
        inner = [getter_name(a) if callable(a) else type(a).__name__ for a in getter.args]
        return f"{getter_name(getter.func)}({', '.join(inner)})"
    return f"{getattr(getter, '__module__', '')}.{getattr(getter, '__qualname__', type(getter).__name__)}"


def make_tokenizer(nlp: Language) -> Tokenizer:
    """``nlp``'s tokenizer, as spaCy's factory makes it (``Defaults``' rules and expressions), its expressions made
    from their stored code and its special cases added with the stored answers when they hold."""
    stored = current(str(nlp.lang))
    arguments = tokenizer_arguments(nlp.Defaults, () if stored is None else stored["expressions"])
    tokenizer = ChemicalTokenizer(nlp.vocab, **arguments)
    if stored is not None and _holds(stored, patterns(tokenizer), path_for(str(nlp.lang))):
        with answering(tokenizer, stored):
            tokenizer.rules = nlp.Defaults.tokenizer_exceptions
    else:
        tokenizer.rules = nlp.Defaults.tokenizer_exceptions
    return tokenizer


def create_tokenizer() -> Callable[[Language], Tokenizer]:
    return make_tokenizer


util.registry.tokenizers.register(TOKENIZER, func=create_tokenizer)


@contextmanager
def answering(tokenizer: ChemicalTokenizer, stored: dict[str, Any]) -> Iterator[None]:
    """``tokenizer`` and its vocabulary answer from ``stored`` (what :func:`record` wrote) inside the block."""
    affixes = stored["affixes"]
    for name in AFFIXES:
        keys, values = affixes[name] if name != "find_infix" else (affixes[name], itertools.repeat(()))
        setattr(tokenizer, name, _Answers(zip(keys, values, strict=False), getattr(tokenizer, name)).__getitem__)
    vocab = tokenizer.vocab
    getters: dict[int, Callable[[str], Any]] = vocab.lex_attr_getters
    answered = dict(getters)
    for attr, name, values in stored["attrs"]:
        getter = getters.get(attr)
        if getter is not None and getter_name(getter) == name:
            answered[attr] = _Answers(zip(stored["lexemes"], values, strict=True), getter).__getitem__
    vocab.lex_attr_getters = answered
    try:
        yield
    finally:
        vocab.lex_attr_getters = getters
        for name in AFFIXES:
            delattr(tokenizer, name)


def answers(lang: str, expressions: str, directory: Path = TABLES_DIR) -> dict[str, Any] | None:
    """The stored answers of ``lang`` if they hold for the current spaCy and for the expressions hashed as
    ``expressions`` (:func:`patterns`), else None: with a warning when they are missing or stale."""
    stored = current(lang, directory)
    return stored if stored is not None and _holds(stored, expressions, path_for(lang, directory)) else None


def current(lang: str, directory: Path = TABLES_DIR) -> dict[str, Any] | None:
    """The stored answers of ``lang`` if they were written by the current spaCy, Python and format (whichever
    expressions they hold for), else None with a warning."""
    from nlp.tables import read

    path = path_for(lang, directory)
    data = read(path)
    if data is None:
        logger.warning("no tokenizer answers at %s: the tokenizer's special cases are built without them (slower "
                       "start-up); `python -m nlp.tables` (run by `make install`) writes them", path)  # fmt: skip
        return None
    if data.get("fingerprint") != _fingerprint(lang):
        logger.warning("the tokenizer answers at %s are stale (written by another spaCy, Python or format): not "
                       "used; `python -m nlp.tables` (run by `make install`) writes them again", path)  # fmt: skip
        return None
    return data


def _holds(stored: dict[str, Any], expressions: str, path: Path) -> bool:
    if stored.get("patterns") == expressions:
        return True
    logger.debug("the tokenizer answers at %s are for other expressions than this tokenizer's: not used", path)
    return False


@functools.lru_cache(maxsize=8)
def _fingerprint(lang: str) -> str:
    return fingerprint(lang)


def record(cls: type[Language]) -> dict[str, Any]:
    """Build the tokenizer of language class ``cls`` the ordinary way and record the answers its special cases
    asked for: each affix question and its answer (for ``find_infix``, the strings without infixes), each lexeme
    made and the values of the getters not in ``CALLED``."""
    vocab = create_vocab(cls.lang, cls.Defaults)
    tokenizer = ChemicalTokenizer(vocab, **tokenizer_arguments(cls.Defaults))
    asked: dict[str, dict[str, Any]] = {name: {} for name in AFFIXES}
    for name, table in asked.items():
        setattr(tokenizer, name, functools.partial(_ask, getattr(tokenizer, name), table))
    tokenizer.rules = cls.Defaults.tokenizer_exceptions
    for name in AFFIXES:
        delattr(tokenizer, name)
    affixes: dict[str, Any] = {name: [list(asked[name]), list(asked[name].values())] for name in AFFIXES[:2]}
    affixes["find_infix"] = [key for key, found in asked["find_infix"].items() if not found]  # answer: ()
    lexemes = [lexeme.orth_ for lexeme in vocab]
    live: dict[int, Callable[[str], Any]] = vocab.lex_attr_getters  # type: ignore[attr-defined]
    getters = [(attr, getter) for attr, getter in live.items() if attr not in CALLED]
    return {
        "fingerprint": fingerprint(str(cls.lang)),
        "expressions": [compiled_code(e) for e in expressions(cls.Defaults).values() if e is not None],
        "patterns": patterns(tokenizer),
        "affixes": affixes,
        "lexemes": lexemes,
        "attrs": [[attr, getter_name(getter), [getter(s) for s in lexemes]] for attr, getter in getters],
    }


def _ask(ask: Callable[[str], Any], table: dict[str, Any], key: str) -> Any:
    table[key] = answer = ask(key)
    return answer


def write(lang: str, directory: Path = TABLES_DIR) -> Path:
    """Record the answers of ``lang``'s pipeline tokenizer (:func:`nlp.tokenizer.language_class`) and write them."""
    from nlp.tokenizer import language_class

    path = path_for(lang, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(srsly.msgpack_dumps(record(language_class(lang))))
    tmp.replace(path)
    return path
