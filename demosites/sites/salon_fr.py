"""Le Salon: a French forum of discussions and messages; dates as "05/10/2026 à 21h14" (local, naive)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from demosites.forums import FORUMS, ForumDay, forum_day
from demosites.timeline import SEED
from demosites.web import Response, SiteApp, int_arg, paginate, render, slug

NAME = "salon_fr"
MESSAGES_PER_PAGE = 6
DISCUSSIONS_PER_PAGE = 12
DATE_FORMAT = "%d/%m/%Y à %Hh%M"  # what the source file's posted_at ``format`` says


def fr_date(at: datetime) -> str:
    return at.strftime(DATE_FORMAT)


def _page(template: str, **context: Any) -> Response:
    return render(f"{NAME}/{template}", fr_date=fr_date, slug=slug, **context)


class SalonFr(SiteApp):
    def __init__(self, seed: int = SEED) -> None:
        super().__init__(NAME, seed)
        self.route(r"/", self.home)
        self.route(r"/forum/(?P<slug>[a-z-]+)", self.forum)
        self.route(r"/discussion/(?P<id>\d+)-[a-z0-9-]*", self.discussion)
        self.route(r"/membres/(?P<name>\w+)", self.member)
        self.route(r"/(?:connexion|inscription|deconnexion|discussion/\d+/repondre|messagerie)", self.login)

    def day(self, day: int) -> ForumDay:
        return forum_day(NAME, self.seed, day)

    def home(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        fd = self.day(day)
        counts = {b.id: (len(fd.board(b.id)), sum(len(ps) for _, ps in fd.board(b.id))) for b in FORUMS[NAME].boards}
        return _page("accueil.html", boards=FORUMS[NAME].boards, counts=counts, total=fd.post_count)

    def forum(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        board = next((b for b in FORUMS[NAME].boards if b.slug == match["slug"]), None)
        number = int_arg(query, "page", 1)
        if board is None or number is None:
            return None
        page = paginate(self.day(day).board(board.id), number, DISCUSSIONS_PER_PAGE)
        return _page("forum.html", board=board, page=page) if page else None

    def discussion(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        found = self.day(day).thread(int(match["id"]))
        number = int_arg(query, "page", 1)
        if found is None or number is None:
            return None
        thread, messages = found
        page = paginate(messages, number, MESSAGES_PER_PAGE)
        return _page("discussion.html", thread=thread, page=page, total=len(messages)) if page else None

    def member(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        count = sum(1 for _, ps in self.day(day).threads for p in ps if p.author == match["name"])
        return _page("membre.html", name=match["name"], count=count) if count else None

    def login(self, match: re.Match[str], query: dict[str, str], day: int) -> Response:
        return _page("connexion.html")
