"""Detector settings: one validated YAML file (``npswatch signals run --config FILE``), defaults beside each field.

Every setting is documented with its default in docs/signals.md ("Settings"); the defaults here are the ones in
force without a file.  A file need only give what it changes; an unknown key, a wrong type or a value out of range
is an error that names the file, the line and the field (``signals.yml:12: price_shift.alpha: Input should be less
than or equal to 0.5``), and nothing runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from crawlers.sourcefile import SourceError, read_source_yaml
from signals.detectors import get_detector
from signals.detectors.base import DetectorError

COUNT_MEASURES = ("listings", "vendors")


class SignalsConfigError(Exception):
    """A detector settings file that cannot be used; ``problems`` lists each one as ``file:line: field: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exclusions(_Model):
    """Substances that never signal: co-used with drugs (alcohol, tobacco, caffeine) or given against them
    (naloxone).  Extraction still finds them; the detectors skip them.  Names compare case-insensitively."""

    substances: tuple[str, ...] = ("alcohol", "ethanol", "tobacco", "nicotine", "caffeine", "naloxone", "nalmefene")
    groups: tuple[str, ...] = ("alcohol", "tobacco", "nicotine", "caffeine", "co-used", "opioid antagonist")


class FirstSeenConfig(_Model):
    dimensions: tuple[Literal["market", "country", "language"], ...] = ("market", "country", "language")
    min_count: int = Field(default=3, ge=1)  # sightings in a new market/country/language needed
    episode_days: int = Field(default=28, ge=1)  # a first sighting stays open (and is updated) this long
    new_market: Literal["digest", "low"] = "digest"  # known substance, new market: digest line or signal
    rare_max_documents: int = Field(default=10, ge=0)  # new language/country only below this
    new_language: Literal["digest", "low"] = "digest"  # rare substance, first posts in a language: digest or signal
    high_min_documents: int = Field(default=2, ge=1)  # documents (or one listing) before a new substance is high
    dimension_warmup_days: int = Field(default=28, ge=0)  # a source's first days: history of languages, countries


class SpikeConfig(_Model):
    method: str = "ears-c2"  # count detector over each market's daily distinct listings (its crawl days only)
    params: dict[str, Any] = {"min_sigma": 1.0, "alpha": 0.001}
    min_count: int = Field(default=5, ge=1)  # listings needed on the day
    min_ratio: float = Field(default=1.5, ge=1.0)  # observed / baseline mean needed
    max_vendor_share: float = Field(default=0.5, gt=0, le=1)  # most of the rise one vendor may give (1: no guard)
    min_new_share: float = Field(default=0.5, ge=0, le=1)  # least of the rise new listings must give (0: no guard)
    market_adjust: bool = True  # expected count and bound grow with the rest of the market (shops back from a break)
    close_after: int = Field(default=7, ge=1)

    @field_validator("params")
    @classmethod
    def _known(cls, value: dict[str, Any], info: Any) -> dict[str, Any]:
        method = info.data.get("method", "ears-c2")
        try:
            get_detector(method, **value)
        except DetectorError as exc:
            raise ValueError(str(exc)) from exc
        return value


class PriceShiftConfig(_Model):
    window: int = Field(default=1, ge=1)  # days in the current window, ending on the day (1: that day's crawl)
    reference: int = Field(default=21, ge=1)  # days in the reference window before it
    gap: int = Field(default=0, ge=0)  # days left out between the two windows
    alpha: float = Field(default=0.01, gt=0, le=0.5)  # two-sided level of the exact sign-flip test
    min_listings: int = Field(default=3, ge=1)  # listings present in both windows needed for a signal
    min_change: float = Field(default=0.2, ge=0)  # smallest relative change of the median listing worth a signal
    market_adjust: bool = True  # compare with the market's other substances (currency swings, market-wide moves)
    market_min_substances: int = Field(default=3, ge=1)  # other substances (with listings in both windows) it needs
    close_after: int = Field(default=14, ge=1)


class AdverseConfig(_Model):
    window: int = Field(default=7, ge=1)  # days in the current window (whole weeks keep the weekly rhythm out)
    baseline: int = Field(default=28, ge=1)  # days in the reference window
    gap: int = Field(default=0, ge=0)
    alpha: float = Field(default=0.01, gt=0, le=0.5)  # one-sided level of both tests
    min_adverse: int = Field(default=3, ge=1)  # adverse posts needed in the current window
    min_ratio: float = Field(default=2.0, ge=1.0)  # doubling: current rate (or share) / reference rate needed
    min_share_ratio: float = Field(default=1.5, ge=1.0)  # the doubling of posts must not be more talk alone
    share_prior: float = Field(default=10.0, ge=0)  # mentions at the forum's adverse share added to the reference
    forum_control: bool = True  # the doubling's adverse share must stand out from the other substances' that week
    doubling_min_adverse: int = Field(default=5, ge=1)  # adverse posts (severe or not) in the window for a doubling
    sparse_method: str = "bayes"  # when the substance had no mentions in the reference window
    sparse_params: dict[str, Any] = {"w": 7, "alpha": 0.01, "gap": 1}
    high_severe: int = Field(default=3, ge=1)  # severe posts in the window that make a surge high
    close_after: int = Field(default=7, ge=1)


class RunConfig(_Model):
    """Detectors and their settings per signal type (docs/signals.md, "Settings")."""

    warmup_days: int = Field(default=7, ge=0)  # days after the store's first crawl that only build history
    max_evidence: int = Field(default=50, ge=1)  # evidence items kept per signal (the earliest)
    exclude: Exclusions = Exclusions()
    first_seen: FirstSeenConfig = FirstSeenConfig()
    spike: SpikeConfig = SpikeConfig()
    price_shift: PriceShiftConfig = PriceShiftConfig()
    adverse_surge: AdverseConfig = AdverseConfig()


def load_config(path: Path | None) -> RunConfig:
    """The settings of ``path`` over the defaults (None: the defaults); SignalsConfigError naming file, line, field."""
    if path is None:
        return RunConfig()
    try:
        located = read_source_yaml(path)
    except SourceError as exc:
        raise SignalsConfigError(exc.problems) from exc
    try:
        return RunConfig.model_validate(located.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            name = ".".join(str(p) for p in loc) or "(top)"
            problems.append(f"{path}:{located.line(loc)}: {name}: {err['msg'].removeprefix('Value error, ')}")
        raise SignalsConfigError(problems) from exc
