"""L'Estaminet (hold-out B, sealed): a vBulletin 3 style forum, Dutch, French and English boards, every page
``lang="nl"`` whatever its language; posts are ``<table id="postN">`` with ``<div id="post_message_N">``, dates
``03-06-2027, 21:14`` (Brussels time, no zone).  ``/forumdisplay.php?f=N&page=M`` (15 threads a page),
``/showthread.php?t=N&page=M`` (10 posts a page)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from demosites.beds.forum import forum_day
from demosites.beds.holdout_b import FORUM_SPEC
from demosites.forums import ForumDay
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render

NAME = FORUM_SPEC.name
THREADS_PER_PAGE = 15
POSTS_PER_PAGE = 10
DATE_FORMAT = "%d-%m-%Y, %H:%M"  # what the source file's posted_at ``format`` says


def vb_date(at: datetime) -> str:
    return at.strftime(DATE_FORMAT)


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", vb_date=vb_date, **context)


class EstaminetForum(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed, timeline=FORUM_SPEC.timeline)
        self.route(r"/(?:index\.php)?", self.index)
        self.route(r"/forumdisplay\.php", self.forumdisplay)
        self.route(r"/showthread\.php", self.showthread)
        self.route(r"/(?:member|newreply|private|login|register|showpost)\.php", self.login)

    def day(self, day: int) -> ForumDay:
        return forum_day(FORUM_SPEC, self.seed, day)

    def index(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        fd = self.day(day)
        stats = {b.id: (len(fd.board(b.id)), sum(len(ps) for _, ps in fd.board(b.id))) for b in FORUM_SPEC.boards}
        return _page("index.html", boards=FORUM_SPEC.boards, stats=stats, total=fd.post_count)

    def forumdisplay(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        board = next((b for b in FORUM_SPEC.boards if str(b.id) == query.get("f")), None)
        number = int_arg(query, "page", 1)
        if board is None or number is None:
            return None
        page = paginate(self.day(day).board(board.id), number, THREADS_PER_PAGE)
        return _page("forumdisplay.html", board=board, page=page) if page else None

    def showthread(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        thread_id, number = int_arg(query, "t", 0), int_arg(query, "page", 1)
        found = self.day(day).thread(thread_id) if thread_id else None
        if found is None or number is None:
            return None
        thread, posts = found
        page = paginate(posts, number, POSTS_PER_PAGE)
        if page is None:
            return None
        first = (page.number - 1) * POSTS_PER_PAGE
        return _page("showthread.html", thread=thread, page=page, total=len(posts), first=first)

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("login.html")
