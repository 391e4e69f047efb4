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

__all__ = ["Extraction", "Record", "cli_extract", "compiled", "extract", "extract_many"]


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


def cli_extract(infile: Any, outfile: Any, progress: bool = False, **kwargs: Any) -> Any:
    """See :func:`nlp.cli.cli_extract`."""
    from nlp.cli import cli_extract as _cli_extract

    return _cli_extract(infile, outfile, progress, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Record":
        from nlp.api import Record

        return Record
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
