"""Hold-out F (sealed): L'Étal (a Luxembourg market whose listings live in table grids with a form on every row,
priced in euros written the French way, ``1 234,50 €``; French, German and English listings) and La Veillée (a
link aggregator in the manner of Lemmy: communities, posts and a tree of nested comments, times in UTC; French,
German and English communities), 60 days from Monday 2028-06-05, over the summer festivals.

Sealed: whoever tunes the detectors does not read this module, the sites, their templates nor
``bench/markets/holdout_f/``.  The scripted events and traps are in ``bench/markets/holdout_f/script.yml``; this
module is what makes them happen on the sites.
"""

from __future__ import annotations

from datetime import date

from demosites import content
from demosites.beds.forum import ForumSpec
from demosites.beds.market import MarketSpec
from demosites.beds.model import (
    Appear,
    Arrive,
    Drug,
    Flood,
    ForumWords,
    MarketWords,
    NewThread,
    Peak,
    Relabel,
    Reprice,
    Sale,
    Spike,
    Wave,
)
from demosites.forums import Board
from demosites.timeline import Fault, Timeline

TIMELINE = Timeline(date(2028, 6, 5), 60)
MARKET, FORUM = "etal_market", "veillee_forum"
ZONE = "Europe/Luxembourg"  # the forum's people post in this zone's time; the pages write UTC

CANNABINOID = "EDMB-5en-PICA"  # invented: head EDMB, tail 5en (hexenyl), core PICA; in no lexicon
TRYPTAMINE = "4-PrO-EPT"  # invented: 4-propionyloxy-N-ethyl-N-propyltryptamine; in no lexicon, never sold here
ERRORS = Fault(MARKET, "errors", (11, 12))  # half of L'Étal's pages answer 500 for two days (a trap)
SALE = Sale(39, 42, 0.8)  # 14 July to Monday: everything 20 % off, the usual price struck through (a trap)
FLOOD_TITLES = (  # one vendor's near-duplicate listings, all posted on one day (a trap)
    "SPEED PREMIUM – 25 g – envoi rapide 🚀",
    "SPEED PREMIUM – 25g – envoi rapide 🚀🚀",
    "SPEED premium – 25 g – envoi rapide",
    "SPEED PREMIUM – 25 G – envoi rapide !!",
    "SPEED Premium – 25 g – envoi rapide ✅",
    "SPEED PREMIUM – 25 g – envoi rapide (2)",
    "SPEED PREMIUM – 25 g – envoi rapide (3)",
    "SPEED PREMIUM – 25g – envoi rapide ✅✅",
    "SPEED PREMIUM+ – 25 g – envoi rapide",
    "SPEED PREMIUM – 25 gr – envoi rapide 🚀",
    "SPEED PREMIUM – 25 g – envoi rapide – promo",
    "SPEED PREMIUM – 25 g – envoi rapide.",
    "SPEED TOP PREMIUM – 25 g – envoi rapide",
    "SPEED PREMIUM – 25 g – envoi rapide 💥",
)
RELABEL_TITLES = (
    "Métaphédrone cristaux – Chrysalis 💎",
    "Métaphédrone (3-MeMC) – qualité labo",
    "Metaphedron Kristalle – Chrysalis, neu",
)

