"""Any day of a test bed's forum: boards, threads and posts, with a weekly rhythm and the scripted happenings.

Posts are drawn once per seed with the day they are posted (negative days are history before the timeline); post
and thread ids follow posting order.  A day shows the posts posted on or before it.  People post more on Friday
evenings and weekends (``ForumSpec.weekdays``); harm-reduction threads run in the background all along.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from demosites import content
from demosites.beds.model import Drug, ForumHappening, ForumWords, Lang, Lull, Mood, NewThread, Peak, Wave
from demosites.forums import Board, ForumDay, Post, Thread
from demosites.timeline import Timeline

SAFER_MOODS = ("mix", "testing", "naloxone")


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a spec is a module constant, a cache key
class ForumSpec:
    name: str
    timeline: Timeline
    boards: tuple[Board, ...]
    drugs: tuple[Drug, ...]
    words: ForumWords
    n_threads: int  # background threads about substances
    n_safer: int  # background harm-reduction threads
    users: tuple[str, ...]
    thread_base: int
    post_base: int
    happenings: tuple[ForumHappening, ...] = ()
    history: int = 45  # days of posts before day 0
    weekdays: tuple[float, ...] = (1.1, 1.0, 1.0, 1.0, 1.6, 2.4, 2.0)  # Monday..Sunday: how much people post
    severe_share: float = 0.03  # background reports that mention a severe effect

    def drug(self, key: str) -> Drug:
        return next(d for d in self.drugs if d.key == key)

    def board(self, slug: str) -> Board:
        return next(b for b in self.boards if b.slug == slug)


@dataclass(frozen=True)
class BedThread(Thread):
    drug: str = ""  # the substance the thread is about (for tests; not shown)


@dataclass
class _Draft:
    board: Board
    title: str
    lang: Lang
    trip_report: bool
    drug: str
    posts: list[tuple[datetime, int, str, str]] = field(default_factory=list)  # (at, day, author, text)

    def add(self, spec: ForumSpec, rng: random.Random, day: int, text: str) -> None:
        """A post on ``day``; a reply on the thread's first day comes after the first post."""
        at = _moment(spec, rng, day)
        if self.posts and at <= self.posts[0][0]:
            first = self.posts[0][0]
            at = first + timedelta(minutes=rng.randint(1, max(1, (23 * 60 + 59) - (first.hour * 60 + first.minute))))
        self.posts.append((at, day, rng.choice(spec.users), text))


# ---- words -------------------------------------------------------------------------------------------------------


def alias(rng: random.Random, drug: Drug) -> str:
    return drug.key if rng.random() < 0.4 else rng.choice(drug.names)


def _fill(spec: ForumSpec, rng: random.Random, lang: Lang, drug: Drug) -> dict[str, str]:
    w = spec.words
    others = [d for d in spec.drugs if d.talk and d.weight and d is not drug]
    return {"a": alias(rng, drug), "dose": drug.dose, "route": rng.choice(w.routes[lang]),
            "eff": rng.choice(w.effects[lang]), "eff2": rng.choice(w.effects[lang]), "adv": rng.choice(w.adverse[lang]),
            "neg": rng.choice(w.negated[lang]), "sev": rng.choice(w.severe[lang]), "price": rng.choice(w.prices[lang]),
            "other": alias(rng, rng.choice(others)), "lay": rng.choice(w.lay[lang])}  # fmt: skip


def post_text(spec: ForumSpec, rng: random.Random, lang: Lang, mood: Mood, drug: Drug, trip: bool = False) -> str:
    """A post in ``mood`` about ``drug``: an opening sentence, for reports what it did (now and then a severe
    effect), for bad experiences a second lay sentence, and often a closing line."""
    w = spec.words
    lines = [rng.choice(w.moods[mood][lang]).format(**_fill(spec, rng, lang, drug))]
    if mood == "report":
        for _ in range(rng.randint(3, 5) if trip else rng.randint(1, 2)):
            lines.append(rng.choice(w.middles[lang]).format(**_fill(spec, rng, lang, drug)))
        if rng.random() < spec.severe_share:
            lines.append(w.severe_line[lang].format(sev=rng.choice(w.severe[lang])))
    elif mood == "lay_bad" and rng.random() < 0.6:
        lines.append(rng.choice(w.lay[lang]).capitalize() + ".")
    if rng.random() < 0.5:
        lines.append(rng.choice(w.closers[lang]))
    return " ".join(line for line in lines if line)


