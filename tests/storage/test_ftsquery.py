"""User search text to FTS5: every term quoted, spellings of NPS names covered, no syntax from the user."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from storage.ftsquery import to_fts_query


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mephedrone", '"mephedrone"'),
        ("3-mmc", '("3 mmc" OR "3mmc")'),
        ("3MMC", '("3MMC" OR "3 MMC")'),
        ('"3 mmc"', '"3 mmc"'),
        ('"quoted phrase" word', '"quoted phrase" AND "word"'),
        ("meph*", '"meph"*'),
        ("AND OR NOT", '"AND" AND "OR" AND "NOT"'),
        ('foo "bar', '"foo" AND "bar"'),
        ("title:foo", '("title foo" OR "titlefoo")'),
        ("me\u0301phe\u0301drone", '"méphédrone"'),  # decomposed accents are composed first
    ],
)
def test_user_text_becomes_quoted_terms(text: str, expected: str) -> None:
    assert to_fts_query(text) == expected


@pytest.mark.parametrize("text", ["", "*", "   ", '"', '""', "(", "- + ^", "💊"])
def test_text_without_letters_or_digits_matches_everything(text: str) -> None:
    assert to_fts_query(text) is None


@pytest.mark.parametrize(
    "text", ['"', "AND OR NOT (", "NEAR(a b, 3)", "a:b", "x\"y'z", "*a*", "a**", "\x00\x1f", "ŝ̷̛ǫ", "日本語 テスト"]
)
def test_the_result_is_always_valid_fts5(text: str) -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5 (a, tokenize = 'unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO t VALUES ('some text')")
        match = to_fts_query(text)
        if match is not None:
            conn.execute("SELECT * FROM t WHERE t MATCH ?", (match,)).fetchall()
