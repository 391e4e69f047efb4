"""Each template's parser on saved pages, against reviewed golden items.

Saved pages live in tests/sample_data/<source>/<page>/ (page.html, meta.json,
expected.json); `python -m tests.sample_data.regenerate` rewrites them on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawlers.config import find_source
from crawlers.items import item_to_document
from crawlers.parsers import Page, parse_page

SAMPLES = sorted(p for p in (Path(__file__).parents[1] / "sample_data").glob("*/*") if (p / "page.html").exists())


@pytest.mark.parametrize("folder", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parser_output_matches_golden_items(folder: Path) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    page = Page(meta["url"], (folder / "page.html").read_text(encoding="utf-8"), meta["seen_at"])
    result = parse_page(page, find_source(folder.parent.name))
    got = {"page_type": result.page_type, "dropped": result.dropped,
           "items": [item_to_document(item) for item in result.items]}  # fmt: skip
    assert got == json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def test_every_template_has_golden_pages() -> None:
    templates = {find_source(p.parent.name).template for p in SAMPLES}
    assert templates == {"market", "forum", "shop"}
    kinds = {item["kind"] for p in SAMPLES for item in json.loads((p / "expected.json").read_text())["items"]}
    assert kinds == {"listing", "post", "vendor"}


def test_parser_keeps_what_it_can_read_from_broken_html() -> None:
    source = find_source("nova_market")
    broken = "<html><body><h1 class='listing-title'>3-MMC 5g<div><table><tr><td>$40.00"
    result = parse_page(Page("http://127.0.0.1:8701/listing/42", broken, "2026-11-11T12:00:00+00:00"), source)
    [listing] = result.items
    assert listing.native_id == "42"
    assert listing.prices == []
    assert result.dropped == ["field_missing/listing/prices"]


def test_navigation_page_yields_no_items() -> None:
    result = parse_page(Page("http://127.0.0.1:8701/", "<html></html>", "2026-11-11T12:00:00+00:00"),
                        find_source("nova_market"))  # fmt: skip
    assert (result.items, result.page_type) == ([], None)
