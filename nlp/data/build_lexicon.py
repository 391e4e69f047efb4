"""Build ``nlp/data/lexicon.json`` from its two sources.

Inputs:
- the TripSit drug database (``drugs.json``, ISC licence), which the project does not ship: it is read from
  ``../shared/data/tripsit/drugs.json`` beside the project (``--shared`` names another directory). Only factual
  fields are read: ``name``, ``pretty_name``, ``aliases`` and ``categories``. Without it the lexicon is not built
  (a message says where the file was looked for) and ``lexicon.json`` stays as it is;
- ``sources/curated_substances.tsv``: npswatch's own list (NPS families, street names, NL/FR/DE slang, medicines);
- the topic lists ``sources/plants.tsv`` (ethnobotanicals, with the substance they are a source of as canonical:
  San Pedro -> mescaline), ``sources/pharmaceuticals.tsv`` (misused medicines, brands, misspellings),
  ``sources/cannabis.tsv`` (cannabis as sold: strains and products), ``sources/co_use.tsv`` (alcohol, tobacco,
  nicotine, caffeine: chemical group ``co-use``) and ``sources/not_reported.tsv`` (harm-reduction medicines and drug
  test kits: recognised, never reported). Their sixth column names the public references the row's facts (names,
  aliases, groups) are documented in, ids of ``sources/references.tsv``; the lexicon records them per substance.
A row that names a TripSit substance (by canonical name or any form) is merged into it and wins on every column it
fills; rows of the later files are merged the same way into earlier rows.

The lexicon carries a notice of its sources (``notice``: each source with its licence, what was read from it and
the SHA-256 of the file read), and every substance the ids of the sources it comes from. Run
``python -m nlp.data.build_lexicon`` after editing a source and review the diff of ``lexicon.json``; it also
writes the serialised matcher tables again (:mod:`nlp.tables`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.lexicon import EFFECT_GROUPS
from nlp.normalize import form_key
from nlp.resources import LANGS

HERE = Path(__file__).parent
SOURCES = HERE / "sources"
OUT = HERE / "lexicon.json"
SHARED = HERE.parent.parent.parent / "shared" / "data"  # ../shared/data beside the project
TRIPSIT = Path("tripsit") / "drugs.json"


# TripSit aliases that are ordinary words or too short to trust without drug context.
AMBIGUOUS_ALIASES = {
    "aa",
    "aces",
    "acid",
    "adam",
    "b1",
    "bd",
    "beer",
    "bees",
    "cid",
    "clam",
    "dex",
    "dust",
    "eden",
    "eve",
    "flam",
    "foxy",
    "hash",
    "ice",
    "k",
    "lucy",
    "md",
    "pep",
    "pepp",
    "rize",
    "soma",
    "special k",
    "tik",
    "towa",
    "tram",
    "weed",
    "x",
    "yage",
    "dm",
    "zoly",
    "mph",
    "kitty",
    "kittens",
    "molly",
    "mandy",
    "speed",
    "crystal",
    "glass",
    "tina",
    "snow",
    "blow",
    "charlie",
    "rock",
    "base",
    "gear",
    "juice",
    "tea",
    "done",
    "bars",
    "blues",
    "pink",
    "g",
    "h",
    "e",
    "m",
    "c",
    "o",
    "t",
    "l",
    "booze",
    "wine",
    "sub",
    "ket",
}
# Acronyms that are also ordinary words in lower case ("met", "doc", "off", Dutch "nep" = fake, "doe" = do): they
# match only as written in upper case ("MET", "DOC"), and only with drug context.
CASE_SENSITIVE = {
    "off",
    "met",
    "doc",
    "don",
    "dom",
    "det",
    "doe",
    "dob",
    "bod",
    "mem",
    "hero",
    "php",
    "pce",
    "mpa",
    "maf",
    "mde",
    "dpt",
    "dof",
    "odt",
    "cmd",
    "nep",
    "aet",
    "afa",
    "ept",
    "iap",
    "mnt",
    "cpm",
    "ipp",
    "bdo",
    "neb",
    "eph",
    "mda",
    "stp",
    "tma",
    "pma",
    "lsm",
    "pca",
    "dmc",
    "mxp",
    "mcat",
    "neh",
    "amt",
    "iph",
    "pph",
    "dhc",
    "dalt",
    "nek",
    "doet",
    "dipt",
    "mipt",
    "eipt",
    "pipt",
    "dcek",
    "mnp",
    "npp",
    "bmk",
    "pmk",
    "fln",
    "cpf",
    "mmq",
    "mtta",
}
# Forms that are ordinary words in one of the four languages: they need drug context wherever they come from.
EXTRA_AMBIGUOUS = {
    "angel",
    "hearts",
    "curie",
    "ether",
    "vigil",
    "nexus",
    "syrup",
    "hooch",
    "versed",
    "sonata",
    "revia",
    "toads",
    "pilze",
    "doral",
    "melex",
    "planum",
    "restas",
    "talwin",
    "gravol",
    "gaba",
    "dormin",
    "meow",
    "miaow",
    "crack",
    "smack",
    "perc",
    "hecate",
    "monase",
    "lampa",
    "jeebs",
    "enzed",
    "morning glory",
    "ice",
    "crystal",
    "paper",
    "rock",
    "gear",
    "press",
    "pressed",
    "boy",
    "kitty",
    "cat",
    "wax",
    "balloons",
    "paste",
    "glass",
    "white",
    "drank",
    "seeds",
    "pods",
    "drone",
    "bubbles",
    "lean",
    "purple drank",
    "juice",
    "lucy",
    "beans",
    "rolls",
    "molly",
    "mandy",
    "tina",
    "special k",
    "vitamin k",
    "base",
    "sub",
    "subs",
    "bars",
    "blues",
    "lines",
    "tabs",
    "trips",
    "bud",
    "buds",
    "herb",
    "grass",
    "flower",
    "hash",
    "pot",
    "joint",
    "joints",
    "tar",
    "brown",
    "horse",
    "junk",
    "chiva",
    "h",
    "g",
    "k",
    "x",
    "e",
    "md",
    "m",
    "c",
    "dust",
    "angel dust",
    "snow",
    "blow",
    "charlie",
    "flake",
    "yay",
    "hydro",
    "opi",
    "opie",
    "tram",
    "trams",
    "sass",
    "sally",
    "eve",
    "adam",
    "eden",
    "foxy",
    "moxy",
    "toad",
    "aya",
    "sage",
    "iso",
    "pink",
    "pinky",
    "hex",
    "dex",
    "robo",
    "skittles",
    "nos",
    "whippets",
    "poppers",
    "rush",
    "gas",
    "pcp",
    "oxy",
    "speed",
    "buttons",
    "pheno",
    "gbh",
}
# Street names that mean one drug in drug talk almost always; kept unambiguous on purpose (see docs/extraction.md).
UNAMBIGUOUS_STREET = {"dope", "lope", "oxy", "weed", "bupe", "trams", "kpins", "percs", "roxys", "xans", "subs"}
# TripSit aliases dropped outright: they collide with common words or other substances.
DROPPED_ALIASES = {
    "morning",
    "o",
    "al",
    "san",
    "wet",
    "dot",
    "pea",
    "mal",
    "ip",
    "vf",
    "dot2",
    "tpa",
    "pv-7",
    "bf",
    "mbq",
}


@dataclass
class Form:
    text: str
    lang: str | None
    ambiguous: bool
    curated: bool = False
    case: bool = False
    own: bool = False  # counts only with context of its own kind ("^" in a source file; see nlp.lexicon.FormHit)


@dataclass
class Entry:
    id: str
    canonical: str
    effect_group: str
    chemical_group: str
    nps: bool
    sources: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)

    def keys(self) -> set[str]:
        return {form_key(self.canonical)} | {form_key(f.text) for f in self.forms}

    def add_form(self, form: Form) -> None:
        key = form_key(form.text)
        if not key:
            return
        for existing in self.forms:
            if existing.text == form.text and existing.lang == form.lang:
                existing.ambiguous = form.ambiguous if form.curated else existing.ambiguous and form.ambiguous
                existing.own = form.own if form.curated else existing.own
                existing.curated = existing.curated or form.curated
                return
        self.forms.append(form)


def effect_group_from_categories(name: str, cats: list[str]) -> str:
    cats = [c.lower() for c in cats]
    if "benzodiazepine" in cats or "barbiturate" in cats:
        return "depressant"
    if re.search(r"(pinaca|pica|binaca|jwh|am-22|cumyl|ur-144|xlr)", name):
        return "cannabinoid"
    if name in {"cannabis", "marinol"}:
        return "cannabinoid"
    if "empathogen" in cats and "psychedelic" in cats:
        return "empathogen"
    for group in ("opioid", "dissociative", "deliriant", "psychedelic", "stimulant", "empathogen", "depressant"):
        if group in cats:
            return group
    return "other"


CHEMICAL_RULES: list[tuple[str, str]] = [
    (r"nitazen|nitazepyne", "nitazene"),
    (r"fent", "fentanyl analogue"),
    (r"(pinaca|pica|binaca|jwh|am-22|cumyl|ur-144|xlr|akb48|pb-22)", "synthetic cannabinoid"),
    (r"(azolam|azepam|zepam|zolam|diazepam)$", "benzodiazepine"),
    (r"barbit", "barbiturate"),
    (r"lsd|lad$|lsz|lsm-775|lsa|mipla", "lysergamide"),
    (
        r"nbome|nboh|nbf|nbmd|^2c-|^3c-|^bk-2c|^βh-2c|escaline|mescaline|scaline|dragonfly|^aleph|^tma|^dimemebfe",
        "phenethylamine",
    ),
    (
        r"(dmt|mipt|dipt|dpt|det|met|ept|mpt|dalt|malt|amt|pipt|pyr-t|dibf|^aet|^5-it|ho-mpmi|mcpt|eipt|nipt)$",
        "tryptamine",
    ),
    (r"(pcp|pce|pcpr|pcpy|pcmo|ketamine|dck|mxe|^mxm|ethketamine|rolicyclidine|tiletamine)", "arylcyclohexylamine"),
    (r"phenidine|lintane", "diarylethylamine"),
    (
        r"(mmc|cmc|bmc|fmc|mec|emc|cec|pvp|php|pihp|pbp|pvt|one$|drone$|ylone$|^neb|^4f-neb|hexen|^mpd|4-mpd|4-epd|naphyrone|pyrophenidone|ethylcathinone|cathinone|cbc|cic|^pv-)",
        "synthetic cathinone",
    ),
    (r"(apb|apdb|mapb|eapb|mapdb|apdi)$", "benzofuran"),
    (r"(^2-ai|mdai|iai|^nm-2-ai)", "aminoindane"),
    (r"(bzp|mcpp|piperazine)", "piperazine"),
    (r"(phenidate|^4-fluoromethylphenidate|^4-fluoroethylphenidate|ctmp|hdmp|hdep)", "phenidate"),
    (
        r"(amphetamine|^[234]-f[em]?a$|^mda|^mdea|^mbdb|^pma|^dob|^doc|^doi|^dom|^doet|^don|^dopr|^doip|^4-fa|"
        r"^4-fma|^4-ea|^4-cma|^4-mta|^mdpa|^mdoh|^mmda|methamnetamine|^4-fea|^2-fea|^3-fea)",
        "amphetamine",
    ),
    (
        r"(morphine|codeine|cod one|done$|oxy|mitrag|kratom|heroin|opium|tramadol|tapentadol|u-4|u-5|ah-7921|mt-45|"
        r"bromadol|isomethadone|methadone|dipipanone|ketobemidone|tilidine|pentazocine|buprenorphine|demerol|"
        r"morpheridine|palfium|propoxyphene|w-15|mppp|nicomorphine|ethylmorphine)",
        "other opioid",
    ),
    (r"(ghb|gbl|butanediol)", "GHB-related"),
    (r"(zolpidem|zopiclone|zaleplon|sonata)", "z-drug"),
    (r"(phenibut|pregabalin|gabapentin|tolibut)", "gabapentinoid"),
    (r"qualone", "quinazolinone"),
    (r"racetam|noopept", "racetam"),
    (r"(phenmetrazine|fpm$|phendimetrazine)", "phenmetrazine"),
    (r"aminorex|dmar$", "aminorex"),
]


NPS_FAMILIES = {
    "synthetic cathinone",
    "synthetic cannabinoid",
    "nitazene",
    "benzofuran",
    "aminoindane",
    "piperazine",
    "phenidate",
    "diarylethylamine",
    "semi-synthetic cannabinoid",
}


def chemical_group_for(name: str, cats: list[str]) -> str:
    lowered = name.lower()
    if "benzodiazepine" in [c.lower() for c in cats]:
        return "benzodiazepine"
    for pattern, group in CHEMICAL_RULES:
        if re.search(pattern, lowered):
            return group
    if "opioid" in cats:
        return "other opioid"
    return "other"


_QUANTITY_LIKE = re.compile(r"^\d+(?:[.,]\d+)?\s?(?:g|mg|kg|ml|oz|lb|ug|mcg|x)$", re.IGNORECASE)


def parse_form(raw: str) -> Form | None:
    """A form of a source file: ``~`` ambiguous (needs drug context), ``^`` needs context of its own kind (implies
    ambiguous), ``nl:``/``fr:``/``de:``/``en:`` the language it belongs to, a trailing "(note)" is dropped."""
    raw = raw.strip()
    if not raw or raw == "-":
        return None
    ambiguous = own = False
    lang: str | None = None
    for _ in range(2):
        if raw.startswith("~"):
            ambiguous, raw = True, raw[1:]
        if raw.startswith("^"):
            ambiguous, own, raw = True, True, raw[1:]
        match = re.match(r"^(nl|fr|de|en):", raw)
        if match:
            lang, raw = match.group(1), raw[3:]
    raw = re.sub(r"\s*\([^)]*\)\s*$", "", raw).strip()  # "(heroin)"-style notes disambiguate the row only
    if not raw:
        return None
    return Form(raw, lang, ambiguous, own=own)


def load_tripsit(path: Path) -> list[Entry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = []
    for name, record in sorted(data.items()):
        cats = list(record.get("categories") or [])
        chemical_group = chemical_group_for(name, cats)
        entry = Entry(
            id=name,
            canonical=str(record.get("pretty_name") or name),
            effect_group=effect_group_from_categories(name, cats),
            chemical_group=chemical_group,
            # TripSit marks most NPS "research-chemical"; members of NPS families count too (a curated row decides
            # for the classics such as LSD, DMT or mescaline)
            nps="research-chemical" in cats or chemical_group in NPS_FAMILIES,
            sources=["tripsit"],
        )
        names = [name, str(record.get("pretty_name") or name), *record.get("aliases", [])]
        for alias in names:
            low = alias.lower().strip()
            if low in DROPPED_ALIASES or _QUANTITY_LIKE.match(low):
                continue
            ambiguous = low in AMBIGUOUS_ALIASES or len(form_key(alias)) <= 2
            if len(form_key(alias)) == 1 and alias.islower():
                continue  # single lower-case letters ("x", "k") are words; the upper-case form is curated
            entry.add_form(Form(alias.replace("-", "-"), None, ambiguous))
        entries.append(entry)
    return entries


# the source files, in merge order: the first is npswatch's general list (5 columns, its references optional), the
# others are topic lists whose sixth column names the references of each row (ids of references.tsv)
SOURCE_FILES = (
    "curated_substances.tsv",
    "plants.tsv",
    "pharmaceuticals.tsv",
    "cannabis.tsv",
    "co_use.tsv",
    "not_reported.tsv",
)
REFERENCES = "references.tsv"
Row = tuple[str, str, str, str, list[Form], list[str]]


def load_references() -> dict[str, dict[str, str]]:
    """``references.tsv``: id, name, URL, what is taken from it (facts: names, aliases, groups)."""
    refs = {}
    for lineno, line in enumerate((SOURCES / REFERENCES).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 4:
            raise SystemExit(f"{REFERENCES}:{lineno}: expected 4 tab-separated columns, found {len(cols)}")
        refs[cols[0]] = {"id": cols[0], "name": cols[1], "url": cols[2], "read": cols[3]}
    return refs


def load_curated(refs: dict[str, dict[str, str]] | None = None) -> list[Row]:
    """Every source file's rows (canonical, effect group, chemical group, nps, forms, reference ids)."""
    refs = load_references() if refs is None else refs
    rows = []
    for name in SOURCE_FILES:
        for lineno, line in enumerate((SOURCES / name).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            rows.append(_row(name, lineno, line.split("\t"), refs))
    return rows


def _row(name: str, lineno: int, cols: list[str], refs: dict[str, dict[str, str]]) -> Row:
    width = (5, 6) if name == SOURCE_FILES[0] else (6,)
    if len(cols) not in width:
        raise SystemExit(
            f"{name}:{lineno}: expected {' or '.join(map(str, width))} tab-separated columns, found {len(cols)}"
        )
    canonical, effect, chem, nps, forms_raw = cols[:5]
    cited = [r for r in (cols[5].split("|") if len(cols) == 6 else []) if r.strip() and r != "-"]
    if effect != "-" and effect not in EFFECT_GROUPS:
        raise SystemExit(f"{name}:{lineno}: effect group {effect!r} is not one of {EFFECT_GROUPS}")
    unknown = [r for r in cited if r not in refs]
    if unknown:
        raise SystemExit(f"{name}:{lineno}: reference {unknown[0]!r} is not in {REFERENCES}")
    if name != SOURCE_FILES[0] and not cited:
        raise SystemExit(f"{name}:{lineno}: expected the references of the row in column 6, found none")
    forms = [f for f in (parse_form(x) for x in forms_raw.split("|")) if f is not None]
    for form in forms:
        form.curated = True
    return canonical, effect, chem, nps, forms, cited


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9α-ω,'+]+", "-", text.lower()).strip("-")


def merge(tripsit: list[Entry], curated: list[Row]) -> list[Entry]:
    by_key: dict[str, Entry] = {}
    for entry in tripsit:
        for key in [form_key(entry.id), form_key(entry.canonical)]:
            by_key.setdefault(key, entry)
    alias_key: dict[str, Entry] = {}
    for entry in tripsit:
        for form in entry.forms:
            if not form.ambiguous:
                alias_key.setdefault(form_key(form.text), entry)
    entries = list(tripsit)
    for canonical, effect, chem, nps, forms, cited in curated:
        target = by_key.get(form_key(canonical))
        if target is None:
            for form in forms:
                if not form.ambiguous and form_key(form.text) in by_key:
                    target = by_key[form_key(form.text)]
                    break
        if target is None:
            target = alias_key.get(form_key(canonical))
        if target is None:
            target = Entry(slug(canonical), canonical, "other", "other", False, [])
            entries.append(target)
            by_key[form_key(canonical)] = target
        target.canonical = canonical
        if effect != "-":
            target.effect_group = effect
        if chem != "-":
            target.chemical_group = chem
        if nps != "-":
            target.nps = nps == "1"
        for source in ("npswatch", *cited):
            if source not in target.sources:
                target.sources.append(source)
        target.add_form(Form(canonical, None, False, curated=True))
        for form in forms:
            target.add_form(form)
        # a later row (a topic file) names this entry by its canonical name or a form
        by_key.setdefault(form_key(canonical), target)
        for form in forms:
            if not form.ambiguous:
                alias_key.setdefault(form_key(form.text), target)
    return entries


def resolve_conflicts(entries: list[Entry]) -> list[str]:
    """A form key names one substance per language tag.

    A form written in a curated row beats one inherited from TripSit aliases; among equals, curated entries win,
    then the entry with the smaller id. Entries left without forms are dropped (reported).
    """
    owner: dict[tuple[str, str], tuple[Entry, bool]] = {}
    report = []
    ordered = sorted(entries, key=lambda e: ("npswatch" not in e.sources, e.id))
    for entry in ordered:
        for form in entry.forms:
            slot = (form_key(form.text), form.lang or "*")
            holder = owner.get(slot)
            if holder is None or (form.curated and not holder[1]):
                if holder is not None and holder[0] is not entry:
                    report.append(f"{form.text!r}: moved from {holder[0].canonical} to {entry.canonical}")
                owner[slot] = (entry, form.curated)
            elif holder[0] is not entry:
                report.append(f"{form.text!r}: kept for {holder[0].canonical}, dropped from {entry.canonical}")
    for entry in entries:
        entry.forms = [f for f in entry.forms if owner[(form_key(f.text), f.lang or "*")][0] is entry]
    for entry in entries:
        if not entry.forms:
            report.append(f"{entry.canonical}: no forms left, dropped")
    entries[:] = [e for e in entries if e.forms]
    return report


_DESCRIPTOR = re.compile(
    r"^(?P<core>.+?)[\s-]+(?:crystals?|kristal|kristallen|kristalle|cristaux|paste|pasta|bars?|flowers?|blüten|bloemen|"
    r"fleurs|hcl|hbr|pellets?|vapes?|pillen|pills?|tabs?|tablets?|papers?|powder|poeder|pulver|blotters?|patch|oil|"
    r"extract|sodium|sulfate|sulphate|citrate|tartrate|fumarate|spray|strips|shards|needles)$",
    re.IGNORECASE,
)


def drop_descriptor_forms(entries: list[Entry]) -> None:
    """ "MDMA crystals", "Xanax bars", "HHC flower": the name is the mention, the product word is not."""
    for entry in entries:
        keys = {form_key(f.text) for f in entry.forms}
        kept = []
        for form in entry.forms:
            match = _DESCRIPTOR.match(form.text)
            if match and form_key(match.group("core")) in keys:
                continue
            kept.append(form)
        entry.forms = kept


def apply_word_policy(entries: list[Entry]) -> None:
    """Case-sensitive acronyms, extra ambiguous words and deliberately unambiguous street names (see the sets)."""
    for entry in entries:
        kept: list[Form] = []
        for form in entry.forms:
            low = form.text.lower()
            # an accented spelling of a language ("héro") is no English acronym ("hero"): only the word as written
            if low in CASE_SENSITIVE or (form_key(form.text) in CASE_SENSITIVE and form.text.isascii()):
                if form.text == low:
                    form = Form(form.text.upper(), form.lang, True, form.curated, True)
                else:
                    form.case, form.ambiguous = True, True
                if any(f.text == form.text and f.lang == form.lang for f in kept):
                    continue
            elif low in UNAMBIGUOUS_STREET and form.lang in (None, "en"):
                form.ambiguous = False
            elif low in EXTRA_AMBIGUOUS and not (form.lang and form.lang != "en" and low == "speed"):
                form.ambiguous = True
            kept.append(form)
        entry.forms = kept


def notice(tripsit: Path) -> dict[str, Any]:
    """Where the lexicon's facts come from (``sources`` of each substance names these ids): TripSit, npswatch's source
    files (with the SHA-256 of each file read) and the public references the topic lists cite."""
    references = [
        {**ref, "licence": "facts (names, aliases, groups) as documented there; no text copied"}
        for ref in load_references().values()
    ]
    return {
        "generated_by": "nlp/data/build_lexicon.py",
        "sources": [
            {
                "id": "tripsit",
                "name": "TripSit drug database",
                "url": "https://github.com/TripSit/drugs",
                "licence": "ISC, (c) TripSit and the TripSit/drugs contributors",
                "read": "name, pretty_name, aliases and categories of each drug (not shipped with npswatch)",
                "sha256": hashlib.sha256(tripsit.read_bytes()).hexdigest(),
            },
            {
                "id": "npswatch",
                "name": "npswatch curated substances",
                "files": {
                    f"nlp/data/sources/{name}": hashlib.sha256((SOURCES / name).read_bytes()).hexdigest()
                    for name in (*SOURCE_FILES, REFERENCES)
                },
                "licence": "AGPL-3.0-or-later, written by the npswatch developers",
            },
            *references,
        ],
    }


def render(entries: list[Entry], about: dict[str, Any]) -> str:
    """The lexicon file: its notice, then one substance per line."""
    lines = []
    for entry in entries:
        record = {
            "id": entry.id,
            "canonical": entry.canonical,
            "effect_group": entry.effect_group,
            "chemical_group": entry.chemical_group,
            "nps": entry.nps,
            "sources": entry.sources,
            "forms": [
                {
                    "text": f.text,
                    **({"lang": f.lang} if f.lang else {}),
                    **({"ambiguous": True} if f.ambiguous else {}),
                    **({"case": True} if f.case else {}),
                    **({"own": True} if f.own else {}),
                }
                for f in entry.forms
            ],
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    head = json.dumps(about, ensure_ascii=False, indent=1)
    return '{"notice": ' + head + ',\n"substances": [\n' + ",\n".join(lines) + "\n]}\n"


def build(tripsit: Path) -> tuple[list[Entry], list[str]]:
    entries = merge(load_tripsit(tripsit), load_curated())
    drop_descriptor_forms(entries)
    apply_word_policy(entries)
    conflicts = resolve_conflicts(entries)
    entries.sort(key=lambda e: e.id)
    return entries, conflicts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build nlp/data/lexicon.json from its sources.")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write (default: nlp/data/lexicon.json)")
    parser.add_argument("--shared", type=Path, default=SHARED, help="directory with tripsit/drugs.json")
    parser.add_argument("--no-tables", action="store_true", help="do not write the matcher tables again")
    args = parser.parse_args(argv)
    tripsit = args.shared / TRIPSIT
    if not tripsit.is_file():
        print(
            f"skipped: the TripSit drug database is not at {tripsit} (npswatch does not ship it; put it there or "
            f"name its directory with --shared); {args.out} is left as it is",
            file=sys.stderr,
        )
        return 0
    entries, conflicts = build(tripsit)
    args.out.write_text(render(entries, notice(tripsit)), encoding="utf-8")
    n_forms = sum(len(e.forms) for e in entries)
    n_keys = len({form_key(f.text) for e in entries for f in e.forms})
    print(f"{len(entries)} substances, {n_forms} surface forms ({n_keys} distinct after normalisation) -> {args.out}")
    print(f"{len(conflicts)} form conflicts resolved", file=sys.stderr)
    for line in conflicts:
        print("  " + line, file=sys.stderr)
    if args.out == OUT and not args.no_tables:
        from nlp import tables

        for path in tables.write(tuple(LANGS)):
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
