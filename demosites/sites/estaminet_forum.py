"""L'Estaminet (hold-out B): a vBulletin 3 style forum, Dutch, French and English boards, every page
``lang="nl"`` whatever its language; posts are ``<table id="postN">`` with ``<div id="post_message_N">``, dates
``03-06-2027, 21:14`` (Brussels time, no zone).  ``/forumdisplay.php?f=N&page=M`` (15 threads a page),
``/showthread.php?t=N&page=M`` (10 posts a page)."""

from __future__ import annotations

from demosites.beds.holdout_b import FORUM_SPEC
from demosites.beds.site import BedForum


class EstaminetForum(BedForum):
    spec = FORUM_SPEC
    paths = (
        ("index", r"/(?:index\.php)?"),
        ("board", r"/forumdisplay\.php"),
        ("thread", r"/showthread\.php"),
        ("login", r"/(?:member|newreply|private|login|register|showpost)\.php"),
    )
    board_arg = "f"
    threads_per_page = 15
    posts_per_page = 10
    date_format = "%d-%m-%Y, %H:%M"  # what the source file's posted_at ``format`` says
