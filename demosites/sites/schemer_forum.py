"""Schemer (hold-out D, sealed): the archive of a group of mailing lists, in the manner of Mailman 3's HyperKitty.
Each list is a board (``/archives/list/<list>@schemer.lists/?page=N``, 20 threads a page), each thread shows its
messages (``/archives/list/<list>@schemer.lists/thread/<N>/?page=M``, 15 a page), each a ``<div class="email">``
whose date is shown the Dutch way (``di 23 nov, 21:14``) with the message's own date in the ``title``
(``Tue, 23 Nov 2027 21:14:00 +0100``, Amsterdam time).  Dutch, English and German lists; pages say ``lang="en"``
(the archive's own language)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from demosites.beds.holdout_d import FORUM_SPEC, ZONE
from demosites.beds.site import BedForum
from demosites.web import Response, render

DOMAIN = "schemer.lists"
_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_LIST = r"/archives/list/(?P<list>[a-z-]+)@schemer\.lists"


def dutch(at: datetime) -> str:
    """A message's date as the archive shows it: "di 23 nov, 21:14"."""
    return f"{_DAYS[at.weekday()]} {at.day} {_MONTHS[at.month - 1]}, {at:%H:%M}"


class SchemerForum(BedForum):
    spec = FORUM_SPEC
    paths = (
        ("index", r"/(?:archives/)?"),
        ("board", _LIST + r"/(?:latest)?"),
        ("thread", _LIST + r"/thread/(?P<t>\d+)/"),
        ("login", r"/accounts/(?:login|signup|logout)/|" + _LIST + r"/(?:message/new|thread/\d+/reply)/?"),
    )
    board_arg = "b"
    threads_per_page = 20
    posts_per_page = 15
    date_format = "%a, %d %b %Y %H:%M:%S %z"  # what the source file's posted_at ``format`` says (in a title)

    def page(self, template: str, **context: Any) -> Response:
        return render(f"{self.name}/{template}.html", when=self.when, dutch=dutch, domain=DOMAIN, **context)

    def when(self, at: datetime) -> str:
        return at.replace(tzinfo=ZoneInfo(ZONE)).strftime(self.date_format)

    def board(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        found = next((b for b in self.spec.boards if b.slug == match["list"]), None)
        return None if found is None else super().board(match, {**query, "b": str(found.id)}, day)

    def thread(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        found = self.day(day).thread(int(match["t"]))
        if found is None or found[0].board.slug != match["list"]:
            return None
        return super().thread(match, query, day)
