"""Severity, negation and hypothetical effects, and what each effect is about (nlp.components.attribution): the
contract the adverse-surge detector reads (docs/extraction.md, "What the signals read")."""

import random
import re

import pytest

import nlp
from nlp.components.attribution import PassingCues, Segments, clause_breaks, passing, words_before
from nlp.resources import SEVERITIES, effects
from nlp.types import EffectMention


def _effects(text: str, lang: str) -> list[EffectMention]:
    return nlp.extract(text, lang=lang).effects


def _severe(text: str, lang: str) -> bool:
    return any(e.severe and e.reported for e in _effects(text, lang))


def test_the_severity_scale_is_one_column_of_effects_tsv() -> None:
    table = effects()
    infos = [info for lang in table.phrases.values() for info in lang.values()]
    assert {info.severity for info in infos} == set(SEVERITIES)
    severity = {info.effect: info.severity for info in infos}
    for effect in ("blackout", "amnesia", "seizure", "loss of consciousness", "respiratory depression", "psychosis",
                   "hospitalisation", "ambulance", "overdose", "death", "coma"):  # fmt: skip
        assert severity[effect] == "severe", effect
    assert severity["nausea"] == "moderate" and severity["euphoria"] == "none"
    assert all(
        info.adverse == (info.severity != "none") and info.severe == (info.severity == "severe") for info in infos
    )


@pytest.mark.parametrize(
    ("text", "lang", "effect"),
    [
        ("Took 2mg of flualprazolam and passed out on the floor.", "en", "loss of consciousness"),
        ("Did a bump of fentanyl and he went blue.", "en", "cyanosis"),
        ("After the heroin he stopped breathing.", "en", "respiratory depression"),
        ("IV'd 20mg of oxy. My mate said my breathing went really shallow.", "en", "respiratory depression"),
        ("Took 3 pills of tramadol and started fitting.", "en", "seizure"),
        ("OD'd on heroin last night.", "en", "overdose"),
        ("Friends called an ambulance after the GHB.", "en", "ambulance"),
        ("Blacked out after 2 xanax and 5 beers.", "en", "blackout"),
        ("Woke up in the ER after the GHB.", "en", "hospitalisation"),
        ("Na 2 ml G een black-out, wakker geworden op de SEH.", "nl", "blackout"),
        ("Na 2 ml G wakker geworden op de SEH.", "nl", "hospitalisation"),
        ("Na de GHB naar de spoed gebracht.", "nl", "hospitalisation"),
        ("Oxycodon gespoten. Ademhaling werd heel traag.", "nl", "respiratory depression"),
        ("Zopiclon geslikt, de volgende dag geheugenverlies.", "nl", "amnesia"),
        ("Xanax avec 5 bières, trou noir total.", "fr", "blackout"),
        ("Lyrica avalée, le SAMU m'a emmené aux urgences.", "fr", "ambulance"),
        ("Lyrica avalée, convulsions 2h après.", "fr", "seizure"),
        ("Méthadone bue, respiration très lente.", "fr", "respiratory depression"),
        ("Nach GHB in der Notaufnahme aufgewacht.", "de", "hospitalisation"),
        ("Tramadol geschluckt, um Mitternacht ein Krampfanfall.", "de", "seizure"),
        ("Nach GHB bewusstlos.", "de", "loss of consciousness"),
        ("Nach 3 Bier und G Filmriss.", "de", "blackout"),
        ("Polamidon getrunken. Atmung ganz flach.", "de", "respiratory depression"),
        ("Zopiclon geschluckt, am nächsten Tag eine Gedächtnislücke.", "de", "amnesia"),
    ],
)
def test_lay_wording_of_severe_effects_in_four_languages(text: str, lang: str, effect: str) -> None:
    found = [e for e in _effects(text, lang) if e.effect == effect]
    assert found and all(e.severe and e.reported for e in found), _effects(text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Took 3-MMC, no seizures at all.", "en"),
        ("Two lines of 3-MMC, geen black-out gelukkig.", "nl"),
        ("Crack fumé, pas de convulsions.", "fr"),
        ("Tramadol geschluckt, kein Krampfanfall.", "de"),
        ("Koffeintabletten geschluckt, aber kein Krankenhaus nötig.", "de"),
        # warnings, risks, possibilities and near misses are not experiences
        ("Tramadol and sertraline can cause seizures.", "en"),
        ("Fentanyl in the batch, high risk of overdose.", "en"),
        ("Don't mix GHB with alcohol or you'll OD.", "en"),
        ("If you mix it with benzos you can stop breathing.", "en"),
        ("I almost passed out after the ketamine.", "en"),
        ("Tramadol kan leiden tot een epileptische aanval.", "nl"),
        ("Neem naloxon mee om een overdosis te voorkomen.", "nl"),
        ("Attention, risque de surdose avec ce lot.", "fr"),
        ("J'ai failli mourir avec cette came.", "fr"),
        ("Vorsicht, Gefahr einer Überdosis bei diesem Batch.", "de"),
        ("Naloxon dabei haben, um eine Überdosis zu vermeiden.", "de"),
        ("Ich wäre fast gestorben nach dem GHB.", "de"),
    ],
)
def test_negated_and_hypothetical_severe_effects_are_not_reported(text: str, lang: str) -> None:
    assert _effects(text, lang) and not _severe(text, lang), _effects(text, lang)


