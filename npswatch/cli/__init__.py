"""The ``npswatch`` command: every entry point of the project, one module per command group.

``sources``, ``crawl``, ``schedule`` (and ``status``), ``tor``, ``search`` (``search``, ``show``, ``trend``),
``export``, ``extract``, ``rates``, ``demo`` (``demo-sites``, ``demo``), ``index``, ``signals``, ``web`` (``serve``,
``users``); what they share is in
``common``.  The commands parse and print; what they do lives in the packages (``crawlers.run``, ``demosites.demo``,
``signals.run``, ...).  Nothing else imports this package.

Exit codes: 0 success, 1 a crawl or operation failed, 2 bad input (a source file,
an argument).
"""

from __future__ import annotations

import click

from npswatch.cli import crawl, demo, export, extract, index, rates, schedule, search, signals, sources, tor, web


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="npswatch")
def main() -> None:
    """npswatch: watch markets and forums for new psychoactive substances."""


for command in (
    sources.sources,
    crawl.crawl,
    schedule.schedule,
    schedule.status,
    tor.tor,
    search.search,
    search.show,
    export.export,
    extract.extract,
    rates.rates,
    demo.demo_sites,
    demo.demo,
    index.index,
    search.trend,
    signals.signals,
    web.serve,
    web.users,
):
    main.add_command(command)
