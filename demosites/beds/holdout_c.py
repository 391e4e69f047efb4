"""Hold-out C (sealed): Le Comptoir (a table-based market priced in US dollars with a bitcoin equivalent, French and
English listings) and La Rade (a Discourse-like forum, French and English, a German board opened mid-way), 62 days
from Monday 2027-07-26.

Scored before and after the detectors are tuned, never used for fixing: whoever tunes does not read this module,
``bench/markets/holdout_c/``, ``demosites/sites/comptoir_market.py``, ``demosites/sites/larade_forum.py`` nor their
templates.  The scripted events and traps are in ``bench/markets/holdout_c/script.yml``; this module makes them
happen on the sites.
"""

from __future__ import annotations

from datetime import date

from demosites import content
from demosites.beds.forum import ForumSpec
from demosites.beds.market import MarketSpec, wave
from demosites.beds.model import (
    Appear,
    Drug,
    ForumWords,
    MarketWords,
    NewThread,
    Peak,
    Rebrand,
    Reprice,
    Spike,
    Wave,
)
from demosites.forums import Board
from demosites.timeline import Fault, Timeline

TIMELINE = Timeline(date(2027, 7, 26), 62)
MARKET, FORUM = "comptoir_market", "larade_forum"
ZONE = "Europe/Zurich"  # the forum writes its times with this zone's offset
FORUM_OUTAGE = Fault(FORUM, "outage", (30, 31))  # the forum answers 503 for two days (a trap: nothing to signal)
REBRAND = Rebrand(vendor=11, day=12, gap=2, name="RhoneValleyDirect")  # a vendor leaves and relists as a new account

CANNABINOID = "EDMB-7en-PICA"  # invented: head EDMB, tail 7en (heptenyl), core PICA; in no lexicon
BENZO = "fluetizolam"  # invented: a fluorinated etizolam analogue; in no lexicon
_KIT_TITLES = (
    "{a} – kit réactif (réduction des risques) {e}",
    "{a} | reagent test, results in 2 minutes",
    "{a} – testez avant de consommer",
)
_KIT_BLURBS = (
    "Kit de test colorimétrique à usage unique. Un résultat positif ne dit rien sur la dose.",
    "Drop the reagent on a small sample and compare with the colour chart. Not a guarantee of safety.",
    "Vendu à prix coûtant. Tester sauve des vies.",
    "Instructions en français, anglais et allemand incluses.",
)

