"""Words the generator draws from: substances with their street names, places, people, effects.

Substance names and slang are real (EN/NL/FR/DE); every vendor, user and site is invented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Substance:
    key: str  # canonical name
    aliases: tuple[str, ...]  # slang, spelling variants and misspellings
    category: tuple[str, str]  # (group, leaf) under "Drugs"
    unit: str  # g, pill, tab, ml, mg, pellet: decides the quantity tiers
    usd: float  # price of one unit in USD, before tier discounts
    weight: int = 4  # how often it is listed or talked about
    dose: str = "100mg"  # a typical dose as users write it


NOVEL = "3-CPMC"  # the scripted new substance: an invented, cathinone-style name (see docs/demo-timeline.md)
NOVEL_ALIASES = ("3-CPMC", "3cpmc", "3 CPMC", "3-cpmc", "CPMC")

SUBSTANCES: tuple[Substance, ...] = (
    Substance("3-MMC", ("3mmc", "3 MMC", "3-mmc", "metafedrone"), ("Stimulants", "Cathinones"), "g", 12, 9, "150mg"),
    Substance("3-CMC", ("3cmc", "3 CMC", "clophedrone"), ("Stimulants", "Cathinones"), "g", 11, 3, "120mg"),
    Substance(
        "4-MMC",
        ("mephedrone", "mefedron", "miauw miauw", "meow meow", "4mmc"),
        ("Stimulants", "Cathinones"),
        "g",
        14,
        5,
        "200mg",
    ),
    Substance(
        "N-ethylhexedrone", ("NEH", "hexen", "n-ethylhexedrone"), ("Stimulants", "Cathinones"), "g", 15, 2, "30mg"
    ),
    Substance("α-PVP", ("a-PVP", "alpha-PVP", "flakka", "apvp"), ("Stimulants", "Cathinones"), "g", 18, 2, "15mg"),
    Substance("4-F-MPH", ("4F-MPH", "4fmph"), ("Stimulants", "Other stimulants"), "pellet", 1.6, 2, "20mg"),
    Substance(
        "cocaine",
        ("coke", "snuif", "C", "coca", "blow", "cocaïne", "kokain"),
        ("Stimulants", "Cocaine"),
        "g",
        70,
        7,
        "2 lijntjes",
    ),
    Substance("amphetamine", ("speed", "pep", "amfetamine", "amfet"), ("Stimulants", "Amphetamine"), "g", 8, 5, "0.5g"),
    Substance("MDMA", ("molly", "Mandy", "MD", "kristallen", "md"), ("Ecstasy", "MDMA crystal"), "g", 30, 6, "120mg"),
    Substance("XTC", ("pillen", "pills", "ecstasy", "taps", "xtc", "E"), ("Ecstasy", "Pills"), "pill", 6, 7, "1 pil"),
    Substance(
        "ketamine", ("keta", "special K", "ket", "K", "kétamine"), ("Dissociatives", "Ketamine"), "g", 25, 6, "50mg"
    ),
    Substance(
        "2-FDCK",
        ("2F-DCK", "2fdck", "2-fluorodeschloroketamine"),
        ("Dissociatives", "Arylcyclohexylamines"),
        "g",
        18,
        2,
        "60mg",
    ),
    Substance("GHB", ("G", "Gina", "ghb", "GBL"), ("Depressants", "GHB"), "ml", 0.5, 3, "1.5ml"),
    Substance("LSD", ("acid", "trips", "blotters", "tabs", "lucy"), ("Psychedelics", "LSD"), "tab", 8, 4, "100µg"),
    Substance("2C-B", ("nexus", "2cb", "2C-B", "bees"), ("Psychedelics", "Phenethylamines"), "pill", 7, 3, "20mg"),
    Substance(
        "psilocybin",
        ("truffels", "magic truffles", "paddo's", "shrooms", "champis"),
        ("Psychedelics", "Mushrooms & truffles"),
        "g",
        1.2,
        3,
        "15g truffels",
    ),
    Substance("isotonitazene", ("iso", "isonitazene", "isotonitazeen"), ("Opioids", "Nitazenes"), "mg", 0.45, 2, "2mg"),
    Substance("metonitazene", ("meto", "metonitazeen"), ("Opioids", "Nitazenes"), "mg", 0.4, 1, "3mg"),
    Substance("protonitazene", ("proto", "protonitazeen"), ("Opioids", "Nitazenes"), "mg", 0.5, 1, "2mg"),
    Substance("O-DSMT", ("ODSMT", "o-desmethyltramadol", "o-dsmt"), ("Opioids", "Other opioids"), "g", 60, 1, "50mg"),
    Substance("bromazolam", ("broma", "bromazolam pellets"), ("Benzos", "Designer benzos"), "pill", 1.5, 3, "1mg"),
    Substance("clonazolam", ("clam", "clonazolam"), ("Benzos", "Designer benzos"), "pill", 1.8, 2, "0.25mg"),
    Substance("flubromazolam", ("flubroma", "fluboma"), ("Benzos", "Designer benzos"), "pill", 1.7, 2, "0.2mg"),
    Substance(
        "MDMB-4en-PINACA",
        ("MDMB-4en", "spice", "K2", "mdmb-4en-pinaca"),
        ("Cannabinoids", "Synthetic"),
        "g",
        30,
        2,
        "1 hit",
    ),
    Substance("ADB-BUTINACA", ("ADB-B", "adb-butinaca", "ADBB"), ("Cannabinoids", "Synthetic"), "g", 28, 2, "1 hit"),
    Substance("5F-MDMB-PICA", ("5F-MDMB", "5F", "5f-mdmb-pica"), ("Cannabinoids", "Synthetic"), "g", 25, 1, "1 hit"),
)
NOVEL_SUBSTANCE = Substance(NOVEL, NOVEL_ALIASES, ("Stimulants", "Cathinones"), "g", 20, 0, "100mg")
BY_KEY: dict[str, Substance] = {s.key: s for s in (*SUBSTANCES, NOVEL_SUBSTANCE)}

# quantity tiers per unit: (amount of units, discount factor)
TIERS: dict[str, tuple[tuple[float, float], ...]] = {
    "g": ((1, 1.0), (5, 0.9), (10, 0.8), (28, 0.7)),
    "pill": ((10, 1.0), (25, 0.9), (50, 0.8), (100, 0.65)),
    "tab": ((5, 1.0), (10, 0.9), (25, 0.8), (100, 0.6)),
    "ml": ((50, 1.0), (100, 0.9), (250, 0.8), (500, 0.7)),
    "mg": ((100, 1.0), (250, 0.9), (500, 0.8), (1000, 0.7)),
    "pellet": ((10, 1.0), (20, 0.9), (50, 0.8)),
}

COUNTRIES = ("Netherlands", "Germany", "Belgium", "France", "Spain", "Poland", "United Kingdom", "Czech Republic")
SHIP_TO = (
    "Worldwide",
    "Europe",
    "EU",
    "Netherlands",
    "Germany",
    "Belgium",
    "France",
    "United Kingdom",
    "Scandinavia",
    "USA",
)
EMOJI = ("🔥", "💎", "🚀", "⭐", "✅", "🇳🇱", "💊", "❄️", "🍄", "🐱", "⚡", "🎯")

VENDOR_PARTS_A = (
    "Dutch",
    "Frosty",
    "Quiet",
    "Lucky",
    "Polar",
    "Golden",
    "Velvet",
    "Neon",
    "Honest",
    "Tulip",
    "Dr",
    "Captain",
    "Silent",
    "Rapid",
    "Royal",
    "Crystal",
    "Happy",
    "Stealth",
    "North",
    "Orange",
)
VENDOR_PARTS_B = (
    "Pharma",
    "Labs",
    "Chemist",
    "Express",
    "Direct",
    "Garden",
    "Corner",
    "Supply",
    "Brothers",
    "Kitchen",
    "Depot",
    "Connect",
    "Factory",
    "Owl",
    "Fox",
    "Mill",
    "Dealer",
    "Shop",
    "Store",
    "Hub",
)
USER_PARTS_A = (
    "psy",
    "dank",
    "trippy",
    "luna",
    "kees",
    "jeroen",
    "marloes",
    "bas",
    "fenna",
    "thijs",
    "sam",
    "noor",
    "daan",
    "lotte",
    "mila",
    "ruben",
    "koen",
    "sophie",
    "julien",
    "camille",
    "louis",
    "chloe",
    "mathis",
    "lea",
    "hugo",
    "zoe",
    "wobbly",
    "sleepy",
    "spacey",
    "mellow",
)
USER_PARTS_B = ("_nl", "420", "88", "_x", "bear", "cat", "wolf", "_fr", "2000", "99", "fox", "_", "owl", "77")

ROUTES = {
    "en": ("snorted", "swallowed", "railed", "plugged", "IV", "bombed", "vaped", "smoked"),
    "nl": ("gesnoven", "geslikt", "geplugd", "gebombd", "gerookt", "gedampt", "IV"),
    "fr": ("sniffé", "gobé", "en plug", "en parachute", "fumé", "vapoté", "IV"),
}
EFFECTS = {
    "en": (
        "euphoria",
        "energy",
        "talkative",
        "warm body high",
        "music sounded amazing",
        "strong urge to redose",
        "visuals",
        "felt very social",
        "clean come-up",
        "mild come-down",
    ),
    "nl": (
        "euforie",
        "energie",
        "spraakzaam",
        "lekker warm gevoel",
        "muziek klonk geweldig",
        "drang om bij te nemen",
        "visuals",
        "heel sociaal",
        "soepele opkomst",
        "milde dip",
    ),
    "fr": (
        "euphorie",
        "énergie",
        "bavard",
        "sensation de chaleur",
        "la musique était incroyable",
        "grosse envie de reprendre",
        "visuels",
        "très sociable",
        "montée douce",
        "descente légère",
    ),
}
ADVERSE = {
    "en": ("nausea", "paranoia", "jaw clenching", "heart racing", "insomnia", "anxiety", "headache", "vomiting"),
    "nl": (
        "misselijkheid",
        "paranoia",
        "kaakklemmen",
        "hartkloppingen",
        "slapeloosheid",
        "angst",
        "hoofdpijn",
        "overgeven",
    ),
    "fr": (
        "nausée",
        "parano",
        "mâchoire serrée",
        "palpitations",
        "insomnie",
        "angoisse",
        "mal de tête",
        "vomissements",
    ),
}
SEVERE = {
    "en": ("a seizure", "psychosis", "ended up in hospital", "passed out", "chest pain", "hallucinations for hours"),
    "nl": (
        "een epileptische aanval",
        "een psychose",
        "in het ziekenhuis beland",
        "flauwgevallen",
        "pijn op de borst",
        "urenlang hallucinaties",
    ),
    "fr": (
        "une crise d'épilepsie",
        "une psychose",
        "fini aux urgences",
        "perdu connaissance",
        "douleur à la poitrine",
        "des hallucinations pendant des heures",
    ),
}
NEGATED = {
    "en": ("no nausea", "no paranoia", "no headache the day after", "no jaw clenching"),
    "nl": ("geen misselijkheid", "geen paranoia", "geen hoofdpijn de dag erna", "geen kaakklemmen"),
    "fr": ("pas de nausée", "aucune parano", "pas de mal de tête le lendemain", "pas de mâchoire serrée"),
}
