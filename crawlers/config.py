"""Source files: one YAML file per site, validated by pydantic.

A source file says where a site is, which template crawls it (``market``, ``forum``,
``shop``), how politely, and which CSS or XPath selectors pick each field.  See
``docs/sources.md`` for the reference.  Loading reports every problem with the file,
the line, the field and what was expected.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from crawlers.tor.onion import is_onion_host, onion_problem
from npswatch import settings

SOURCES_DIR = Path(__file__).parent / "sources"
TEMPLATES = ("market", "forum", "shop")
LANGUAGES = ("en", "nl", "fr", "de")
_ENV_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")


class SourceError(Exception):
    """A source file that cannot be used; ``problems`` lists each one as ``file:line: field: message``."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


def _valid_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a valid regex: {exc}") from exc
    return pattern


Regex = Annotated[str, AfterValidator(_valid_regex)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Model):
    """How to read one field: a CSS or XPath selector, or a regex on the page URL."""

    css: str | None = None
    xpath: str | None = None
    from_url: str | None = Field(default=None, description="regex on the URL; group 1 is the value")
    re: str | None = Field(default=None, description="regex applied to the selected text; group 1 is kept")
    many: bool = False
    format: str | None = Field(default=None, description="strptime format for dates")

    @model_validator(mode="after")
    def _one_way(self) -> FieldSpec:
        ways = [w for w in (self.css, self.xpath, self.from_url) if w]
        if len(ways) != 1:
            raise ValueError("expected exactly one of css, xpath or from_url")
        for name in ("from_url", "re"):
            pattern = getattr(self, name)
            if pattern:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{name} is not a valid regex: {exc}") from exc
        return self


class RowsSpec(_Model):
    """Repeated blocks on one page (quantity tiers, posts of a thread): a selector and fields inside it."""

    css: str | None = None
    xpath: str | None = None
    fields: dict[str, FieldSpec]

    @model_validator(mode="after")
    def _one_way(self) -> RowsSpec:
        if bool(self.css) == bool(self.xpath):
            raise ValueError("expected exactly one of css or xpath")
        return self


def _spec_kind(value: Any) -> str:
    """A field with its own ``fields`` is a block of rows; anything else is a single field."""
    if isinstance(value, dict):
        return "RowsSpec" if "fields" in value else "FieldSpec"
    return "RowsSpec" if isinstance(value, RowsSpec) else "FieldSpec"


FieldOrRows = Annotated[
    Annotated[FieldSpec, Tag("FieldSpec")] | Annotated[RowsSpec, Tag("RowsSpec")],
    Discriminator(_spec_kind),
]


class PageSpec(_Model):
    """A kind of page, recognised by a regex on its URL path, and the fields to read on it."""

    url: str = Field(description="regex searched in the URL")
    fields: dict[str, FieldOrRows]

    @field_validator("url")
    @classmethod
    def _regex(cls, value: str) -> str:
        re.compile(value)
        return value


class Politeness(_Model):
    delay: float = Field(default=2.0, ge=0, description="seconds between requests to the site")
    concurrency: int = Field(default=2, ge=1, le=16, description="requests in flight to the site")
    autothrottle: bool = True


class Schedule(_Model):
    every: str | None = Field(default=None, description="interval such as 6h or 1d")
    cron: str | None = Field(default=None, description="crontab expression, five fields")
    jitter: str = "10m"

    @model_validator(mode="after")
    def _one_way(self) -> Schedule:
        if bool(self.every) == bool(self.cron):
            raise ValueError("expected exactly one of every or cron")
        for text in (self.every, self.jitter):
            if text and not _DURATION.match(text):
                raise ValueError(f"expected a duration such as 30m, 6h or 1d, found {text!r}")
        if self.cron and len(self.cron.split()) != 5:
            raise ValueError(f"expected a five-field crontab expression, found {self.cron!r}")
        return self


class WallMarkers(_Model):
    """Regexes (case-insensitive) that mark a page as a wall, not content; added to the built-in markers."""

    login: list[Regex] = Field(default_factory=list)
    captcha: list[Regex] = Field(default_factory=list)
    queue: list[Regex] = Field(default_factory=list, description="DDoS-protection queues")


