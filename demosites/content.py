"""Text for the demo sites: listing titles and descriptions, reviews, forum posts, money formats.

Every function takes the ``random.Random`` to draw from, so a seed fixes every word.
"""

from __future__ import annotations

import random
import re
import string

from demosites.vocab import (
    ADVERSE,
    EFFECTS,
    EMOJI,
    NEGATED,
    ROUTES,
    SEVERE,
    TIERS,
    USER_PARTS_A,
    USER_PARTS_B,
    VENDOR_PARTS_A,
    VENDOR_PARTS_B,
    Substance,
)

Lang = str  # "en", "nl" or "fr"


def rng_for(*parts: object) -> random.Random:
    """A generator seeded by a string of the parts: stable across runs and Python versions."""
    return random.Random(":".join(str(p) for p in parts))


def alias(rng: random.Random, sub: Substance) -> str:
    """The substance as someone would write it: its name half of the time, else slang or a misspelling."""
    return sub.key if rng.random() < 0.5 else rng.choice(sub.aliases)


# ---- money -------------------------------------------------------------------------------------------------------


def usd(amount: float) -> str:
    return f"${amount:,.2f}"


def eur_eu(amount: float) -> str:
    """Euros the continental way: €1.234,50."""
    return "€" + f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def crypto(amount: float, ticker: str, digits: int, comma: bool = False) -> str:
    text = f"{amount:.{digits}f}"
    return f"{text.replace('.', ',') if comma else text} {ticker}"


def tier_label(units: float, unit: str, style: str) -> str:
    """A quantity tier label: "5g", "10 pills" (style "a") or "5 GR", "10 ST." (style "b")."""
    n = f"{units:g}"
    if style == "a":
        return {
            "g": f"{n}g",
            "pill": f"{n} pills",
            "tab": f"{n} tabs",
            "ml": f"{n}ml",
            "mg": f"{n}mg" if units < 1000 else "1g",
            "pellet": f"{n} pellets",
        }[unit]
    if unit == "g" and units == 28:
        return "1 OZ"
    return {
        "g": f"{n} GR",
        "pill": f"{n} ST.",
        "tab": f"{n} TABS",
        "ml": f"{n} ML",
        "mg": f"{n} MG" if units < 1000 else "1 GR",
        "pellet": f"{n} PELLETS",
    }[unit]


# ---- markets -----------------------------------------------------------------------------------------------------

_TITLES = (
    "{e} {a} {purity}% | {country} stock {e}",
    "{a} ({key}) — top quality",
    "{key} / {a} - {q} - fast shipping",
    "**{a}** lab tested {e}",
    "{key} crystal rocks {purity}%",
    "Premium {a} {e}{e}",
    "{a} - new batch - {q}",
    "{key} 'Vendor's pick' {e}",
)
_DESC = (
    "Fresh batch of {a}, lab tested at {purity}%. Vacuum sealed, stealth packaging, ships within 24h.",
    "Our {key} is the best on the market. Reship 50% if lost. No refunds on wrong address!!",
    "Price list: {q1}. Bulk? Message me. {e}",
    "Great {a} straight from the lab. Start low ({dose}), go slow. Do not mix with alcohol.",
    "Dit is echte {a}, geen versneden rommel. Verzending binnen NL 1-2 dagen.",
    "Beste Qualität {a}, Versand aus Deutschland. Tracking auf Anfrage.",
    "Stealth: MBB + decoy. Ships Mon-Fri. 10g - {p10}. FE only for vendors with 100+ sales.",
    "Customers love it: 'strongest {a} I ever had' {e}",
)


def listing_title(rng: random.Random, sub: Substance) -> str:
    fmt = rng.choice(_TITLES)
    return fmt.format(
        e=rng.choice(EMOJI),
        a=alias(rng, sub),
        key=sub.key,
        purity=rng.choice((85, 92, 97, 99)),
        country=rng.choice(("NL", "DE", "EU", "UK")),
        q=rng.choice(("bulk", "samples", "wholesale", tier_label(TIERS[sub.unit][1][0], sub.unit, "a"))),
    )


def listing_description(rng: random.Random, sub: Substance, n: int = 3) -> str:
    parts = rng.sample(_DESC, n)
    return " ".join(
        p.format(
            a=alias(rng, sub),
            key=sub.key,
            purity=rng.choice((85, 92, 99)),
            e=rng.choice(EMOJI),
            dose=sub.dose,
            q1=f"$40/{'g' if sub.unit == 'g' else sub.unit}",
            p10=f"{int(sub.usd * 8)}€",
        )
        for p in parts
    )


