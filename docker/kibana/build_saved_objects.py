"""Build ``saved_objects.ndjson``: the npswatch data views, visualizations and dashboard for Kibana 8/9.

Run ``python docker/kibana/build_saved_objects.py`` after changing a panel and commit both files; the
``kibana-setup`` compose service imports the NDJSON (``POST /api/saved_objects/_import?overwrite=true``),
and ``tests/test_compose.py`` checks that it is up to date and that every field it uses is in
``storage/mappings``.  Panels are aggregation-based visualizations (``visualization`` saved objects), which
Kibana 8 and 9 import and render.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "saved_objects.ndjson"
OBSERVATIONS, DOCUMENTS = "npswatch-observations", "npswatch-documents"
REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
PANELS: list[dict[str, Any]] = [
    {
        "id": "npswatch-listings-per-substance",
        "title": "Listings per substance over time",
        "type": "line",
        "view": OBSERVATIONS,
        "query": "kind:listing",
        "aggs": [
            {"id": "1", "schema": "metric", "type": "cardinality", "params": {"field": "doc_id"}},
            {"id": "2", "schema": "segment", "type": "date_histogram", "params": {"field": "seen_at", "interval": "w"}},
            {"id": "3", "schema": "group", "type": "terms", "params": {"field": "substance", "size": 15,
                                                                      "order": "desc", "orderBy": "1"}},
        ],
    },
    {
        "id": "npswatch-eur-per-gram",
        "title": "EUR per gram by substance (median, weekly)",
        "type": "line",
        "view": OBSERVATIONS,
        "query": "kind:listing and eur_per_gram > 0",
        "aggs": [
            {"id": "1", "schema": "metric", "type": "median", "params": {"field": "eur_per_gram"}},
            {"id": "2", "schema": "segment", "type": "date_histogram", "params": {"field": "seen_at", "interval": "w"}},
            {"id": "3", "schema": "group", "type": "terms", "params": {"field": "substance", "size": 10,
                                                                      "order": "desc", "orderBy": "_count"}},
        ],
    },
    {
        "id": "npswatch-new-substances",
        "title": "New substances (first seen, latest first)",
        "type": "table",
        "view": OBSERVATIONS,
        "query": "substance:* or novel_substance:*",
        "aggs": [
            {"id": "1", "schema": "metric", "type": "min", "params": {"field": "seen_at"}},
            {"id": "2", "schema": "metric", "type": "cardinality", "params": {"field": "doc_id"}},
            {"id": "3", "schema": "bucket", "type": "terms", "params": {"field": "substance", "size": 50,
                                                                       "order": "desc", "orderBy": "1"}},
        ],
    },
    {
        "id": "npswatch-ships-from",
        "title": "Listings by ships-from country",
        "type": "pie",
        "view": DOCUMENTS,
        "query": "kind:listing",
        "aggs": [
            {"id": "1", "schema": "metric", "type": "count", "params": {}},
            {"id": "2", "schema": "segment", "type": "terms", "params": {"field": "ships_from", "size": 20,
                                                                        "order": "desc", "orderBy": "1"}},
        ],
    },
    {
        "id": "npswatch-forum-mentions",
        "title": "Forum mentions per substance",
        "type": "histogram",
        "view": OBSERVATIONS,
        "query": "kind:post",
        "aggs": [
            {"id": "1", "schema": "metric", "type": "cardinality", "params": {"field": "doc_id"}},
            {"id": "2", "schema": "segment", "type": "date_histogram", "params": {"field": "seen_at", "interval": "w"}},
            {"id": "3", "schema": "group", "type": "terms", "params": {"field": "substance", "size": 10,
                                                                      "order": "desc", "orderBy": "1"}},
        ],
    },
    {
        "id": "npswatch-adverse-effects",
        "title": "Adverse effects reported per substance",
        "type": "table",
        "view": OBSERVATIONS,
        "query": "kind:post and adverse_effect:*",
        "aggs": [
            {"id": "1", "schema": "metric", "type": "cardinality", "params": {"field": "doc_id"}},
            {"id": "2", "schema": "bucket", "type": "terms", "params": {"field": "substance", "size": 20,
                                                                       "order": "desc", "orderBy": "1"}},
            {"id": "3", "schema": "bucket", "type": "terms", "params": {"field": "adverse_effect", "size": 10,
                                                                       "order": "desc", "orderBy": "1"}},
        ],
    },
]  # fmt: skip
EMPTY_SEARCH = {"query": {"query": "", "language": "kuery"}, "filter": []}
VIEWS = {OBSERVATIONS: "seen_at", DOCUMENTS: "last_seen"}  # data view -> time field


def data_view(title: str, time_field: str) -> dict[str, Any]:
    return {"type": "index-pattern", "id": title, "attributes": {"title": title, "timeFieldName": time_field},
            "references": []}  # fmt: skip


def visualization(panel: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {"type": panel["type"], "addTooltip": True, "addLegend": True}
    if panel["type"] == "table":
        params |= {"perPage": 20, "showTotal": False}
    vis_state = {"title": panel["title"], "type": panel["type"], "params": params,
                 "aggs": [{**agg, "enabled": True} for agg in panel["aggs"]]}  # fmt: skip
    search = {"query": {"query": panel["query"], "language": "kuery"}, "filter": [], "indexRefName": REF}
    return {
        "type": "visualization",
        "id": panel["id"],
        "attributes": {
            "title": panel["title"],
            "visState": json.dumps(vis_state),
            "uiStateJSON": "{}",
            "description": "",
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(search)},
        },
        "references": [{"name": REF, "type": "index-pattern", "id": panel["view"]}],
    }


def dashboard() -> dict[str, Any]:
    panels, references = [], []
    for n, panel in enumerate(PANELS):
        name = f"panel_{n}"
        grid = {"x": 24 * (n % 2), "y": 15 * (n // 2), "w": 24, "h": 15, "i": str(n)}
        panels.append({"version": "8.0.0", "type": "visualization", "gridData": grid, "panelIndex": str(n),
                       "embeddableConfig": {}, "panelRefName": name})  # fmt: skip
        references.append({"name": name, "type": "visualization", "id": panel["id"]})
    return {
        "type": "dashboard",
        "id": "npswatch-overview",
        "attributes": {
            "title": "npswatch: new psychoactive substances",
            "description": "Listings, prices, new substances, ships-from countries, forum mentions, adverse effects",
            "panelsJSON": json.dumps(panels),
            "optionsJSON": json.dumps({"useMargins": True, "hidePanelTitles": False}),
            "timeRestore": True,
            "timeFrom": "now-90d",
            "timeTo": "now",
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(EMPTY_SEARCH)},
        },
        "references": references,
    }


def saved_objects() -> list[dict[str, Any]]:
    return [
        *(data_view(title, field) for title, field in VIEWS.items()),
        *(visualization(p) for p in PANELS),
        dashboard(),
    ]


def render() -> str:
    return "".join(json.dumps(obj, sort_keys=True) + "\n" for obj in saved_objects())


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT} ({len(saved_objects())} saved objects)")
