"""`npswatch extract`: JSONL in, one JSON line per input line out, in order, bad lines named."""

from __future__ import annotations

import json
import os
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


@pytest.mark.parametrize(
    ("env", "flag", "by_model"),
    [({}, [], True), ({"NPSWATCH_RECOGNISER": "0"}, [], False), ({"NPSWATCH_RECOGNISER": "0"}, ["--recogniser"], True),
     ({}, ["--no-recogniser"], False)],
)  # fmt: skip
def test_the_recogniser_follows_the_setting_and_the_flag(
    tmp_path: Path, env: dict[str, str], flag: list[str], by_model: bool
) -> None:
    """An invented name no rule knows: only the trained recogniser finds it (tests/nlp/test_recogniser.py)."""
    infile = tmp_path / "in.jsonl"
    infile.write_text(json.dumps({"id": "a", "text": "Selling 4-CL-FLX pellets 10mg", "lang": "en"}) + "\n")
    environment = {k: v for k, v in os.environ.items() if k != "NPSWATCH_RECOGNISER"} | env
    done = subprocess.run([sys.executable, "-m", "npswatch.cli", "extract", "--in", str(infile), *flag], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=environment)  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = [(s["text"], s["found_by"]) for s in json.loads(done.stdout)["substances"]]
    assert found == ([("4-CL-FLX", "model")] if by_model else [])
