"""npswatch extraction: substances (known and novel), offers in EUR per gram, doses, routes and effects.

Importable without Scrapy or Twisted; spaCy and the data files load on first use, not at import time.

    >>> import nlp
    >>> nlp.extract("3-MMC 10g - €45").to_json()  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any


def _compiled_modules(here: Path) -> dict[str, tuple[Path, Path]]:
    """Modules of the package in ``here`` (and its subpackages) that have a compiled module (built by mypyc, see
    setup.py) beside their ``.py`` file: module name -> (source, compiled module)."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    found: dict[str, tuple[Path, Path]] = {}
    for folder in [here, *(p for p in here.iterdir() if (p / "__init__.py").is_file())]:
        package = ".".join(folder.relative_to(here.parent).parts)
        for entry in os.scandir(folder):
            if entry.name.endswith(suffix):
                source = folder / (entry.name[: -len(suffix)] + ".py")
                if source.is_file():
                    found[f"{package}.{source.stem}"] = (source, Path(entry.path))
    return found


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Imports the listed modules from their ``.py`` files, not from the compiled modules that shadow them."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(
        self, fullname: str, path: Any = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.sources.get(fullname)
        return importlib.util.spec_from_file_location(fullname, source) if source else None


def _source_finder(here: Path, pure: bool) -> _SourceFinder | None:
    """Compiled modules run unless ``pure`` (``NPSWATCH_PURE_PYTHON`` is set) or, in a source checkout (``setup.py``
    beside the package), one of them is older than its source (an edit since the last build: `make install` compiles
    again; an installed package is not checked: installing writes each source a moment after its compiled module).
    Otherwise every one of them is imported from source: all or none, because compiled modules share their classes
    natively. The finder that does it, or None."""
    compiled = _compiled_modules(here)
    checkout = (here.parent / "setup.py").is_file()
    stale = (
        []
        if not checkout
        else sorted(str(src) for src, ext in compiled.values() if src.stat().st_mtime > ext.stat().st_mtime)
    )
    if not compiled or not (pure or stale):
        return None
    if stale and not pure:
        logging.getLogger(__name__).warning(
            "compiled extraction modules are older than %s; running the Python sources (slower) until "
            "`make install` compiles them again",
            ", ".join(stale),
        )
    return _SourceFinder({name: src for name, (src, _) in compiled.items()})


_finder = _source_finder(Path(__file__).parent, os.environ.get("NPSWATCH_PURE_PYTHON", "").strip() not in ("", "0"))
if _finder is not None:
    sys.meta_path.insert(0, _finder)


def compiled() -> bool:
    """Whether extraction runs the modules compiled by mypyc (False: the Python sources run)."""
    from nlp import api

    return not str(api.__file__).endswith(".py")


from nlp.types import Extraction  # noqa: E402  (after the choice between compiled modules and sources)

if TYPE_CHECKING:
    from nlp.api import Record

__all__ = ["Extraction", "Record", "cli_extract", "compiled", "extract", "extract_many", "spellings"]


def extract(text: str, lang: str | None = None, **kwargs: Any) -> Extraction:
    """See :func:`nlp.api.extract`."""
    from nlp.api import extract as _extract

    return _extract(text, lang, **kwargs)


def extract_many(items: Any, batch_size: int = 256, **kwargs: Any) -> Any:
    """See :func:`nlp.api.extract_many`."""
    from nlp.api import extract_many as _extract_many

    return _extract_many(items, batch_size=batch_size, **kwargs)


def spellings(name: str) -> tuple[str, list[str]] | None:
    """The canonical name and the spellings the lexicon has for the known substance ``name`` names (by any of its
    spellings, case and hyphens aside), one per normalised form, canonical first; None for a name it does not know.
    Forms that need context to mean the substance ("drone", "MD", street names shared with words) are left out: as
    bare search terms they would find mostly other things.  Loads the lexicon (not spaCy)."""
    from nlp.normalize import form_key
    from nlp.resources import lexicon

    lex = lexicon()
    substance = lex.by_canonical(name)
    if substance is None:
        return None
    found = {form_key(substance.canonical): substance.canonical}
    for text, hit in lex.forms:
        if hit.substance.id == substance.id and not hit.ambiguous:
            found.setdefault(form_key(text), text)
    return substance.canonical, list(found.values())


def cli_extract(infile: Any, outfile: Any, progress: bool = False, **kwargs: Any) -> Any:
    """See :func:`nlp.cli.cli_extract`."""
    from nlp.cli import cli_extract as _cli_extract

    return _cli_extract(infile, outfile, progress, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Record":
        from nlp.api import Record

        return Record
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