DRUGS: tuple[Drug, ...] = (
    Drug("cocaine", ("coke", "coco", "cocaïne", "la blanche", "CC", "Bolivian flake"), "Stimulants", "g", 95, 8,
         "0.2 g", party=True),
    Drug("3-MMC", ("3MMC", "3-mmc", "3M", "metaphedrone", "3-méthylméthcathinone"), "Stimulants", "g", 22, 6,
         "150mg", party=True),
    Drug("amphetamine", ("speed", "amph", "pep", "amphétamine"), "Stimulants", "g", 12, 3, "0.5 g", party=True),
    Drug("MDMA", ("MD", "Mandy", "molly", "cristaux de MD", "MDMA crystal"), "Ecstasy", "g", 40, 5, "120mg",
         party=True),
    Drug("XTC", ("ecsta", "taz", "ecstasy", "pills", "cachets d'ecsta"), "Ecstasy", "pill", 9, 5, "1 pill",
         party=True),
    Drug("ketamine", ("kéta", "keta", "ket", "Special K", "kétamine"), "Dissociatifs", "g", 30, 6, "50mg",
         party=True),
    Drug("2C-B", ("2cb", "Nexus", "tucibi"), "Psychédéliques", "pill", 12, 2, "20mg", party=True),
    Drug("LSD", ("acide", "buvards", "carton", "acid", "LSD-25"), "Psychédéliques", "tab", 9, 4, "100µg"),
    Drug("psilocybin", ("champis", "champignons magiques", "shrooms", "truffes"), "Psychédéliques", "g", 10, 2, "2 g"),
    Drug("cannabis", ("beuh", "weed", "shit", "résine", "hash", "Amnesia"), "Cannabis", "g", 10, 8, "un joint"),
    Drug("GHB", ("G", "GBL", "gé", "liquid"), "Dépresseurs", "ml", 0.25, 2, "1.5 ml", party=True),
    Drug("alprazolam", ("Xanax", "alpra", "Xanor", "xanax"), "Benzodiazépines", "pill", 3, 3, "1mg"),
    Drug("heroin", ("héro", "brown", "dope", "héroïne"), "Opioïdes", "g", 70, 2, "0.1 g"),
    Drug("oxycodone", ("oxy", "OxyContin", "oxys"), "Opioïdes", "pill", 12, 1, "20mg"),
    Drug(
        CANNABINOID,
        ("EDMB-7en", "7en-PICA", "edmb-7en-pica", "EDMB 7en PICA"),
        "Mélanges",
        "g",
        28,
        0,
        "1 taffe",
        titles=(
            "Encens aux herbes 'Nuit Bleue' 3 g – {key} {e}",
            "Herbal incense {key} – very strong, not for consumption",
            "{a} mélange d'herbes – ne pas consommer",
        ),
    ),
    Drug(
        BENZO,
        ("Fluetizolam", "flueti", "fluéti"),
        "Benzodiazépines",
        "pill",
        2.5,
        0,
        "0.5mg",
        titles=("{key} 0.5 mg pellets – research chemical {e}", "{a} 0,5 mg – nouveau, puissant"),
    ),
    Drug(
        "benzodiazepine test kit",
        ("kit test benzodiazépines", "benzodiazepine reagent test"),
        "Réduction des risques",
        "kit",
        14,
        0,
        talk=False,
        titles=_KIT_TITLES,
        blurbs=_KIT_BLURBS,
    ),
    Drug(
        "synthetic cannabinoid test kit",
        ("test cannabinoïdes de synthèse", "synthetic cannabinoid test kit"),
        "Réduction des risques",
        "kit",
        16,
        0,
        talk=False,
        titles=_KIT_TITLES,
        blurbs=_KIT_BLURBS,
    ),
    Drug("alcohol", ("alcool", "bière", "vin", "l'apéro", "booze", "a few beers"), "", "ml", 0, 0, talk=False),
    Drug("naloxone", ("naloxone", "Nyxoid", "spray de naloxone"), "", "ml", 0, 0, talk=False),
)  # fmt: skip

# ---- the market -----------------------------------------------------------------------------------------------


def btc_usd(day: int) -> float:
    """Dollars per bitcoin: swings some 8% over the weeks."""
    return 61000 * wave(day, 9, 0.08)


def swiss(amount: float) -> str:
    """1064.5 -> "1'064.50", as Swiss shops write amounts."""
    return f"{amount:,.2f}".replace(",", "'")


def usd_btc(amount: float, day: int) -> tuple[str, ...]:
    """US$ 95.00 and its bitcoin equivalent, ≈ ₿0.00156."""
    return f"US$ {swiss(amount)}", f"≈ ₿{amount / btc_usd(day):.5f}"


TIERS = {
    "g": ((1, 1.0, "1 g"), (3.5, 0.95, "3.5 g"), (7, 0.88, "7 g"), (14, 0.8, "14 g"), (28, 0.7, "28 g")),
    "pill": ((10, 1.0, "10 pilules"), (25, 0.9, "25 pilules"), (50, 0.8, "50 pilules"), (100, 0.7, "100 pilules")),
    "tab": ((5, 1.0, "5 buvards"), (10, 0.9, "10 buvards"), (25, 0.8, "25 buvards")),
    "ml": ((100, 1.0, "100 ml"), (250, 0.9, "250 ml"), (500, 0.8, "500 ml")),
    "kit": ((1, 1.0, "1 kit"), (3, 0.9, "3 kits"), (10, 0.8, "10 kits")),
}

