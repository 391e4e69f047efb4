"""Hold-out E (sealed): Naschmarkt (a Viennese classifieds market, every listing an ``<article>`` with its price
tiers in a table, priced in euros written the German way, ``1.234,50 €``; German and English listings) and Beisl
(a XenForo-like forum whose replies quote earlier posts in a ``<blockquote>``; German and English, a French board
opened mid-way), 60 days from Monday 2028-03-06, over Easter.

Scored before and after the detectors are tuned, never used for fixing: whoever tunes does not read this module,
``bench/markets/holdout_e/``, ``demosites/sites/naschmarkt_market.py``, ``demosites/sites/beisl_forum.py`` nor their
templates.  The scripted events and traps are in ``bench/markets/holdout_e/script.yml``; this module makes them
happen on the sites.
"""

from __future__ import annotations

from datetime import date

from demosites import content
from demosites.beds.forum import BedThread, ForumSpec
from demosites.beds.market import MarketSpec
from demosites.beds.model import (
    Appear,
    Drug,
    ForumWords,
    Lull,
    MarketWords,
    NewThread,
    Repost,
    Reprice,
    Spike,
    Wave,
)
from demosites.forums import Board, Post
from demosites.timeline import Fault, Timeline

TIMELINE = Timeline(date(2028, 3, 6), 60)
MARKET, FORUM = "naschmarkt_market", "beisl_forum"
ZONE = "Europe/Vienna"  # the forum writes its times with this zone's offset
OUTAGE = Fault(MARKET, "outage", (12, 13))  # the market answers 503 for two days (a trap: nothing to signal)
EASTER = Lull(39, 42, 0.35)  # Good Friday (2028-04-14) to Easter Monday: people are with their families
REPOST_TITLE = "Blue Punisher 280 mg – 10 Stk. – TOP Qualität 💊"
REPOST = Repost("XTC", 8, 59, REPOST_TITLE, vendor=4)

CANNABINOID = "ADB-7en-BINACA"  # invented: head ADB, tail 7en (heptenyl), core BINACA; in no lexicon
CATHINONE = "4-Br-PiHP"  # invented: a 4-bromo α-PiHP, a cathinone; in no lexicon
QUOTED = NewThread("2C-B", 20, 18, "plaudern", "de", span=12, first="lay_bad", replies="calm")  # every reply
# quotes the first post (one bad night) in full

