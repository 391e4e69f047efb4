"""JSONL in, JSONL out: the engine behind ``npswatch extract``.

Each input line is ``{"id": ..., "text": ..., "lang": optional, "date": optional ISO date}``; each output line is the
extraction of that input, in input order. A line that is not such an object gives ``{"id": ..., "line": N,
"error": "..."}`` and the run goes on. Lines are read and written in batches, so memory stays flat however long the
input is. With ``progress=True`` a rich progress display (lines done, time elapsed) is drawn on stderr.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from nlp.api import Record, extract_many
from nlp.rates import load_rates

_MAX_ERROR = 200


def _open(spec: str | Path | IO[str] | None, mode: str, stack: ExitStack, default: IO[str]) -> IO[str]:
    if spec is None or spec == "-":
        return default
    if isinstance(spec, str | Path):
        return stack.enter_context(open(spec, mode, encoding="utf-8", errors="replace"))
    return spec


def _parse(line: str, number: int) -> Record | dict[str, Any]:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return {"id": None, "line": number, "error": f"line {number}: expected a JSON object, {exc}"[:_MAX_ERROR]}
    if not isinstance(obj, dict):
        return {
            "id": None,
            "line": number,
            "error": f"line {number}: expected a JSON object, found {type(obj).__name__}",
        }
    text = obj.get("text")
    if not isinstance(text, str):
        return {
            "id": obj.get("id"),
            "line": number,
            "error": f"line {number}: expected a string in 'text', found {type(text).__name__}",
        }
    lang = obj.get("lang")
    try:
        from datetime import date

        when = date.fromisoformat(str(obj["date"])[:10]) if obj.get("date") else None
    except ValueError:
        return {"id": obj.get("id"), "line": number, "error": f"line {number}: expected an ISO date in 'date'"}
    return Record(text, obj.get("id"), lang if isinstance(lang, str) else None, when)


def _batches(lines: IO[str], size: int) -> Iterator[list[tuple[int, Record | dict[str, Any]]]]:
    batch: list[tuple[int, Record | dict[str, Any]]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            batch.append((number, {"id": None, "line": number, "error": f"line {number}: empty line"}))
        else:
            batch.append((number, _parse(line, number)))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def cli_extract(
    infile: str | Path | IO[str] | None = None,
    outfile: str | Path | IO[str] | None = None,
    progress: bool = False,
    batch_size: int = 256,
    rates_file: str | Path | None = None,
    recogniser: bool = True,
) -> int:
    """Run JSONL extraction; returns the number of error lines written. ``None`` or "-" mean stdin/stdout.
    ``rates_file``: the exchange-rate table to convert with (default: the shipped snapshot); ``recogniser`` false:
    the rule components only (the trained recogniser off)."""
    rates = load_rates(Path(rates_file)) if rates_file is not None else None
    errors = 0
    with ExitStack() as stack:
        source = _open(infile, "r", stack, sys.stdin)
        sink = _open(outfile, "w", stack, sys.stdout)
        bar = stack.enter_context(_Progress(progress))
        for batch in _batches(source, batch_size):
            good = [item for _, item in batch if isinstance(item, Record)]
            results = iter(extract_many(good, batch_size=batch_size, rates=rates, recogniser=recogniser))
            for _, item in batch:
                if isinstance(item, Record):
                    sink.write(next(results).to_json() + "\n")
                else:
                    errors += 1
                    sink.write(json.dumps(item, ensure_ascii=False) + "\n")
            sink.flush()
            bar.advance(len(batch))
    return errors


class _Progress:
    """A rich progress display on stderr, or nothing."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.completed:,} lines extracted"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.start()
            self._task = self._progress.add_task("extract", total=None)
        return self

    def advance(self, n: int) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
