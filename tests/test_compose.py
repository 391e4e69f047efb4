"""docker-compose.yml, checked offline (Docker cannot run on the development machines): the services, their
healthchecks, volumes, environment and secrets, the build contexts, and the Kibana saved objects."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from storage.cluster import parse_target
from storage.cluster.indices import load_family

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
KIBANA = ROOT / "docker" / "kibana"
LONG_RUNNING = ("elasticsearch", "kibana", "tor", "redis", "crawler")
ONE_SHOT = ("es-setup", "kibana-setup", "index-init")
SECRET = re.compile(r"PASSWORD|API_KEY|SECRET|TOKEN")
REQUIRED = re.compile(r"^\$\{[A-Z_]+:\?[^}]+\}$")  # ${NAME:?message}: compose refuses to start without it


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(COMPOSE.read_text(encoding="utf-8"))
    return data


def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def test_every_part_of_the_deployment_is_a_service(compose: dict[str, Any]) -> None:
    assert set(services(compose)) == {*LONG_RUNNING, *ONE_SHOT}


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_long_running_services_have_a_healthcheck_and_restart(compose: dict[str, Any], name: str) -> None:
    service = services(compose)[name]
    check = service["healthcheck"]
    assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) >= 2
    assert {"interval", "timeout", "retries"} <= set(check)
    assert service["restart"] == "unless-stopped"


@pytest.mark.parametrize("name", ONE_SHOT)
def test_one_shot_services_run_once(compose: dict[str, Any], name: str) -> None:
    assert services(compose)[name]["restart"] == "no"


def test_elasticsearch_is_a_single_node_with_security_on_and_a_data_volume(compose: dict[str, Any]) -> None:
    es = services(compose)["elasticsearch"]
    env = es["environment"]
    assert env["discovery.type"] == "single-node" and env["xpack.security.enabled"] == "true"
    assert "esdata:/usr/share/elasticsearch/data" in es["volumes"]
    assert "ELASTIC_PASSWORD" in " ".join(es["healthcheck"]["test"])  # the healthcheck logs in
    assert all(port.startswith("127.0.0.1:") for port in es["ports"])
    kibana = services(compose)["kibana"]
    assert es["image"].rsplit(":", 1)[1] == kibana["image"].rsplit(":", 1)[1]  # one version for both


def test_named_volumes_are_declared_and_bind_mounts_exist(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    used = set()
    for service in services(compose).values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (ROOT / source).exists(), volume
            else:
                used.add(source)
    assert used == declared


def test_secrets_come_from_the_environment_without_defaults(compose: dict[str, Any]) -> None:
    for name, service in services(compose).items():
        for key, value in service.get("environment", {}).items():
            if SECRET.search(key) and key not in ("ELASTICSEARCH_USERNAME",):
                assert REQUIRED.match(str(value)), f"{name}: {key} must be ${{{key}:?...}}, found {value!r}"


def test_dependencies_exist_and_wait_for_health_or_completion(compose: dict[str, Any]) -> None:
    all_services = services(compose)
    for name, service in all_services.items():
        for other, rule in service.get("depends_on", {}).items():
            assert other in all_services, f"{name} depends on unknown {other}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in all_services[other], f"{name} waits for {other}, which has no healthcheck"
            else:
                assert rule["condition"] == "service_completed_successfully" and other in ONE_SHOT


def test_build_contexts_have_their_dockerfile(compose: dict[str, Any]) -> None:
    for name in ("tor", "crawler", "index-init"):
        context = ROOT / services(compose)[name]["build"]["context"]
        assert (context / "Dockerfile").is_file(), f"{name}: no Dockerfile in {context}"
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim-(bookworm|trixie)", dockerfile, re.MULTILINE)  # Debian-based
    assert "tor" in dockerfile.split("apt-get install", 1)[1].split("\n", 1)[0]


def test_the_crawler_runs_the_scheduler_after_the_indices_exist(compose: dict[str, Any]) -> None:
    crawler, init = services(compose)["crawler"], services(compose)["index-init"]
    assert crawler["command"] == ["schedule"] and init["command"] == ["index", "migrate"]
    assert crawler["depends_on"]["index-init"]["condition"] == "service_completed_successfully"
    assert crawler["environment"] == init["environment"]


def test_the_crawler_writes_to_the_cluster_as_its_own_user(compose: dict[str, Any]) -> None:
    env = services(compose)["crawler"]["environment"]
    config = parse_target(env["NPSWATCH_DB"], environ={})
    assert (config.flavor, config.url) == ("elasticsearch", "http://elasticsearch:9200")
    assert env["NPSWATCH_ES_USERNAME"] == "npswatch" and env["NPSWATCH_TOR_HOST"] == "tor"


def test_the_setup_script_is_valid_shell() -> None:
    subprocess.run(["sh", "-n", str(KIBANA / "setup.sh")], check=True)


def test_the_saved_objects_are_generated_from_the_builder() -> None:
    sys.path.insert(0, str(KIBANA))
    try:
        import build_saved_objects
    finally:
        sys.path.remove(str(KIBANA))
    assert (KIBANA / "saved_objects.ndjson").read_text(encoding="utf-8") == build_saved_objects.render(), (
        "run python docker/kibana/build_saved_objects.py and commit saved_objects.ndjson"
    )


def test_every_field_the_dashboards_use_is_mapped_and_aggregatable() -> None:
    objects = [json.loads(line) for line in (KIBANA / "saved_objects.ndjson").read_text(encoding="utf-8").splitlines()]
    views = {o["id"]: o["attributes"] for o in objects if o["type"] == "index-pattern"}
    kinds = {"npswatch-documents": "documents", "npswatch-observations": "observations"}
    panels = [o for o in objects if o["type"] == "visualization"]
    assert len(panels) == 6
    for panel in panels:
        view = panel["references"][0]["id"]
        properties = load_family(kinds[view]).template["mappings"]["properties"]
        assert properties[views[view]["timeFieldName"]]["type"] == "date"
        state = json.loads(panel["attributes"]["visState"])
        search = json.loads(panel["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        fields = {agg["params"]["field"] for agg in state["aggs"] if "field" in agg["params"]}
        fields |= set(re.findall(r"(\w+)\s*(?::|>)", search["query"]["query"]))
        for field in fields:
            assert properties.get(field, {}).get("type") in ("keyword", "date", "double", "long"), (panel["id"], field)
    (dashboard,) = [o for o in objects if o["type"] == "dashboard"]
    assert {r["id"] for r in dashboard["references"]} == {p["id"] for p in panels}
