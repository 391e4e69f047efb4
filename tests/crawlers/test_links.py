"""Which links a spider follows."""

from __future__ import annotations

from parsel import Selector

from crawlers.links import LinkRules

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
