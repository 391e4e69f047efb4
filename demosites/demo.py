"""The demo: local sites in child processes, every demo source crawled over the simulated days.

``python -m demosites.demo [SITE...] [--free-ports] [--json]`` serves sites until SIGTERM or Ctrl-C (what
``npswatch demo-sites`` and each child of ``demo_sites_process`` run).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from storage import data_dir


@contextmanager
def demo_sites_process(sites: list[str], env: dict[str, str] | None = None) -> Iterator[dict[str, str]]:
    """Serve each demo site on a free port in its own child process; yield site name -> base URL.

    Separate processes keep the sites from competing with the crawler (and each other) for the GIL.
    ``env`` is added to the children's environment (``NPSWATCH_DEMO_FAULTS``).
    """
    children: list[subprocess.Popen[str]] = []
    urls: dict[str, str] = {}
    try:
        for site in sites:
            cmd = [sys.executable, "-m", "demosites.demo", "--free-ports", "--json", site]
            child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
            children.append(child)
        for site, child in zip(sites, children, strict=True):
            assert child.stdout is not None
            line = child.stdout.readline()
            if not line:
                raise RuntimeError(f"the demo site {site} did not start (exit code {child.wait()})")
            urls.update(json.loads(line))
        yield urls
    finally:
        for child in children:
            _stop(child)


def serve_sites(sites: Sequence[str] = (), host: str = "127.0.0.1", free_ports: bool = False, as_json: bool = False,
                say: Callable[[str], None] = print) -> None:  # fmt: skip
    """Serve the demo sites (all when ``sites`` is empty) until SIGTERM or Ctrl-C; say where each one is, or print
    ``{site: url}`` as one JSON line (``as_json``)."""
    from demosites.server import DemoSites

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with DemoSites(sites=sites or None, host=host, free_ports=free_ports) as running:
        if as_json:
            print(json.dumps(running.urls), flush=True)
        else:
            for name, url in running.urls.items():
                say(f"{name:16} {url}")
            say("Ctrl-C to stop.")
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


def _stop(child: subprocess.Popen[str]) -> None:
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def demo_days(start: date, days: int, step: int = 1) -> list[str]:
    return [(start + timedelta(days=offset)).isoformat() for offset in range(0, days, step)]


def run_demo(db: str, days: int | None, step: int, console: Any) -> int:
    """Serve the sites (with the fault scenario), crawl each demo source on each simulated day, check each crawl's
    health, print what was stored and the health signals raised.

    The faults come from ``NPSWATCH_DEMO_FAULTS`` when it is set (empty: none), else ``demosites.timeline.SCENARIO``.
    """
    from crawlers.config import find_source
    from crawlers.run import CrawlJob, CrawlReport, print_report, run_crawls
    from demosites.demo_health import DemoHealth, compare, expectations, fault_days, print_health
    from demosites.server import SITES, env_var
    from demosites.timeline import DAYS, FAULTS_ENV, START, faults_for, parse_faults
    from signals.report import run_and_list

    fault_text = os.environ.get(FAULTS_ENV, "scenario")
    try:
        faults = parse_faults(fault_text)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 2
    span = demo_days(START, min(days or DAYS, DAYS), step)
    failed: list[CrawlReport] = []
    logging.getLogger("health").setLevel(logging.ERROR)  # the summary lists the health signals, once each
    with demo_sites_process(list(SITES), {FAULTS_ENV: fault_text}) as urls:
        os.environ.update({env_var(site): url for site, url in urls.items()})
        sources = {site: find_source(site) for site in urls}  # after the URLs are set: the files read them
        health = DemoHealth(data_dir(), db, sources)
        jobs = [CrawlJob(sources[site], day) for day in span for site in urls]
        scripted = "; ".join(f"{f.site} {f.kind} days {fault_days(f.days)}" for f in faults) or "none"
        console.print(f"Crawling {len(urls)} demo sources over {len(span)} simulated days "
                      f"({span[0]} to {span[-1]}), storing into {db}; scripted faults: {scripted}")  # fmt: skip
        with DemoProgress(console, len(jobs), len(urls)) as progress:

            def done(report: CrawlReport) -> None:
                progress.advance(report)
                health.check(report)
                day = (date.fromisoformat(report.as_of or span[0]) - START).days
                if not report.ok and not faults_for(report.source, day, faults):  # a fault's failure is expected
                    failed.append(report)
                    print_report(report, console)

            run_crawls(jobs, overrides={"NPSWATCH_DB": db}, on_done=done, parallel=True)
    print_store_summary(db, console)
    comparison = compare(*expectations(faults, span, sources), list(health.episodes.values()))
    print_health(comparison, console)
    console.print(f"Early-warning signals as of {span[-1]} (npswatch signals list / show ID):")
    signals_code = run_and_list(db, console, date.fromisoformat(span[-1]))
    print_workbench(db, console)
    return 1 if failed or signals_code or not comparison.ok else 0


DEMO_USER = "demo"


def print_workbench(db: str, console: Any) -> str:
    """Make (or reset) the demo's analyst account and say how to open the workbench on the demo data; the password
    is ``$NPSWATCH_DEMO_PASSWORD`` or a random one, printed this once.  Returns the password."""
    import secrets

    from web.accounts import Accounts
    from web.config import WebConfig, demo_password

    config = WebConfig.from_env(db)
    accounts = Accounts(config.users_db)
    password = demo_password() or secrets.token_urlsafe(12)
    if accounts.user(DEMO_USER) is None:
        accounts.add_user(DEMO_USER, "analyst", password)
    else:
        accounts.set_password(DEMO_USER, password)
    shown = "the password in NPSWATCH_DEMO_PASSWORD" if demo_password() else f"password {password}"
    console.print(f"Open the workbench on the demo data: .venv/bin/npswatch serve --db {db}   then "
                  f"http://127.0.0.1:8000/ and log in as {DEMO_USER}, {shown} (an analyst account for the demo "
                  f"data only: npswatch users remove {DEMO_USER} deletes it; docs/web.md)")  # fmt: skip
    return password


class DemoProgress:
    """A progress bar on a terminal; one line per simulated day elsewhere (CI logs, pipes)."""

    def __init__(self, console: Any, total: int, per_day: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = console
        self.per_day = per_day
        self.done = 0
        self.total = total
        self.items = 0
        self.started = time.monotonic()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.bar = Progress(*columns, console=console) if console.is_terminal else None
        self.task = self.bar.add_task("crawling", total=total) if self.bar else None

    def __enter__(self) -> DemoProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, report: Any) -> None:
        self.done += 1
        self.items += sum(report.items.values())
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=1, description=f"{report.source} {report.as_of}")
        elif self.done % self.per_day == 0 or self.done == self.total:
            elapsed = time.monotonic() - self.started
            self.console.print(f"  day {report.as_of}: {self.done}/{self.total} crawls, "
                               f"{self.items} items seen, {elapsed:.0f}s")  # fmt: skip


def print_store_summary(db: str, console: Any) -> None:
    from rich.table import Table

    from storage import open_storage
    from storage.base import SearchQuery

    store = open_storage(db)
    try:
        sources = store.search(SearchQuery(facets=["source"], limit=0)).facets.get("source", {})
        counts = {s: store.search(SearchQuery(sources=[s], facets=["kind"], limit=0)).facets["kind"] for s in sources}
    finally:
        store.close()
    table = Table("source", "listings", "posts", "vendors", title=f"stored in {db}")
    for source, kinds in sorted(counts.items()):
        table.add_row(source, *(str(kinds.get(k, 0)) for k in ("listing", "post", "vendor")))
    console.print(table)
    console.print('Search it: npswatch search "3-mmc" --facet source   (add --json for JSON)')
    console.print("One document and its price history: npswatch show ID")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the npswatch demo sites until SIGTERM or Ctrl-C.")
    parser.add_argument("sites", nargs="*", help="sites to serve (default: all)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--free-ports", action="store_true", help="pick free ports instead of the defaults")
    parser.add_argument("--json", action="store_true", help="print the site URLs as one JSON line")
    args = parser.parse_args(argv)
    serve_sites(args.sites, args.host, args.free_ports, args.json)


if __name__ == "__main__":
    main()
