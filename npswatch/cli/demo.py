"""``npswatch demo-sites`` and ``npswatch demo``: the local demo sites and the demo crawl."""

from __future__ import annotations

import socket
import sys

import click

from npswatch.cli.common import check_store_target, fail, out, store_option


@click.command("demo-sites")
@click.option("--site", "sites", multiple=True, help="Serve only these sites (repeatable).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--free-ports", is_flag=True, help="Pick free ports instead of the defaults (8701-8705).")
@click.option("--json", "as_json", is_flag=True, help="Print the site URLs as one JSON line.")
def demo_sites(sites: tuple[str, ...], host: str, free_ports: bool, as_json: bool) -> None:
    """Serve the local demo sites (markets, forums, shop) until interrupted."""
    from demosites.demo import serve_sites

    try:
        serve_sites(sites, host, free_ports, as_json, out.print)
    except ValueError as exc:  # an unknown site, or faults in NPSWATCH_DEMO_FAULTS that do not parse
        fail(exc, 2)
    except socket.gaierror as exc:
        fail(f"cannot serve the demo sites on {host!r}: {exc.strerror or exc}; expected an address of this machine", 2)
    except OSError as exc:  # a port in use
        fail(f"cannot serve the demo sites on {host}: {exc.strerror or exc} (--free-ports picks free ports)", 1)


@click.command()
@click.option("--days", default=None, type=click.IntRange(1, 365), help="Simulated days to crawl (default: all).")
@click.option("--step", default=1, show_default=True, type=click.IntRange(1, 30), help="Crawl every Nth day.")
@store_option
def demo(days: int | None, step: int, db: str) -> None:
    """Serve the demo sites and crawl every demo source over the simulated days, then make the demo's workbench
    account and say how to open the workbench on the demo data."""
    from demosites.demo import run_demo
    from web.demo import print_workbench

    check_store_target(db)
    code = run_demo(db, days, step, out)
    print_workbench(db, out)
    sys.exit(code)
