"""Hold-out D (sealed): Grenspost (a JS-free Dutch shop, listings in a paginated feed, facts in labelled lists;
priced in bitcoin with a euro equivalent; Dutch, English and German listings) and Schemer (a mailing-list archive
in the manner of Mailman 3's HyperKitty; Dutch, English and German lists), 60 days from Monday 2027-11-22, over
the year's end.

Sealed: whoever tunes the detectors does not read this module, the sites, their templates nor
``bench/markets/holdout_d/``.  The scripted events and traps are in ``bench/markets/holdout_d/script.yml``; this
module is what makes them happen on the sites.
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
    Lull,
    MarketWords,
    NewThread,
    Pause,
    Peak,
    Repost,
    Reprice,
    Spike,
    Wave,
)
from demosites.forums import Board
from demosites.timeline import Timeline

TIMELINE = Timeline(date(2027, 11, 22), 60)
MARKET, FORUM = "grenspost_market", "schemer_forum"
ZONE = "Europe/Amsterdam"  # the archive writes each message's date with its offset (+0100 all along)

CANNABINOID = "MPP-4en-PINACA"  # invented: head MPP, tail 4en (pentenyl), core PINACA; in no lexicon
DISSOCIATIVE = "2F-DCK"  # a known arylcyclohexylamine (in the lexicon), never seen on this bed before day 49
HOLIDAY = Pause((1, 4, 8, 11), 30, 41)  # four vendors in holiday mode from 22 December to 2 January (a trap)
RALLY = (26, 31)  # bitcoin gains an eighth against the euro over these days and keeps it (a trap)
REPOST_TITLE = "3-MMC kristal 5 g – ACTIE deze week 🔥"

_STIM, _XTC, _DISS, _PSY = "Stimulanten", "XTC & MDMA", "Dissociatieven", "Psychedelica"
_DOWN, _OPI, _PAPER, _HR = "Kalmerend / Downers", "Opiaten", "Papier & kruiden", "Testen & harm reduction"
DRUGS: tuple[Drug, ...] = (
    Drug("cocaine", ("coke", "snuif", "wit", "cocaïne", "Koks", "charlie"), _STIM, "g", 55, 8, "0,2 g", party=True),
    Drug("amphetamine", ("speed", "pep", "amfetamine", "Speed-Paste"), _STIM, "g", 6, 6, "0,5 g", party=True),
    Drug("MDMA", ("MD", "mandy", "MDMA-kristallen", "M", "Kristalle"), _XTC, "g", 22, 6, "120mg", party=True),
    Drug("XTC", ("pillen", "XTC", "eckies", "snoepjes", "Pillen", "Teile"), _XTC, "pill", 4, 7, "1 pil", party=True),
    Drug("ketamine", ("keta", "ket", "K", "paardenmiddel", "Keta"), _DISS, "g", 20, 6, "60mg", party=True),
    Drug("4-FA", ("4-FMP", "4fa", "flux", "4-fluoramfetamine", "4-Fluoramphetamin"), _STIM, "g", 12, 4, "100mg"),
    Drug("3-MMC", ("3mmc", "drie-M", "3M", "3-mmc"), _STIM, "g", 13, 4, "150mg"),
    Drug("2C-B", ("2cb", "nexus", "2-CB"), _PSY, "pill", 6, 3, "15mg", party=True),
    Drug("LSD", ("acid", "trips", "zegeltjes", "Pappen", "blotters"), _PSY, "tab", 7, 3, "100µg"),
    Drug("psilocybin", ("truffels", "paddo's", "Pilze", "magic truffles"), _PSY, "g", 2.5, 3, "12 g"),
    Drug("cannabis", ("wiet", "hasj", "stuff", "Gras", "Dope", "weed"), "Cannabis", "g", 9, 7, "1 joint"),
    Drug("GHB", ("G", "GHB", "vloeibare XTC", "Liquid"), _DOWN, "ml", 0.25, 2, "1,5 ml", party=True),
    Drug("alprazolam", ("Xanax", "xannies", "alprazolam", "Xanor"), _DOWN, "pill", 2, 2, "1mg"),
    Drug("oxycodone", ("oxy", "OxyContin", "Oxys", "oxycodon"), _OPI, "pill", 8, 1, "20mg"),
    Drug("heroin", ("heroïne", "bruin", "H", "Heroin"), _OPI, "g", 40, 2, "0,1 g"),
    Drug(
        CANNABINOID,
        ("MPP-4en", "mpp-4en-pinaca", "MPP 4en PINACA"),
        _PAPER,
        "sheet",
        45,
        0,
        "1 hoekje",
        titles=(
            "Geïmpregneerd papier A4 – {key} {e}",
            "Infused paper {key} – 1 sheet, very strong",
            "{a} Papier (A4) – nicht zum Verzehr",
        ),
        blurbs=(
            "Eén vel A4, gelijkmatig geïmpregneerd. Niet voor menselijke consumptie.",
            "Cut small corners, a corner goes a long way. Lab material, not for consumption.",
            "Verzonden als gewone brief, past in elke envelop.",
        ),
    ),
    Drug(
        DISSOCIATIVE,
        ("2-FDCK", "2-fluorodeschloroketamine", "2-Fluordeschloroketamin", "2F-ket"),
        _DISS,
        "g",
        14,
        0,
        "50mg",
        titles=("{key} – keta-alternatief, kristallen {e}", "{a} crystals – new in stock", "{key} Kristalle – neu"),
    ),
    Drug(
        "xylazine test strips",
        ("xylazine-teststrips", "Xylazin-Teststreifen", "xylazine test strips"),
        _HR,
        "strip",
        1.3,
        0,
        talk=False,
        titles=("{a} (10 st.) – test je spullen", "{key} – drug checking at home {e}", "{a} – schnell testen"),
        blurbs=(
            "Teststrips om zelf te testen, uitslag na vijf minuten.",
            "Sold at cost. A negative strip is not a guarantee of safety.",
            "Anleitung auf Deutsch, Englisch und Niederländisch liegt bei.",
        ),
    ),
    Drug("alcohol", ("bier", "biertjes", "drank", "alcohol", "Alkohol", "booze"), "", "ml", 0, 0, talk=False),
    Drug("naloxone", ("naloxon", "naloxone", "Nyxoid"), "", "ml", 0, 0, talk=False),
)

# ---- the market -----------------------------------------------------------------------------------------------


def eur_btc(day: int) -> float:
    """Euros per bitcoin: drifts a few percent over the weeks, and gains an eighth over the rally, for good."""
    first, last = RALLY
    rise = 0.0 if day < first else 0.125 * min(1.0, (day - first + 1) / (last - first + 1))
    return 61000 * wave(day, 9, 0.025) * (1 + rise)


def btc_eur(amount: float, day: int) -> tuple[str, ...]:
    """The price in bitcoin, eight decimals with a decimal comma, and its euro equivalent written the Dutch way:
    0,00089120 BTC and ≈ € 52,30 (≈ € 1.234,50)."""
    euros = f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{amount / eur_btc(day):.8f}".replace(".", ",") + " BTC", f"≈ € {euros}"


TIERS = {
    "g": ((1, 1.0, "1 g"), (2, 0.97, "2 g"), (5, 0.9, "5 g"), (10, 0.82, "10 g"), (25, 0.74, "25 g")),
    "pill": ((10, 1.0, "10 pills"), (25, 0.9, "25 pills"), (50, 0.8, "50 pills"), (100, 0.7, "100 pills")),
    "tab": ((5, 1.0, "5 tabs"), (10, 0.9, "10 tabs"), (25, 0.8, "25 tabs")),
    "ml": ((100, 1.0, "100 ml"), (250, 0.9, "250 ml"), (500, 0.8, "500 ml")),
    "sheet": ((1, 1.0, "1 sheet"), (3, 0.92, "3 sheets"), (5, 0.85, "5 sheets")),
    "strip": ((10, 1.0, "10 strips"), (25, 0.9, "25 strips"), (50, 0.85, "50 strips")),
}

MARKET_WORDS = MarketWords(
    titles={
        "nl": (
            "{a} {purity}% – puur spul {e}",
            "{key} | uit voorraad NL | {a}",
            "Verse {a}, net binnen {e}",
            "{key} ({a}) – getest, {purity}%",
            "{a} – stille verzending, brievenbuspost",
            "Top {a} tegen een eerlijke prijs {e}",
        ),
        "en": (
            "{a} {purity}% | NL stock {e}",
            "{key} — no cut, fast dispatch",
            "{a} ({key}) · fresh batch",
            "Dutch {a} {e} tested {purity}%",
        ),
        "de": (
            "{a} {purity}% – Versand aus NL {e}",
            "{key} | beste Ware | {a}",
            "{a} ({key}) – frische Lieferung",
            "Holland-{a} – getestet {purity}% {e}",
        ),
    },
    descriptions={
        "nl": (
            "Nieuwe partij {a}, getest op {purity}%. Geseald en geurdicht verpakt.",
            "Verzending met PostNL, brievenbuspakje, geen handtekening nodig.",
            "Rustig beginnen, kleine dosis. Niet combineren met drank.",
            "Bij verlies één keer herverzending, daarna 50/50.",
            "Bestellingen voor 15:00 gaan dezelfde dag de deur uit (ma-vr).",
            "Grotere aantallen? Stuur een bericht voor een staffelprijs.",
        ),
        "en": (
            "New batch of {a}, tested at {purity}%. Sealed twice, smell proof.",
            "Ships Mon-Fri from the Netherlands, letterbox stealth.",
            "Start low, go slow. Read up on {key} before you order.",
            "One reship if lost, then 50/50.",
        ),
        "de": (
            "Neue Charge {a}, laut Test {purity}%. Doppelt vakuumiert.",
            "Versand aus den Niederlanden, Briefumschlag, kein Paket.",
            "Langsam dosieren, nicht mit Alkohol mischen.",
            "Einmal Nachversand bei Verlust, danach 50/50.",
        ),
    },
    reviews=(
        "Binnen 2 dagen in de bus, top",
        "Prima spul, kom zeker terug",
        "Stealth on point, thanks",
        "Iets minder sterk dan de vorige keer",
        "Schnelle Lieferung, alles bestens",
        "4 dagen onderweg maar netjes",
        "Vendor answered within the hour",
        "Gute Qualität, gerne wieder",
    ),
)

MARKET_SPEC = MarketSpec(
    name=MARKET,
    timeline=TIMELINE,
    drugs=DRUGS,
    words=MARKET_WORDS,
    langs=("nl", "nl", "en", "en", "de"),
    n_listings=180,
    n_vendors=14,
    vendor_parts=(
        (
            "Polder",
            "Dijk",
            "Tulpen",
            "Molen",
            "Grachten",
            "Klomp",
            "Kaas",
            "Fiets",
            "Haring",
            "Stroopwafel",
            "Rijn",
            "Veluwe",
            "Limburg",
            "Waal",
        ),
        ("Apotheek", "Handel", "Express", "Winkel", "Lab", "Depot", "Direct", "Groothandel", "Connect", "Bros"),
    ),
    tiers=TIERS,
    countries=("Nederland", "Nederland", "Nederland", "Deutschland", "België"),
    ship_to=("EU", "Nederland", "Deutschland", "België", "Benelux", "Worldwide"),
    money=btc_eur,
    happenings=(
        Repost("3-MMC", 5, 59, REPOST_TITLE, vendor=2),
        Appear("xylazine test strips", 8, 1, vendor=6),
        Appear(CANNABINOID, 14, 3, every=4),
        Reprice("MDMA", 19, 1.33, spread=3),
        Spike("XTC", 24, 27, 2.8),
        HOLIDAY,
        Appear(DISSOCIATIVE, 50, 2, every=3),
        Reprice("ketamine", 52, 0.72, spread=3),
    ),
    id_base=52000,
)

# ---- the forum ------------------------------------------------------------------------------------------------

FORUM_WORDS = ForumWords(
    moods={
        "report": {
            "nl": (
                "Vrijdag {dose} {a} genomen, {route}.",
                "Eerste keer {a} gisteren ({dose}, {route}), thuis met twee vrienden.",
                "Verslagje: {dose} {a} {route} op een housefeest.",
                "Zaterdag in de Melkweg {dose} {a} {route}.",
            ),
            "en": (
                "Friday night: {dose} of {a}, {route}.",
                "Tried {a} for the first time yesterday ({dose}, {route}).",
                "Quick one: {dose} {a} {route} at a house party in Utrecht.",
                "Saturday at a warehouse rave, {dose} {a} {route}.",
            ),
            "de": (
                "Am Freitag {dose} {a}, {route}.",
                "Gestern zum ersten Mal {a} probiert ({dose}, {route}).",
                "Kurzer Bericht: {dose} {a} {route}, bei Freunden in Aachen.",
                "Samstag im Club {dose} {a} {route}.",
            ),
        },
        "question": {
            "nl": (
                "Vraagje: is {dose} {a} veel voor een eerste keer?",
                "Hoe lang duurt {a} bij jullie ongeveer?",
                "Kan {a} samen met {other} of is dat dom?",
                "Hoe zie je of je {a} versneden is?",
            ),
            "en": (
                "Is {dose} of {a} a lot for a first time?",
                "How long does {a} last for you lot?",
                "Anyone combined {a} with {other}?",
                "How can I tell if my {a} is cut?",
            ),
            "de": (
                "Frage: sind {dose} {a} viel fürs erste Mal?",
                "Wie lange wirkt {a} bei euch?",
                "Kann man {a} mit {other} kombinieren?",
                "Woran merke ich, ob mein {a} gestreckt ist?",
            ),
        },
        "reply": {
            "nl": (
                "Bij mij vooral {eff} en {eff2}.",
                "Doe eerst de helft, {dose} is best veel.",
                "Herkenbaar, {eff}.",
                "Laat het testen bij het testpunt, kost niks.",
                "Had ook wat {adv}, maar dat zakte na een paar uur.",
                "{neg}, gewoon {eff}.",
            ),
            "en": (
                "For me it's mostly {eff} and {eff2}.",
                "Do half first, {dose} is plenty.",
                "Same here, {eff}.",
                "Get it tested, it's free at the testing service.",
                "Had some {adv} too but it faded after a few hours.",
                "{neg}, just {eff}.",
            ),
            "de": (
                "Bei mir vor allem {eff} und {eff2}.",
                "Erst die Hälfte, {dose} reicht locker.",
                "Kenne ich, {eff}.",
                "Lass es testen, das kostet nichts.",
                "Hatte auch etwas {adv}, war nach ein paar Stunden weg.",
                "{neg}, einfach {eff}.",
            ),
        },
        "market": {
            "nl": (
                "{price} betaald voor {a} bij Grenspost, prima.",
                "Wie heeft er nu goede {a} op Grenspost?",
                "{a} lag na twee dagen in de brievenbus, netjes verpakt.",
                "Prijzen voor {a} zijn normaal nu, {price}.",
            ),
            "en": (
                "Paid {price} for {a} on Grenspost, fair enough.",
                "Which vendor has decent {a} right now?",
                "My {a} came in two days, letterbox, no issues.",
            ),
            "de": (
                "{price} für {a} auf Grenspost bezahlt, passt.",
                "Welcher Vendor hat gerade gutes {a}?",
                "Mein {a} war nach drei Tagen im Briefkasten.",
            ),
        },
        "dearer": {
            "nl": (
                "Is {a} bij jullie ook zo duur geworden? Bijna een derde meer dan vorige maand.",
                "Er is een groot lab opgerold in Brabant, sindsdien is {a} overal duurder.",
                "Alle vendors op Grenspost hebben {a} opgeschroefd.",
            ),
            "de": ("{a} ist auf Grenspost deutlich teurer geworden, fast ein Drittel.",),
        },
        "cheaper": {
            "en": (
                "{a} has dropped a lot on Grenspost, about a quarter cheaper than before the holidays.",
                "Loads of {a} around at the moment, prices are sliding.",
                "Just got {a} for way less than in December.",
            ),
            "nl": ("{a} is ineens een stuk goedkoper, zeker een kwart.",),
        },
        "btc": {
            "nl": (
                "Bitcoin is flink gestegen, dus alles op Grenspost lijkt goedkoper in BTC. In euro is het hetzelfde.",
                "Let op: de BTC-prijzen zakken alleen omdat de koers stijgt, de europrijzen blijven gelijk.",
                "Mooi moment om te bestellen als je nog BTC van vorig jaar hebt.",
            ),
            "en": ("BTC pumped this week, so every price on Grenspost looks lower in BTC. Same in euros though.",),
        },
        "holiday": {
            "nl": (
                "Half Grenspost staat op vakantie tot 3 januari, let op voor je bestelt.",
                "Mijn vaste vendor heeft vakantiemodus aan, terug na nieuwjaar.",
                "Na de feestdagen komen ze allemaal weer terug, geen paniek.",
            ),
            "en": (
                "Heads up, a bunch of vendors are in vacation mode until January 3rd.",
                "My usual vendor is away till after new year, listings will be back then.",
            ),
        },
        "hangover": {
            "nl": (
                "De {a} was prima, maar de champagne erna niet: ik voelde me de hele nieuwjaarsdag belabberd.",
                "Lag aan de drank, niet aan de {a}: zes biertjes en veel wijn, ik heb de hele ochtend gekotst.",
                "Zelfde hier, {a} was top, maar de kater van al dat bier was verschrikkelijk.",
                "Mijn hart ging tekeer, maar dat kwam door de wodka-energiedrankjes, niet door de {a}.",
            ),
            "en": (
                "The {a} were fine, it was the prosecco afterwards: I felt awful all of New Year's Day.",
                "Blame the booze, not the {a}: way too many beers, I was sick all morning.",
            ),
            "de": (
                "Das {a} war gut, aber der Sekt danach: mir ging es den ganzen Neujahrstag mies.",
                "Lag am Alkohol, nicht am {a}: viel zu viel Bier, ich hab den ganzen Vormittag gekotzt.",
            ),
        },
        "lay_bad": {
            "nl": (
                "De {a} die nu rondgaat is echt niet goed, {lay}.",
                "Nieuwe batch {a} van deze week: {lay}.",
                "Ik neem al jaren {a}, maar deze keer {lay}.",
                "Mijn vriend had dezelfde {a} en {lay}.",
                "Blijf even weg van de huidige {a}, {lay}.",
                "We hadden met vier man dezelfde {a} en niemand voelde zich goed, {lay}.",
            ),
            "en": (
                "The {a} going round right now is not right, {lay}.",
                "This week's batch of {a}: {lay}.",
                "Been taking {a} for years but this time {lay}.",
                "My mate had the same {a} and {lay}.",
                "Stay off the current {a} for now, {lay}.",
            ),
            "de": (
                "Das {a}, das gerade rumgeht, ist nicht gut, {lay}.",
                "Neue Charge {a} diese Woche: {lay}.",
                "Ich nehme seit Jahren {a}, aber diesmal {lay}.",
                "Mein Kumpel hatte dasselbe {a} und {lay}.",
                "Finger weg vom aktuellen {a}, {lay}.",
            ),
        },
        "party": {
            "nl": (
                "Oudjaarsavond met {a}, zin in!",
                "Wie gaat er naar een feest met oud en nieuw? Wij nemen {a} mee.",
                "Gelukkig nieuwjaar allemaal, {a} was top vannacht.",
            ),
            "en": (
                "NYE plans: {a} and a warehouse party.",
                "Happy new year all, {a} was lovely last night.",
                "Who's out for new year? We've got {a} sorted.",
            ),
            "de": (
                "Silvester mit {a}, freu mich!",
                "Frohes Neues, das {a} gestern war super.",
                "Wer ist an Silvester unterwegs? Wir haben {a} dabei.",
            ),
        },
        "mix": {
            "nl": (
                "Niet mixen met alcohol, zeker niet met {a}.",
                "Tip: {a} en veel bier gaat slecht samen, drink water.",
                "Als je {a} neemt, laat de drank staan.",
            ),
            "en": (
                "Please don't mix {a} with alcohol, drink water instead.",
                "{a} plus booze is a bad idea.",
                "If you're on {a}, skip the drinks.",
            ),
            "de": (
                "Bitte {a} nicht mit Alkohol mischen, lieber Wasser.",
                "{a} und viel Alkohol ist keine gute Idee.",
                "Wenn du {a} nimmst, lass den Alkohol weg.",
            ),
        },
        "testing": {
            "nl": (
                "Laat je {a} testen! Grenspost verkoopt nu ook xylazine-teststrips.",
                "Reagenstest op mijn {a} gedaan, Marquis zag er normaal uit.",
                "Mijn {a} laten testen bij het testpunt, was wat het moest zijn.",
                "Xylazine-teststrip was negatief, {a} lijkt ok.",
            ),
            "en": (
                "Test your {a}! Xylazine test strips are cheap now.",
                "Reagent-tested my {a}, Marquis looked normal.",
                "Had my {a} checked at the testing service, all as expected.",
            ),
            "de": (
                "Lasst euer {a} testen! Xylazin-Teststreifen gibt es jetzt günstig.",
                "Reagenztest mit meinem {a} gemacht, Marquis sah normal aus.",
                "Mein {a} beim Drug-Checking abgegeben, alles sauber.",
            ),
        },
        "naloxone": {
            "nl": (
                "Wie opiaten gebruikt: haal naloxon-neusspray, het is gratis bij de drugshulp.",
                "Ik heb altijd naloxon in mijn tas.",
                "Naloxontraining gevolgd, echt een aanrader.",
                "Als iemand {a} neemt: naloxon binnen handbereik.",
            ),
            "en": (
                "If you use opioids, get naloxone, the nasal spray is free.",
                "I always carry naloxone now.",
                "Did a naloxone course, would recommend.",
            ),
            "de": (
                "Wer Opioide nimmt: Naloxon-Nasenspray besorgen, gibt es kostenlos.",
                "Ich habe immer Naloxon dabei.",
                "Naloxon-Schulung gemacht, kann ich empfehlen.",
            ),
        },
        "cannabinoid_first": {
            "en": (
                "Drug checking found {a} on paper sheets sent into prisons. Anyone heard of it?",
                "Warning from the testing service: {a}, a new synthetic cannabinoid, soaked into A4 paper.",
            ),
            "nl": ("Het testpunt heeft {a} gevonden op papier dat naar gevangenissen gaat. Wat is dat?",),
        },
        "cannabinoid_reply": {
            "en": (
                "{a} is a synthetic cannabinoid, nothing like weed, tiny amounts do a lot.",
                "Someone I know smoked a corner with {a}: {eff}, but also {adv}.",
                "It's on Grenspost now as well, sold as {a} paper.",
                "Don't touch the cheap paper, it's {a}.",
            ),
            "nl": (
                "{a} is een synthetische cannabinoïde, heeft niks met wiet te maken.",
                "Staat nu ook op Grenspost als {a}.",
                "Kennis rookte een hoekje {a}: {eff}, maar ook {adv}.",
            ),
        },
        "dissociative_first": {
            "nl": (
                "Op Grenspost staat nu {a}, als goedkope keta-vervanger. Iemand ervaring?",
                "Iemand {a} geprobeerd? Wordt verkocht als alternatief voor keta.",
            ),
            "de": ("Auf Grenspost gibt es jetzt {a}, als Keta-Ersatz. Erfahrungen?",),
        },
        "dissociative_reply": {
            "nl": (
                "{a} werkt langer dan keta, doseer echt lager.",
                "Had {a} van Grenspost: {eff}, maar ook {adv}.",
                "Laat {a} eerst testen, je weet nooit wat erin zit.",
            ),
            "de": (
                "{a} wirkt länger als Keta, niedriger dosieren.",
                "Hatte {a} von Grenspost: {eff}, aber auch {adv}.",
            ),
        },
    },
    titles={
        "trip": {
            "nl": ("[TR] {a}, {dose}", "[TR] Eerste keer {a}"),
            "en": ("[TR] {a}, {dose}", "[TR] First time on {a}"),
        },
        "report": {
            "nl": ("Ervaring met {a}", "{a} – hoe was het?"),
            "en": ("My {a} experience", "{a} – short report"),
            "de": ("Erfahrung mit {a}", "{a} – kurzer Bericht"),
        },
        "question": {
            "nl": ("Vraag over {a}", "{a} dosering?"),
            "en": ("{a} question", "{a} dosing?"),
            "de": ("Frage zu {a}", "{a} Dosierung?"),
        },
        "market": {
            "nl": ("{a} – wie heeft goede?", "Prijzen {a}"),
            "en": ("{a} vendors?", "{a} prices"),
            "de": ("{a} – wer hat gutes?", "Preise {a}"),
        },
        "dearer": {"nl": ("{a} duurder?",), "de": ("{a} teurer?",)},
        "cheaper": {"en": ("{a} getting cheaper?",), "nl": ("{a} goedkoper?",)},
        "btc": {"nl": ("Waarom is alles goedkoper in BTC?",), "en": ("Prices down in BTC?",)},
        "holiday": {"nl": ("Vendors op vakantie", "Vakantiemodus tot januari"), "en": ("Vendors away over xmas",)},
        "hangover": {
            "nl": ("Nieuwjaarskater – lag het aan de {a}?",),
            "en": ("NYE hangover – was it the {a}?",),
            "de": ("Neujahrskater – lag's am {a}?",),
        },
        "lay_bad": {
            "nl": ("Slechte {a} in omloop?", "Iemand anders ook last van de {a}?"),
            "en": ("Dodgy {a} going round?", "Anyone else feel rough after {a}?"),
            "de": ("Schlechtes {a} im Umlauf?", "Noch jemand Probleme mit dem {a}?"),
        },
        "mix": {
            "nl": ("Combineren: wat wel en wat niet", "Drank en {a}?"),
            "en": ("Mixing: what's fine and what isn't",),
            "de": ("Mischkonsum: was geht, was nicht",),
        },
        "testing": {
            "nl": ("Testen en teststrips", "Welke reagentia?"),
            "en": ("Testing & test strips",),
            "de": ("Drug-Checking und Teststreifen",),
        },
        "naloxone": {
            "nl": ("Naloxon – waar haal je dat?",),
            "en": ("Naloxone – where to get it",),
            "de": ("Naloxon – wo bekommt man das?",),
        },
        "cannabinoid_first": {"en": ("{a} on paper?",), "nl": ("{a} op papier?",)},
        "dissociative_first": {"nl": ("{a} op Grenspost?",), "de": ("{a} als Keta-Ersatz?",)},
    },
    middles={
        "nl": (
            "Wat ik voelde: {eff}, {eff2}.",
            "Vooral {eff}, maar ook wat {adv}.",
            "{neg}, gewoon {eff}.",
            "Tegen het einde wat {adv}.",
            "Zo'n drie uur {eff}.",
        ),
        "en": (
            "What I felt: {eff}, {eff2}.",
            "Mostly {eff}, with some {adv} too.",
            "{neg}, just {eff}.",
            "A bit of {adv} towards the end.",
            "About three hours of {eff}.",
        ),
        "de": (
            "Was ich gespürt habe: {eff}, {eff2}.",
            "Vor allem {eff}, aber auch etwas {adv}.",
            "{neg}, einfach {eff}.",
            "Gegen Ende etwas {adv}.",
            "Etwa drei Stunden {eff}.",
        ),
    },
    closers={
        "nl": ("Doe voorzichtig.", "Test je spul!", "Zou het weer doen, maar niet te vaak.", "", "Tips?"),
        "en": ("Stay safe.", "Test your stuff!", "Would do it again, just not soon.", "", "Tips?"),
        "de": ("Passt auf euch auf.", "Testet euer Zeug!", "Wieder gern, aber nicht so bald.", "", "Tipps?"),
    },
    effects={
        "nl": (
            "een fijne roes",
            "veel energie",
            "praten als een waterval",
            "alles voelde zacht",
            "de muziek kwam keihard binnen",
            "zin om bij te nemen",
            "kleurtjes en patronen",
            "heel knuffelig",
            "rustige opkomst",
            "relaxed",
        ),
        "en": (
            "a nice glow",
            "tons of energy",
            "talking nonstop",
            "everything felt soft",
            "the music was amazing",
            "wanted more",
            "colours and patterns",
            "cuddly",
            "smooth come-up",
            "relaxed",
        ),
        "de": (
            "ein schönes Hoch",
            "viel Energie",
            "Laberflash",
            "alles fühlte sich weich an",
            "die Musik war der Wahnsinn",
            "Lust nachzulegen",
            "Farben und Muster",
            "total kuschelig",
            "sanftes Anfluten",
            "entspannt",
        ),
    },
    adverse={
        "nl": ("misselijkheid", "kaakklemmen", "zweten", "slecht slapen", "hoofdpijn", "onrust", "een dip"),
        "en": ("nausea", "jaw clenching", "sweating", "poor sleep", "a headache", "restlessness", "a low mood"),
        "de": ("Übelkeit", "Kieferspannen", "Schwitzen", "schlechter Schlaf", "Kopfschmerzen", "Unruhe", "ein Tief"),
    },
    negated={
        "nl": ("geen misselijkheid", "geen kaakklemmen", "geen kater de dag erna", "geen dip"),
        "en": ("no nausea", "no jaw clenching", "no hangover the next day", "no comedown"),
        "de": ("keine Übelkeit", "kein Kieferspannen", "kein Kater am nächsten Tag", "kein Absturz"),
    },
    severe={
        "nl": ("een toeval", "een psychose", "een rit naar de eerste hulp", "bewusteloosheid"),
        "en": ("a seizure", "psychosis", "an ambulance ride", "passing out"),
        "de": ("einen Krampfanfall", "eine Psychose", "einen Notarzteinsatz", "Bewusstlosigkeit"),
    },
    lay={
        "nl": (
            "ik voelde me echt belabberd",
            "mijn hart ging als een gek tekeer",
            "ik heb twee nachten niet geslapen",
            "ik lag de hele nacht te zweten",
            "ik was helemaal van slag",
            "mijn hoofd bonkte de hele dag erna",
            "ik trilde nog de volgende ochtend",
            "ik was kapot maar kon niet slapen",
        ),
        "en": (
            "I felt awful",
            "my heart was racing",
            "couldn't sleep for two days",
            "I was sweating buckets all night",
            "my head was pounding the whole next day",
            "I was shaky till the next morning",
            "I felt totally wrecked",
            "felt sick to my stomach for hours",
        ),
        "de": (
            "mir ging es richtig mies",
            "mein Herz hat wie verrückt gerast",
            "ich konnte zwei Tage nicht schlafen",
            "ich hab die ganze Nacht geschwitzt",
            "am nächsten Tag hat mir der Schädel gebrummt",
            "ich war total durch",
            "ich hab bis zum Morgen gezittert",
        ),
    },
    passing={
        "nl": (
            "Had er ook wat {other} bij, zoals altijd op zaterdag.",
            "Er was ook {other}, maar dat neem ik al jaren zonder gedoe.",
        ),
        "en": (
            "Had some {other} as well, same as every weekend.",
            "There was {other} too but I've had that loads of times.",
        ),
        "de": (
            "Hatte auch etwas {other}, wie jedes Wochenende.",
            "Da war auch {other} im Spiel, aber das vertrag ich seit Jahren.",
        ),
    },
    routes={
        "nl": ("gesnoven", "geslikt", "gerookt", "gedipt", "in een bommetje", "onder de tong"),
        "en": ("snorted", "swallowed", "smoked", "dabbed", "bombed", "under the tongue"),
        "de": ("gezogen", "geschluckt", "geraucht", "gedippt", "in Papier eingewickelt", "unter die Zunge"),
    },
    prices={
        "nl": ("50 euro per gram", "€45 voor een gram", "0,0009 BTC per gram"),
        "en": ("€50 a gram", "0.0009 BTC a gram"),
        "de": ("50 Euro das Gramm", "0,0009 BTC pro Gramm"),
    },
    severe_line={
        "nl": "Een vriend van me kreeg daarna {sev}.",
        "en": "A friend of mine had {sev} afterwards.",
        "de": "Ein Freund hatte danach {sev}.",
    },
)

USER_PARTS = (
    (
        "grachtje",
        "fietser",
        "kaaskop",
        "brabo",
        "tukker",
        "limbo",
        "mokummer",
        "zeeuw",
        "polderkind",
        "raver",
        "nachtuil",
        "dijkgraaf",
        "frikandel",
        "bitterbal",
        "Grenzgänger",
        "ravekid",
        "sleepless",
        "moonwalker",
    ),
    ("_020", "_010", "040", "", "_nl", "_de", "99", "x", "_mstr", "2028"),
)

BOARDS = (
    Board(1, "schemer-nl", "schemer-nl: Nederlands", "Nederlands", ("nl",)),
    Board(
        2,
        "schemer-verslagen",
        "schemer-verslagen: tripverslagen / trip reports",
        "Verslagen",
        ("nl", "en"),
        trip_reports=True,
        kind="reports",
    ),
    Board(3, "schemer-en", "schemer-en: English", "English", ("en",)),
    Board(4, "schemer-de", "schemer-de: Deutsch", "Deutsch", ("de",)),
    Board(5, "schemer-markt", "schemer-markt: markt & vendors", "Markt", ("nl", "en", "de"), kind="market"),
    Board(
        6, "schemer-veilig", "schemer-veilig: veilig gebruik / safer use", "Veilig", ("nl", "en", "de"), kind="safer"
    ),
)

FORUM_SPEC = ForumSpec(
    name=FORUM,
    timeline=TIMELINE,
    boards=BOARDS,
    drugs=DRUGS,
    words=FORUM_WORDS,
    n_threads=90,
    n_safer=9,
    users=tuple(content.user_names(content.rng_for(FORUM, "users"), 46, USER_PARTS)),
    thread_base=8800,
    post_base=390000,
    weekdays=(1.1, 1.0, 0.9, 1.0, 1.6, 2.3, 2.0),
    happenings=(
        NewThread(
            CANNABINOID, 12, 8, "schemer-en", "en", span=12, first="cannabinoid_first", replies="cannabinoid_reply"
        ),
        NewThread(
            CANNABINOID, 13, 5, "schemer-nl", "nl", span=10, first="cannabinoid_first", replies="cannabinoid_reply"
        ),
        NewThread("MDMA", 21, 7, "schemer-markt", "nl", span=10, first="dearer", replies="dearer"),
        NewThread("MDMA", 23, 3, "schemer-markt", "de", span=8, first="dearer", replies="dearer"),
        NewThread("cannabis", 28, 5, "schemer-markt", "nl", span=6, first="btc", replies="btc"),
        NewThread("cannabis", 29, 5, "schemer-markt", "nl", span=8, first="holiday", replies="holiday"),
        NewThread("cannabis", 30, 3, "schemer-markt", "en", span=6, first="holiday", replies="holiday"),
        Lull(32, 34, 0.35),
        Peak(
            39,
            40,
            12,
            mix_share=0.35,
            title={
                "nl": "Oud en nieuw – wat gaan jullie doen?",
                "en": "NYE 2027 – who's going out?",
                "de": "Silvester – wer geht feiern?",
            },
        ),
        NewThread("XTC", 40, 11, "schemer-nl", "nl", span=3, first="hangover", replies="hangover"),
        NewThread("XTC", 40, 5, "schemer-de", "de", span=3, first="hangover", replies="hangover"),
        Wave("4-FA", 46, 52, 39, ("nl", "en", "de"), passing=("alcohol", "cannabis", "cocaine"), passing_share=0.35),
        NewThread(
            DISSOCIATIVE, 49, 7, "schemer-nl", "nl", span=10, first="dissociative_first", replies="dissociative_reply"
        ),
        NewThread(
            DISSOCIATIVE, 51, 4, "schemer-de", "de", span=8, first="dissociative_first", replies="dissociative_reply"
        ),
        NewThread("naloxone", 36, 6, "schemer-veilig", "nl", span=12, first="naloxone", replies="naloxone"),
        NewThread("ketamine", 54, 6, "schemer-markt", "en", span=5, first="cheaper", replies="cheaper"),
    ),
)
