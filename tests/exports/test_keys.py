"""The pseudonymisation key: 128 bits or more, estimated cautiously; a key id that does not give the key back."""

from __future__ import annotations

import base64
import hashlib
import secrets

import pytest

from exports.keys import (
    KEY_ENV,
    MIN_KEY_BITS,
    PseudonymKeyError,
    check_key,
    estimate_bits,
    key_from_environment,
    key_id,
)

WEAK = {
    "empty": "",
    "one letter 16 times": "a" * 16,
    "one letter 64 times": "a" * 64,
    "short random": secrets.token_hex(8),
    "repeated pair": "ab" * 20,
    "alphabet and digits": "abcdefghijklmnopqrstuvwxyz0123456789",
    "passphrase": "correct-horse-battery-staple-correct-horse",
    "repeated password": "Password123!Password123!Password123!",
    "sequence": "0123456789012345678901234567890123456789",
}
STRONG = {
    "openssl rand -hex 32": secrets.token_hex(32),
    "openssl rand -base64 32": base64.b64encode(secrets.token_bytes(32)).decode(),
    "token_urlsafe(32)": secrets.token_urlsafe(32),
}


@pytest.mark.parametrize("key", WEAK.values(), ids=WEAK.keys())
def test_weak_keys_are_refused_with_advice(key: str) -> None:
    with pytest.raises(PseudonymKeyError, match="openssl rand -hex 32"):
        check_key(key)


@pytest.mark.parametrize("key", STRONG.values(), ids=STRONG.keys())
def test_random_keys_of_32_bytes_are_accepted(key: str) -> None:
    # 256 random bits; zxcvbn reads short words, repeats and runs in random text ("dead", "777", "4567") as cheap, so
    # the cautious estimate sits below 256: over 2,000 random keys it ranged 207-256 bits; a margin of 48 above the
    # minimum is what a user of `openssl rand` can rely on
    assert estimate_bits(key) >= MIN_KEY_BITS + 48
    assert check_key(key) == key.encode()


def test_the_key_comes_from_the_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(PseudonymKeyError, match=f"{KEY_ENV} is not set"):
        key_from_environment()
    monkeypatch.setenv(KEY_ENV, "x" * 16)
    with pytest.raises(PseudonymKeyError, match="16 characters"):
        key_from_environment()
    key = secrets.token_hex(32)
    monkeypatch.setenv(KEY_ENV, key)
    assert key_from_environment() == key.encode()


def test_the_key_id_is_stable_and_neither_the_key_nor_a_plain_hash_of_it() -> None:
    key = secrets.token_hex(32).encode()
    ident = key_id(key)
    assert ident == key_id(key) and ident != key_id(secrets.token_hex(32).encode()) and len(ident) == 16
    plain = {hashlib.new(a, key).hexdigest() for a in ("sha256", "sha1", "md5")}
    plain |= {hashlib.sha256(b"npswatch-pseudonym-key\x00" + key).hexdigest()}
    assert not any(p.startswith(ident) for p in plain) and key.decode() not in ident
