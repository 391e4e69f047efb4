"""Scrapy settings for npswatch: every default in one place, each with what it is for.

Settings of npswatch's own components carry the ``NPSWATCH_`` prefix.  Per-source values
(politeness, depth) come from the source file and are applied by ``source_settings``.
The values the environment decides (the data dir, the store, Tor; docs/settings.md) come from
``npswatch.settings``, the one module that reads it: ``from_environment`` reads them again each time a
crawl's settings are built (``crawlers.run.crawl_settings``), the names below hold what they were at import.
Secrets never have a default here: they come from the environment.
"""

from __future__ import annotations

from typing import Any

from npswatch import settings

BOT_NAME = "npswatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"


def from_environment() -> dict[str, Any]:
    """The settings the environment decides, read now (see the names below for what each one is)."""
    data = settings.data_dir()
    return {
        "NPSWATCH_DATA_DIR": str(data),
        "NPSWATCH_DB": settings.db_target(),
        "NPSWATCH_WARC_DIR": str(data / "warc"),
        "NPSWATCH_ENRICH": settings.enrich(),
        "NPSWATCH_RECOGNISER": settings.recogniser(),
        "NPSWATCH_ENRICH_WORKER": settings.enrich_worker(),
        "NPSWATCH_STORE_FLUSH_SECONDS": settings.store_flush_seconds(),
        "NPSWATCH_DEAD_LETTER_FALLBACK": str(settings.dead_letter_fallback()),
        "NPSWATCH_HOST_REQUEST_BUDGET": settings.host_request_budget(),
        "NPSWATCH_RETRY_AFTER_MAX": settings.retry_after_max(),
        "NPSWATCH_TOR_HOST": settings.tor_host(),
        "NPSWATCH_TOR_SOCKS_PORTS": settings.tor_socks_ports(),
        "NPSWATCH_TOR_CONTROL_PORTS": settings.tor_control_ports(),
        "NPSWATCH_TOR_LAUNCH": settings.tor_launch(),
        "NPSWATCH_TOR_BINARY": settings.tor_binary(),
        "NPSWATCH_TOR_BOOTSTRAP_TIMEOUT": settings.tor_bootstrap_timeout(),
        "NPSWATCH_TOR_BACKOFF_BASE": settings.tor_backoff_base(),
        "NPSWATCH_TOR_STATUS_FILE": str(data / "tor" / "status.json"),
    }


def project_settings() -> Any:
    """This module's settings as Scrapy reads them, with the environment's values read now."""
    import sys

    from scrapy.settings import Settings

    found = Settings()
    found.setmodule(sys.modules[__name__], priority="project")
    found.update(from_environment(), priority="project")
    return found


_ENVIRONMENT = from_environment()

# --- npswatch --------------------------------------------------------------------------
# Where the store, WARC files and job state live (env NPSWATCH_DATA_DIR, default ./var).
NPSWATCH_DATA_DIR: str = _ENVIRONMENT["NPSWATCH_DATA_DIR"]
# The storage target: a SQLite path or a cluster URL (env NPSWATCH_DB, default <data dir>/npswatch.sqlite3).
NPSWATCH_DB: str = _ENVIRONMENT["NPSWATCH_DB"]
# Directory for WARC evidence files, one sub-directory per source (<data dir>/warc).
NPSWATCH_WARC_DIR: str = _ENVIRONMENT["NPSWATCH_WARC_DIR"]
# Start a new WARC file once the current one passes this many bytes (compressed).
NPSWATCH_WARC_MAX_BYTES = 100 * 1024 * 1024
# Gzip level of WARC records (one gzip member each), 1-9: zlib's default 6, as web archives write them.
NPSWATCH_WARC_GZIP_LEVEL = 6
# Documents written to the store per transaction.
NPSWATCH_STORE_BATCH = 200
# Seconds an item waits in the store's buffer at most: the buffer is written this often even when not full, so a
# crawl killed at once loses at most this much (env NPSWATCH_STORE_FLUSH_SECONDS; 0: only full batches and at close).
NPSWATCH_STORE_FLUSH_SECONDS: float = _ENVIRONMENT["NPSWATCH_STORE_FLUSH_SECONDS"]
# Where documents the store refuses go when <data dir>/dead-letter/store.jsonl cannot be written (a full or
# read-only disk): best on another disk (env NPSWATCH_DEAD_LETTER_FALLBACK, default ~/.local/state/npswatch/...).
NPSWATCH_DEAD_LETTER_FALLBACK: str = _ENVIRONMENT["NPSWATCH_DEAD_LETTER_FALLBACK"]
# Run extraction (pipelines.enrich) on every listing and post before storing it (env NPSWATCH_ENRICH=0: off).
NPSWATCH_ENRICH: bool = _ENVIRONMENT["NPSWATCH_ENRICH"]
# Run the trained recogniser beside the extraction rules (env NPSWATCH_RECOGNISER=0: the rules only).
NPSWATCH_RECOGNISER: bool = _ENVIRONMENT["NPSWATCH_RECOGNISER"]
# Extract in a worker process while the crawl goes on fetching (pipelines.worker; env NPSWATCH_ENRICH_WORKER=0: on
# the crawl's own thread, fetching waiting for it).
NPSWATCH_ENRICH_WORKER: bool = _ENVIRONMENT["NPSWATCH_ENRICH_WORKER"]
# The simulated day sent to the demo sites (`--as-of`); None means today, and no header.
NPSWATCH_AS_OF: str | None = None

