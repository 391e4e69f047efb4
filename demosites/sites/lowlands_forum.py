"""Lowlands Forum: phpBB-style, Dutch and English boards, ISO ``<time datetime>`` in UTC on every post."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from demosites.forums import FORUMS, Board, ForumDay, Post, forum_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render

NAME = "lowlands_forum"
POSTS_PER_PAGE = 5
TOPICS_PER_PAGE = 10
SUMMER_TIME_ENDS = datetime(2026, 10, 25, 3, 0)  # Europe/Amsterdam: CEST (+02:00) before, CET (+01:00) after


def utc_iso(local: datetime) -> str:
    """The forum's local (Amsterdam) time as phpBB writes it in ``<time datetime>``: UTC, ``+00:00``."""
    offset = timedelta(hours=2 if local < SUMMER_TIME_ENDS else 1)
    return (local - offset).isoformat() + "+00:00"


def phpbb_time(local: datetime) -> str:
    """phpBB's default display: "Mon Oct 05, 2026 9:14 pm"."""
    hour = local.hour % 12 or 12
    return local.strftime(f"%a %b %d, %Y {hour}:%M ") + ("am" if local.hour < 12 else "pm")


def _page(template: str, day: int, **context: Any) -> Response:
    return render(f"{NAME}/{template}", utc_iso=utc_iso, phpbb_time=phpbb_time, **context)


def _sections() -> list[tuple[str, list[Board]]]:
    sections: dict[str, list[Board]] = {}
    for board in FORUMS[NAME].boards:
        sections.setdefault(board.section, []).append(board)
    return list(sections.items())


class LowlandsForum(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed)
        self.route(r"/(?:index\.php)?", self.index)
        self.route(r"/viewforum\.php", self.board)
        self.route(r"/viewtopic\.php", self.topic)
        self.route(r"/memberlist\.php", self.member)
        self.route(r"/(?:ucp|posting|search)\.php", self.login)

    def day(self, day: int) -> ForumDay:
        return forum_day(NAME, self.seed, day)

    def index(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        fd = self.day(day)
        stats = {b.id: _board_stats(fd, b) for b in FORUMS[NAME].boards}
        return _page("index.html", day, sections=_sections(), stats=stats, posts=fd.post_count, topics=len(fd.threads))

    def board(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        board = next((b for b in FORUMS[NAME].boards if str(b.id) == query.get("f")), None)
        start = int_arg(query, "start", 0)
        if board is None or start is None or start % TOPICS_PER_PAGE:
            return None
        threads = self.day(day).board(board.id)
        page = paginate(threads, start // TOPICS_PER_PAGE + 1, TOPICS_PER_PAGE)
        if page is None:
            return None
        return _page("viewforum.html", day, board=board, page=page, total=len(threads), per_page=TOPICS_PER_PAGE)

    def topic(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        thread_id, start = int_arg(query, "t", 0), int_arg(query, "start", 0)
        found = self.day(day).thread(thread_id) if thread_id else None
        if found is None or start is None or start % POSTS_PER_PAGE:
            return None
        thread, posts = found
        page = paginate(posts, start // POSTS_PER_PAGE + 1, POSTS_PER_PAGE)
        if page is None:
            return None
        return _page("viewtopic.html", day, thread=thread, page=page, total=len(posts), per_page=POSTS_PER_PAGE)

    def member(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        name = query.get("un", "")
        posts = [p for t, ps in self.day(day).threads for p in ps if p.author == name]
        return _page("member.html", day, name=name, posts=len(posts)) if posts else None

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("login.html", day)


def _board_stats(fd: ForumDay, board: Board) -> tuple[int, int, Post | None]:
    threads = fd.board(board.id)
    last = threads[0][1][-1] if threads else None
    return len(threads), sum(len(ps) for _, ps in threads), last
