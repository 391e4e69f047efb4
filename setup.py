"""Build hook: the extraction hot path is compiled to C extension modules with mypyc.

Everything else about the package is declared in ``pyproject.toml``. The modules below are ordinary, strictly typed
Python (``mypy --strict``); mypyc turns them into C extensions that run about twice as fast (docs/benchmarks.md).
Whether the compiled modules or the Python sources run is decided here, at install time, and nowhere else: Python
imports a compiled module in preference to the ``.py`` file beside it, so a build that compiles runs the compiled
modules, and ``NPSWATCH_PURE_PYTHON=1`` (set, not 0) installs without compiling and removes compiled modules an
earlier build left in the source tree. The ``.py`` files stay the source of truth: after editing one, install again
(`make install`, which `make test` runs, does it when a source is newer than the last build; a test fails while a
compiled module is older than its source).

``nlp/docread.pyx`` is compiled with Cython (C++, against spaCy's ``.pxd`` headers) in the same step: what the
components read of a ``Doc`` (phrase-matcher hits, token offsets and ids) straight from spaCy's C structures; its
reference and fallback is ``nlp/docread.py``, which runs when it is not compiled.

Building needs a C and C++ compiler and the Python headers (Debian: ``gcc``, ``g++``; pyenv and python.org builds
carry their headers, Debian's own Python needs ``python3-dev``).
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from pathlib import Path

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
    "nlp/components/attribution.py",
    "nlp/components/recogniser.py",  # its gate runs on every doc
    "nlp/names.py",  # the novel-name gate (Grammar.gate_key) runs on every doc with a name-shaped word
]
# written in Cython against spaCy's C structures (its .pxd headers): nlp/docread.py is the reference and the fallback
CYTHON = ["nlp/docread.pyx"]
HERE = Path(__file__).parent


def _remove_compiled() -> None:
    """Compiled modules of an earlier build, beside their sources (an editable install builds them there)."""
    stale = [HERE / "nlp" / f"compiled__mypyc{suffix}" for suffix in importlib.machinery.EXTENSION_SUFFIXES]
    for source in COMPILED + CYTHON:
        stale += [(HERE / source).with_suffix(suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES]
    for path in stale:
        if path.is_file():
            path.unlink()
            print(f"npswatch: removed {path.relative_to(HERE)} (pure Python install)", file=sys.stderr)


def _ext_modules() -> list[object]:
    if os.environ.get("NPSWATCH_PURE_PYTHON", "").strip() not in ("", "0"):
        print("npswatch: NPSWATCH_PURE_PYTHON is set, extraction modules are not compiled", file=sys.stderr)
        _remove_compiled()
        return []
    import numpy
    from Cython.Build import cythonize
    from mypyc.build import mypycify
    from setuptools import Extension

    # one group: the modules call each other's functions and classes natively; its shared library is
    # nlp/compiled__mypyc.*.so
    modules = list(mypycify(COMPILED, opt_level="3", group_name="nlp.compiled"))
    # C++: spaCy's PhraseMatcher declares its matches as a std::vector; numpy: spaCy's Doc header cimports it
    cython = [
        Extension(source[:-4].replace("/", "."), [source], language="c++", include_dirs=[numpy.get_include()])
        for source in CYTHON
    ]
    return modules + list(cythonize(cython, build_dir="build/cython", compiler_directives={"language_level": 3}))


setup(ext_modules=_ext_modules())