DRUGS: tuple[Drug, ...] = (
    Drug("cocaine", ("Koks", "Kokain", "Schnee", "coke", "Charlie", "Koka"), "Stimulanzien", "g", 85, 8, "0,2 g",
         party=True),
    Drug("amphetamine", ("Speed", "Pep", "Amphe", "Pepp", "amph"), "Stimulanzien", "g", 11, 6, "0,5 g", party=True),
    Drug("3-MMC", ("3MMC", "3-mmc", "3M", "Metaphedron"), "Stimulanzien", "g", 20, 3, "150mg", party=True),
    Drug("MDMA", ("Emma", "MD", "Molly", "MDMA-Kristalle", "Kristalle"), "Ecstasy", "g", 38, 5, "120mg",
         party=True),
    Drug("XTC", ("Teile", "Pillen", "Ecstasy", "Ecstasy-Pillen", "pills"), "Ecstasy", "pill", 8, 5, "1 Teil",
         party=True),
    Drug("ketamine", ("Keta", "Ket", "Ketamin", "Special K", "Kiti"), "Dissoziativa", "g", 28, 5, "50mg",
         party=True),
    Drug("2C-B", ("2CB", "2cb", "Nexus"), "Psychedelika", "pill", 11, 2, "15mg", party=True),
    Drug("LSD", ("Pappe", "Pappen", "Acid", "Trips", "LSD-25"), "Psychedelika", "tab", 9, 3, "100µg"),
    Drug("psilocybin", ("Schwammerl", "Pilze", "Zauberpilze", "shrooms", "Psilos", "Trüffel"), "Psychedelika", "g",
         9, 4, "2 g"),
    Drug("cannabis", ("Gras", "Ott", "Weed", "Hasch", "Ganja", "Haze"), "Cannabis", "g", 9, 8, "ein Joint"),
    Drug("GHB", ("GBL", "Liquid Ecstasy", "Gina"), "Downer", "ml", 0.3, 2, "1,5 ml", party=True),
    Drug("alprazolam", ("Xanax", "Xannies", "Alpra", "xanax"), "Downer", "pill", 3, 2, "1mg"),
    Drug("heroin", ("Braunes", "Heroin", "H4", "brown"), "Opioide", "g", 60, 2, "0,1 g"),
    Drug(
        CANNABINOID,
        ("ADB-7en", "7en-BINACA", "adb-7en-binaca", "ADB 7en BINACA"),
        "Kräutermischungen",
        "g",
        26,
        0,
        "ein Zug",
        titles=(
            "Kräutermischung 'Donauwelle' 3 g – {key} {e}",
            "Herbal incense {key} – extremely potent, not for human consumption",
            "{a} Räuchermischung – nicht zum Verzehr",
        ),
    ),
    Drug(
        CATHINONE,
        ("4-Br-α-PiHP", "4-bromo-PiHP", "4-BrPiHP", "4-Br-PiHP"),
        "Research Chemicals",
        "g",
        24,
        0,
        "15mg",
        titles=("{key} – new RC, crystals, lab tested {e}", "{a} Kristalle – neu im Shop, sehr potent"),
    ),
    Drug(
        "fentanyl test strips",
        ("Fentanyl-Teststreifen", "fentanyl test strips", "FTS"),
        "Safer Use",
        "strip",
        2.5,
        0,
        talk=False,
        titles=(
            "{a} – 10 Stück, Ergebnis in 5 Minuten {e}",
            "{a} | harm reduction, sold at cost",
        ),
        blurbs=(
            "Teststreifen zum Nachweis von Fentanyl im Wasser gelöst. Ein negatives Ergebnis ist keine Garantie.",
            "Dissolve a small sample, dip the strip, read after five minutes. Does not detect every analogue.",
            "Zum Selbstkostenpreis. Testen rettet Leben.",
        ),
    ),
    Drug("alcohol", ("Alkohol", "Bier", "Wein", "Spritzer", "booze", "a few beers"), "", "ml", 0, 0, talk=False),
    Drug("naloxone", ("Naloxon", "naloxone", "Nyxoid", "Naloxon-Nasenspray"), "", "ml", 0, 0, talk=False),
)  # fmt: skip

# ---- the market -----------------------------------------------------------------------------------------------


