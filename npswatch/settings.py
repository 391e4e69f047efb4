"""Every ``NPSWATCH_*`` environment variable, read here and nowhere else (docs/settings.md lists the same table).

``VARIABLES`` declares each one once: its name, its default and what it means; secrets have no default.  The
functions below read the environment when they are called, never at import, so a changed environment (a test, the
demo naming its sites) is seen by the next call.  This module imports nothing of the project: every layer may use it
(except ``nlp``, which takes its configuration as arguments).

Two kinds of names are not here: the Scrapy settings that carry the ``NPSWATCH_`` prefix without being environment
variables (``NPSWATCH_WARC_MAX_BYTES``, ``NPSWATCH_STORE_BATCH``...: ``crawlers/settings.py``), and the
``${VARIABLE}`` references a source file may contain, which the source loader fills from the environment
(docs/sources.md), such as the demo's ``NPSWATCH_DEMO_<SITE>_URL``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """An environment variable whose value cannot be used; the message names it and says what was expected."""


@dataclass(frozen=True)
class Variable:
    name: str
    meaning: str
    default: str | None = None  # the value an unset (or empty) variable stands for; secrets never have one
    shown: str | None = None  # the default in words, where it is not one value (docs/settings.md shows this)
    secret: bool = False


VARIABLES: tuple[Variable, ...] = (
    # where things are
    Variable("NPSWATCH_DATA_DIR", "where the store, WARC files, run history, job state and signals live", "var"),
    Variable("NPSWATCH_DB", "the storage target: a SQLite file, or a cluster URL (docs/search-cluster.md)",
             shown="<data dir>/npswatch.sqlite3"),
    Variable("NPSWATCH_SOURCES_DIR", "where source files are read from", shown="crawlers/sources"),
    Variable("NPSWATCH_SIGNALS_DB", "the signal store's file", shown="beside the store (docs/signals.md#storage)"),
    Variable("NPSWATCH_RATES_FILE", "the exchange-rate table crawls and npswatch extract convert with, and that "
             "npswatch rates update writes", shown="<data dir>/rates.csv if npswatch rates update wrote it, else the "
             "snapshot shipped in nlp/data/rates.csv"),
    # crawling
    Variable("NPSWATCH_ENRICH", "0: store listings and posts without running extraction on them", "1"),
    Variable("NPSWATCH_RECOGNISER", "0: extraction (crawls, npswatch extract) without the trained recogniser, the rule "
             "components only", "1"),
    Variable("NPSWATCH_ENRICH_WORKER", "0: extraction on the crawl's own thread (fetching waits for it), not in a "
             "worker process beside the crawl", "1"),
    Variable("NPSWATCH_STORE_FLUSH_SECONDS",
             "the longest an item waits in the store's buffer (also written when full and at close); 0: full batches "
             "and close only (docs/settings.md#items-not-stored)", "2"),
    Variable("NPSWATCH_DEAD_LETTER_FALLBACK",
             "where documents the store did not take go when <data dir>/dead-letter/store.jsonl cannot be written "
             "(a full or read-only disk); best on another disk",
             shown="$XDG_STATE_HOME/npswatch/dead-letter/store.jsonl (~/.local/state without it)"),
    Variable("NPSWATCH_HOST_REQUEST_BUDGET",
             "requests one crawl sends to one host:port at most, retries, redirects and robots.txt included "
             "(0: no bound; docs/sources.md#bounds)", "20000"),
    Variable("NPSWATCH_RETRY_AFTER_MAX",
             "longest wait, in seconds, a site's Retry-After (429, 503) is honoured for; longer asks are cut to it "
             "(0: ignored)", "120"),
    # the scheduler (docs/scheduler.md)
    Variable("NPSWATCH_CRAWL_TIMEOUT", "seconds one scheduled crawl may run before it is stopped", "14400"),
    Variable("NPSWATCH_CRAWL_STOP_GRACE", "seconds a crawl asked to stop gets to checkpoint before SIGKILL", "120"),
    Variable("NPSWATCH_MISFIRE_GRACE", "seconds after its time a missed run still starts; later, it is missed", "3600"),
    Variable("NPSWATCH_SCHEDULER_WORKERS", "crawls the scheduler runs at the same time", "2"),
    # Tor (docs/tor.md)
    Variable("NPSWATCH_TOR_HOST", "host of the Tor SOCKS and control ports", "127.0.0.1"),
    Variable("NPSWATCH_TOR_SOCKS_PORTS", "SOCKS port of each Tor instance, comma-separated", "9050"),
    Variable("NPSWATCH_TOR_CONTROL_PORTS", "control port of each instance, in the same order", "9051"),
    Variable("NPSWATCH_TOR_LAUNCH", "1: launch a Tor per instance when none answers", "0"),
    Variable("NPSWATCH_TOR_BINARY", "the tor binary launched then", "tor"),
    Variable("NPSWATCH_TOR_BOOTSTRAP_TIMEOUT", "seconds to wait for Tor's bootstrap before a Tor crawl fails", "120"),
    Variable("NPSWATCH_TOR_BACKOFF_BASE",
             "seconds a Tor source backs off after a crawl with no page, doubled per failed crawl (0: off)", "900"),
    Variable("NPSWATCH_TOR_CONTROL_PASSWORD", "the Tor control port password", secret=True),
    Variable("NPSWATCH_TOR_CONTROL_COOKIE", "path of Tor's control auth cookie (instead of a password)", secret=True),
    # the search cluster (docs/search-cluster.md)
    Variable("NPSWATCH_ES_USERNAME", "cluster user (basic authentication)", secret=True),
    Variable("NPSWATCH_ES_PASSWORD", "cluster password", secret=True),
    Variable("NPSWATCH_ES_API_KEY", "cluster API key (wins over basic authentication)", secret=True),
    Variable("NPSWATCH_ES_CA_FILE", "CA certificate file for HTTPS to the cluster (a target's ca= wins)"),
    # signals and their delivery (docs/signals.md)
    Variable("NPSWATCH_ALERTS_CONFIG", "the delivery configuration file", shown="alerts.yml, when it exists"),
    Variable("NPSWATCH_WEBHOOK_SECRET", "Standard Webhooks signing secret (whsec_ + base64), required with a webhook",
             secret=True),
    Variable("NPSWATCH_SMTP_USERNAME", "SMTP login (no login when unset)", secret=True),
    Variable("NPSWATCH_SMTP_PASSWORD", "SMTP password", secret=True),
    Variable("NPSWATCH_MISP_KEY", "the MISP API key for npswatch signals export --format misp --push", secret=True),
    # the workbench (docs/web.md)
    Variable("NPSWATCH_USERS_DB", "the workbench's accounts, sessions and API token hashes (created 0600)",
             shown="<data dir>/users.sqlite3"),
    Variable("NPSWATCH_WEB_SECURE_COOKIES",
             "0: the workbench's session cookie without Secure, for a client on plain http on loopback only", "1"),
    Variable("NPSWATCH_WEB_SESSION_HOURS", "a workbench session ends this many hours after login", "12"),
    Variable("NPSWATCH_WEB_IDLE_MINUTES", "... or after this many minutes without a request", "60"),
    # exports (docs/export.md)
    Variable("NPSWATCH_PSEUDONYM_KEY", "the key of the export's pseudonyms (128 bits of entropy or more)", secret=True),
    # the demo (docs/demo-timeline.md)
    Variable("NPSWATCH_DEMO_PASSWORD", "the password of the demo's workbench account (make demo); random and printed "
             "once when unset", secret=True),
    Variable("NPSWATCH_DEMO_FAULTS", "the demo sites' faults: scenario, empty for none, or site:kind:days;...",
             shown="scenario for npswatch demo; none for the sites alone"),
    # installing: read by setup.py and the Makefile at install time only
    Variable("NPSWATCH_PURE_PYTHON", "install time only: 1 installs extraction without compiling it", "0"),
    Variable("NPSWATCH_SHARED_DIR", "make train and make eval only: the folder of third-party data sets (tripsit/, "
             "reddit_drug_ner/, psytar/), passed to them as --shared", shown="../shared/data beside the project"),
)  # fmt: skip
_BY_NAME = {v.name: v for v in VARIABLES}


def raw(name: str) -> str | None:
    """The variable as set (None when unset); ``name`` must be one of ``VARIABLES``."""
    if name not in _BY_NAME:
        raise KeyError(f"{name} is not an npswatch setting; expected one of {', '.join(_BY_NAME)}")
    return os.environ.get(name)


def _text(name: str) -> str:
    """The variable, or its default when it is unset or empty."""
    return raw(name) or _BY_NAME[name].default or ""


def _number(name: str, kind: type[float] | type[int]) -> float:
    value = _text(name)
    try:
        number = kind(value)
    except ValueError:
        raise SettingsError(f"{name}: expected {'a whole number' if kind is int else 'a number'}, found {value!r}"
                            ) from None  # fmt: skip
    if number < 0:
        raise SettingsError(f"{name}: expected a number of 0 or more, found {value!r}")
    return number


def _flag(name: str) -> bool:
    return _text(name).strip() not in ("", "0")


def _path(name: str) -> Path | None:
    value = raw(name)
    return Path(value).expanduser() if value else None


def secret(name: str) -> str | None:
    """A secret (a password, a key): from the environment only, None when unset."""
    if not _BY_NAME[name].secret:
        raise KeyError(f"{name} is not a secret")
    return raw(name) or None


def data_dir() -> Path:
    """Where npswatch keeps its data (store, WARC files, run history, signals): ``$NPSWATCH_DATA_DIR``, else ``var``."""
    return Path(_text("NPSWATCH_DATA_DIR"))


def db_target() -> str:
    """The storage target when none is given: ``$NPSWATCH_DB``, else ``<data dir>/npswatch.sqlite3``."""
    return raw("NPSWATCH_DB") or str(data_dir() / "npswatch.sqlite3")


def sources_dir() -> Path | None:
    """``$NPSWATCH_SOURCES_DIR``; None: the source files shipped in ``crawlers/sources``."""
    return _path("NPSWATCH_SOURCES_DIR")


def signals_db() -> Path | None:
    """``$NPSWATCH_SIGNALS_DB``; None: the signal file beside the store (``signals.store.signals_path``)."""
    return _path("NPSWATCH_SIGNALS_DB")


def rates_file() -> Path | None:
    """``$NPSWATCH_RATES_FILE``; None: the exchange rates shipped with nlp."""
    return _path("NPSWATCH_RATES_FILE")


def alerts_config() -> Path | None:
    """``$NPSWATCH_ALERTS_CONFIG``; None: ``alerts.yml`` in the working directory when it exists, else none."""
    return _path("NPSWATCH_ALERTS_CONFIG")


def ca_file() -> str | None:
    """``$NPSWATCH_ES_CA_FILE``: the CA certificate file for HTTPS to a cluster."""
    return raw("NPSWATCH_ES_CA_FILE") or None


def demo_faults() -> str | None:
    """``$NPSWATCH_DEMO_FAULTS`` as set (an empty value means no faults); None when unset."""
    return raw("NPSWATCH_DEMO_FAULTS")


def enrich() -> bool:
    """Whether a crawl runs extraction on what it stores (``NPSWATCH_ENRICH=0``: no)."""
    return _flag("NPSWATCH_ENRICH")


def recogniser() -> bool:
    """Whether extraction runs the trained recogniser beside the rules (``NPSWATCH_RECOGNISER=0``: no)."""
    return _flag("NPSWATCH_RECOGNISER")


def enrich_worker() -> bool:
    """Whether a crawl extracts in a worker process beside it (``NPSWATCH_ENRICH_WORKER=0``: on its own thread)."""
    return _flag("NPSWATCH_ENRICH_WORKER")


def store_flush_seconds() -> float:
    return _number("NPSWATCH_STORE_FLUSH_SECONDS", float)


def dead_letter_fallback() -> Path:
    """The second location of dead letters, for when the data directory's disk is full or read-only:
    ``$NPSWATCH_DEAD_LETTER_FALLBACK``, else ``$XDG_STATE_HOME/npswatch/dead-letter/store.jsonl`` (``~/.local/state``
    without it)."""
    chosen = _path("NPSWATCH_DEAD_LETTER_FALLBACK")
    if chosen is not None:
        return chosen
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "npswatch" / "dead-letter" / "store.jsonl"


def host_request_budget() -> int:
    return int(_number("NPSWATCH_HOST_REQUEST_BUDGET", int))


def retry_after_max() -> float:
    return _number("NPSWATCH_RETRY_AFTER_MAX", float)


def users_db() -> Path:
    """The workbench's accounts file: ``$NPSWATCH_USERS_DB``, else ``<data dir>/users.sqlite3``."""
    return _path("NPSWATCH_USERS_DB") or data_dir() / "users.sqlite3"


