"""The import layers (docs/architecture.md): no cycle between top-level packages, no lower layer importing a higher
one.  Imports are read with ``ast`` from every module of the project, including imports inside functions."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Components, lowest layer first.  A component may import its own layer (without a cycle) and the layers below it.
LAYERS: list[tuple[str, ...]] = [
    ("npswatch.settings",),
    ("nlp", "storage", "signals.detectors"),
    ("crawlers", "pipelines", "health", "signals", "exports", "demosites"),
    ("scheduler", "web"),
    ("npswatch.cli",),
]
# Components that may import only these components of the project, whatever their layer allows.
ONLY: dict[str, set[str]] = {
    "nlp": set(),  # nlp takes its configuration as arguments: not even the settings
    "storage": {"npswatch.settings"},
    "signals.detectors": {"npswatch.settings"},
}
# Modules that must not import a component their layer would allow.
NEVER: dict[str, set[str]] = {
    "crawlers.settings": {"storage"},  # the Scrapy settings read the environment through npswatch.settings only
}
IMPORT_FREE = ("npswatch",)  # package __init__ files that import nothing, so importing npswatch.settings is cheap

LAYER = {component: level for level, names in enumerate(LAYERS) for component in names}
TOP = {name.split(".")[0] for name in LAYER}


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the project as (dotted name, file)."""
    for top in sorted(TOP):
        single = ROOT / f"{top}.py"
        if single.is_file():
            yield top, single
            continue
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


MODULES = dict(modules())


def component(module: str) -> str | None:
    """The component a module belongs to: the longest component name that is the module or a package above it."""
    found = [c for c in LAYER if module == c or module.startswith(c + ".")]
    return max(found, key=len) if found else None


def imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """The project modules ``module`` imports, with the line: ``from a import b`` names ``a.b`` when it is a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                yield (name if name in MODULES else base), node.lineno


@functools.cache
def edges() -> tuple[tuple[str, str, str, str], ...]:
    """(importing component, imported component, importing module, where) for imports across components."""
    found = []
    for module, path in MODULES.items():
        source = component(module)
        for name, line in imported(module, path):
            target = component(name)
            if source and target and target != source:
                found.append((source, target, module, f"{path.relative_to(ROOT)}:{line}"))
    return tuple(found)


def test_no_lower_layer_imports_a_higher_one() -> None:
    wrong = [f"{where}: {module} ({source}, layer {LAYER[source]}) imports {target} (layer {LAYER[target]})"
             for source, target, module, where in edges() if LAYER[target] > LAYER[source]]  # fmt: skip
    assert wrong == [], "\n".join(wrong)


def test_restricted_components_and_modules_import_only_what_they_may() -> None:
    def banned(module: str, target: str) -> bool:
        return any(module == m or module.startswith(m + ".") for m, names in NEVER.items() if target in names)

    wrong = [f"{where}: {module} imports {target}" for source, target, module, where in edges()
             if (source in ONLY and target not in ONLY[source]) or banned(module, target)]  # fmt: skip
    assert wrong == [], "\n".join(wrong)


def test_no_import_cycle_between_components() -> None:
    graph: dict[str, dict[str, str]] = {}
    for source, target, _, where in edges():
        graph.setdefault(source, {}).setdefault(target, where)
    cycles = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, {}):
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]) + f" ({graph[node][start]})")
                elif nxt not in path and nxt > start:  # each cycle once, from its smallest component
                    stack.append((nxt, [*path, nxt]))
    assert cycles == [], "\n".join(cycles)


def test_every_top_level_package_has_a_layer() -> None:
    """A new top-level package must be placed in ``LAYERS`` (else the rules above would not see it)."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench", "docker"}
    assert packages <= TOP | {"npswatch"}, sorted(packages - TOP - {"npswatch"})


def test_import_free_packages() -> None:
    for package in IMPORT_FREE:
        tree = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)], package


def test_the_rule_sees_imports_inside_functions_and_relative_ones() -> None:
    """The reader itself: a function-level import and a relative one are both found."""
    found = {name for name, _ in imported("scheduler", MODULES["scheduler"])}
    assert "signals.run" in found  # imported inside CrawlScheduler._after_crawl
    relative = {name for name, _ in imported("signals.detectors", MODULES["signals.detectors"])}
    assert "signals.detectors.adverse" in relative
    assert component("signals.detectors.ears") == "signals.detectors" and component("signals.run") == "signals"
    assert component("npswatch.cli.common") == "npswatch.cli" and component("npswatch") is None
