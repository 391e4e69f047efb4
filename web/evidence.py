"""An archived response made inert, for the evidence frame: nothing in it runs, and nothing it names is fetched.

Three layers, each enough on its own for scripts:
1. the page is rebuilt without anything active: scripts, event handlers, frames, objects, forms' targets, ``<base>``,
   ``<meta>`` refreshes, external style sheets, ``javascript:`` and every other URL (links keep their text and show
   their address in a tooltip; the links that have an archived copy are listed outside the frame); CSS ``url()`` and
   ``@import`` are cut; images become inline copies of the archived image (``data:``) when the archive has one, else
   their alt text;
2. the response carries ``Content-Security-Policy: default-src 'none'; img-src data:; style-src 'unsafe-inline';
   sandbox``: no script, no request to any address, not even this server's, whatever the page holds;
3. the frame has the ``sandbox`` attribute without ``allow-scripts`` (``web/templates/evidence.html``).

Anything that is not HTML is shown as escaped text (an image as itself, inline).
"""

from __future__ import annotations

import base64
import codecs
import html
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawlers.warcindex import ArchivedRecord, WarcIndex

FRAME_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; base-uri 'none'; "
             "form-action 'none'; frame-ancestors 'self'; sandbox")  # fmt: skip
MAX_IMAGE = 512 * 1024  # bytes of an archived image inlined
MAX_IMAGES = 50  # images inlined per page
MAX_LINKS = 200  # links looked up for an archived copy
DROPPED = {"script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link", "meta",
           "template", "portal", "animate", "set", "animatemotion", "animatetransform", "audio", "video", "source",
           "track", "param", "dialog"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "data", "poster", "background", "ping",
                  "codebase", "cite", "longdesc", "manifest", "lowsrc", "dynsrc", "usemap", "xmlns"}  # fmt: skip
_CSS_URL = re.compile(r"url\s*\([^)]*\)?|@import[^;]*;?|expression\s*\([^)]*\)?|behavior\s*:|-moz-binding",
                      re.IGNORECASE)  # fmt: skip
_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def render(record: ArchivedRecord, index: WarcIndex) -> str:
    """The inert HTML document that shows ``record``'s payload."""
    content_type = (record.location.content_type or "").split(";")[0].strip().lower()
    if content_type in _IMAGE_TYPES:
        data = base64.b64encode(record.payload).decode("ascii")
        return _page(f'<img alt="archived image" src="data:{content_type};base64,{data}">')
    text = record.payload.decode(_charset(record), errors="replace")
    if content_type in ("text/html", "application/xhtml+xml") or (not content_type and "<html" in text[:2000].lower()):
        return "<!doctype html>\n" + sanitise(text, record.location.uri or "", index)
    return _page(f"<pre>{html.escape(text)}</pre>")


def _page(body: str) -> str:
    return f'<!doctype html>\n<html><head><meta charset="utf-8"></head><body>{body}</body></html>'


def _charset(record: ArchivedRecord) -> str:
    found = re.search(r"charset=([\w.-]+)", record.location.content_type or "", re.IGNORECASE)
    try:
        return codecs.lookup(found[1]).name if found else "utf-8"
    except LookupError:  # a charset Python does not know: decoded as UTF-8, errors replaced
        return "utf-8"


def sanitise(text: str, base_url: str, index: WarcIndex) -> str:
    """The page ``text`` (archived from ``base_url``) without anything active or any URL (see the module doc)."""
    try:
        root = lxml.html.document_fromstring(text or "<p></p>")
    except (etree.ParserError, ValueError):
        return _page(f"<pre>{html.escape(text)}</pre>")
    images = 0
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.getparent().remove(element)
            continue
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag in DROPPED:
            element.drop_tree()
            continue
        if tag == "img" and images < MAX_IMAGES:
            images += _inline_image(element, base_url, index)
        _clean_attributes(element, tag)
        if tag == "style":
            element.text = _CSS_URL.sub("none", element.text or "")
    head = root.find("head")
    if head is None:
        head = etree.SubElement(root, "head")
        root.insert(0, head)
    charset = etree.Element("meta", charset="utf-8")
    head.insert(0, charset)
    return str(lxml.html.tostring(root, encoding="unicode", method="html"))


def _clean_attributes(element: etree._Element, tag: str) -> None:
    for name in list(element.attrib):
        plain = name.lower().rsplit("}", 1)[-1].rsplit(":", 1)[-1]
        value = element.attrib[name]
        if plain.startswith("on") or plain in ("formtarget", "target", "http-equiv", "is", "srcdoc"):
            del element.attrib[name]
        elif plain in URL_ATTRIBUTES and not (tag == "img" and plain == "src" and value.startswith("data:image/")):
            if tag == "a" and plain == "href":
                element.attrib["title"] = f"archived link (inert): {value[:500]}"
            del element.attrib[name]
        elif plain == "style":
            element.attrib[name] = _CSS_URL.sub("none", value)


def _inline_image(element: etree._Element, base_url: str, index: WarcIndex) -> int:
    """Replace an image's URL with its archived copy (``data:``) when the archive has one; 1 if it did."""
    src = element.attrib.get("src", "")
    target = urljoin(base_url, src) if src else ""
    location = index.latest_response(target) if urlsplit(target).scheme in ("http", "https") else None
    if location is None or (location.content_type or "").split(";")[0].strip().lower() not in _IMAGE_TYPES:
        alt = element.attrib.get("alt") or "image not archived"
        element.attrib.clear()
        element.attrib["alt"] = f"[{alt[:200]}]"
        return 0
    record = index.read(location, MAX_IMAGE)
    if record.truncated:
        element.attrib.clear()
        element.attrib["alt"] = "[image too large to show]"
        return 0
    kind = (location.content_type or "").split(";")[0].strip().lower()
    element.attrib.clear()
    element.attrib["src"] = f"data:{kind};base64,{base64.b64encode(record.payload).decode('ascii')}"
    return 1


def archived_links(record: ArchivedRecord, index: WarcIndex) -> list[dict[str, str]]:
    """The page's links that have an archived response: text, URL and the record id (at most ``MAX_LINKS``)."""
    if "html" not in (record.location.content_type or "").lower() or not record.payload:
        return []
    try:
        root = lxml.html.document_fromstring(record.payload.decode(_charset(record), errors="replace"))
    except (etree.ParserError, ValueError):
        return []
    found: dict[str, dict[str, str]] = {}
    for link in list(root.iter("a"))[:MAX_LINKS]:
        target = urljoin(record.location.uri or "", link.attrib.get("href", "")).split("#")[0]
        if target in found or urlsplit(target).scheme not in ("http", "https"):
            continue
        location = index.latest_response(target)
        if location is not None:
            text = " ".join(link.text_content().split())[:200] or target
            found[target] = {"text": text, "url": target, "record_id": location.record_id}
    return list(found.values())
