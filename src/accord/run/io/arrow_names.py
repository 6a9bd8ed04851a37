"""Parquet and Arrow IPC columns that share a name: reported, never a reader's crash.

Parquet and Arrow can store two columns of one name; polars refuses such a table ("column
appears more than once") and panics reading such an IPC file. As for a CSV header, the name is
a ``dataset.duplicate_column`` violation and the first column of the name is the one validated
(the pandas engine does the same with a frame it is given).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc

from accord.run.io.remote_file import arrow_input
from accord.run.io.wide_decimals import refuse_wide_decimals


def duplicated(names: Sequence[str]) -> list[str]:
    """The names held more than once, in order of first appearance (linear: files may hold
    tens of thousands of columns)."""
    seen: set[str] = set()
    again: dict[str, None] = {}
    for name in names:
        if name in seen:
            again[name] = None
        seen.add(name)
    return list(again)


def first_of_each(table: pa.Table) -> pa.Table:
    """``table`` with only the first column of each name."""
    names = table.column_names
    if not duplicated(names):
        return table
    first = {name: i for i, name in reversed(list(enumerate(names)))}
    return table.select(sorted(first.values()))


def arrow_schema(path: Path, *, file_format: bool) -> pa.Schema | None:
    """The schema of an Arrow IPC file or stream, read by pyarrow, wide decimals refused; None
    where pyarrow has no type for a column (polars writes 128-bit integers) and polars reads it."""
    try:
        return _schema(path, file_format=file_format)
    except pa.ArrowNotImplementedError:
        return None


def arrow_duplicates(path: Path, *, file_format: bool) -> list[str]:
    """The column names an Arrow IPC file or stream holds more than once."""
    schema = arrow_schema(path, file_format=file_format)
    return [] if schema is None else duplicated(schema.names)


def _schema(path: Path, *, file_format: bool) -> pa.Schema:
    with arrow_input(path) as handle:
        opened = pa.ipc.open_file(handle) if file_format else pa.ipc.open_stream(handle)
        schema = opened.schema
    refuse_wide_decimals(path, schema)
    return schema


def read_arrow_table(path: Path, *, file_format: bool) -> pa.Table:
    """A whole Arrow IPC file or stream read by pyarrow (polars panics on duplicated names)."""
    with arrow_input(path) as handle:
        opened = pa.ipc.open_file(handle) if file_format else pa.ipc.open_stream(handle)
        return opened.read_all()
