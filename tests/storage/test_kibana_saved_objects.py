"""The Kibana saved objects (``docker/kibana/saved_objects.ndjson``) against the reviewed mappings, offline.

Kibana cannot run here (no Docker, no JVM for Elasticsearch), so the import is checked the way Kibana reads
the file: every line is a saved object; every reference resolves to an object of the file; every data view
is an alias the cluster backend creates, with a date time field; every visualization is bound to its data
view through ``indexRefName`` and aggregates only fields its mapping has, of a type the aggregation takes;
its query names only mapped fields; the dashboard shows every visualization once, on the 48-column grid.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from storage.cluster.indices import families

SAVED_OBJECTS = Path(__file__).resolve().parents[2] / "docker" / "kibana" / "saved_objects.ndjson"
PREFIX = "npswatch"  # the default index prefix: what the compose deployment uses
NUMERIC = {"double", "long", "integer", "float", "scaled_float"}
AGGREGATABLE = {"keyword", "date", "boolean", *NUMERIC}  # not text, nested or unindexed objects
FIELD_TYPES = {  # Kibana aggregation -> the field types it takes (count takes none)
    "terms": AGGREGATABLE,
    "cardinality": AGGREGATABLE,
    "date_histogram": {"date"},
    "min": {"date", *NUMERIC},
    "max": {"date", *NUMERIC},
    "median": NUMERIC,
    "avg": NUMERIC,
    "sum": NUMERIC,
    "percentiles": NUMERIC,
}
GRID_COLUMNS = 48
_KQL_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*(?::|>=|<=|>|<)")


def saved_objects() -> list[dict[str, Any]]:
    objects = []
    for number, line in enumerate(SAVED_OBJECTS.read_text(encoding="utf-8").splitlines(), start=1):
        found = json.loads(line)
        assert isinstance(found, dict), f"line {number}: expected a JSON object"
        objects.append(found)
    return objects


OBJECTS = saved_objects()
MAPPINGS = {family.alias(PREFIX): family.template["mappings"]["properties"] for family in families()}


def of_type(kind: str) -> list[dict[str, Any]]:
    return [o for o in OBJECTS if o["type"] == kind]


def field_type(view: str, name: str) -> str | None:
    """The mapped type of ``name`` (``a.b`` for a sub-field) in the data view's mapping."""
    properties: dict[str, Any] = MAPPINGS[view]
    head, _, rest = name.partition(".")
    found = properties.get(head)
    if found is None:
        return None
    if rest:
        inner = found.get("fields", {}).get(rest) or found.get("properties", {}).get(rest)
        if found.get("type") == "nested":  # a plain aggregation cannot reach inside nested documents
            return "nested"
        return inner.get("type") if inner else None
    return str(found.get("type", "object"))


def visualizations() -> list[Any]:
    return [pytest.param(panel, id=panel["id"]) for panel in of_type("visualization")]


def test_every_line_is_a_saved_object_with_a_unique_id() -> None:
    for found in OBJECTS:
        assert {"type", "id", "attributes", "references"} <= set(found), found.get("id")
        assert isinstance(found["attributes"].get("title"), str) and found["attributes"]["title"], found["id"]
    keys = [(o["type"], o["id"]) for o in OBJECTS]
    assert len(keys) == len(set(keys))
    assert len(of_type("index-pattern")) == 2 and len(of_type("visualization")) == 6 and len(of_type("dashboard")) == 1


def test_every_reference_resolves_to_an_object_of_the_file() -> None:
    known = {(o["type"], o["id"]) for o in OBJECTS}
    for found in OBJECTS:
        for reference in found["references"]:
            assert (reference["type"], reference["id"]) in known, (found["id"], reference)


def test_each_data_view_is_an_alias_of_the_cluster_with_a_date_time_field() -> None:
    views = {o["id"]: o["attributes"] for o in of_type("index-pattern")}
    assert {attributes["title"] for attributes in views.values()} == set(MAPPINGS)
    for attributes in views.values():
        assert field_type(attributes["title"], attributes["timeFieldName"]) == "date", attributes