def passing_line(spec: ForumSpec, rng: random.Random, lang: Lang, other: Drug) -> str:
    """A sentence mentioning another substance in passing ("I only had a beer and a joint before, as always")."""
    return rng.choice(spec.words.passing[lang]).format(other=alias(rng, other))


def title(spec: ForumSpec, rng: random.Random, lang: Lang, mood: Mood, drug: Drug) -> str:
    return rng.choice(spec.words.titles[mood][lang]).format(a=alias(rng, drug), dose=drug.dose)


# ---- days --------------------------------------------------------------------------------------------------------


def posting_day(spec: ForumSpec, rng: random.Random, first: int, last: int) -> int:
    """A day in [first, last], weighted by the weekly rhythm (and the quiet days of a ``Lull``)."""
    days = list(range(first, last + 1))
    weights = [spec.weekdays[spec.timeline.day_date(d).weekday()] for d in days]
    for lull in (h for h in spec.happenings if isinstance(h, Lull)):
        weights = [w * lull.factor if lull.day <= d <= lull.until else w for d, w in zip(days, weights, strict=True)]
    return rng.choices(days, weights)[0]


def _moment(spec: ForumSpec, rng: random.Random, day: int) -> datetime:
    minutes = rng.choice((rng.randint(7 * 60, 23 * 60), rng.randint(19 * 60, 23 * 60)))  # leaves room for replies
    return datetime.combine(spec.timeline.start, datetime.min.time()) + timedelta(days=day, minutes=minutes)


# ---- threads -----------------------------------------------------------------------------------------------------


def _background(spec: ForumSpec, rng: random.Random) -> list[_Draft]:
    pool = [d for d in spec.drugs if d.talk and d.weight]
    boards = [b for b in spec.boards if b.kind not in ("safer", "later")]  # a "later" board has scripted threads only
    last = spec.timeline.last_day
    drafts = []
    for _ in range(spec.n_threads):
        board, drug = rng.choice(boards), rng.choices(pool, [d.weight for d in pool])[0]
        lang = rng.choice(board.langs)
        trip = board.trip_reports
        first: Mood = "report" if trip else "market" if board.kind == "market" else rng.choice(("report", "question"))
        draft = _Draft(board, title(spec, rng, lang, "trip" if trip else first, drug), lang, trip, drug.key)
        day = posting_day(spec, rng, -spec.history, last - 1)
        draft.add(spec, rng, day, post_text(spec, rng, lang, first, drug, trip))
        replies = "market" if board.kind == "market" else "reply"
        for _ in range(rng.randint(0, 11)):
            reply = posting_day(spec, rng, day, min(last, day + 14))
            mood = rng.choice((replies, replies, "report"))
            draft.add(spec, rng, reply, post_text(spec, rng, lang, mood, drug))
        drafts.append(draft)
    return drafts + _safer(spec, rng)