def test_a_near_miss_cue_with_a_number_between_is_a_duration_not_a_near_miss() -> None:
    (nausea,) = _effects("Took 2C-B, almost 2 hours of nausea.", "en")
    assert nausea.reported


@pytest.mark.parametrize(
    ("text", "lang", "effect"),
    [
        ("Diazepam 10mg geschluckt gegen den Comedown.", "de", "comedown"),  # what it was taken for
        ("Ik slik 5mg diazepam tegen de angst.", "nl", "anxiety"),
    ],
)
def test_what_a_substance_is_taken_for_is_not_its_effect(text: str, lang: str, effect: str) -> None:
    (found,) = [e for e in _effects(text, lang) if e.effect == effect]
    assert found.hypothetical and not found.reported


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Amnesia Haze 5g €50 | 10g €95", "en"),  # a cannabis strain, not amnesia
        ("Wiet Amnesia 5 gram", "nl"),
        ("Beuh 5g Amnesia", "fr"),
        ("Fentanyl analogue found in a police seizure.", "en"),
        ("Smoked a joint and had two energy drinks.", "en"),
    ],
)
def test_product_names_and_other_senses_are_no_effects(text: str, lang: str) -> None:
    assert _effects(text, lang) == []


def test_amnesia_in_running_text_is_an_effect() -> None:
    assert _severe("Zolpidem 20 mg avalé. Amnésie complète de la soirée.", "fr")


def test_effects_negated_after_them_and_commas_end_a_negation() -> None:
    (anxiety,) = _effects("Put 1mg of etizolam under my tongue, anxiety gone.", "en")
    assert anxiety.negated
    effects = {e.effect: e.negated for e in _effects("2-Brom-NEP geraucht. Nicht geschlafen, Zähneknirschen.", "de")}
    assert effects == {"insomnia": False, "bruxism": False}  # "nicht geschlafen" is insomnia; the comma ends "nicht"


def test_french_dont_is_no_english_negation() -> None:
    found = _effects("Zolpidem avalé, des achats dont je n'ai aucun souvenir.", "fr")
    assert [(e.effect, e.negated) for e in found] == [("amnesia", False)]


def _about(text: str, lang: str = "en") -> list[tuple[str, str | None]]:
    return [(e.effect, e.substance) for e in _effects(text, lang) if e.reported]


@pytest.mark.parametrize(
    ("text", "lang", "about"),
    [
        ("Took 2-FMA at the party and blacked out.", "en", [("blackout", "2-FMA")]),
        # a co-used substance gives way to another substance of the same clause
        ("Swallowed 2 pills of pregabalin with 3 beers and blacked out.", "en", [("blackout", "pregabalin")]),
        # a substance named in passing does not take the effect
        ("Snorted 50mg of 3-MMC. Heart racing like on MDMA.", "en", [("tachycardia", "3-MMC")]),
        # effects of a later sentence belong to what the text was about, not to a substance only compared
        ("Snorted 30mg of 3-MMC. It is like mephedrone but worse. Seizure at 2am.", "en", [("seizure", "3-MMC")]),
        # the rescue medicine is not what an effect is about
        ("Oxycodone 20mg swallowed. Breathing went shallow, my friend gave naloxone.", "en",
         [("respiratory depression", "oxycodone")]),
        # an effect before the text's only substance is still about it
        ("Had a seizure last night. I had taken 3-MMC at 10.", "en", [("seizure", "3-MMC")]),
        ("Lyrica 600mg geslikt en daarna 2 wijntjes. Volledig weggevallen.", "nl",
         [("loss of consciousness", "pregabalin")]),
        ("Nausea all night, no idea why.", "en", [("nausea", None)]),
    ],
)  # fmt: skip
def test_each_effect_says_which_substance_it_is_about(text: str, lang: str, about: list[object]) -> None:
    assert _about(text, lang) == about


