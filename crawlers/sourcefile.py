"""A source file's YAML, read with bounds, with the line of every field, and its declared environment variables.

A source file is input like any other: one that is too large, nested thousands of levels deep or a YAML
bomb (anchors of anchors: a dozen lines that expand to billions of nodes, which once took 60 s and 2.9 GB
in ``npswatch sources list``) is refused before any structure is built.  The file is first read as a
stream of YAML events (time linear in its size, no tree) and refused when it is larger than ``MAX_BYTES``,
nests deeper than ``MAX_DEPTH``, or its aliases would expand to more than ``MAX_NODES`` nodes or
``MAX_CHARS`` characters.

``${VAR}`` and ``${VAR:-default}`` take a value from the environment only for the variables the file lists
under ``env:``, and never for npswatch's own settings and secrets (``NPSWATCH_*``, except the demo sites'
``NPSWATCH_DEMO_*``) or a name that looks like a secret: a source file must not be able to send the
pseudonym key or a password to a site.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

MAX_BYTES = 256 * 1024  # a source file is a few KB
MAX_DEPTH = 20  # nested mappings and lists (the deepest field of a source file is at level 6)
MAX_NODES = 20_000  # scalars, mappings and lists, aliases expanded
MAX_CHARS = 1024 * 1024  # characters of all scalars, aliases expanded
_ENV_REF = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_SECRET_WORDS = frozenset(
    {"KEY", "KEYS", "APIKEY", "PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "TOKENS",
     "CREDENTIAL", "CREDENTIALS", "COOKIE", "COOKIES", "AUTH", "SESSION", "PRIVATE"}
)  # fmt: skip

Location = tuple[str | int, ...]


class SourceError(Exception):
    """A source file that cannot be used; ``problems`` lists each one as ``file:line: field: message``."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Located:
    """A source file's data (plain dicts, lists, scalars) and the line of each location in it."""

    data: Any
    lines: dict[Location, int]

    def line(self, loc: Location) -> int:
        """The line of ``loc``, or of its nearest enclosing location the file has."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


def read_source_yaml(path: Path) -> Located:
    """The file's top-level mapping, bounded as the module says; SourceError otherwise."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(path, [f"{path}: cannot read: {exc}"]) from exc
    if len(raw) > MAX_BYTES:
        raise SourceError(path, [f"{path}:1: (file): expected at most {MAX_BYTES} bytes (a source file is a few KB), "
                                 "found more"])  # fmt: skip
    try:
        _check_bounds(path, text)
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise SourceError(path, [f"{path}:{line}: YAML syntax: {exc.problem or exc.context}"]) from exc
    except YAMLError as exc:  # unmarked: a character YAML does not allow, ...
        raise SourceError(path, [f"{path}:1: YAML: {exc}"]) from exc
    if not isinstance(tree, CommentedMap):
        raise SourceError(path, [f"{path}:1: expected a mapping of fields at the top, found {type(tree).__name__}"])
    lines: dict[Location, int] = {}
    _line_map(tree, (), lines)
    return Located(_plain(tree), lines)


@dataclass
class _Size:
    """Nodes and characters of a node with its aliases expanded, and its anchor."""

    anchor: str | None = None
    nodes: int = 1
    chars: int = 0


def _flow_depth_line(text: str) -> int | None:
    """The line where ``[`` and ``{`` outside quotes and comments nest deeper than MAX_DEPTH, or None.

    A cheap look before the YAML scanner, which keeps every unclosed bracket of a line as a possible key and
    rechecks them all at each token: 5,000 brackets on one line cost it seconds before the event check below
    could stop it.  An apostrophe in plain text can hide brackets from this look; the event check still counts.
    """
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        quote = ""
        for char in line:
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number
            elif char in "]}":
                depth = max(0, depth - 1)
    return None


