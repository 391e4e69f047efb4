"""Shared types of the count detectors: the result record, input checks and errors.

Every count detector takes counts as a 1-D array (one series) or a 2-D array (series x time points, all of the same
length) and returns a :class:`DetectorResult` of the same shape. Missing counts are NaN; a bound that needs a missing
or absent value is NaN and never raises an alarm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]


class DetectorError(Exception):
    """Base class of the errors raised by :mod:`signals.detectors`."""


class SeriesError(DetectorError, ValueError):
    """The input series cannot be used (wrong shape, negative, infinite or non-numeric values)."""


class ParameterError(DetectorError, ValueError):
    """A detector parameter is out of its allowed range, or the detector name is unknown."""


@dataclass(frozen=True)
class DetectorResult:
    """What a count detector says about each time point of a series.

    Arrays have the shape of the input counts (``(n,)`` or ``(n_series, n)``).

    Attributes:
        method: registry name of the detector (``"ears-c1"``, ...).
        params: the parameters in force, defaults included.
        observed: the counts as floats (NaN where missing).
        upperbound: the alarm threshold; NaN where it could not be computed (too little history, missing data,
            or a rule of the method such as Farrington's ``limit54``).
        alarm: True where ``observed > upperbound`` (and the method's extra rules hold); never True where
            ``computed`` is False.
        computed: True where the method produced a verdict (R gives a non-NA alarm there).
        statistics: per-point statistics of the method (expected value, dispersion, p-value, ...), NaN where absent.
        messages: human-readable notes (e.g. history too short); empty when everything could be computed.
    """

    method: str
    params: dict[str, Any]
    observed: FloatArray
    upperbound: FloatArray
    alarm: BoolArray
    computed: BoolArray
    statistics: dict[str, FloatArray] = field(default_factory=dict)
    messages: tuple[str, ...] = ()


def as_counts(counts: npt.ArrayLike, *, name: str = "counts") -> FloatArray:
    """Check and convert counts to a float array of 1 or 2 dimensions (NaN = missing).

    Raises :class:`SeriesError` for non-numeric, negative, infinite or non-integer values, or a wrong shape.
    """
    try:
        arr = np.asarray(counts, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SeriesError(f"{name}: expected numbers (NaN for a missing count), found {exc}") from exc
    if arr.ndim not in (1, 2):
        raise SeriesError(f"{name}: expected a 1-D series or a 2-D array (series x time), found {arr.ndim} dimensions")
    if np.isinf(arr).any():
        raise SeriesError(f"{name}: expected finite counts, found infinity at index {_first(np.isinf(arr))}")
    finite = arr[~np.isnan(arr)]
    if (finite < 0).any():
        raise SeriesError(f"{name}: expected counts >= 0, found {finite[finite < 0][0]:g} at index {_first(arr < 0)}")
    if (finite != np.round(finite)).any():
        bad = finite[finite != np.round(finite)][0]
        raise SeriesError(f"{name}: expected whole counts, found {bad:g} at index {_first(arr != np.round(arr))}")
    return arr


def _first(mask: npt.NDArray[np.bool_]) -> tuple[int, ...] | int:
    idx = tuple(int(i[0]) for i in np.nonzero(mask))
    return idx[0] if len(idx) == 1 else idx


def as_2d(arr: FloatArray) -> tuple[FloatArray, bool]:
    """Return ``(array as 2-D, was_1d)``."""
    return (arr[None, :], True) if arr.ndim == 1 else (arr, False)


def select_times(n: int, times: Sequence[int] | npt.ArrayLike | None) -> IntArray:
    """0-based time indices to evaluate: all of ``0..n-1`` when ``times`` is None."""
    if times is None:
        return np.arange(n, dtype=np.intp)
    idx = np.unique(np.asarray(times, dtype=np.intp))
    if idx.size and (idx[0] < 0 or idx[-1] >= n):
        raise ParameterError(f"times: expected indices in 0..{n - 1}, found {idx[0]}..{idx[-1]}")
    return idx


def build_result(
    method: str,
    params: dict[str, Any],
    observed: FloatArray,
    upperbound: FloatArray,
    alarm: BoolArray,
    computed: BoolArray,
    statistics: dict[str, FloatArray],
    was_1d: bool,
    messages: tuple[str, ...] = (),
) -> DetectorResult:
    """Assemble a result, squeezing back to 1-D when the input was 1-D."""

    def fix(a: Any) -> Any:
        return a[0] if was_1d else a

    return DetectorResult(
        method=method,
        params=params,
        observed=fix(observed),
        upperbound=fix(upperbound),
        alarm=fix(alarm & computed),
        computed=fix(computed),
        statistics={k: fix(v) for k, v in statistics.items()},
        messages=messages,
    )


def check_range(name: str, value: float, low: float, high: float | None = None, *, low_open: bool = False) -> None:
    """Raise :class:`ParameterError` unless ``low <= value (<= high)`` (``low < value`` with ``low_open``)."""
    ok = (value > low if low_open else value >= low) and (high is None or value <= high)
    if not ok or not np.isfinite(value):
        bound = f"{'>' if low_open else '>='} {low}" + ("" if high is None else f" and <= {high}")
        raise ParameterError(f"{name}: expected a number {bound}, found {value!r}")
