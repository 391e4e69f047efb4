"""Nachtschicht (hold-out A): an old CGI forum of plain text.  Each post is a ``<pre>`` block with a ``Von:`` and a
``Datum:`` line (``05.01.2027, 21:14``, Berlin time without a zone) before the text, wrapped at 72 columns, after an
``<a name="m123">`` anchor; no classes anywhere.  ``/board.cgi?b=N&page=M`` (20 threads a page),
``/thread.cgi?t=N&page=M`` (8 posts a page)."""

from __future__ import annotations

from demosites.beds.holdout_a import FORUM_SPEC
from demosites.beds.site import BedForum


class NachtschichtForum(BedForum):
    spec = FORUM_SPEC
    paths = (
        ("index", r"/(?:index\.html)?"),
        ("board", r"/board\.cgi"),
        ("thread", r"/thread\.cgi"),
        ("login", r"/(?:post|login|profile|register)\.cgi"),
    )
    board_arg = "b"
    threads_per_page = 20
    posts_per_page = 8
    date_format = "%d.%m.%Y, %H:%M"  # what the source file's posted_at ``format`` says