def problems(panel: dict[str, Any]) -> list[str]:
    """What Kibana would trip over in a visualization: its data view binding, its fields, its query."""
    attributes = panel["attributes"]
    search = json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])
    bound = [r for r in panel["references"] if r["name"] == search.get("indexRefName")]
    views = {o["id"]: o["attributes"]["title"] for o in of_type("index-pattern")}
    if len(bound) != 1 or bound[0]["type"] != "index-pattern" or bound[0]["id"] not in views:
        return [f"indexRefName {search.get('indexRefName')!r} does not name one data view reference"]
    view = views[bound[0]["id"]]
    state = json.loads(attributes["visState"])
    found = [] if state["title"] == attributes["title"] else ["visState title differs"]
    found += [] if any(agg["schema"] == "metric" for agg in state["aggs"]) else ["no metric"]
    for agg in state["aggs"]:
        field = agg["params"].get("field")
        if agg["type"] == "count":
            found += [] if field is None else ["count with a field"]
        elif agg["type"] not in FIELD_TYPES:
            found.append(f"aggregation {agg['type']!r} is not checked here")
        elif field_type(view, field) not in FIELD_TYPES[agg["type"]]:
            found.append(f"{agg['type']} on {field!r} ({field_type(view, field)}) in {view}")
    if search["query"]["language"] != "kuery":
        found.append("query language is not kuery")
    for field in _KQL_FIELD.findall(search["query"]["query"]):
        if field_type(view, field) not in AGGREGATABLE:
            found.append(f"query field {field!r} ({field_type(view, field)}) in {view}")
    return found


@pytest.mark.parametrize("panel", visualizations())
def test_a_visualization_aggregates_mapped_fields_of_its_data_view(panel: dict[str, Any]) -> None:
    assert problems(panel) == []


def test_the_dashboard_shows_every_visualization_once_on_the_grid() -> None:
    (dashboard,) = of_type("dashboard")
    panels = json.loads(dashboard["attributes"]["panelsJSON"])
    references = {r["name"]: r for r in dashboard["references"]}
    shown = [references[panel["panelRefName"]]["id"] for panel in panels]
    assert sorted(shown) == sorted(o["id"] for o in of_type("visualization"))
    cells: set[tuple[int, int]] = set()
    for panel in panels:
        grid = panel["gridData"]
        assert grid["x"] >= 0 and grid["x"] + grid["w"] <= GRID_COLUMNS, panel
        columns, rows = range(grid["x"], grid["x"] + grid["w"]), range(grid["y"], grid["y"] + grid["h"])
        area = {(x, y) for x in columns for y in rows}
        assert not area & cells, f"panel {panel['panelIndex']} overlaps another"
        cells |= area


def test_the_checks_catch_what_kibana_would_trip_over() -> None:
    """A broken copy of a panel: a field the mapping lacks, terms on a text field, a nested field, a query on
    an unmapped field and a dangling data view reference."""
    panel = json.loads(json.dumps(of_type("visualization")[0]))
    state = json.loads(panel["attributes"]["visState"])
    state["aggs"] += [
        {"id": "8", "schema": "group", "type": "terms", "params": {"field": "substances"}},
        {"id": "9", "schema": "group", "type": "terms", "params": {"field": "title"}},
        {"id": "10", "schema": "metric", "type": "median", "params": {"field": "offers.eur_per_gram"}},
    ]
    panel["attributes"]["visState"] = json.dumps(state)
    search = json.loads(panel["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    search["query"]["query"] = "kind:listing and vendr:x"
    panel["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"] = json.dumps(search)
    assert problems(panel) == [
        "terms on 'substances' (None) in npswatch-observations",
        "terms on 'title' (None) in npswatch-observations",
        "median on 'offers.eur_per_gram' (nested) in npswatch-observations",
        "query field 'vendr' (None) in npswatch-observations",
    ]
    panel["references"][0]["id"] = "gone"
    assert problems(panel) == [
        "indexRefName 'kibanaSavedObjectMeta.searchSourceJSON.index' does not name one data view reference"
    ]
    assert (
        field_type("npswatch-documents", "title") == "text"
        and field_type("npswatch-documents", "title.keyword") == "keyword"
    )
