"""npswatch extraction: substances (known and novel), offers in EUR per gram, doses, routes and effects.

Importable without Scrapy or Twisted; spaCy and the data files load on first use, not at import time.

    >>> import nlp
    >>> nlp.extract("3-MMC 10g - €45").to_json()  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nlp.types import Extraction

if TYPE_CHECKING:
    from nlp.api import Record

__all__ = ["Extraction", "Record", "cli_extract", "compiled", "extract", "extract_many", "spellings"]


def compiled() -> bool:
    """Whether extraction runs the modules compiled by mypyc (False: the Python sources run). Which of the two runs
    is decided when npswatch is installed (setup.py): Python imports a compiled module in preference to its source
    whenever one is there."""
    from nlp import api

    return not str(api.__file__).endswith(".py")


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
