"""A test bed's forum as a site: the index, board pages and thread pages of a ``ForumSpec``; and what a market site
reads from its ``MarketSpec`` (a day, a page of a shelf, a vendor).

The forum sites (``demosites/sites/nachtschicht_forum.py``, ``estaminet_forum.py``) differ in their paths, query
arguments, page sizes, date format and templates, which they set as class attributes; the handlers are these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from demosites.beds.forum import ForumSpec, forum_day
from demosites.beds.market import Listing, MarketDay, MarketSpec, Vendor, market_day
from demosites.forums import ForumDay
from demosites.timeline import SEED
from demosites.web import Page, Response, SiteApp, int_arg, paginate, render


def arguments(match: re.Match[str], query: dict[str, str]) -> dict[str, str]:
    """A page's arguments: the query's (``?b=3&page=2``) and the path's named groups (``/c/<slug>/<b>``)."""
    return {**query, **{name: value for name, value in match.groupdict().items() if value is not None}}


class BedForum(SiteApp):
    spec: ClassVar[ForumSpec]
    paths: ClassVar[tuple[tuple[str, str], ...]]  # (index, board, thread or login; its path regex)
    board_arg: ClassVar[str]  # the query argument or path group naming the board (?b=3, ?f=10, /c/<slug>/<c>)
    threads_per_page: ClassVar[int]
    posts_per_page: ClassVar[int]
    date_format: ClassVar[str]  # how post times are written (naive, the forum's local time)

    def __init__(self, seed: int = SEED) -> None:
        super().__init__(self.spec.name, seed, timeline=self.spec.timeline)
        for page, pattern in self.paths:
            handler: Callable[[re.Match[str], dict[str, str], int], Response | None] = getattr(self, page)
            self.route(pattern, handler)

    def page(self, template: str, **context: Any) -> Response:
        return render(f"{self.name}/{template}.html", when=self.when, **context)

    def when(self, at: datetime) -> str:
        return at.strftime(self.date_format)

    def day(self, day: int) -> ForumDay:
        return forum_day(self.spec, self.seed, day)

    def index(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        fd = self.day(day)
        stats = {b.id: (len(fd.board(b.id)), sum(len(ps) for _, ps in fd.board(b.id))) for b in self.spec.boards}
        return self.page("index", boards=self.spec.boards, stats=stats, total=fd.post_count)

    def board(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        query = arguments(match, query)
        board = next((b for b in self.spec.boards if str(b.id) == query.get(self.board_arg)), None)
        number = int_arg(query, "page", 1)
        if board is None or number is None:
            return None
        page = paginate(self.day(day).board(board.id), number, self.threads_per_page)
        return self.page("board", board=board, page=page) if page else None

    def thread(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        query = arguments(match, query)
        thread_id, number = int_arg(query, "t", 0), int_arg(query, "page", 1)
        found = self.day(day).thread(thread_id) if thread_id else None
        if found is None or number is None:
            return None
        thread, posts = found
        page = paginate(posts, number, self.posts_per_page)
        if page is None:
            return None
        first = (page.number - 1) * self.posts_per_page  # posts before this page (post numbers)
        return self.page("thread", thread=thread, page=page, total=len(posts), first=first)

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return self.page("login")


class BedMarket(SiteApp):
    """A test bed's market as a site: its routes, paths and templates are the site's own; these read the spec."""

    spec: ClassVar[MarketSpec]

    def __init__(self, seed: int = SEED) -> None:
        super().__init__(self.spec.name, seed, timeline=self.spec.timeline)

    def day(self, day: int) -> MarketDay:
        return market_day(self.spec, self.seed, day)

    def shelf(self, group: str | None, number: int | None, day: int, per_page: int) -> Page[Listing] | None:
        """Page ``number`` of a category's live listings, newest first; None when there is no such category or page."""
        if group is None or number is None:
            return None
        return paginate(self.day(day).in_group(group), number, per_page)

    def vendor(self, name: str, day: int) -> Vendor | None:
        return self.day(day).universe.vendors.get(name)