def long_description(rng: random.Random, sub: Substance) -> str:
    """A very long description (several KB), as some vendors write."""
    return " ".join(listing_description(rng, sub, 4) for _ in range(30))


_REVIEWS = (
    "5/5 arrived in {d} days, strong stuff 👍",
    "Good stealth, product as described.",
    "meh, weaker than last batch",
    "Top vendor!!! 10/10",
    "took {d} days but worth the wait",
    "Perfecte stealth, goede kwaliteit",
    "Sehr gut, gerne wieder",
    "not as pictured, vendor resolved it",
    "1,234.50 USD order, all arrived. Trusted.",
)


def review(rng: random.Random) -> str:
    return rng.choice(_REVIEWS).format(d=rng.randint(2, 9))


def vendor_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(VENDOR_PARTS_A) + rng.choice(VENDOR_PARTS_B) + rng.choice(("", "", "NL", "420", "_EU"))
        if name not in taken:
            taken.add(name)
            return name


def pgp_block(rng: random.Random) -> tuple[str, str]:
    """An armoured public-key block of random base64 and its 40-hex fingerprint (shown in groups of four)."""
    alphabet = string.ascii_letters + string.digits + "+/"
    lines = ["".join(rng.choice(alphabet) for _ in range(64)) for _ in range(8)]
    block = "\n".join(
        [
            "-----BEGIN PGP PUBLIC KEY BLOCK-----",
            "",
            *lines,
            "=" + "".join(rng.choices(alphabet, k=4)),
            "-----END PGP PUBLIC KEY BLOCK-----",
        ]
    )
    hexes = "".join(rng.choice("0123456789ABCDEF") for _ in range(40))
    return block, " ".join(hexes[i : i + 4] for i in range(0, 40, 4))


# ---- forums ------------------------------------------------------------------------------------------------------

_OPENERS = {
    "en": (
        "Last night I took {dose} of {a}, {route}.",
        "Tried {a} for the first time ({dose}, {route}).",
        "Anyone else got the new {a}? Paid $40/g.",
        "Question about {a}: is {dose} a sane dose?",
        "Weekend report: {dose} {a} {route} at a party.",
    ),
    "nl": (
        "Gisteren {dose} {a} {route}.",
        "Eerste keer {a} geprobeerd, {dose} {route}.",
        "Iemand ervaring met {a}? Betaalde 10g - 120€.",
        "Vraagje over {a}: is {dose} te veel?",
        "Zaterdag op feest {dose} {a} {route}.",
    ),
    "fr": (
        "Hier soir j'ai pris {dose} de {a}, {route}.",
        "Première fois avec la {a} ({dose}, {route}).",
        "Quelqu'un a testé la {a} ? Payé 1 234,50 € le lot.",
        "Question sur la {a} : {dose} c'est raisonnable ?",
        "Récit du week-end : {dose} de {a} {route} en soirée.",
    ),
}
_MIDDLE = {
    "en": (
        "Effects: {eff}, {eff2}.",
        "Lots of {eff}, but also {adv}.",
        "{neg}, just {eff}.",
        "Had some {adv} on the come-down.",
        "Felt {eff} for about 3 hours.",
    ),
    "nl": (
        "Effecten: {eff}, {eff2}.",
        "Veel {eff}, maar ook {adv}.",
        "{neg}, alleen {eff}.",
        "Wat {adv} tijdens de dip.",
        "Ongeveer 3 uur {eff}.",
    ),
    "fr": (
        "Effets : {eff}, {eff2}.",
        "Beaucoup d'{eff}, mais aussi {adv}.",
        "{neg}, juste {eff}.",
        "Un peu de {adv} pendant la descente.",
        "Environ 3 heures d'{eff}.",
    ),
}
_CLOSERS = {
    "en": ("Test your stuff, people.", "Would do again, but not soon.", "Stay safe 🙏", "", "Any tips?"),
    "nl": ("Laat je spul testen!", "Zou het nog eens doen.", "Veilig blijven 🙏", "", "Tips?"),
    "fr": (
        "Faites tester vos produits.",
        "À refaire, mais pas tout de suite.",
        "Prenez soin de vous 🙏",
        "",
        "Des conseils ?",
    ),
}
_SEVERE_LINES = {
    "en": (
        "My mate smoked a {a} vape sold as THC and had {sev}. Be careful!",
        "Friend took a hit of a 'THC' cart — turned out to be {a}. {sev}, we called 112.",
        "Warning: batch of vapes going round with {a}. Someone here had {sev}.",
    ),
    "nl": (
        "Mijn vriend rookte een 'THC' vape, bleek {a} te zijn. Hij kreeg {sev}.",
        "Pas op met die vapes, er zit {a} in. Mijn zus heeft {sev} gehad.",
        "Waarschuwing: {a} in nep-THC vapes, {sev}. Wees voorzichtig!",
    ),
    "fr": (
        "Attention : des vapes « THC » contiennent du {a}. Un pote a fait {sev}.",
        "Ma copine a tiré sur une vape, c'était du {a}, elle a fait {sev}.",
        "Alerte : lot de vapes au {a}, {sev} pour deux personnes de notre groupe.",
    ),
}


