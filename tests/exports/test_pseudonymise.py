"""Pseudonymisation: keyed, stable pseudonyms for people and site ids, and people out of free text."""

from __future__ import annotations

from exports.pseudonymise import Pseudonymiser
from exports.records import record
from tests.storage.documents import listing, post, vendor

KEY = b"3d71ef465a8a7db4ecfd82232ef0b5c6b9944f7d7582cbb787"


def pseudonymiser(**kwargs: bool) -> Pseudonymiser:
    p = Pseudonymiser(KEY, **kwargs)
    p.learn("alpha", ["chemlab", "PelletKing"], "vendor")
    p.learn("drugsforum", ["psychonaut", "chemlab"], "user")
    return p


def test_a_pseudonym_is_stable_keyed_and_case_blind() -> None:
    p = pseudonymiser()
    first = p.pseudonym("vendor", "alpha", "chemlab")
    assert first == p.pseudonym("vendor", "alpha", " ChemLab ") and first.startswith("vendor-") and len(first) == 19
    assert first != Pseudonymiser(b"another-key-another-key").pseudonym("vendor", "alpha", "chemlab")


def test_the_same_name_on_two_sources_is_two_people_unless_sources_are_linked() -> None:
    assert pseudonymiser().pseudonym("vendor", "alpha", "x") != pseudonymiser().pseudonym("vendor", "beta", "x")
    linked = pseudonymiser(link_sources=True)
    assert linked.pseudonym("vendor", "alpha", "x") == linked.pseudonym("vendor", "beta", "x")


def test_a_listing_keeps_its_host_and_loses_url_native_id_profile_url_and_raw_text_hash() -> None:
    p = pseudonymiser()
    doc = {**listing("17", vendor="chemlab", vendor_url="http://alpha.onion/vendor/chemlab"), "text_hash": "ab12"}
    row = record(doc, p)
    assert row["vendor"] == p.pseudonym("vendor", "alpha", "chemlab") and row["host"] == "alpha.onion"
    assert row["id"] == p.keyed("doc", doc["id"]) and row["id"] != doc["id"]
    assert not {"url", "native_id", "vendor_url", "text_hash"} & set(row)
    assert row["title"] == doc["title"] and row["warc_record_id"] is None
    assert record(doc, p, evidence=True)["warc_record_id"] == doc["warc_record_id"]


def test_a_post_gets_a_keyed_thread_and_only_the_day_it_was_posted() -> None:
    p = pseudonymiser()
    first = record(post("1", thread_id="t9", posted_at="2024-04-30T23:59:00Z"), p)
    second = record(post("2", thread_id="t9"), p)
    assert first["thread"] == second["thread"] == p.keyed("thread", "drugsforum", "t9")
    assert str(first["posted_on"]) == "2024-04-30" and first["author"] == p.pseudonym(
        "user", "drugsforum", "psychonaut"
    )
    assert not {"post_id", "thread_id", "url", "posted_at"} & set(first)


def test_a_vendor_gets_a_pseudonymous_name_and_pgp_fingerprint_the_same_on_every_market() -> None:
    p = pseudonymiser()
    row = record(vendor("chemlab", pgp_fingerprint="0123ABCD0123ABCD"), p)
    assert row["name"] == p.pseudonym("vendor", "alpha", "chemlab") and row["pgp_fingerprint"].startswith("pgp-")
    other = record(vendor("chemlab", source="beta", pgp_fingerprint="0123 abcd 0123 abcd"), p)
    assert other["pgp_fingerprint"] == row["pgp_fingerprint"] and other["name"] != row["name"]


def test_known_people_and_mentions_leave_the_text() -> None:
    p = pseudonymiser()
    text = "Ordered from PelletKing again, @psychonaut was right. Chemlab is slow; chemlabs is another shop."
    out = record(post("1", source="alpha", text=text, author="psychonaut"), p)["text"]
    for raw in ("PelletKing", "psychonaut", "Chemlab "):
        assert raw not in out
    assert p.pseudonym("vendor", "alpha", "pelletking") in out
    assert "chemlabs is another shop" in out  # a longer word is not a name
    assert p.counts["name_in_text"] == 2 and p.counts["mention"] == 1 and p.counts["user"] == 1


def test_a_name_known_as_a_vendor_keeps_its_vendor_pseudonym_in_text() -> None:
    p = pseudonymiser()
    out = p.text("alpha", "chemlab and @chemlab")
    assert out == f"{p.pseudonym('vendor', 'alpha', 'chemlab')} and @{p.pseudonym('vendor', 'alpha', 'chemlab')}"


def test_people_fields_are_replaced_even_when_too_short_to_search_in_text() -> None:
    p = Pseudonymiser(KEY)
    p.learn("alpha", ["ab"], "vendor")
    row = record(listing("1", vendor="ab", description="ab cd"), p)
    assert row["vendor"].startswith("vendor-") and row["description"] == "ab cd"


def test_an_unknown_field_of_a_document_never_reaches_the_export() -> None:
    row = record({**listing("1"), "seller_phone": "+31 6 12345678", "raw_html": "<b>x</b>"}, pseudonymiser())
    assert "seller_phone" not in row and "raw_html" not in row