class SessionMarkers(_Model):
    """A logged-in session: regexes (case-insensitive) on a page that say the session expired or logged out."""

    logged_out: list[Regex] = Field(min_length=1, description="e.g. 'session has expired', 'please log in again'")


class HealthThresholds(_Model):
    """When a source is unhealthy (docs/scheduler.md).  Every threshold is required: none has a silent default."""

    min_items: int = Field(ge=0, description="a crawl that reaches the site with fewer items: layout_change")
    min_fill: dict[str, dict[str, float]] = Field(
        description="page type -> field -> least share (0-1) of that type's pages where the field is filled"
    )
    max_drop: float = Field(ge=0, le=1, description="items below this share of the recent median: layout_change")
    history_runs: int = Field(ge=1, le=100, description="recent successful crawls the median is taken over")
    down_after_failures: int = Field(ge=1, description="consecutive failed crawls before source_down")
    gone_after_days: int = Field(ge=1, description="days without a successful crawl before source_gone")
    max_error_share: float = Field(ge=0, le=1, description="largest share of requests failing (4xx/5xx, errors)")
    max_duration_factor: float = Field(gt=1, description="crawl time over this times the recent median: source_down")

    @field_validator("min_fill")
    @classmethod
    def _shares(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for page, fields in value.items():
            for name, share in fields.items():
                if not 0 <= share <= 1:
                    raise ValueError(f"{page}.{name}: expected a share between 0 and 1, found {share}")
        return value


_REQUIRED_PAGES: dict[str, dict[str, tuple[str, ...]]] = {
    "market": {"listing": ("native_id", "title")},
    "forum": {"thread": ("thread_id", "thread_title", "posts")},
    "shop": {"product": ("native_id", "title")},
}


class Source(_Model):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_]{1,62}$")
    template: Literal["market", "forum", "shop"]
    title: str = Field(description="the site's human name; used as market or forum name")
    tor: bool = False
    start_urls: list[str] = Field(min_length=1)
    language: list[Literal["en", "nl", "fr", "de"]] = Field(default=["en"])
    schedule: Schedule = Field(default_factory=lambda: Schedule(every="1d"))
    politeness: Politeness = Field(default_factory=Politeness)
    allow: list[Regex] = Field(default_factory=list, description="regexes a followed URL must match")
    deny: list[Regex] = Field(default_factory=list, description="regexes a followed URL must not match")
    follow: list[str] = Field(default_factory=list, description="CSS selectors of links to follow")
    max_depth: int = Field(default=8, ge=1, le=50)
    cookies_file: str | None = None
    timezone: str = Field(default="UTC", description="IANA zone of dates the site writes without one")
    pages: dict[str, PageSpec]
    walls: WallMarkers = Field(default_factory=WallMarkers)
    session: SessionMarkers | None = Field(default=None, description="markers of an expired session (cookies_file)")
    health: HealthThresholds = Field(description="source-health thresholds; required, each one (docs/scheduler.md)")
    path: str | None = Field(default=None, exclude=True)

    @field_validator("language", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"expected an IANA time zone such as Europe/Brussels, found {value!r}") from exc
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, value: list[str], info: ValidationInfo) -> list[str]:
        tor = info.data.get("tor", False)
        for url in value:
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"expected an http(s) URL, found {url!r}")
            host = urlsplit(url).hostname or ""
            if is_onion_host(host) and (problem := onion_problem(host)):
                raise ValueError(problem)
            if tor and not is_onion_host(host):
                raise ValueError(f"tor: true expects .onion start URLs, found the clear-web URL {url!r}")
            if not tor and is_onion_host(host):
                raise ValueError(f"the onion URL {url!r} needs tor: true")
        return value


    def template_problems(self) -> list[tuple[tuple[str, ...], str]]:
        """The pages and fields the template needs that the file lacks, as (location, message)."""
        found: list[tuple[tuple[str, ...], str]] = []
        for page, fields in (self.health.min_fill if self.health else {}).items():
            for name in fields:
                if page not in self.pages or name not in self.pages[page].fields:
                    found.append((("health", "min_fill", page), f"no field {name!r} on a page {page!r} in pages"))
        for page, required in _REQUIRED_PAGES[self.template].items():
            if page not in self.pages:
                found.append((("pages",), f"template {self.template!r} needs a page {page!r}"))
                continue
            for name in required:
                if name not in self.pages[page].fields:
                    found.append((("pages", page, "fields"), f"template {self.template!r} needs the field {name!r}"))
        return found

    @property
    def site_name(self) -> str:
        return self.title