def _check_bounds(path: Path, text: str) -> None:
    """Refuse deep nesting and alias bombs from the event stream, before any node is built."""
    deep = _flow_depth_line(text)
    if deep is not None:
        raise SourceError(path, [f"{path}:{deep}: (file): expected at most {MAX_DEPTH} levels of nesting"])
    anchored: dict[str, _Size] = {}
    stack: list[_Size] = [_Size(nodes=0)]  # the document, then each open mapping or list
    for event in YAML(typ="rt").parse(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, CollectionStartEvent):
            if len(stack) > MAX_DEPTH:
                raise SourceError(path, [f"{path}:{line}: (file): expected at most {MAX_DEPTH} levels of nesting"])
            stack.append(_Size(event.anchor))
            continue
        if isinstance(event, CollectionEndEvent):
            size = stack.pop()
        elif isinstance(event, ScalarEvent):
            size = _Size(event.anchor, 1, len(event.value))
        elif isinstance(event, AliasEvent):
            if event.anchor not in anchored:
                raise SourceError(path, [f"{path}:{line}: YAML: alias *{event.anchor} names no complete anchor"])
            size = anchored[event.anchor]
        else:
            continue
        if size.anchor is not None and not isinstance(event, AliasEvent):
            anchored[size.anchor] = size
        parent = stack[-1]
        parent.nodes += size.nodes
        parent.chars += size.chars
        if parent.nodes > MAX_NODES or parent.chars > MAX_CHARS:
            raise SourceError(path, [f"{path}:{line}: (file): aliases expand to more than {MAX_NODES} nodes or "
                                     f"{MAX_CHARS} characters (a YAML bomb?)"])  # fmt: skip


def _line_map(node: Any, prefix: Location, out: dict[Location, int]) -> None:
    if isinstance(node, CommentedMap):
        for key in node:
            position = node.lc.data.get(key)  # keys merged in with "<<" have no position of their own here
            if position is not None:
                out[(*prefix, key)] = position[0] + 1
            _line_map(node[key], (*prefix, key), out)
    elif isinstance(node, CommentedSeq):
        for index, child in enumerate(node):
            out[(*prefix, index)] = node.lc.item(index)[0] + 1
            _line_map(child, (*prefix, index), out)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def env_name_problem(name: Any) -> str | None:
    """Why ``env:`` may not list this name, or None."""
    if not isinstance(name, str) or not _ENV_NAME.fullmatch(name):
        return f"expected an environment variable name (A-Z, 0-9 and _), found {name!r}"
    if name.startswith("NPSWATCH_") and not name.startswith("NPSWATCH_DEMO_"):
        return (f"{name} is one of npswatch's own settings or secrets: a source file may read no NPSWATCH_* "
                "variable but the demo sites' NPSWATCH_DEMO_*")  # fmt: skip
    if _SECRET_WORDS & set(name.split("_")):
        return f"{name} looks like a secret (key, password, token, cookie...): a source file may not read it"
    return None


def declared_env(data: Any) -> frozenset[str]:
    """The names under the file's ``env:`` that may be read (the model reports the others)."""
    names = data.get("env") if isinstance(data, dict) else None
    return frozenset(n for n in names if env_name_problem(n) is None) if isinstance(names, list) else frozenset()


def expand_env(value: Any, allowed: frozenset[str], problems: list[tuple[Location, str]], loc: Location = ()) -> Any:
    """``value`` with ``${VAR}`` and ``${VAR:-default}`` replaced for the allowed names; others are problems."""
    if isinstance(value, dict):
        return {k: expand_env(v, allowed, problems, (*loc, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_env(v, allowed, problems, (*loc, i)) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in allowed:
            return os.environ.get(name, match.group(2) or "")
        reason = env_name_problem(name)
        problems.append((loc, f"${{{name}}} is not read: {reason}" if reason else
                         f"${{{name}}} is not declared: list the variables the file reads under env:"))  # fmt: skip
        return match.group(0)

    return _ENV_REF.sub(one, value)