_STIM, _EMP, _DISS, _PSY = "Stimulants", "Empathogènes", "Dissociatifs", "Psychédéliques"
_CANNA, _DOWN, _OPI, _RDR = "Cannabis & cannabinoïdes", "Dépresseurs", "Opiacés", "Réduction des risques"
DRUGS: tuple[Drug, ...] = (
    Drug("cocaine", ("coke", "coca", "blanche", "Koks", "Schnee", "C"), _STIM, "g", 62, 8, "0,2 g", party=True),
    Drug("amphetamine", ("speed", "amphét", "Pep", "Speed", "amph"), _STIM, "g", 9, 6, "0,5 g", party=True),
    Drug("MDMA", ("MD", "cristaux de MD", "Kristalle", "molly", "MDMA"), _EMP, "g", 30, 6, "100mg", party=True),
    Drug("XTC", ("ecsta", "XTC", "taz", "cachets", "Pillen", "pills"), _EMP, "pill", 7, 6, "1 cachet", party=True),
    Drug("ketamine", ("kéta", "keta", "Keta", "kétamine", "Ketamin"), _DISS, "g", 26, 6, "50mg", party=True),
    Drug("mephedrone", ("4-MMC", "méphédrone", "Mephedron", "miaou", "meow"), _STIM, "g", 18, 4, "125mg"),
    Drug("3-MMC", ("3mmc", "3-mmc", "3M", "Drei-M"), _STIM, "g", 16, 3, "150mg"),
    Drug("2C-B", ("2cb", "nexus", "2-CB", "2C-B"), _PSY, "pill", 10, 3, "15mg", party=True),
    Drug("LSD", ("acide", "buvards", "carton", "Pappe", "blotter"), _PSY, "tab", 9, 3, "100µg"),
    Drug("psilocybin", ("champis", "truffes", "Pilze", "shrooms"), _PSY, "g", 8, 3, "1,5 g"),
    Drug("cannabis", ("beuh", "weed", "shit", "Gras", "résine", "Hasch"), _CANNA, "g", 10, 8, "1 joint"),
    Drug("GHB", ("G", "GHB", "GBL", "le G", "Gina"), _DOWN, "ml", 0.3, 2, "1,5 ml", party=True),
    Drug("alprazolam", ("Xanax", "xanax", "alpra", "Xanor"), _DOWN, "pill", 3, 2, "0,5mg"),
    Drug("heroin", ("héro", "brune", "Heroin", "H"), _OPI, "g", 48, 2, "0,1 g"),
    Drug(
        CANNABINOID,
        ("EDMB-5en", "edmb-5en-pica", "EDMB 5en PICA"),
        _CANNA,
        "vial",
        32,
        0,
        "2 bouffées",
        titles=(
            "E-liquide {key} 10 ml – effet relax {e}",
            "{a} vape liquid, 10 ml – very strong",
            "{key} Liquid 10 ml – nicht zum Verzehr",
        ),
        blurbs=(
            "Flacon de 10 ml, à diluer. Produit de recherche, pas pour la consommation.",
            "Two puffs are plenty. Lab material, not for human use.",
            "Diskreter Versand im Luftpolsterumschlag.",
        ),
    ),
    Drug(TRYPTAMINE, ("4-pro-ept", "4-PrO-EPT", "4-propionyloxy-EPT"), _PSY, "g", 40, 0, "15mg"),
    Drug(
        "reagent test kit",
        ("kit réactif", "Reagenzien-Kit", "reagent kit", "kit de test"),
        _RDR,
        "kit",
        24,
        0,
        talk=False,
        titles=(
            "Kit de test réactif Marquis + Mecke + Ehrlich {e}",
            "Reagent test kit (Marquis, Mecke, Ehrlich) – know what you take",
            "Reagenzien-Kit Marquis/Mecke/Ehrlich – Drug-Checking zu Hause",
        ),
        blurbs=(
            "Trois flacons compte-gouttes et une carte des couleurs. Vendu à prix coûtant.",
            "A colour change tells you what is not in your sample, never that it is safe.",
            "Anleitung auf Französisch, Deutsch und Englisch liegt bei.",
        ),
    ),
    Drug("alcohol", ("bière", "alcool", "pinard", "Bier", "Alkohol", "beers", "booze"), "", "ml", 0, 0, talk=False),
    Drug("tobacco", ("clopes", "tabac", "Kippen", "Zigaretten", "cigarettes", "rollies"), "", "g", 0, 0, talk=False),
    Drug(
        "caffeine", ("café", "Kaffee", "coffee", "energy drinks", "boissons énergisantes"), "", "ml", 0, 0, talk=False
    ),
    Drug("naloxone", ("naloxone", "Naloxon", "Nyxoid"), "", "ml", 0, 0, talk=False),
)

# ---- the market -----------------------------------------------------------------------------------------------


