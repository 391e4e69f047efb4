"""Source health: one crawl's numbers against the source's thresholds and its own recent history.

``assess`` is a pure function: a finished run, the runs before it (newest first), the
source's ``health:`` thresholds and the time.  It says whether the site was up, and which
health problems the crawl shows (``signals.health`` turns them into source-health signals), of five types:

* ``needs_login``   a page carried the source's ``session.logged_out`` markers, or a login wall;
* ``blocked``       captcha or DDoS-queue pages and no items (reported, never solved);
* ``source_down``   ``down_after_failures`` failed crawls in a row (site unreachable, 5xx);
* ``source_gone``   no successful crawl for ``gone_after_days`` days (closed, seized, exit-scammed);
* ``layout_change`` the site answered but gave fewer than ``min_items`` items, a field filled on
  fewer than ``min_fill`` of its pages, or items fell below ``max_drop`` of the recent median.

A crawl that reached the site is also checked for its HTTP status mix and duration: more than
``max_error_share`` of its requests answered 4xx/5xx or failed is ``source_down`` (the site is
partly down), or ``blocked`` when most of those answers are 403 or 429 (it refuses or rate-limits
the crawler); a crawl longer than ``max_duration_factor`` times the median duration of the last
``history_runs`` successful crawls is ``source_down`` (slow).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawlers.config import HealthThresholds
from health.history import Run, RunHistory


@dataclass(frozen=True)
class Problem:
    """A health problem of one crawl."""

    type: str  # source_down | layout_change | needs_login | blocked | source_gone
    summary: str
    statistics: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """How a crawl ended, as the run history records it (docs/scheduler.md#results)."""

    result: str  # ok | failed | interrupted | timeout | error
    exit_code: int | None
    report: dict[str, Any]
    message: str | None


def crawl_outcome(code: int, report: dict[str, Any], *, timed_out: bool = False, timeout: float = 0.0,
                  error: str = "the crawl process failed before writing a report") -> Outcome:  # fmt: skip
    """The outcome of a crawl from its exit code (0: every page read as expected) and its JSON report; ``error``
    says why when it could not even start (exit code 2, or no report)."""
    if report.get("finish_reason") == "shutdown" and not timed_out:
        return Outcome("interrupted", code, report, "stopped with the scheduler; resumes at the next start")
    if timed_out:
        return Outcome("timeout", code, report, f"stopped after the {timeout:.0f}s crawl timeout")
    if code == 2 or not report:
        return Outcome("error", code, report, error)
    if code == 0 and content_pages(report):
        return Outcome("ok", code, report, None)
    return Outcome("failed", code, report, failure_message(report))


@dataclass(frozen=True)
class Assessment:
    availability: str  # up | down | blocked | needs_login | unknown
    problems: tuple[Problem, ...]

    @property
    def state(self) -> str:
        return self.problems[0].type if self.problems else "ok"


def stat_group(report: dict[str, Any], prefix: str) -> dict[str, int]:
    """``npswatch/<prefix>/...`` counters of a crawl's JSON report (``npswatch_stats``)."""
    found = report.get("npswatch_stats") or {}
    return {k.removeprefix(prefix): int(v) for k, v in found.items() if k.startswith(prefix)}


def fill_rates(report: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Page type -> field -> share of that type's pages where the field was filled."""
    pages = stat_group(report, "npswatch/pages/")
    rates: dict[str, dict[str, float]] = {}
    for key, count in stat_group(report, "npswatch/fields/").items():
        page, _, name = key.partition("/")
        if pages.get(page):
            rates.setdefault(page, {})[name] = round(count / pages[page], 4)
    return rates


def request_mix(report: dict[str, Any]) -> tuple[int, dict[str, int]]:
    """Requests for the site's own pages (robots.txt aside) and the failed ones: ``HTTP <status>`` for 4xx/5xx
    answers (each retry counts), the exception's name for download errors (timeouts, refused connections)."""
    robots = report.get("robots_status") or {}
    statuses = {str(k): int(v) - int(robots.get(str(k), 0)) for k, v in (report.get("http_status") or {}).items()}
    errors = {str(k): int(v) for k, v in (report.get("errors") or {}).items() if int(v) > 0}
    errors = {k: v for k, v in errors.items() if not k.startswith("parser/")}  # pages that came, not requests
    failed = {f"HTTP {k}": v for k, v in sorted(statuses.items()) if v > 0 and k.isdigit() and int(k) >= 400}
    return sum(v for v in statuses.values() if v > 0) + sum(errors.values()), {**failed, **errors}


def duration(run: Run) -> float | None:
    """Seconds from the spider's start to its end (``elapsed_seconds`` of the report); None when not known."""
    value = run.report.get("elapsed_seconds", run.report.get("seconds"))
    return float(value) if isinstance(value, int | float) and value > 0 else None


def failure_message(report: dict[str, Any]) -> str:
    """Why a crawl failed, in one line: HTTP errors, download and parser errors, walls, session, items not stored."""
    status = ", ".join(f"HTTP {k}: {v}" for k, v in sorted(report.get("http_status", {}).items()) if k >= "400")
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(report.get("errors", {}).items()))
    walls = ", ".join(f"{k} wall: {v}" for k, v in sorted(stat_group(report, "npswatch/walls/").items()))
    session = "session logged out" if stat_group(report, "npswatch/session/") else ""
    delivery = report.get("delivery") or {}
    lost, kept = int(delivery.get("lost", 0)), int(delivery.get("dead_lettered", 0))
    files = ", ".join(report.get("dead_letter_files") or {})
    stored = f"items not stored: {lost} lost, {kept} in the dead-letter file {files}".strip() if lost or kept else ""
    return "; ".join(x for x in (status, errors, walls, session, stored) if x) or "no page of the site's own fetched"


def content_pages(report: dict[str, Any]) -> int:
    """Pages the spider read as the site's own (any page type, navigation included), not walls or errors."""
    return sum(v for k, v in stat_group(report, "npswatch/pages/").items() if k != "not_text")


def availability(run: Run) -> str:
    """Up, down, blocked or needs_login from one finished run (unknown: stopped before it could tell)."""
    report = run.report
    walls = stat_group(report, "npswatch/walls/")
    if stat_group(report, "npswatch/session/") or walls.get("login"):
        return "needs_login"
    if (walls.get("captcha") or walls.get("queue")) and run.items == 0:
        return "blocked"
    if content_pages(report) or run.items:
        return "up"
    return "unknown" if run.result == "interrupted" else "down"


def _failed(run: Run) -> bool:
    return run.availability == "down"


def assess(run: Run, previous: list[Run], thresholds: HealthThresholds, now: datetime) -> Assessment:
    """The availability this run shows and the health problems, worst first."""
    state = availability(run)
    problems: list[Problem] = []
    if state == "needs_login":
        problems.append(Problem("needs_login", f"{run.source}: the session expired or the site asks to log in; a "
                                "person has to log in and export fresh cookies (cookies_file)",
                                {"walls": stat_group(run.report, "npswatch/walls/"),
                                 "session": stat_group(run.report, "npswatch/session/")}))  # fmt: skip
    elif state == "blocked":
        walls = stat_group(run.report, "npswatch/walls/")
        problems.append(Problem("blocked", f"{run.source}: captcha or DDoS-queue pages instead of content "
                                f"({', '.join(f'{k} {v}' for k, v in sorted(walls.items()))}); not solved",
                                {"walls": walls}))  # fmt: skip
    elif state == "down":
        problems.extend(_down(run, previous, thresholds, now))
    elif state == "up":
        problems.extend(_requests(run, previous, thresholds))
        problems.extend(_layout(run, previous, thresholds))
    return Assessment(state, tuple(problems))


def _down(run: Run, previous: list[Run], thresholds: HealthThresholds, now: datetime) -> list[Problem]:
    failures = 1
    for earlier in previous:
        if earlier.result in ("interrupted", "missed", "running"):
            continue
        if not _failed(earlier):
            break
        failures += 1
    last_up = next((r for r in previous if r.availability == "up"), None)
    first = previous[-1] if previous else run
    down_since = datetime.fromisoformat((last_up.ended or last_up.started) if last_up else first.started)
    days = (now - down_since).total_seconds() / 86400
    stats = {"consecutive_failures": failures, "days_without_success": round(days, 2),
             "http_status": run.report.get("http_status", {}), "errors": run.report.get("errors", {}),
             "message": run.message}  # fmt: skip
    if days >= thresholds.gone_after_days:
        return [Problem("source_gone", f"{run.source}: no successful crawl for {days:.0f} days (gone after "
                        f"{thresholds.gone_after_days}): closed, seized or exit-scammed?", stats)]  # fmt: skip
    if failures >= thresholds.down_after_failures:
        return [Problem("source_down", f"{run.source}: {failures} failed crawls in a row (threshold "
                        f"{thresholds.down_after_failures}); last: {run.message or run.result}", stats)]  # fmt: skip
    return []


def _layout(run: Run, previous: list[Run], thresholds: HealthThresholds) -> list[Problem]:
    if run.result == "interrupted":
        return []
    found: list[Problem] = []
    pages = stat_group(run.report, "npswatch/pages/")
    rates = fill_rates(run.report)
    if run.items < thresholds.min_items:
        found.append(Problem("layout_change", f"{run.source}: the site answered ({run.pages} pages) but gave "
                             f"{run.items} items (at least {thresholds.min_items} expected)",
                             {"items": run.items, "pages": pages}))  # fmt: skip
    for page, fields in thresholds.min_fill.items():
        if not pages.get(page):
            continue
        for name, least in fields.items():
            share = rates.get(page, {}).get(name, 0.0)
            if share < least:
                found.append(Problem("layout_change", f"{run.source}: field {name!r} filled on {share:.0%} of "
                                     f"{pages[page]} {page} pages (at least {least:.0%} expected)",
                                     {"page": page, "field": name, "fill_rate": share, "min_fill": least}))  # fmt: skip
    recent = [r.items for r in _recent_ok(previous, thresholds)]
    if len(recent) >= thresholds.history_runs and run.items >= thresholds.min_items:
        median = statistics.median(recent)
        if median and run.items < thresholds.max_drop * median:
            found.append(Problem("layout_change", f"{run.source}: {run.items} items, below {thresholds.max_drop:.0%} "
                                 f"of the median of the last {len(recent)} crawls ({median:g})",
                                 {"items": run.items, "median": median, "recent": recent}))  # fmt: skip
    return found


def _recent_ok(previous: list[Run], thresholds: HealthThresholds) -> list[Run]:
    """The last ``history_runs`` successful crawls, newest first."""
    return [r for r in previous if r.availability == "up" and r.result == "ok"][: thresholds.history_runs]


def _requests(run: Run, previous: list[Run], thresholds: HealthThresholds) -> list[Problem]:
    """The HTTP status mix and errors against ``max_error_share``, the duration against the recent median."""
    if run.result == "interrupted":
        return []
    found: list[Problem] = []
    requests, failed = request_mix(run.report)
    share = sum(failed.values()) / requests if requests else 0.0
    if share > thresholds.max_error_share:
        refused = failed.get("HTTP 403", 0) + failed.get("HTTP 429", 0)
        kind, why = ("blocked", "the site refuses or rate-limits the crawler") if 2 * refused > sum(
            failed.values()) else ("source_down", "the site is partly down")  # fmt: skip
        listed = ", ".join(f"{k}: {v}" for k, v in sorted(failed.items()))
        found.append(Problem(kind, f"{run.source}: {share:.0%} of {requests} requests failed ({listed}; at most "
                             f"{thresholds.max_error_share:.0%} expected): {why}",
                             {"requests": requests, "failed": failed, "error_share": round(share, 4),
                              "max_error_share": thresholds.max_error_share}))  # fmt: skip
    took = duration(run)
    recent = [d for d in (duration(r) for r in _recent_ok(previous, thresholds)) if d is not None]
    if took is not None and len(recent) >= thresholds.history_runs:
        median = statistics.median(recent)
        if median and took > thresholds.max_duration_factor * median:
            found.append(Problem("source_down", f"{run.source}: the crawl took {took:.1f}s, {took / median:.1f} "
                                 f"times the median of the last {len(recent)} crawls ({median:.1f}s; at most "
                                 f"{thresholds.max_duration_factor:g} times expected): the site is slow or throttles",
                                 {"seconds": round(took, 2), "median_seconds": round(median, 2),
                                  "recent_seconds": [round(d, 2) for d in recent],
                                  "max_duration_factor": thresholds.max_duration_factor}))  # fmt: skip
    return found


def check(history: RunHistory, run: Run, thresholds: HealthThresholds, now: datetime,
          forced: Assessment | None = None) -> Assessment:  # fmt: skip
    """Assess a finished run against the thresholds and the source's earlier runs (``forced``: an assessment already
    known, e.g. a cookies file the crawl could not start with), and record the run's availability and the source's
    health in the run history."""
    previous = [r for r in history.runs(run.source, 200, before=run.started) if r.id != run.id]
    assessment = forced or assess(run, previous, thresholds, now)
    history.set_availability(run.id, assessment.availability)
    detail = "; ".join(p.summary for p in assessment.problems) or f"{run.items} items from {run.pages} pages"
    history.set_health(run.source, assessment.state, detail, now)
    return assessment
