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
        # German "noch" is "still" (only "weder ... noch" negates, and "weder" does that)
        ("am nächsten Tag noch Übelkeit", "de", "nausea", False),
        ("weder Übelkeit noch Kopfschmerzen", "de", "nausea", True),
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

    table = effects().phrases
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


@pytest.mark.parametrize(
    ("text", "lang", "route"),
    [
        ("ate 1.5g of shrooms in a lemon tea", "en", "oral"),
        ("drank a tea of 5g kratom this morning", "en", "oral"),
        ("most customers make a tea of 4g kratom", "en", "oral"),
        ("4 g kratom toss-and-wash at 10:00", "en", "oral"),
        ("railed a fat line of ket", "en", "insufflated"),
        ("bumped about 10mg of ketamine off a key", "en", "insufflated"),
        ("smoked a bowl of hash", "en", "smoked"),
        ("hit the pen a few times, THC cart", "en", "vaporised"),
        ("plugged 100mg of 3-MMC", "en", "rectal"),
        ("boofed 50mg 4-MMC", "en", "rectal"),
        ("booted 0.1g of dope", "en", "intravenous"),
        ("IV'd 20mg of oxy", "en", "intravenous"),
        ("dabbed some wax, 0.1g", "en", "vaporised"),
        ("een theetje van 5 gram kratom", "nl", "oral"),
        ("1,5 gram speed in mijn koffie gedaan en opgedronken", "nl", "oral"),
        ("Eet 2 gram truffels op een lege maag", "nl", "oral"),
        ("2 lijntjes 3-MMC gesnoven", "nl", "insufflated"),
        ("Oxycodon 20mg opgelost en gespoten", "nl", "intravenous"),
        ("8g de kratom en infusion", "fr", "oral"),
        ("Lyrica 900mg avalés", "fr", "oral"),
        ("puis 2mg de Subutex sniffés le soir", "fr", "insufflated"),
        ("Héroïne en IV, 0,1g", "fr", "intravenous"),
        ("Kratom 4g als Tee getrunken", "de", "oral"),
        ("1 ml GHB in Saft trinken", "de", "oral"),
        ("Ketamin gezogen, 20mg", "de", "insufflated"),
        ("HHC 0,1g gedampft", "de", "vaporised"),
    ],
)
def test_implied_routes_in_four_languages(text: str, lang: str, route: str) -> None:
    assert route in [r.route for r in nlp.extract(text, lang=lang).routes]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("150mg MDMA im Zigarettenpapier", "de"),  # German "im" is "in the", not IM
        ("MDMA Kristalle, 84% (im Labor getestet). 1g 25€", "de"),
        ("XTC pillen 220mg, 100 stuks €250. Drink genoeg water.", "nl"),
        ("Tesla pills, MDMA 220mg. 10 pills €45. Drink plenty of water.", "en"),
        ("10x LSD blotters 150ug", "en"),  # a product, not a stated route
        ("4-HO-MET 20mg capsules x 10", "en"),
        ("3-MMC, measured volumetrically", "en"),
    ],
)
def test_words_that_are_no_route_of_the_drug(text: str, lang: str) -> None:
    assert nlp.extract(text, lang=lang).routes == []


def _doses(text: str, lang: str) -> list[tuple[float, str, str | None, str | None]]:
    return [(d.amount, d.unit, d.substance, d.route) for d in nlp.extract(text, lang=lang).doses]


@pytest.mark.parametrize(
    ("text", "lang", "doses"),
    [
        # the substance and route of an earlier clause or sentence carry to a dose that leaves them implied
        ("Snorted 30mg of 3-MMC at 10pm, redosed 20mg at midnight.", "en",
         [(30.0, "mg", "3-MMC", "insufflated"), (20.0, "mg", "3-MMC", "insufflated")]),
        ("Got a sample of 4-FA. Vaped 10mg first, then another 10mg an hour later.", "en",
         [(10.0, "mg", "4-FA", "vaporised"), (10.0, "mg", "4-FA", "vaporised")]),
        ("Snorted 30mg of ketamine. Felt great. Redosed 20mg.", "en",
         [(30.0, "mg", "ketamine", "insufflated"), (20.0, "mg", "ketamine", "insufflated")]),
        # a dose table: the substance once, the route at the end
        ("Doseertabel GHB: 21:00 1,5 ml ; 22:30 1,5 ml ; 23:45 2 ml, alles in cola opgedronken.", "nl",
         [(1.5, "ml", "GHB", "oral"), (1.5, "ml", "GHB", "oral"), (2.0, "ml", "GHB", "oral")]),
        ("T+0:00 100 mg MDMA swallowed ; T+3:00 200 µg LSD under the tongue.", "en",
         [(100.0, "mg", "MDMA", "oral"), (200.0, "µg", "LSD", "sublingual")]),
        # a substance after an amount belongs to the amount nearest it
        ("Zolpidem 20 mg + Atarax 25 mg avalés à minuit.", "fr",
         [(20.0, "mg", "zolpidem", "oral"), (25.0, "mg", "hydroxyzine", "oral")]),
        # botanical amounts over 5 g count when the clause says they were taken
        ("I ate 7g of kratom.", "en", [(7.0, "g", "kratom", "oral")]),
        ("Paddo's gegeten, 10 gram, slechte trip.", "nl", [(10.0, "g", "psilocybin mushrooms", "oral")]),
        # an unknown substance still gives a dose
        ("Eating 3g of that stuff did nothing.", "en", [(3.0, "g", None, "oral")]),
        # a solvent is not a dose
        ("3-MMC geplugd: 100mg opgelost in 1 ml water.", "nl", [(100.0, "mg", "3-MMC", "rectal")]),
        # a route of another substance in an earlier sentence does not carry
        ("Smoked a joint yesterday. Today 100mg MDMA.", "en", [(100.0, "mg", "MDMA", None)]),
        # a count of a named product is a dose of its substance (a co-used one too: recognised, never an NPS signal)
        ("Nikotinbeutel unter der Lippe, 4 Stück in zwei Stunden.", "de", [(4.0, "pills", "nicotine", "buccal")]),
    ],
)  # fmt: skip
def test_doses_take_substance_and_route_from_their_clause_or_before(text: str, lang: str, doses: list[object]) -> None:
    assert _doses(text, lang) == doses


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kratom Red Maeng Da 250g £28, 500g £50.", "en"),  # goods, not doses
        ("Iodazolam pellets 1mg, 20 for €40. Swallow with water.", "en"),  # a unit's strength in a listing
        ("1B-PRO-LAD Pappen 150µg, 10 Stück 70€. Unter die Zunge legen.", "de"),
        ("Salvia report: 20x extract in one bowl.", "en"),  # an extract's strength
        ("Die Beutel unter der Lippe, 4 Stück in zwei Stunden.", "de"),  # a count of nothing named
    ],
)
def test_amounts_that_are_no_doses(text: str, lang: str) -> None:
    assert nlp.extract(text, lang=lang).doses == []


