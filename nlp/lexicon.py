"""The substance lexicon: loads ``nlp/data/lexicon.json`` into lookup tables keyed by normalised form.

Lookup order used by the matcher: exact case-sensitive form for one- and two-letter forms ("H", "G", "MD"), then the
``form_key`` of one or more tokens ("3 MMC" = "3-mmc" = "3mmc"), then the ``sound_key`` of a single word for
misspellings ("mefedron", "kokain"). Forms tagged with a language only count in texts of that language.
``forms`` keeps every keyed form as written, from which the matcher builds its spaCy patterns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from nlp.data import DATA_DIR
from nlp.errors import DataFileError
from nlp.normalize import form_key, sound_key

DEFAULT_LEXICON = DATA_DIR / "lexicon.json"
EFFECT_GROUPS = (
    "stimulant",
    "empathogen",
    "psychedelic",
    "dissociative",
    "opioid",
    "depressant",
    "cannabinoid",
    "deliriant",
    "other",
)


@dataclass(frozen=True)
class Substance:
    id: str
    canonical: str
    effect_group: str
    chemical_group: str
    nps: bool


# Chemical groups of substances that are recognised but never reported as a mention: harm-reduction medicines
# (naloxone), drug test kits ("fentanyl test strips"), stealth labels ("coffee beans"). Being lexicon forms, they win
# over the shorter names inside them and are never novel candidates (nlp/data/sources/not_reported.tsv).
NOT_REPORTED: Final = frozenset(["harm reduction", "test kit", "not a substance"])
# The chemical group of substances used alongside drugs (alcohol, tobacco, nicotine, caffeine): reported, never NPS,
# never a signal (nlp/data/sources/co_use.tsv; docs/extraction.md).
CO_USE: Final = "co-use"


@dataclass(frozen=True)
class FormHit:
    """One lexicon form behind a key: which substance, whether it needs context, which language it belongs to;
    ``own``: it needs context of its own kind (a strain name near a cannabis word, "bars" near a benzo word; see
    ``nlp/data/substance_cues.json``), and ``capital``: such a form counts only as written with a capital letter
    ("Amnesia" the strain, not "amnesia" the effect)."""

    substance: Substance
    ambiguous: bool
    lang: str | None
    own: bool = False
    capital: bool = False


class Lexicon:
    """Lookup tables over the substance lexicon. Build with :meth:`from_records` or :meth:`load`."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.substances: dict[str, Substance] = {}
        self.by_key: dict[str, list[FormHit]] = {}
        self.short_forms: dict[str, list[FormHit]] = {}
        self.by_sound: dict[str, Substance | None] = {}
        self.forms: list[tuple[str, FormHit]] = []
        for record in records:
            self._add_record(record)

    @classmethod
    def load(cls, path: Path = DEFAULT_LEXICON) -> Lexicon:
        """Read a lexicon file: ``{"notice": ..., "substances": [...]}`` as ``build_lexicon`` writes it, or a bare
        JSON array of substances."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataFileError(f"expected a JSON lexicon in {path}, could not read it: {exc}") from exc
        records = data.get("substances") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise DataFileError(
                f"expected a JSON array of substances (or an object with one under 'substances') in {path}, "
                f"found {type(data).__name__}"
            )
        return cls(records)

    def to_data(self) -> dict[str, list[Any]]:
        """The lookup tables as lists of plain values (for msgpack), keys computed: :meth:`from_data` makes the same
        lexicon again without computing every form's keys. A hit in ``by_key`` and ``forms`` is one object, and
        stays one; hits are numbered, substances named by id."""
        hits: list[FormHit] = []
        numbers: dict[int, int] = {}
        every = [h for hs in (*self.by_key.values(), *self.short_forms.values()) for h in hs]
        for hit in every + [h for _, h in self.forms]:
            if id(hit) not in numbers:
                numbers[id(hit)] = len(hits)
                hits.append(hit)
        substances = self.substances.values()
        return {
            "substances": [[s.id, s.canonical, s.effect_group, s.chemical_group, s.nps] for s in substances],
            "hits": [[h.substance.id, h.ambiguous, h.lang, h.own, h.capital] for h in hits],
            "by_key": [[key, [numbers[id(h)] for h in hs]] for key, hs in self.by_key.items()],
            "short_forms": [[text, [numbers[id(h)] for h in hs]] for text, hs in self.short_forms.items()],
            "by_sound": [[key, None if s is None else s.id] for key, s in self.by_sound.items()],
            "forms": [[text, numbers[id(hit)]] for text, hit in self.forms],
        }

    @classmethod
    def from_data(cls, data: dict[str, list[Any]]) -> Lexicon:
        """The lexicon whose :meth:`to_data` is ``data``."""
        lexicon = cls([])
        substances = lexicon.substances
        for sid, canonical, effect_group, chemical_group, nps in data["substances"]:
            substances[sid] = Substance(sid, canonical, effect_group, chemical_group, nps)
        hits = [FormHit(substances[sid], ambiguous, lang, own, capital)
                for sid, ambiguous, lang, own, capital in data["hits"]]  # fmt: skip
        lexicon.by_key = {key: [hits[n] for n in numbers] for key, numbers in data["by_key"]}
        lexicon.short_forms = {text: [hits[n] for n in numbers] for text, numbers in data["short_forms"]}
        lexicon.by_sound = {key: None if sid is None else substances[sid] for key, sid in data["by_sound"]}
        lexicon.forms = [(text, hits[n]) for text, n in data["forms"]]
        return lexicon

    def _add_record(self, record: dict[str, Any]) -> None:
        try:
            substance = Substance(
                id=str(record["id"]),
                canonical=str(record["canonical"]),
                effect_group=str(record["effect_group"]),
                chemical_group=str(record["chemical_group"]),
                nps=bool(record["nps"]),
            )
            forms = list(record["forms"])
        except (KeyError, TypeError) as exc:
            raise DataFileError(f"lexicon record {record!r:.80} lacks a field: {exc}") from exc
        if substance.effect_group not in EFFECT_GROUPS:
            raise DataFileError(
                f"{substance.canonical}: expected an effect group in {EFFECT_GROUPS}, found {substance.effect_group!r}"
            )
        self.substances[substance.id] = substance
        for form in forms:
            self._add_form(
                substance,
                str(form["text"]),
                bool(form.get("ambiguous", False)),
                form.get("lang"),
                bool(form.get("case")),
                bool(form.get("own")),
            )

    def _add_form(
        self, substance: Substance, text: str, ambiguous: bool, lang: str | None, case: bool, own: bool = False
    ) -> None:
        key = form_key(text)
        if not key:
            return
        hit = FormHit(substance, ambiguous or own, lang, own, own and text[:1].isupper())
        if len(key) <= 2 or case:
            # One- and two-letter forms ("H", "G", "MD") and word-like acronyms ("MET", "DOC") match only as written,
            # and always need context.
            self.short_forms.setdefault(text, []).append(FormHit(substance, True, lang))
            return
        self.by_key.setdefault(key, []).append(hit)
        self.forms.append((text, hit))
        if not ambiguous:
            skey = sound_key(text)
            if skey:
                previous = self.by_sound.get(skey, substance)
                self.by_sound[skey] = substance if previous is substance else None

    @staticmethod
    def pick(hits: list[FormHit], lang: str | None) -> FormHit | None:
        """The hit that applies in ``lang``: a form of that language first, then an untagged form."""
        untagged = None
        for hit in hits:
            if hit.lang is not None and hit.lang == lang:
                return hit
            if hit.lang is None and untagged is None:
                untagged = hit
        return untagged

    def co_use(self) -> frozenset[str]:
        """Canonical names of the co-used substances (chemical group ``co-use``), which never feed a signal."""
        return frozenset(s.canonical for s in self.substances.values() if s.chemical_group == CO_USE)

    def by_canonical(self, name: str) -> Substance | None:
        key = form_key(name)
        for hit in self.by_key.get(key, []):
            if not hit.ambiguous:
                return hit.substance
        return None

    def stats(self) -> dict[str, int]:
        n_forms = sum(len(v) for v in self.by_key.values()) + sum(len(v) for v in self.short_forms.values())
        return {"substances": len(self.substances), "forms": n_forms, "keys": len(self.by_key)}
