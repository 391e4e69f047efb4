"""La Veillée (hold-out F, sealed): a link aggregator in the manner of Lemmy.  Communities (``/c/<name>?page=N``,
20 posts a page, the most recently active first) hold posts (``/post/N``): the submission, then its comments as a
tree, each reply nested in its parent's ``<div class="replies">``, so a comment's own words are its
``div.md`` and not its replies'.  Times are written in UTC in ``<time datetime>`` (``2028-06-05T19:14:00Z``), shown
as "il y a 3 j"; each post carries its language (``<article class="post" lang="de">``).  French, German and English
communities; pages say ``lang="fr"``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from demosites import content
from demosites.beds.holdout_f import FORUM_SPEC, ZONE
from demosites.beds.site import BedForum
from demosites.forums import Post, Thread
from demosites.web import Response, int_arg, paginate, render

_DAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
REPLY_SHARE = 0.45  # comments that answer an earlier comment rather than the submission


def utc(at: datetime) -> str:
    """A post's time (the forum's local time, naive) in UTC as the pages write it: 2028-06-05T19:14:00Z."""
    return at.replace(tzinfo=ZoneInfo(ZONE)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def full(at: datetime) -> str:
    """The local time in words, for the ``title`` of a time: "lun. 5 juin 2028 à 21:14"."""
    return f"{_DAYS[at.weekday()]} {at.day} {_MONTHS[at.month - 1]} {at.year} à {at:%H:%M}"


def ago(day: int, today: int) -> str:
    """How long ago, as shown: "aujourd'hui", "hier", "il y a 3 j"."""
    return {0: "aujourd'hui", 1: "hier"}.get(today - day, f"il y a {today - day} j")


def parents(thread: Thread) -> dict[int, int | None]:
    """Each comment's parent comment (None: it answers the submission), drawn once per comment from earlier ones."""
    found: dict[int, int | None] = {}
    comments = thread.posts[1:]
    for i, post in enumerate(comments):
        rng = content.rng_for(FORUM_SPEC.name, "parent", post.id)
        found[post.id] = rng.choice(comments[:i]).id if i and rng.random() < REPLY_SHARE else None
    return found


def replies(thread: Thread, shown: Sequence[Post]) -> dict[int | None, list[Post]]:
    """The shown comments by parent (None: the submission's), oldest first."""
    up = parents(thread)
    found: dict[int | None, list[Post]] = {}
    for post in shown[1:]:
        found.setdefault(up[post.id], []).append(post)
    return found


def page_order(thread: Thread, shown: Sequence[Post]) -> list[Post]:
    """The posts in the order the page shows them: the submission, then each comment followed by its replies."""
    children = replies(thread, shown)

    def walk(parent: int | None) -> list[Post]:
        return [p for child in children.get(parent, []) for p in (child, *walk(child.id))]

    return [shown[0], *walk(None)]


class VeilleeForum(BedForum):
    spec = FORUM_SPEC
    paths = (
        ("index", r"/(?:communities)?"),
        ("board", r"/c/(?P<c>[a-z_]+)"),
        ("thread", r"/post/(?P<t>\d+)"),
        ("login", r"/(?:login|signup|logout|create_post|post/\d+/reply|inbox|u/[A-Za-z0-9_]+)"),
    )
    board_arg = "c"
    threads_per_page = 20
    posts_per_page = 1000  # a post shows all its comments
    date_format = "%Y-%m-%dT%H:%M:%SZ"  # in UTC (``utc``)

    def page(self, template: str, **context: Any) -> Response:
        return render(f"{self.name}/{template}.html", utc=utc, full=full, ago=ago, **context)

    def board(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        board = next((b for b in self.spec.boards if b.slug == match["c"]), None)
        number = int_arg(query, "page", 1)
        if board is None or number is None:
            return None
        page = paginate(self.day(day).board(board.id), number, self.threads_per_page)
        return self.page("board", board=board, page=page, today=day) if page else None

    def thread(self, match: re.Match[str], query: dict[str, str], day: int) -> Response | None:
        found = self.day(day).thread(int(match["t"]))
        if found is None:
            return None
        thread, shown = found
        return self.page("thread", thread=thread, first=shown[0], children=replies(thread, shown),
                         total=len(shown) - 1, today=day)  # fmt: skip