MARKET_WORDS = MarketWords(
    titles={
        "fr": (
            "{a} {purity}% – qualité supérieure {e}",
            "{key} | envoi depuis la Suisse | {a}",
            "{e} {a} – nouveau lot arrivé",
            "{key} ({a}) – testé en labo {purity}%",
            "{a} premium – envoi discret {e}",
            "{a} pur à {purity}% – livraison 48h",
        ),
        "en": (
            "{e} {a} {purity}% | Swiss stock",
            "{key} – top quality {e}",
            "{a} ({key}) · fast shipping EU",
            "{key} · {purity}% by lab · discreet post",
            "{a} — fresh batch {e}{e}",
        ),
    },
    descriptions={
        "fr": (
            "Lot frais de {a}, testé à {purity}%. Sous vide, envoi sous 24h.",
            "Envoi par La Poste en courrier A, double emballage, expéditeur neutre.",
            "Commencez doucement, renseignez-vous sur {key} avant de commander.",
            "Réexpédition une fois en cas de perte, ensuite 50/50.",
            "Commandes avant 14h envoyées le jour même, du lundi au vendredi.",
            "Prix de gros sur demande par message.",
        ),
        "en": (
            "New lot of {a}, {purity}% per the lab sheet. Heat-sealed, posted next business day.",
            "Tracked shipping inside Switzerland, untracked to the EU. Decoy packaging.",
            "Start low, go slow. Read up on {key} before ordering.",
            "Lost parcels: one reship, then we split. Check your address twice.",
            "Bulk prices on request, message me.",
        ),
    },
    reviews=(
        "Reçu en 2 jours, emballage nickel",
        "Top, je recommande",
        "arrived in 4 days, as described",
        "un peu moins fort que la dernière fois",
        "would order from them again",
        "livraison lente mais tout est là",
        "parcel went missing, vendor resent fast",
        "qualité au rendez-vous, merci",
    ),
)

VENDOR_PARTS = (
    ("Leman", "Jura", "Rhone", "Alpine", "Geneva", "Lausanne", "Zermatt", "Swiss", "Edelweiss", "Romandie",
     "Matterhorn", "Lac"),
    ("Pharma", "Express", "Labs", "Direct", "Supply", "Shop", "Connect", "Store", "Garden", "Trade", "Depot", "Club"),
)  # fmt: skip

MARKET_SPEC = MarketSpec(
    name=MARKET,
    timeline=TIMELINE,
    drugs=DRUGS,
    words=MARKET_WORDS,
    langs=("fr", "fr", "en"),
    n_listings=180,
    n_vendors=12,
    vendor_parts=VENDOR_PARTS,
    tiers=TIERS,
    countries=("Suisse", "Suisse", "France", "France", "Allemagne", "Belgique"),
    ship_to=("Suisse", "France", "Belgique", "Union européenne", "Monde entier"),
    money=usd_btc,
    happenings=(
        Appear("benzodiazepine test kit", 9, 1, vendor=2),
        Appear("synthetic cannabinoid test kit", 9, 1, vendor=2),
        REBRAND,
        Appear(CANNABINOID, 23, 3, every=2),
        Reprice("ketamine", 28, 1.4, spread=3),
        Appear(BENZO, 37, 2, every=4),
        Spike("LSD", 47, 50, 3.0),
        Reprice("cocaine", 52, 0.65, spread=3),
    ),
    id_base=48000,
)

# ---- the forum ------------------------------------------------------------------------------------------------

