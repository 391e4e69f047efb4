"""Triage by value to an early-warning system: which subjects never signal, and how severe a first sighting is.

Each rule answers a case an EWS officer met (docs/signals.md, "Triage rules"):

- **co-used substances never signal** (``Exclusions``: alcohol, tobacco, nicotine, caffeine, naloxone and their
  groups, configurable): "don't mix with alcohol" and "carry naloxone" are harm-reduction advice, not news;
- **a class name is not a substance** (``... (unspecified)``): its first sighting is a digest line, never a signal;
- **never seen in any monitored source** (a novel candidate, or an NPS the lexicon knows but the store never had) is
  high, once it was seen in ``high_min_documents`` documents or one listing; a single forum post is low until then
  (a name in one post is a lead, a listing is an offer);
- **a name only the trained recogniser proposes** (no naming scheme reads it, its family "unknown": "BTC-prijzen",
  "Holland-3M") is the model's guess that a word is a substance, not which one: a digest line for an analyst until a
  second source names it, then medium;
- **an NPS the lexicon knows, only talked about** (no listing, and no post reporting a dose, a route or an effect:
  news of a seizure, warnings) is a digest line until it is offered or used; a novel name is a signal however it is
  mentioned (the name is the news);
- **a classic drug or medicine new to the store** (the lexicon's ``nps: false``: THC, oxycodone) is low: known to
  every EWS, new only to this store's sources;
- **a known substance on one more market** is a digest line (``new_market: digest``) or a low signal;
- **a new language or country** is reported only for substances rare in the store (fewer than
  ``rare_max_documents`` documents before it), after the source's own warm-up: MDMA "first seen in French" on day 20
  is an artefact of a short history, not news.
"""

from __future__ import annotations

from functools import lru_cache

from signals.config import Exclusions, FirstSeenConfig
from signals.series import GENERIC_SUFFIX, SubjectInfo


@lru_cache(maxsize=4096)
def substance_groups(name: str) -> tuple[str, str, bool | None]:
    """(chemical group, effect group, nps) of a known substance from the lexicon; ("", "", None) for a name it does
    not know (a candidate)."""
    from nlp.resources import lexicon

    found = lexicon().by_canonical(name)
    if found is None:
        return "", "", None
    return found.chemical_group, found.effect_group, found.nps


def excluded(name: str, info: SubjectInfo | None, exclusions: Exclusions) -> bool:
    """Whether ``name`` never signals: a co-used substance by name or by its lexicon group."""
    names = {n.casefold() for n in exclusions.substances}
    groups = {g.casefold() for g in exclusions.groups}
    if name.casefold() in names:
        return True
    chemical, effect, _ = substance_groups(name)
    mine = {chemical.casefold(), effect.casefold()} - {""}
    if info is not None and not info.known and info.family:
        mine.add(info.family.casefold())
    return bool(mine & groups)


def is_class(name: str) -> bool:
    return name.endswith(GENERIC_SUFFIX)


UNIDENTIFIED = ("", "unknown")  # the family of a candidate no naming scheme reads (the recogniser's chemical group)


def new_subject_severity(name: str, info: SubjectInfo | None, documents: int, listings: int,
                         config: FirstSeenConfig, sources: int = 1, used: bool = True) -> tuple[str, str]:  # fmt: skip
    """(severity, rule) of a subject never seen before, in ``documents`` documents (``listings`` of them listings)
    of ``sources`` sources, ``used`` when one of them reports use (a dose, a route, an effect): see the module
    docstring."""
    if is_class(name):
        return "digest", "a class name, not a substance"
    _, _, nps = substance_groups(name)
    candidate = info is not None and not info.known
    if candidate and info is not None and (info.family or "") in UNIDENTIFIED:
        if sources >= 2:
            return "medium", f"a name no naming scheme reads (the trained recogniser's guess), in {sources} sources"
        return "digest", "a name no naming scheme reads (the trained recogniser's guess), in one source so far"
    if not candidate and nps is False:
        return "low", "a classic drug or medicine, new only to these sources"
    if not candidate and listings == 0 and not used:
        return "digest", "an NPS the lexicon knows, talked about only (no listing, no use reported: news, warnings)"
    corroborated = listings >= 1 or documents >= config.high_min_documents
    what = "a novel candidate" if candidate else "an NPS never seen in any monitored source"
    if corroborated:
        return "high", f"{what}, in {listings} listing(s) and {documents} document(s)"
    return "low", f"{what}, so far in one forum post (high from {config.high_min_documents} documents or a listing)"
