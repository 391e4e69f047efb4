"""``npswatch serve`` and ``npswatch users ...``: the analyst workbench and its accounts (docs/web.md)."""

from __future__ import annotations

import socket
import sys
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from npswatch.cli.common import console, fail, out, require_store, store_option

if TYPE_CHECKING:
    from web.accounts import Accounts


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep loopback behind a "
              "TLS reverse proxy, docs/web.md).")  # fmt: skip
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@store_option
def serve(host: str, port: int, db: str) -> None:
    """Serve the analyst workbench over the store and its signal store."""
    import uvicorn

    from web.app import create_app
    from web.config import WebConfig

    require_store(db)
    try:
        config = WebConfig.from_env(db)
        socket.getaddrinfo(host, port)
        app = create_app(config)  # opens the accounts file: AccountError (a ValueError) when it cannot be used
    except ValueError as exc:
        fail(exc, 2)
    except socket.gaierror as exc:
        fail(f"--host {host}: {exc.strerror or exc}; expected an address of this machine", 2)
    if not config.secure_cookies and host not in ("127.0.0.1", "::1", "localhost"):
        console.print("[yellow]warning:[/yellow] cookies without Secure on a non-loopback address: use TLS")
    console.print(f"npswatch workbench on http://{host}:{port}/ (store {escape(db)}, accounts {config.users_db})")
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True, forwarded_allow_ips="127.0.0.1",
                    server_header=False)  # fmt: skip
    except SystemExit as exc:  # uvicorn's own code 3: it could not start (logged above, e.g. the port in use)
        if exc.code not in (None, 0):
            fail(f"the workbench did not start on {host}:{port} (see the log above)", 1)
        raise


@click.group()
def users() -> None:
    """Workbench accounts: analyst, ews, researcher or admin (docs/web.md)."""


def _accounts() -> Accounts:
    from web.accounts import AccountError, Accounts
    from web.config import WebConfig

    try:
        return Accounts(WebConfig.from_env().users_db)
    except (AccountError, ValueError) as exc:  # an accounts file that cannot be used, a setting that does not parse
        fail(exc, 2)


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["analyst", "ews", "researcher", "admin"]))
def users_add(name: str, role: str) -> None:
    """Add a user; the password is read from standard input (one line; at least 12 characters)."""
    from web.accounts import AccountError

    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)  # fmt: skip
    accounts = _accounts()
    try:
        accounts.add_user(name, role, password)
    except AccountError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
    out.print(f"added {escape(name)} ({role})")


@users.command("token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
def users_token(name: str, label: str) -> None:
    """Print a new API token for NAME (shown once; only its hash is kept)."""
    from web.accounts import AccountError

    accounts = _accounts()
    try:
        print(accounts.new_token(name, label))
    except AccountError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)


@users.command("list")
def users_list() -> None:
    """Every user with role, creation time and number of tokens."""
    accounts = _accounts()
    for user in accounts.users():
        print(f"{user['name']}\t{user['role']}\t{user['created_at']}\ttokens {user['tokens']}")


@users.command("remove")
@click.argument("name")
def users_remove(name: str) -> None:
    """Remove a user with their tokens and sessions."""
    from web.accounts import AccountError

    accounts = _accounts()
    try:
        accounts.remove_user(name)
    except AccountError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(2)
    out.print(f"removed {escape(name)}")