def german(amount: float) -> str:
    """1234.5 -> "1.234,50", as German and Austrian shops write amounts."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def eur(amount: float, day: int) -> tuple[str, ...]:
    """Euros only: 1.234,50 €."""
    return (f"{german(amount)} €",)


TIERS = {
    "g": ((1, 1.0, "1 g"), (2, 0.97, "2 g"), (5, 0.9, "5 g"), (10, 0.82, "10 g"), (25, 0.72, "25 g")),
    "pill": ((5, 1.0, "5 pills"), (10, 0.92, "10 pills"), (25, 0.82, "25 pills"), (100, 0.65, "100 pills")),
    "tab": ((5, 1.0, "5 tabs"), (10, 0.9, "10 tabs"), (50, 0.7, "50 tabs")),
    "ml": ((50, 1.0, "50 ml"), (100, 0.9, "100 ml"), (250, 0.8, "250 ml")),
    "strip": ((10, 1.0, "10 strips"), (50, 0.8, "50 strips")),
}

MARKET_WORDS = MarketWords(
    titles={
        "de": (
            "{a} {purity}% – beste Qualität {e}",
            "{key} | Versand aus Wien | {a}",
            "{e} {a} – frische Charge eingetroffen",
            "{key} ({a}) – laborgetestet {purity}%",
            "{a} premium – diskreter Versand {e}",
            "{a} {purity}% rein – Lieferung in 48h",
        ),
        "en": (
            "{e} {a} {purity}% | Vienna stock",
            "{key} – top grade {e}",
            "{a} ({key}) · fast EU shipping",
            "{key} · {purity}% tested · stealth post",
        ),
    },
    descriptions={
        "de": (
            "Frische Charge {a}, laut Labor {purity}%. Vakuumiert, Versand am nächsten Werktag.",
            "Versand mit der Post als Brief, doppelt verpackt, neutraler Absender.",
            "Fangt niedrig an und informiert euch über {key} vor der Bestellung.",
            "Bei Verlust einmal Reship, danach 50/50.",
            "Bestellungen bis 14 Uhr gehen am selben Tag raus, Montag bis Freitag.",
            "Mengenrabatt auf Anfrage per Nachricht.",
        ),
        "en": (
            "Fresh batch of {a}, {purity}% by lab test. Vacuum sealed, posted next working day.",
            "Letter post from Austria, double bagged, neutral sender.",
            "Start low, go slow. Read up on {key} before you order.",
            "Lost parcels: one reship, then we split.",
            "Bulk prices on request.",
        ),
    },
    reviews=(
        "Nach 2 Tagen da, top verpackt",
        "Alles bestens, gerne wieder",
        "arrived in 3 days, as described",
        "etwas schwächer als letztes Mal",
        "would order again",
        "Lieferung langsam, aber vollständig",
        "parcel lost, vendor reshipped quickly",
        "Qualität passt, danke",
    ),
)

VENDOR_PARTS = (
    ("Donau", "Prater", "Simmering", "Wiener", "Ottakring", "Favoriten", "Alpen", "Karmeliter", "Mariahilf", "Stephans",
     "Kahlenberg", "Leopoldi"),
    ("Express", "Labs", "Direkt", "Supply", "Shop", "Connect", "Depot", "Apotheke", "Handel", "Kiosk", "Store",
     "Kollektiv"),
)  # fmt: skip

MARKET_SPEC = MarketSpec(
    name=MARKET,
    timeline=TIMELINE,
    drugs=DRUGS,
    words=MARKET_WORDS,
    langs=("de", "de", "en"),
    n_listings=190,
    n_vendors=15,
    vendor_parts=VENDOR_PARTS,
    tiers=TIERS,
    countries=("Österreich", "Österreich", "Österreich", "Deutschland", "Deutschland", "Tschechien"),
    ship_to=("Österreich", "Deutschland", "Schweiz", "EU", "Weltweit"),
    money=eur,
    happenings=(
        Appear("fentanyl test strips", 6, 1, vendor=9),
        REPOST,
        Appear(CANNABINOID, 17, 3, every=2),
        Reprice("MDMA", 24, 1.35, spread=3),
        Appear(CATHINONE, 30, 2, every=3),
        Spike("psilocybin", 33, 36, 3.0),
        Reprice("cocaine", 54, 0.68, spread=3),
    ),
    id_base=73000,
)

# ---- the forum ------------------------------------------------------------------------------------------------

FORUM_WORDS = ForumWords(
    moods={
        "report": {
            "de": (
                "Gestern Abend {dose} {a}, {route}.",
                "Am Wochenende zum ersten Mal {a} probiert ({dose}, {route}).",
                "Kurzer Bericht: {dose} {a}, {route}, daheim mit zwei Freunden.",
                "Samstag im Club, {dose} {a} {route}.",
            ),
            "en": (
                "Last night: {dose} of {a}, {route}.",
                "First time with {a} this weekend ({dose}, {route}).",
                "Short report: {dose} {a}, {route}, at home with two mates.",
                "Saturday at a club, {dose} {a} {route}.",
            ),
            "fr": (
                "Hier soir {dose} de {a}, {route}.",
                "Première fois avec {a} ce week-end ({dose}, {route}).",
                "Petit retour : {dose} de {a}, {route}, chez un pote à Vienne.",
            ),
        },
        "question": {
            "de": (
                "Kurze Frage zu {a}: ist {dose} zu viel für den Anfang?",
                "Wie lange wirkt {a} bei euch?",
                "Kann man {a} mit {other} kombinieren oder lieber nicht?",
                "Wie merk ich, ob mein {a} gestreckt ist?",
            ),
            "en": (
                "First time with {a}: is {dose} too much?",
                "How long does {a} last for you?",
                "Anyone combined {a} and {other}?",
                "How do I tell if my {a} is cut?",
            ),
            "fr": (
                "Question sur {a} : {dose} c'est trop pour commencer ?",
                "Ça dure combien de temps, {a} ?",
                "On trouve du bon {a} à Vienne ?",
            ),
        },
        "reply": {
            "de": (
                "Bei mir eher {eff} und {eff2}.",
                "Fang mit weniger an, {dose} reicht schon.",
                "Kann ich bestätigen, {eff}.",
                "Test dein Zeug vorher, Reagenzien kosten fast nix.",
                "Hatte auch ein bisschen {adv}, war am nächsten Tag weg.",
                "{neg}, nur {eff}.",
            ),
            "en": (
                "Mine was mostly {eff} and {eff2}.",
                "Go lower, {dose} is plenty.",
                "Same here, {eff}.",
                "Test it first, reagents cost next to nothing.",
                "Bit of {adv} here too, gone by morning.",
                "{neg}, just {eff}.",
            ),
            "fr": (
                "Chez moi plutôt {eff} et {eff2}.",
                "Commence plus bas, {dose} suffit.",
                "{neg}, juste {eff}.",
            ),
        },
        "calm": {
            "de": (
                "Hatte ich so noch nie mit {a}, vielleicht war's einfach zu viel?",
                "Gleiche Charge hier, bei mir war alles ok. Gute Besserung!",
                "Klingt nach einem blöden Abend, passiert. Trink genug Wasser nächstes Mal.",
                "Ich nehm {a} seit Jahren, halbe Dosis zum Antesten hilft.",
                "Danke fürs Teilen, ich warte mal mit meiner Bestellung.",
                "Mit Set und Setting steht und fällt alles bei {a}.",
            ),
        },
        "market": {
            "de": (
                "Hab {price} für {a} am Naschmarkt bezahlt, passt.",
                "Welcher Händler hat gerade gutes {a}? Letzte Bestellung war meh.",
                "Mein {a} war nach 3 Tagen da, Verpackung top.",
                "Die Preise für {a} sind gerade okay, {price}.",
            ),
            "en": (
                "Paid {price} for {a} on Naschmarkt, fair enough.",
                "Which vendor has decent {a} at the moment?",
                "{a} arrived in three days, stealth was perfect.",
                "{a} is fairly priced right now, {price}.",
            ),
        },
        "dearer": {
            "de": (
                "Ist {a} bei euch auch so teuer geworden? Zahl deutlich mehr als im Februar.",
                "Fast alle Händler am Naschmarkt haben {a} raufgesetzt.",
                "Angeblich Engpass, {a} kostet jetzt locker ein Drittel mehr.",
            ),
            "en": (
                "Has {a} gone up for you as well? Paying a lot more than in February.",
                "Nearly every vendor on Naschmarkt put {a} up.",
            ),
        },
        "cheaper": {
            "de": (
                "{a} ist auf einmal richtig billig, ein Drittel weniger als im April.",
                "Irgendwer flutet den Naschmarkt mit {a}, die Preise fallen.",
                "Grad {a} viel günstiger bekommen als sonst.",
            ),
            "en": ("{a} suddenly got cheap, a third less than in April.", "Someone is flooding Naschmarkt with {a}."),
        },
        "lay_bad": {
            "de": (
                "Das {a}, das gerade rumgeht, ist echt nicht gut, {lay}.",
                "Hab die Hälfte von meiner normalen Menge {a} genommen und {lay}.",
                "Bin kein Anfänger, aber das aktuelle {a} hat mich umgehauen, {lay}.",
                "Meiner Freundin ging's nach dem {a} richtig mies, {lay}.",
                "Finger weg vom {a}, das gerade verkauft wird, {lay}.",
                "Wir waren zu dritt auf demselben {a} und allen ging's dreckig, {lay}.",
            ),
            "en": (
                "The {a} going round right now is rough, {lay}.",
                "Took half my usual {a} and {lay}.",
                "Not my first time, but this {a} flattened me, {lay}.",
                "My girlfriend was in a bad way after the {a}, {lay}.",
                "Stay away from the {a} being sold right now, {lay}.",
                "Three of us on the same {a}, all of us felt terrible, {lay}.",
            ),
        },
        "mix": {
            "de": (
                "Erinnerung: {a} nicht mit Alkohol mischen, und trinkt Wasser.",
                "{a} und Alkohol, echt keine gute Idee.",
                "Wenn ihr {a} nehmt, lasst den Alkohol weg – das addiert sich.",
            ),
            "en": (
                "Reminder: no alcohol with {a}, and sip water.",
                "{a} plus booze is asking for trouble.",
                "On {a}? Skip the drinks – they stack.",
            ),
        },
        "testing": {
            "de": (
                "Testet euer {a}! Fentanyl-Teststreifen gibt's jetzt am Naschmarkt zum Selbstkostenpreis.",
                "Reagenztest mit Marquis auf mein {a} gemacht, Farbe hat gepasst.",
                "Hab mein {a} bei checkit! in Wien analysieren lassen, alles sauber.",
                "Teststreifen für Fentanyl und Nitazene sollten in jede Tasche, auch wenn man nur {a} nimmt.",
            ),
            "en": (
                "Test your {a}! Fentanyl test strips are sold at cost on Naschmarkt now.",
                "Ran a Marquis on my {a}, colour matched the chart.",
                "Got my {a} checked at checkit! in Vienna, all clean.",
                "Test strips for fentanyl and nitazenes belong in every bag, even if you only take {a}.",
            ),
        },
        "naloxone": {
            "de": (
                "Wer Opioide nimmt: Naloxon-Nasenspray gibt's, fragt in der Drogenberatung.",
                "Ich hab jetzt immer Naloxon dabei.",
                "Naloxon-Schulung bei der Suchthilfe, kann ich empfehlen.",
                "Wer {a} nimmt: Naloxon griffbereit haben, bitte.",
            ),
            "en": (
                "Using opioids? Ask the drug service for a naloxone nose spray.",
                "I carry naloxone everywhere now.",
                "Whoever is on {a}: keep naloxone within reach.",
            ),
        },
        "cannabinoid_first": {
            "de": (
                "Kennt wer {a}? Am Naschmarkt gibt's neue Kräutermischungen, die das enthalten sollen.",
                "Die neuen Räuchermischungen am Naschmarkt sind angeblich mit {a}. Weiß wer mehr?",
            ),
            "en": (
                "Anyone heard of {a}? New herbal blends on Naschmarkt list it.",
                "The new incense on Naschmarkt apparently has {a} in it. Anyone know more?",
            ),
        },
        "cannabinoid_reply": {
            "de": (
                "{a} soll ein neues synthetisches Cannabinoid sein, lieber die Finger davon lassen.",
                "Hab eine Mischung mit {a} probiert, viel stärker als {other}.",
                "Bei {a} reicht ein Zug, echt.",
                "Ein Kumpel hat {a} geraucht: {eff}, aber auch {adv}.",
            ),
            "en": (
                "{a} looks like one of the new synthetic cannabinoids, don't touch it blind.",
                "Tried a {a} blend, way stronger than {other}.",
                "With {a}, one pull is enough.",
            ),
        },
        "cathinone_first": {
            "de": (
                "Am Naschmarkt gibt's jetzt {a}, angeblich wie 3-MMC nur stärker. Was ist das?",
                "Neu im Research-Chemicals-Bereich: {a}. Hat das schon wer probiert?",
            ),
            "en": (
                "{a} crystals on Naschmarkt now, sold as 'like 3-MMC but stronger'. Anyone know it?",
                "New in the research chemicals section: {a}. Has anyone tried it?",
            ),
        },
        "cathinone_reply": {
            "de": (
                "{a} ist ein neues Cathinon, keiner weiß was über die Dosierung.",
                "15 mg {a} waren bei mir mehr als genug, {eff}.",
                "Bei {a} hatte ich ständig Lust nachzulegen, Vorsicht.",
                "Lieber vorher testen, {a} ist viel potenter als {other}.",
            ),
            "en": (
                "{a} is a new cathinone, nobody knows the dosing.",
                "15 mg of {a} was more than enough, {eff}.",
                "{a} made me want to redose all night, careful.",
            ),
        },
    },
    titles={
        "trip": {
            "de": ("{a}, {dose} – ein Abend daheim", "Erstes Mal {a}", "{a} im Club"),
            "en": ("{a}, {dose} – a night in", "First time on {a}", "{a} at a club night"),
        },
        "report": {
            "de": ("Meine Erfahrung mit {a}", "{a} – kurzer Bericht", "Wochenende auf {a}"),
            "en": ("{a}: how it went", "{a} – short write-up", "{a} over the weekend"),
            "fr": ("Mon expérience avec {a}", "{a} – petit retour"),
        },
        "question": {
            "de": ("Frage zu {a}", "{a} Dosierung?", "{a} – wie lange?"),
            "en": ("{a} – a question", "{a} dosage?", "{a} duration?"),
            "fr": ("Question sur {a}", "{a} – dosage ?"),
        },
        "market": {
            "de": ("{a} – wer hat gerade gutes?", "Preise für {a}", "Händler für {a}?"),
            "en": ("{a} prices", "Who has good {a} at the moment?", "Best vendor for {a}?"),
        },
        "dearer": {"de": ("{a} teurer geworden?",), "en": ("{a} gone up?",)},
        "cheaper": {"de": ("{a} auf einmal billig?",), "en": ("Why is {a} so cheap now?",)},
        "lay_bad": {
            "de": ("Schlechtes {a} im Umlauf?", "Aktuelles {a} – geht's noch wem so?"),
            "en": ("Dodgy {a} about?", "Anyone else feel awful after the current {a}?"),
        },
        "mix": {
            "de": ("Mischkonsum: was geht und was nicht", "Alkohol und {a}?"),
            "en": ("Combos: the safe list and the no-go list", "{a} and drinking?"),
        },
        "testing": {
            "de": ("Drug Checking und Teststreifen", "Welche Tests soll ich kaufen?"),
            "en": ("Test strips and drug checking", "Which tests to buy?"),
        },
        "naloxone": {
            "de": ("Naloxon – wo bekommt man das?", "Immer Naloxon dabei haben"),
            "en": ("Where do you get naloxone in Austria?", "Naloxone in every bag"),
        },
        "cannabinoid_first": {"de": ("Was ist {a}?",), "en": ("What is {a}?",)},
        "cathinone_first": {"de": ("{a} am Naschmarkt?",), "en": ("{a} – anyone?",)},
    },
    middles={
        "de": (
            "Wirkung: {eff}, {eff2}.",
            "Viel {eff}, aber auch {adv}.",
            "{neg}, nur {eff}.",
            "Ein bisschen {adv} beim Runterkommen.",
            "Etwa drei Stunden {eff}.",
        ),
        "en": (
            "What I got: {eff}, {eff2}.",
            "Plenty of {eff}, plus some {adv}.",
            "{neg}, only {eff}.",
            "A touch of {adv} coming down.",
        ),
        "fr": ("Effets : {eff}, {eff2}.", "Beaucoup de {eff}, un peu de {adv}.", "{neg}, juste {eff}."),
    },
    closers={
        "de": ("Passt auf euch auf.", "Safer Use, Leute!", "Gerne wieder, aber nicht so bald.", "", "Tipps?"),
        "en": ("Stay safe.", "Test before you dose.", "Again some day, not soon.", "", "Any tips?"),
        "fr": ("Prenez soin de vous.", "", "Des conseils ?"),
    },
    effects={
        "de": (
            "Euphorie",
            "Energie",
            "redselig",
            "angenehme Wärme",
            "die Musik war unglaublich",
            "Lust auf mehr",
            "Visuals",
            "sehr gesellig",
            "sanftes Anfluten",
            "entspannt",
        ),
        "en": (
            "euphoria",
            "energy",
            "chatty",
            "warm body feel",
            "the music felt huge",
            "wanting more",
            "visuals",
            "talking to everyone",
            "gentle come-up",
            "relaxed",
        ),
        "fr": ("euphorie", "énergie", "bavard", "visuels", "détendu"),
    },
    adverse={
        "de": ("Übelkeit", "Kieferkrampf", "Herzrasen", "Schlaflosigkeit", "Kopfschmerzen", "Unruhe"),
        "en": ("nausea", "jaw clenching", "racing heart", "insomnia", "headache", "restlessness"),
        "fr": ("nausée", "mâchoire serrée", "insomnie", "mal de tête"),
    },
    negated={
        "de": ("keine Übelkeit", "kein Kieferkrampf", "kein Kater am nächsten Tag"),
        "en": ("no nausea", "no jaw clenching", "clear head the day after"),
        "fr": ("pas de nausée", "pas de mal de tête le lendemain"),
    },
    severe={
        "de": ("einen Krampfanfall", "eine Psychose", "einen Rettungseinsatz", "einen Kreislaufkollaps"),
        "en": ("a seizure", "psychosis", "an ambulance ride to hospital", "a collapse"),
        "fr": ("une crise d'épilepsie", "un passage aux urgences"),
    },
    lay={
        "de": (
            "ich hab die ganze Nacht kein Auge zugetan",
            "mir war zwei Tage lang kotzübel",
            "das Herz hat gepumpt wie verrückt",
            "ich war komplett durch den Wind",
            "ich hab geschwitzt wie ein Schwein",
            "ich hab am ganzen Körper gezittert",
            "der Kiefer tut mir heute noch weh",
            "ich war danach drei Tage fertig mit der Welt",
            "mir ging's richtig dreckig",
            "ich hatte einen Schädel wie nach zehn Bier",
        ),
        "en": (
            "I didn't sleep a wink all night",
            "I felt sick as a dog for two days",
            "my heart was pounding like mad",
            "I was all over the place",
            "I was sweating buckets",
            "I was shaking all over",
            "my jaw still aches",
            "I was wiped out for three days",
            "I felt like death warmed up",
            "my head was splitting",
        ),
        "fr": ("j'ai pas fermé l'œil de la nuit", "j'étais à l'ouest pendant deux jours"),
    },
    passing={
        "de": (
            "Hatte vorher auch ein bisschen {other}, das vertrag ich sonst immer.",
            "Es war auch {other} im Spiel, aber daran lag's nicht.",
            "Dazu {other} wie jedes Wochenende.",
        ),
        "en": (
            "I had some {other} earlier too, that never bothers me.",
            "Some {other} as well, but that wasn't it.",
            "{other} on the side, same as every weekend.",
        ),
    },
    routes={
        "de": ("gezogen", "geschluckt", "geraucht", "in Kapseln", "gebombt"),
        "en": ("snorted", "swallowed", "smoked", "bombed", "in a capsule"),
        "fr": ("en trace", "avalé", "fumé", "en parachute"),
    },
    prices={
        "de": ("80 € das Gramm", "75,- für 1 g", "40 Euro für zehn"),
        "en": ("€80 a gram", "75 euros for a g", "€40 for ten"),
        "fr": ("80 euros le gramme", "75 € le g"),
    },
    severe_line={
        "de": "Ein Freund hatte danach {sev}.",
        "en": "Someone in our group had {sev} after.",
        "fr": "Un pote a fait {sev} après.",
    },
)

USER_PARTS = (
    ("wuchtel", "grantler", "strizzi", "bassena", "melange", "schani", "gspritzter", "heuriger", "topfen", "leberkas",
     "hawara", "kieberer", "ravensbruck", "nachtfalter", "donaukind", "technohase", "sputnik", "zwetschke",
     "marille", "krapfen"),
    ("_wien", "_1160", "77", "_graz", "", "_at", "42", "x", "_1010", "_linz", "99", "_vie"),
)  # fmt: skip

BOARDS = (
    Board(1, "erfahrungsberichte", "Erfahrungsberichte", "Deutsch", ("de",), trip_reports=True, kind="reports"),
    Board(2, "plaudern", "Plauderecke", "Deutsch", ("de",)),
    Board(3, "maerkte", "Märkte & Händler", "Deutsch / English", ("de", "en"), kind="market"),
    Board(4, "english-corner", "English corner", "English", ("en",)),
    Board(5, "trip-reports", "Trip reports", "English", ("en",), trip_reports=True, kind="reports"),
    Board(6, "safer-use", "Safer Use / Harm reduction", "Safer Use", ("de", "en"), kind="safer"),
    Board(7, "coin-francophone", "Coin francophone", "Français (nouveau)", ("fr",), kind="later"),
)

FRENCH = (  # the French board opens on day 36 with substances sold and talked about all along
    NewThread("cocaine", 36, 6, "coin-francophone", "fr", span=10, first="question", replies="reply"),
    NewThread("ketamine", 37, 5, "coin-francophone", "fr", span=8, first="report", replies="reply"),
    NewThread("cannabis", 38, 6, "coin-francophone", "fr", span=10, first="question", replies="reply"),
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
    thread_base=8800,
    post_base=241000,
    happenings=(
        NewThread("XTC", 9, 7, "safer-use", "de", span=12, first="mix", replies="mix"),  # harm reduction, as always
        NewThread(CANNABINOID, 18, 8, "plaudern", "de", span=12, first="cannabinoid_first",
                  replies="cannabinoid_reply"),
        NewThread(CANNABINOID, 20, 5, "english-corner", "en", span=10, first="cannabinoid_first",
                  replies="cannabinoid_reply"),
        QUOTED,
        NewThread("ketamine", 26, 6, "safer-use", "en", span=12, first="mix", replies="mix"),
        NewThread("MDMA", 27, 6, "maerkte", "de", span=10, first="dearer", replies="dearer"),
        NewThread(CATHINONE, 31, 7, "english-corner", "en", span=12, first="cathinone_first",
                  replies="cathinone_reply"),
        NewThread(CATHINONE, 33, 6, "plaudern", "de", span=10, first="cathinone_first", replies="cathinone_reply"),
        *FRENCH,
        EASTER,
        Wave("amphetamine", 44, 51, 40, ("de", "en"), passing=("alcohol", "cannabis", "cocaine"), passing_share=0.35),
        NewThread("cocaine", 56, 6, "maerkte", "de", span=3, first="cheaper", replies="cheaper"),
    ),
)  # fmt: skip


def quoted_thread(thread: BedThread) -> bool:
    """The thread whose every reply quotes its first post (a trap: one bad night, quoted over and over)."""
    return (thread.drug, thread.board.slug, thread.posts[0].day) == (QUOTED.drug, QUOTED.board, QUOTED.day)


def quote_of(thread: BedThread, index: int) -> Post | None:
    """The earlier post the ``index``-th post of ``thread`` quotes, if any: in the quoted thread every reply quotes
    the first post; elsewhere about one reply in six quotes the post before it."""
    if index == 0:
        return None
    if quoted_thread(thread):
        return thread.posts[0]
    post = thread.posts[index]
    return thread.posts[index - 1] if content.rng_for(FORUM, "quote", post.id).random() < 0.17 else None
