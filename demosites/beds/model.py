"""What a test bed is made of: its substances, the happenings scripted on its market and forum, and its words.

A bed module (``holdout_a``, ``holdout_b``) fills these in; ``market`` and ``forum`` draw any day from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Lang = str  # "en", "de", "nl" or "fr"
Bank = Mapping[Lang, tuple[str, ...]]  # phrases per language


@dataclass(frozen=True)
class Drug:
    """A substance (or a harm-reduction product) as it is sold and talked about on one bed."""

    key: str  # the name the event scripts use: the canonical name where the substance is known
    names: tuple[str, ...]  # how people write it here: spellings, street names of the bed's languages
    group: str  # the market category it is listed under
    unit: str  # tier unit: g, pill, tab, mg, ml, strip, piece
    price: float  # price of one unit in the market's reference currency, before tier discounts
    weight: int = 4  # how often it is listed and talked about in the background (0: only when scripted)
    dose: str = "100mg"  # a dose as users write it
    party: bool = False  # talked about more on weekends and at carnival or festivals
    talk: bool = True  # talked about on the forum (harm-reduction products are sold, not discussed as drugs)
    titles: tuple[str, ...] = ()  # its own listing titles (else the market's); same slots
    blurbs: tuple[str, ...] = ()  # its own listing descriptions (else the market's)


# ---- happenings on a market --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Appear:
    """Listings of a substance never sold here before (or a new product): the first on ``day``."""

    drug: str
    day: int
    count: int  # listings, the first on ``day`` and one more every ``every`` days
    every: int = 2
    vendor: int | None = None  # index into the vendors (sorted); None: drawn


@dataclass(frozen=True)
class Spike:
    """The substance's live listings grow ``factor`` times, the new ones appearing from ``day`` to ``until``."""

    drug: str
    day: int
    until: int
    factor: float


@dataclass(frozen=True)
class Reprice:
    """Every listing of the substance changes price by ``factor`` from ``day``; vendors follow within ``spread``
    days; back to normal after ``until`` unless it is None."""

    drug: str
    day: int
    factor: float
    spread: int = 3
    until: int | None = None
    followers: float = 1.0  # the share of vendors that follow (drawn per vendor); the others keep their prices


@dataclass(frozen=True)
class Repost:
    """One vendor takes its listing down and posts it again as a new listing (new id) every day."""

    drug: str
    day: int
    until: int
    title: str
    vendor: int = 0


@dataclass(frozen=True)
class Rebrand:
    """A vendor leaves on ``day`` and comes back ``gap`` days later as ``name`` (same PGP key, a new account): every
    listing it had live, and every one it would have posted later, is posted again under a new id."""

    vendor: int  # index into the vendors (sorted)
    day: int
    gap: int
    name: str


@dataclass(frozen=True)
class Pause:
    """Vendors on holiday (a market's "vacation mode"): their listings are hidden from ``day`` to ``until`` and
    come back afterwards under the same ids."""

    vendors: tuple[int, ...]  # indexes into the vendors (sorted)
    day: int
    until: int


@dataclass(frozen=True)
class Flood:
    """One vendor floods the market with near-duplicates of one listing (same text and price, the titles varied)
    on ``day`` and takes them all down after ``until``: spam, or a scam."""

    drug: str
    day: int
    until: int
    titles: tuple[str, ...]  # one listing per title
    vendor: int = 0


@dataclass(frozen=True)
class Relabel:
    """A vendor renames a substance on ``day``: every listing of it the vendor has live, or posts later, is taken down
    and posted again (a new id, no reviews) under one of ``titles`` with ``description``."""

    drug: str
    day: int
    titles: tuple[str, ...]
    description: str
    vendor: int = 0


@dataclass(frozen=True)
class Sale:
    """A market-wide sale: every price is ``factor`` times the usual from ``day`` to ``until``, shown beside the
    usual price struck through."""

    day: int
    until: int
    factor: float


@dataclass(frozen=True)
class Arrive:
    """A new vendor joins on ``day`` with one listing of each of ``drugs``, written in ``lang`` (which may be none of
    the market's usual languages) and shipped from ``country``."""

    name: str
    day: int
    drugs: tuple[str, ...]
    lang: str
    country: str


MarketHappening = Appear | Spike | Reprice | Repost | Rebrand | Pause | Flood | Relabel | Sale | Arrive


# ---- happenings on a forum ---------------------------------------------------------------------------------------

Mood = str  # a key of ForumWords.moods: report, question, reply, market, new_first, new_reply, lay_bad, party, mix,
# testing, naloxone, or one of the bed's own


@dataclass(frozen=True)
class NewThread:
    """A new thread about a substance on ``day``: ``count`` posts over ``span`` days."""

    drug: str
    day: int
    count: int
    board: str  # board slug
    lang: Lang
    span: int = 10
    first: Mood = "new_first"
    replies: Mood = "new_reply"


@dataclass(frozen=True)
class Wave:
    """More posts about bad experiences of one substance, in lay words, from ``day`` to ``until``: about ``count``
    posts in new threads (one per language) and as replies in the substance's other threads.  A share of them
    mentions other substances (``passing``) in passing."""

    drug: str
    day: int
    until: int
    count: int
    langs: tuple[Lang, ...]
    passing: tuple[str, ...] = ()
    passing_share: float = 0.3


@dataclass(frozen=True)
class Peak:
    """A seasonal peak (carnival, a festival weekend): ``per_day`` extra posts about party drugs each day, in good
    spirits, a share of them harm-reduction advice about mixing with alcohol."""

    day: int
    until: int
    per_day: int
    mix_share: float = 0.3
    title: Mapping[Lang, str] = field(default_factory=dict)  # the peak thread's title per language


@dataclass(frozen=True)
class Lull:
    """Quiet days (holidays): people post ``factor`` times as often as usual from ``day`` to ``until``."""

    day: int
    until: int
    factor: float


ForumHappening = NewThread | Wave | Peak | Lull


# ---- words -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketWords:
    """Listing text: titles and descriptions per language (slots ``{a}`` name, ``{key}``, ``{purity}``, ``{e}``)."""

    titles: Bank
    descriptions: Bank
    reviews: tuple[str, ...]
    emoji: tuple[str, ...] = ("🔥", "💎", "✅", "⭐", "🚀", "❄️", "🍄", "💊")


@dataclass(frozen=True)
class ForumWords:
    """Post text per mood and language, and the banks its slots draw from.

    Slots: ``{a}`` the substance as written, ``{dose}``, ``{route}``, ``{eff}``/``{eff2}`` effects, ``{adv}`` a mild
    side effect, ``{neg}`` a negated one, ``{sev}`` a severe one, ``{price}``, ``{other}`` another substance,
    ``{lay}`` a bad experience in lay words.
    """

    moods: Mapping[str, Bank]  # mood -> language -> sentence templates
    titles: Mapping[str, Bank]  # mood -> language -> thread titles
    middles: Bank  # further sentences of a report
    closers: Bank
    effects: Bank
    adverse: Bank  # mild side effects
    negated: Bank
    severe: Bank
    lay: Bank  # bad experiences in lay words, no clinical or severe word
    passing: Bank  # a sentence mentioning ``{other}`` in passing
    routes: Bank
    prices: Bank  # a price as users write it
    severe_line: Mapping[Lang, str]  # "But then: {sev}."
