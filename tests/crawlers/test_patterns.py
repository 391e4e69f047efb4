"""RE2 patterns as the crawler asks them: a match anywhere, group 1, one program for a list; bounded selectors."""

from __future__ import annotations

import pytest

from crawlers.patterns import any_of, regex, selector


@pytest.mark.parametrize(
    ("pattern", "text", "group"),
    [
        (r"/listing/(\d+)", "http://m.example/listing/42?x", "42"),
        (r"listing", "http://m.example/listing/42", "listing"),  # no group: the whole match
        (r"(a)|b", "xb", None),  # group 1 took no part
        (r"p(\d+)", "no post here", None),
        (r"é(.)", "caféx", "x"),  # offsets are characters, not UTF-8 bytes
    ],
)
def test_group_is_group_1_or_the_whole_match(pattern: str, text: str, group: str | None) -> None:
    assert regex(pattern).group(text) == group
    assert regex(pattern).test(text) == (group is not None or pattern == r"(a)|b")


def test_any_of_tests_a_whole_list_in_one_program_and_keeps_each_patterns_meaning() -> None:
    deny = any_of(["/logout", "mode=(login|register)", "^https://"])
    assert deny is not None and any_of([]) is None
    assert deny.test("http://f.example/ucp.php?mode=login") and deny.test("https://f.example/")
    assert not deny.test("http://f.example/viewtopic.php?t=1")
    caseless = any_of(["Session has EXPIRED"], ignore_case=True)
    assert caseless is not None and caseless.test("your session has expired")


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(?=x)", "invalid perl operator: (?= (RE2 has no lookahead, lookbehind or backreferences)"),
        ("(a)\\1", "invalid escape sequence: \\1 (RE2 has no lookahead"),
        ("a{1001}", "invalid repetition size"),
        ("x" * 2001, "expected a regex of at most 2000 characters"),
    ],
)
def test_what_re2_cannot_run_is_refused_with_the_reason(pattern: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        regex(pattern)
    assert reason in str(caught.value)


def test_a_list_with_one_bad_pattern_names_that_pattern() -> None:
    with pytest.raises(ValueError, match=r"^'\(\?!x\)' is not a valid regex"):
        any_of(["/ok", "(?!x)"])


def test_selectors_compile_once_and_refuse_what_would_fail_on_pages() -> None:
    assert selector("h1::text", None) is selector("h1::text", None)
    with pytest.raises(ValueError, match="unknown function foo"):
        selector(None, "//p[foo(.)]")
    with pytest.raises(ValueError, match="at most 2000 characters"):
        selector("a" * 2001, None)
