"""Crawl reports and recorded runs as the health checks read them, for the health and source-health signal tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crawlers.config import HealthThresholds
from health.history import Run

T0 = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
THRESHOLDS = HealthThresholds(min_items=5, min_fill={"listing": {"title": 0.9, "native_id": 0.9}}, max_drop=0.3,
                              history_runs=3, down_after_failures=2, gone_after_days=3, max_error_share=0.2,
                              max_duration_factor=3)  # fmt: skip


def report(listings: int = 20, title: int | None = None, walls: dict[str, int] | None = None,
           session: int = 0, status: dict[str, int] | None = None, errors: dict[str, int] | None = None,
           robots: dict[str, int] | None = None, seconds: float = 10.0) -> dict[str, Any]:  # fmt: skip
    stats = {"npswatch/pages/listing": listings, "npswatch/pages/navigation": 4,
             "npswatch/fields/listing/title": listings if title is None else title,
             "npswatch/fields/listing/native_id": listings}  # fmt: skip
    stats.update({f"npswatch/walls/{k}": v for k, v in (walls or {}).items()})
    if session:
        stats["npswatch/session/logged_out"] = session
    return {"pages": listings + 4, "items": {"listing": listings if title is None else title},
            "errors": errors or {}, "http_status": status or {"200": listings + 4}, "robots_status": robots or {},
            "elapsed_seconds": seconds, "npswatch_stats": stats}  # fmt: skip


def run(result: str = "ok", rep: dict[str, Any] | None = None, day: int = 0, run_id: int = 1,
        availability: str | None = None) -> Run:  # fmt: skip
    rep = report() if rep is None else rep
    items = sum(rep.get("items", {}).values())
    started = (T0 + timedelta(days=day)).isoformat()
    return Run(run_id, "nova_market", started, started, 0 if result == "ok" else 1, result, availability,
               int(rep.get("pages", 0)), items, 0, None, None, rep)  # fmt: skip


def history_of(*runs: Run) -> list[Run]:
    return list(reversed(runs))  # newest first, as RunHistory.runs gives them


def down(day: int, run_id: int, availability: str | None = None) -> Run:
    rep = {"pages": 4, "items": {}, "errors": {}, "http_status": {"503": 4}, "npswatch_stats": {}}
    return run("failed", rep, day=day, run_id=run_id, availability=availability)
