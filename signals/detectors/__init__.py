"""Statistical detectors for early-warning signals: pure functions of series, no storage, no Scrapy.

- Count detectors (uniform API, by name from :func:`get_detector`): EARS C1/C2/C3, Farrington flexible presets,
  Bayes (sparse series). Each takes counts (1-D, or series x time) and returns a :class:`DetectorResult` with the
  upper bound (NaN where not computable), the alarms and per-point statistics.
- :func:`first_seen`: first sightings of an entity, or of a known entity in a new market / country / language.
- :func:`price_shift` / :func:`price_shift_at`: robust change in prices between two windows.
- :func:`paired_shift`: the same listings' daily prices before and after, exact stratified rank test (the signals').
- :class:`AdverseSurge`: rising share of adverse-effect mentions; :class:`AdverseDoubling`: adverse posts doubled.

Parameters and defaults: docs/detectors.md.
"""

from .adverse import AdverseDoubling, AdverseSurge
from .base import DetectorError, DetectorResult, ParameterError, SeriesError
from .bayes import Bayes
from .ears import EarsC
from .farrington import PRESETS, FarringtonConfig, FarringtonFlexible
from .firstseen import FirstSeen, Sighting, first_seen
from .paired import PairedShift, minimum_detectable_change, paired_shift, stratified_rank_test
from .priceshift import PriceShift, price_shift, price_shift_at
from .registry import (
    DEFAULT_SPIKE,
    DEFAULT_SPIKE_PARAMS,
    REGISTRY,
    CountDetector,
    default_spike_detector,
    detector_names,
    get_detector,
    parse_params,
)

__all__ = [
    "DEFAULT_SPIKE",
    "DEFAULT_SPIKE_PARAMS",
    "PRESETS",
    "REGISTRY",
    "AdverseDoubling",
    "AdverseSurge",
    "Bayes",
    "CountDetector",
    "DetectorError",
    "DetectorResult",
    "EarsC",
    "FarringtonConfig",
    "FarringtonFlexible",
    "FirstSeen",
    "PairedShift",
    "ParameterError",
    "PriceShift",
    "SeriesError",
    "Sighting",
    "default_spike_detector",
    "detector_names",
    "first_seen",
    "get_detector",
    "minimum_detectable_change",
    "paired_shift",
    "parse_params",
    "price_shift",
    "price_shift_at",
    "stratified_rank_test",
]
