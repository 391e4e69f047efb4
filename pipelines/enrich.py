"""Enrichment: what the extraction pipelines (``nlp``) find in each listing and post.

Runs before the store.  It adds to the item a summary the store indexes as searchable,
facetable fields: canonical substances, novel candidates, effect and chemical groups,
EUR per gram, effects, adverse effects, routes and the language.  Texts repeat a lot
across crawls (a listing's title and description rarely change), so a summary is reused
when the same text was already extracted in this process, or is already stored for
that document.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import statistics
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawlers.items import Listing, Post
from nlp.rates import STALE_DAYS, RateTable, is_stale, load_rates
from npswatch import settings
from storage import open_storage
from storage.base import Storage, StorageError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from nlp.types import EffectMention, Extraction

logger = logging.getLogger(__name__)
CACHE_SIZE = 20_000  # summaries kept in memory, by text hash
# What enrichment adds to a document (text_hash: the text, language and month it was extracted from).
SUMMARY_FIELDS = ("language", "substance", "novel_substance", "effect_group", "chemical_group", "nps", "effect",
                  "adverse_effect", "severe", "adverse_substance", "severe_substance", "route", "doses", "offers",
                  "eur_per_gram", "text_hash")  # fmt: skip
# Raised when what a summary holds changes, so that summaries stored by an earlier version are extracted again
# instead of reused (it is part of text_hash). 2: effects said to happen only (not negated, not hypothetical), with
# the substances they are attributed to (adverse_substance, severe_substance).
SUMMARY_VERSION = 2


def text_of(item: Listing | Post) -> str:
    """The text extraction reads: title and description of a listing, the text of a post."""
    if isinstance(item, Listing):
        return f"{item.title}\n{item.description}".strip()
    return item.text


def summarise(extraction: Extraction) -> dict[str, Any]:
    """The indexed summary of one extraction (field names match storage.base.KEYWORD_FIELDS). Effects count when said
    to happen (neither negated nor hypothetical); ``adverse_substance`` and ``severe_substance`` are the substances
    their adverse and severe ones are attributed to, by canonical name, or for a novel candidate by its
    ``novel_substance`` value (docs/extraction.md, "What the signals read")."""
    known = [s for s in extraction.substances if s.known and s.canonical]
    novel = [s for s in extraction.substances if not s.known]
    effects = [e for e in extraction.effects if e.reported]
    candidates = {s.text for s in novel}
    summary = {
        "language": extraction.lang,
        "substance": sorted({s.canonical for s in known if s.canonical}),
        "novel_substance": sorted({s.text.upper() for s in novel}),
        "effect_group": sorted({s.effect_group for s in extraction.substances if s.effect_group}),
        "chemical_group": sorted({s.chemical_group for s in extraction.substances if s.chemical_group}),
        "nps": any(s.nps for s in extraction.substances),
        "effect": sorted({e.effect for e in effects}),
        "adverse_effect": sorted({e.effect for e in effects if e.adverse}),
        "severe": any(e.severe for e in effects),
        "adverse_substance": _attributed([e for e in effects if e.adverse], candidates),
        "severe_substance": _attributed([e for e in effects if e.severe], candidates),
        "route": sorted({r.route for r in extraction.routes}),
        "doses": [
            {"amount": d.amount, "unit": d.unit, "substance": d.substance, "route": d.route} for d in extraction.doses
        ],
    }
    return with_offers(summary, [_offer(o) for o in extraction.offers])


def _attributed(effects: list[EffectMention], candidates: set[str]) -> list[str]:
    """The substances these effects are attributed to, as the summary names them (a candidate as in
    ``novel_substance``)."""
    names = {e.substance for e in effects if e.substance}
    return sorted({name.upper() if name in candidates else name for name in names})


def with_offers(summary: dict[str, Any], offers: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary with these offers and their median EUR per gram."""
    per_gram = [o["eur_per_gram"] for o in offers if o.get("eur_per_gram")]
    median = round(statistics.median(per_gram), 4) if per_gram else None
    return {**summary, "offers": offers, "eur_per_gram": median}


def _offer(offer: Any) -> dict[str, Any]:
    return {
        "quantity_grams": offer.quantity_grams,
        "units": offer.units,
        "price_amount": offer.price_amount,
        "price_currency": offer.price_currency,
        "eur": offer.eur,
        "eur_per_gram": offer.eur_per_gram,
        "eur_rate": offer.eur_rate,
        "rate_date": offer.rate_date,
        "rate_stale": offer.rate_stale,
    }


