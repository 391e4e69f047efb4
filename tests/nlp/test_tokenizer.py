import pytest

from nlp import pipeline

NAMES = ["3-MMC", "2C-B", "4-F-MPH", "5F-MDMB-PICA", "α-PVP", "N-ethylhexedrone", "3,4-CTMP", "1,4-BD", "25I-NBOMe"]


@pytest.mark.parametrize("lang", ["en", "nl", "fr", "de"])
@pytest.mark.parametrize("name", NAMES)
def test_tokenizer_keeps_chemical_names_whole(lang: str, name: str) -> None:
    doc = pipeline.get(lang).make_doc(f"Ik heb {name} gekocht, ({name}) en {name}, echt.")
    assert [t.text for t in doc].count(name) == 3


def test_tokenizer_still_splits_amounts_and_currency() -> None:
    doc = pipeline.get("en").make_doc("3-MMC 10g €45")
    assert [t.text for t in doc] == ["3-MMC", "10", "g", "€", "45"]
