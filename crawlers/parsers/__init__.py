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


@dataclass
class Page:
    """What a parser needs of a response: its URL, its text and when it was seen."""

    url: str
    text: str
    seen_at: str
    warc_record_id: str | None = None


@dataclass
class ParseResult:
    items: list[Item] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # stats keys such as "drop/listing/missing_title"
    page_type: str | None = None


Builder = Callable[[str, dict[str, Any], Page, Source], tuple[list[Item], list[str]]]
BUILDERS: dict[str, Builder] = {"market": market.build, "shop": market.build, "forum": forum.build}


def page_type(url: str, source: Source) -> str | None:
    """The name of the first page type whose URL pattern matches, or None (a navigation page)."""
    import re

    for name, spec in source.pages.items():
        if re.search(spec.url, url):
            return name
    return None


def parse_page(page: Page, source: Source) -> ParseResult:
    """Items found on one page of a source."""
    kind = page_type(page.url, source)
    if kind is None:
        return ParseResult()
    selector = Selector(text=page.text)
    values = read_page(selector, source.pages[kind], page.url)
    items, dropped = BUILDERS[source.template](kind, values, page, source)
    return ParseResult(items=items, dropped=dropped, page_type=kind)
