"""Walls (DDoS queues, captchas, login forms) are recognised before parsing; real demo pages are not walls."""

from __future__ import annotations

import pytest

from crawlers.config import WallMarkers
from crawlers.walls import detect_wall
from demosites.server import APPS, respond

QUEUE = "<html><head><meta http-equiv=refresh content=5></head><h1>DDoS protection</h1><p>Please wait.</p></html>"
ENDGAME = "<html><body><p>You are in the queue. Your position in queue: 32</p></body></html>"
CAPTCHA = '<form><img src="/captcha.png"><input name="captcha_answer"><button>Go</button></form>'
RECAPTCHA = '<div class="g-recaptcha" data-sitekey="x"></div>'
LOGIN = '<title>Login - Dark Bazaar</title><form><input name=user><input type="password" name=pass></form>'
SIDEBAR_LOGIN = ('<title>Listing 42: 3-MMC 10g</title><h1>3-MMC 10g</h1><aside><form><input type=password>'
                 "</form></aside>")  # fmt: skip


@pytest.mark.parametrize(("html", "kind"), [
    (QUEUE, "queue"), (ENDGAME, "queue"), (CAPTCHA, "captcha"), (RECAPTCHA, "captcha"), (LOGIN, "login"),
    (QUEUE + CAPTCHA, "queue"),  # a queue page showing a captcha is a queue
])  # fmt: skip
def test_builtin_markers_recognise_walls(html: str, kind: str) -> None:
    wall = detect_wall(html)
    assert wall is not None and wall.kind == kind


@pytest.mark.parametrize("html", [SIDEBAR_LOGIN, "<h1>Captain's log</h1><p>queue of orders</p>", ""])
def test_content_pages_are_not_walls(html: str) -> None:
    assert detect_wall(html) is None


def test_source_markers_come_first_and_are_case_insensitive() -> None:
    markers = WallMarkers(login=[r"members area"], captcha=[r"prove you are not a bot"], queue=[r"anti-flood"])
    assert detect_wall("<p>ANTI-FLOOD check</p>", markers).kind == "queue"  # type: ignore[union-attr]
    assert detect_wall("<p>Prove you are not a bot</p>", markers).kind == "captcha"  # type: ignore[union-attr]
    wall = detect_wall("<p>Members area only</p>", markers)
    assert wall is not None and (wall.kind, wall.marker) == ("login", "members area")


@pytest.mark.parametrize(("site", "path", "kind"), [
    ("nova_market", "/", None),
    ("nova_market", "/vendors", None),
    ("nova_market", "/login", "login"),
    ("tulip_bazaar", "/", None),
    ("lowlands_forum", "/index.php", None),  # links to a log-in page, but has no password field
    ("salon_fr", "/", None),
    ("chemvendo_shop", "/", None),
])  # fmt: skip
def test_demo_site_pages(site: str, path: str, kind: str | None) -> None:
    response, _ = respond(APPS[site](20260901), path, None)
    assert response.status == 200
    wall = detect_wall(response.body.decode("utf-8"))
    assert (wall.kind if wall else None) == kind
