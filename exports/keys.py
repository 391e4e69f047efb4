"""The pseudonymisation key: read from the environment, refused when weak, identified without being guessable.

A key must carry at least 128 bits of entropy (``MIN_KEY_BITS``).  Entropy cannot be measured from one string, only
estimated from above; :func:`estimate_bits` takes the smaller of two estimates, so a key passes only when both agree:

- **alphabet**: length x log2(size of the smallest usual alphabet holding every character: 10 digits, 16 hex
  digits, 26 letters of one case, 36, 52, 62, 64 of base64, else 95 printable ASCII or more), as if every character
  had been drawn at random from it.  ``openssl rand -hex 32`` gives 64 x 4 = 256 bits; 16 repeated letters give
  16 x 4.7 = 75 bits;
- **patterns**: zxcvbn's match sequence (the password-strength estimator of Dropbox, with its frequency lists of
  English words, names, common passwords and its detectors of repeats, sequences, keyboard walks and dates), where
  every part zxcvbn found as a word, repeat, sequence or date counts as log2 of zxcvbn's guesses for it and the
  rest counts at the alphabet's bits per character; and the same again word by word when the key has separators
  (punctuation or spaces, ``SEPARATOR_BITS`` each), since zxcvbn tends to read "-horse-" as random characters.
  ``correct-horse-battery-staple-correct-horse`` is about 90 bits; ``abababab...`` is a repeat of "ab" and counts for
  little.

Keys shorter than ``MIN_KEY_LENGTH`` are refused before anything else, and only the first ``PATTERN_WINDOW``
characters go through zxcvbn (its matching is quadratic), which only lowers the estimate of a longer key.

The export manifest names the key by :func:`key_id`: scrypt of the key (16 MiB of memory, about 50 ms a try) with a
fixed label as salt, cut to 16 hex digits.  Anyone holding the key can check that an export used it, and two
exports with the same key show the same id; but each guess at a key costs a scrypt run, on top of the 2^128 guesses
the entropy check makes necessary.  A plain hash of the key (what the manifest held before) turned a weak key back
in 23 guesses.
"""

from __future__ import annotations

import hashlib
import math
import re
import string

from npswatch import settings

KEY_ENV = "NPSWATCH_PSEUDONYM_KEY"  # secret key of the pseudonyms; never a default, never written anywhere
MIN_KEY_BITS = 128
MIN_KEY_LENGTH = 22  # 22 base64 characters are 132 bits: nothing shorter can reach MIN_KEY_BITS in a usual alphabet
PATTERN_WINDOW = 128
SEPARATOR_BITS = 3.0  # a separator between the words of a passphrase: one of a few usual characters
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")
_KEY_ID_SALT = b"npswatch/pseudonym-key-id/v1"
_ALPHABETS: tuple[tuple[str, int], ...] = (
    (string.digits, 10),
    (string.hexdigits.lower(), 16),
    (string.hexdigits.upper(), 16),
    (string.ascii_lowercase, 26),
    (string.ascii_uppercase, 26),
    (string.ascii_lowercase + string.digits, 36),
    (string.ascii_uppercase + string.digits, 36),
    (string.ascii_letters, 52),
    (string.ascii_letters + string.digits, 62),
    (string.ascii_letters + string.digits + "+/=-_", 64),
    (string.printable.strip(), 95),
)


class PseudonymKeyError(ValueError):
    """The pseudonymisation key is missing or too weak."""


def alphabet_size(key: str) -> int:
    """The size of the smallest usual alphabet holding every character of ``key``."""
    chars = set(key)
    for alphabet, size in _ALPHABETS:
        if chars <= set(alphabet):
            return size
    return 95 + len(chars - set(string.printable))  # non-ASCII characters widen the alphabet


def estimate_bits(key: str) -> float:
    """A cautious estimate of the entropy of ``key`` in bits: the smallest of the alphabet and pattern estimates."""
    per_char = math.log2(alphabet_size(key))
    parts = [part for part in _SEPARATORS.split(key) if part]
    separated = sum(_pattern_bits(part, per_char) for part in parts) + SEPARATOR_BITS * (len(parts) - 1)
    return min(len(key) * per_char, _pattern_bits(key, per_char), separated)


def _pattern_bits(key: str, per_char: float) -> float:
    from zxcvbn import zxcvbn

    head, tail = key[:PATTERN_WINDOW], key[PATTERN_WINDOW:]
    bits = len(tail) * per_char
    for match in zxcvbn(head)["sequence"]:
        token = str(match["token"])
        if match["pattern"] == "bruteforce":
            bits += len(token) * per_char
        else:  # a word, repeat, sequence, keyboard walk or date: as cheap as zxcvbn says, never dearer than random
            bits += min(math.log2(max(float(match["guesses"]), 1.0)), len(token) * per_char)
    return bits


def check_key(value: str, name: str = KEY_ENV) -> bytes:
    """``value`` as key bytes, or :class:`PseudonymKeyError` saying why it is refused and how to make a good one."""
    advice = f"e.g. export {name}=$(openssl rand -hex 32), and keep it to re-create the same pseudonyms"
    if not value:
        raise PseudonymKeyError(
            f"{name} is not set; it must hold a random secret of {MIN_KEY_BITS} bits or more ({advice})"
        )
    if len(value) < MIN_KEY_LENGTH:
        raise PseudonymKeyError(
            f"{name} has {len(value)} characters; a key needs at least {MIN_KEY_LENGTH} to hold {MIN_KEY_BITS} bits "
            f"({advice})"
        )
    bits = estimate_bits(value)
    if bits < MIN_KEY_BITS:
        raise PseudonymKeyError(
            f"{name} looks weak: about {bits:.0f} bits of entropy (repeated, low-variety or dictionary-like "
            f"characters count for little), {MIN_KEY_BITS} needed ({advice})"
        )
    return value.encode("utf-8")


def key_from_environment() -> bytes:
    """The secret key from ``$NPSWATCH_PSEUDONYM_KEY``, checked by :func:`check_key`; never a default."""
    return check_key(settings.secret(KEY_ENV) or "")


def key_id(key: bytes) -> str:
    """The public name of a key in export manifests: 16 hex digits of scrypt(key), see the module docstring."""
    return hashlib.scrypt(key, salt=_KEY_ID_SALT, n=2**14, r=8, p=1, maxmem=64 * 2**20, dklen=8).hex()