# --- bounds (docs/sources.md#bounds) ----------------------------------------------------
# Pages one crawl fetches at most: the source file's required max_pages, set per crawl by source_settings.
NPSWATCH_MAX_PAGES: int | None = None
# Requests one crawl sends to one host:port at most, retries, redirects and robots.txt included (0: no bound).
NPSWATCH_HOST_REQUEST_BUDGET: int = _ENVIRONMENT["NPSWATCH_HOST_REQUEST_BUDGET"]
# Longest wait, in seconds, a site's Retry-After (on 429 and 503) is honoured for; longer asks are cut to it (0: off).
NPSWATCH_RETRY_AFTER_MAX: float = _ENVIRONMENT["NPSWATCH_RETRY_AFTER_MAX"]

# --- Tor (docs/tor.md) -----------------------------------------------------------------
# Host of the Tor SOCKS and control ports (env NPSWATCH_TOR_HOST; the service name under docker compose).
NPSWATCH_TOR_HOST: str = _ENVIRONMENT["NPSWATCH_TOR_HOST"]
# SOCKS port of each Tor instance of the pool, comma-separated (env NPSWATCH_TOR_SOCKS_PORTS).
NPSWATCH_TOR_SOCKS_PORTS: str = _ENVIRONMENT["NPSWATCH_TOR_SOCKS_PORTS"]
# Control port of each instance, in the same order (env NPSWATCH_TOR_CONTROL_PORTS).  The control password
# or cookie path come only from the environment: NPSWATCH_TOR_CONTROL_PASSWORD, NPSWATCH_TOR_CONTROL_COOKIE.
NPSWATCH_TOR_CONTROL_PORTS: str = _ENVIRONMENT["NPSWATCH_TOR_CONTROL_PORTS"]
# Launch a Tor per instance (data dir <data dir>/tor/<n>) when none answers (env NPSWATCH_TOR_LAUNCH=1).
NPSWATCH_TOR_LAUNCH: bool = _ENVIRONMENT["NPSWATCH_TOR_LAUNCH"]
# The tor binary launched then (env NPSWATCH_TOR_BINARY).
NPSWATCH_TOR_BINARY: str = _ENVIRONMENT["NPSWATCH_TOR_BINARY"]
# Seconds to wait for Tor's bootstrap to reach 100% before a Tor crawl fails (no request is sent before).
NPSWATCH_TOR_BOOTSTRAP_TIMEOUT: float = _ENVIRONMENT["NPSWATCH_TOR_BOOTSTRAP_TIMEOUT"]
# Seconds a Tor source backs off after its first crawl with no page fetched; doubled per failed crawl (0: off).
NPSWATCH_TOR_BACKOFF_BASE: float = _ENVIRONMENT["NPSWATCH_TOR_BACKOFF_BASE"]
# Longest backoff, in seconds.
NPSWATCH_TOR_BACKOFF_MAX = 24 * 3600
# Each Tor source's status (up, down since, last error, backoff): a JSON file under the data dir.
NPSWATCH_TOR_STATUS_FILE: str = _ENVIRONMENT["NPSWATCH_TOR_STATUS_FILE"]
# The download handler of Tor sources: the one Scrapy handler with SOCKS support (extra scrapy[httpx]).
NPSWATCH_TOR_DOWNLOAD_HANDLER = "scrapy.core.downloader.handlers._httpx.HttpxDownloadHandler"

