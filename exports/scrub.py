"""Contact details out of free text: what would let a reader reach, pay or look up a person.

Replaced, in this order (each by a marker saying what stood there):

- PGP blocks (``-----BEGIN PGP ...``) -> ``[pgp block]``;
- links: URLs with a scheme, ``www.`` hosts, bare hosts with a path (``shop.onion/x``, ``t.me/x``) and site-relative
  profile paths (``/vendor/name``, ``/memberlist.php?mode=viewprofile&u=7``) -> ``[link]``, or ``[contact]`` for a
  messenger's link (``t.me``, ``wa.me``, ``signal.me``, ``threema.id``, ...).  The host goes too: a vendor's own shop
  onion names the vendor;
- e-mail addresses, also written to dodge filters (``name [at] host [dot] com``, ``name(at)host dot com``, ``name
  arobase host point fr``, ``naam apenstaartje host punt nl``, ``name (ät) host Punkt de``) -> ``[email]``;
- phone numbers (below) come before handles, so ``Signal +31 6 ...`` is read as a number;
- messenger handles after a messenger's name (Telegram, Wickr, Session, Signal, Threema, Jabber/XMPP, WhatsApp,
  Wire, Element/Matrix, Briar, SimpleX, Tox, Discord, Kik, ICQ, Skype, Snapchat, Keybase), Session ids (66 hex
  digits starting 05) and Threema ids after their name -> ``[contact]``;
- crypto addresses: Bitcoin (base58 and bech32/bech32m ``bc1``), Litecoin (``L``/``M`` base58, ``ltc1``), Monero
  (95 and 106 characters), Ethereum (``0x`` + 40 hex digits) -> ``[crypto address]``;
- PGP fingerprints: 40 hex digits, or 4 or more groups of 4 hex digits (a fingerprint or part of one), mixing
  digits and letters; key ids ``0x`` + 16 hex digits, or + 8 to 16 after a word such as "key", "PGP", "Schlüssel",
  "clé" (not an error code like ``0x80070643``) -> ``[pgp fingerprint]``;
- phone numbers that libphonenumber (``phonenumbers``, Google's metadata) finds valid for the text's country or
  any of ``PHONE_REGIONS`` (international ``+`` numbers for any country) -> ``[phone]``.

Patterns are matched by shape, not checksum: a mistyped address identifies a person as well as a valid one.  See
docs/export.md for why no recogniser library other than phonenumbers is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# regions whose national phone formats are looked for in every text (international numbers are found anyway)
PHONE_REGIONS: tuple[str, ...] = ("NL", "BE", "DE", "FR", "GB", "US")
LANGUAGE_REGIONS = {"nl": "NL", "de": "DE", "fr": "FR", "en": "GB"}

_PGP_BLOCK = re.compile(r"-----BEGIN PGP [A-Z ]+-----.*?(?:-----END PGP [A-Z ]+-----|\Z)", re.DOTALL)
_MESSENGER_HOSTS = (
    r"t\.me|telegram\.(?:me|dog)|wa\.me|chat\.whatsapp\.com|signal\.(?:me|group)|threema\.id|matrix\.to"
    r"|discord\.(?:gg|com/users)|keybase\.io|wickr\.me|getsession\.org"
)
_TLD = (
    r"(?:onion|i2p|com|org|net|info|biz|io|me|co|eu|nl|be|de|fr|ch|at|lu|uk|es|it|pl|cz|ru|im|jp|is|li|se|no|dk|fi"
    r"|xyz|to|cc|su|pm|gg|cx|ws|tv|app|dev|chat|link|top|shop|store|online|site)"
)
_LINK = re.compile(
    rf"(?i)(?:\b(?:https?|ftp|irc|xmpp)://|\bwww\.|\b(?:[a-z0-9-]+\.)+{_TLD}(?::\d+)?/)[^\s<>\"'()\[\]{{}}]*"
)
_MESSENGER_LINK = re.compile(rf"(?i)(?:\b(?:https?://)?(?:www\.)?(?:{_MESSENGER_HOSTS})/[^\s<>\"'()\[\]{{}}]*)")
_PROFILE_PATH = re.compile(
    r"(?i)(?<![\w/.])/(?:vendors?|users?|u|profiles?|profil|members?|membre|gebruiker|benutzer|seller|shop)"
    r"(?:\.php)?[/?=][^\s<>\"'()\[\]{}]+"
    r"|(?<![\w/.])/memberlist\.php\?[^\s<>\"'()\[\]{}]+"
)
_AT = (
    r"(?:\s?@\s?|\s*[\[({<]\s*(?:at|@|ät|a|arobase|apenstaartje|chez|bei)\s*[\])}>]\s*"
    r"|\s+(?:at|AT|At|ät|arobase|apenstaartje)\s+)"
)
_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|punt|point|punkt|\.)\s*[\])}>]\s*|\s+(?:dot|DOT|Dot|punt|point|punkt|Punkt)\s+)"
_EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]{{1,64}}{_AT}(?:[\w-]{{1,63}}{_DOT}){{1,4}}(?i:{_TLD})\b")
_EMAIL_PLAIN = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_MESSENGERS = (
    r"telegram|telegramm|télégram(?:me)?|wickr(?:\s*me)?|session|signal|threema|jabber|xmpp|whats\s?app|wire"
    r"|element|matrix|briar|simplex|tox|discord|kik|icq|skype|snapchat|snap|keybase"
)
_HANDLE = r"@?[\w.+-]{2,80}(?::[\w.-]+)?"
_HANDLE_LABEL = r"(?:[\s-]*(?:id|ID|me|username|user|handle|nick|name|naam|pseudo|nom|nummer|number|numéro))?"
_HANDLE_SEP = r"\s*(?:[:=]|->|→|is|est|ist|c'est)\s*"
# names that are no ordinary word: a handle may follow them after a space alone ("add me on wickr joedoe")
_PLAIN_MESSENGERS = r"telegram|telegramm|wickr(?:\s*me)?|threema|jabber|xmpp|kik|skype|snapchat|keybase|icq"
_NOT_A_HANDLE = (
    r"(?!(?:channel|channels|group|groups|bot|bots|app|chat|kanaal|groep|groepen|groupe|groupes|canal|gruppe"
    r"|gruppen|kanal|is|est|ist|and|or|en|et|und|of|oder|ou|to|naar|à|zu|a|an|the|de|le|la|die|der|das|plug|plugs"
    r"|dealer|dealers|vendor|vendors|seller|sellers|shop|shops|market|markets|account|accounts|user|users|verkoper"
    r"|verkopers|vendeur|vendeurs|händler|verkäufer|only|alleen|seulement|nur|too|ook|aussi|auch)\b)"
)
_MESSENGER_HANDLE = re.compile(
    rf"(?i)\b(?:({_MESSENGERS}){_HANDLE_LABEL}({_HANDLE_SEP}|\s+(?=@)|\s+(?=[\w.+-]*\d))"
    rf"|({_PLAIN_MESSENGERS})\s+{_NOT_A_HANDLE}){_HANDLE}"
)
_SESSION_ID = re.compile(r"(?i)\b05[0-9a-f]{64}\b")
_PGP_GROUPED = re.compile(
    r"(?i)(?<![0-9a-z])(?:0x)?[0-9a-f]{4}(?:[0-9a-f]{4})?(?:[ \t]{1,2}[0-9a-f]{4}){3,}(?![0-9a-z])"
)
_PGP_PLAIN = re.compile(r"(?i)(?<![0-9a-z])[0-9a-f]{40}(?![0-9a-z])")
_PGP_KEY_ID = re.compile(
    r"(?i)(\b(?:pgp|gpg|key|keys|schlüssel|clé|cle|sleutel|fingerprint|fingerabdruck|empreinte|vingerafdruk)\b"
    r"[^\n]{0,30}?)0x[0-9a-f]{8,16}\b|\b0x[0-9a-f]{16}\b"
)
_BASE58 = "1-9A-HJ-NP-Za-km-z"
_BECH32 = "02-9ac-hj-np-zAC-HJ-NP-Z"
_CRYPTO = re.compile(
    rf"\b(?:[13][{_BASE58}]{{25,34}}"  # Bitcoin legacy and script addresses
    rf"|[LM][{_BASE58}]{{26,33}}"  # Litecoin
    rf"|(?i:bc1|tb1|ltc1)[{_BECH32}]{{11,87}}"  # bech32 / bech32m (Bitcoin, Litecoin)
    rf"|[48][{_BASE58}]{{94}}(?:[{_BASE58}]{{11}})?"  # Monero, standard and integrated
    r"|0x[0-9a-fA-F]{40})\b"  # Ethereum
)
_PHONE_HINT = re.compile(r"(?:\+|\b0)\d[\d\s().\-/]{6,}\d")


def _hex_or_keep(match: re.Match[str]) -> str:
    """A run of hex digits is a fingerprint when it mixes digits and letters (not "2024 1000 2500 5000", not words)."""
    digits = re.sub(r"(?i)^0x|\s", "", match[0])
    mixed = any(c.isdigit() for c in digits) and any(c.isalpha() for c in digits)
    return "[pgp fingerprint]" if mixed else match[0]


@dataclass
class Scrubber:
    """Removes contact details from text; ``counts`` says how many of each kind were removed."""

    counts: dict[str, int] = field(default_factory=dict)

    def text(self, text: str, language: str | None = None) -> str:
        text = self._sub(_PGP_BLOCK, "[pgp block]", text, "pgp_block")
        text = self._sub(_MESSENGER_LINK, "[contact]", text, "contact")
        text = self._sub(_LINK, "[link]", text, "link")
        text = self._sub(_PROFILE_PATH, "[link]", text, "link")
        text = self._sub(_EMAIL, "[email]", text, "email")
        text = self._sub(_EMAIL_PLAIN, "[email]", text, "email")
        text = self._sub(_SESSION_ID, "[contact]", text, "contact")
        text = self._sub(_CRYPTO, "[crypto address]", text, "crypto_address")
        text = self._sub(_PGP_KEY_ID, lambda m: f"{m[1] or ''}[pgp fingerprint]", text, "pgp_fingerprint")
        text = self._sub(_PGP_GROUPED, _hex_or_keep, text, "pgp_fingerprint")
        text = self._sub(_PGP_PLAIN, _hex_or_keep, text, "pgp_fingerprint")
        text = self._phones(text, language)  # before handles: "Signal +31 6 ..." is a phone number
        return self._sub(_MESSENGER_HANDLE, lambda m: f"{m[1] or m[3]}: [contact]", text, "contact")

    def _phones(self, text: str, language: str | None) -> str:
        if not _PHONE_HINT.search(text):
            return text
        import phonenumbers

        regions = dict.fromkeys([LANGUAGE_REGIONS.get(language or "", "NL"), *PHONE_REGIONS])
        spans: list[tuple[int, int]] = []
        for region in regions:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                spans.append((match.start, match.end))
        if not spans:
            return text
        kept: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if kept and start < kept[-1][1]:
                kept[-1] = (kept[-1][0], max(end, kept[-1][1]))
            else:
                kept.append((start, end))
        for start, end in reversed(kept):
            text = text[:start] + "[phone]" + text[end:]
        self.count("phone", len(kept))
        return text

    def _sub(self, pattern: re.Pattern[str], replacement: str | Callable[[re.Match[str]], str], text: str,
             what: str) -> str:  # fmt: skip
        changed = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal changed
            new = replacement(match) if callable(replacement) else match.expand(replacement)
            changed += new != match[0]
            return new

        text = pattern.sub(replace, text)
        self.count(what, changed)  # a match kept as it was (not a fingerprint after all) is not counted
        return text

    def count(self, what: str, n: int = 1) -> None:
        if n:
            self.counts[what] = self.counts.get(what, 0) + n
