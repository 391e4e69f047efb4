"""Parsers: pure functions from a response and its source config to items.

``parse_page`` finds which page type of the source file a URL is (the first whose
``url`` regex matches), reads its fields with the selectors, and hands them to the
template's builder.  Nothing here touches settings, the crawler or the network, so a
saved page and its expected JSON test a parser fully.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

from crawlers.config import Source
from crawlers.items import Item
from crawlers.parsers import forum, market
from crawlers.parsers.fields import read_page
from crawlers.patterns import regex


@dataclass
class Page:
    """What a parser needs of a response: its URL, its text and when it was seen."""

    url: str
    text: str
    seen_at: str
    warc_record_id: str | None = None
    selector: Selector | None = None  # the response's already-parsed tree, when there is one

    def tree(self) -> Selector:
        return self.selector if self.selector is not None else Selector(text=self.text)


@dataclass
class ParseResult:
    items: list[Item] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # stats keys such as "drop/listing/missing_title"
    page_type: str | None = None
    filled: list[str] = field(default_factory=list)  # the page's fields that had a value (for fill rates)


Builder = Callable[[str, dict[str, Any], Page, Source], tuple[list[Item], list[str]]]
BUILDERS: dict[str, Builder] = {"market": market.build, "shop": market.build, "forum": forum.build}


def page_type(url: str, source: Source) -> str | None:
    """The name of the first page type whose URL pattern matches, or None (a navigation page)."""
    for name, spec in source.pages.items():
        if regex(spec.url).test(url):
            return name
    return None


def parse_page(page: Page, source: Source) -> ParseResult:
    """Items found on one page of a source."""
    kind = page_type(page.url, source)
    if kind is None:
        return ParseResult()
    values = read_page(page.tree(), source.pages[kind], page.url)
    items, dropped = BUILDERS[source.template](kind, values, page, source)
    filled = [name for name, value in values.items() if _has_value(value)]
    return ParseResult(items=items, dropped=dropped, page_type=kind, filled=filled)


def _has_value(value: Any) -> bool:
    """A field is filled when its selector found something other than blank text."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return any(_has_value(v) for v in value)
    if isinstance(value, dict):
        return any(_has_value(v) for v in value.values())
    return value is not None and value is not False
