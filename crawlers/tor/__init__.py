"""Crawling onion services through Tor: routing, the leak guard, Tor control and per-source status.

``onion`` validates v3 onion addresses (pure, no Tor needed); ``proxy`` gives every request of a
``tor: true`` source its SOCKS proxy and isolation key; ``guard`` refuses any request of a Tor
source that would not go through Tor; ``control`` talks to Tor with stem (bootstrap, health,
new identity, a pool of instances); ``status`` keeps each Tor source's up/down state and backoff;
``report`` is what ``npswatch tor status`` shows.  See docs/tor.md.
"""

from __future__ import annotations


class TorError(Exception):
    """Something about Tor stops a crawl of a Tor source; the message says what was expected."""


class TorNotReady(TorError):
    """Tor cannot be reached, or has not finished bootstrapping: raised before any request is sent."""
