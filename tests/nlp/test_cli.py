import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import nlp

ROOT = Path(__file__).resolve().parents[2]


def _run(lines: list[str], **kwargs: object) -> list[dict]:
    out = io.StringIO()
    nlp.cli_extract(io.StringIO("".join(lines)), out, **kwargs)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_jsonl_in_jsonl_out_in_input_order() -> None:
    lines = [json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(["3-MMC 10g", "Koks 1g", "kéta"])]
    out = _run(lines)
    assert [o["id"] for o in out] == [0, 1, 2]
    assert out[0]["substances"][0]["canonical"] == "3-MMC"


def test_bad_lines_become_error_lines_naming_the_line_number() -> None:
    lines = [
        '{"id": 1, "text": "MDMA"}\n',
        "not json\n",
        '{"id": 3, "text": 5}\n',
        "\n",
        "[1]\n",
        '{"id": 6, "text": "x", "date": "soon"}\n',
        '{"id": 7, "text": "2C-B"}\n',
    ]
    out = _run(lines)
    assert len(out) == 7
    assert [o.get("line") for o in out] == [None, 2, 3, 4, 5, 6, None]
    assert all("error" in o and f"line {o['line']}" in o["error"] for o in out if "line" in o)
    assert out[-1]["substances"][0]["canonical"] == "2C-B"


def test_date_and_rates_file_drive_the_conversion(tmp_path: Path) -> None:
    rates = tmp_path / "r.csv"
    rates.write_text("date,currency,eur_per_unit\n2020-01-01,USD,2\n", encoding="utf-8")
    out = _run(['{"id": 1, "text": "MDMA 1g $10", "date": "2024-06-01"}\n'], rates_file=rates)
    assert out[0]["offers"][0]["eur"] == 20 and out[0]["offers"][0]["rate_date"] == "2020-01-01"
    assert out[0]["offers"][0]["rate_stale"] is True
    # the table was given for that run only: the shared pipelines still convert with the shipped one
    again = _run(['{"id": 2, "text": "MDMA 1g $10", "date": "2024-06-03"}\n'])
    assert again[0]["offers"][0]["eur"] != 20 and again[0]["offers"][0]["rate_date"] == "2024-06-03"


def test_progress_display_does_not_break_output(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(['{"id": 1, "text": "MDMA"}\n'] * 3, progress=True)
    assert len(out) == 3


def test_files_and_stdin_stdout(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text('{"id": "a", "text": "3-MMC"}\n', encoding="utf-8")
    nlp.cli_extract(src, dst)
    assert json.loads(dst.read_text(encoding="utf-8"))["id"] == "a"
    code = "import sys, nlp; nlp.cli_extract(None, None)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        input='{"id": 1, "text": "GHB"}\n',
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and json.loads(result.stdout)["substances"][0]["canonical"] == "GHB"


@pytest.mark.slow
def test_hundred_thousand_lines_with_steady_memory(tmp_path: Path) -> None:
    texts = ["3-MMC 10g €45", "Took 120mg MDMA, no nausea", "Ik heb xtc genomen", "kéta 5g", "Koks 1g 90%"]
    runs = {"small": 10_000, "large": 100_000}
    for name, count in runs.items():
        with (tmp_path / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(count):
                fh.write(json.dumps({"id": i, "text": texts[i % 5], "lang": "en"}) + "\n")
    # One process: peak memory after 10,000 lines, then after 100,000 more; steady memory means little growth.
    code = (
        "import resource, nlp\n"
        f"nlp.cli_extract({str(tmp_path / 'small.jsonl')!r}, {str(tmp_path / 'small.out')!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        f"nlp.cli_extract({str(tmp_path / 'large.jsonl')!r}, {str(tmp_path / 'large.out')!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "large.out").open(encoding="utf-8") as fh:
        assert sum(1 for _ in fh) == 100_000
    after_small, after_large = (int(v) / 1024 for v in result.stdout.split())
    assert after_large - after_small < 150  # MB; a leak of one record per line would exceed this
