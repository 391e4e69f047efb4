"""Regenerate the saved pages and their golden items: `python -m tests.sample_data.regenerate`.

Pages come from the demo sites as of a fixed day, rendered in-process (no server).  Run
this only on purpose (after changing the sites, the source files or the parsers) and
review the diff of the expected.json files before committing.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawlers.config import find_source
from crawlers.parsers import Page, parse_page
from demosites.server import APPS, SITES, respond
from demosites.timeline import SEED

HERE = Path(__file__).parent
AS_OF = "2026-11-11"
SEEN_AT = f"{AS_OF}T12:00:00+00:00"
# (source, sample name, path and query)
PAGES: list[tuple[str, str, str]] = [
    ("nova_market", "listing_tiers", "/listing/10401"),
    ("nova_market", "listing_no_price", "/listing/10692"),
    ("nova_market", "listing_no_vendor", "/listing/10689"),
    ("nova_market", "listing_hostile_text", "/listing/10688"),
    ("nova_market", "vendor", "/vendor/QuietBrothers_EU"),
    ("nova_market", "home", "/"),
    ("tulip_bazaar", "listing_tiers", "/item.php?id=5007"),
    ("tulip_bazaar", "listing_no_price", "/item.php?id=5263"),
    ("tulip_bazaar", "listing_no_vendor", "/item.php?id=5261"),
    ("tulip_bazaar", "vendor", "/vendor.php?u=SilentDealerNL"),
    ("lowlands_forum", "thread_first_page", "/viewtopic.php?t=1201"),
    ("lowlands_forum", "thread_second_page", "/viewtopic.php?t=1201&start=5"),
    ("lowlands_forum", "trip_report", "/viewtopic.php?t=1299"),
    ("salon_fr", "discussion", "/discussion/301-recit-200mg-de-meow-meow-plus-jamais"),
    ("salon_fr", "trip_report", "/discussion/335-recit-1-5ml-de-ghb-sentiments-mitiges"),
    ("chemvendo_shop", "product", "/product/1cp-lsd-blotters-100g/"),
]


def base_url(source: str) -> str:
    return f"http://127.0.0.1:{SITES[source]}"


def expected(page: Page, source_name: str) -> dict[str, object]:
    from crawlers.items import item_to_document

    result = parse_page(page, find_source(source_name))
    return {
        "page_type": result.page_type,
        "dropped": result.dropped,
        "items": [item_to_document(item) for item in result.items],
    }


def main() -> None:
    apps = {name: APPS[name](SEED) for name in SITES}
    for source, name, target in PAGES:
        response, _ = respond(apps[source], target, AS_OF)
        assert response.status == 200, (source, target, response.status)
        folder = HERE / source / name
        folder.mkdir(parents=True, exist_ok=True)
        html = response.body.decode("utf-8")
        (folder / "page.html").write_text(html, encoding="utf-8")
        meta = {"url": base_url(source) + target, "seen_at": SEEN_AT}
        (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        page = Page(meta["url"], html, SEEN_AT)
        golden = json.dumps(expected(page, source), indent=2, ensure_ascii=False)
        (folder / "expected.json").write_text(golden + "\n", encoding="utf-8")
        print(f"{source}/{name}: {target}")


if __name__ == "__main__":
    main()
