"""npswatch's French class (nlp.tokenizer.french_language: spaCy's French rebuilt from stored data, without importing
spacy.lang.fr's slow tokenizer_exceptions) tokenizes exactly as spaCy's own French with the chemical infixes.

Every French text of the gold and hold-out sets (the sealed sets B and C, tests/nlp/gold/holdout4_fr.tsv,
holdout5_fr.tsv, fields4.tsv and fields5.tsv, too: they are only tokenized, and a difference names the file and line,
never the text) and a generated stress set are tokenized by both; tokens and whitespace must be identical. The
hold-out beds under bench/markets/ have no French.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokenizer import Tokenizer

from nlp import tokenizer
from nlp.errors import DataFileError
from nlp.evaluate import GOLD_DIR, load_fields, load_gold

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.slow  # builds spaCy's own French beside ours (its regexes: seconds)


@pytest.fixture(scope="module")
def ours() -> Language:
    french = tokenizer.french_language()
    assert french is not None, f"expected the French tokenizer data at {tokenizer.FRENCH_DATA} (`make install`)"
    return tokenizer.chemical_language(french).from_config({})


@pytest.fixture(scope="module")
def stock() -> Language:
    from spacy.lang.fr import French

    return tokenizer.chemical_language(French).from_config({})


def _texts() -> dict[str, list[str]]:
    """Each set's French texts (the gold and hold-out sets, the field sets), by file name."""
    sets = {f"{prefix}_fr.tsv": [t.text for t in load_gold(prefix=prefix) if t.lang == "fr"]
            for prefix in ("gold", "holdout", "holdout2", "holdout3", "holdout4", "holdout5")}  # fmt: skip
    for name in ("fields.tsv", "fields3.tsv", "fields4.tsv", "fields5.tsv"):
        sets[name] = [row.text for row in load_fields(GOLD_DIR / name) if row.lang == "fr"]
    return sets


