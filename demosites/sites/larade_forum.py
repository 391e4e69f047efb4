"""La Rade (hold-out C, sealed): a Discourse-like forum as its crawler view serves it, schema.org microdata in every
post: categories ``/c/<slug>/<id>?page=N`` (30 topics a page) as a ``topic-list`` table, topics
``/t/<slug>/<id>?page=N`` (20 posts a page), each post a ``div.crawler-post[itemprop=comment]`` with
``data-post-id``, its time in ``<time datetime="2027-08-14T21:14:00+02:00">`` (Zurich time with its offset; shown as
``14 août 2027, 21:14``) and the text in ``div.post``; a "page suivante" link ``rel="next"`` that is itself a
``div.crawler-post`` (without ``itemprop``).  French and English topics, each page's language in ``<html lang>``;
a German category opens during the timeline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from demosites.beds.holdout_c import FORUM_SPEC, ZONE
from demosites.beds.site import BedForum
from demosites.web import Response, slug

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
          "décembre")  # fmt: skip


def shown(at: datetime) -> str:
    """14 août 2027, 21:14"""
    return f"{at.day} {MONTHS[at.month - 1]} {at.year}, {at:%H:%M}"


def topic_slug(title: str) -> str:
    return slug(title) or "sujet"


class LaRadeForum(BedForum):
    spec = FORUM_SPEC
    paths = (
        ("index", r"/(?:categories)?"),
        ("board", r"/c/[a-z0-9-]+/(?P<c>\d+)"),
        ("thread", r"/t/[a-z0-9-]*/(?P<t>\d+)"),
        ("login", r"/(?:login|signup|session|new-topic|u/.*)"),
    )
    board_arg = "c"
    threads_per_page = 30
    posts_per_page = 20
    date_format = "%Y-%m-%dT%H:%M:%S%z"  # how ``when`` writes, with the zone's offset (``+02:00``)

    def when(self, at: datetime) -> str:
        return at.replace(tzinfo=ZoneInfo(ZONE)).isoformat()

    def page(self, template: str, **context: Any) -> Response:
        return super().page(template, shown=shown, topic_slug=topic_slug, **context)