def test_an_effect_of_a_novel_candidate_names_the_candidate() -> None:
    (seizure,) = _effects("Snorted 20mg of 4-Br-PVP, seizure an hour later.", "en")
    assert seizure.substance == "4-Br-PVP"


def test_sentences_and_clauses() -> None:
    text = "Doseertabel GHB: 21:00 1,5 ml ; 22:30 1,5 ml. Daarna bewusteloos, dan wakker."
    segments = Segments(text, clause_breaks(frozenset({"daarna", "dan"})))
    assert [text[s : s + 6] for s in segments.sentences] == ["Doseer", "Daarna"]
    assert segments.clause(text.index("21:00")) == segments.clause(text.index("1,5"))  # "1,5" is no break
    assert segments.clause(text.index("22:30")) != segments.clause(text.index("21:00"))
    assert segments.sentence(text.index("wakker")) == 1


def test_passing_mentions() -> None:
    cues = PassingCues(frozenset({"like", "without", "than", "compared to"}))
    text = "way better than the 3-MMC, like MDMA, without alcohol, took 4-FA"
    assert passing(text, text.index("3-MMC"), cues) and passing(text, text.index("MDMA"), cues)
    assert passing(text, text.index("alcohol"), cues) and not passing(text, text.index("4-FA"), cues)
    text = "compared to the 2-FMA, took 3-MMC compared with 4-MMC"
    assert passing(text, text.index("2-FMA"), cues) and not passing(text, text.index("4-MMC"), cues)


def test_segments_are_those_of_the_one_expression_definition_on_random_text() -> None:
    """The gated searches (characters looked up first, the dash and word breaks apart, the punctuation breaks by
    ``str.find``, the word search skipped when the lower-case text has none of the words and no character other than
    ASCII that matches an ASCII letter case-insensitively: ſ, ı, İ, the Kelvin sign) find what one search with the
    definition finds (the two expressions below), in ASCII texts and others (an "é", an ideographic space)."""
    sentence_end = re.compile(r"(?:[.!?\u2026]+(?=\s|$)|\n)\s*")
    words = frozenset({"daarna", "then"})
    definition = re.compile(r"[,;:](?=\s)|;|\s[-\u2013\u2014]\s|\b(?:daarna|then)\b", re.IGNORECASE)
    breaks = clause_breaks(words)
    rnd = random.Random(14)
    alphabet = [
        *".!?\u2026\n ,;:-\u2013\u2014\t\u00a0\u3000\x0b",
        *"thenTHENdaarnaxy1é_٣Ⅻ",
        *"\u017f\u0131\u0130\u212a",
        "then",
        "Daarna",
    ]
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40)))
        sentences = [0] + [m.end() for m in sentence_end.finditer(text) if 0 < m.end() < len(text)]
        clauses = sorted({m.end() for m in definition.finditer(text)} | set(sentences))
        segments = Segments(text, breaks)
        assert (segments.sentences, segments.clauses) == (sentences, clauses), repr(text)


def test_words_before_are_those_of_the_expression_on_random_text() -> None:
    """The scan back from a position finds the words ``findall`` finds in the 30 characters before it (the last four,
    lower-cased), with letters and digits of other scripts, the other word characters and non-word characters."""
    word = re.compile(r"[\w'\u2019+-]+")
    rnd = random.Random(30)
    # (no capital sigma: compiled by mypyc, str.lower maps it without the final-sigma rule, "ΑΣ" -> "ασ", not "ας",
    # in the code before this scan too; a difference of mypyc's, not of the scan)
    alphabet = [*"aZ9_'\u2019+-", *" ,.;:!?()/\t\n\u00a0", *"éÅ٣ⅫΩß\u3000\u2018", "like", "the", "LIKE THE"]
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 50)))
        start = rnd.randrange(0, len(text) + 1)
        expected = [w.lower() for w in word.findall(text[max(0, start - 30) : start])[-4:]]
        assert words_before(text, start) == expected, (text, start)