@pytest.mark.parametrize(
    ("text", "lang", "effect"),
    [
        ("after the second bump my heart was pounding like mad", "en", "palpitations"),
        ("his pulse was racing the whole evening", "en", "tachycardia"),
        ("I felt absolutely rotten all Sunday", "en", "dysphoria"),
        ("we didn't sleep a wink", "en", "insomnia"),
        ("her hands were shaking and she was soaked in sweat", "en", "tremor"),
        ("her hands were shaking and she was soaked in sweat", "en", "sweating"),
        ("my stomach kept churning", "en", "nausea"),
        ("mijn hart bonkte als een gek", "nl", "palpitations"),
        ("ik voelde me de dag erna zo ellendig", "nl", "dysphoria"),
        ("ik heb geen oog dichtgedaan", "nl", "insomnia"),
        ("ik zweette en trilde de hele nacht", "nl", "tremor"),
        ("le cœur qui tapait dans ma poitrine", "fr", "palpitations"),
        ("il tremblait et transpirait", "fr", "tremor"),
        ("je me sentais vraiment mal le lendemain", "fr", "dysphoria"),
        ("pas pu fermer l'oeil de la nuit", "fr", "insomnia"),
        ("das Herz hämmerte bis zum Hals", "de", "palpitations"),
        ("mir wurde total übel", "de", "nausea"),
        ("ich fühlte mich zwei Tage lang mies", "de", "dysphoria"),
        ("ich zitterte und schwitzte", "de", "sweating"),
        # more idioms (learnt from hold-out E's wave, written here in other words)
        ("nach der zweiten Nase hat mein Herz gepumpt, als würde es rausspringen", "de", "palpitations"),
        ("am Sonntag ging's mir echt elend", "de", "dysphoria"),
        ("zwei Tage danach war ich noch total erledigt", "de", "fatigue"),
        ("ich war den ganzen Abend völlig durch den Wind", "de", "confusion"),
        ("am Morgen hatte ich einen Schädel wie nach einer Hochzeit", "de", "headache"),
        ("mijn hart heeft de hele nacht gebonkt", "nl", "palpitations"),
        ("na het feest was ik helemaal gesloopt", "nl", "fatigue"),
        ("j'étais complètement à l'ouest toute la soirée", "fr", "confusion"),
        ("le lendemain j'étais sur les rotules", "fr", "fatigue"),
        ("that batch flattened me for the whole weekend", "en", "fatigue"),
        ("my heart was going like a train after the second line", "en", "palpitations"),
    ],
)
def test_adverse_effects_told_in_lay_words(text: str, lang: str, effect: str) -> None:
    found = {(e.effect, e.negated) for e in nlp.extract(text, lang=lang).effects}
    assert (effect, False) in found


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("my heart wasn't racing at all", "en"),
        ("je ne me sentais pas mal du tout", "fr"),
        ("mir war überhaupt nicht schlecht", "de"),
        ("ik voelde me helemaal niet beroerd", "nl"),
        ("mir ging's gar nicht schlecht danach", "de"),
    ],
)
def test_lay_adverse_words_are_negation_aware(text: str, lang: str) -> None:
    effects = nlp.extract(text, lang=lang).effects
    assert effects and all(e.negated for e in effects)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("De kwaliteit was beroerd, niet meer bestellen.", "nl"),
        ("the heart of the matter is shipping", "en"),
        ("3-MMC en vrac, 10g", "fr"),
    ],
)
def test_lay_adverse_words_need_a_bodily_reading(text: str, lang: str) -> None:
    assert [e for e in nlp.extract(text, lang=lang).effects if e.adverse] == []