def web_secure_cookies() -> bool:
    return _text("NPSWATCH_WEB_SECURE_COOKIES").strip().lower() not in ("0", "false", "no")


def _positive(name: str) -> float:
    value = _number(name, float)
    if value <= 0:
        raise SettingsError(f"{name}: expected a number above 0, found {raw(name)!r}")
    return value


def web_session_hours() -> float:
    return _positive("NPSWATCH_WEB_SESSION_HOURS")


def web_idle_minutes() -> float:
    return _positive("NPSWATCH_WEB_IDLE_MINUTES")


def crawl_timeout() -> float:
    return _number("NPSWATCH_CRAWL_TIMEOUT", float)


def crawl_stop_grace() -> float:
    return _number("NPSWATCH_CRAWL_STOP_GRACE", float)


def misfire_grace() -> int:
    return int(_number("NPSWATCH_MISFIRE_GRACE", int))


def scheduler_workers() -> int:
    return max(1, int(_number("NPSWATCH_SCHEDULER_WORKERS", int)))


def tor_host() -> str:
    return _text("NPSWATCH_TOR_HOST")


def tor_socks_ports() -> str:
    return _text("NPSWATCH_TOR_SOCKS_PORTS")


def tor_control_ports() -> str:
    return _text("NPSWATCH_TOR_CONTROL_PORTS")


def tor_launch() -> bool:
    return _flag("NPSWATCH_TOR_LAUNCH")


def tor_binary() -> str:
    return _text("NPSWATCH_TOR_BINARY")


def tor_bootstrap_timeout() -> float:
    return _number("NPSWATCH_TOR_BOOTSTRAP_TIMEOUT", float)


def tor_backoff_base() -> float:
    return _number("NPSWATCH_TOR_BACKOFF_BASE", float)
