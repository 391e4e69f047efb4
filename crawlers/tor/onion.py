"""v3 onion addresses (rend-spec-v3, "Encoding onion addresses"): 56 base32 characters, checksum, version.

    onion_address = base32(PUBKEY | CHECKSUM | VERSION) + ".onion"
    CHECKSUM = SHA3_256(".onion checksum" | PUBKEY | VERSION)[:2],  VERSION = 0x03

Subdomains (``www.<address>.onion``) are allowed, as Tor ignores them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

V3_LENGTH = 56
_VERSION = b"\x03"
_BASE32 = set("abcdefghijklmnopqrstuvwxyz234567")


def is_onion_host(host: str | None) -> bool:
    """True when the host name is under ``.onion`` (valid or not): such a host must only ever be reached via Tor."""
    return host is not None and host.lower().rstrip(".").endswith(".onion")


def onion_problem(host: str) -> str | None:
    """What is wrong with an onion host name, or None for a valid v3 address."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) < 2 or labels[-1] != "onion":
        return f"expected a host ending in .onion, found {host!r}"
    label = labels[-2]
    if len(label) == 16:
        return f"{host!r} is a v2 onion address; Tor dropped v2 onion services in 2021, expected a v3 address"
    if len(label) != V3_LENGTH or not set(label) <= _BASE32:
        return f"expected a v3 onion address of {V3_LENGTH} base32 characters (a-z, 2-7), found {label!r}"
    try:
        raw = base64.b32decode(label.upper())
    except binascii.Error:
        return f"{label!r} is not valid base32"
    pubkey, checksum, version = raw[:32], raw[32:34], raw[34:]
    if version != _VERSION:
        return f"expected onion version byte 3, found {version[0]} in {label!r}"
    if hashlib.sha3_256(b".onion checksum" + pubkey + version).digest()[:2] != checksum:
        return f"the checksum of {label!r} does not match: a mistyped onion address"
    return None


def is_v3_onion(host: str | None) -> bool:
    return host is not None and onion_problem(host) is None


def onion_from_pubkey(pubkey: bytes) -> str:
    """The onion host name of an ed25519 public key (32 bytes); used by tests to make valid addresses."""
    if len(pubkey) != 32:
        raise ValueError(f"expected a 32-byte ed25519 public key, found {len(pubkey)} bytes")
    checksum = hashlib.sha3_256(b".onion checksum" + pubkey + _VERSION).digest()[:2]
    return base64.b32encode(pubkey + checksum + _VERSION).decode("ascii").lower() + ".onion"
