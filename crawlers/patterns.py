"""Patterns of source files, compiled once and bounded: regexes run by RE2, CSS and XPath compiled by lxml.

A source file is input as hostile as a page: a regex with nested repetition such as ``(a+)+$``
takes exponential time in Python's backtracking ``re`` (one such ``deny`` pattern pinned a crawl at
94 % CPU for ten minutes, deaf to Ctrl-C).  RE2 matches in time linear in the text and refuses what it
cannot do that way (backreferences, lookaround), so every regex of a source file is both validated and
matched through ``Pattern`` here.  ``Pattern`` calls the binding of the pinned ``google-re2``
(``re2._re2``) directly: the package's ``re``-like ``search`` spends about 5 us a call on generator and
offset bookkeeping (three times Python's ``re`` on a URL), the binding's ``Match`` about 1.5 us, and
``any_of`` asks one program for a whole ``deny`` list.

Selectors are compiled to one ``lxml.etree.XPath`` each and tried on a tiny page when the file is
loaded, so an unknown function or namespace prefix is a validation error, not an exception on every
page of a crawl.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import re2
from cssselect import SelectorError
from lxml import etree
from parsel.csstranslator import HTMLTranslator

MAX_PATTERN = 2000  # characters of one regex or selector in a source file
_UNANCHORED = re2._Anchor.UNANCHORED
_NO_MATCH = (-1, -1)
_HTML = HTMLTranslator()  # parsel's, so a selector selects what ``Selector.css`` selects
_EXSLT_SETS = "http://exslt.org/sets"  # parsel's "set:" prefix, on when the query uses it
_PROBE = etree.fromstring("<html><head><title>t</title></head><body><p class='c'>x</p></body></html>")
# What an XPath may call: XPath 1.0's functions and node tests, parsel's has-class, EXSLT sets under "set:".
_FUNCTIONS = frozenset({
    "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string", "concat", "starts-with",
    "contains", "substring-before", "substring-after", "substring", "string-length", "normalize-space", "translate",
    "boolean", "not", "true", "false", "lang", "number", "sum", "floor", "ceiling", "round",
    "text", "node", "comment", "processing-instruction", "has-class",
})  # fmt: skip
_SET_FUNCTIONS = frozenset({"difference", "intersection", "distinct", "has-same-node", "leading", "trailing"})
_OPERATORS = frozenset({"and", "or", "div", "mod"})  # followed by "(" in "a and (b)": not calls
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_CALL = re.compile(r"(?<![\w.@$:-])([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*\(")
_PREFIX = re.compile(r"(?<![\w.@$:-])([A-Za-z_][\w.-]*):(?!:)")


def _options(ignore_case: bool) -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern on stderr
    options.case_sensitive = not ignore_case
    return options


class Pattern:
    """A regex compiled by RE2, asked what the crawler asks: does a text match, and what does group 1 hold."""

    __slots__ = ("_groups", "_program", "pattern")

    def __init__(self, pattern: str, ignore_case: bool = False) -> None:
        self.pattern = pattern
        self._program = re2._re2.RE2(pattern.encode("utf-8", "surrogatepass"), _options(ignore_case))
        if not self._program.ok():
            reason = self._program.error().decode("utf-8", "replace")
            if "perl operator" in reason or "escape sequence" in reason:
                reason += " (RE2 has no lookahead, lookbehind or backreferences)"
            raise ValueError(f"{pattern!r} is not a valid regex for RE2 (linear-time matching): {reason}")
        self._groups = self._program.NumberOfCapturingGroups()

    def _match(self, text: str) -> tuple[bytes, list[tuple[int, int]]]:
        data = text.encode("utf-8", "surrogatepass")
        return data, self._program.Match(_UNANCHORED, data, 0, len(data))

    def test(self, text: str) -> bool:
        """Whether the regex matches somewhere in ``text``."""
        return bool(self._match(text)[1][0] != _NO_MATCH)

    def group(self, text: str) -> str | None:
        """Group 1 of the first match (the whole match when the regex has no group); None without a match."""
        data, spans = self._match(text)
        start, end = spans[1] if self._groups else spans[0]
        return None if start < 0 else data[start:end].decode("utf-8", "surrogatepass")


@lru_cache(maxsize=4096)
def regex(pattern: str, ignore_case: bool = False) -> Pattern:
    """``pattern`` compiled by RE2, once; ValueError says why RE2 refuses it."""
    if len(pattern) > MAX_PATTERN:
        raise ValueError(f"expected a regex of at most {MAX_PATTERN} characters, found {len(pattern)}")
    return Pattern(pattern, ignore_case)


@lru_cache(maxsize=256)
def _any_of(patterns: tuple[str, ...], ignore_case: bool) -> Pattern:
    for pattern in patterns:
        regex(pattern, ignore_case)  # each on its own first: errors name the pattern, not the combination
    return Pattern("|".join(f"(?:{p})" for p in patterns), ignore_case)


def any_of(patterns: Sequence[str], ignore_case: bool = False) -> Pattern | None:
    """One RE2 program matching where any of ``patterns`` matches (None for none): one call tests a list."""
    return _any_of(tuple(patterns), ignore_case) if patterns else None


def css_to_xpath(css: str) -> str:
    """The XPath of a CSS selector (parsel's translation, with ``::text`` and ``::attr()``); ValueError if invalid."""
    if len(css) > MAX_PATTERN:
        raise ValueError(f"expected a selector of at most {MAX_PATTERN} characters, found {len(css)}")
    try:
        return str(_HTML.css_to_xpath(css))
    except SelectorError as exc:
        raise ValueError(f"{css!r} is not a valid CSS selector: {exc}") from None


@lru_cache(maxsize=1024)
def xpath(query: str) -> etree.XPath:
    """An XPath compiled and tried once on a tiny page; ValueError names what is wrong.

    EXSLT regular expressions (``re:test``...) are not offered: lxml runs them with Python's backtracking
    ``re``; a field's ``re:`` key (RE2) does the same job in linear time.
    """
    if len(query) > MAX_PATTERN:
        raise ValueError(f"expected an XPath of at most {MAX_PATTERN} characters, found {len(query)}")
    namespaces = {"set": _EXSLT_SETS} if "set:" in query else {}
    try:
        compiled = etree.XPath(query, namespaces=namespaces, smart_strings=False)
        problem = _xpath_names_problem(query)  # lxml resolves names only where a query reaches them on a page
        if problem is None:
            compiled(_PROBE)
    except etree.XPathError as exc:
        problem = str(exc)
    if problem:
        raise ValueError(f"{query!r} is not a valid XPath: {problem}")
    return compiled


def _xpath_names_problem(query: str) -> str | None:
    """An unknown function or namespace prefix in the query (outside its string literals), or None."""
    code = _LITERAL.sub("''", query)
    for prefix in _PREFIX.findall(code):
        if prefix == "re":
            return "EXSLT re: functions are not offered (they run Python's backtracking re): use the field's re: key"
        if prefix != "set":
            return f"unknown namespace prefix {prefix + ':'!r}"
    for name in _CALL.findall(code):
        prefix, _, local = name.rpartition(":")
        if name not in _FUNCTIONS | _OPERATORS and not (prefix == "set" and local in _SET_FUNCTIONS):
            return f"unknown function {name}()"
    return None


def selector(css: str | None, xpath_query: str | None) -> etree.XPath:
    """The compiled query of a field or block: its CSS translated, or its XPath."""
    return xpath(css_to_xpath(css) if css else (xpath_query or ""))
