"""Atom feed (RFC 4287) of signals, in a file: entries merged by signal id with the feed already there, newest first."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from signals.delivery.config import AtomConfig
from signals.model import Signal
from signals.store import now_utc
from storage.private import replace_private

ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("", ATOM)


def _q(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def entry_of(s: Signal) -> ET.Element:
    entry = ET.Element(_q("entry"))
    ET.SubElement(entry, _q("id")).text = f"urn:npswatch:signal:{s.id}"
    ET.SubElement(entry, _q("title")).text = f"{s.type} [{s.severity}] {s.subject}" + (f" ({s.scope})" if s.scope
                                                                                          else "")  # fmt: skip
    ET.SubElement(entry, _q("updated")).text = s.updated_at or now_utc()
    ET.SubElement(entry, _q("published")).text = f"{s.first_seen}T00:00:00Z"
    ET.SubElement(entry, _q("summary")).text = s.summary  # plain text; ElementTree escapes it
    for term in (s.type, s.severity, s.state):
        ET.SubElement(entry, _q("category"), term=term)
    for e in s.evidence[:5]:
        if e.url.startswith(("http://", "https://")):
            ET.SubElement(entry, _q("link"), rel="related", href=e.url)
    return entry


def write_feed(config: AtomConfig, signals: list[Signal]) -> int:
    """Merge ``signals`` into the feed file; returns the number of entries written."""
    entries: dict[str, ET.Element] = {}
    if config.path.exists():
        try:
            for old in ET.parse(config.path).getroot().findall(_q("entry")):
                entries[old.findtext(_q("id")) or ""] = old
        except ET.ParseError:
            entries = {}  # a damaged feed is rebuilt from what is delivered now
    for s in signals:
        entries[f"urn:npswatch:signal:{s.id}"] = entry_of(s)
    kept = sorted(entries.values(), key=lambda e: e.findtext(_q("updated")) or "", reverse=True)[: config.max_entries]
    feed = ET.Element(_q("feed"))
    ET.SubElement(feed, _q("id")).text = config.feed_id
    ET.SubElement(feed, _q("title")).text = config.title
    ET.SubElement(feed, _q("updated")).text = now_utc()
    ET.SubElement(ET.SubElement(feed, _q("author")), _q("name")).text = "npswatch"
    feed.extend(kept)
    replace_private(config.path, ET.tostring(feed, encoding="utf-8", xml_declaration=True))
    return len(kept)


def read_ids(path: Path) -> list[str]:
    return [e.findtext(_q("id")) or "" for e in ET.parse(path).getroot().findall(_q("entry"))]
