"""Hold-out A: Fernweh Market (GBP with LTC, English and German listings) and the Nachtschicht forum (plain-text
posts, German and English), 64 days from Monday 2027-01-04.

Scored before and after the detectors are tuned, and may be used for fixing afterwards.  The scripted events and
traps are in ``bench/markets/holdout_a/script.yml``; this module is what makes them happen on the sites.
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
    Repost,
    Reprice,
    Spike,
    Wave,
)
from demosites.forums import Board
from demosites.timeline import Fault, Timeline

TIMELINE = Timeline(date(2027, 1, 4), 64)
MARKET, FORUM = "fernweh_market", "nachtschicht_forum"
OUTAGE = Fault(MARKET, "outage", (14, 15))  # the market answers 503 for two days (a trap: nothing to signal)

CANNABINOID = "MDMB-6en-PINACA"  # invented: head MDMB, tail 6en (hexenyl), core PINACA; in no lexicon
OPIOID = "butonitazepyne"  # invented: N-pyrrolidino butonitazene; in no lexicon
_STRIP_TITLES = ("{a} (10 Stk.) – Safer Use", "{a} | drug checking at home {e}", "{key} – schnell & anonym testen")
_STRIP_BLURBS = (
    "Teststreifen zum Selbsttesten, Ergebnis nach 5 Minuten.",
    "Dip the strip in the dissolved sample, one line means positive. Not a guarantee of safety.",
    "Wir verkaufen diese zum Selbstkostenpreis. Testen rettet Leben.",
    "Each strip is single use. Instructions in English and German included.",
)

DRUGS: tuple[Drug, ...] = (
    Drug(
        "cocaine",
        ("Koks", "Kokain", "coke", "Schnee", "Peruvian flake", "Columbian"),
        "Stimulants",
        "g",
        62,
        8,
        "2 lines",
        party=True,
    ),
    Drug("amphetamine", ("Speed", "Pep", "Amphe", "Paste", "base speed"), "Stimulants", "g", 7, 6, "0,5 g", party=True),
    Drug("methamphetamine", ("Crystal", "Crystal Meth", "Meth", "Tina"), "Stimulants", "g", 55, 2, "0,1 g"),
    Drug(
        "MDMA", ("Emma", "Molly", "MDMA-Kristalle", "Mandy", "MDMA crystal"), "Ecstasy", "g", 28, 5, "120mg", party=True
    ),
    Drug("XTC", ("Teile", "Pillen", "XTC", "Ecstasy", "Teslas", "E"), "Ecstasy", "pill", 5, 6, "1 pill", party=True),
    Drug(
        "ketamine", ("Keta", "Ket", "Ketamin", "Special K", "Ketamine"), "Dissociatives", "g", 24, 5, "80mg", party=True
    ),
    Drug("3-MMC", ("3MMC", "3-mmc", "Metaphedron"), "Stimulants", "g", 16, 3, "150mg"),
    Drug("4-MMC", ("Mephedron", "Meow", "4mmc", "Mefedron"), "Stimulants", "g", 14, 2, "200mg"),
    Drug("2C-B", ("2CB", "Nexus", "2cb"), "Psychedelics", "pill", 7, 2, "20mg", party=True),
    Drug("LSD", ("Pappen", "Acid", "Trips", "Lucy", "LSD-25"), "Psychedelics", "tab", 7, 3, "100µg"),
    Drug(
        "psilocybin", ("Pilze", "Zauberpilze", "shrooms", "Magic Mushrooms", "Psilos"), "Psychedelics", "g", 7, 2, "2 g"
    ),
    Drug("cannabis", ("Gras", "Weed", "Haze", "Hasch", "Haschisch", "bud"), "Cannabis", "g", 7.5, 7, "1 Joint"),
    Drug("HHC", ("HHC-Blüten", "HHC vape", "HHC"), "Cannabis", "g", 9, 2, "1 hit"),
    Drug("GHB", ("G", "GBL", "Liquid Ecstasy", "Gina"), "Depressants", "ml", 0.2, 2, "1,5 ml", party=True),
    Drug("bromazolam", ("Broma", "Bromazolam-Pellets", "broma pellets"), "Benzos", "pill", 1.5, 2, "1mg"),
    Drug("pregabalin", ("Lyrica", "Pregabalin 300", "Lyrica 300"), "Benzos", "pill", 0.9, 2, "300mg"),
    Drug("heroin", ("H", "Braunes", "Heroin", "brown"), "Opioids", "g", 55, 2, "0,1 g"),
    Drug("oxycodone", ("Oxy", "Oxys", "OC 80", "Oxycodon"), "Opioids", "pill", 9, 2, "20mg"),
    Drug(
        CANNABINOID,
        ("MDMB-6en", "6en-PINACA", "mdmb-6en-pinaca", "MDMB 6en PINACA"),
        "Herbal blends",
        "g",
        22,
        0,
        "1 hit",
        titles=(
            "Kräutermischung 'Blue Lotus' 3 g – {key} {e}",
            "Herbal blend {key} – extra strong",
            "{a} Räuchermischung – nicht zum Verzehr",
        ),
    ),
    Drug(
        OPIOID,
        ("Buto-pyne", "butonitazepyne", "Butonitazepyn"),
        "Opioids",
        "mg",
        2.2,
        0,
        "2mg",
        titles=("{key} – research opioid, lab tested", "{a} powder (N-pyrrolidino butonitazene)"),
    ),
    Drug(
        "nitazene test strips",
        ("Nitazen-Teststreifen", "nitazene test strips"),
        "Harm reduction",
        "strip",
        1.2,
        0,
        talk=False,
        titles=_STRIP_TITLES,
        blurbs=_STRIP_BLURBS,
    ),
    Drug(
        "fentanyl test strips",
        ("Fentanyl-Teststreifen", "fentanyl test strips"),
        "Harm reduction",
        "strip",
        1.0,
        0,
        talk=False,
        titles=_STRIP_TITLES,
        blurbs=_STRIP_BLURBS,
    ),
    Drug("alcohol", ("Alkohol", "Bier", "Schnaps", "booze", "a few beers"), "", "ml", 0, 0, talk=False),
    Drug("naloxone", ("Naloxon", "naloxone", "Naloxon-Nasenspray"), "", "ml", 0, 0, talk=False),
)

# ---- the market -----------------------------------------------------------------------------------------------


def ltc_gbp(day: int) -> float:
    """Pounds per litecoin: drifts a few percent over the weeks."""
    return 68 * wave(day, 6, 0.05)


def gbp_ltc(amount: float, day: int) -> tuple[str, ...]:
    """£190.00 and its litecoin equivalent, ≈ 2.7143 LTC."""
    return f"£{amount:,.2f}", f"≈ {amount / ltc_gbp(day):.4f} LTC"


TIERS = {
    "g": ((1, 1.0, "1 g"), (3.5, 0.95, "3.5 g"), (7, 0.88, "7 g"), (14, 0.8, "14 g"), (28, 0.72, "28 g")),
    "pill": ((10, 1.0, "10 pills"), (25, 0.9, "25 pills"), (50, 0.8, "50 pills"), (100, 0.7, "100 pills")),
    "tab": ((5, 1.0, "5 tabs"), (10, 0.9, "10 tabs"), (25, 0.8, "25 tabs")),
    "mg": ((10, 1.0, "10 mg"), (25, 0.9, "25 mg"), (50, 0.8, "50 mg")),
    "ml": ((100, 1.0, "100 ml"), (250, 0.9, "250 ml"), (500, 0.8, "500 ml")),
    "strip": ((10, 1.0, "10 strips"), (25, 0.9, "25 strips"), (50, 0.85, "50 strips")),
}

MARKET_WORDS = MarketWords(
    titles={
        "en": (
            "{e} {a} {purity}% | UK stock",
            "{key} — premium quality {e}",
            "{a} ({key}) · next-day delivery",
            "Top grade {a} {e}{e}",
            "{key} | lab tested {purity}% | stealth",
            "{a} — new batch just landed",
        ),
        "de": (
            "{a} {purity}% – beste Qualität {e}",
            "{key} | Versand aus DE | {a}",
            "🇩🇪 {a} – frische Ware {e}",
            "{key} ({a}) – laborgetestet {purity}%",
            "Premium {a} – diskreter Versand",
            "{a} – neue Charge eingetroffen {e}",
        ),
    },
    descriptions={
        "en": (
            "Fresh batch of {a}, tested at {purity}%. Vacuum sealed, ships within 24h.",
            "Royal Mail tracked, double vac-sealed, decoy packaging. No FE for new buyers.",
            "Start low, go slow. Please read up on {key} before ordering.",
            "Reship once if lost, then 50/50. No refunds for wrong addresses.",
            "Orders before 2pm go out the same day, Mon-Fri.",
            "Bulk discounts available, just message me.",
        ),
        "de": (
            "Frische Ware, {a} mit {purity}% laut Labortest. Vakuumiert und geruchsdicht.",
            "Versand täglich außer Sonntag mit DHL, Tracking auf Anfrage.",
            "Bitte vorsichtig dosieren und nicht mit Alkohol mischen.",
            "Nachversand einmalig bei Verlust. Keine Rückerstattung bei falscher Adresse.",
            "Großabnehmer bitte per PN melden, Rabatt ab 50 g.",
            "Stealth: neutrales Polster-Kuvert, Absender Online-Shop.",
        ),
    },
    reviews=(
        "Fast delivery, great stealth 👍",
        "Top Ware, gerne wieder",
        "arrived in 3 days, as described",
        "bisschen schwächer als letztes Mal",
        "10/10 would buy again",
        "Lieferung hat 6 Tage gedauert, aber alles da",
        "vendor sorted a lost pack quickly",
        "Qualität passt, Stealth super",
    ),
)

MARKET_SPEC = MarketSpec(
    name=MARKET,
    timeline=TIMELINE,
    drugs=DRUGS,
    words=MARKET_WORDS,
    langs=("en", "de", "de"),
    n_listings=175,
    n_vendors=14,
    vendor_parts=(
        ("Nord", "Alpen", "Isar", "Elbe", "Hanse", "Kiez", "Ruhr", "Thames", "Fog", "Mersey", "Bavaria", "Spree"),
        (
            "Apotheke",
            "Chemie",
            "Direkt",
            "Express",
            "Supply",
            "Labs",
            "Kontor",
            "Versand",
            "Depot",
            "Trading",
            "Bros",
            "Co",
        ),
    ),
    tiers=TIERS,
    countries=("Germany", "Germany", "United Kingdom", "United Kingdom", "Netherlands", "Austria"),
    ship_to=("Germany", "Austria", "Switzerland", "United Kingdom", "EU", "Worldwide"),
    money=gbp_ltc,
    happenings=(
        Appear("nitazene test strips", 8, 1, vendor=3),
        Appear("fentanyl test strips", 8, 1, vendor=3),
        Repost("cannabis", 5, TIMELINE.last_day, "Amnesia Haze 10 g – Top Qualität 🔥", vendor=5),
        Appear(CANNABINOID, 20, 3, every=2),
        Reprice("cocaine", 24, 1.35, spread=3),
        Appear(OPIOID, 33, 2, every=4),
        Spike("ketamine", 46, 49, 3.0),
        Reprice("amphetamine", 52, 0.6, spread=3),
    ),
    id_style="base36",
)

# ---- the forum ------------------------------------------------------------------------------------------------

FORUM_WORDS = ForumWords(
    moods={
        "report": {
            "de": (
                "Gestern Abend {dose} {a} {route}.",
                "Hab am Wochenende zum ersten Mal {a} probiert ({dose}, {route}).",
                "Kurzer Bericht: {dose} {a}, {route}, zu Hause mit zwei Freunden.",
                "Samstag im Club {dose} {a} {route}.",
            ),
            "en": (
                "Last night I took {dose} of {a}, {route}.",
                "Tried {a} for the first time this weekend ({dose}, {route}).",
                "Quick report: {dose} {a}, {route}, at home with two mates.",
                "Saturday at a club, {dose} {a} {route}.",
            ),
        },
        "question": {
            "de": (
                "Kurze Frage zu {a}: sind {dose} zu viel für den Anfang?",
                "Wie lange wirkt {a} bei euch so?",
                "Kann man {a} mit {other} kombinieren oder lieber nicht?",
                "Woran erkenne ich, ob mein {a} gestreckt ist?",
            ),
            "en": (
                "Quick question about {a}: is {dose} too much to start with?",
                "How long does {a} last for you lot?",
                "Is it OK to combine {a} with {other}?",
                "How can I tell if my {a} is cut with something?",
            ),
        },
        "reply": {
            "de": (
                "Bei mir waren es eher {eff} und {eff2}.",
                "Fang lieber mit weniger an, {dose} ist schon ordentlich.",
                "Kann ich bestätigen, {eff}.",
                "Test das Zeug vorher, Reagenztests kosten nicht viel.",
                "Hatte auch {adv}, aber nach ein paar Stunden war's vorbei.",
                "{neg}, nur {eff}.",
            ),
            "en": (
                "For me it was more {eff} and {eff2}.",
                "Start lower, {dose} is plenty.",
                "Can confirm, {eff}.",
                "Test your stuff first, reagent kits are cheap.",
                "Had some {adv} too but it passed after a few hours.",
                "{neg}, just {eff}.",
            ),
        },
        "market": {
            "de": (
                "Hab {price} für {a} bei Fernweh bezahlt, fair finde ich.",
                "Welcher Vendor hat gerade gutes {a}? Letzte Bestellung war mies.",
                "Lieferung von {a} kam nach 3 Tagen, Stealth top.",
                "Preise für {a} sind gerade ok, {price}.",
            ),
            "en": (
                "Paid {price} for {a} on Fernweh, seems fair.",
                "Which vendor has decent {a} at the moment? Last order was poor.",
                "My {a} arrived in 3 days, stealth was spot on.",
                "Prices for {a} are alright at the moment, {price}.",
            ),
        },
        "dearer": {
            "de": (
                "Ist {a} bei euch auch teurer geworden? Zahle jetzt deutlich mehr als im Dezember.",
                "Fast alle Vendoren auf Fernweh haben bei {a} die Preise angezogen.",
                "Angeblich Lieferprobleme, {a} kostet jetzt locker ein Drittel mehr.",
            ),
            "en": (
                "Has {a} gone up for you too? Paying a lot more than before Christmas.",
                "Nearly every vendor on Fernweh has put {a} up.",
                "Supply problems apparently, {a} is a third dearer now.",
            ),
        },
        "cheaper": {
            "de": (
                "{a} ist auf einmal spottbillig, fast die Hälfte vom Januar-Preis.",
                "Irgendwer hat den Markt mit {a} geflutet, die Preise fallen.",
                "Hab gerade {a} für viel weniger bekommen als sonst.",
            ),
            "en": (
                "{a} has suddenly got cheap, nearly half the January price.",
                "Someone flooded the market with {a}, prices are dropping.",
                "Just got {a} for way less than usual.",
            ),
        },
        "lay_bad": {
            "de": (
                "Die orangenen {a} gerade sind echt übel, {lay}.",
                "Hatte am Samstag ein halbes von den {a} und {lay}.",
                "Bin echt kein Anfänger, aber die aktuellen {a} haben mich umgehauen, {lay}.",
                "Meiner Freundin ging's nach den {a} richtig mies, {lay}.",
                "Finger weg von den aktuellen {a}, {lay}.",
                "Wir hatten zu dritt die gleichen {a} und allen ging's schlecht, {lay}.",
            ),
            "en": (
                "The orange {a} going round at the moment are rough, {lay}.",
                "Had half of one of those {a} and {lay}.",
                "Not my first time, but these {a} knocked me sideways, {lay}.",
                "My girlfriend felt awful after the {a}, {lay}.",
                "Steer clear of the current {a}, {lay}.",
                "Three of us had the same {a} and all felt bad, {lay}.",
            ),
        },
        "party": {
            "de": (
                "Weiberfastnacht war super, bisschen {a} und die ganze Nacht getanzt.",
                "Alaaf! {a} ist eingepackt, Kostüm auch.",
                "Rosenmontag mit {a}, {eff}, beste Stimmung.",
                "Wer ist am Samstag mit dabei? Hab {a} für alle.",
                "Karneval mit {a} – {eff} und {eff2}.",
            ),
            "en": (
                "Weiberfastnacht was brilliant, a bit of {a} and dancing all night.",
                "Carnival in Cologne with {a}, {eff}, amazing vibe.",
                "Packed my costume and some {a} for the weekend.",
                "Who's out on Saturday? Got {a} for everyone.",
                "Carnival on {a} – {eff} and {eff2}.",
            ),
        },
        "mix": {
            "de": (
                "Denkt dran: {a} nicht mit Alkohol mischen, und genug Wasser trinken.",
                "Mischkonsum mit Alkohol ist bei {a} echt keine gute Idee.",
                "Wer {a} nimmt, bitte kein Alkohol dazu – das verstärkt sich.",
                "Kleiner Safer-Use-Hinweis: {a} und Alkohol vertragen sich nicht.",
            ),
            "en": (
                "Remember: don't mix {a} with alcohol, and drink some water.",
                "Mixing {a} with booze is a bad idea, folks.",
                "If you're taking {a}, skip the alcohol – they add up.",
                "Safer use reminder: {a} and alcohol don't go together.",
            ),
        },
        "testing": {
            "de": (
                "Lasst euer {a} testen! Nitazen-Teststreifen und Fentanyl-Teststreifen gibt's inzwischen günstig.",
                "Reagenztest für {a} gemacht, Marquis-Reaktion sah normal aus.",
                "Drug-Checking in Berlin hat mein {a} getestet, alles sauber.",
                "Fentanyl-Teststreifen war negativ, {a} scheint ok.",
                "Auf Fernweh gibt's jetzt Nitazen-Teststreifen, hab direkt welche bestellt.",
            ),
            "en": (
                "Test your {a}! Nitazene and fentanyl test strips are cheap now.",
                "Did a reagent test on my {a}, the Marquis looked normal.",
                "Got my {a} checked at a drug-checking service, all clean.",
                "Fentanyl test strip came back negative, {a} seems fine.",
                "Fernweh sells nitazene test strips now, ordered a pack straight away.",
            ),
        },
        "naloxone": {
            "de": (
                "Wer mit Opioiden zu tun hat: Naloxon-Nasenspray gibt's in der Apotheke, bitte besorgen.",
                "Habe jetzt immer Naloxon dabei, seit den Berichten über Nitazene.",
                "Naloxon-Schulung bei der Drogenhilfe war super, kann ich empfehlen.",
                "Falls jemand {a} nimmt: Naloxon griffbereit halten.",
            ),
            "en": (
                "If you use opioids, get a naloxone nasal spray, pharmacies have it.",
                "I carry naloxone everywhere now, since the nitazene reports.",
                "Did a naloxone training at the local drug service, recommended.",
                "If anyone's taking {a}: keep naloxone at hand.",
            ),
        },
        "cannabinoid_first": {
            "de": (
                "Hat jemand schon was von {a} gehört? Steht auf Fernweh in zwei neuen Kräutermischungen.",
                "In den neuen Räuchermischungen auf Fernweh soll {a} drin sein. Weiß jemand mehr?",
            ),
            "en": (
                "Anyone heard of {a}? Two new herbal blends on Fernweh list it.",
                "The new smoking blends on Fernweh apparently contain {a}. Anyone know more?",
            ),
        },
        "cannabinoid_reply": {
            "de": (
                "{a} ist wohl ein neues synthetisches Cannabinoid, Finger weg wenn man's nicht kennt.",
                "Hab eine Mischung mit {a} probiert, viel stärker als {other}.",
                "Bei {a} unbedingt winzig dosieren, ein Zug reicht.",
                "Laut Drug-Checking ist in den Blends wirklich {a}.",
                "Kumpel hat {a} geraucht, {eff}, aber auch {adv}.",
            ),
            "en": (
                "{a} seems to be a new synthetic cannabinoid, stay away if you don't know it.",
                "Tried a blend with {a}, way stronger than {other}.",
                "With {a} go tiny, one pull is plenty.",
                "A mate smoked {a}: {eff}, but also {adv}.",
            ),
        },
        "opioid_first": {
            "de": (
                "Achtung: Auf Fernweh wird jetzt {a} verkauft, ein Nitazen-artiges Opioid.",
                "Hat jemand das neue {a} auf Fernweh gesehen? Wird als Research-Opioid angeboten.",
            ),
            "en": (
                "Heads up: there's a listing for {a} on Fernweh now. That's a nitazene-type opioid, extremely potent.",
                "Saw {a} being sold as a 'research opioid' on Fernweh. Anyone know anything?",
            ),
        },
        "opioid_reply": {
            "de": (
                "{a} gehört zu den Nitazenen, da reichen Mikrogramm. Bitte lasst das.",
                "Wenn jemand {a} nimmt: nie allein und Naloxon griffbereit.",
                "Der Vendor schreibt, {a} sei 'wie Proto'. Das beruhigt mich nicht.",
                "Noch ein Grund, alles zu testen.",
            ),
            "en": (
                "{a} is in the same family as the nitazenes, microgram doses. Please don't.",
                "If anyone tries {a}, never alone and have naloxone ready.",
                "Vendor says {a} is 'like proto', that's not reassuring.",
                "{a} – another one for the list of things to avoid.",
            ),
        },
    },
    titles={
        "trip": {
            "de": ("[TB] {a}, {dose} – ein Abend zu Hause", "[TB] Erstes Mal {a}", "[TB] {a} im Club"),
            "en": ("[TR] {a}, {dose} – a night in", "[TR] First time on {a}", "[TR] {a} at a club night"),
        },
        "report": {
            "de": ("Erfahrung mit {a}", "{a} – mein Bericht", "Mein Wochenende mit {a}"),
            "en": ("My experience with {a}", "{a} – a short report", "Weekend on {a}"),
        },
        "question": {
            "de": ("Frage zu {a}", "{a} Dosierung?", "{a} – wie lange wirkt das?"),
            "en": ("Question about {a}", "{a} dosage?", "How long does {a} last?"),
        },
        "market": {
            "de": ("{a} – wer hat gerade gute Ware?", "Preise für {a}", "Erfahrungen mit {a}-Vendoren?"),
            "en": ("{a} prices", "Good {a} vendors right now?", "Where to get {a}?"),
        },
        "dearer": {"de": ("{a} teurer geworden?",), "en": ("{a} gone up?",)},
        "cheaper": {"de": ("{a} auf einmal billig?",), "en": ("{a} suddenly cheap?",)},
        "lay_bad": {
            "de": ("Die aktuellen {a} – hat noch jemand schlechte Erfahrungen?", "Orange {a} – Finger weg?"),
            "en": ("Bad {a} going round?", "Anyone else feel awful after the orange {a}?"),
        },
        "mix": {
            "de": ("Mischkonsum: was geht, was nicht", "Alkohol und {a}?"),
            "en": ("Mixing: what's OK and what isn't", "Alcohol and {a}?"),
        },
        "testing": {
            "de": ("Drug-Checking und Teststreifen", "Reagenztests – welche kaufen?"),
            "en": ("Test strips and drug checking", "Which reagent kits to buy?"),
        },
        "naloxone": {
            "de": ("Naloxon – wo bekommt man das?", "Naloxon immer dabei haben"),
            "en": ("Naloxone – where to get it", "Carry naloxone"),
        },
        "cannabinoid_first": {"de": ("Was ist {a}?",), "en": ("What is {a}?",)},
        "opioid_first": {"de": ("{a} aufgetaucht – Vorsicht",), "en": ("{a} on Fernweh – be careful",)},
    },
    middles={
        "de": (
            "Wirkung: {eff}, {eff2}.",
            "Viel {eff}, aber auch {adv}.",
            "{neg}, nur {eff}.",
            "Beim Runterkommen etwas {adv}.",
            "Etwa drei Stunden {eff}.",
        ),
        "en": (
            "Effects: {eff}, {eff2}.",
            "Lots of {eff}, but also {adv}.",
            "{neg}, just {eff}.",
            "Some {adv} on the comedown.",
            "About three hours of {eff}.",
        ),
    },
    closers={
        "de": (
            "Passt auf euch auf.",
            "Safer Use, Leute!",
            "Würde ich wieder machen, aber nicht so bald.",
            "",
            "Tipps?",
        ),
        "en": ("Stay safe.", "Test your stuff, people.", "Would do again, but not soon.", "", "Any tips?"),
    },
    effects={
        "de": (
            "Euphorie",
            "Energie",
            "gesprächig",
            "wohlige Wärme",
            "Musik klang fantastisch",
            "starker Drang nachzulegen",
            "Visuals",
            "total gesellig",
            "sanftes Anfluten",
            "entspannt",
        ),
        "en": (
            "euphoria",
            "energy",
            "chatty",
            "warm body high",
            "music sounded amazing",
            "strong urge to redose",
            "visuals",
            "very sociable",
            "smooth come-up",
            "relaxed",
        ),
    },
    adverse={
        "de": ("Übelkeit", "Kieferpressen", "Herzrasen", "Schlaflosigkeit", "Kopfschmerzen", "Unruhe", "Paranoia"),
        "en": ("nausea", "jaw clenching", "racing heart", "insomnia", "headache", "restlessness", "paranoia"),
    },
    negated={
        "de": ("keine Übelkeit", "kein Kieferpressen", "keine Kopfschmerzen am nächsten Tag", "keine Paranoia"),
        "en": ("no nausea", "no jaw clenching", "no headache the next day", "no paranoia"),
    },
    severe={
        "de": ("einen Krampfanfall", "eine Psychose", "einen Kreislaufzusammenbruch", "einen Notarzteinsatz"),
        "en": ("a seizure", "psychosis", "a trip to A&E", "a collapse"),
    },
    lay={
        "de": (
            "mir war die ganze Nacht kotzübel",
            "ich hab stundenlang nur gezittert",
            "das Herz hat wie verrückt gehämmert",
            "ich war zwei Tage komplett durch",
            "mir war total heiß und ich hab geschwitzt wie blöd",
            "der Kiefer tut immer noch weh",
            "ich konnte bis Montag nicht schlafen",
            "ich hab mich richtig elend gefühlt",
            "der Absturz danach war brutal",
            "mir ging's richtig dreckig",
        ),
        "en": (
            "I felt sick all night",
            "I was shaking for hours",
            "my heart was pounding like mad",
            "I was wrecked for two days",
            "I was boiling hot and sweating buckets",
            "my jaw still aches",
            "I couldn't sleep until Monday",
            "I felt properly rotten",
            "the comedown was brutal",
            "I felt absolutely grim",
        ),
    },
    passing={
        "de": (
            "Hatte vorher auch etwas {other}, das vertrag ich sonst immer gut.",
            "{other} war auch im Spiel, aber daran lag's sicher nicht.",
            "Hab nebenbei noch {other} genommen, wie jedes Wochenende.",
        ),
        "en": (
            "Had a bit of {other} before too, never had a problem with that.",
            "There was some {other} as well but that wasn't it.",
            "Had {other} on the side, like every weekend.",
        ),
    },
    routes={
        "de": ("gezogen", "geschluckt", "geraucht", "gedippt", "verdampft", "in Kapseln"),
        "en": ("snorted", "swallowed", "smoked", "dabbed", "vaped", "bombed"),
    },
    prices={
        "de": ("60 Pfund das Gramm", "£55 für 1 g", "45 £ für zehn Stück"),
        "en": ("£60 a gram", "£55 for a g", "£45 for ten"),
    },
    severe_line={"de": "Ein Kumpel hatte danach {sev}.", "en": "A mate had {sev} afterwards."},
)

USER_PARTS = (
    (
        "kellerkind",
        "nachteule",
        "ravekatze",
        "tanzbaer",
        "isarflimmern",
        "lurch",
        "gruftie",
        "kopfkino",
        "ekstase",
        "spacecake",
        "zugvogel",
        "nebelkraehe",
        "glitzer",
        "bassline",
        "mondkalb",
        "foggy",
        "lemon",
        "northern",
        "tea_leaf",
        "mancunian",
    ),
    ("77", "_de", "90", "x", "_uk", "23", "", "_b", "1312", "_at", "_ch", "99"),
)

BOARDS = (
    Board(1, "erfahrungen", "Erfahrungsberichte", "Deutsch", ("de",), trip_reports=True, kind="reports"),
    Board(2, "fragen", "Fragen & Antworten", "Deutsch", ("de",)),
    Board(3, "markt", "Marktplatz-Talk", "Deutsch", ("de", "en"), kind="market"),
    Board(4, "english", "English corner", "English", ("en",)),
    Board(5, "reports", "Trip reports (EN)", "English", ("en",), trip_reports=True, kind="reports"),
    Board(6, "safer-use", "Safer Use", "Safer Use", ("de", "en"), kind="safer"),
)

FORUM_SPEC = ForumSpec(
    name=FORUM,
    timeline=TIMELINE,
    boards=BOARDS,
    drugs=DRUGS,
    words=FORUM_WORDS,
    n_threads=85,
    n_safer=9,
    users=tuple(content.user_names(content.rng_for(FORUM, "users"), 40, USER_PARTS)),
    thread_base=3100,
    post_base=70000,
    happenings=(
        NewThread(CANNABINOID, 22, 9, "fragen", "de", span=12, first="cannabinoid_first", replies="cannabinoid_reply"),
        NewThread(CANNABINOID, 25, 5, "english", "en", span=10, first="cannabinoid_first", replies="cannabinoid_reply"),
        NewThread("cocaine", 27, 7, "markt", "de", span=12, first="dearer", replies="dearer"),
        Peak(
            31,
            36,
            10,
            mix_share=0.35,
            title={"de": "Karneval 2027 – wer ist dabei?", "en": "Carnival weekend 2027 – who's going?"},
        ),
        NewThread(OPIOID, 35, 8, "english", "en", span=12, first="opioid_first", replies="opioid_reply"),
        NewThread(OPIOID, 36, 6, "fragen", "de", span=10, first="opioid_first", replies="opioid_reply"),
        NewThread("naloxone", 37, 6, "safer-use", "de", span=12, first="naloxone", replies="naloxone"),
        Wave("XTC", 42, 49, 44, ("de", "en"), passing=("cocaine", "cannabis", "alcohol"), passing_share=0.35),
        NewThread("amphetamine", 54, 6, "markt", "de", span=8, first="cheaper", replies="cheaper"),
    ),
)
