"""The extraction hot path compiled by mypyc (setup.py): active after `make install`, same results as the Python
sources, and not older than its sources."""

import datetime as dt
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nlp
from nlp.api import Record, extract_many
from nlp.evaluate import GOLD_DIR, load_gold

ROOT = Path(__file__).resolve().parents[2]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _require_compiled() -> None:
    if nlp.compiled():
        return
    why = "the extraction modules are not compiled (installed with NPSWATCH_PURE_PYTHON set)"
    if os.environ.get("CI") == "true":
        pytest.fail(why + ": CI runs `make test`, which compiles them")
    pytest.skip(why)


def _texts() -> list[Record]:
    gold = [t for prefix in ("gold", "holdout", "holdout2") for t in load_gold(GOLD_DIR, prefix)]
    texts = [t.text for t in gold] + [t.text.upper() for t in gold[:200]] + [t.text.lower() for t in gold[200:400]]
    langs = [t.lang for t in gold] + [t.lang for t in gold[:200]] + [t.lang for t in gold[200:400]]
    return [Record(text, i, lang, dt.date(2025, 3, 1)) for i, (text, lang) in enumerate(zip(texts, langs, strict=True))]


def test_make_install_compiles_the_extraction_modules() -> None:
    _require_compiled()
    from nlp.components import offers, substances

    for module in (nlp.api, offers, substances, nlp.types):
        assert str(module.__file__).endswith(SUFFIX), module.__file__


def test_no_compiled_module_is_older_than_its_source() -> None:
    # Python imports a compiled module in preference to its source: after an edit, `make install` compiles again
    _require_compiled()
    stale = [
        str(source)
        for source in sorted([*(ROOT / "nlp").rglob("*.py"), *(ROOT / "nlp").rglob("*.pyx")])
        if (compiled := source.with_suffix(SUFFIX)).is_file() and compiled.stat().st_mtime < source.stat().st_mtime
    ]
    assert not stale, f"compiled modules older than their sources, run `make install`: {stale}"


def test_compiled_and_pure_python_extraction_give_the_same_json(tmp_path: Path) -> None:
    _require_compiled()
    # the Python sources run from a copy of the package without its compiled modules
    shutil.copytree(ROOT / "nlp", tmp_path / "nlp", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    records = _texts()
    compiled = [ex.to_json() for ex in extract_many(records)]
    script = (
        "import datetime as dt, json, sys\n"
        "import nlp\n"
        "from nlp.api import Record, extract_many\n"
        "assert not nlp.compiled()\n"
        "records = [Record(t, i, l, dt.date(2025, 3, 1)) for i, (t, l) in enumerate(json.load(sys.stdin))]\n"
        "for ex in extract_many(records):\n"
        "    print(ex.to_json())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps([[r.text, r.lang] for r in records]),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=240,
        check=True,
    )
    pure = done.stdout.splitlines()
    assert len(pure) == len(compiled) > 900
    differ = [(a, b) for a, b in zip(compiled, pure, strict=True) if a != b]
    assert not differ, differ[:3]
