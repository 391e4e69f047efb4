"""Scrapy settings for npswatch: every default in one place, each with what it is for.

Settings of npswatch's own components carry the ``NPSWATCH_`` prefix.  Per-source values
(politeness, depth) come from the source file and are applied by ``source_settings``.
Secrets never have a default here: they come from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from storage import default_target
from storage.deadletter import fallback_path

BOT_NAME = "npswatch"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# --- npswatch --------------------------------------------------------------------------
# Where the store, WARC files and job state live (env NPSWATCH_DATA_DIR, default ./var).
NPSWATCH_DATA_DIR = os.environ.get("NPSWATCH_DATA_DIR", "var")
# The storage target: a SQLite path (env NPSWATCH_DB, default <data dir>/npswatch.sqlite3).
NPSWATCH_DB = default_target()
# Directory for WARC evidence files, one sub-directory per source.
NPSWATCH_WARC_DIR = str(Path(NPSWATCH_DATA_DIR) / "warc")
# Start a new WARC file once the current one passes this many bytes (compressed).
NPSWATCH_WARC_MAX_BYTES = 100 * 1024 * 1024
# Gzip level of WARC records (one gzip member each), 1-9: zlib's default 6, as web archives write them.
NPSWATCH_WARC_GZIP_LEVEL = 6
# Documents written to the store per transaction.
NPSWATCH_STORE_BATCH = 200
# Seconds an item waits in the store's buffer at most: the buffer is written this often even when not full, so a
# crawl killed at once loses at most this much (env NPSWATCH_STORE_FLUSH_SECONDS; 0: only full batches and at close).
NPSWATCH_STORE_FLUSH_SECONDS = float(os.environ.get("NPSWATCH_STORE_FLUSH_SECONDS", "2"))
# Where documents the store refuses go when <data dir>/dead-letter/store.jsonl cannot be written (a full or
# read-only disk): best on another disk (env NPSWATCH_DEAD_LETTER_FALLBACK, default ~/.local/state/npswatch/...).
NPSWATCH_DEAD_LETTER_FALLBACK = os.environ.get("NPSWATCH_DEAD_LETTER_FALLBACK") or str(fallback_path())
# Run extraction (pipelines.enrich) on every listing and post before storing it (env NPSWATCH_ENRICH=0: off).
NPSWATCH_ENRICH = os.environ.get("NPSWATCH_ENRICH", "1") != "0"
# The simulated day sent to the demo sites (`--as-of`); None means today, and no header.
NPSWATCH_AS_OF: str | None = None

# --- bounds (docs/sources.md#bounds) ----------------------------------------------------
# Pages one crawl fetches at most: the source file's required max_pages, set per crawl by source_settings.
NPSWATCH_MAX_PAGES: int | None = None
# Requests one crawl sends to one host:port at most, retries, redirects and robots.txt included (0: no bound).
NPSWATCH_HOST_REQUEST_BUDGET = int(os.environ.get("NPSWATCH_HOST_REQUEST_BUDGET", "20000"))
# Longest wait, in seconds, a site's Retry-After (on 429 and 503) is honoured for; longer asks are cut to it (0: off).
NPSWATCH_RETRY_AFTER_MAX = float(os.environ.get("NPSWATCH_RETRY_AFTER_MAX", "120"))

# --- scheduler (docs/scheduler.md) -----------------------------------------------------
# Seconds one scheduled crawl may run before it is stopped (SIGTERM, then SIGKILL) (env NPSWATCH_CRAWL_TIMEOUT).
NPSWATCH_CRAWL_TIMEOUT = float(os.environ.get("NPSWATCH_CRAWL_TIMEOUT", str(4 * 3600)))
# Seconds a crawl asked to stop (timeout, scheduler shutdown) gets to checkpoint before it is killed.
NPSWATCH_CRAWL_STOP_GRACE = float(os.environ.get("NPSWATCH_CRAWL_STOP_GRACE", "120"))
# Seconds after its time a missed run still starts (e.g. the scheduler was down); later, it is recorded as missed.
NPSWATCH_MISFIRE_GRACE = int(os.environ.get("NPSWATCH_MISFIRE_GRACE", "3600"))
# Crawls the scheduler runs at the same time (each in its own process; one per source at most).
NPSWATCH_SCHEDULER_WORKERS = int(os.environ.get("NPSWATCH_SCHEDULER_WORKERS", "2"))

# --- Tor (docs/tor.md) -----------------------------------------------------------------
# Host of the Tor SOCKS and control ports (env NPSWATCH_TOR_HOST; the service name under docker compose).
NPSWATCH_TOR_HOST = os.environ.get("NPSWATCH_TOR_HOST", "127.0.0.1")
# SOCKS port of each Tor instance of the pool, comma-separated (env NPSWATCH_TOR_SOCKS_PORTS).
NPSWATCH_TOR_SOCKS_PORTS = os.environ.get("NPSWATCH_TOR_SOCKS_PORTS", "9050")
# Control port of each instance, in the same order (env NPSWATCH_TOR_CONTROL_PORTS).  The control password
# or cookie path come only from the environment: NPSWATCH_TOR_CONTROL_PASSWORD, NPSWATCH_TOR_CONTROL_COOKIE.
NPSWATCH_TOR_CONTROL_PORTS = os.environ.get("NPSWATCH_TOR_CONTROL_PORTS", "9051")
# Launch a Tor per instance (data dir <data dir>/tor/<n>) when none answers (env NPSWATCH_TOR_LAUNCH=1).
NPSWATCH_TOR_LAUNCH = os.environ.get("NPSWATCH_TOR_LAUNCH", "0") == "1"
# The tor binary launched then (env NPSWATCH_TOR_BINARY).
NPSWATCH_TOR_BINARY = os.environ.get("NPSWATCH_TOR_BINARY", "tor")
# Seconds to wait for Tor's bootstrap to reach 100% before a Tor crawl fails (no request is sent before).
NPSWATCH_TOR_BOOTSTRAP_TIMEOUT = float(os.environ.get("NPSWATCH_TOR_BOOTSTRAP_TIMEOUT", "120"))
# Seconds a Tor source backs off after its first crawl with no page fetched; doubled per failed crawl (0: off).
NPSWATCH_TOR_BACKOFF_BASE = float(os.environ.get("NPSWATCH_TOR_BACKOFF_BASE", "900"))
# Longest backoff, in seconds.
NPSWATCH_TOR_BACKOFF_MAX = 24 * 3600
# Each Tor source's status (up, down since, last error, backoff): a JSON file under the data dir.
NPSWATCH_TOR_STATUS_FILE = str(Path(NPSWATCH_DATA_DIR) / "tor" / "status.json")
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