def _safer(spec: ForumSpec, rng: random.Random) -> list[_Draft]:
    """Harm-reduction threads: don't mix with alcohol, test your stuff (reagents, test strips), carry naloxone."""
    board = next(b for b in spec.boards if b.kind == "safer")
    pool = [d for d in spec.drugs if d.talk and d.weight]
    drafts = []
    for i in range(spec.n_safer):
        mood, lang = SAFER_MOODS[i % len(SAFER_MOODS)], board.langs[i // len(SAFER_MOODS) % len(board.langs)]
        drug = rng.choice(pool)
        draft = _Draft(board, title(spec, rng, lang, mood, drug), lang, False, drug.key)
        day = posting_day(spec, rng, -spec.history, spec.timeline.last_day - 5)
        for _ in range(rng.randint(4, 16)):
            draft.add(spec, rng, day, post_text(spec, rng, lang, mood, rng.choice(pool)))
            day = posting_day(spec, rng, day, min(spec.timeline.last_day, day + 6))
        drafts.append(draft)
    return drafts


def _scripted_thread(spec: ForumSpec, rng: random.Random, event: NewThread) -> _Draft:
    drug, board = spec.drug(event.drug), spec.board(event.board)
    trip = board.trip_reports
    draft = _Draft(board, title(spec, rng, event.lang, event.first, drug), event.lang, trip, drug.key)
    draft.add(spec, rng, event.day, post_text(spec, rng, event.lang, event.first, drug, trip))
    last = min(spec.timeline.last_day, event.day + event.span)
    for _ in range(event.count - 1):
        draft.add(
            spec, rng, posting_day(spec, rng, event.day, last), post_text(spec, rng, event.lang, event.replies, drug)
        )
    return draft


def _wave(spec: ForumSpec, rng: random.Random, event: Wave) -> list[_Draft]:
    """Bad experiences of one substance in lay words, in a thread per language; some mention others in passing."""
    drug = spec.drug(event.drug)
    drafts = []
    for lang in event.langs:
        board = next(b for b in spec.boards if lang in b.langs and b.kind == "talk")
        draft = _Draft(board, title(spec, rng, lang, "lay_bad", drug), lang, False, drug.key)
        for i in range(event.count // len(event.langs)):
            day = event.day if i == 0 else posting_day(spec, rng, event.day, event.until)
            text = post_text(spec, rng, lang, "lay_bad", drug)
            if event.passing and rng.random() < event.passing_share:
                text += " " + passing_line(spec, rng, lang, spec.drug(rng.choice(event.passing)))
            draft.add(spec, rng, day, text)
        drafts.append(draft)
    return drafts


def _peak(spec: ForumSpec, rng: random.Random, event: Peak) -> list[_Draft]:
    """A carnival or festival thread per language: party talk in good spirits and advice not to mix with alcohol."""
    party = [d for d in spec.drugs if d.party]
    drafts = []
    for lang, text in event.title.items():
        board = next(b for b in spec.boards if lang in b.langs and b.kind == "talk")
        drafts.append(_Draft(board, text, lang, False, "party"))
    for day in range(event.day, event.until + 1):
        for _ in range(event.per_day):
            draft = rng.choice(drafts)
            mood = "mix" if rng.random() < event.mix_share else "party"
            draft.add(spec, rng, day, post_text(spec, rng, draft.lang, mood, rng.choice(party)))
    return drafts


def _scripted(spec: ForumSpec, rng: random.Random) -> list[_Draft]:
    drafts: list[_Draft] = []
    for event in spec.happenings:
        if isinstance(event, NewThread):
            drafts.append(_scripted_thread(spec, rng, event))
        elif isinstance(event, Wave):
            drafts += _wave(spec, rng, event)
        elif isinstance(event, Peak):
            drafts += _peak(spec, rng, event)
    return drafts


@lru_cache(maxsize=8)
def threads(spec: ForumSpec, seed: int) -> tuple[BedThread, ...]:
    """Every thread of the forum over the whole timeline, ids in posting order."""
    rng = content.rng_for(seed, spec.name, "threads")
    drafts = [d for d in _background(spec, rng) + _scripted(spec, rng) if d.posts]
    for draft in drafts:
        draft.posts.sort()
    drafts.sort(key=lambda d: d.posts[0][0])
    order = sorted((p[0], i, j) for i, d in enumerate(drafts) for j, p in enumerate(d.posts))
    post_ids = {(i, j): spec.post_base + 1 + n * 2 + rng.randint(0, 1) for n, (_, i, j) in enumerate(order)}
    found = []
    for i, d in enumerate(drafts):
        posts = tuple(Post(post_ids[i, j], author, at, day, text) for j, (at, day, author, text) in enumerate(d.posts))
        found.append(BedThread(spec.thread_base + 1 + i, d.board, d.title, d.lang, d.trip_report, posts, d.drug))
    return tuple(found)


@lru_cache(maxsize=256)
def forum_day(spec: ForumSpec, seed: int, day: int) -> ForumDay:
    visible = ((t, t.posts_on(day)) for t in threads(spec, seed))
    return ForumDay(day, tuple((t, posts) for t, posts in visible if posts))
