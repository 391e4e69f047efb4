"""What every demo site shares: responses, the Jinja environment, and routing by path regex."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from demosites.timeline import DEMO, SEED, Timeline, day_date

TEMPLATES_DIR = Path(__file__).parent / "templates"
HTML = "text/html; charset=utf-8"
T = TypeVar("T")


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = HTML
    headers: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=1)
def jinja() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["date_of"] = lambda day: day_date(day).isoformat()
    return env


def render(template: str, status: int = 200, **context: Any) -> Response:
    return Response(status, jinja().get_template(template).render(**context).encode("utf-8"))


def text(body: str, status: int = 200) -> Response:
    return Response(status, body.encode("utf-8"), "text/plain; charset=utf-8")


NOT_FOUND = Response(
    404, b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
)


def slug(text: str, max_length: int = 60) -> str:
    """ASCII words joined by dashes: "Récit : 150mg de 3-MMC" -> "recit-150mg-de-3-mmc"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower())[:max_length].strip("-")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a paginated list: the items on it, its number (from 1) and how many pages there are."""

    items: Sequence[T]
    number: int
    count: int

    @property
    def numbers(self) -> range:
        return range(1, self.count + 1)


def paginate(items: Sequence[T], number: int, per_page: int) -> Page[T] | None:
    """The ``number``-th page (from 1), or None when there is no such page (an empty list still has page 1)."""
    count = max(1, math.ceil(len(items) / per_page))
    if not 1 <= number <= count:
        return None
    return Page(items[(number - 1) * per_page : number * per_page], number, count)


def int_arg(query: dict[str, str], name: str, default: int) -> int | None:
    """An integer query argument, the default when absent, None when it is not an integer."""
    value = query.get(name)
    if value is None:
        return default
    return int(value) if value.isdigit() else None


Handler = Callable[[re.Match[str], dict[str, str], int], Response | None]


@dataclass
class SiteApp:
    """A site: a list of (path regex, handler); a handler returns a Response, or None for 404.

    ``timeline`` is the simulated days it serves (the demo's, or a test bed's own)."""

    name: str
    seed: int = SEED
    routes: list[tuple[re.Pattern[str], Handler]] = field(default_factory=list)
    timeline: Timeline = DEMO

    def route(self, pattern: str, handler: Handler) -> None:
        self.routes.append((re.compile(pattern + r"\Z"), handler))

    def handle(self, path: str, query: dict[str, str], day: int) -> Response:
        for pattern, handler in self.routes:
            match = pattern.match(path)
            if match:
                return handler(match, query, day) or NOT_FOUND
        return NOT_FOUND
