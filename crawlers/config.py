"""Source files: one YAML file per site, validated by pydantic.

A source file says where a site is, which template crawls it (``market``, ``forum``,
``shop``), how politely, how far, and which CSS or XPath selectors pick each field.  See
``docs/sources.md`` for the reference.  Loading reports every problem with the file,
the line, the field and what was expected.

Loading compiles everything a crawl will run, so that nothing fails or runs away later: CSS
and XPath (``crawlers.patterns``), every regex with RE2 (linear time; a pattern RE2 cannot run
is refused with the reason), the cron expression, date formats; field names are checked against
the template (``crawlers.templates``).  The YAML is read with bounds (``crawlers.sourcefile``).
A file that fails, for whatever reason, raises ``SourceError``: ``iter_sources`` reports it and
goes on with the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
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

from crawlers import templates
from crawlers.links import region_hrefs, url_problem
from crawlers.patterns import regex, selector
from crawlers.sourcefile import Located, Location, declared_env, env_name_problem, expand_env, read_source_yaml
from crawlers.sourcefile import SourceError as SourceError  # re-exported: callers import it from here
from crawlers.tor.onion import is_onion_host, onion_problem
from npswatch import settings

SOURCES_DIR = Path(__file__).parent / "sources"
TEMPLATES = ("market", "forum", "shop")
LANGUAGES = ("en", "nl", "fr", "de")
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_SAMPLE_TIME = datetime(2026, 11, 23, 19, 14, 5, tzinfo=UTC)


def _valid_regex(pattern: str) -> str:
    regex(pattern)  # RE2: linear-time matching, or ValueError with the reason
    return pattern


def _valid_caseless_regex(pattern: str) -> str:
    regex(pattern, True)
    return pattern


def _valid_css(css: str) -> str:
    selector(css, None)
    return css


def _valid_xpath(query: str) -> str:
    selector(None, query)
    return query


def _valid_region(css: str) -> str:
    region_hrefs(css)
    return css


def _valid_env_name(name: str) -> str:
    problem = env_name_problem(name)
    if problem:
        raise ValueError(problem)
    return name


def _valid_format(fmt: str) -> str:
    """A strptime format: it has a directive, and a date written with it reads back."""
    if "%" not in fmt:
        raise ValueError(f"expected a strptime format such as '%d/%m/%Y %H:%M', found {fmt!r} (no % directive)")
    try:
        datetime.strptime(_SAMPLE_TIME.strftime(fmt), fmt)
    except (ValueError, re.error) as exc:
        raise ValueError(f"expected a strptime format such as '%d/%m/%Y %H:%M', found {fmt!r}: {exc}") from None
    return fmt


Regex = Annotated[str, AfterValidator(_valid_regex)]
CaselessRegex = Annotated[str, AfterValidator(_valid_caseless_regex)]
Css = Annotated[str, AfterValidator(_valid_css)]
XPath = Annotated[str, AfterValidator(_valid_xpath)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Model):
    """How to read one field: a CSS or XPath selector, or a regex on the page URL."""

    css: Css | None = None
    xpath: XPath | None = None
    from_url: Regex | None = Field(default=None, description="regex on the URL; group 1 is the value")
    re: Regex | None = Field(default=None, description="regex applied to the selected text; group 1 is kept")
    many: bool = False
    format: Annotated[str, AfterValidator(_valid_format)] | None = Field(
        default=None, description="strptime format for dates"
    )

    @model_validator(mode="after")
    def _one_way(self) -> FieldSpec:
        ways = [w for w in (self.css, self.xpath, self.from_url) if w]
        if len(ways) != 1:
            raise ValueError("expected exactly one of css, xpath or from_url")
        return self


class RowsSpec(_Model):
    """Repeated blocks on one page (quantity tiers, posts of a thread): a selector and fields inside it."""

    css: Css | None = None
    xpath: XPath | None = None
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

    url: Regex = Field(description="regex searched in the URL")
    fields: dict[str, FieldOrRows]


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
        if self.every and int(self.every.rstrip("smhd ")) == 0:
            raise ValueError(f"expected a duration above zero, found every: {self.every!r}")
        if self.cron:
            if len(self.cron.split()) != 5:
                raise ValueError(f"expected a five-field crontab expression, found {self.cron!r}")
            try:
                CronTrigger.from_crontab(self.cron, timezone=UTC)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"expected a crontab expression such as '0 3 * * *', found {self.cron!r}: "
                                 f"{exc}") from None  # fmt: skip
        return self


class WallMarkers(_Model):
    """Regexes (case-insensitive) that mark a page as a wall, not content; added to the built-in markers."""

    login: list[CaselessRegex] = Field(default_factory=list)
    captcha: list[CaselessRegex] = Field(default_factory=list)
    queue: list[CaselessRegex] = Field(default_factory=list, description="DDoS-protection queues")


class SessionMarkers(_Model):
    """A logged-in session: regexes (case-insensitive) on a page that say the session expired or logged out."""

    logged_out: list[CaselessRegex] = Field(
        min_length=1, description="e.g. 'session has expired', 'please log in again'"
    )


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
    follow: list[Annotated[str, AfterValidator(_valid_region)]] = Field(
        default_factory=list, description="CSS selectors of links to follow"
    )
    max_depth: int = Field(default=8, ge=1, le=50)
    max_pages: int = Field(ge=1, le=1_000_000, description="pages one crawl fetches at most; required (e.g. 5000)")
    env: list[Annotated[str, AfterValidator(_valid_env_name)]] = Field(
        default_factory=list, description="environment variables the file reads with ${VAR}"
    )
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
            if problem := url_problem(url):
                raise ValueError(f"expected an http(s) URL that can be fetched, found {url!r} ({problem})")
            host = urlsplit(url).hostname or ""
            if is_onion_host(host) and (problem := onion_problem(host)):
                raise ValueError(problem)
            if tor and not is_onion_host(host):
                raise ValueError(f"tor: true expects .onion start URLs, found the clear-web URL {url!r}")
            if not tor and is_onion_host(host):
                raise ValueError(f"the onion URL {url!r} needs tor: true")
        return value

    def template_problems(self) -> list[tuple[Location, str]]:
        """What the template cannot read as the file says it (as location, message): pages and fields it needs
        and lacks, names it does not know (with the closest one), blocks given as fields and fields as blocks."""
        found: list[tuple[Location, str]] = []
        for page, fields in self.health.min_fill.items():
            for name in fields:
                if page not in self.pages or name not in self.pages[page].fields:
                    found.append((("health", "min_fill", page), f"no field {name!r} on a page {page!r} in pages"))
        kinds = templates.PAGES[self.template]
        for page, kind in kinds.items():
            if kind.needed and page not in self.pages:
                found.append((("pages",), f"template {self.template!r} needs a page {page!r}"))
        for page, spec in self.pages.items():
            if page not in kinds:
                found.append((("pages", page), f"template {self.template!r}: {templates.unknown('page', page, kinds)}"))
            else:
                found += _field_problems(("pages", page, "fields"), spec.fields, kinds[page].fields,
                                         kinds[page].required, f"template {self.template!r}")  # fmt: skip
        return found

    @property
    def site_name(self) -> str:
        return self.title


def _field_problems(
    loc: Location, fields: dict[str, Any], known: dict[str, str | templates.Rows], required: tuple[str, ...], where: str
) -> list[tuple[Location, str]]:
    found = [(loc, f"{where} needs the field {name!r}") for name in required if name not in fields]
    for name, spec in fields.items():
        here = (*loc, name)
        if name not in known:
            found.append((here, f"{where}: {templates.unknown('field', name, known)}"))
            continue
        shape = known[name]
        if isinstance(shape, templates.Rows):
            if not isinstance(spec, RowsSpec):
                rows = ", ".join(shape.fields)
                found.append((here, f"expected a block of rows (css or xpath, and fields: {rows}), found a field"))
            else:
                found += _field_problems((*here, "fields"), spec.fields, dict(shape.fields), shape.required,
                                         f"{where} (rows of {name})")  # fmt: skip
        elif isinstance(spec, RowsSpec):
            found.append((here, "expected a single field (css, xpath or from_url), found a block of rows"))
        elif spec.format and shape != templates.DATE:
            found.append(((*here, "format"), "expected no format: only date fields (posted_at) are read with one"))
    return found


def load_source(path: Path) -> Source:
    """Read and validate one source file; raise SourceError with every problem found, never anything else."""
    try:
        return _load(path, read_source_yaml(path))
    except SourceError:
        raise
    except Exception as exc:  # a bug or a limit met while validating: still this file's problem, not the caller's
        raise SourceError(path, [f"{path}:1: (file): cannot be validated: {type(exc).__name__}: {exc}"]) from exc


def _load(path: Path, located: Located) -> Source:
    env_problems: list[tuple[Location, str]] = []
    data = expand_env(located.data, declared_env(located.data), env_problems)
    problems = [f"{path}:{located.line(loc)}: {'.'.join(map(str, loc))}: {message}" for loc, message in env_problems]
    try:
        source = Source.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        for err in exc.errors():
            loc = _readable_loc(tuple(err["loc"]))
            field_name = ".".join(str(p) for p in loc) or "(top)"
            message = err["msg"].removeprefix("Value error, ")
            line = f"{path}:{located.line(loc)}: {field_name}: {message}"
            if line not in problems:
                problems.append(line)
        raise SourceError(path, problems) from exc
    problems += [
        f"{path}:{located.line(loc)}: {'.'.join(map(str, loc))}: {message}"
        for loc, message in source.template_problems()
    ]
    if source.name != path.stem:
        problems.append(f"{path}:{located.lines.get(('name',), 1)}: name: expected {path.stem!r} (the file name), "
                        f"found {source.name!r}")  # fmt: skip
    if problems:
        raise SourceError(path, problems)
    return source


def _readable_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Pydantic's location without the union-branch names it inserts (``FieldSpec``, ``RowsSpec``)."""
    return tuple(p for p in loc if p not in ("FieldSpec", "RowsSpec"))


def sources_dir() -> Path:
    """Where the source files are: ``NPSWATCH_SOURCES_DIR``, else ``crawlers/sources``."""
    return settings.sources_dir() or SOURCES_DIR


def source_files(directory: Path | None = None) -> list[Path]:
    directory = directory or sources_dir()
    return sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])


def iter_sources(directory: Path | None = None) -> Iterator[Source | SourceError]:
    """Every source file in the directory, loaded, or the error that stops it loading: one bad file never
    stops the others."""
    for path in source_files(directory):
        try:
            yield load_source(path)
        except SourceError as exc:
            yield exc


def valid_sources(report: Callable[[SourceError], None], directory: Path | None = None) -> Iterator[Source]:
    """The sources that load; each file that does not is given to ``report`` and skipped."""
    for entry in iter_sources(directory):
        if isinstance(entry, SourceError):
            report(entry)
        else:
            yield entry


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
