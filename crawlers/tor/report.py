"""What ``npswatch tor status`` shows: each Tor instance's health and each Tor source's status."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawlers.tor.control import TorPool
from crawlers.tor.status import StatusStore


def collect_status(settings: Any, tor_sources: list[str]) -> dict[str, Any]:
    """Instances (bootstrap, circuits) and sources (instance, circuits, up/down, errors, walls, refusals)."""
    pool = TorPool.from_settings(settings)
    health = pool.health()
    statuses = StatusStore(Path(settings.get("NPSWATCH_TOR_STATUS_FILE"))).load()
    sources = []
    for name in sorted({*tor_sources, *statuses}):
        instance = pool.instance_for(name)
        status: dict[str, Any] = asdict(statuses[name]) if name in statuses else {"source": name, "state": "unknown"}
        status.update(instance=instance.index, socks=f"{instance.host}:{instance.socks_port}",
                      circuits=health[instance.index].circuits_by_key.get(name, 0))  # fmt: skip
        sources.append(status)
    instances = [{**asdict(h), "ready": h.ready} for h in health]
    return {"ready": all(h.ready for h in health), "instances": instances, "sources": sources}


def print_status(data: dict[str, Any], console: Console) -> None:
    table = Table("#", "socks", "control", "tor", "bootstrap", "circuits", "newnym in", title="Tor instances")
    for i in data["instances"]:
        boot = f"{i['bootstrap']}% {i['summary']}" if i["reachable"] else "[red]unreachable[/red]"
        table.add_row(str(i["index"]), i["socks"], i["control"], i["version"], boot, str(i["circuits"]),
                      f"{i['newnym_wait']:.0f}s")  # fmt: skip
    console.print(table)
    for i in data["instances"]:
        if i["error"]:
            console.print(f"[red]instance {i['index']}:[/red] {escape(i['error'])}")
    table = Table("source", "instance", "circuits", "state", "down since", "next try", "walls", "refused",
                  title="Tor sources")  # fmt: skip
    for s in data["sources"]:
        table.add_row(escape(s["source"]), str(s["instance"]), str(s["circuits"]), s.get("state", ""),
                      s.get("down_since") or "", s.get("next_try") or "", _pairs(s.get("walls")),
                      _pairs(s.get("refused")))  # fmt: skip
    console.print(table)
    for s in data["sources"]:
        if s.get("last_error"):
            console.print(f"{escape(s['source'])}: last error {escape(s['last_error'])} (at {s.get('last_crawl')})")


def _pairs(counts: dict[str, int] | None) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted((counts or {}).items()))
