"""Contact details out of free text, each kind in English, Dutch, French and German (invented people and values)."""

from __future__ import annotations

import pytest

from exports.scrub import Scrubber

# (kind, the secret that must go, the marker it becomes) -> sentence per language, {} stands for the secret
SECRETS: dict[str, tuple[str, str]] = {
    "pgp_block": (
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBGXq1ZkBEAC7x\n-----END PGP PUBLIC KEY BLOCK-----",
        "[pgp block]",
    ),
    "pgp_fingerprint": ("4A1B 9C2D 7E3F 0A5B 6C8D  1E2F 3A4B 5C6D 7E8F 9A0B", "[pgp fingerprint]"),
    "pgp_key_id": ("0x7E3F0A5B6C8D1E2F", "[pgp fingerprint]"),
    "pgp_short_key_id": ("0x3F2A9C1D8E7B", "[pgp fingerprint]"),
    "pgp_partial_fingerprint": ("8A21 C3B4 D5E6 F708", "[pgp fingerprint]"),
    "btc": ("1aTtLQKCrnnbjJ82GRupTHxZtMhwkoS9c4", "[crypto address]"),
    "btc_script": ("39usyDAynbctkENb8ynh5LT6ZwXhfAktTu", "[crypto address]"),
    "btc_bech32": ("bc1q4pmhrkr7hqe08d0hr3y3vgsnk524x34qrkpa37", "[crypto address]"),
    "xmr": (
        "4AoDLH5pnY2gdak9SYoeuSCDHAk8E4vbLtyMtM4BT6mrLvHjSX5b6bhGFbHdBtK4oyYeSuYFcTahV5WqEFXMuDQf2pddaU4",
        "[crypto address]",
    ),
    "ltc": ("LzvNeBcFgMQCqELUPVe6a7a1DdzncqCVWV", "[crypto address]"),
    "ltc_bech32": ("ltc1qg7uqjstqa44dr3xqp87ndxpawpe8mrrvs3kk6e", "[crypto address]"),
    "eth": ("0x0a219aa3a47f9e3872d96fb46492dec445af9d27", "[crypto address]"),
    "email": ("joe.doe99@protonmail.com", "[email]"),
    "email_brackets": ("joe.doe99 [at] protonmail [dot] com", "[email]"),
    "email_parens": ("joedoe99(at)mailbox dot org", "[email]"),
    "telegram": ("@joedoe_99", "[contact]"),
    "telegram_link": ("t.me/joedoe_99", "[contact]"),
    "wickr": ("joedoe99", "[contact]"),
    "session": ("05547dae497f86b03af2d2c752929aea4489ca4d38766bdc829c6a011bfcd89e5d", "[contact]"),
    "signal": ("joedoe.42", "[contact]"),
    "threema": ("K7XQ2M9P", "[contact]"),
    "jabber": ("joedoe99@xmpp.jp", "[email]"),
    "profile_link": ("http://novaxyz7abc.onion/vendor/joedoe99", "[link]"),
    "profile_path": ("/user/joedoe99", "[link]"),
}
SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "pgp_block": "My key:\n{}\nEncrypt your address.",
        "pgp_fingerprint": "Check my fingerprint {} before ordering.",
        "pgp_key_id": "Import key {} from the keyserver.",
        "pgp_short_key_id": "PGP key {}, check it.",
        "pgp_partial_fingerprint": "Fingerprint ends in {}.",
        "btc": "Send BTC to {} and message me.",
        "btc_script": "Pay to {} please.",
        "btc_bech32": "New wallet: {} (segwit).",
        "xmr": "XMR only: {}",
        "ltc": "Litecoin accepted at {}.",
        "ltc_bech32": "LTC: {}",
        "eth": "ETH to {} works too.",
        "email": "Mail me at {} for bulk.",
        "email_brackets": "Write to {} for wholesale.",
        "email_parens": "Contact {} anytime.",
        "telegram": "Find me on telegram {} for restocks.",
        "telegram_link": "Join {} for updates.",
        "wickr": "Add me on wickr: {}",
        "session": "My Session ID: {}",
        "signal": "Signal: {} for quick replies.",
        "threema": "Threema ID {} works.",
        "jabber": "Jabber: {}",
        "profile_link": "See my profile {} for reviews.",
        "profile_path": "Reviews at {} on the market.",
    },
    "nl": {
        "pgp_block": "Mijn sleutel:\n{}\nVersleutel je adres.",
        "pgp_fingerprint": "Controleer mijn vingerafdruk {} voor je bestelt.",
        "pgp_key_id": "Importeer sleutel {} van de keyserver.",
        "pgp_short_key_id": "PGP-sleutel {}, controleer hem.",
        "pgp_partial_fingerprint": "Vingerafdruk eindigt op {}.",
        "btc": "Stuur BTC naar {} en stuur me een bericht.",
        "btc_script": "Betalen naar {} graag.",
        "btc_bech32": "Nieuwe wallet: {} (segwit).",
        "xmr": "Alleen XMR: {}",
        "ltc": "Litecoin kan ook op {}.",
        "ltc_bech32": "LTC: {}",
        "eth": "ETH naar {} kan ook.",
        "email": "Mail me op {} voor grote bestellingen.",
        "email_brackets": "Schrijf naar {} voor groothandel.",
        "email_parens": "Neem contact op via jan apenstaartje mailbox punt nl of {}.",
        "telegram": "Je vindt me op telegram {} voor nieuwe voorraad.",
        "telegram_link": "Kom in de groep {} voor updates.",
        "wickr": "Voeg me toe op wickr: {}",
        "session": "Mijn Session ID: {}",
        "signal": "Signal: {} voor snelle antwoorden.",
        "threema": "Threema ID {} werkt.",
        "jabber": "Jabber: {}",
        "profile_link": "Zie mijn profiel {} voor reviews.",
        "profile_path": "Reviews op {} op de markt.",
    },
    "fr": {
        "pgp_block": "Ma clé :\n{}\nChiffrez votre adresse.",
        "pgp_fingerprint": "Vérifiez mon empreinte {} avant de commander.",
        "pgp_key_id": "Importez la clé {} depuis le serveur.",
        "pgp_short_key_id": "Clé PGP {}, vérifiez-la.",
        "pgp_partial_fingerprint": "L'empreinte finit par {}.",
        "btc": "Envoyez les BTC à {} et écrivez-moi.",
        "btc_script": "Payez à {} svp.",
        "btc_bech32": "Nouveau portefeuille : {} (segwit).",
        "xmr": "XMR uniquement : {}",
        "ltc": "Litecoin accepté sur {}.",
        "ltc_bech32": "LTC : {}",
        "eth": "ETH vers {} marche aussi.",
        "email": "Écrivez-moi à {} pour le gros.",
        "email_brackets": "Écrivez à {} pour la revente.",
        "email_parens": "Contact : jean arobase mail point fr ou {}.",
        "telegram": "Retrouvez-moi sur telegram {} pour les arrivages.",
        "telegram_link": "Rejoignez {} pour les nouvelles.",
        "wickr": "Ajoutez-moi sur wickr : {}",
        "session": "Mon ID Session : {}",
        "signal": "Signal : {} pour répondre vite.",
        "threema": "Threema ID {} fonctionne.",
        "jabber": "Jabber : {}",
        "profile_link": "Voir mon profil {} pour les avis.",
        "profile_path": "Avis sur {} sur le marché.",
    },
    "de": {
        "pgp_block": "Mein Schlüssel:\n{}\nVerschlüssle deine Adresse.",
        "pgp_fingerprint": "Prüfe meinen Fingerabdruck {} vor der Bestellung.",
        "pgp_key_id": "Importiere Schlüssel {} vom Keyserver.",
        "pgp_short_key_id": "PGP-Schlüssel {}, bitte prüfen.",
        "pgp_partial_fingerprint": "Fingerabdruck endet auf {}.",
        "btc": "Schick BTC an {} und schreib mir.",
        "btc_script": "Zahlung an {} bitte.",
        "btc_bech32": "Neue Wallet: {} (Segwit).",
        "xmr": "Nur XMR: {}",
        "ltc": "Litecoin geht auch an {}.",
        "ltc_bech32": "LTC: {}",
        "eth": "ETH an {} geht auch.",
        "email": "Schreib mir an {} für große Mengen.",
        "email_brackets": "Schreib an {} für den Großhandel.",
        "email_parens": "Kontakt: hans (ät) mailbox Punkt de oder {}.",
        "telegram": "Du findest mich auf Telegram {} für Nachschub.",
        "telegram_link": "Tritt {} bei für Neuigkeiten.",
        "wickr": "Füg mich hinzu auf Wickr: {}",
        "session": "Meine Session-ID: {}",
        "signal": "Signal: {} für schnelle Antworten.",
        "threema": "Threema-ID {} geht.",
        "jabber": "Jabber: {}",
        "profile_link": "Siehe mein Profil {} für Bewertungen.",
        "profile_path": "Bewertungen unter {} auf dem Markt.",
    },
}
PHONES = {"en": "+44 7911 123456", "nl": "06-12345678", "fr": "06 12 34 56 78", "de": "0151 23456789"}
PHONE_SENTENCES = {"en": "Text me on {} after 6pm.", "nl": "Bel me op {} na zessen.",
                   "fr": "Appelez-moi au {} après 18h.", "de": "Ruf mich an unter {} nach 18 Uhr."}  # fmt: skip
