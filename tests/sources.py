"""Source files for tests that write their own: the shipped ones with a few values replaced, and pieces of them (the
page bound and health thresholds every source file must declare)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "crawlers" / "sources"

HEALTH = """\
max_pages: 5000
health:
  min_items: 0
  min_fill:
    listing:
      title: 0.5
  max_drop: 0.3
  history_runs: 5
  down_after_failures: 2
  gone_after_days: 7
  max_error_share: 0.2
  max_duration_factor: 3
"""


def write_source(
    directory: Path, name: str, schedule: str | None = None, replace: dict[str, str] | None = None
) -> Path:
    """A copy of a demo source file, with its schedule (and any text) replaced."""
    text = (SOURCES / f"{name}.yml").read_text(encoding="utf-8")
    if schedule is not None:
        text = re.sub(r"schedule:\n(  .*\n)+", f"schedule: {schedule}\n", text)
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path
