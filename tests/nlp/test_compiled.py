"""The extraction hot path compiled by mypyc (setup.py): active after `make install`, same results as the Python
sources, and never run when older than its sources."""

import datetime as dt
import importlib.machinery
import json
import os
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
    why = "the extraction modules are not compiled (NPSWATCH_PURE_PYTHON set, or sources edited since `make install`)"
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


def test_compiled_and_pure_python_extraction_give_the_same_json() -> None:
    _require_compiled()
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
        cwd=ROOT,
        env={**os.environ, "NPSWATCH_PURE_PYTHON": "1"},
        timeout=240,
        check=True,
    )
    pure = done.stdout.splitlines()
    assert len(pure) == len(compiled) > 900
    differ = [(a, b) for a, b in zip(compiled, pure, strict=True) if a != b]
    assert not differ, differ[:3]


def _package(tmp_path: Path, ext_age: float, checkout: bool = True) -> Path:
    """A package with one module, a "compiled" file beside it ``ext_age`` seconds older than the source, and a
    subpackage module without one; in a source checkout (``setup.py`` beside it) or as installed."""
    if checkout:
        (tmp_path / "setup.py").write_text("", encoding="utf-8")
    package = tmp_path / "fakepkg"
    (package / "sub").mkdir(parents=True)
    for path in (package / "__init__.py", package / "sub" / "__init__.py", package / "sub" / "plain.py"):
        path.write_text("", encoding="utf-8")
    (package / "mod.py").write_text("VALUE = 'source'\n", encoding="utf-8")
    ext = package / f"mod{SUFFIX}"
    ext.write_bytes(b"not a real extension")
    now = (package / "mod.py").stat().st_mtime
    os.utime(ext, (now - ext_age, now - ext_age))
    return package


def test_a_compiled_module_older_than_its_source_is_not_imported(tmp_path: Path) -> None:
    package = _package(tmp_path, ext_age=60)
    assert nlp._compiled_modules(package) == {"fakepkg.mod": (package / "mod.py", package / f"mod{SUFFIX}")}
    finder = nlp._source_finder(package, pure=False)
    assert finder is not None
    spec = finder.find_spec("fakepkg.mod")
    assert spec is not None and spec.origin == str(package / "mod.py")
    assert finder.find_spec("fakepkg.sub.plain") is None  # modules without a compiled file import as usual


def test_an_installed_package_is_not_checked_for_stale_modules(tmp_path: Path) -> None:
    # installing a wheel writes each source a moment after its compiled module
    package = _package(tmp_path, ext_age=0.001, checkout=False)
    assert nlp._source_finder(package, pure=False) is None
    assert nlp._source_finder(package, pure=True) is not None


def test_fresh_compiled_modules_run_unless_pure_python_is_asked_for(tmp_path: Path) -> None:
    package = _package(tmp_path, ext_age=-60)  # built after the last edit
    assert nlp._source_finder(package, pure=False) is None
    finder = nlp._source_finder(package, pure=True)
    assert finder is not None and finder.find_spec("fakepkg.mod") is not None


def test_the_source_finder_loads_the_source_module(tmp_path: Path) -> None:
    package = _package(tmp_path, ext_age=60)
    finder = nlp._source_finder(package, pure=False)
    assert finder is not None
    sys.path.insert(0, str(tmp_path))
    sys.meta_path.insert(0, finder)
    try:
        import fakepkg.mod  # type: ignore[import-not-found]

        assert fakepkg.mod.VALUE == "source"
    finally:
        sys.meta_path.remove(finder)
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "fakepkg" or n.startswith("fakepkg.")]:
            del sys.modules[name]
