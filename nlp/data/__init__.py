"""The data files npswatch extraction ships (lexicon, cue words, effects, routes, exchange rates); see NOTICE.md.

``DATA_DIR`` is their one home. Modules compiled by mypyc (setup.py) must not derive paths from their own
``__file__``, which mypyc reports wrongly for modules of a group whose name has a dot (``nlp.compiled``)."""

from pathlib import Path

DATA_DIR = Path(__file__).parent
