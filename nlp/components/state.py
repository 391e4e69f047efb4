"""Where components leave their results: an :class:`nlp.types.Extraction` in ``doc.user_data``, filled in
pipeline order and readable as ``doc._.nps``. (``user_data`` is used directly because it is several times cheaper
per access than the ``doc._`` proxy, which matters at a few microseconds per listing title.)
"""

from __future__ import annotations

from spacy.tokens import Doc

from nlp.types import Extraction

KEY = "npswatch_extraction"
TEXT_KEY = "npswatch_text"
DATE_KEY = "npswatch_date"
NAMES_KEY = "npswatch_name_positions"  # tokens carrying the name norm, found by the substance matcher's one call

if not Doc.has_extension("nps"):
    Doc.set_extension("nps", getter=lambda doc: doc.user_data.get(KEY))


def findings(doc: Doc) -> Extraction:
    """The doc's extraction, created on first use (only this module writes ``KEY``, so no type check is needed)."""
    user_data = doc.user_data
    current: Extraction | None = user_data.get(KEY)
    if current is None:
        current = user_data[KEY] = Extraction(lang=doc.lang_)
    return current


def doc_text(doc: Doc) -> str:
    """The doc's text; ``Doc.text`` joins every token on each access, so it is computed once and kept."""
    user_data = doc.user_data
    text: str | None = user_data.get(TEXT_KEY)
    if text is None:
        text = user_data[TEXT_KEY] = doc.text
    return text
