"""`npswatch extract`: JSONL in, one JSON line per input line out, in order, bad lines named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # npswatch extract in a process of its own: seconds

ROOT = Path(__file__).resolve().parents[2]


def test_extract_reads_jsonl_and_writes_one_line_per_input_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Pure 3-MMC 10g - €45"}),
        "{not json",
        json.dumps({"id": "b", "text": "Gisteren 2C-B geprobeerd, 15mg oraal", "lang": "nl"}),
        json.dumps({"id": "c", "text": ""}),
    ]
    infile = tmp_path / "in.jsonl"
    infile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "npswatch.cli", "extract", "--in", str(infile)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "b", "c"]
    assert out[0]["substances"][0]["canonical"] == "3-MMC" and out[0]["offers"][0]["eur_per_gram"] == 4.5
    assert out[1]["line"] == 2 and "error" in out[1]
    assert out[2]["lang"] == "nl" and out[2]["substances"][0]["canonical"] == "2C-B"
    assert out[3]["substances"] == []
    assert "1 input line(s) could not be read" in done.stderr