WORDS = [
    # elisions, before vowels, h and capitals, with both apostrophes
    *(
        f"{e}{q}{w}"
        for e in ("l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "L", "D", "Qu", "QU")
        for q in ("'", "’")
        for w in ("ecstasy", "héroïne", "Aujourd'hui", "usage", "MDMA", "3-MMC", "4-FA", "un")
    ),
    # hyphenated words: spaCy's own exceptions and its prefix rules, in three cases
    *(
        w
        for base in (
            "anti-drogue",
            "néo-nazi",
            "après-midi",
            "peut-être",
            "pet-en-l'air",
            "saut-de-ski",
            "est-ce",
            "a-t-il",
            "qu'est-ce",
            "c'est-à-dire",
            "Saint-Étienne",
            "grand'mère",
            "entr'aide",
            "rendez-vous",
            "vice-président",
            "semi-synthétique",
            "post-trip",
            "ex-dealer",
            "micro-dosage",
            "hip-hop",
            "black-out",
            "burn-outs",
            "New-York",
            "états-unis",
            "droits-de-l'homme",
            "porte-monnaie",
            "sous-dosé",
            "sur-dosage",
            "auto-test",
            "re-dosé",
            "ré-dosé",
            "télé-achat",
        )
        for w in (base, base.upper(), base.title())
    ),
    *(
        f"{p}{h}{w}"
        for p in ("anti", "pro", "méta", "cyber", "multi", "semi", "ultra", "co", "di")
        for h in ("-", "–", "—", "‐", "‑", "~")
        for w in ("stress", "Défonce", "x", "2", "κ", "дом", "東京")
    ),
    # numbers, amounts, dates
    "10,5",
    "1.000",
    "1 000",
    "3-4",
    "10g",
    "45€",
    "€45",
    "1/2",
    "2e",
    "XIXe",
    "1er",
    "50mg/kg",
    "0,25g",
    "12h30",
    "06/12/2026",
    "+33",
    "-5",
    "~10",
    "x2",
    "2x",
    "n°3",
    "N°3",
    "100%",
    "25µg",
    # URLs, handles, e-mail
    "https://exemple.fr/a?b=c&d=é",
    "http://abc123.onion/annonce/3-MMC",
    "www.exemple.fr",
    "exemple.fr/l'anti-stress",
    "@vendeur_12",
    "#anti-drogue",
    "contact@exemple.fr",
    # emoticons
    ":)",
    ":-(",
    ";)",
    "<3",
    "^^",
    "xD",
    ":p",
    "=)",
    ":'(",
    "-_-",
    "o_O",
    "(:",
    # chemical names
    "3-MMC",
    "2C-B",
    "4-F-MPH",
    "5F-MDMB-PICA",
    "α-PVP",
    "α-PHiP",
    "N-éthylhexédrone",
    "3,4-CTMP",
    "1,4-BD",
    "25I-NBOMe",
    "5-MeO-DMT",
    "4-AcO-DMT",
    "N,N-DMT",
    "(2-fluoro)deschlorokétamine",
    "2-FDCK",
    "1P-LSD",
    "O-DSMT",
    "1,4-butanediol",
    "méthyl-3-méthcathinone",
    "4-HO-MET",
    "Cl-PVP",
    "ADB-BUTINACA",
    "MDMB-4en-PINACA",
    "N-pyrrolidino-étonitazène",
    # abbreviations and other exceptions, and odd letters
    "M.",
    "Mme.",
    "Dr.",
    "J.-C.",
    "etc.",
    "cf.",
    "n°",
    "aujourd’hui",
    "Aujourd'hui",
    "AUJOURD'HUI",
    "ſ",
    "K",
    "İstanbul",
    "straße",
    "Ǆemal",
    "ﬁn",
    "Москва-на-Волге",
    "l'Москва",
    "東京-de-l'est",
    "ΣΊΣΥΦΟΣ-de-lui",
]
WRAPS = ["{}", "({})", "«{}»", "« {} »", "{}.", "{},", "{}...", "{}!?", '"{}"', "[{}]", "{}-là", "l'{}", "{}:", "—{}"]


def _stress() -> list[str]:
    texts = [wrap.format(word) for word in WORDS for wrap in WRAPS]
    rng = random.Random(14)
    texts += [" ".join(rng.sample(WORDS, 8)) for _ in range(300)]
    alphabet = "aeéèêiïoôuüyçAÉÈZkKxXßſαΣдД東京0123456789-–—‐‑~'’.,;:!?()«»/@#%&+ "
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    return texts


def _differences(ours: Language, stock: Language, texts: list[str]) -> list[int]:
    """The indexes of the texts the two tokenize differently (tokens or their whitespace)."""
    return [i for i, text in enumerate(texts)
            if [(t.text, t.whitespace_) for t in ours.make_doc(text)]
            != [(t.text, t.whitespace_) for t in stock.make_doc(text)]]  # fmt: skip


@pytest.mark.parametrize("name", list(_texts()))
def test_french_texts_tokenize_as_spacy_french(ours: Language, stock: Language, name: str) -> None:
    texts = _texts()[name]
    assert texts, f"expected French texts in {name}"
    different = _differences(ours, stock, texts)
    assert not different, f"{name}: texts number {different} (0-based, French rows only) tokenize differently"


def test_stress_set_tokenizes_as_spacy_french(ours: Language, stock: Language) -> None:
    texts = _stress()
    assert [texts[i] for i in _differences(ours, stock, texts)] == []


def test_token_match_matches_the_same_strings(ours: Language, stock: Language) -> None:
    from spacy.lang.fr import tokenizer_exceptions as stock_module

    assert isinstance(ours.tokenizer, Tokenizer) and isinstance(stock.tokenizer, Tokenizer)
    ours_match, stock_match = ours.tokenizer.token_match, stock.tokenizer.token_match
    assert ours_match is not None and stock_match is not None
    assert stock_match.__self__.pattern == stock_module.TOKEN_MATCH.__self__.pattern  # type: ignore[attr-defined]
    strings = [s for text in _stress() for s in (text, *text.split())]
    # instances of each of spaCy's alternatives: its literal prefixes, with a tail of letters, hyphens, elisions
    prefixes = [re.sub(r"\[(.)[^\]]*\]|\(\?:|\)|[?*+]|\\", r"\1", p) for p in stock_module._hyphen_prefix]
    strings += [f"{p}{h}{w}" for p in prefixes for h in "-–‐'" for w in ("x", "Éco", "l'air", "2", "")]
    strings += [f"{a}-{c}-{lp}{b}" for a in ("pet", "Ω", "1") for c in ("en", "DE", "près", "saint", "x")
                for lp in ("", "l'", "l’") for b in ("air", "É", "")]  # fmt: skip
    strings += ["binge-watchés", "BINGE-WATCH", "black-out", "ch'tiis", "z’yeuter", "prud'homme", "droit-de-l'hommiste"]
    disagree = [s for s in strings if bool(ours_match(s)) != bool(stock_match(s))]
    assert disagree == []
    assert sum(bool(stock_match(s)) for s in strings) > 1000  # the set reaches the expression's alternatives


def test_french_class_has_spacy_french_defaults(ours: Language, stock: Language) -> None:
    def own(cls: type) -> dict[str, object]:
        return {k: v for k, v in vars(cls).items() if not k.startswith("__")}

    from spacy.lang.fr import French

    mine, theirs = own(type(ours).Defaults.__mro__[1]), own(French.Defaults)
    assert set(mine) == set(theirs)
    for name in ("tokenizer_exceptions", "prefixes", "suffixes", "infixes", "lex_attr_getters", "stop_words",
                 "syntax_iterators"):  # fmt: skip
        assert mine[name] == theirs[name], name
    assert isinstance(ours.tokenizer, Tokenizer) and isinstance(stock.tokenizer, Tokenizer)
    assert ours.tokenizer.rules == stock.tokenizer.rules


def test_pipeline_ready_without_importing_spacy_french_exceptions() -> None:
    probe = ("import sys; from nlp import pipeline; p = pipeline.get('fr'); "
             "print(type(p).__module__, 'spacy.lang.fr.tokenizer_exceptions' in sys.modules)")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["nlp.tokenizer", "False"]


def test_stale_or_missing_data_falls_back_to_spacy_french(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    stale = tmp_path / "fr-tokenizer.msgpack"
    stale.write_bytes(tokenizer.FRENCH_DATA.read_bytes().replace(b"fingerprint", b"fingerprinT"))
    assert tokenizer.french_language(stale) is None
    assert tokenizer.french_language(tmp_path / "missing.msgpack") is None
    messages = [r.getMessage() for r in caplog.records]
    assert any("stale" in m and str(stale) in m and "make install" in m for m in messages)
    assert any("no usable" in m and "missing.msgpack" in m for m in messages)


def test_factoring_refuses_an_expression_built_otherwise() -> None:
    from types import ModuleType

    from spacy.lang.fr import tokenizer_exceptions as stock_module

    changed = ModuleType("changed")
    vars(changed).update(vars(stock_module))
    changed._regular_exp = [*stock_module._regular_exp[:-1], "^x|y$"]  # type: ignore[attr-defined]
    changed.TOKEN_MATCH = re.compile("(?iu)" + "|".join(f"(?:{m})" for m in changed._regular_exp)).match  # type: ignore[attr-defined]
    with pytest.raises(DataFileError, match="not built as expected"):
        tokenizer.factored_token_match(changed)
