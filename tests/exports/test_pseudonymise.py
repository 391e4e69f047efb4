"""Pseudonymisation: keyed, stable pseudonyms for people, and people, contacts and PGP blocks out of free text."""

from __future__ import annotations

import pytest

from exports.pseudonymise import KEY_ENV, Pseudonymiser, PseudonymKeyError, key_from_environment
from tests.storage.documents import listing, post, vendor

KEY = b"a-test-key-of-32-characters-long"


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


def test_a_listing_loses_its_vendor_profile_url_and_raw_text_hash() -> None:
    p = pseudonymiser()
    doc = {**listing("1", vendor="chemlab", vendor_url="http://alpha.onion/vendor/chemlab"), "text_hash": "ab12"}
    out = p.document(doc)
    assert out["vendor"] == p.pseudonym("vendor", "alpha", "chemlab")
    assert out["vendor_url"] is None and out["text_hash"] is None
    assert out["title"] == doc["title"] and out["id"] == doc["id"]


def test_a_vendor_document_gets_a_pseudonymous_name_id_and_pgp_fingerprint() -> None:
    p = pseudonymiser()
    out = p.document(vendor("chemlab", pgp_fingerprint="0123ABCD0123ABCD"))
    assert out["name"] == out["id"] == p.pseudonym("vendor", "alpha", "chemlab")
    assert out["url"] is None and out["pgp_fingerprint"].startswith("pgp-")
    # one PGP key is one person on every market: its pseudonym does not depend on the source
    other = p.document(vendor("chemlab", source="beta", pgp_fingerprint="0123ABCD0123ABCD"))
    assert other["pgp_fingerprint"] == out["pgp_fingerprint"] and other["name"] != out["name"]


def test_known_people_mentions_and_contacts_leave_the_text() -> None:
    p = pseudonymiser()
    text = (
        "Ordered from PelletKing again, @psychonaut was right. Chemlab is slow; chemlabs is another shop. "
        "Mail me: joe.doe@example.org, telegram: @joedoe99, or t.me/joedoe99\n"
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF...\n-----END PGP PUBLIC KEY BLOCK-----\nbye"
    )
    out = p.document(post("1", source="alpha", text=text, author="psychonaut"))["text"]
    for raw in ("PelletKing", "psychonaut", "Chemlab ", "joe.doe", "joedoe99", "mQINBF"):
        assert raw not in out
    assert p.pseudonym("vendor", "alpha", "pelletking") in out
    assert "chemlabs is another shop" in out  # a longer word is not a name
    assert "[email]" in out and "[pgp block]" in out and out.count("[contact]") == 2 and out.endswith("bye")
    assert p.counts["name_in_text"] == 2 and p.counts["mention"] == 1 and p.counts["author"] == 1


def test_a_name_known_as_a_vendor_keeps_its_vendor_pseudonym_in_text() -> None:
    p = pseudonymiser()
    out = p.text("alpha", "chemlab and @chemlab")
    assert out == f"{p.pseudonym('vendor', 'alpha', 'chemlab')} and @{p.pseudonym('vendor', 'alpha', 'chemlab')}"


def test_people_fields_are_replaced_even_when_too_short_to_search_in_text() -> None:
    p = Pseudonymiser(KEY)
    p.learn("alpha", ["ab"], "vendor")
    out = p.document(listing("1", vendor="ab", description="ab cd"))
    assert out["vendor"].startswith("vendor-") and out["description"] == "ab cd"


@pytest.mark.parametrize("value", [None, "", "too-short"])
def test_the_key_comes_from_the_environment_and_is_long_enough(
    value: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv(KEY_ENV, raising=False)
    else:
        monkeypatch.setenv(KEY_ENV, value)
    with pytest.raises(PseudonymKeyError, match=KEY_ENV):
        key_from_environment()
    monkeypatch.setenv(KEY_ENV, "x" * 16)
    assert key_from_environment() == b"x" * 16
