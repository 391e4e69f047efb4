"""Source files: valid ones load, bad ones fail with file:line, field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.config import SourceError, load_source
from tests.sources import HEALTH

VALID = (
    """\
name: {name}
template: market
title: Example Market
start_urls:
  - "${{EXAMPLE_MARKET_URL:-http://127.0.0.1:9999}}/"
language: en
schedule: {{every: 6h, jitter: 5m}}
politeness: {{delay: 1.5, concurrency: 2}}
deny: ['/logout']
follow: ['nav a', 'a.listing']
pages:
  listing:
    url: '/listing/\\d+'
    fields:
      native_id: {{from_url: '/listing/(\\d+)'}}
      title: {{css: 'h1::text'}}
      prices:
        css: 'table.tiers tr'
        fields:
          quantity: {{css: 'td.qty::text'}}
          price: {{css: 'td.price::text', many: true}}
env: [EXAMPLE_MARKET_URL]
"""
    + HEALTH
)


def write(tmp_path: Path, text: str, name: str = "example") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_source(path)
    return caught.value.problems


def test_valid_source_loads_with_env_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXAMPLE_MARKET_URL", raising=False)
    source = load_source(write(tmp_path, VALID.format(name="example")))
    assert source.start_urls == ["http://127.0.0.1:9999/"]
    assert source.language == ["en"]
    assert source.politeness.delay == 1.5
    assert source.schedule.every == "6h"


def test_env_reference_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXAMPLE_MARKET_URL", "http://127.0.0.1:1234")
    assert load_source(write(tmp_path, VALID.format(name="example"))).start_urls == ["http://127.0.0.1:1234/"]


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "name: example\ntemplate: [market\n")
    [line] = problems(path)
    assert line.startswith(f"{path}:") and "YAML syntax" in line


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("template: market", "template: bazaar", ":2: template: Input should be 'market', 'forum' or 'shop'"),
        ("delay: 1.5", "delay: -1", ":8: politeness.delay: Input should be greater than or equal to 0"),
        ("every: 6h", "every: often", ":7: schedule: expected a duration"),
        (
            "title: {css: 'h1::text'}",
            "title: {css: 'h1::text', xpath: '//h1'}",
            ":16: pages.listing.fields.title: expected exactly one of css, xpath or from_url",
        ),
        (
            "'/listing/(\\d+)'}",
            "'/listing/(\\d+'}",
            ":15: pages.listing.fields.native_id.from_url: '/listing/(\\\\d+' is not a valid regex",
        ),
        (
            "      title: {css: 'h1::text'}\n",
            "",
            ":14: pages.listing.fields: template 'market' needs the field 'title'",
        ),
        ("language: en", "language: es", ":6: language.0: Input should be"),
    ],
)
def test_each_problem_names_line_field_and_expectation(tmp_path: Path, old: str, new: str, expected: str) -> None:
    text = VALID.format(name="example")
    assert old in text
    found = problems(write(tmp_path, text.replace(old, new, 1)))
    assert any(expected in line for line in found), found


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = VALID.format(name="example").replace("template: market", "template: x").replace("delay: 1.5", "delay: -2")
    assert len(problems(write(tmp_path, text))) >= 2


def test_name_must_match_file_name(tmp_path: Path) -> None:
    [line] = problems(write(tmp_path, VALID.format(name="other"), name="example"))
    assert ":1: name: expected 'example'" in line


def test_unknown_field_is_an_error(tmp_path: Path) -> None:
    text = VALID.format(name="example") + "colour: blue\n"
    assert any("colour: Extra inputs are not permitted" in line for line in problems(write(tmp_path, text)))


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    [line] = problems(write(tmp_path, "- just\n- a list\n"))
    assert "expected a mapping" in line


def test_missing_health_thresholds_are_an_error(tmp_path: Path) -> None:
    text = VALID.format(name="example").replace("  down_after_failures: 2\n", "")
    assert any("health.down_after_failures: Field required" in line for line in problems(write(tmp_path, text)))
    text = VALID.format(name="example").split("health:")[0]
    assert any(":1: health: Field required" in line for line in problems(write(tmp_path, text)))


def test_shipped_sources_are_valid() -> None:
    from crawlers.config import SOURCES_DIR

    files = sorted(SOURCES_DIR.glob("*.yml"))
    assert files, "no source files shipped"
    for path in files:
        load_source(path)
