"""The demo: local sites in a child process, every demo source crawled over the simulated days."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any


@contextmanager
def demo_sites_process(sites: list[str] | None = None) -> Iterator[dict[str, str]]:
    """Serve the demo sites on free ports in a child process; yield site name -> base URL.

    A separate process keeps the sites from competing with the crawler for the GIL.
    """
    cmd = [sys.executable, "-m", "npswatch.cli", "demo-sites", "--free-ports", "--json"]
    for site in sites or []:
        cmd += ["--site", site]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            raise RuntimeError(f"the demo sites did not start (exit code {child.wait()})")
        yield json.loads(line)
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def demo_days(start: date, days: int, step: int = 1) -> list[str]:
    return [(start + timedelta(days=offset)).isoformat() for offset in range(0, days, step)]


def run_demo(db: str, days: int | None, step: int, console: Any) -> int:
    """Serve the sites, crawl each demo source on each simulated day, print what was stored."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from crawlers.config import find_source
    from demosites.server import SITES, env_var
    from demosites.timeline import DAYS, START
    from npswatch.crawl import CrawlJob, CrawlReport, run_crawls
    from npswatch.report import print_report

    span = demo_days(START, min(days or DAYS, DAYS), step)
    failed: list[CrawlReport] = []
    with demo_sites_process(list(SITES)) as urls:
        os.environ.update({env_var(site): url for site, url in urls.items()})
        jobs = [CrawlJob(find_source(site), day) for day in span for site in urls]
        console.print(f"Crawling {len(urls)} demo sources over {len(span)} simulated days "
                      f"({span[0]} to {span[-1]}), storing into {db}")  # fmt: skip
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("crawling", total=len(jobs))

            def done(report: CrawlReport) -> None:
                progress.update(task, advance=1, description=f"{report.source} {report.as_of}")
                if not report.ok:
                    failed.append(report)
                    print_report(report, progress.console)

            run_crawls(jobs, overrides={"NPSWATCH_DB": db}, on_done=done)
    print_store_summary(db, console)
    return 1 if failed else 0


def print_store_summary(db: str, console: Any) -> None:
    from rich.table import Table

    from storage import open_storage

    store = open_storage(db)
    try:
        counts = store.stats()["per_source_kind"]
    finally:
        store.close()
    table = Table("source", "listings", "posts", "vendors", title=f"stored in {db}")
    for source, kinds in sorted(counts.items()):
        table.add_row(source, *(str(kinds.get(k, 0)) for k in ("listing", "post", "vendor")))
    console.print(table)
    console.print('Search it: npswatch search "3-mmc" --facet source   (add --json for JSON)')
    console.print("One document and its price history: npswatch show ID")
