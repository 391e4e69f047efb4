"""The data behind the two forums: boards, threads and posts over the whole timeline, and any day's view.

Posts are drawn once per seed with the day they are posted (negative days are history before the
timeline); post and thread ids follow posting order, so they are stable across days.  A day shows
the posts posted on or before it, so threads grow and new ones appear.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from demosites import content
from demosites.timeline import LAST_DAY, START, events
from demosites.vocab import BY_KEY, SUBSTANCES, Substance


@dataclass(frozen=True)
class Board:
    id: int
    slug: str
    name: str
    section: str
    langs: tuple[str, ...]
    trip_reports: bool = False
    kind: str = "talk"  # the test beds' boards (demosites.beds.forum): talk, reports, market, safer or later (opened
    # during the timeline: scripted threads only)


@dataclass(frozen=True)
class ForumConfig:
    name: str
    boards: tuple[Board, ...]
    n_threads: int
    thread_base: int  # thread ids start above this
    post_base: int  # post ids start above this


FORUMS = {
    "lowlands_forum": ForumConfig(
        "lowlands_forum",
        (
            Board(2, "ervaringen", "Ervaringen", "Nederlands", ("nl",)),
            Board(3, "vragen", "Vragen & antwoorden", "Nederlands", ("nl",)),
            Board(4, "tripverslagen", "Tripverslagen", "Nederlands", ("nl",), trip_reports=True),
            Board(6, "general", "General discussion", "English", ("en",)),
            Board(7, "trip-reports", "Trip reports", "English", ("en",), trip_reports=True),
            Board(9, "harm-reduction", "Harm reduction", "Harm reduction", ("en", "nl")),
        ),
        58,
        1200,
        48000,
    ),
    "salon_fr": ForumConfig(
        "salon_fr",
        (
            Board(1, "recits", "Récits d'expériences", "Drogues", ("fr",), trip_reports=True),
            Board(2, "rdr", "Réduction des risques", "Drogues", ("fr",)),
            Board(3, "produits", "Produits & nouveautés", "Drogues", ("fr",)),
            Board(4, "general", "Discussions générales", "Le salon", ("fr",)),
        ),
        30,
        300,
        9000,
    ),
}


@dataclass(frozen=True)
class Post:
    id: int
    author: str
    at: datetime  # naive, the forum's local time
    day: int
    text: str


@dataclass(frozen=True)
class Thread:
    id: int
    board: Board
    title: str
    lang: str
    trip_report: bool
    posts: tuple[Post, ...]

    def posts_on(self, day: int) -> tuple[Post, ...]:
        return tuple(p for p in self.posts if p.day <= day)


@dataclass
class _Draft:
    board: Board
    title: str
    lang: str
    trip_report: bool
    posts: list[tuple[datetime, int, str, str]] = field(default_factory=list)  # (at, day, author, text)


def _moment(rng: random.Random, day: int) -> datetime:
    minutes = rng.choice((rng.randint(8 * 60, 24 * 60 - 1), rng.randint(18 * 60, 24 * 60 - 1)))
    return datetime.combine(START, datetime.min.time()) + timedelta(days=day, minutes=minutes)


def _thread(
    rng: random.Random, board: Board, sub: Substance, first: int, n: int, users: list[str], last: int = LAST_DAY
) -> _Draft:
    lang = rng.choice(board.langs)
    trip = board.trip_reports or (not board.trip_reports and rng.random() < 0.1 and lang != "fr")
    draft = _Draft(board, content.thread_title(rng, lang, sub, trip), lang, trip)
    days = sorted([first] + [rng.randint(first, min(last, first + 12)) for _ in range(n - 1)])
    for i, day in enumerate(days):
        report = trip and i == 0
        text = content.post_text(rng, lang, sub, report, severe=rng.random() < 0.04)
        draft.posts.append((_moment(rng, day), day, rng.choice(users), text))
    return draft


def _base_threads(config: ForumConfig, rng: random.Random, users: list[str]) -> list[_Draft]:
    weights = [s.weight for s in SUBSTANCES]
    drafts = []
    for _ in range(config.n_threads):
        sub = rng.choices(SUBSTANCES, weights)[0]
        drafts.append(
            _thread(rng, rng.choice(config.boards), sub, rng.randint(-40, LAST_DAY - 1), rng.randint(1, 11), users)
        )
    drafts[0].posts.append(
        (
            _moment(rng, -41),
            -41,
            users[0],
            "Tip: <b>bold</b> doesn't work here, use [b]bbcode[/b]. And <script>x()</script> is "
            "stripped. 5 < 6 & 7 > 3.",
        )
    )
    return drafts


def _event_threads(config: ForumConfig, rng: random.Random, users: list[str]) -> list[_Draft]:
    drafts = []
    for event in events(config.name, "new_substance"):
        board = next(b for b in config.boards if b.slug == event.board)
        drafts.append(_thread(rng, board, BY_KEY[event.substance], event.day, event.count, users))
    for event in events(config.name, "adverse_wave"):
        drafts += _wave(config, rng, users, BY_KEY[event.substance], event.day, event.until or event.day, event.count)
    return drafts


def _board_for(config: ForumConfig, lang: str, trip: bool = False) -> Board:
    return next(b for b in config.boards if lang in b.langs and b.trip_reports == trip)


def _wave(
    config: ForumConfig, rng: random.Random, users: list[str], sub: Substance, first: int, last: int, count: int
) -> list[_Draft]:
    """Threads full of severe adverse-effect reports, one per language the forum speaks."""
    langs = sorted({lang for b in config.boards for lang in b.langs})
    drafts = []
    for lang in langs:
        draft = _Draft(_board_for(config, lang), content.thread_title(rng, lang, sub, False), lang, False)
        for _ in range(count // len(langs)):
            day = rng.randint(first, last)
            draft.posts.append((_moment(rng, day), day, rng.choice(users), content.severe_post(rng, lang, sub)))
        draft.posts.sort()
        drafts.append(draft)
    return drafts


@lru_cache(maxsize=8)
def threads(name: str, seed: int) -> tuple[Thread, ...]:
    """Every thread of the forum over the whole timeline, ids in posting order."""
    config = FORUMS[name]
    rng = content.rng_for(seed, name, "threads")
    users = content.user_names(rng, 45)
    drafts = _base_threads(config, rng, users) + _event_threads(config, rng, users)
    for draft in drafts:
        draft.posts.sort()
    drafts.sort(key=lambda d: d.posts[0][0])
    all_posts = sorted((p[0], i, j) for i, d in enumerate(drafts) for j, p in enumerate(d.posts))
    post_ids = {(i, j): config.post_base + 1 + n * 3 + rng.randint(0, 2) for n, (_, i, j) in enumerate(all_posts)}
    return tuple(
        Thread(
            config.thread_base + 1 + i * 2,
            d.board,
            d.title,
            d.lang,
            d.trip_report,
            tuple(Post(post_ids[i, j], author, at, day, text) for j, (at, day, author, text) in enumerate(d.posts)),
        )
        for i, d in enumerate(drafts)
    )


@dataclass(frozen=True)
class ForumDay:
    day: int
    threads: tuple[tuple[Thread, tuple[Post, ...]], ...]  # visible threads with their visible posts

    def thread(self, thread_id: int) -> tuple[Thread, tuple[Post, ...]] | None:
        return next((t for t in self.threads if t[0].id == thread_id), None)

    def board(self, board_id: int) -> list[tuple[Thread, tuple[Post, ...]]]:
        """A board's threads, the most recently active first."""
        found = [t for t in self.threads if t[0].board.id == board_id]
        return sorted(found, key=lambda t: t[1][-1].at, reverse=True)

    @property
    def post_count(self) -> int:
        return sum(len(posts) for _, posts in self.threads)


@lru_cache(maxsize=128)
def forum_day(name: str, seed: int, day: int) -> ForumDay:
    visible = ((t, t.posts_on(day)) for t in threads(name, seed))
    return ForumDay(day, tuple((t, posts) for t, posts in visible if posts))