def eur_fr(amount: float, day: int) -> tuple[str, ...]:
    """The price in euros written the French way: 52,30 € and 1 234,50 € (a narrow no-break space between
    thousands, a no-break space before the sign)."""
    return (f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€",)


TIERS = {
    "g": ((1, 1.0, "1 g"), (2, 0.97, "2 g"), (5, 0.9, "5 g"), (10, 0.83, "10 g"), (25, 0.75, "25 g")),
    "pill": ((10, 1.0, "10 comprimés"), (25, 0.9, "25 comprimés"), (50, 0.8, "50 comprimés")),
    "tab": ((5, 1.0, "5 buvards"), (10, 0.9, "10 buvards"), (25, 0.8, "25 buvards")),
    "ml": ((100, 1.0, "100 ml"), (250, 0.9, "250 ml"), (500, 0.8, "500 ml")),
    "vial": ((1, 1.0, "10 ml"), (3, 0.92, "30 ml"), (5, 0.85, "50 ml")),
    "kit": ((1, 1.0, "1 kit"), (3, 0.9, "3 kits")),
}

MARKET_WORDS = MarketWords(
    titles={
        "fr": (
            "{a} {purity} % – qualité vérifiée {e}",
            "{key} | stock Luxembourg | {a}",
            "{a} frais, arrivage de la semaine {e}",
            "{key} ({a}) – testé à {purity} %",
            "{a} – envoi discret sous 24 h",
            "Bon {a} à prix honnête {e}",
        ),
        "de": (
            "{a} {purity} % – Versand aus Luxemburg {e}",
            "{key} | geprüfte Ware | {a}",
            "{a} ({key}) – neue Lieferung",
        ),
        "en": (
            "{a} {purity}% | LU stock {e}",
            "{key} — uncut, ships fast",
            "{a} ({key}) · fresh batch",
        ),
        "nl": (
            "{a} {purity}% – verzending uit NL {e}",
            "{key} | topkwaliteit | {a}",
            "Verse {a} ({key}), snel in huis",
        ),
    },
    descriptions={
        "fr": (
            "Nouveau lot de {a}, analysé à {purity} %. Sous vide, double emballage.",
            "Expédition du lundi au vendredi, enveloppe bulle sans logo.",
            "Commencez petit, attendez avant de reprendre. Pas d'alcool avec.",
            "Un renvoi en cas de perte, ensuite 50/50.",
            "Commande avant midi, partie le jour même.",
            "Prix dégressifs au-delà de 10 g, écrivez-nous.",
        ),
        "de": (
            "Neue Charge {a}, getestet mit {purity} %. Vakuumiert.",
            "Versand Montag bis Freitag im neutralen Umschlag.",
            "Klein anfangen, nicht nachlegen, kein Alkohol dazu.",
            "Bei Verlust einmal Nachversand.",
        ),
        "en": (
            "New batch of {a}, lab tested at {purity}%. Vacuum sealed.",
            "Ships Monday to Friday in a plain padded envelope.",
            "Start low and wait before redosing. No alcohol with it.",
            "One reship if lost, then 50/50.",
        ),
        "nl": (
            "Nieuwe partij {a}, getest op {purity}%. Vacuüm verpakt.",
            "Verzending maandag tot vrijdag vanuit Nederland, neutrale envelop.",
            "Begin laag, wacht af voor je bijneemt.",
        ),
    },
    reviews=(
        "Reçu en deux jours, nickel",
        "Produit conforme, je recommande",
        "Emballage parfait, merci",
        "Un peu moins fort que la dernière fois",
        "Schnell da, alles gut",
        "Arrived in 3 days, well packed",
        "Vendeur réactif, répond vite",
        "Gerne wieder",
    ),
)

MARKET_SPEC = MarketSpec(
    name=MARKET,
    timeline=TIMELINE,
    drugs=DRUGS,
    words=MARKET_WORDS,
    langs=("fr", "fr", "fr", "de", "en"),
    n_listings=190,
    n_vendors=13,
    vendor_parts=(
        (
            "Alzette",
            "Petrusse",
            "Moselle",
            "Kirchberg",
            "Grund",
            "Clausen",
            "Bock",
            "Minett",
            "Sure",
            "Oesling",
            "Ardennes",
            "Remich",
            "Vianden",
            "Esch",
        ),
        ("Droguerie", "Epicerie", "Express", "Labo", "Maison", "Atelier", "Depot", "Direct", "Freres", "Negoce"),
    ),
    tiers=TIERS,
    countries=("Luxembourg", "Luxembourg", "Belgique", "France", "Allemagne"),
    ship_to=("UE", "Luxembourg", "Belgique", "France", "Allemagne", "Monde entier"),
    money=eur_fr,
    happenings=(
        Appear("reagent test kit", 8, 1, vendor=4),
        Appear(CANNABINOID, 14, 3, every=3),
        Reprice("cocaine", 15, 1.4, spread=4),
        Flood("amphetamine", 22, 23, FLOOD_TITLES, vendor=7),
        Spike("mephedrone", 24, 27, 3.0),
        Arrive(
            "Zwarte_Kat_NL", 28, ("cocaine", "MDMA", "ketamine", "XTC", "amphetamine", "cannabis"), "nl", "Pays-Bas"
        ),
        Relabel(
            "3-MMC",
            29,
            RELABEL_TITLES,
            "Nouveau nom, même produit que d'habitude : cristaux, pureté vérifiée. Neuer Name, gleiche Ware.",
            vendor=2,
        ),
        SALE,
        Reprice("MDMA", 51, 0.6, spread=3, followers=0.6),
    ),
    id_base=48200,
)

# ---- the forum ------------------------------------------------------------------------------------------------

FORUM_WORDS = ForumWords(
    moods={
        "report": {
            "fr": (
                "Samedi soir : {dose} de {a}, {route}.",
                "Première fois avec {a} hier ({dose}, {route}), en appart avec trois amis.",
                "Petit retour : {dose} {a} {route}, soirée au bord de la Moselle.",
                "Vendredi en club, {dose} {a} {route}.",
            ),
            "de": (
                "Samstagabend: {dose} {a}, {route}.",
                "Gestern zum ersten Mal {a} ({dose}, {route}), zu dritt in der WG.",
                "Kurz berichtet: {dose} {a} {route}, Open Air in Trier.",
            ),
            "en": (
                "Saturday night: {dose} of {a}, {route}.",
                "First go with {a} last night ({dose}, {route}), at a flat party.",
                "Short one: {dose} {a} {route} at an open-air rave.",
            ),
        },
        "question": {
            "fr": (
                "Question : {dose} de {a}, c'est raisonnable pour commencer ?",
                "Ça dure combien de temps {a} chez vous ?",
                "{a} avec {other}, quelqu'un a déjà essayé ?",
                "Comment savoir si mon {a} est coupé ?",
            ),
            "de": (
                "Frage: sind {dose} {a} okay für den Anfang?",
                "Wie lange hält {a} bei euch an?",
                "Hat jemand {a} schon mit {other} kombiniert?",
            ),
            "en": (
                "Is {dose} of {a} sensible for a first time?",
                "How long does {a} last for you?",
                "Anyone tried {a} together with {other}?",
            ),
        },
        "reply": {
            "fr": (
                "Chez moi surtout {eff} et {eff2}.",
                "Commence par la moitié, {dose} c'est déjà pas mal.",
                "Pareil, {eff}.",
                "Fais-le analyser, c'est gratuit et anonyme.",
                "J'ai eu un peu de {adv}, passé après quelques heures.",
                "{neg}, juste {eff}.",
                "Et pas d'alcool avec, sérieusement.",
            ),
            "de": (
                "Bei mir vor allem {eff} und {eff2}.",
                "Fang mit der Hälfte an, {dose} reicht.",
                "Bei mir auch, {eff}.",
                "Hatte etwas {adv}, nach ein paar Stunden vorbei.",
                "{neg}, nur {eff}.",
                "Und bitte keinen Alkohol dazu.",
            ),
            "en": (
                "Mostly {eff} and {eff2} for me.",
                "Start with half, {dose} is plenty.",
                "Same, {eff}.",
                "Had a little {adv}, gone after a few hours.",
                "{neg}, just {eff}.",
                "And no alcohol with it, please.",
            ),
        },
        "market": {
            "fr": (
                "Payé {price} pour {a} sur L'Étal, correct.",
                "Qui a du bon {a} sur L'Étal en ce moment ?",
                "Mon {a} est arrivé en deux jours, emballage propre.",
            ),
            "de": (
                "{price} für {a} auf L'Étal bezahlt, passt.",
                "Wer hat gerade gutes {a}?",
                "Mein {a} kam nach zwei Tagen, sauber verpackt.",
            ),
            "en": (
                "Paid {price} for {a} on L'Étal, fair.",
                "Who has decent {a} on L'Étal right now?",
                "My {a} turned up in two days, tidy packing.",
            ),
        },
        "cannabinoid_first": {
            "fr": (
                "Alerte du labo d'analyse : des e-liquides vendus comme « CBD relax » contenaient du {a}, un "
                "cannabinoïde de synthèse. Quelqu'un en a entendu parler ?",
                "Le service d'analyse a trouvé du {a} dans une vape soi-disant CBD. C'est quoi ce truc ?",
            ),
            "de": (
                "Das Drug-Checking hat {a} in angeblichen CBD-Liquids gefunden. Kennt das jemand?",
                "Warnung: {a} in Vape-Liquids, die als CBD verkauft werden.",
            ),
        },
        "cannabinoid_reply": {
            "fr": (
                "Le {a}, c'est un cannabinoïde de synthèse, rien à voir avec la weed, deux bouffées suffisent.",
                "Un pote a tiré sur une vape au {a} : {eff}, mais aussi {adv}.",
                "Méfiez-vous des liquides « CBD » pas chers, c'est peut-être du {a}.",
                "Maintenant il y a du {a} en e-liquide sur L'Étal, franchement je n'y toucherais pas.",
            ),
            "de": (
                "{a} ist ein synthetisches Cannabinoid, mit Gras hat das nichts zu tun.",
                "Ein Freund hat an so einer {a}-Vape gezogen: {eff}, aber auch {adv}.",
                "Finger weg von billigen CBD-Liquids, da kann {a} drin sein.",
            ),
        },
        "tryptamine_first": {
            "en": (
                "Trip report: {dose} of {a}, {route}. Nobody sells it on L'Étal, a friend brought it back from abroad.",
                "Tried {a} ({dose}, {route}), a tryptamine I had never heard of before this month.",
            ),
            "de": ("Bericht: {dose} {a}, {route}. Gibt es nicht auf L'Étal, kam über einen Bekannten.",),
            "fr": ("Récit : {dose} de {a}, {route}. Une tryptamine que personne ne vend ici, rapportée par un ami.",),
        },
        "tryptamine_reply": {
            "en": (
                "Never heard of {a}. How long did it last?",
                "Had {a} last week as well: {eff}, {eff2}, a little {adv}.",
                "Weigh {a} on a milligram scale, the doses are tiny.",
                "Is {a} like mushrooms? Sounds similar from what you describe.",
            ),
            "de": (
                "{a} kenne ich nicht, wie lange ging das?",
                "Hatte {a} auch: {eff}, {eff2}.",
                "Bitte {a} mit einer Milligrammwaage abwiegen.",
            ),
            "fr": (
                "Jamais entendu parler de {a}, ça dure combien ?",
                "J'ai testé {a} aussi : {eff}, {eff2}.",
                "Pèse ton {a} à la balance milligramme, les doses sont minuscules.",
            ),
        },
        "dearer": {
            "fr": (
                "La {a} a pris 40 % sur L'Étal en une semaine, vous aussi vous avez vu ?",
                "Tous les vendeurs ont monté leurs prix de {a}, on parle d'une grosse saisie au port d'Anvers.",
                "{a} : plus de 80 € le gramme maintenant, c'était 60 en mai.",
            ),
            "de": ("{a} kostet auf L'Étal fast die Hälfte mehr als im Mai.",),
        },
        "cheaper": {
            "de": (
                "{a} ist bei den meisten Händlern auf L'Étal billiger geworden, nur ein paar bleiben bei den alten "
                "Preisen.",
                "Gerade {a} für viel weniger als letzten Monat gekauft.",
            ),
            "en": ("{a} is a lot cheaper on L'Étal this week, apart from a few vendors who haven't budged.",),
        },
        "flood": {
            "fr": (
                "Vous avez vu ? Un vendeur a posté quatorze annonces de {a} presque identiques d'un coup.",
                "Les annonces de {a} en double ont disparu, ça sentait l'arnaque à plein nez.",
                "Classique : plein d'annonces de {a} à prix cassé, paiement hors escrow, puis plus rien.",
            ),
        },
        "newcomer": {
            "en": (
                "New Dutch vendor on L'Étal, every listing in Dutch. Anyone ordered yet?",
                "Ordered {a} from the new Dutch vendor, came in three days, same as anyone else's.",
                "Their listings are the usual stuff, just written in Dutch.",
            ),
        },
        "relabel": {
            "fr": (
                "Mon vendeur habituel appelle maintenant sa {a} « métaphédrone », c'est exactement le même produit.",
                "Nouveau nom pour éviter les filtres sans doute, mais c'est toujours de la {a}.",
            ),
            "de": ("Bei dem Händler heißt {a} jetzt Metaphedron, ist aber dasselbe Zeug wie vorher.",),
        },
        "outage": {
            "fr": (
                "La moitié des pages de L'Étal renvoient une erreur 500 depuis hier.",
                "Chez moi aussi, une annonce sur deux ne s'affiche pas. Ça revient demain j'espère.",
                "C'est reparti, tout s'affiche de nouveau.",
            ),
        },
        "news": {
            "fr": (
                "Article du jour : 40 litres de {a} saisis à la frontière, le procès s'ouvre demain à Luxembourg.",
                "Le procureur dit que le {a} et le GBL étaient déclarés comme nettoyant pour jantes.",
                "Trois ans requis contre le transporteur du {a}.",
                "Le verdict dans l'affaire du {a} tombe vendredi, d'après la radio.",
                "Ils ont aussi trouvé des étiquettes de GBL dans l'entrepôt, toute une filière de {a}.",
            ),
            "de": (
                "Zeitungsartikel: 40 Liter {a} an der Grenze beschlagnahmt, der Prozess beginnt.",
                "Laut Anklage wurde GBL als Felgenreiniger deklariert, der {a} sollte weiterverkauft werden.",
                "Urteil im {a}-Prozess: drei Jahre, davon zwei auf Bewährung.",
            ),
        },
        "promo": {
            "fr": (
                "Soldes du 14 juillet sur L'Étal : -20 % sur tout jusqu'à lundi, même la {a}.",
                "Les prix barrés reviennent mardi, c'est juste les soldes.",
                "Rien ne change chez les vendeurs, c'est le site qui fait -20 % partout.",
            ),
            "en": ("Site-wide 20% off on L'Étal until Monday, back to normal prices after.",),
        },
        "x_in_y": {
            "fr": (
                "Le {a} était parfait, c'est la kéta prise après qui m'a achevé : {lay}.",
                "Pareil, {a} nickel, mais la kétamine du même vendeur : {lay}.",
                "Rien à redire sur le {a}. Par contre la kéta de cette semaine, {lay}.",
                "Le {a} n'y est pour rien, c'est la kéta : {lay}.",
            ),
        },
        "lay_bad": {
            "fr": (
                "Lot de {a} acheté samedi : {lay}.",
                "Attention avec {a} en ce moment : {lay}.",
                "Pris {a} comme d'habitude, mais cette fois {lay}.",
                "Deux potes et moi, même {a}, même résultat : {lay}.",
                "Je connais bien {a} et pourtant là, {lay}.",
            ),
            "de": (
                "Am Samstag {a} genommen wie immer, aber {lay}.",
                "Achtung bei {a} von dieser Woche: {lay}.",
                "Drei Leute, dasselbe {a}, und bei allen: {lay}.",
                "Kenne {a} eigentlich gut, aber dieses Mal {lay}.",
            ),
            "en": (
                "Took {a} on Saturday like always, but {lay}.",
                "Careful with the {a} from this month: {lay}.",
                "Three of us, same bag of {a}, and {lay}.",
                "I know {a} well and still {lay}.",
                "Something's off with this batch of {a}: {lay}.",
            ),
        },
        "party": {
            "fr": (
                "Le festival commence vendredi, {a} dans la trousse !",
                "Quel week-end au festival, {a} au top.",
                "Qui vient au festival ? On a prévu {a} pour samedi.",
            ),
            "de": ("Festival-Wochenende, {a} ist eingepackt.", "Was für ein Festival, {a} war super."),
            "en": ("Festival this weekend, {a} sorted.", "Best festival in years, the {a} was lovely."),
        },
        "mix": {
            "fr": (
                "Pas d'alcool avec {a}, et doucement sur le café et les clopes.",
                "Évitez de mélanger {a} et alcool, buvez de l'eau.",
                "{a} avec des bières, mauvais plan.",
            ),
            "de": (
                "Kein Alkohol zu {a}, lieber Wasser.",
                "{a} und Alkohol vertragen sich nicht, und Kaffee auch nicht.",
            ),
            "en": ("Skip the alcohol when you're on {a}, water instead.", "{a} and booze don't mix, seriously."),
        },
        "testing": {
            "fr": (
                "Testez votre {a} avec un kit réactif (Marquis, Mecke, Ehrlich), ça coûte trois fois rien.",
                "Kit de test réactif passé sur mon {a}, les couleurs collent avec la carte.",
                "Le service d'analyse gratuit a confirmé que mon {a} était bien ce qu'il devait être.",
            ),
            "de": (
                "Reagenzien-Kit für {a}: Marquis und Mecke mindestens.",
                "Mein {a} beim Drug-Checking abgegeben, alles wie erwartet.",
            ),
            "en": (
                "Grab a reagent kit before you take {a}, Marquis and Mecke at least.",
                "Ran my {a} through a reagent kit, the colours matched the chart.",
            ),
        },
        "naloxone": {
            "fr": (
                "Si vous touchez aux opiacés, ayez de la naloxone sur vous, le spray nasal est gratuit.",
                "La naloxone est toujours dans mon sac.",
                "Formation naloxone faite à l'asso du quartier, je recommande.",
                "Quelqu'un prend {a} ? Gardez la naloxone à portée de main.",
            ),
            "de": (
                "Naloxon-Nasenspray dabei haben, wenn Opioide im Spiel sind.",
                "Ich habe seit letztem Jahr immer Naloxon in der Jackentasche.",
            ),
            "en": ("Carry naloxone if there are opioids anywhere near you.", "Naloxone lives in my bag now."),
        },
    },
    titles={
        "trip": {
            "fr": ("[Récit] {a}, {dose}", "[Récit] Première fois : {a}"),
            "en": ("[TR] {a}, {dose}", "[TR] First time: {a}"),
        },
        "report": {
            "fr": ("Mon expérience avec {a}", "{a} – retour"),
            "de": ("Erfahrung mit {a}", "{a} – kurzer Bericht"),
            "en": ("My {a} experience", "{a} – quick report"),
        },
        "question": {
            "fr": ("Question sur {a}", "{a} : quelle dose ?"),
            "de": ("Frage zu {a}", "{a}: welche Dosis?"),
            "en": ("{a} question", "{a} dosing?"),
        },
        "market": {
            "fr": ("{a} – qui a du bon ?", "Prix du {a}"),
            "de": ("{a} – wer hat gutes?", "Preise für {a}"),
            "en": ("{a} vendors?", "{a} prices"),
        },
        "cannabinoid_first": {"fr": ("{a} dans des vapes « CBD » ?",), "de": ("{a} in CBD-Liquids?",)},
        "tryptamine_first": {
            "en": ("[TR] {a}, {dose}",),
            "de": ("{a} – Bericht",),
            "fr": ("[Récit] {a}, {dose}",),
        },
        "dearer": {"fr": ("{a} plus chère ?",), "de": ("{a} teurer?",)},
        "cheaper": {"de": ("{a} billiger?",), "en": ("{a} cheaper?",)},
        "flood": {"fr": ("Spam d'annonces de {a}",)},
        "newcomer": {"en": ("New Dutch vendor",)},
        "relabel": {"fr": ("{a} renommée ?",), "de": ("{a} umbenannt?",)},
        "outage": {"fr": ("L'Étal à moitié en panne ?",)},
        "news": {"fr": ("Procès du {a} : 40 litres saisis",), "de": ("{a}-Prozess an der Grenze",)},
        "promo": {"fr": ("Soldes sur L'Étal",), "en": ("L'Étal sale?",)},
        "x_in_y": {"fr": ("{a} samedi soir ?", "Retour sur le {a} de samedi")},
        "lay_bad": {
            "fr": ("{a} bizarre en ce moment ?", "Quelqu'un d'autre a mal vécu son {a} ?"),
            "de": ("Komisches {a} im Umlauf?", "Wer hatte noch Ärger mit {a}?"),
            "en": ("Bad {a} about?", "Anyone else had a rough time on {a}?"),
        },
        "mix": {
            "fr": ("Mélanges : ce qui passe et ce qui ne passe pas",),
            "de": ("Mischkonsum: was geht und was nicht",),
            "en": ("Combos: what's fine and what isn't",),
        },
        "testing": {
            "fr": ("Tester ses produits", "Kits réactifs : lesquels ?"),
            "de": ("Drug-Checking und Reagenzien",),
            "en": ("Testing & reagent kits",),
        },
        "naloxone": {
            "fr": ("Naloxone : où en trouver ?",),
            "de": ("Naloxon – wo bekommt man das?",),
            "en": ("Naloxone – where to get it",),
        },
    },
    middles={
        "fr": (
            "Ce que j'ai ressenti : {eff}, {eff2}.",
            "Surtout {eff}, avec un peu de {adv}.",
            "{neg}, juste {eff}.",
            "Vers la fin, un peu de {adv}.",
            "Trois bonnes heures de {eff}.",
        ),
        "de": (
            "Gespürt habe ich: {eff}, {eff2}.",
            "Vor allem {eff}, dazu etwas {adv}.",
            "{neg}, nur {eff}.",
            "Zum Ende hin etwas {adv}.",
        ),
        "en": (
            "What I felt: {eff}, {eff2}.",
            "Mostly {eff}, with a touch of {adv}.",
            "{neg}, just {eff}.",
            "Towards the end, some {adv}.",
        ),
    },
    closers={
        "fr": (
            "Prenez soin de vous.",
            "Testez vos produits !",
            "À refaire, mais pas tout de suite.",
            "",
            "Des conseils ?",
        ),
        "de": ("Passt auf euch auf.", "Testet eure Sachen!", "Gern wieder, aber nicht so bald.", ""),
        "en": ("Look after yourselves.", "Test your stuff!", "Would do it again, not soon though.", ""),
    },
    effects={
        "fr": (
            "une belle euphorie",
            "de l'énergie à revendre",
            "envie de parler à tout le monde",
            "la musique qui rentre partout",
            "des couleurs plein les yeux",
            "très câlin",
            "une montée douce",
            "détendu",
        ),
        "de": (
            "eine schöne Euphorie",
            "jede Menge Energie",
            "Redebedarf ohne Ende",
            "die Musik ging durch und durch",
            "Farben überall",
            "sehr anhänglich",
            "sanftes Anfluten",
            "entspannt",
        ),
        "en": (
            "a warm euphoria",
            "energy for days",
            "chatting to everyone",
            "the music went right through me",
            "colours everywhere",
            "very huggy",
            "a gentle come-up",
            "relaxed",
        ),
    },
    adverse={
        "fr": ("nausée", "mâchoire serrée", "transpiration", "mal de tête", "nervosité", "un petit coup de blues"),
        "de": ("Übelkeit", "Kiefermahlen", "Schwitzen", "Kopfschmerzen", "Nervosität", "ein kleines Tief"),
        "en": ("nausea", "jaw tension", "sweating", "a headache", "jitters", "a bit of a low"),
    },
    negated={
        "fr": ("pas de nausée", "pas de descente", "pas de gueule de bois le lendemain"),
        "de": ("keine Übelkeit", "kein Absturz", "kein Kater am Tag danach"),
        "en": ("no nausea", "no comedown", "no hangover the day after"),
    },
    severe={
        "fr": (
            "une crise d'épilepsie",
            "une bouffée délirante",
            "un passage aux urgences",
            "une perte de connaissance",
        ),
        "de": ("einen Krampfanfall", "eine Psychose", "einen Notarzteinsatz", "Bewusstlosigkeit"),
        "en": ("a seizure", "psychosis", "a trip to A&E", "passing out"),
    },
    lay={
        "fr": (
            "j'avais le ventre en vrac pendant deux jours",
            "ça brûlait à chaque fois que j'allais aux toilettes",
            "j'étais complètement à l'ouest, je ne savais plus où j'étais",
            "j'ai vomi toute la soirée",
            "mes jambes ne me portaient plus",
            "tout tournait et j'ai eu la trouille de ma vie",
            "le lendemain j'étais une loque",
        ),
        "de": (
            "mir hat tagelang der Bauch wehgetan",
            "ich hab den ganzen Abend gereihert",
            "beim Pinkeln hat es gebrannt wie Hölle",
            "ich wusste nicht mehr, wo oben und unten ist",
            "meine Beine haben einfach nachgegeben",
            "ich war am nächsten Tag ein Wrack",
        ),
        "en": (
            "my stomach was in knots for two days",
            "it burned every time I went for a wee",
            "I threw up half the night",
            "I had no idea where I was for a good while",
            "my legs just gave way under me",
            "I was a wreck the whole next day",
            "the room wouldn't stop spinning",
        ),
    },
    passing={
        "fr": (
            "Avant ça : {other}, rien de plus que d'habitude.",
            "Il y avait aussi {other}, mais ça je connais bien.",
        ),
        "de": ("Dazu noch {other}, wie sonst auch.", "Es gab auch {other}, das kenne ich aber gut."),
        "en": (
            "Had {other} earlier too, nothing out of the ordinary.",
            "There was {other} as well, nothing new there.",
        ),
    },
    routes={
        "fr": ("sniffé", "avalé", "en parachute", "fumé", "sous la langue"),
        "de": ("gezogen", "geschluckt", "im Bömbchen", "geraucht", "unter die Zunge"),
        "en": ("snorted", "swallowed", "bombed", "smoked", "under the tongue"),
    },
    prices={
        "fr": ("60 € le gramme", "55 balles le g", "60 euros le g"),
        "de": ("60 Euro das Gramm", "55 € pro Gramm"),
        "en": ("€60 a gram", "60 euros a g"),
    },
    severe_line={
        "fr": "Un ami a fait {sev} juste après.",
        "de": "Ein Freund hatte danach {sev}.",
        "en": "A friend ended up with {sev} afterwards.",
    },
)

USER_PARTS = (
    ("hibou", "lucarne", "grenouille", "moselan", "frontalier", "noctambule", "ravekid", "tanzbär", "Nachteule",
     "wanderer", "mothlight", "brumeux", "quetsch", "schuedi", "kachkeis", "gromperen"),
    ("_lu", "_57", "", "42", "_fr", "_de", "x", "_b", "88", "2028"),
)  # fmt: skip

BOARDS = (
    Board(1, "discussions", "Discussions", "Français", ("fr",)),
    Board(2, "recits", "Récits", "Français", ("fr",), trip_reports=True, kind="reports"),
    Board(3, "erfahrungen", "Erfahrungen", "Deutsch", ("de",)),
    Board(4, "general", "General", "English", ("en",)),
    Board(5, "trip_reports", "Trip reports", "English", ("en",), trip_reports=True, kind="reports"),
    Board(6, "marche", "Le marché", "Marché", ("fr", "de", "en"), kind="market"),
    Board(7, "rdr", "Réduction des risques", "RdR", ("fr", "de", "en"), kind="safer"),
    Board(8, "actu", "Actualités", "Actu", ("fr", "de"), kind="later"),
)

FORUM_SPEC = ForumSpec(
    name=FORUM,
    timeline=TIMELINE,
    boards=BOARDS,
    drugs=DRUGS,
    words=FORUM_WORDS,
    n_threads=95,
    n_safer=12,
    users=tuple(content.user_names(content.rng_for(FORUM, "users"), 48, USER_PARTS)),
    thread_base=2300,
    post_base=61000,
    weekdays=(1.1, 1.0, 1.0, 1.1, 1.6, 2.4, 2.1),
    happenings=(
        NewThread(
            CANNABINOID, 9, 8, "discussions", "fr", span=10, first="cannabinoid_first", replies="cannabinoid_reply"
        ),
        NewThread(
            CANNABINOID, 10, 5, "erfahrungen", "de", span=9, first="cannabinoid_first", replies="cannabinoid_reply"
        ),
        NewThread("cannabis", 11, 5, "marche", "fr", span=2, first="outage", replies="outage"),
        NewThread("cocaine", 17, 7, "marche", "fr", span=10, first="dearer", replies="dearer"),
        NewThread("cocaine", 19, 3, "marche", "de", span=8, first="dearer", replies="dearer"),
        NewThread("amphetamine", 22, 5, "marche", "fr", span=3, first="flood", replies="flood"),
        NewThread("cocaine", 28, 4, "marche", "en", span=5, first="newcomer", replies="newcomer"),
        NewThread("3-MMC", 29, 4, "marche", "fr", span=6, first="relabel", replies="relabel"),
        NewThread("3-MMC", 30, 2, "marche", "de", span=5, first="relabel", replies="relabel"),
        NewThread(
            TRYPTAMINE, 30, 7, "trip_reports", "en", span=6, first="tryptamine_first", replies="tryptamine_reply"
        ),
        NewThread(TRYPTAMINE, 31, 4, "erfahrungen", "de", span=5, first="tryptamine_first", replies="tryptamine_reply"),
        NewThread(TRYPTAMINE, 33, 4, "recits", "fr", span=3, first="tryptamine_first", replies="tryptamine_reply"),
        Peak(
            32,
            34,
            12,
            mix_share=0.35,
            title={
                "fr": "Festival Lune de Foin ce week-end – qui y va ?",
                "de": "Lune de Foin Festival – wer ist dabei?",
                "en": "Lune de Foin festival weekend thread",
            },
        ),
        NewThread("GHB", 36, 9, "actu", "fr", span=5, first="news", replies="news"),
        NewThread("GHB", 37, 6, "actu", "de", span=4, first="news", replies="news"),
        NewThread("cannabis", 38, 6, "marche", "fr", span=4, first="promo", replies="promo"),
        NewThread("cannabis", 39, 3, "marche", "en", span=3, first="promo", replies="promo"),
        Wave(
            "ketamine",
            43,
            49,
            45,
            ("fr", "de", "en"),
            passing=("alcohol", "tobacco", "caffeine", "cannabis"),
            passing_share=0.4,
        ),
        NewThread("2C-B", 45, 8, "discussions", "fr", span=4, first="x_in_y", replies="x_in_y"),
        NewThread("MDMA", 53, 5, "marche", "de", span=6, first="cheaper", replies="cheaper"),
        NewThread("MDMA", 54, 3, "marche", "en", span=5, first="cheaper", replies="cheaper"),
    ),
)
