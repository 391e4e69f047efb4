"""The demo's workbench account: made (or reset) at the end of ``npswatch demo``, so a newcomer can open the
workbench on the demo data."""

from __future__ import annotations

from typing import Any

from web.accounts import Accounts
from web.config import WebConfig, demo_password

DEMO_USER = "demo"


def print_workbench(db: str, console: Any) -> str:
    """Make (or reset) the demo's analyst account and say how to open the workbench on the demo data; the password
    is ``$NPSWATCH_DEMO_PASSWORD`` or a random one, printed this once.  Returns the password."""
    import secrets

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
