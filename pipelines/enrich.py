"""Enrichment: what the extraction pipelines (``nlp``) find in each listing and post.

Runs before the store.  It adds to the item a summary the store indexes as searchable,
facetable fields: canonical substances, novel candidates, the names only the trained
recogniser found, effect and chemical groups, EUR per gram, effects, adverse effects,
routes and the language.  Texts repeat a lot
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
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured

from crawlers.items import Listing, Post
from nlp.rates import STALE_DAYS, RateTable, is_stale, load_rates
from npswatch import settings
from pipelines.worker import Batches, Done, ExtractionWorker, Job, Quantity
from storage import open_storage
from storage.base import Storage, StorageError

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from nlp.types import EffectMention, Extraction, SubstanceMention

logger = logging.getLogger(__name__)
CACHE_SIZE = 20_000  # summaries kept in memory, by text hash
# What enrichment adds to a document (text_hash: the text, language and month it was extracted from).
SUMMARY_FIELDS = ("language", "substance", "novel_substance", "model_substance", "effect_group", "chemical_group",
                  "nps", "effect", "adverse_effect", "severe", "adverse_substance", "severe_substance", "route",
                  "doses", "offers", "eur_per_gram", "text_hash")  # fmt: skip
# Raised when what a summary holds changes, so that summaries stored by an earlier version are extracted again
# instead of reused (it is part of text_hash). 2: effects said to happen only (not negated, not hypothetical), with
# the substances they are attributed to (adverse_substance, severe_substance); 3: model_substance, what only the
# trained recogniser found.
SUMMARY_VERSION = 3


def text_of(item: Listing | Post) -> str:
    """The text extraction reads: title and description of a listing, the text of a post."""
    if isinstance(item, Listing):
        return f"{item.title}\n{item.description}".strip()
    return item.text


def summarise(extraction: Extraction) -> dict[str, Any]:
    """The indexed summary of one extraction (field names match storage.base.KEYWORD_FIELDS). Effects count when said
    to happen (neither negated nor hypothetical); ``adverse_substance`` and ``severe_substance`` are the substances
    their adverse and severe ones are attributed to, by canonical name, or for a novel candidate by its
    ``novel_substance`` value (docs/extraction.md, "What the signals read"). ``model_substance``: the ``substance``
    and ``novel_substance`` values that only the trained recogniser found in the text (every mention of them has
    ``found_by: "model"``), which the signals may trust less."""
    known = [s for s in extraction.substances if s.known and s.canonical]
    novel = [s for s in extraction.substances if not s.known]
    effects = [e for e in extraction.effects if e.reported]
    candidates = {s.text for s in novel}
    by_rules = {_name(s) for s in extraction.substances if s.found_by != "model"}
    summary = {
        "language": extraction.lang,
        "substance": sorted({s.canonical for s in known if s.canonical}),
        "novel_substance": sorted({s.text.upper() for s in novel}),
        "model_substance": sorted({_name(s) for s in extraction.substances if s.found_by == "model"} - by_rules),
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


def _name(mention: SubstanceMention) -> str:
    """A mention as the summary names it: the canonical name of a known substance, else its text in upper case."""
    return mention.canonical if mention.known and mention.canonical else mention.text.upper()


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

    def __init__(self, crawler: Crawler, target: str | None, recogniser: bool = True, use_worker: bool = False) -> None:
        self.crawler = crawler
        self.target = target
        self.recogniser = recogniser  # run the trained recogniser beside the rules (NPSWATCH_RECOGNISER)
        self.cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.storage: Storage | None = None
        self.stale_warned = False  # stale exchange rates are warned about once per crawl
        self.rates_file: Path | None = None
        self.rates: RateTable | None = None  # one table for the prices in text and the price tiers
        self.use_worker = use_worker  # extract in a worker process while the crawl fetches (NPSWATCH_ENRICH_WORKER)
        self.worker: ExtractionWorker | None = None
        self.batches: Batches | None = None
        self.quantities: dict[str, Quantity] = {}  # tier label -> quantity, as the worker gave them

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("NPSWATCH_ENRICH", True):
            raise NotConfigured
        settings = crawler.settings
        return cls(crawler, settings.get("NPSWATCH_DB"), settings.getbool("NPSWATCH_RECOGNISER", True),
                   settings.getbool("NPSWATCH_ENRICH_WORKER", False))  # fmt: skip

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
        if self.use_worker and ExtractionWorker.available():
            worker = ExtractionWorker(self.recogniser, self.rates_file)
            try:
                worker.start()
            except (OSError, BrokenProcessPool) as exc:  # no fork (memory, process limit): extract here
                logger.warning("No extraction worker (%s): extraction runs on the crawl's own thread", exc)
                worker.close()
            else:
                self.worker, self.batches = worker, Batches(worker, self._worker_failed)

    def close_spider(self) -> None:
        if self.batches is not None:
            self.batches.send()  # none left in a finished crawl: Scrapy waits for the items in flight
        if self.worker is not None:
            self.worker.close()
            self.worker, self.batches = None, None
        self._close_storage()

    def _close_storage(self) -> None:
        if self.storage is not None:
            self.storage.close()
            self.storage = None

    def process_item(self, item: Any) -> Any:
        """The item with ``item.nlp``; with the worker (``NPSWATCH_ENRICH_WORKER``), when the worker has work to do
        for it, a coroutine that gives the item once that is done (Scrapy awaits it, and fetches meanwhile)."""
        if not isinstance(item, Listing | Post):
            return item
        lang = item.language_hint if isinstance(item, Post) else None
        text = text_of(item)
        # The month is part of the key: offers in the text are converted at the rates of the day the text was first
        # extracted that month (tier offers below at the day's); the summary's version too (SUMMARY_VERSION), and
        # whether the recogniser ran.
        rules = "" if self.recogniser else "\x1frules"
        key = hashlib.sha1(f"{SUMMARY_VERSION}\x1f{lang}\x1f{item.seen_at[:7]}\x1f{text}{rules}".encode()).hexdigest()
        summary = self.cache.get(key) or self._stored(item, key)
        day = item.seen_at[:10]
        if self.batches is None:
            extracted = summary is None
            if summary is None:
                summary = self._extract(text, lang, date.fromisoformat(day))
            return self._complete(item, key, summary, extracted, tier_quantity)
        labels = tuple({p.quantity or "": None for p in item.prices if (p.quantity or "") not in self.quantities}
                       if isinstance(item, Listing) else ())  # fmt: skip
        if summary is not None and not labels:
            return self._complete(item, key, summary, False, self.quantities.__getitem__)
        return self._after_worker(item, key, summary, Job(None if summary else text, lang, day, labels))

    async def _after_worker(self, item: Listing | Post, key: str, summary: dict[str, Any] | None, job: Job) -> Any:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.defer import Deferred

        assert self.batches is not None
        done: Deferred[Done | BaseException] = Deferred()
        self.batches.add(job, done.callback)
        result = await maybe_deferred_to_future(done)
        if isinstance(result, BaseException):
            raise result
        self.quantities.update(result.quantities)
        extracted = summary is None and key not in self.cache  # the same text twice in one batch: extracted once
        return self._complete(item, key, summary or self.cache.get(key) or result.summary, extracted,
                              self.quantities.__getitem__)  # fmt: skip

    def _complete(
        self,
        item: Listing | Post,
        key: str,
        found: dict[str, Any] | None,
        extracted: bool,
        quantity: Callable[[str], Quantity],
    ) -> Listing | Post:
        """Set ``item.nlp`` from the summary of its text (extracted now, or reused) and its price tiers."""
        assert found is not None
        summary = found
        if extracted:
            summary = {**summary, "text_hash": key}
        self._count("npswatch/enrich/extracted" if extracted else "npswatch/enrich/reused")
        self._remember(key, summary)
        day = date.fromisoformat(item.seen_at[:10])
        if isinstance(item, Listing) and item.prices:  # structured tiers beat offers guessed from text
            summary = with_offers(summary, tier_offers(item, day, self._rates(), quantity))
        self._check_rates(summary["offers"], item.seen_at[:10])
        item.nlp = summary
        return item

    def _worker_failed(self, jobs: int, exc: BaseException) -> None:
        self._count("npswatch/enrich/worker_failed", jobs)
        logger.warning("The extraction worker failed (%r): %d item(s) extracted in the crawl's process", exc, jobs)

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
            self._close_storage()
            return None
        if doc is None or doc.get("text_hash") != key:
            return None
        return {name: doc.get(name) for name in SUMMARY_FIELDS}

    def _extract(self, text: str, lang: str | None, day: date) -> dict[str, Any]:
        import nlp

        return summarise(nlp.extract(text, lang, date=day, rates=self._rates(), recogniser=self.recogniser))

    def _rates(self) -> RateTable:
        if self.rates is None:
            raise RuntimeError("EnrichPipeline.open_spider() loads the rates table: call it before process_item()")
        return self.rates

    def _count(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)


CURRENCY_PREFERENCE = ("EUR", "USD", "GBP", "BTC", "XMR")  # one price per tier: fiat first, as offered


def tier_offers(
    listing: Listing,
    day: date,
    rates: RateTable,
    quantity: Callable[[str], Quantity] | None = None,
) -> list[dict[str, Any]]:
    """Offers from a listing's structured price tiers (quantity label + price), in EUR per gram; ``quantity`` gives a
    label's quantity (default :func:`tier_quantity`)."""
    chosen: dict[str | None, Any] = {}
    for price in listing.prices:
        current = chosen.get(price.quantity)
        if current is None or _rank(price.currency) < _rank(current.currency):
            chosen[price.quantity] = price
    return [_tier_offer(quantity or tier_quantity, p.quantity, float(p.amount), p.currency, day, rates)
            for p in chosen.values()]  # fmt: skip


def _tier_offer(
    quantity: Callable[[str], Quantity],
    label: str | None,
    amount: float,
    currency: str,
    day: date,
    rates: RateTable,
) -> dict[str, Any]:
    grams, units = quantity(label or "")
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
def tier_quantity(label: str) -> Quantity:
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
