"""Build hook: the extraction hot path is compiled to C extension modules with mypyc.

Everything else about the package is declared in ``pyproject.toml``. The modules below are ordinary, strictly typed
Python (``mypy --strict``); mypyc turns them into C extensions that run about twice as fast (1.8 to 2.1 times on the
machines measured, ``make bench``, docs/benchmarks.md). The ``.py`` files stay the source of truth:
``nlp/__init__.py`` imports them instead of the compiled modules when, in a source checkout, a source file is newer
than its compiled module (an edit since the last build), or when ``NPSWATCH_PURE_PYTHON`` is set (and not 0).

Building needs a C compiler and the Python headers (Debian: ``gcc``; pyenv and python.org builds carry their
headers, Debian's own Python needs ``python3-dev``). ``NPSWATCH_PURE_PYTHON=1 pip install .`` installs without
compiling (same results, slower extraction).
"""

from __future__ import annotations

import os
import sys

from setuptools import setup

COMPILED = [
    "nlp/types.py",
    "nlp/normalize.py",
    "nlp/vocab.py",
    "nlp/lexicon.py",
    "nlp/rates.py",
    "nlp/api.py",
    "nlp/components/state.py",
    "nlp/components/substances.py",
    "nlp/components/novel.py",
    "nlp/components/offers.py",
    "nlp/components/clinical.py",
]


def _ext_modules() -> list[object]:
    if os.environ.get("NPSWATCH_PURE_PYTHON", "").strip() not in ("", "0"):
        print("npswatch: NPSWATCH_PURE_PYTHON is set, extraction modules are not compiled", file=sys.stderr)
        return []
    from mypyc.build import mypycify

    # one group: the modules call each other's functions and classes natively; its shared library is
    # nlp/compiled__mypyc.*.so
    return list(mypycify(COMPILED, opt_level="3", group_name="nlp.compiled"))


setup(ext_modules=_ext_modules())