FORUM_WORDS = ForumWords(
    moods={
        "report": {
            "fr": (
                "Hier soir j'ai pris {dose} de {a}, {route}.",
                "Première fois avec {a} ce week-end ({dose}, {route}).",
                "Petit retour : {dose} de {a}, {route}, à la maison avec deux potes.",
                "Samedi en soirée, {dose} de {a} {route}.",
            ),
            "en": (
                "Yesterday evening: {dose} of {a}, {route}.",
                "My first {a} this weekend ({dose}, {route}).",
                "Quick report: {dose} {a}, {route}, at home with two friends.",
                "Saturday at a party, {dose} {a} {route}.",
            ),
            "de": (
                "Geschter Abig {dose} {a}, {route}.",
                "Am Wochenende zum ersten Mal {a} probiert ({dose}, {route}).",
                "Kurzer Bericht: {dose} {a}, {route}, daheim mit zwei Kollegen.",
            ),
        },
        "question": {
            "fr": (
                "Petite question sur {a} : {dose} c'est trop pour commencer ?",
                "Ça dure combien de temps chez vous, {a} ?",
                "On peut mélanger {a} avec {other} ou vaut mieux pas ?",
                "Comment savoir si ma {a} est coupée ?",
            ),
            "en": (
                "First time with {a}: would {dose} be too strong?",
                "How long does {a} last for you?",
                "Anyone combined {a} and {other}? Safe?",
                "How can I tell if my {a} is cut?",
            ),
            "de": (
                "Frag zu {a}: isch {dose} z viel zum Afange?",
                "Wie lange wirkt {a} bei euch?",
                "Kann man {a} mit {other} kombinieren?",
            ),
        },
        "reply": {
            "fr": (
                "Chez moi c'était plutôt {eff} et {eff2}.",
                "Commence plus bas, {dose} c'est déjà pas mal.",
                "Je confirme, {eff}.",
                "Teste ton produit avant, les réactifs coûtent trois fois rien.",
                "J'ai eu un peu de {adv} aussi, mais ça passe en quelques heures.",
                "{neg}, juste {eff}.",
            ),
            "en": (
                "Mine was mostly {eff} and {eff2}.",
                "Go lower, {dose} already does it.",
                "Same here, {eff}.",
                "Check it first, a reagent kit costs next to nothing.",
                "Bit of {adv} here too, gone by the morning.",
                "{neg}, only {eff}.",
            ),
            "de": (
                "Bei mir eher {eff} und {eff2}.",
                "Fang mit weniger an, {dose} ist schon viel.",
                "Chan ich bestätige, {eff}.",
                "{neg}, nume {eff}.",
            ),
        },
        "market": {
            "fr": (
                "Payé {price} pour de la {a} sur le Comptoir, correct.",
                "Quel vendeur a de la bonne {a} en ce moment ? Dernière commande bof.",
                "Ma {a} est arrivée en 3 jours, emballage au top.",
                "Les prix de la {a} sont corrects en ce moment, {price}.",
            ),
            "en": (
                "Paid {price} for {a} on the Comptoir, seems fair.",
                "Which vendor has decent {a} right now? Last order was meh.",
                "{a} came in three days, packaging was perfect.",
                "{a} is reasonably priced right now, {price}.",
            ),
        },
        "dearer": {
            "fr": (
                "La {a} a pris cher chez vous aussi ? Je paie bien plus qu'en juillet.",
                "Presque tous les vendeurs du Comptoir ont augmenté la {a}.",
                "Pénurie paraît-il, la {a} coûte facilement 40% de plus.",
            ),
            "en": (
                "Has {a} gone up for you too? Paying way more than in July.",
                "Nearly every vendor on the Comptoir has put {a} up.",
            ),
        },
        "cheaper": {
            "fr": (
                "La {a} est d'un coup super bon marché, un tiers de moins qu'en août.",
                "Quelqu'un a inondé le Comptoir de {a}, les prix dégringolent.",
                "Je viens d'avoir de la {a} pour bien moins cher que d'habitude.",
            ),
            "en": (
                "{a} has suddenly got cheap, a third less than in August.",
                "Someone flooded the Comptoir with {a}, prices are dropping.",
            ),
        },
        "lay_bad": {
            "fr": (
                "La {a} qui tourne en ce moment est vraiment pas bonne, {lay}.",
                "J'ai pris la moitié de ce que je prends d'habitude en {a} et {lay}.",
                "Je suis pas débutant mais la {a} actuelle m'a retourné, {lay}.",
                "Ma copine était au plus mal après la {a}, {lay}.",
                "Évitez la {a} du moment, {lay}.",
                "On était trois sur la même {a} et tout le monde a morflé, {lay}.",
            ),
            "en": (
                "The {a} going round right now is rough, {lay}.",
                "Took half my usual amount of {a} and {lay}.",
                "Not my first time, but this {a} knocked me sideways, {lay}.",
                "My partner was in a state after the {a}, {lay}.",
                "Avoid the {a} doing the rounds, {lay}.",
                "Three friends, same {a}, all of us ill, {lay}.",
            ),
        },
        "party": {
            "fr": (
                "Street Parade samedi, un peu de {a} et on a dansé jusqu'au matin.",
                "Le train pour Zurich est plein, {a} dans la poche, la bonne humeur aussi.",
                "Love Mobile de folie, {a}, {eff}, ambiance incroyable.",
                "Qui monte à Zurich samedi ? J'ai de la {a} pour tout le monde.",
                "Street Parade sous {a} – {eff} et {eff2}.",
            ),
            "en": (
                "Street Parade on Saturday, a bit of {a} and we danced till sunrise.",
                "The lake was packed, {a}, {eff}, amazing vibe.",
                "Packed water and some {a} for the parade.",
                "Who's going to Zurich on Saturday? Got {a} for everyone.",
                "Street Parade on {a} – {eff} and {eff2}.",
            ),
        },
        "mix": {
            "fr": (
                "Rappel : ne mélangez pas la {a} avec l'alcool, et buvez de l'eau.",
                "Mélanger {a} et alcool, vraiment pas une bonne idée.",
                "Si tu prends de la {a}, pas d'alcool en plus – les effets s'additionnent.",
                "Petit rappel RdR : {a} et alcool ne font pas bon ménage.",
            ),
            "en": (
                "Reminder: no alcohol with {a}, and sip water.",
                "{a} plus booze is asking for trouble.",
                "On {a}? Leave the drinks out – the two stack.",
            ),
        },
        "testing": {
            "fr": (
                "Testez votre {a} ! Les kits réactifs benzodiazépines et cannabinoïdes de synthèse sont pas chers.",
                "Test réactif fait sur ma {a}, la réaction Marquis avait l'air normale.",
                "Le drug checking de Genève a analysé ma {a}, rien de bizarre.",
                "Le Comptoir vend maintenant des kits de test, j'en ai pris direct.",
            ),
            "en": (
                "Test your {a}! Benzodiazepine and synthetic cannabinoid reagent kits are cheap now.",
                "Ran a Marquis on my {a}, colour matched the chart.",
                "Got my {a} checked at the drug-checking service in Zurich, all clean.",
                "The Comptoir sells test kits now, ordered a couple straight away.",
            ),
        },
        "naloxone": {
            "fr": (
                "Si vous consommez des opioïdes : la naloxone en spray existe, demandez en pharmacie.",
                "J'ai toujours de la naloxone sur moi maintenant.",
                "Formation naloxone au centre de RdR, je recommande.",
                "Si quelqu'un prend de la {a} : gardez la naloxone à portée de main.",
            ),
            "en": (
                "Using opioids? Ask the chemist for a naloxone nose spray.",
                "I carry naloxone everywhere now.",
                "Whoever's on {a}: naloxone within reach, please.",
            ),
        },
        "cannabinoid_first": {
            "fr": (
                "Quelqu'un connaît le {a} ? Il y a deux nouveaux mélanges sur le Comptoir qui en contiennent.",
                "Les nouveaux encens du Comptoir contiendraient du {a}. Quelqu'un en sait plus ?",
            ),
            "en": (
                "Anyone heard of {a}? Two new herbal blends on the Comptoir list it.",
                "The new incense blends on the Comptoir apparently contain {a}. Anyone know more?",
            ),
        },
        "cannabinoid_reply": {
            "fr": (
                "Le {a} serait un nouveau cannabinoïde de synthèse, à éviter si on connaît pas.",
                "J'ai testé un mélange au {a}, bien plus fort que de la {other}.",
                "Avec le {a}, une seule taffe suffit, vraiment.",
                "Un pote a fumé du {a} : {eff}, mais aussi {adv}.",
            ),
            "en": (
                "{a} looks like one of the new synthetic cannabinoids, don't touch it blind.",
                "Had a go at a {a} blend, miles stronger than {other}.",
                "With {a}, a single draw is enough.",
            ),
        },
        "benzo_first": {
            "fr": (
                "Vu du {a} en pellets sur le Comptoir, vendu comme « un Xanax en plus fort ». C'est quoi ce truc ?",
                "Nouveau sur le Comptoir : {a} 0,5 mg, « comme du Xanax » d'après le vendeur. Quelqu'un a essayé ?",
            ),
            "en": (
                "{a} pellets on the Comptoir now, sold as 'like Xanax but stronger'. Anyone know what that is?",
                "New on the Comptoir: {a} 0.5 mg, the vendor says it's like Xanax. Has anyone tried it?",
            ),
        },
        "benzo_reply": {
            "fr": (
                "Le {a} ressemble au Xanax mais en bien plus fort, d'après ceux qui ont testé.",
                "{a}, c'est une benzo de synthèse, on connaît rien de la durée.",
                "Un quart de pellet de {a} m'a suffi, {eff}.",
                "Attention au {a} avec l'alcool, c'est comme toutes les benzos.",
            ),
            "en": (
                "{a} is a designer benzo, people say it hits like Xanax but much stronger.",
                "Quarter of a {a} pellet was plenty for me, {eff}.",
                "Nobody knows how long {a} lasts, go very low.",
            ),
        },
    },
    titles={
        "trip": {
            "fr": ("{a}, {dose} – une soirée à la maison", "Première fois sous {a}", "{a} en club"),
            "en": ("{a}, {dose} – a night in", "First time on {a}", "{a} at a club night"),
        },
        "report": {
            "fr": ("Mon expérience avec {a}", "{a} – petit retour", "Week-end sous {a}"),
            "en": ("{a}: how it went", "{a} – brief write-up", "{a} over the weekend"),
            "de": ("Mini Erfahrig mit {a}", "{a} – min Bricht"),
        },
        "question": {
            "fr": ("Question sur {a}", "{a} dosage ?", "{a} – ça dure combien ?"),
            "en": ("{a} – a question", "{a} dosage?", "{a} duration?"),
            "de": ("Frage zu {a}", "{a} – wie vill?"),
        },
        "market": {
            "fr": ("{a} – qui a du bon en ce moment ?", "Prix de la {a}", "Vendeurs de {a} ?"),
            "en": ("{a} prices", "Who has solid {a} at the moment?", "Best place for {a}?"),
        },
        "dearer": {"fr": ("La {a} a augmenté ?",), "en": ("{a} gone up?",)},
        "cheaper": {"fr": ("La {a} d'un coup pas chère ?",), "en": ("Why is {a} so cheap now?",)},
        "lay_bad": {
            "fr": ("La {a} du moment – d'autres mauvaises expériences ?", "{a} actuelle – méfiance ?"),
            "en": ("Dodgy {a} about?", "Anyone else feel awful after the current {a}?"),
        },
        "mix": {
            "fr": ("Mélanges : ce qui passe et ce qui ne passe pas", "Alcool et {a} ?"),
            "en": ("Combos: the safe list and the no-go list", "{a} and drinking?"),
        },
        "testing": {
            "fr": ("Drug checking et kits réactifs", "Quels kits de test acheter ?"),
            "en": ("Reagent kits and drug checking", "Which test kits to buy?"),
        },
        "naloxone": {
            "fr": ("Naloxone – où la trouver ?", "Toujours avoir de la naloxone"),
            "en": ("Where do you get naloxone here?", "Naloxone in every bag"),
        },
        "cannabinoid_first": {"fr": ("C'est quoi le {a} ?",), "en": ("What is {a}?",)},
        "benzo_first": {"fr": ("{a} sur le Comptoir ?",), "en": ("{a} – anyone?",)},
    },
    middles={
        "fr": (
            "Effets : {eff}, {eff2}.",
            "Beaucoup de {eff}, mais aussi {adv}.",
            "{neg}, juste {eff}.",
            "Un peu de {adv} à la descente.",
            "Environ trois heures de {eff}.",
        ),
        "en": (
            "What I got: {eff}, {eff2}.",
            "Plenty of {eff}, plus some {adv}.",
            "{neg}, only {eff}.",
            "A touch of {adv} coming down.",
        ),
        "de": ("Wirkig: {eff}, {eff2}.", "Vill {eff}, aber au {adv}.", "{neg}, nume {eff}."),
    },
    closers={
        "fr": ("Prenez soin de vous.", "RdR avant tout !", "À refaire, mais pas tout de suite.", "", "Des conseils ?"),
        "en": ("Stay safe.", "Check before you dose.", "Again some day, not soon though.", "", "Any tips?"),
        "de": ("Lueged uf euch.", "Safer Use, Lüt!", "", "Tipps?"),
    },
    effects={
        "fr": (
            "euphorie",
            "énergie",
            "bavard",
            "chaleur agréable",
            "la musique était incroyable",
            "grosse envie de reprendre",
            "visuels",
            "très sociable",
            "montée douce",
            "détendu",
        ),
        "en": (
            "euphoria",
            "energy",
            "chatty",
            "cosy body feel",
            "the music felt huge",
            "wanting more all night",
            "visuals",
            "talking to everyone",
            "gentle onset",
            "relaxed",
        ),
        "de": ("Euphorie", "Energie", "gesprächig", "Visuals", "mega gsellig", "entspannt"),
    },
    adverse={
        "fr": ("nausée", "mâchoire serrée", "cœur qui s'emballe", "insomnie", "mal de tête", "agitation"),
        "en": ("nausea", "tight jaw", "racing heart", "insomnia", "headache", "restlessness"),
        "de": ("Übelkeit", "Chiefer verkrampft", "Herzrasen", "Chopfweh"),
    },
    negated={
        "fr": ("pas de nausée", "pas de mâchoire serrée", "pas de mal de tête le lendemain"),
        "en": ("no nausea", "no tight jaw", "clear head the day after"),
        "de": ("kei Übelkeit", "kei verkrampfte Chiefer", "keine Kopfschmerzen"),
    },
    severe={
        "fr": (
            "une crise d'épilepsie",
            "une bouffée délirante",
            "un passage aux urgences",
            "une perte de connaissance",
        ),
        "en": ("a seizure", "psychosis", "an ambulance ride to A&E", "a collapse"),
        "de": ("en epileptische Aafall", "de Notarzt"),
    },
    lay={
        "fr": (
            "j'avais l'estomac retourné toute la nuit",
            "je tremblais comme une feuille pendant des heures",
            "le cœur cognait comme un fou",
            "j'ai été en vrac pendant deux jours",
            "je transpirais à grosses gouttes",
            "la mâchoire me fait encore mal",
            "impossible de fermer l'œil avant lundi",
            "la descente a été horrible",
            "je me sentais super mal",
            "j'avais la tête comme dans un étau",
        ),
        "en": (
            "my stomach was in knots all night",
            "I was shaking like a leaf for hours",
            "my heart was hammering away",
            "I was a wreck for two days",
            "I was drenched in sweat",
            "my jaw is still sore",
            "I couldn't sleep a wink until Monday",
            "the comedown was horrendous",
            "I felt utterly rotten",
            "my head felt like it was in a vice",
        ),
        "de": ("mir war die ganze Nacht schlecht", "ich hab stundenlang gezittert", "der Absturz war brutal"),
    },
    passing={
        "fr": (
            "J'avais aussi pris un peu de {other} avant, jamais eu de souci avec.",
            "Il y avait de la {other} aussi mais c'est pas ça.",
            "J'ai pris de la {other} à côté, comme chaque week-end.",
        ),
        "en": (
            "I had some {other} earlier as well, that never bothers me.",
            "Some {other} too, but that was not the problem.",
            "{other} on the side, same as every Saturday.",
        ),
    },
    routes={
        "fr": ("en trace", "avalé", "fumé", "en parachute", "vapoté", "en gélule"),
        "en": ("snorted", "swallowed", "smoked", "bombed", "vaped", "in a capsule"),
        "de": ("gezogen", "geschluckt", "geraucht", "in Kapseln"),
    },
    prices={
        "fr": ("90 dollars le gramme", "US$ 85 le g", "45 $ les dix"),
        "en": ("$90 a gram", "$85 for a g", "$45 for ten"),
        "de": ("90 Dollar das Gramm", "85 $ für 1 g"),
    },
    severe_line={
        "fr": "Un pote a fait {sev} après.",
        "en": "Someone in our group had {sev} after.",
        "de": "Ein Kollege hatte danach {sev}.",
    },
)

