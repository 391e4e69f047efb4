"""Index templates, versioned indices behind aliases, and mapping checks.

The reviewed mappings live in ``storage/mappings/<family>.json`` (``documents``, ``observations``), each
with a ``version``.  Indices are named ``<prefix>-<family>-v<version>`` and read and written through the
alias ``<prefix>-<family>``; a template (``<prefix>-<family>``, pattern ``<prefix>-<family>-v*``) gives
every new version its settings and mappings.  ``migrate`` moves an alias to a new version by reindexing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from storage.cluster.client import ApiFailure, ClusterClient
from storage.cluster.errors import ClusterError, MappingConflict

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "mappings"
FAMILIES = ("documents", "observations")


@dataclass(frozen=True)
class IndexFamily:
    family: str
    version: int
    template: Mapping[str, Any]  # {"settings", "mappings"}

    def alias(self, prefix: str) -> str:
        return f"{prefix}-{self.family}"

    def index(self, prefix: str, version: int | None = None) -> str:
        return f"{prefix}-{self.family}-v{self.version if version is None else version}"


@cache
def load_family(family: str) -> IndexFamily:
    raw = json.loads((MAPPINGS_DIR / f"{family}.json").read_text(encoding="utf-8"))
    return IndexFamily(raw["family"], int(raw["version"]), raw["template"])


def families() -> list[IndexFamily]:
    return [load_family(name) for name in FAMILIES]


def ensure(client: ClusterClient, prefix: str) -> dict[str, str]:
    """Templates in place and each alias pointing at an index; creates what is missing.

    Returns alias -> index.  Never moves an existing alias (that is ``migrate``), but checks its mapping.
    """
    found: dict[str, str] = {}
    for family in families():
        put_template(client, family, prefix)
        current = alias_target(client, family.alias(prefix))
        if current is None:
            current = family.index(prefix)
            _create(client, current, family.alias(prefix))
        check_mapping(client, current, family)
        found[family.alias(prefix)] = current
    return found


def put_template(client: ClusterClient, family: IndexFamily, prefix: str) -> None:
    body = {
        "index_patterns": [f"{family.alias(prefix)}-v*"],
        "priority": 100,
        "template": family.template,
        "_meta": {"npswatch_version": family.version},
    }
    client.put_index_template(family.alias(prefix), body)


def alias_target(client: ClusterClient, alias: str) -> str | None:
    """The index behind ``alias``, or None; ClusterError when an index (not an alias) holds the name."""
    answer = client.get_alias(alias)
    if not answer:
        return None
    indices = sorted(answer)
    if len(indices) != 1:
        raise ClusterError(f"alias {alias!r} points at {len(indices)} indices ({', '.join(indices)}); expected one")
    if indices[0] == alias:
        raise ClusterError(f"{alias!r} is an index, not an alias; expected an alias to {alias}-v<N>")
    return indices[0]


def _create(client: ClusterClient, index: str, alias: str) -> None:
    try:
        client.create_index(index, {"aliases": {alias: {}}})
    except ApiFailure as exc:
        if exc.kind not in ("resource_already_exists_exception", "index_already_exists_exception"):
            raise
        client.update_aliases([{"add": {"index": index, "alias": alias}}])  # a concurrent opener created it


def check_mapping(client: ClusterClient, index: str, family: IndexFamily) -> None:
    """MappingConflict (naming the field) when the live mapping differs in type from the reviewed one;
    fields only the reviewed mapping has are added (an additive change needs no new version)."""
    live = dict(_fields(_live_properties(client, index)))
    wanted = dict(_fields(family.template["mappings"]["properties"]))
    for name, kind in wanted.items():
        if name in live and live[name] != kind:
            raise MappingConflict(index, name, kind, live[name])
    missing = sorted(name for name in wanted if name not in live and "." not in name)
    if missing:
        properties = family.template["mappings"]["properties"]
        try:
            client.put_mapping(index, {"properties": {name: properties[name] for name in missing}})
        except ApiFailure as exc:
            raise MappingConflict(index, missing[0], str(properties[missing[0]].get("type")), exc.reason) from exc


def _live_properties(client: ClusterClient, index: str) -> Mapping[str, Any]:
    answer = client.get_mapping(index)
    body: Mapping[str, Any] = answer.get(index) or next(iter(answer.values()), {})
    props: Mapping[str, Any] = body.get("mappings", {}).get("properties", {})
    return props


def _fields(properties: Mapping[str, Any], parent: str = "") -> Iterator[tuple[str, str]]:
    """(dotted field name, type) for every field and sub-field, nested ones included."""
    for name, spec in properties.items():
        path = f"{parent}{name}"
        yield path, str(spec.get("type", "object"))
        yield from _fields(spec.get("properties", {}), f"{path}.")
        for sub, sub_spec in spec.get("fields", {}).items():
            yield f"{path}.{sub}", str(sub_spec.get("type", "object"))


def migrate(client: ClusterClient, prefix: str) -> list[str]:
    """Bring every alias to the reviewed version: create, or reindex into the new version and swap the alias
    atomically (the old index is kept until an operator deletes it).  Returns what was done, one line each."""
    done: list[str] = []
    for family in families():
        put_template(client, family, prefix)
        alias, wanted = family.alias(prefix), family.index(prefix)
        current = alias_target(client, alias)
        if current is None:
            _create(client, wanted, alias)
            done.append(f"created {wanted} behind {alias}")
        elif current == wanted:
            check_mapping(client, current, family)
            done.append(f"{alias} -> {current}: up to date (version {family.version})")
        else:
            done.append(reindex_into(client, alias, current, wanted))
    return done


def reindex_into(client: ClusterClient, alias: str, current: str, wanted: str) -> str:
    """Copy ``current`` into a new index ``wanted`` (template mappings) and move ``alias`` to it."""
    try:
        client.create_index(wanted, {})
    except ApiFailure as exc:
        if exc.kind != "resource_already_exists_exception":
            raise
    answer = client.reindex(current, wanted)
    failures = answer.get("failures") or []
    if failures:
        raise ClusterError(f"reindex {current} -> {wanted}: {len(failures)} failure(s), first: {failures[0]}")
    client.update_aliases([{"remove": {"index": current, "alias": alias}}, {"add": {"index": wanted, "alias": alias}}])
    return f"reindexed {current} -> {wanted} ({answer.get('total', 0)} documents); {alias} -> {wanted}"


def drop(client: ClusterClient, prefix: str) -> None:
    """Delete this prefix's indices (tests against a shared Elasticsearch clean up with it)."""
    for family in families():
        try:  # concrete names: Elasticsearch 8 refuses wildcard deletes by default
            names = sorted(client.get_mapping(f"{family.alias(prefix)}-v*"))
        except ApiFailure as exc:
            if exc.status != 404:
                raise
            names = []
        for name in names:
            client.delete_index(name)
