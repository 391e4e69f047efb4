"""Nachtschicht (hold-out A): an old CGI forum of plain text.  Each post is a ``<pre>`` block with a ``Von:`` and a
``Datum:`` line (``05.01.2027, 21:14``, Berlin time without a zone) before the text, wrapped at 72 columns, after an
``<a name="m123">`` anchor; no classes anywhere.  ``/board.cgi?b=N&page=M`` (20 threads a page),
``/thread.cgi?t=N&page=M`` (8 posts a page)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from demosites.beds.forum import forum_day
from demosites.beds.holdout_a import FORUM_SPEC
from demosites.forums import ForumDay
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render

NAME = FORUM_SPEC.name
THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 8
DATE_FORMAT = "%d.%m.%Y, %H:%M"  # what the source file's posted_at ``format`` says


def de_date(at: datetime) -> str:
    return at.strftime(DATE_FORMAT)


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", de_date=de_date, **context)


class NachtschichtForum(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed, timeline=FORUM_SPEC.timeline)
        self.route(r"/(?:index\.html)?", self.index)
        self.route(r"/board\.cgi", self.board)
        self.route(r"/thread\.cgi", self.thread)
        self.route(r"/(?:post|login|profile|register)\.cgi", self.login)

    def day(self, day: int) -> ForumDay:
        return forum_day(FORUM_SPEC, self.seed, day)

    def index(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        fd = self.day(day)
        stats = {b.id: (len(fd.board(b.id)), sum(len(ps) for _, ps in fd.board(b.id))) for b in FORUM_SPEC.boards}
        return _page("index.html", boards=FORUM_SPEC.boards, stats=stats, total=fd.post_count)

    def board(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        board = next((b for b in FORUM_SPEC.boards if str(b.id) == query.get("b")), None)
        number = int_arg(query, "page", 1)
        if board is None or number is None:
            return None
        page = paginate(self.day(day).board(board.id), number, THREADS_PER_PAGE)
        return _page("board.html", board=board, page=page) if page else None

    def thread(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        thread_id, number = int_arg(query, "t", 0), int_arg(query, "page", 1)
        found = self.day(day).thread(thread_id) if thread_id else None
        if found is None or number is None:
            return None
        thread, posts = found
        page = paginate(posts, number, POSTS_PER_PAGE)
        return _page("thread.html", thread=thread, page=page, total=len(posts)) if page else None

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("login.html")
