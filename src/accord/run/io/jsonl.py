"""JSON Lines files, read by polars with the schema inferred from every line.

Values of the types ``text_parse`` reads (numbers, dates, ...) are taken as JSON text, so they
follow the CSV rules and failures keep their text. A file polars refuses is walked line by line
to name the first line that is not a JSON object. ``read_file`` reads a file whole;
``open_file`` in ranges of whole lines, read with the schema inferred from the whole file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import polars as pl

from accord.contract.model import ContractModel, Field_
from accord.errors import DataReadError
from accord.run.io.common import READ_ERRORS, common_dtype, projected
from accord.run.io.json_depth import MAX_DEPTH, refuse_deep_nesting
from accord.run.io.text_parse import PARSED_TYPES


def _json_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text} is too large")
    return value


def _json_int(text: str) -> int:
    value = int(text)
    if abs(value) >= 2**127:  # polars holds JSON integers in at most 128 bits
        raise ValueError(f"the integer {text} is too large")
    return value


def _json_constant(text: str) -> None:
    raise ValueError(f"{text} is not valid JSON")


def jsonl_problem(path: Path) -> tuple[str | None, int]:
    """The first line of ``path`` that is not a JSON object, as a message, and the objects seen."""
    offset = objects = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                return f"not valid utf-8 at byte offset {offset + error.start}", objects
            offset += len(raw)
            if not line.strip():
                continue
            try:
                value = json.loads(
                    line,
                    parse_float=_json_float,
                    parse_int=_json_int,
                    parse_constant=_json_constant,
                )
            except ValueError as error:
                return f"line {number}: not valid JSON ({error})", objects
            if not isinstance(value, dict):
                return (
                    f"line {number}: expected a JSON object, found {type(value).__name__}",
                    objects,
                )
            objects += 1
    return None, objects


def jsonl_failure(path: Path, error: Exception) -> DataReadError | None:
    """What is wrong with a JSON Lines file polars failed to read with ``error``; None when the
    file has only blank lines, which read as zero rows, like an empty file."""
    problem, objects = jsonl_problem(path)
    if problem is None and objects == 0:
        return None
    return DataReadError(
        problem or f"cannot read JSON Lines: {str(error).splitlines()[0]}", path=str(path)
    )


def _as_text(fields: Mapping[str, Field_]) -> set[str]:
    return {name for name, spec in fields.items() if spec.type in PARSED_TYPES}


def jsonl_schema(path: Path, fields: Mapping[str, Field_]) -> dict[str, pl.DataType]:
    """The file's columns inferred from every line, the declared fields text_parse reads as
    text (String); polars' errors are left to the caller."""
    as_text = _as_text(fields)
    with path.open("rb") as handle:
        inferred = pl.scan_ndjson(handle, infer_schema_length=None).collect_schema()
    return {n: pl.String() if n in as_text else d for n, d in inferred.items()}


def _read_jsonl(
    path: Path,
    fields: Mapping[str, Field_],
    columns: Sequence[str] | None,
) -> pl.DataFrame:
    if path.stat().st_size == 0:
        return pl.DataFrame()
    refuse_deep_nesting(path)
    # Values of the types text_parse reads are taken as JSON text, so "2020-01-01" in a date field
    # and 1.7 in an integer field follow the CSV rules and failures keep their text. That needs the
    # file's schema first: polars refuses an override for a column the file does not have.
    try:
        schema = jsonl_schema(path, fields) if _as_text(fields) else None
        with path.open("rb") as handle:
            frame = pl.read_ndjson(handle, schema=schema, infer_schema_length=None)
    except READ_ERRORS as error:
        failure = jsonl_failure(path, error)
        if failure is None:
            return pl.DataFrame()
        raise failure from None
    return projected(frame, columns)


class JsonlFile:
    """A JSON Lines file opened for reading in batches: its schema inferred from every line."""

    def __init__(self, path: Path, fields: Mapping[str, Field_], batch_rows: int) -> None:
        self.path, self._batch_rows = path, batch_rows
        self.rows: int | None = None
        self.duplicate_columns: list[str] = []
        self.schema: dict[str, pl.DataType] = {}
        self._no_rows = path.stat().st_size == 0
        if not self._no_rows:
            refuse_deep_nesting(path)
            try:
                self.schema = jsonl_schema(path, fields)
            except READ_ERRORS as error:
                failure = jsonl_failure(path, error)
                if failure is not None:
                    raise failure from None
                self._no_rows = True  # only blank lines: zero rows, like an empty file
        self._ranges: list[tuple[int, int, int]] | None = None

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        if self._no_rows:
            return
        if self._ranges is None:
            self._ranges = _line_ranges(self.path, self._batch_rows)
        with self.path.open("rb") as handle:
            for start, end, rows in self._ranges:
                if not columns:
                    yield pl.DataFrame(height=rows)
                    continue
                handle.seek(start)
                data = io.BytesIO(handle.read(end - start))
                try:
                    frame = pl.read_ndjson(data, schema=self.schema, infer_schema_length=None)
                except READ_ERRORS as error:
                    failure = jsonl_failure(self.path, error)
                    detail = f"cannot read JSON Lines: {str(error).splitlines()[0]}"
                    raise failure or DataReadError(detail, path=str(self.path)) from None
                yield frame.select(columns)


def _line_ranges(path: Path, rows_per_range: int) -> list[tuple[int, int, int]]:
    """``(start, end, rows)``: byte ranges of whole lines holding ``rows_per_range`` rows each
    (the last fewer); a line of only blanks is no row, as polars reads it."""
    ranges: list[tuple[int, int, int]] = []
    start = offset = rows = 0
    with path.open("rb") as handle:
        for line in handle:
            offset += len(line)
            if line.strip(b" \t\r\n"):
                rows += 1
                if rows == rows_per_range:
                    ranges.append((start, offset, rows))
                    start, rows = offset, 0
    if rows:
        ranges.append((start, offset, rows))
    return ranges


def read_file(
    path: Path, contract: ContractModel, columns: Sequence[str] | None
) -> tuple[pl.DataFrame, list[str]]:
    """The whole file: the values ``text_parse`` converts as text, the others as polars reads
    them."""
    return _read_jsonl(path, contract.fields, columns), []


def open_file(path: Path, contract: ContractModel, batch_rows: int) -> JsonlFile:
    return JsonlFile(path, contract.fields, batch_rows)


class JsonlRules:
    """accord's JSON Lines rules for an engine that reads the lines itself (Spark): what it
    converts from text, how deep it reads, a file's first malformed line, and the type of a
    column several files hold."""

    parsed_types = PARSED_TYPES
    max_depth = MAX_DEPTH

    def __init__(self, contract: ContractModel) -> None:
        self.contract = contract

    def refuse_malformed(self, path: Path) -> None:
        """DataReadError naming the first line of ``path`` accord's reader refuses, if any,
        walking the file without keeping its lines."""
        refuse_deep_nesting(path)
        problem, _ = jsonl_problem(path)
        if problem is not None:
            raise DataReadError(problem, path=str(path))

    def common_dtype(self, name: str, typed: list[tuple[str, pl.DataType]]) -> pl.DataType:
        return common_dtype(name, typed)