USER_PARTS = (
    ("lemanique", "noctambule", "raveuse", "chouette", "fondue", "sapin", "lucioles", "bisbille", "carnotzet",
     "gaspard", "nebula", "papillon", "vaudois", "zurichois", "genevoise", "valaisanne", "foxtrot", "tangerine",
     "moonwalk", "bretzel"),
    ("_ge", "_vd", "77", "_zh", "", "_fr", "42", "x", "_1312", "_ch", "99", "_be"),
)  # fmt: skip

BOARDS = (
    Board(1, "recits", "Récits", "Français", ("fr",), trip_reports=True, kind="reports"),
    Board(2, "questions", "Questions & réponses", "Français", ("fr",)),
    Board(3, "marche", "Marchés & vendeurs", "Français / English", ("fr", "en"), kind="market"),
    Board(4, "lounge", "English lounge", "English", ("en",)),
    Board(5, "trip-reports", "Trip reports", "English", ("en",), trip_reports=True, kind="reports"),
    Board(6, "rdr", "Réduction des risques / Harm reduction", "RdR", ("fr", "en"), kind="safer"),
    Board(7, "deutschschweiz", "Deutschschweiz", "Deutsch (neu)", ("de",), kind="later"),
)

FORUM_SPEC = ForumSpec(
    name=FORUM,
    timeline=TIMELINE,
    boards=BOARDS,
    drugs=DRUGS,
    words=FORUM_WORDS,
    n_threads=90,
    n_safer=9,
    users=tuple(content.user_names(content.rng_for(FORUM, "users"), 44, USER_PARTS)),
    thread_base=5200,
    post_base=120000,
    happenings=(
        Peak(
            18,
            20,
            18,
            mix_share=0.35,
            title={"fr": "Street Parade 2027 – qui monte à Zurich ?", "en": "Street Parade weekend – who's going?"},
        ),
        NewThread(CANNABINOID, 24, 9, "questions", "fr", span=12, first="cannabinoid_first",
                  replies="cannabinoid_reply"),
        NewThread(CANNABINOID, 26, 5, "lounge", "en", span=10, first="cannabinoid_first", replies="cannabinoid_reply"),
        NewThread("ketamine", 32, 6, "marche", "fr", span=10, first="dearer", replies="dearer"),
        NewThread("cocaine", 35, 7, "deutschschweiz", "de", span=12, first="report", replies="reply"),
        NewThread("cannabis", 36, 6, "deutschschweiz", "de", span=10, first="question", replies="reply"),
        NewThread(BENZO, 38, 8, "lounge", "en", span=12, first="benzo_first", replies="benzo_reply"),
        NewThread(BENZO, 39, 6, "questions", "fr", span=10, first="benzo_first", replies="benzo_reply"),
        NewThread("MDMA", 40, 6, "deutschschweiz", "de", span=10, first="report", replies="reply"),
        Wave("3-MMC", 43, 50, 42, ("fr", "en"), passing=("ketamine", "cannabis", "alcohol"), passing_share=0.35),
        NewThread("ketamine", 45, 5, "deutschschweiz", "de", span=8, first="question", replies="reply"),
        NewThread("cocaine", 54, 6, "marche", "fr", span=7, first="cheaper", replies="cheaper"),
    ),
)  # fmt: skip
