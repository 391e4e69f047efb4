"""spaCy components of the npswatch extraction pipelines, registered as ``npswatch_*.v1`` factories.

Importing this package registers the factories and the ``Doc._.nps`` extension; it reads no data.
"""

from __future__ import annotations

from nlp.components import clinical, novel, offers, recogniser, substances
from nlp.components.state import findings

__all__ = ["clinical", "findings", "novel", "offers", "recogniser", "substances"]
