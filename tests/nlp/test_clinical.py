import dataclasses

import pytest

import nlp
from nlp.resources import ROUTES


@pytest.mark.parametrize(
    ("text", "lang", "route"),
    [
        ("I snorted 50mg of ketamine", "en", "insufflated"),
        ("ik heb 3-MMC gesnoven", "nl", "insufflated"),
        ("j'ai sniffé de la kéta", "fr", "insufflated"),
        ("Keta gezogen", "de", "insufflated"),
        ("3-MMC geplugd", "nl", "rectal"),
        ("IV'd 30mg of morphine", "en", "intravenous"),
        ("shot up some heroin", "en", "intravenous"),
        ("swallowed 120mg MDMA", "en", "oral"),
        ("smoked DMT off foil", "en", "smoked"),
        ("vaped some DMT", "en", "vaporised"),
        ("1P-LSD onder de tong", "nl", "sublingual"),
        ("fentanyl patch on the skin", "en", "transdermal"),
        ("Heroin gespritzt", "de", "intravenous"),
        ("Cocaïne gerookt", "nl", "smoked"),
    ],
)
def test_routes_in_four_languages(text: str, lang: str, route: str) -> None:
    routes = [r.route for r in nlp.extract(text, lang=lang).routes]
    assert route in routes
    assert set(routes) <= set(ROUTES)


def test_route_words_that_are_ordinary_words_need_a_substance() -> None:
    assert nlp.extract("stand in line and plug the cable", lang="en").routes == []


@pytest.mark.parametrize(
    ("text", "lang", "effect", "negated"),
    [
        ("took MDMA, no nausea", "en", "nausea", True),
        ("took MDMA, bad nausea", "en", "nausea", False),
        ("geen paranoia van de speed", "nl", "paranoia", True),
        ("pas de nausées avec la MDMA", "fr", "nausea", True),
        ("keine Übelkeit nach MDMA", "de", "nausea", True),
        ("no anxiety but paranoia", "en", "paranoia", False),
    ],
)
def test_effects_are_negation_aware(text: str, lang: str, effect: str, negated: bool) -> None:
    effects = {e.effect: e.negated for e in nlp.extract(text, lang=lang).effects}
    assert effects[effect] is negated


@pytest.mark.parametrize(
    ("word", "lang"),
    [
        ("seizure", "en"),
        ("psychosis", "en"),
        ("hospitalised", "en"),
        ("overdose", "en"),
        ("died", "en"),
        ("overdosis", "nl"),
        ("surdose", "fr"),
        ("Krampfanfall", "de"),
    ],
)
def test_severe_effects(word: str, lang: str) -> None:
    effects = nlp.extract(f"after the GHB: {word}", lang=lang).effects
    assert effects and effects[0].severe and effects[0].adverse


def test_effect_vocabulary_has_200_effects_with_wording_in_four_languages() -> None:
    from nlp.resources import effects

    table = effects()
    for lang in ("en", "nl", "fr", "de"):
        assert len({info.effect for info in table[lang].values()}) >= 200
    assert not next(i for i in table["en"].values() if i.effect == "euphoria").adverse


def test_dose_is_linked_to_substance_and_route() -> None:
    (dose,) = nlp.extract("I snorted 40mg of ketamine", lang="en").doses
    assert (dose.amount, dose.unit, dose.substance, dose.route) == (40.0, "mg", "ketamine", "insufflated")


def test_listing_quantities_are_not_doses() -> None:
    assert nlp.extract("Ketamine 10g €100", lang="en").doses == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Took 50mg ketamine, snorted it, no nausea but bad paranoia", "en"),
        ("Ik heb 100mg mdma genomen, geen misselijkheid maar wel kaakklemmen", "nl"),
        ("J'ai pris 20mg de 3-MMC par voie nasale, pas de nausées", "fr"),
    ],
)
def test_effects_and_doses_are_the_same_without_the_route_matchers_shared_call(text: str, lang: str) -> None:
    from nlp import pipeline
    from nlp.components.state import findings

    pipe = pipeline.build(lang)
    shared = findings(pipe(text))
    with pipe.select_pipes(disable=["routes"]):
        own = findings(pipe(text))  # the effect and dose components use their own matchers
    assert shared.effects and own.effects == shared.effects
    assert own.doses == [dataclasses.replace(d, route=None) for d in shared.doses]


def test_route_effect_and_dose_components_work_without_the_substance_matcher() -> None:
    # with the substance matcher first they read its one matcher call; alone they match on their own
    import spacy

    import nlp.components  # registers the factories
    from nlp.components.state import findings

    text = "Snorted 50mg around midnight, no nausea but I felt paranoid after."
    alone = spacy.blank("en")
    for factory in ("npswatch_offers_v1", "npswatch_routes_v1", "npswatch_effects_v1", "npswatch_doses_v1"):
        alone.add_pipe(factory)
    alone.initialize()
    own = findings(alone(text))
    full = nlp.extract(text, lang="en")
    assert own.routes == full.routes and own.routes
    assert own.effects == full.effects and len(own.effects) == 2
    assert own.doses == full.doses and own.doses
