"""Which links a spider follows."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawlers.links import LinkRules, url_problem

PAGE = """<html><body>
<nav><a href="/c/stims">Stims</a> <a href="/c/stims?page=2#top">2</a> <a href="/logout">Log out</a></nav>
<div class="grid"><a class="card" href="listing/7">7</a><a class="card" href="/img/x.JPG">pic</a></div>
<footer><a href="/about">About</a> <a href="mailto:x@y">mail</a> <a href="javascript:alert(1)">js</a></footer>
</body></html>"""


def test_follow_regions_allow_deny_and_each_link_once() -> None:
    rules = LinkRules(["nav", "a.card"], allow=[], deny=["/logout"])
    page = Selector(text=PAGE)
    first = list(rules.new_links(page, "http://m.example/c/stims"))
    assert first == ["http://m.example/c/stims", "http://m.example/c/stims?page=2", "http://m.example/c/listing/7"]
    assert list(rules.new_links(page, "http://m.example/c/stims")) == []  # already returned


def test_no_follow_selectors_means_every_link_of_the_page() -> None:
    links = list(LinkRules([], allow=[r"/c/|/about"], deny=[]).new_links(Selector(text=PAGE), "http://m.example/"))
    assert links == ["http://m.example/c/stims", "http://m.example/c/stims?page=2", "http://m.example/about"]


NESTED = """<html><body>
<nav class="top"><a href="/a">a</a><div><a href="b">b</a><area href="/m"></div><a>no href</a></nav>
<div class="outer"><div class="inner"><a href="/x">x</a></div><a href="/y">y</a></div>
<a class="card" href=" /a#frag ">again</a><a class="card"><span><a href="/inner">i</a></span></a>
</body></html>"""


def test_a_region_gives_its_own_href_or_else_the_links_inside_it_in_document_order() -> None:
    page = Selector(text=NESTED)
    assert list(LinkRules(["nav.top"], [], []).new_links(page, "http://m.example/c/")) == [
        "http://m.example/a", "http://m.example/c/b", "http://m.example/m",
    ]  # fmt: skip
    # nested regions give each link once; a link region without href gives the links inside it
    assert list(LinkRules(["div", "a.card"], [], []).new_links(page, "http://m.example/")) == [
        "http://m.example/b", "http://m.example/m", "http://m.example/x", "http://m.example/y",
        "http://m.example/a", "http://m.example/inner",
    ]  # fmt: skip


def test_a_site_absolute_link_resolves_against_each_host() -> None:
    rules = LinkRules(["nav.top"], [], [])
    page = Selector(text=NESTED)
    first = list(rules.new_links(page, "http://m.example/"))
    second = list(rules.new_links(page, "https://mirror.example:8443/deep/page"))
    assert first[0] == "http://m.example/a"
    assert second == [
        "https://mirror.example:8443/a",
        "https://mirror.example:8443/deep/b",
        "https://mirror.example:8443/m",
    ]


def test_xml_pages_take_parsels_path_with_the_same_rules() -> None:
    page = Selector(text='<feed><a href="/one"/><nav><a href="/two"/></nav></feed>', type="xml")
    assert list(LinkRules(["nav"], [], []).new_links(page, "http://m.example/")) == ["http://m.example/two"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://user:pw@m.example/", "userinfo"),
        ("http://user@m.example/", "userinfo"),
        ("http://[::1/", "malformed_ipv6"),
        ("http://[not-an-ip]/", "malformed_ipv6"),
        ("http://m.example:99999/", "bad_port"),
        ("http://m.example:abc/", "bad_port"),
        ("http://m.example:0/", "bad_port"),
        ("http://m.example/" + "a" * 2100, "too_long"),
        ("http://exa mple.example/", "bad_host"),
        ("http://a..b/", "bad_host"),
        ("http://%00/", "bad_host"),
        ("http:///path", "bad_host"),
        ("http://m.example/ok?q=1", None),
        ("https://[2001:db8::1]:8443/x", None),
        ("http://bücher.example/", None),
        ("http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion/", None),
    ],
)
def test_url_problem_names_why_a_link_cannot_be_fetched(url: str, reason: str | None) -> None:
    assert url_problem(url) == reason


def test_unusable_links_are_reported_once_each_and_never_returned() -> None:
    page = Selector(text='<a href="http://u:p@m.example/">1</a><a href="http://[::1/">2</a><a href="/ok">3</a>'
                         '<a href="http://u:p@m.example/">again</a><a href="mailto:x@y">mail</a>')  # fmt: skip
    bad: list[str] = []
    assert list(LinkRules([], [], []).new_links(page, "http://m.example/", bad.append)) == ["http://m.example/ok"]
    assert bad == ["userinfo", "malformed_ipv6"]
