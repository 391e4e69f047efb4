"""Hold-out B: Kruispunt · Carrefour (a Belgian market priced in Monero only, Dutch, French and English
listings) and L'Estaminet (a vBulletin-style forum, Dutch, French and English boards), 64 days from Monday
2027-05-03.

Unsealed on 2026-12-07 to fix a trap; now training data, like A (it was scored sealed before and after the
tuning of issue #15).
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
    Reprice,
    Spike,
    Wave,
)
from demosites.forums import Board
from demosites.timeline import Timeline

TIMELINE = Timeline(date(2027, 5, 3), 64)
MARKET, FORUM = "kruispunt_market", "estaminet_forum"

CANNABINOID = "EDMB-4en-PICA"  # invented: head EDMB, tail 4en (pentenyl), core PICA; in no lexicon
OPIOID = "N-desethyl isotonitazene"  # a real nitazene, in the lexicon, never seen on this bed before day 45
SWING = (34, 38)  # Monero loses a fifth of its value: every XMR price is a quarter higher, then back (a trap)

_STIM, _XTC, _DISS, _PSY = "Stimulantia / Stimulants", "XTC & MDMA", "Dissociativa / Dissociatifs", "Psychedelica"
_DOWN, _OPI, _HR = "Downers", "Opioïden / Opioïdes", "Harm reduction / RdR"
DRUGS: tuple[Drug, ...] = (
    Drug("cocaine", ("coke", "C", "sneeuw", "coco", "la blanche", "cocaïne"), _STIM, "g", 55, 8, "0,2 g", party=True),
    Drug("amphetamine", ("speed", "pep", "amfetamine", "amphét"), _STIM, "g", 8, 5, "0,5 g", party=True),
    Drug(
        "MDMA", ("MD", "molly", "kristallen", "MDMA-kristal", "cristaux de MD"), _XTC, "g", 25, 5, "120mg", party=True
    ),
    Drug("XTC", ("pillen", "XTC", "ecsta", "taps", "xeu"), _XTC, "pill", 5, 6, "150mg", party=True),
    Drug("ketamine", ("keta", "ket", "K", "kétamine", "special K"), _DISS, "g", 22, 5, "80mg", party=True),
    Drug("3-MMC", ("3mmc", "3-mmc", "3M", "metafedrone"), _STIM, "g", 14, 5, "150mg"),
    Drug("3-CMC", ("3cmc", "clophedrone", "3-cmc"), _STIM, "g", 12, 2, "120mg"),
    Drug("2C-B", ("2cb", "nexus", "2-CB", "2C-B pillen"), _PSY, "pill", 7, 5, "20mg", party=True),
    Drug("LSD", ("acid", "trips", "buvards", "carton", "lucy"), _PSY, "tab", 8, 3, "100µg"),
    Drug("psilocybin", ("truffels", "paddo's", "champis", "champignons magiques"), _PSY, "g", 1.5, 2, "15 g"),
    Drug("cannabis", ("wiet", "weed", "hasj", "beuh", "skunk", "joint"), "Cannabis", "g", 9, 7, "1 joint"),
    Drug("GHB", ("G", "GBL", "GHB", "liquide"), _DOWN, "ml", 0.3, 2, "1,5 ml", party=True),
    Drug("bromazolam", ("broma", "bromazolam"), _DOWN, "pill", 1.5, 2, "1mg"),
    Drug("alprazolam", ("Xanax", "xanax", "xans", "alprazolam"), _DOWN, "pill", 2, 2, "1mg"),
    Drug("heroin", ("bruin", "héro", "brown", "heroïne"), _OPI, "g", 40, 2, "0,1 g"),
    Drug("tramadol", ("trama", "tramal", "tramadol"), _OPI, "pill", 1, 1, "100mg"),
    Drug(
        CANNABINOID,
        ("EDMB-4en", "edmb-4en-pica", "EDMB 4en PICA"),
        "Vapes & e-liquids",
        "cart",
        24,
        0,
        "1 hit",
        titles=(
            "Vape 'Purple Haze' 1 ml – {key} {e}",
            "E-liquid {key} – très fort / zeer sterk",
            "{a} vape cart – not THC",
        ),
    ),
    Drug(
        OPIOID,
        ("N-desethyl-isotonitazeen", "N-desethyl isotonitazène", "desethyl-iso", "N-desethyl-isotonitazene"),
        _OPI,
        "mg",
        2.5,
        0,
        "1mg",
        titles=("{key} – research opioid", "{a} poeder / poudre – labo getest"),
    ),
    Drug(
        "fentanyl test strips",
        ("fentanyl-teststrips", "bandelettes fentanyl", "fentanyl test strips"),
        _HR,
        "strip",
        1.1,
        0,
        talk=False,
        titles=("{a} (10 st.) – test je spullen", "{a} | testez vos produits {e}", "{key} – drug checking at home"),
        blurbs=(
            "Teststrips om zelf te testen, resultaat na 5 minuten.",
            "Bandelettes à usage unique, mode d'emploi en français et en néerlandais.",
            "Sold at cost. A negative strip is not a guarantee of safety.",
        ),
    ),
    Drug("alcohol", ("pintjes", "bier", "alcool", "bières", "booze"), "", "ml", 0, 0, talk=False),
    Drug("naloxone", ("naloxon", "naloxone", "Nyxoid"), "", "ml", 0, 0, talk=False),
)

# ---- the market -----------------------------------------------------------------------------------------------


def xmr_eur(day: int) -> float:
    """Euros per monero: drifts a few percent over the weeks, and loses a fifth during the swing."""
    return 150 * wave(day, 7, 0.03) * (0.8 if SWING[0] <= day <= SWING[1] else 1.0)


def xmr_only(amount: float, day: int) -> tuple[str, ...]:
    """A euro reference amount shown in Monero, four decimals with a decimal comma: 0,2150 XMR."""
    return (f"{amount / xmr_eur(day):.4f}".replace(".", ",") + " XMR",)


TIERS = {
    "g": ((1, 1.0, "1 gr"), (5, 0.9, "5 gr"), (10, 0.82, "10 gr"), (25, 0.75, "25 gr")),
    "pill": ((10, 1.0, "10 st."), (25, 0.9, "25 st."), (50, 0.8, "50 st."), (100, 0.7, "100 st.")),
    "tab": ((5, 1.0, "5 tabs"), (10, 0.9, "10 tabs"), (25, 0.8, "25 tabs")),
    "mg": ((5, 1.0, "5 mg"), (10, 0.92, "10 mg"), (25, 0.85, "25 mg")),
    "ml": ((100, 1.0, "100 ml"), (250, 0.9, "250 ml"), (500, 0.8, "500 ml")),
    "cart": ((1, 1.0, "1 cart (1 ml)"), (3, 0.93, "3 carts"), (5, 0.88, "5 carts")),
    "strip": ((10, 1.0, "10 strips"), (25, 0.9, "25 strips")),
}

MARKET_WORDS = MarketWords(
    titles={
        "nl": (
            "{a} {purity}% – topkwaliteit {e}",
            "{key} | verzending vanuit BE | {a}",
            "Verse {a} – nieuwe batch {e}",
            "{key} ({a}) – labo getest {purity}%",
            "Premium {a} – discreet verstuurd",
        ),
        "fr": (
            "{a} {purity}% – qualité top {e}",
            "{key} | envoi depuis la Belgique | {a}",
            "{a} frais – nouveau lot {e}",
            "{key} ({a}) – testé en labo {purity}%",
            "{a} premium – envoi discret",
        ),
        "en": ("{a} {purity}% | Benelux stock {e}", "{key} — top quality, fast shipping", "{a} ({key}) · new batch"),
    },
    descriptions={
        "nl": (
            "Verse batch {a}, getest op {purity}%. Vacuüm verpakt, verzending binnen 24u.",
            "Verzending met bpost, track & trace op aanvraag.",
            "Begin laag, ga traag. Niet mengen met alcohol.",
            "Herverzending bij verlies, daarna 50/50.",
            "Grotere hoeveelheden? Stuur een bericht.",
        ),
        "fr": (
            "Lot frais de {a}, testé à {purity}%. Emballage sous vide, envoi sous 24h.",
            "Envoi par bpost, suivi sur demande.",
            "Commencez doucement. Ne pas mélanger avec l'alcool.",
            "Renvoi en cas de perte, ensuite 50/50.",
            "Pour du gros, envoyez un message.",
        ),
        "en": (
            "Fresh batch of {a}, tested at {purity}%. Vacuum sealed.",
            "Ships Mon-Fri from Belgium, stealth guaranteed.",
            "Start low, go slow.",
            "Reship if lost, then 50/50.",
        ),
    },
    reviews=(
        "Snel geleverd, topkwaliteit",
        "Livraison rapide, produit conforme",
        "Good stealth, would order again",
        "Iets zwakker dan vorige keer",
        "Top vendeur 👍",
        "3 dagen onderweg, alles ok",
        "Parfait, merci",
        "Vendor sorted a lost pack",
    ),
)

MARKET_SPEC = MarketSpec(
    name=MARKET,
    timeline=TIMELINE,
    drugs=DRUGS,
    words=MARKET_WORDS,
    langs=("nl", "nl", "fr", "fr", "en"),
    n_listings=165,
    n_vendors=12,
    vendor_parts=(
        (
            "Brabo",
            "Manneken",
            "Frit",
            "Gentse",
            "Ardennes",
            "Schelde",
            "Meuse",
            "Kempen",
            "Flandres",
            "Waffle",
            "Moules",
            "Atomium",
        ),
        ("Pharma", "Direct", "Apotheek", "Express", "Labo", "Shop", "Depot", "Connect", "Maison", "Co"),
    ),
    tiers=TIERS,
    countries=("België / Belgique", "België / Belgique", "Nederland / Pays-Bas", "France", "Deutschland"),
    ship_to=("Benelux", "België / Belgique", "France", "Nederland / Pays-Bas", "EU", "Worldwide"),
    money=xmr_only,
    happenings=(
        Appear("fentanyl test strips", 12, 1, vendor=2),
        Appear(CANNABINOID, 19, 2, every=4),
        Spike("2C-B", 22, 25, 3.0),
        Reprice("cocaine", 27, 0.7, spread=3),
        Appear(OPIOID, 45, 2, every=3),
        Reprice("ketamine", 50, 1.4, spread=3),
    ),
    id_base=48000,
)

# ---- the forum ------------------------------------------------------------------------------------------------

FORUM_WORDS = ForumWords(
    moods={
        "report": {
            "nl": (
                "Gisteravond {dose} {a}, {route}.",
                "Voor het eerst {a} geprobeerd dit weekend ({dose}, {route}).",
                "Kort verslag: {dose} {a} {route}, thuis met vrienden.",
                "Zaterdag in de club {dose} {a} {route}.",
            ),
            "fr": (
                "Hier soir, {dose} de {a}, {route}.",
                "Première fois avec {a} ce week-end ({dose}, {route}).",
                "Petit récit : {dose} de {a} {route}, chez moi avec des potes.",
                "Samedi en club, {dose} de {a} {route}.",
            ),
            "en": (
                "Last night: {dose} of {a}, {route}.",
                "First go on {a} this weekend ({dose}, {route}).",
                "Short report: {dose} {a} {route}, at a mate's place.",
                "Saturday at the club, {dose} {a} {route}.",
            ),
        },
        "question": {
            "nl": (
                "Vraagje over {a}: is {dose} veel om mee te beginnen?",
                "Hoe lang werkt {a} bij jullie?",
                "Kan je {a} combineren met {other}?",
                "Hoe weet ik of mijn {a} versneden is?",
            ),
            "fr": (
                "Question sur {a} : {dose} c'est beaucoup pour commencer ?",
                "Combien de temps dure {a} chez vous ?",
                "On peut mélanger {a} et {other} ?",
                "Comment savoir si mon {a} est coupé ?",
            ),
            "en": (
                "Question on {a}: is {dose} a lot to start with?",
                "How long does {a} last for you?",
                "Can you combine {a} with {other}?",
                "How do I know if my {a} is cut?",
            ),
        },
        "reply": {
            "nl": (
                "Bij mij vooral {eff} en {eff2}.",
                "Begin lager, {dose} is al stevig.",
                "Klopt, {eff}.",
                "Laat het eerst testen, dat kost bijna niks.",
                "Had ook wat {adv}, maar na een paar uur was het weg.",
                "{neg}, gewoon {eff}.",
            ),
            "fr": (
                "Chez moi surtout {eff} et {eff2}.",
                "Commence plus bas, {dose} c'est déjà costaud.",
                "Je confirme, {eff}.",
                "Fais tester avant, ça ne coûte presque rien.",
                "J'ai eu un peu de {adv} aussi, passé en quelques heures.",
                "{neg}, juste {eff}.",
            ),
            "en": (
                "For me mostly {eff} and {eff2}.",
                "Go lower, {dose} is already strong.",
                "Yep, {eff}.",
                "Get it tested first, it's nearly free.",
                "Had a bit of {adv} too, gone after a few hours.",
                "{neg}, just {eff}.",
            ),
        },
        "market": {
            "nl": (
                "{price} betaald voor {a} op Kruispunt, valt mee.",
                "Welke vendor heeft nu goede {a}?",
                "{a} kwam na 3 dagen aan, stealth top.",
                "Prijzen voor {a} zijn oké nu, {price}.",
            ),
            "fr": (
                "Payé {price} pour {a} sur Kruispunt, correct.",
                "Quel vendeur a du bon {a} en ce moment ?",
                "Mon {a} est arrivé en 3 jours, envoi discret nickel.",
                "Les prix de {a} sont corrects, {price}.",
            ),
        },
        "dearer": {
            "nl": (
                "Is {a} bij jullie ook duurder geworden? Betaal nu veel meer.",
                "Bijna alle vendors op Kruispunt hebben {a} duurder gemaakt.",
                "Tekort aan {a} blijkbaar, stuk duurder.",
            ),
            "fr": (
                "{a} a augmenté chez vous aussi ? Je paie beaucoup plus cher.",
                "Presque tous les vendeurs de Kruispunt ont monté le prix de {a}.",
                "Pénurie de {a} apparemment, bien plus cher.",
            ),
        },
        "cheaper": {
            "nl": (
                "{a} is ineens spotgoedkoop, bijna een derde minder dan vorige maand.",
                "Antwerpen overspoelt de markt met {a}, de prijzen zakken.",
                "Net {a} gekocht voor veel minder dan normaal.",
            ),
            "fr": (
                "{a} est devenu super bon marché, presque un tiers de moins.",
                "Le port d'Anvers inonde le marché de {a}, les prix chutent.",
                "Je viens d'acheter {a} bien moins cher.",
            ),
        },
        "xmr": {
            "nl": (
                "Monero is deze week flink gezakt, daarom lijken alle prijzen in XMR hoger.",
                "Alle prijzen op Kruispunt ineens een kwart hoger in XMR, dat ligt aan de koers, niet aan de vendors.",
                "Even wachten met bestellen tot XMR weer herstelt.",
            ),
            "fr": (
                "Le Monero a chuté cette semaine, du coup tout paraît plus cher en XMR.",
                "Attendez que le cours du XMR remonte avant de commander.",
            ),
        },
        "lay_bad": {
            "nl": (
                "De {a} die nu rondgaat is echt slecht, {lay}.",
                "Batch {a} van deze week: {lay}.",
                "Ben geen beginner, maar deze {a} was echt slecht, {lay}.",
                "Mijn vriendin voelde zich na de {a} echt rot, {lay}.",
                "Blijf weg van de huidige {a}, {lay}.",
                "We hadden met drie dezelfde {a} en iedereen voelde zich slecht, {lay}.",
            ),
            "fr": (
                "Le {a} qui tourne en ce moment est vraiment mauvais, {lay}.",
                "Le lot de {a} de cette semaine : {lay}.",
                "Je ne suis pas débutant, mais ce {a} m'a démoli, {lay}.",
                "Ma copine s'est sentie très mal après le {a}, {lay}.",
                "Évitez le {a} actuel, {lay}.",
                "On était trois avec le même {a} et personne ne se sentait bien, {lay}.",
            ),
            "en": (
                "The {a} going round this week is bad news, {lay}.",
                "This week's batch of {a}: {lay}.",
                "Not new to this, but this {a} was properly bad, {lay}.",
                "My partner felt terrible after the {a}, {lay}.",
                "Avoid the current {a}, {lay}.",
                "Three of us had the same {a} and none of us felt right, {lay}.",
            ),
        },
        "party": {
            "nl": (
                "Festival dit weekend! Wie neemt {a} mee?",
                "Zaterdag op de wei met {a}, {eff}, topsfeer.",
                "Tent staat, {a} is mee, zin in!",
                "Vrijdag was geweldig, beetje {a} en de hele nacht gedanst.",
            ),
            "fr": (
                "Festival ce week-end ! Qui prend du {a} ?",
                "Samedi sur la plaine avec {a}, {eff}, ambiance de fou.",
                "Tente montée, {a} dans le sac, trop hâte !",
                "Vendredi c'était génial, un peu de {a} et on a dansé toute la nuit.",
            ),
            "en": (
                "Festival this weekend! Who's bringing {a}?",
                "Saturday in the field on {a}, {eff}, great vibe.",
                "Tent's up, {a} packed, can't wait!",
                "Friday was amazing, a bit of {a} and dancing all night.",
            ),
        },
        "mix": {
            "nl": (
                "Denk eraan: {a} niet mengen met alcohol, en drink genoeg water.",
                "{a} en alcohol samen is echt geen goed idee.",
                "Wie {a} neemt: geen pintjes erbij, dat versterkt elkaar.",
            ),
            "fr": (
                "Rappel : ne mélangez pas {a} avec l'alcool, et buvez de l'eau.",
                "{a} et alcool, c'est une mauvaise idée.",
                "Si vous prenez du {a}, évitez l'alcool, les effets s'additionnent.",
            ),
            "en": (
                "Reminder: don't mix {a} with alcohol, and drink water.",
                "{a} and booze together is a bad idea.",
                "If you're on {a}, skip the beers, they add up.",
            ),
        },
        "testing": {
            "nl": (
                "Laat je {a} testen! Fentanyl-teststrips zijn nu goedkoop.",
                "Reagenstest op mijn {a} gedaan, Marquis zag er normaal uit.",
                "Mijn {a} laten testen bij een testpunt, alles clean.",
                "Fentanyl-teststrip was negatief, {a} lijkt ok.",
                "Kruispunt verkoopt nu fentanyl-teststrips, meteen besteld.",
            ),
            "fr": (
                "Faites tester votre {a} ! Les bandelettes fentanyl ne coûtent presque rien.",
                "Test au réactif sur mon {a}, le Marquis était normal.",
                "J'ai fait analyser mon {a} au testing, tout est propre.",
                "Bandelette fentanyl négative, le {a} a l'air ok.",
            ),
            "en": (
                "Get your {a} tested! Fentanyl test strips are cheap now.",
                "Reagent-tested my {a}, Marquis looked normal.",
                "Had my {a} checked at a testing service, all clean.",
            ),
        },
        "naloxone": {
            "nl": (
                "Wie opioïden gebruikt: naloxon-neusspray is gratis te krijgen, haal het.",
                "Ik heb nu altijd naloxon bij me.",
                "Naloxontraining gevolgd bij de drugpreventie, aanrader.",
                "Als iemand {a} neemt: naloxon binnen handbereik.",
            ),
            "fr": (
                "Si vous consommez des opioïdes : la naloxone en spray nasal est gratuite, procurez-vous-en.",
                "J'ai toujours de la naloxone sur moi maintenant.",
                "Formation naloxone suivie, je recommande.",
            ),
            "en": (
                "If you use opioids, get naloxone, the nasal spray is free.",
                "I always carry naloxone now.",
                "Did a naloxone training, recommended.",
            ),
        },
        "cannabinoid_first": {
            "fr": (
                "Alerte : le testing a trouvé de l'{a} dans des vapes vendues comme « CBD ». Quelqu'un en sait plus ?",
                "Des vapes « THC » qui circulent contiendraient de l'{a}, un nouveau cannabinoïde de synthèse.",
            ),
            "nl": ("Er circuleren vapes met {a} erin, verkocht als CBD. Iemand ervaring?",),
            "en": ("Drug checking found {a} in vapes sold as CBD. Anyone know this one?",),
        },
        "cannabinoid_reply": {
            "fr": (
                "L'{a}, c'est un cannabinoïde de synthèse, rien à voir avec du THC.",
                "Un pote a tiré sur une de ces vapes à l'{a} : {eff}, mais aussi {adv}.",
                "Maintenant il y en a sur Kruispunt aussi, sous le nom {a}.",
                "Méfiance avec les vapes pas chères, il y a de l'{a} dedans.",
            ),
            "nl": (
                "{a} is een synthetische cannabinoïde, niks met THC te maken.",
                "Staat nu ook op Kruispunt als {a}.",
                "Vriend heeft zo'n {a}-vape gerookt: {eff}, maar ook {adv}.",
            ),
            "en": ("{a} is a synthetic cannabinoid, nothing like THC.", "Kruispunt has it now too, listed as {a}."),
        },
        "opioid_first": {
            "nl": (
                "Let op: op Kruispunt wordt nu {a} verkocht. Dat is een nitazeen, extreem sterk.",
                "Iemand {a} gezien op Kruispunt? Staat er als 'research opioid'.",
            ),
            "en": ("Heads up: {a} is listed on Kruispunt now, a nitazene, extremely potent.",),
        },
        "opioid_reply": {
            "nl": (
                "{a} is een nitazeen, microgrammen zijn al genoeg. Niet doen.",
                "Als iemand {a} probeert: nooit alleen en naloxon klaar.",
                "Weer een reden om alles te laten testen.",
            ),
            "en": (
                "{a} is one of the nitazenes, micrograms are enough. Please don't.",
                "If anyone tries {a}: never alone, naloxone ready.",
            ),
        },
    },
    titles={
        "trip": {
            "nl": ("[Tripverslag] {a}, {dose}", "[Tripverslag] Eerste keer {a}"),
            "fr": ("[Récit] {a}, {dose}", "[Récit] Première fois {a}"),
        },
        "report": {
            "nl": ("Ervaring met {a}", "{a} – mijn verhaal"),
            "fr": ("Mon expérience avec {a}", "{a} – petit retour"),
            "en": ("My {a} experience", "{a} – quick report"),
        },
        "question": {
            "nl": ("Vraag over {a}", "{a} dosering?"),
            "fr": ("Question sur {a}", "Dosage {a} ?"),
            "en": ("{a} question", "{a} dosage?"),
        },
        "market": {"nl": ("{a} – wie heeft goede?", "Prijzen {a}"), "fr": ("{a} – qui a du bon ?", "Prix de {a}")},
        "dearer": {"nl": ("{a} duurder?",), "fr": ("{a} plus cher ?",)},
        "cheaper": {"nl": ("{a} ineens goedkoop?",), "fr": ("{a} pas cher ?",)},
        "xmr": {"nl": ("Waarom is alles duurder in XMR?",), "fr": ("Pourquoi tout est plus cher en XMR ?",)},
        "lay_bad": {
            "nl": ("Slechte {a} in omloop?", "Iemand anders ook ziek van de {a}?"),
            "fr": ("Mauvais {a} qui tourne ?", "D'autres qui se sentent mal après le {a} ?"),
            "en": ("Bad {a} going round?", "Anyone else feel rough after {a}?"),
        },
        "mix": {
            "nl": ("Combineren: wat wel en wat niet", "Alcohol en {a}?"),
            "fr": ("Mélanges : ce qui passe et ce qui ne passe pas", "Alcool et {a} ?"),
            "en": ("Mixing: what's fine and what isn't",),
        },
        "testing": {
            "nl": ("Testen en teststrips", "Welke reagentia kopen?"),
            "fr": ("Testing et bandelettes",),
            "en": ("Testing & test strips",),
        },
        "naloxone": {
            "nl": ("Naloxon – waar krijg je dat?",),
            "fr": ("Naloxone – où en trouver ?",),
            "en": ("Naloxone – where to get it",),
        },
        "cannabinoid_first": {
            "fr": ("{a} dans des vapes « CBD » ?",),
            "nl": ("{a} in vapes?",),
            "en": ("{a} in vapes?",),
        },
        "opioid_first": {"nl": ("{a} op Kruispunt – opgepast",), "en": ("{a} on Kruispunt – careful",)},
    },
    middles={
        "nl": (
            "Wat ik voelde: {eff}, {eff2}.",
            "Vooral {eff}, maar ook wat {adv}.",
            "{neg}, gewoon {eff}.",
            "Bij het uitwerken wat {adv}.",
            "Een uur of drie {eff}.",
        ),
        "fr": (
            "Ce que j'ai ressenti : {eff}, {eff2}.",
            "Surtout {eff}, mais aussi un peu de {adv}.",
            "{neg}, juste {eff}.",
            "À la descente un peu de {adv}.",
            "Trois heures environ : {eff}.",
        ),
        "en": (
            "What I felt: {eff}, {eff2}.",
            "Mostly {eff}, but some {adv} too.",
            "{neg}, just {eff}.",
            "A bit of {adv} as it wore off.",
            "Roughly three hours of {eff}.",
        ),
    },
    closers={
        "nl": ("Wees voorzichtig.", "Test je spullen!", "Zou het opnieuw doen, maar niet snel.", "", "Tips?"),
        "fr": (
            "Prenez soin de vous.",
            "Testez vos produits !",
            "À refaire, mais pas tout de suite.",
            "",
            "Des conseils ?",
        ),
        "en": ("Take care.", "Get your stuff tested!", "Would do it again, just not soon.", "", "Tips?"),
    },
    effects={
        "nl": (
            "een heerlijke roes",
            "veel energie",
            "kletsen als een gek",
            "alles voelde warm",
            "muziek kwam binnen",
            "zin om bij te nemen",
            "kleuren en patronen",
            "knuffelig",
            "rustige opkomst",
            "chill",
        ),
        "fr": (
            "une belle montée",
            "plein d'énergie",
            "je parlais sans arrêt",
            "tout était doux",
            "la musique me portait",
            "envie de reprendre",
            "des couleurs partout",
            "câlin",
            "montée tranquille",
            "posé",
        ),
        "en": (
            "a lovely buzz",
            "loads of energy",
            "couldn't stop talking",
            "everything felt warm",
            "the music hit different",
            "wanted to redose",
            "colours and patterns",
            "huggy",
            "gentle come-up",
            "chilled",
        ),
    },
    adverse={
        "nl": (
            "misselijkheid",
            "kaakspanning",
            "hartkloppingen",
            "slecht slapen",
            "hoofdpijn",
            "rusteloosheid",
            "angstgevoelens",
        ),
        "fr": ("nausée", "mâchoire crispée", "palpitations", "insomnie", "mal de crâne", "agitation", "angoisse"),
        "en": ("nausea", "tight jaw", "palpitations", "bad sleep", "headache", "restlessness", "anxiety"),
    },
    negated={
        "nl": ("geen misselijkheid", "geen kaakspanning", "geen hoofdpijn de dag erna", "geen angst"),
        "fr": ("pas de nausée", "pas de mâchoire crispée", "pas de mal de crâne le lendemain", "aucune angoisse"),
        "en": ("no nausea", "no jaw tension", "no headache the day after", "no anxiety"),
    },
    severe={
        "nl": ("een epileptische aanval", "een psychose", "een rit naar de spoed", "bewustzijnsverlies"),
        "fr": ("une crise d'épilepsie", "une psychose", "un passage aux urgences", "une perte de connaissance"),
        "en": ("a seizure", "psychosis", "a trip to A&E", "a blackout"),
    },
    lay={
        "nl": (
            "ik was de hele nacht misselijk",
            "mijn hart bonkte als een gek",
            "ik heb uren liggen trillen",
            "ik was twee dagen compleet kapot",
            "ik zweette me kapot",
            "ik voelde me echt beroerd",
            "de comedown was verschrikkelijk",
            "ik kon tot maandag niet slapen",
            "ik was de hele tijd onrustig",
        ),
        "fr": (
            "j'ai eu envie de vomir toute la nuit",
            "mon cœur battait à fond",
            "j'ai tremblé pendant des heures",
            "j'étais complètement HS pendant deux jours",
            "je transpirais comme jamais",
            "je me sentais vraiment pas bien",
            "la descente était horrible",
            "impossible de dormir jusqu'à lundi",
        ),
        "en": (
            "I felt queasy all night",
            "my heart was hammering",
            "I was shaking for hours",
            "I was wiped out for two days",
            "I was drenched in sweat",
            "I felt really rough",
            "the comedown was horrible",
            "couldn't sleep till Monday",
        ),
    },
    passing={
        "nl": (
            "Had er ook wat {other} bij, zoals elk weekend.",
            "Er was ook {other} in het spel, maar daar lag het niet aan.",
        ),
        "fr": (
            "Un peu de {other} aussi, comme chaque week-end.",
            "Il y avait aussi {other}, mais ce n'est pas ça le problème.",
        ),
        "en": (
            "Had some {other} too, same as every weekend.",
            "There was {other} involved as well but that wasn't it.",
        ),
    },
    routes={
        "nl": ("gesnoven", "geslikt", "gerookt", "gedipt", "gevaped", "in een bommetje"),
        "fr": ("sniffé", "avalé", "fumé", "en parachute", "vapoté", "gobé"),
        "en": ("snorted", "swallowed", "smoked", "dabbed", "vaped", "bombed"),
    },
    prices={
        "nl": ("50 euro per gram", "€45 voor 1 gr", "0,3 XMR per gram"),
        "fr": ("50 € le gramme", "45 € le g", "0,3 XMR le gramme"),
        "en": ("€50 a gram", "0.3 XMR a gram"),
    },
    severe_line={
        "nl": "Een vriend kreeg daarna {sev}.",
        "fr": "Un ami a fait {sev} après.",
        "en": "A mate had {sev} afterwards.",
    },
)

USER_PARTS = (
    (
        "frituur",
        "manneken",
        "gentenaar",
        "brusseleir",
        "liegeois",
        "zinneke",
        "choco",
        "smos",
        "kriek",
        "gueuze",
        "stoemp",
        "zoetje",
        "kotstudent",
        "botteke",
        "namurois",
        "carolo",
        "waffle",
        "dansvloer",
    ),
    ("_be", "32", "_gent", "_bxl", "", "_lg", "2000", "x", "_antw", "69"),
)

BOARDS = (
    Board(10, "ervaringen", "Ervaringen & tripverslagen", "Nederlands", ("nl",), trip_reports=True, kind="reports"),
    Board(11, "babbelhoek", "Babbelhoek", "Nederlands", ("nl",)),
    Board(20, "recits", "Récits & expériences", "Français", ("fr",), trip_reports=True, kind="reports"),
    Board(21, "discussions", "Discussions", "Français", ("fr",)),
    Board(30, "english", "English lounge", "English", ("en",)),
    Board(40, "markt", "Markt & vendors / Marché", "Markt", ("nl", "fr"), kind="market"),
    Board(50, "rdr", "Harm reduction / Réduction des risques", "Harm reduction", ("nl", "fr", "en"), kind="safer"),
)

FORUM_SPEC = ForumSpec(
    name=FORUM,
    timeline=TIMELINE,
    boards=BOARDS,
    drugs=DRUGS,
    words=FORUM_WORDS,
    n_threads=80,
    n_safer=9,
    users=tuple(content.user_names(content.rng_for(FORUM, "users"), 42, USER_PARTS)),
    thread_base=5400,
    post_base=210000,
    weekdays=(1.0, 0.9, 1.0, 1.0, 1.7, 2.6, 2.1),
    happenings=(
        NewThread(
            CANNABINOID, 16, 8, "discussions", "fr", span=12, first="cannabinoid_first", replies="cannabinoid_reply"
        ),
        NewThread(
            CANNABINOID, 18, 5, "babbelhoek", "nl", span=10, first="cannabinoid_first", replies="cannabinoid_reply"
        ),
        NewThread("cocaine", 29, 7, "markt", "nl", span=10, first="cheaper", replies="cheaper"),
        NewThread("cocaine", 30, 5, "markt", "fr", span=10, first="cheaper", replies="cheaper"),
        NewThread("cannabis", 35, 6, "markt", "nl", span=5, first="xmr", replies="xmr"),
        Wave("3-MMC", 40, 47, 48, ("nl", "fr", "en"), passing=("cannabis", "alcohol", "ketamine"), passing_share=0.35),
        NewThread(OPIOID, 46, 8, "babbelhoek", "nl", span=12, first="opioid_first", replies="opioid_reply"),
        NewThread(OPIOID, 47, 5, "english", "en", span=10, first="opioid_first", replies="opioid_reply"),
        NewThread("naloxone", 48, 6, "rdr", "nl", span=10, first="naloxone", replies="naloxone"),
        NewThread("ketamine", 52, 7, "markt", "fr", span=10, first="dearer", replies="dearer"),
        Peak(
            53,
            55,
            15,
            mix_share=0.35,
            title={
                "nl": "Festivalweekend – wie gaat er?",
                "fr": "Week-end festival – qui vient ?",
                "en": "Festival weekend – who's going?",
            },
        ),
    ),
)