_LINES = {"nl": "2 lijntjes", "fr": "2 traces"}  # lines of powder, in the post's own language
_ELISION = re.compile(r"\b([dD])'(?=[^\W_aeiouyhàâéèêëîïôûAEIOUYHÉ])")  # d'euphorie, but de montée douce


def _french(lang: Lang, text: str) -> str:
    """``d'`` before a consonant becomes ``de`` (templates end in d' before a slot that may start either way)."""
    return _ELISION.sub(r"\1e ", text) if lang == "fr" else text


_SEVERE_AFTER = {"en": "But then: {sev}.", "nl": "Maar daarna: {sev}.", "fr": "Mais ensuite : {sev}."}


def post_text(rng: random.Random, lang: Lang, sub: Substance, trip_report: bool = False, severe: bool = False) -> str:
    """A forum post about ``sub``: what was taken, how, effects and side effects (some negated, some severe)."""
    fill = _fill(rng, lang, sub)
    lines = [rng.choice(_OPENERS[lang]).format(**fill)]
    for _ in range(rng.randint(3, 6) if trip_report else rng.randint(1, 2)):
        lines.append(rng.choice(_MIDDLE[lang]).format(**_fill(rng, lang, sub)))
    if severe:
        lines.append(_SEVERE_AFTER[lang].format(sev=rng.choice(SEVERE[lang])))
    lines.append(rng.choice(_CLOSERS[lang]))
    return _french(lang, " ".join(line for line in lines if line))


def severe_post(rng: random.Random, lang: Lang, sub: Substance) -> str:
    """A report of a severe adverse effect (seizure, psychosis, hospital) after a vape sold as THC."""
    first = rng.choice(_SEVERE_LINES[lang]).format(a=alias(rng, sub), sev=rng.choice(SEVERE[lang]))
    return _french(lang, f"{first} {rng.choice(_MIDDLE[lang]).format(**_fill(rng, lang, sub))}")


def _fill(rng: random.Random, lang: Lang, sub: Substance) -> dict[str, str]:
    return {
        "a": alias(rng, sub),
        "dose": rng.choice(
            (sub.dose, "took 150mg", "2 lijntjes", "half a gram", "1 oz")
            if lang == "en"
            else (sub.dose, sub.dose, _LINES[lang])
        ),
        "route": rng.choice(ROUTES[lang]),
        "eff": rng.choice(EFFECTS[lang]),
        "eff2": rng.choice(EFFECTS[lang]),
        "adv": rng.choice(ADVERSE[lang]),
        "neg": rng.choice(NEGATED[lang]).capitalize(),
    }


_THREAD_TITLES = {
    "en": ("{a} experiences?", "First time {a}", "{a} dosage question", "{a} vs the old stuff", "Is {a} legit?"),
    "nl": ("Ervaringen met {a}?", "Eerste keer {a}", "{a} dosering", "{a} of toch iets anders?", "{a} uit de shop"),
    "fr": ("Retours sur la {a} ?", "Première fois {a}", "Dosage {a}", "{a} : arnaque ou pas ?", "La {a} en soirée"),
}
_TR_TITLES = {
    "en": "[TR] {dose} {a} — {mood}",
    "nl": "[TR] {dose} {a}, {mood}",
    "fr": "Récit : {dose} de {a}, {mood}",
}
_MOODS = {
    "en": ("wild night", "mellow evening", "never again", "mixed feelings"),
    "nl": ("mooie avond", "nooit meer", "gemengde gevoelens", "heftig"),
    "fr": ("soirée folle", "plus jamais", "sentiments mitigés", "tranquille"),
}


def thread_title(rng: random.Random, lang: Lang, sub: Substance, trip_report: bool) -> str:
    if trip_report:
        return _TR_TITLES[lang].format(dose=sub.dose, a=alias(rng, sub), mood=rng.choice(_MOODS[lang]))
    return rng.choice(_THREAD_TITLES[lang]).format(a=alias(rng, sub))


def user_names(
    rng: random.Random, n: int, parts: tuple[tuple[str, ...], tuple[str, ...]] = (USER_PARTS_A, USER_PARTS_B)
) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        names.add(rng.choice(parts[0]) + rng.choice(parts[1]))
    return sorted(names)
