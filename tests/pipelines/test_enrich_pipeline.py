"""Enrichment: extraction results become indexed fields; repeated texts are not extracted again."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawlers.items import Listing, Post, Price, item_to_document
from pipelines.enrich import EnrichPipeline, tier_quantity
from pipelines.store import StorePipeline


def crawler(tmp_path: Path):  # type: ignore[no-untyped-def]
    crawler = get_crawler(
        settings_dict={"NPSWATCH_DB": str(tmp_path / "db.sqlite3"), "NPSWATCH_DATA_DIR": str(tmp_path)}
    )
    crawler.stats.open_spider()
    return crawler


def listing(day: str, usd: str = "40.00") -> Listing:
    tiers = [Price(Decimal(usd), "USD", f"${usd}", "5g"), Price(Decimal("0.0006"), "BTC", "0.0006 BTC", "5g")]
    return Listing(source="nova_market", market="Nova", native_id="7", url="http://m/7", title="3-MMC crystals",
                   description="Pure 3mmc, lab tested 88%. Ships from NL.", seen_at=f"{day}T12:00:00+00:00",
                   prices=tiers)  # fmt: skip


def test_listing_gets_substances_and_eur_per_gram_from_its_tiers(tmp_path: Path) -> None:
    pipe = EnrichPipeline.from_crawler(crawler(tmp_path))
    pipe.open_spider()
    doc = item_to_document(pipe.process_item(listing("2026-10-05")))
    pipe.close_spider()
    assert doc["substance"] == ["3-MMC"]
    assert doc["effect_group"] == ["stimulant"] and doc["nps"] is True
    [offer] = doc["offers"]  # one offer per tier, in the preferred (fiat) currency
    assert offer["price_currency"] == "USD" and offer["quantity_grams"] == 5.0
    assert doc["eur_per_gram"] == offer["eur_per_gram"] > 0


def test_post_gets_effects_and_routes(tmp_path: Path) -> None:
    pipe = EnrichPipeline.from_crawler(crawler(tmp_path))
    pipe.open_spider()
    post = Post(source="lowlands_forum", forum="L", board="b", thread_id="1", thread_title="t", post_id="1",
                url="http://f/1", text="Took 150mg of 3-MMC, snorted it. Had a seizure and ended up in hospital.",
                seen_at="2026-10-05T12:00:00+00:00", language_hint="en")  # fmt: skip
    doc = item_to_document(pipe.process_item(post))
    pipe.close_spider()
    assert "3-MMC" in doc["substance"]
    assert "seizure" in doc["adverse_effect"] and doc["severe"] is True


def test_same_text_is_extracted_once_then_reused_from_memory_and_from_the_store(tmp_path: Path) -> None:
    first = crawler(tmp_path)
    enrich, store = EnrichPipeline.from_crawler(first), StorePipeline.from_crawler(first)
    enrich.open_spider()
    store.open_spider()
    store.process_item(enrich.process_item(listing("2026-10-05")))
    enrich.process_item(listing("2026-10-06", usd="30.00"))  # same text, same month: from memory
    store.close_spider()
    enrich.close_spider()
    assert first.stats.get_value("npswatch/enrich/extracted") == 1
    assert first.stats.get_value("npswatch/enrich/reused") == 1
    second = crawler(tmp_path)  # a new crawl process: the summary comes from the stored document
    enrich = EnrichPipeline.from_crawler(second)
    enrich.open_spider()
    doc = item_to_document(enrich.process_item(listing("2026-10-07", usd="20.00")))
    enrich.close_spider()
    assert second.stats.get_value("npswatch/enrich/reused") == 1
    assert second.stats.get_value("npswatch/enrich/extracted") is None
    assert doc["offers"][0]["price_amount"] == 20.0  # tier offers are always those of this crawl


def test_tier_labels_to_grams_or_units() -> None:
    assert tier_quantity("5g") == (5.0, None)
    assert tier_quantity("250mg") == (0.25, None)
    assert tier_quantity("10 pills") == (None, 10.0)
    assert tier_quantity("") == (None, None)


def test_stale_rates_are_flagged_on_offers_and_warned_once_per_crawl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("NPSWATCH_DATA_DIR", str(tmp_path))  # no updated table there: the shipped snapshot is used
    c = crawler(tmp_path)
    pipe = EnrichPipeline.from_crawler(c)
    pipe.open_spider()
    fresh = pipe.process_item(listing("2026-10-30")).nlp["offers"]
    with caplog.at_level(logging.WARNING, logger="pipelines.enrich"):
        days = (("2026-12-01", "40.00"), ("2026-12-02", "41.00"))
        stale = [pipe.process_item(listing(day, usd)).nlp["offers"] for day, usd in days]
    pipe.close_spider()
    assert [o["rate_stale"] for o in fresh] == [False]  # the snapshot's last ECB day
    assert [o["rate_stale"] for offers in stale for o in offers] == [True, True]
    assert caplog.text.count("exchange rates more than 7 days from the day converted") == 1
    assert "USD on 2026-12-01 at the rate of 2026-10-30" in caplog.text
    assert c.stats.get_value("npswatch/enrich/stale_rate_offers") == 2


def _post(text: str, post_id: str = "1") -> Post:
    return Post(source="lowlands_forum", forum="L", board="b", thread_id="1", thread_title="t", post_id=post_id,
                url=f"http://f/{post_id}", text=text, seen_at="2026-10-05T12:00:00+00:00",
                language_hint="en")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "adverse", "severe", "severe_substance"),
    [
        # a post about 3-MMC that names MDMA in passing counts for 3-MMC only
        ("Snorted 50mg of 3-MMC. Heart racing like on MDMA, then I passed out.", ["3-MMC"], True, ["3-MMC"]),
        # alcohol gives way to the other substance of the clause
        ("Swallowed 2 pills of pregabalin with 3 beers and blacked out.", ["pregabalin"], True, ["pregabalin"]),
        # negated and hypothetical effects count for nothing
        ("Took 3-MMC, no seizure. Mixing it with alcohol can cause an overdose.", [], False, []),
        ("Took 3-MMC, bad nausea, no seizure.", ["3-MMC"], False, []),
        # a novel candidate is named as in novel_substance
        ("Snorted 20mg of 4-Br-PVP, seizure an hour later.", ["4-BR-PVP"], True, ["4-BR-PVP"]),
    ],
)
def test_a_post_says_which_substances_its_adverse_and_severe_effects_are_about(
    tmp_path: Path, text: str, adverse: list[str], severe: bool, severe_substance: list[str]
) -> None:
    pipe = EnrichPipeline.from_crawler(crawler(tmp_path))
    pipe.open_spider()
    doc = item_to_document(pipe.process_item(_post(text)))
    pipe.close_spider()
    assert doc["adverse_substance"] == adverse
    assert doc["severe"] is severe and doc["severe_substance"] == severe_substance
    assert (
        set(doc["severe_substance"])
        <= set(doc["adverse_substance"])
        <= set(doc["substance"]) | {*doc["novel_substance"]}
    )


def test_the_new_fields_are_stored_filtered_and_counted(tmp_path: Path) -> None:
    c = crawler(tmp_path)
    enrich, store = EnrichPipeline.from_crawler(c), StorePipeline.from_crawler(c)
    enrich.open_spider()
    store.open_spider()
    texts = ["Took 3-MMC and had a seizure, ended up in hospital.", "Took 3-MMC, bad nausea.",
             "Took 4-FA, nice evening, like 3-MMC but softer."]  # fmt: skip
    for n, text in enumerate(texts):
        store.process_item(enrich.process_item(_post(text, str(n))))
    store.close_spider()
    enrich.close_spider()
    from storage import open_storage
    from storage.base import SearchQuery

    db = open_storage(str(tmp_path / "db.sqlite3"))
    try:
        adverse = db.search(SearchQuery(filters={"adverse_substance": ["3-MMC"]}, facets=["severe_substance"]))
        assert sorted(d["text"] for d in adverse.hits) == sorted(texts[:2])
        assert adverse.facets["severe_substance"] == {"3-MMC": 1}
    finally:
        db.close()


def test_summaries_of_an_earlier_version_are_extracted_again(tmp_path: Path) -> None:
    first = crawler(tmp_path)
    enrich, store = EnrichPipeline.from_crawler(first), StorePipeline.from_crawler(first)
    enrich.open_spider()
    store.open_spider()
    item = enrich.process_item(_post("Took 3-MMC and had a seizure."))
    old = {k: v for k, v in item.nlp.items() if k not in ("adverse_substance", "severe_substance")}
    item.nlp = {**old, "text_hash": "an earlier version's hash"}  # as stored before SUMMARY_VERSION 2
    store.process_item(item)
    store.close_spider()
    enrich.close_spider()
    second = crawler(tmp_path)
    enrich = EnrichPipeline.from_crawler(second)
    enrich.open_spider()
    doc = item_to_document(enrich.process_item(_post("Took 3-MMC and had a seizure.")))
    enrich.close_spider()
    assert second.stats.get_value("npswatch/enrich/extracted") == 1
    assert doc["severe_substance"] == ["3-MMC"]