CASES = [(lang, kind) for lang in SENTENCES for kind in SECRETS]


@pytest.mark.parametrize(("language", "kind"), CASES, ids=[f"{lang}-{kind}" for lang, kind in CASES])
def test_each_kind_of_contact_detail_is_removed_in_each_language(language: str, kind: str) -> None:
    secret, marker = SECRETS[kind]
    text = SENTENCES[language][kind].format(secret)
    out = Scrubber().text(text, language)
    assert secret not in out and marker in out, out
    for part in ("joedoe", "jan apenstaartje", "jean arobase", "hans (ät)", "mailbox"):
        assert part not in out.lower(), out


@pytest.mark.parametrize("language", PHONES)
def test_phone_numbers_are_removed_in_each_language(language: str) -> None:
    text = PHONE_SENTENCES[language].format(PHONES[language])
    out = Scrubber().text(text, language)
    assert out == PHONE_SENTENCES[language].format("[phone]")
    international = Scrubber().text("WhatsApp +31 6 12345678 or Signal +33 6 12 34 56 78", language)
    assert international == "WhatsApp [phone] or Signal [phone]"


@pytest.mark.parametrize(
    "text",
    [
        "Took 20 mg of 2-FMA at 10pm, felt it for 3 hours. €45.00 for 10g, 100/250/500 mg tiers.",
        "3-MMC 1000 mg = 1 g; ordered 2026-10-01, arrived 2026-10-03 in 48h. Rated 4.8/5 by 1234 buyers.",
        "Signal to noise is low on this board; the session lasted 6 hours at the party.",
        "Windows update failed with error 0x80070643; the Telegram plug is a scammer, 2024 1000 2500 5000 sold.",
        "Prijs: € 1.234,50 voor 100 g, levering binnen 2-3 dagen.",
    ],
)
def test_ordinary_text_with_numbers_and_dates_is_left_alone(text: str) -> None:
    scrubber = Scrubber()
    assert scrubber.text(text, "en") == text and scrubber.counts == {}
