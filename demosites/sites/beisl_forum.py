"""Beisl (hold-out E, sealed): a XenForo 2-like forum.  Nodes ``/forums/<slug>.<id>/page-N`` (20 threads a page,
``div.structItem--thread``), threads ``/threads/<slug>.<id>/page-N`` (15 posts a page), each post an
``article.message--post`` with ``data-author`` and ``data-content="post-N"``, its time in ``<time class="u-dt"
datetime="2028-03-06T21:14:00+0100">`` (Vienna time with its offset, XenForo's way) and its text in
``div.bbWrapper``.  A reply may quote an earlier post: the quote is a ``<blockquote class="bbCodeBlock--quote">``
inside the reply's ``bbWrapper``, before the reply's own words.  German and English boards, a French one opened
mid-way; each page's language in ``<html lang>``; trip reports carry a thread prefix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from demosites.beds.holdout_e import FORUM_SPEC, ZONE, quote_of
from demosites.beds.site import BedForum
from demosites.web import Response, slug

MONATE = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez.")


def shown(at: datetime) -> str:
    """6. März 2028 um 21:14"""
    return f"{at.day}. {MONATE[at.month - 1]} {at.year} um {at:%H:%M}"


def thread_slug(title: str) -> str:
    return slug(title) or "thema"


class BeislForum(BedForum):
    spec = FORUM_SPEC
    paths = (
        ("index", r"/(?:forums/)?"),
        ("board", r"/forums/[a-z0-9-]+\.(?P<f>\d+)/(?:page-(?P<page>\d+))?"),
        ("thread", r"/threads/[a-z0-9-]*\.(?P<t>\d+)/(?:page-(?P<page>\d+))?"),
        ("login", r"/(?:login|register|members|conversations|account)/.*"),
    )
    board_arg = "f"
    threads_per_page = 20
    posts_per_page = 15
    date_format = "%Y-%m-%dT%H:%M:%S%z"  # how ``when`` writes, with the zone's offset (``+0100``)

    def when(self, at: datetime) -> str:
        return at.replace(tzinfo=ZoneInfo(ZONE)).strftime(self.date_format)

    def page(self, template: str, **context: Any) -> Response:
        return super().page(template, shown=shown, thread_slug=thread_slug, quote_of=quote_of, **context)
