"""Count detectors by name.

>>> det = get_detector("ears-c1", min_sigma=0.5)
>>> result = det([0, 1, 0, 0, 2, 0, 1, 0, 5])

Every entry is a factory taking the detector's keyword parameters (all optional; defaults in docs/detectors.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import numpy.typing as npt

from .base import DetectorResult, ParameterError
from .bayes import Bayes
from .ears import EarsC
from .farrington import PRESETS, FarringtonFlexible


class CountDetector(Protocol):
    """What every count detector offers."""

    name: str

    @property
    def params(self) -> dict[str, Any]: ...

    @property
    def min_history(self) -> int: ...

    def __call__(
        self, counts: npt.ArrayLike, dates: npt.ArrayLike | None = None, *, times: npt.ArrayLike | None = None
    ) -> DetectorResult: ...


def _farrington(preset: str) -> Callable[..., CountDetector]:
    def make(**params: Any) -> CountDetector:
        return FarringtonFlexible(preset, PRESETS[preset], **params)

    return make


def _ears(method: str) -> Callable[..., CountDetector]:
    def make(**params: Any) -> CountDetector:
        return EarsC(method, **params)  # type: ignore[arg-type]

    return make


def _bayes(name: str, **defaults: Any) -> Callable[..., CountDetector]:
    def make(**params: Any) -> CountDetector:
        return Bayes(name, **{**defaults, **params})

    return make


#: The default spike detector: Noufaily's improved Farrington at alpha 0.01, the level of Bedubourg & Le Strat (2017).
#: In the 42-scenario benchmark it keeps FPR under 1 % and has the highest POD of the detectors that do
#: (docs/surveillance-benchmark.md); the `muan` threshold and dropping limit54 were tried and do no better.
DEFAULT_SPIKE = "farrington-noufaily"
DEFAULT_SPIKE_PARAMS: dict[str, Any] = {"alpha": 0.01}

REGISTRY: dict[str, Callable[..., CountDetector]] = {
    "ears-c1": _ears("C1"),
    "ears-c2": _ears("C2"),
    "ears-c3": _ears("C3"),
    **{name: _farrington(name) for name in PRESETS},
    "bayes": _bayes("bayes"),
    "bayes-2": _bayes("bayes-2", w=6, b=1),
    "bayes-3": _bayes("bayes-3", w=4, b=2, act_y=False),
}


def detector_names() -> list[str]:
    """Registered count-detector names, sorted."""
    return sorted(REGISTRY)


def get_detector(name: str, **params: Any) -> CountDetector:
    """Build the detector ``name`` with ``params`` overriding its defaults.

    Raises :class:`ParameterError` for an unknown name or parameter, or a value out of range.
    """
    try:
        factory = REGISTRY[name]
    except KeyError:
        raise ParameterError(f"detector: expected one of {', '.join(detector_names())}, found {name!r}") from None
    try:
        return factory(**params)
    except TypeError as exc:
        raise ParameterError(f"{name}: unknown parameter ({exc})") from exc


def default_spike_detector(**params: Any) -> CountDetector:
    """The project's default spike detector (:data:`DEFAULT_SPIKE` with :data:`DEFAULT_SPIKE_PARAMS`)."""
    return get_detector(DEFAULT_SPIKE, **{**DEFAULT_SPIKE_PARAMS, **params})


def parse_params(name: str, pairs: list[str]) -> dict[str, Any]:
    """Turn ``["min_sigma=0.5", "alpha=0.01"]`` (CLI ``--param KEY=VALUE``) into typed keyword arguments for ``name``.

    Each value takes the type of the parameter's default (bool: true/false/1/0/yes/no; ``limit54``: ``5,4``).
    """
    defaults = get_detector(name).params
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or key not in defaults:
            raise ParameterError(
                f"{name}: expected KEY=VALUE with KEY in {', '.join(sorted(defaults))}, found {pair!r}"
            )
        out[key] = _coerce(name, key, text, defaults[key])
    return out


def _coerce(name: str, key: str, text: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("true", "1", "yes")
        if isinstance(default, tuple):
            return tuple(int(v) for v in text.split(","))
        if isinstance(default, int) or (default is None and key == "past_weeks_not_included"):
            return int(text)
        if isinstance(default, float):
            return float(text)
        return text
    except ValueError:
        kind = "a comma-separated pair" if isinstance(default, tuple) else type(default).__name__
        raise ParameterError(f"{name}: {key} expected {kind}, found {text!r}") from None
