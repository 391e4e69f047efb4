"""Loading a source file compiles and bounds everything a crawl will run, and checks names against the template.

Each case here once passed validation and then failed (or ran away) during the crawl: invalid CSS or XPath raised on
every page, a catastrophic regex pinned a CPU, a nonsense cron expression or date format surfaced only when used, a
misspelt field was silently never read, and ``${VAR}`` expanded any environment variable, secrets included.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawlers.config import load_source
from crawlers.links import LinkRules
from crawlers.walls import detect_wall
from tests.crawlers.test_config import VALID, problems, write

SECRET = "pseudonym-key-that-must-stay-home"


def check(tmp_path: Path, old: str, new: str) -> list[str]:
    text = VALID.format(name="example")
    assert old in text, old
    return problems(write(tmp_path, text.replace(old, new, 1)))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # CSS and XPath, in fields, blocks and follow
        (
            "{css: 'h1::text'}",
            "{css: 'h1[::text'}",
            ":16: pages.listing.fields.title.css: 'h1[::text' is not a valid CSS",
        ),
        (
            "css: 'table.tiers tr'",
            "css: 'table..tiers'",
            ":18: pages.listing.fields.prices.css: 'table..tiers' is not a valid CSS",
        ),
        (
            "['nav a', 'a.listing']",
            "['nav a', 'a.listing:nope(1)']",
            ":10: follow.1: 'a.listing:nope(1)' is not a valid CSS",
        ),
        (
            "{css: 'h1::text'}",
            "{xpath: '//h1[@'}",
            ":16: pages.listing.fields.title.xpath: '//h1[@' is not a valid XPath",
        ),
        ("{css: 'h1::text'}", "{xpath: '//h1[foo(.)]'}", "is not a valid XPath: unknown function foo()"),
        ("{css: 'h1::text'}", "{xpath: '//h1[ns:a]'}", "is not a valid XPath: unknown namespace prefix 'ns:'"),
        ("{css: 'h1::text'}", "{xpath: \"//h1[re:test(., 'x')]\"}", "EXSLT re: functions are not offered"),
        # regexes RE2 cannot run in linear time, wherever they are
        ("deny: ['/logout']", "deny: ['/log(?=out)']", ":9: deny.0: '/log(?=out)' is not a valid regex for RE2"),
        ("deny: ['/logout']", "allow: ['(a)\\1']", ":9: allow.0: '(a)\\\\1' is not a valid regex for RE2"),
        ("url: '/listing/\\d+'", "url: '/listing/(?<!x)\\d+'", ":13: pages.listing.url: "),
        ("{from_url: '/listing/(\\d+)'}", "{from_url: '(?=/listing/)'}", ".native_id.from_url: '(?=/listing/)' is not"),
        ("{css: 'td.qty::text'}", "{css: 'td.qty::text', re: '(\\d+)(?!g)'}", ".quantity.re: '(\\\\d+)(?!g)' is not"),
        # schedules and dates
        (
            "every: 6h",
            "cron: '61 * * * *'",
            ":7: schedule: expected a crontab expression such as '0 3 * * *', found '61",
        ),
        ("every: 6h", "cron: 'every monday'", ":7: schedule: expected a five-field crontab expression"),
        ("every: 6h", "every: 0h", ":7: schedule: expected a duration above zero"),
        ("{css: 'td.qty::text'}", "{css: 'td.qty::text', format: '%d/%m/%Y'}", ".quantity.format: expected no format"),
        # field names against the template's item, blocks as blocks
        (
            "      title: {css: 'h1::text'}",
            "      titel: {css: 'h1::text'}",
            "unknown field 'titel': did you mean 'title'?",
        ),
        (
            "  listing:\n",
            "  listng:\n",
            ":12: pages.listng: template 'market': unknown page 'listng': did you mean 'listing'?",
        ),
        (
            "quantity: {css",
            "quantty: {css",
            ".prices.fields.quantty: template 'market' (rows of prices): unknown field 'quantty': did you mean '"
            "quantity'?",
        ),
        (
            "      prices:\n        css: 'table.tiers tr'\n        fields:\n          quantity: {css: 'td.qty::t"
            "ext'}\n          price: {css: 'td.price::text', many: true}\n",
            "      prices: {css: 'td.price::text', many: true}\n",
            ":17: pages.listing.fields.prices: expected a block of rows (css or xpath, and fields: quantity, pri"
            "ce), found a field",
        ),
        (
            "title: {css: 'h1::text'}",
            "title: {css: 'h1', fields: {x: {css: b}}}",
            ".title: expected a single field (css, xpath or from_url), found a block of rows",
        ),
    ],
)
def test_each_problem_is_found_at_load_with_line_field_and_expectation(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    found = check(tmp_path, old, new)
    assert any(expected in line for line in found), found


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("%d/%m/%Y %Q", "'Q' is a bad directive"), ("dd/mm/yyyy", "no % directive"), ("%d %d", "redefinition")],
)
def test_date_formats_are_checked_on_date_fields(tmp_path: Path, fmt: str, expected: str) -> None:
    source = (Path(__file__).resolve().parents[2] / "crawlers" / "sources" / "salon_fr.yml").read_text(encoding="utf-8")
    old = "format: '%d/%m/%Y à %Hh%M'"
    assert old in source
    path = write(tmp_path, source.replace(old, f"format: '{fmt}'"), name="salon_fr")
    [problem] = problems(path)
    assert ".posts.fields.posted_at.format: expected a strptime format" in problem and expected in problem


def test_a_forum_needs_post_ids_and_texts_in_its_rows(tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[2] / "crawlers" / "sources" / "salon_fr.yml").read_text(encoding="utf-8")
    old = "          text: {css: 'div.message-texte ::text', many: true}\n"
    assert old in source
    [problem] = problems(write(tmp_path, source.replace(old, ""), name="salon_fr"))
    assert "pages.thread.fields.posts.fields: template 'forum' (rows of posts) needs the field 'text'" in problem


def test_a_catastrophic_regex_is_matched_in_linear_time() -> None:
    """``(a+)+$`` on 28 a's and a mismatch: Python's re backtracks 2^28 ways (minutes); RE2 answers at once."""
    rules = LinkRules([], allow=[], deny=["(a+)+$"])
    url = "http://m.example/" + "a" * 28 + "!"
    started = time.perf_counter()
    assert rules.allowed(url)
    assert not rules.allowed("http://m.example/" + "a" * 28)
    assert time.perf_counter() - started < 1


def test_wall_markers_are_matched_by_re2_too() -> None:
    from crawlers.config import WallMarkers

    markers = WallMarkers(queue=["(x+x+)+y"])
    started = time.perf_counter()
    assert detect_wall("x" * 5000, markers) is None
    assert time.perf_counter() - started < 1
    assert detect_wall("xxy", markers) is not None


# --- environment variables ------------------------------------------------------------------------------------------
def _with_env(tmp_path: Path, declared: str, url: str) -> Path:
    text = VALID.format(name="example").replace("env: [EXAMPLE_MARKET_URL]", f"env: {declared}")
    return write(tmp_path, text.replace('"${EXAMPLE_MARKET_URL:-http://127.0.0.1:9999}/"', f'"{url}"'))


def test_a_declared_variable_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_HOST", "m.example")
    path = _with_env(tmp_path, "[MARKET_HOST]", "http://${MARKET_HOST}/")
    assert load_source(path).start_urls == ["http://m.example/"]


def test_an_undeclared_variable_is_an_error_and_not_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKET_HOST", "m.example")
    found = problems(_with_env(tmp_path, "[]", "http://${MARKET_HOST}/"))
    assert any(":5: start_urls.0: ${MARKET_HOST} is not declared: list the variables" in line for line in found)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("NPSWATCH_PSEUDONYM_KEY", "NPSWATCH_PSEUDONYM_KEY is one of npswatch's own settings or secrets"),
        ("NPSWATCH_SMTP_PASSWORD", "a source file may read no NPSWATCH_* variable but the demo sites'"),
        ("NPSWATCH_ES_URL", "one of npswatch's own settings or secrets"),
        ("NPSWATCH_TOR_CONTROL_PASSWORD", "one of npswatch's own settings or secrets"),
        ("AWS_SECRET_ACCESS_KEY", "looks like a secret"),
        ("GITHUB_TOKEN", "looks like a secret"),
    ],
)
def test_secrets_are_never_expanded_even_when_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, expected: str
) -> None:
    monkeypatch.setenv(name, SECRET)
    path = _with_env(tmp_path, f"[{name}]", f"http://m.example/?k=${{{name}}}")
    found = problems(path)
    assert any(": env.0: " in line and expected in line for line in found), found
    assert any(f"start_urls.0: ${{{name}}} is not read: " in line for line in found), found
    assert not any(SECRET in line for line in found)


def test_the_demo_variables_may_be_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NPSWATCH_DEMO_EXAMPLE_URL", "http://127.0.0.1:4567")
    path = _with_env(tmp_path, "[NPSWATCH_DEMO_EXAMPLE_URL]", "${NPSWATCH_DEMO_EXAMPLE_URL:-http://127.0.0.1:1}/")
    assert load_source(path).start_urls == ["http://127.0.0.1:4567/"]


# --- YAML within bounds --------------------------------------------------------------------------------------------
def test_anchors_and_merge_keys_within_bounds_load_with_lines(tmp_path: Path) -> None:
    text = VALID.format(name="example").replace(
        "politeness: {delay: 1.5, concurrency: 2}", "politeness: &polite {delay: 1.5, concurrency: 2}"
    )
    text = text.replace("      title: {css: 'h1::text'}\n", "      title: &h1 {css: 'h1::text'}\n")
    text += "walls: {<<: {queue: ['ddos']}, captcha: ['robot']}\n"
    source = load_source(write(tmp_path, text))
    assert source.walls.queue == ["ddos"] and source.politeness.delay == 1.5
    bad = text.replace("walls: {<<: {queue: ['ddos']}", "walls: {<<: {queue: ['(?=x)']}")
    assert any("walls.queue.0: '(?=x)' is not a valid regex" in line for line in problems(write(tmp_path, bad)))


def test_max_pages_is_required(tmp_path: Path) -> None:
    text = VALID.format(name="example").replace("max_pages: 5000\n", "")
    assert any(":1: max_pages: Field required" in line for line in problems(write(tmp_path, text)))