# --- politeness and robustness for hostile, slow sites ---------------------------------
ROBOTSTXT_OBEY = True  # obey robots.txt where a site has one
USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"  # Tor Browser's
COOKIES_ENABLED = True  # sessions imported from a person's login need cookies
TELNETCONSOLE_ENABLED = False  # never open a console port
DOWNLOAD_TIMEOUT = 60  # seconds; Tor sources get longer (see source_settings)
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # refuse pages over 8 MiB (hostile or broken sites)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024  # log pages over 2 MiB
RETRY_ENABLED = True
RETRY_TIMES = 3  # on top of the first try
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 8  # overridden by the source's max_depth
DEPTH_PRIORITY = 1  # breadth-first: list pages before deep pages
# With a job directory (`npswatch crawl --resume`), requests are journalled in SQLite so that a crawl killed at any
# point resumes without losing or refetching a stored page (crawlers/journal.py); without one, Scrapy's scheduler.
SCHEDULER = "crawlers.journal.JournalScheduler"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
AUTOTHROTTLE_ENABLED = True  # adapt the delay to the site's latency
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
# A page's items and links handled at once.  The pipelines are synchronous, so more gains nothing, while
# Scrapy starts one asyncio task per slot for every response (Scrapy's default 100: ~1 ms of CPU per page).
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # overridden by the source's politeness
DOWNLOAD_DELAY = 2.0  # overridden by the source's politeness
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% random variation of the delay
# Only http and https: the other download handlers are switched off.
DOWNLOAD_HANDLERS: dict[str, str | None] = {"ftp": None, "s3": None, "file": None, "data": None}
DNS_TIMEOUT = 30
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

# Scrapy's SpiderState keeps ``spider.state`` in JOBDIR; the spiders keep no state (the request journal is what a
# resumed crawl continues from, crawlers.journal), and its file would take the umask's mode in the private job dir.
EXTENSIONS: dict[str, int | None] = {"scrapy.extensions.spiderstate.SpiderState": None}

DOWNLOADER_MIDDLEWARES = {
    # Tor sources: each request gets Tor's SOCKS proxy and the source's isolation key; clear-web hosts refused.
    "crawlers.tor.proxy.TorProxyMiddleware": 40,
    # Refuses requests that leave the source's own hosts or aim at private addresses.
    "crawlers.middlewares.SourceScopeMiddleware": 50,
    # Sends the demo sites the simulated day.
    "crawlers.middlewares.AsOfHeaderMiddleware": 60,
    # After robots.txt (100): refuses pages past the source's max_pages and requests past a host's budget.
    "crawlers.middlewares.RequestBudgetMiddleware": 120,
    # After RetryMiddleware (550): a 429/503 with Retry-After holds the host's next requests (the retry too).
    "crawlers.middlewares.RetryAfterMiddleware": 560,
    # After RedirectMiddleware (600): a redirect to a Location that is no fetchable URL is refused and counted.
    "crawlers.middlewares.RedirectCheckMiddleware": 610,
    # Writes every request and response to WARC before decompression (the bytes as received).
    "crawlers.warc.WarcMiddleware": 800,
    # Tor sources: the last check before download; refuses any request that would not go through Tor.
    "crawlers.tor.guard.TorGuardMiddleware": 990,
}
ITEM_PIPELINES = {
    # Substances, offers in EUR per gram, effects and routes found by the nlp package.
    "pipelines.enrich.EnrichPipeline": 800,
    # Batched, idempotent writes to the store; a dead-letter file for what it refuses.
    "pipelines.store.StorePipeline": 900,
}


def source_settings(source: Any, as_of: str | None = None) -> dict[str, Any]:
    """The settings a crawl of one source overrides: politeness, depth, pages, timeouts, the simulated day."""
    politeness = source.politeness
    values: dict[str, Any] = {
        "DOWNLOAD_DELAY": politeness.delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": politeness.concurrency,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "AUTOTHROTTLE_ENABLED": politeness.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(politeness.delay, 0.5),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(politeness.concurrency),
        "DOWNLOAD_DELAY_JITTER": 0.5 if politeness.delay > 0 else 0,
        "DEPTH_LIMIT": source.max_depth,
        "NPSWATCH_MAX_PAGES": source.max_pages,
        "NPSWATCH_AS_OF": as_of,
    }
    if source.tor:
        values["DOWNLOAD_TIMEOUT"] = 180
        tor_handler = NPSWATCH_TOR_DOWNLOAD_HANDLER  # SOCKS: the default handler cannot reach Tor
        values["DOWNLOAD_HANDLERS"] = {**DOWNLOAD_HANDLERS, "http": tor_handler, "https": tor_handler}
    return values
