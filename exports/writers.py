"""Writers of export rows, one per format, all fed by ``exports.records``: one table (file) per kind.

- ``jsonl``: ``data/<kind>s.jsonl``, one JSON object per line, dates and times as ISO 8601 text;
- ``parquet``: ``data/<kind>s.parquet`` (pyarrow), typed columns from ``records.SCHEMA`` (nested offers, prices,
  doses and history as lists of structs), zstd compression, row groups of ``ROW_GROUP`` rows;
- ``csv``: ``data/<kind>s.csv``, one flat row per document with the columns of ``records.SCHEMA`` in order; a list or
  struct column holds its value as JSON text (``["3-MMC", "4-MMC"]``), empty cells are missing values.

Every file is created owner-only (``storage.outputs``); a kind with no rows still gets its file (with the header or
schema), so an empty export is a valid, loadable dataset.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from exports.records import SCHEMA, STRUCTS
from storage.outputs import open_private

FORMATS: tuple[str, ...] = ("jsonl", "parquet", "csv")
ROW_GROUP = 10_000


class Writer(Protocol):
    paths: dict[str, Path]

    def write(self, kind: str, row: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


def writer(fmt: str, directory: Path, kinds: tuple[str, ...]) -> Writer:
    if fmt == "jsonl":
        return JsonlWriter(directory, kinds)
    if fmt == "parquet":
        return ParquetWriter(directory, kinds)
    if fmt == "csv":
        return CsvWriter(directory, kinds)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def table_path(directory: Path, kind: str, fmt: str) -> Path:
    return directory / f"{kind}s.{fmt}"


def to_json(value: Any) -> Any:
    """A row value as JSON data: dates and times as ISO 8601 text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value


class JsonlWriter:
    def __init__(self, directory: Path, kinds: tuple[str, ...]) -> None:
        self.paths = {kind: table_path(directory, kind, "jsonl") for kind in kinds}
        self.streams: dict[str, IO[str]] = {kind: open_private(path) for kind, path in self.paths.items()}

    def write(self, kind: str, row: dict[str, Any]) -> None:
        self.streams[kind].write(json.dumps(to_json(row), ensure_ascii=False) + "\n")

    def close(self) -> None:
        for stream in self.streams.values():
            stream.close()


class CsvWriter:
    def __init__(self, directory: Path, kinds: tuple[str, ...]) -> None:
        self.paths = {kind: table_path(directory, kind, "csv") for kind in kinds}
        self.streams = {kind: open_private(path) for kind, path in self.paths.items()}
        self.writers = {kind: csv.writer(stream, lineterminator="\n") for kind, stream in self.streams.items()}
        for kind, out in self.writers.items():
            out.writerow(SCHEMA[kind])

    def write(self, kind: str, row: dict[str, Any]) -> None:
        self.writers[kind].writerow([_cell(row.get(name)) for name in SCHEMA[kind]])

    def close(self) -> None:
        for stream in self.streams.values():
            stream.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(to_json(value), ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return to_json(value)


class ParquetWriter:
    def __init__(self, directory: Path, kinds: tuple[str, ...]) -> None:
        import pyarrow.parquet as pq

        self.paths = {kind: table_path(directory, kind, "parquet") for kind in kinds}
        self.schemas = {kind: arrow_schema(kind) for kind in kinds}
        self.files = {kind: open_private(path, "wb") for kind, path in self.paths.items()}
        self.writers = {kind: pq.ParquetWriter(self.files[kind], self.schemas[kind], compression="zstd")
                        for kind in kinds}  # fmt: skip
        self.pending: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}

    def write(self, kind: str, row: dict[str, Any]) -> None:
        self.pending[kind].append(row)
        if len(self.pending[kind]) >= ROW_GROUP:
            self._flush(kind)

    def _flush(self, kind: str) -> None:
        import pyarrow as pa

        rows, self.pending[kind] = self.pending[kind], []
        self.writers[kind].write_table(pa.Table.from_pylist(rows, schema=self.schemas[kind]))

    def close(self) -> None:
        for kind, out in self.writers.items():
            if self.pending[kind]:
                self._flush(kind)
            out.close()
            self.files[kind].close()


def arrow_schema(kind: str) -> Any:
    """The Arrow schema of a kind's table."""
    import pyarrow as pa

    return pa.schema([pa.field(name, arrow_type(type_)) for name, type_ in SCHEMA[kind].items()])


def arrow_type(type_: str) -> Any:
    import pyarrow as pa

    if type_.startswith("list<"):
        return pa.list_(arrow_type(type_[5:-1]))
    if type_ in STRUCTS:
        return pa.struct([pa.field(name, arrow_type(t)) for name, t in STRUCTS[type_].items()])
    simple = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
              "date": pa.date32(), "timestamp": pa.timestamp("us", tz="UTC")}  # fmt: skip
    return simple[type_]
