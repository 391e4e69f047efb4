"""Detector settings from a YAML file: defaults beside each field, errors naming the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from signals.config import RunConfig, SignalsConfigError, load_config

DOCUMENTED = Path(__file__).resolve().parents[2] / "docs" / "signals.md"


def test_no_file_gives_the_defaults() -> None:
    assert load_config(None) == RunConfig()


def test_a_file_changes_only_what_it_gives(tmp_path: Path) -> None:
    path = tmp_path / "signals.yml"
    path.write_text("price_shift:\n  alpha: 0.05\nexclude:\n  substances: [alcohol, kratom]\n")
    config = load_config(path)
    assert config.price_shift.alpha == 0.05 and config.price_shift.reference == RunConfig().price_shift.reference
    assert config.exclude.substances == ("alcohol", "kratom")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("price_shift:\n  window: 3\n  alpha: 0.9\n", "signals.yml:3: price_shift.alpha: Input should be less than"),
        ("adverse_surge:\n  min_ratio: two\n", "signals.yml:2: adverse_surge.min_ratio: Input should be a valid"),
        ("spike:\n  method: ears-c2\n  params: {sigma: 1}\n", "signals.yml:3: spike.params: "),
        ("first_seen:\n  new_market: loud\n", "signals.yml:2: first_seen.new_market: Input should be 'digest' or"),
        ("warmup_dayz: 3\n", "signals.yml:1: warmup_dayz: Extra inputs are not permitted"),
        ("spike: [1, 2\n", "signals.yml:"),
    ],
)
def test_a_bad_file_names_the_file_the_line_and_the_field(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "signals.yml"
    path.write_text(text)
    with pytest.raises(SignalsConfigError) as caught:
        load_config(path)
    assert any(p.startswith(str(tmp_path / expected)) for p in caught.value.problems), caught.value.problems


def test_every_setting_is_documented_with_its_default() -> None:
    text = DOCUMENTED.read_text(encoding="utf-8")
    defaults = RunConfig().model_dump()
    for section, value in defaults.items():
        settings = value.items() if isinstance(value, dict) else [(None, value)]
        for key, default in settings:
            name = section if key is None else f"{section}.{key}"
            assert f"`{name}`" in text, f"docs/signals.md does not document {name}"
            shown = ", ".join(map(str, default)) if isinstance(default, tuple) else str(default)
            assert shown.lower() in text.lower(), f"docs/signals.md does not give {name}'s default {shown}"