@dataclass(frozen=True)
class _Located:
    data: Any
    lines: dict[tuple[str | int, ...], int]


def _expand_env(value: Any) -> Any:
    """Replace ``${VAR}`` and ``${VAR:-default}`` in strings with the environment's values."""
    if isinstance(value, str):
        return _ENV_REF.sub(lambda m: os.environ.get(m.group(1), m.group(2) or ""), value)
    if isinstance(value, dict):
        return {k: _expand_env(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v) for v in value]
    return value


def _line_map(node: Any, prefix: tuple[str | int, ...], out: dict[tuple[str | int, ...], int]) -> None:
    if isinstance(node, CommentedMap):
        for key in node:
            out[(*prefix, key)] = node.lc.key(key)[0] + 1
            _line_map(node[key], (*prefix, key), out)
    elif isinstance(node, CommentedSeq):
        for index, child in enumerate(node):
            out[(*prefix, index)] = node.lc.item(index)[0] + 1
            _line_map(child, (*prefix, index), out)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _read(path: Path) -> _Located:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, [f"{path}: cannot read: {exc}"]) from exc
    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise SourceError(path, [f"{path}:{line}: YAML syntax: {exc.problem}"]) from exc
    if not isinstance(tree, CommentedMap):
        raise SourceError(path, [f"{path}:1: expected a mapping of fields at the top, found {type(tree).__name__}"])
    lines: dict[tuple[str | int, ...], int] = {}
    _line_map(tree, (), lines)
    return _Located(_plain(tree), lines)


def _line_for(lines: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> int:
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _readable_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Pydantic's location without the union-branch names it inserts (``FieldSpec``, ``RowsSpec``)."""
    return tuple(p for p in loc if not (isinstance(p, str) and p[:1].isupper()))


def load_source(path: Path) -> Source:
    """Read and validate one source file; raise SourceError with every problem found."""
    located = _read(path)
    try:
        source = Source.model_validate({**_expand_env(located.data), "path": str(path)})
    except ValidationError as exc:
        problems = []
        seen: set[str] = set()
        for err in exc.errors():
            loc = _readable_loc(tuple(err["loc"]))
            field_name = ".".join(str(p) for p in loc) or "(top)"
            message = err["msg"].removeprefix("Value error, ")
            line = f"{path}:{_line_for(located.lines, loc)}: {field_name}: {message}"
            if line not in seen:
                seen.add(line)
                problems.append(line)
        raise SourceError(path, problems) from exc
    problems = [
        f"{path}:{_line_for(located.lines, loc)}: {'.'.join(loc)}: {message}"
        for loc, message in source.template_problems()
    ]
    if source.name != path.stem:
        problems.append(f"{path}:{located.lines.get(('name',), 1)}: name: expected {path.stem!r} (the file name), "
                        f"found {source.name!r}")  # fmt: skip
    if problems:
        raise SourceError(path, problems)
    return source


def source_files(directory: Path | None = None) -> list[Path]:
    directory = directory or settings.sources_dir() or SOURCES_DIR
    return sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])


def iter_sources(directory: Path | None = None) -> Iterator[Source | SourceError]:
    """Every source file in the directory, loaded, or the error that stops it loading."""
    for path in source_files(directory):
        try:
            yield load_source(path)
        except SourceError as exc:
            yield exc


def find_source(name: str, directory: Path | None = None) -> Source:
    """The source called ``name``, or a file path to a source file."""
    candidate = Path(name)
    if candidate.suffix in (".yml", ".yaml") and candidate.exists():
        return load_source(candidate)
    for path in source_files(directory):
        if path.stem == name:
            return load_source(path)
    known = ", ".join(p.stem for p in source_files(directory)) or "none"
    raise KeyError(f"no source called {name!r} (known: {known})")