class EnrichPipeline:
    """Adds ``item.nlp`` (see ``summarise``) to every listing and post; counts what it did in stats."""

    def __init__(self, crawler: Crawler, target: str | None) -> None:
        self.crawler = crawler
        self.target = target
        self.cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.storage: Storage | None = None
        self.stale_warned = False  # stale exchange rates are warned about once per crawl
        self.rates_file: Path | None = None
        self.rates: RateTable | None = None  # one table for the prices in text and the price tiers

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NPSWATCH_ENRICH", True):
            raise NotConfigured
        return cls(crawler, crawler.settings.get("NPSWATCH_DB"))

    def open_spider(self) -> None:
        import nlp.api  # loads spaCy now, not at the first item

        assert nlp.api
        self.rates_file = rates_file()
        self.rates = rates_table(self.rates_file)
        if self.target:
            try:
                self.storage = open_storage(self.target)
            except StorageError as exc:  # only a cache here: the store pipeline reports what cannot be stored
                logger.warning("Extraction runs on every item: the store cannot be read (%s)", exc)

    def close_spider(self) -> None:
        if self.storage is not None:
            self.storage.close()
            self.storage = None

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Listing | Post):
            return item
        lang = item.language_hint if isinstance(item, Post) else None
        text = text_of(item)
        # The month is part of the key: offers in the text are converted at the rates of the day the text was first
        # extracted that month (tier offers below at the day's); the summary's version too (SUMMARY_VERSION).
        key = hashlib.sha1(f"{SUMMARY_VERSION}\x1f{lang}\x1f{item.seen_at[:7]}\x1f{text}".encode()).hexdigest()
        summary = self.cache.get(key) or self._stored(item, key)
        if summary is None:
            summary = self._extract(text, lang, date.fromisoformat(item.seen_at[:10]))
            summary["text_hash"] = key
            self._count("npswatch/enrich/extracted")
        else:
            self._count("npswatch/enrich/reused")
        self._remember(key, summary)
        if isinstance(item, Listing) and item.prices:  # structured tiers beat offers guessed from text
            summary = with_offers(summary, tier_offers(item, date.fromisoformat(item.seen_at[:10]), self._rates()))
        self._check_rates(summary["offers"], item.seen_at[:10])
        item.nlp = summary
        return item

    def _check_rates(self, offers: list[dict[str, Any]], day: str) -> None:
        """Count offers converted at a stale rate; warn once per crawl."""
        stale = [o for o in offers if o.get("rate_stale")]
        if not stale:
            return
        self._count("npswatch/enrich/stale_rate_offers", len(stale))
        if not self.stale_warned:
            self.stale_warned = True
            first = stale[0]
            logger.warning(
                "exchange rates more than %d days from the day converted: %s on %s at the rate of %s (%s); "
                "such offers say rate_stale: true. `npswatch rates update` fetches newer rates",
                STALE_DAYS, first["price_currency"], day, first["rate_date"], self.rates_file,
            )  # fmt: skip

    def _remember(self, key: str, summary: dict[str, Any]) -> None:
        self.cache[key] = summary
        self.cache.move_to_end(key)
        if len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)

    def _stored(self, item: Listing | Post, key: str) -> dict[str, Any] | None:
        if self.storage is None:
            return None
        try:
            doc = self.storage.get(item.id)
        except StorageError as exc:  # a store that broke during the crawl: extract without it from now on
            logger.warning("Extraction runs on every item: the store cannot be read (%s)", exc)
            self.close_spider()
            return None
        if doc is None or doc.get("text_hash") != key:
            return None
        return {name: doc.get(name) for name in SUMMARY_FIELDS}

    def _extract(self, text: str, lang: str | None, day: date) -> dict[str, Any]:
        import nlp

        return summarise(nlp.extract(text, lang, date=day, rates=self._rates()))

    def _rates(self) -> RateTable:
        if self.rates is None:
            raise RuntimeError("EnrichPipeline.open_spider() loads the rates table: call it before process_item()")
        return self.rates

    def _count(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)


CURRENCY_PREFERENCE = ("EUR", "USD", "GBP", "BTC", "XMR")  # one price per tier: fiat first, as offered


def tier_offers(listing: Listing, day: date, rates: RateTable) -> list[dict[str, Any]]:
    """Offers from a listing's structured price tiers (quantity label + price), in EUR per gram."""
    chosen: dict[str | None, Any] = {}
    for price in listing.prices:
        current = chosen.get(price.quantity)
        if current is None or _rank(price.currency) < _rank(current.currency):
            chosen[price.quantity] = price
    return [_tier_offer(p.quantity, float(p.amount), p.currency, day, rates) for p in chosen.values()]


def _tier_offer(label: str | None, amount: float, currency: str, day: date, rates: RateTable) -> dict[str, Any]:
    grams, units = tier_quantity(label or "")
    converted = rates.to_eur(amount, currency, day)
    eur, rate = (converted[0], converted[1]) if converted else (None, None)
    return {
        "quantity_grams": grams,
        "units": units,
        "price_amount": amount,
        "price_currency": currency,
        "eur": round(eur, 2) if eur is not None else None,
        "eur_per_gram": round(eur / grams, 4) if eur is not None and grams else None,
        "eur_rate": rate.eur_per_unit if rate else None,
        "rate_date": rate.date.isoformat() if rate else None,
        "rate_stale": is_stale(rate, day) if rate else None,
    }


@functools.lru_cache(maxsize=4096)
def tier_quantity(label: str) -> tuple[float | None, float | None]:
    """Grams (or a count of units: pills, tabs, blotters) of a tier label such as "5g", "1 OZ", "10 pills"."""
    import nlp

    quantities = nlp.extract(label, "en").quantities if label.strip() else []
    if not quantities:
        return None, None
    first = quantities[0]
    return (first.grams, None) if first.grams else (None, first.amount)


def rates_file() -> Path:
    """The exchange-rate table crawls (prices in text and price tiers alike) and `npswatch extract` convert with:
    $NPSWATCH_RATES_FILE, else the table `npswatch rates update` wrote in the data directory, else the snapshot
    shipped with nlp."""
    from nlp.rates import DEFAULT_RATES

    path = settings.rates_file()
    if path:
        return path
    updated = settings.data_dir() / "rates.csv"
    return updated if updated.is_file() else DEFAULT_RATES


def rates_update_target() -> Path:
    """Where `npswatch rates update` writes: $NPSWATCH_RATES_FILE, else ``<data dir>/rates.csv``."""
    return settings.rates_file() or settings.data_dir() / "rates.csv"


@functools.lru_cache(maxsize=4)
def rates_table(path: Path) -> RateTable:
    """The table at ``path`` (read once per process)."""
    return load_rates(path)


def _rank(currency: str) -> int:
    return CURRENCY_PREFERENCE.index(currency) if currency in CURRENCY_PREFERENCE else len(CURRENCY_PREFERENCE)
