"""Data files to one polars DataFrame typed by the contract, losing nothing on the way.

``discover`` turns files, globs and directories into a sorted list of data files; ``read_dataset``
reads them in that order into one frame. CSV (and string values of JSON Lines) is read as text and
converted per declared field (``text_parse``): a cell that is not a value of its type is null in
the frame and listed in ``ReadResult.cell_failures`` with its row and original text. Parquet and
Arrow are read as stored, never cast; the runner judges their types. Rows are never dropped or
reordered, and every unreadable input is a ``DataReadError`` naming the file, never a traceback.

Each format's reader is in ``accord.run.io`` (one module per format); this module combines the
files of a dataset and converts text by the contract, as ``batches`` does a batch at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import polars as pl

from accord.contract.model import ContractModel
from accord.run.io.common import (
    DatasetSchema,
    FileSpan,
    dataset_files,
    locate,
    say_why_format,
)
from accord.run.io.formats import read_file
from accord.run.io.paths import os_errors
from accord.run.io.text_parse import PARSED_TYPES, Converted, Settled, convert_text

__all__ = ["FileSpan", "ReadResult", "convert", "read_dataset", "text_rules"]


@dataclass
class ReadResult:
    frame: pl.DataFrame
    """One frame, columns in file order (several files: in order of first appearance)."""
    files: list[FileSpan]
    cell_failures: dict[str, pl.DataFrame] = field(default_factory=dict)
    """Field to a frame of ``row`` (UInt64, 0-based in ``frame``) and ``value`` (original text)."""
    failure_reasons: dict[str, str] = field(default_factory=dict)
    duplicate_columns: list[str] = field(default_factory=list)
    null_token_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    """Column to the count of each non-empty ``null_values`` token read as null."""
    missing_in_files: dict[str, list[str]] = field(default_factory=dict)

    def locate(self, row: int) -> tuple[str, int]:
        """The file a row of ``frame`` came from, and its 0-based data row within that file."""
        return locate(self.files, row, self.frame.height)


def _combine(
    frames: list[pl.DataFrame],
    files: list[Path],
) -> tuple[pl.DataFrame, dict[str, list[str]]]:
    """Frames stacked in order; a column missing from some files is null in their rows."""
    schema = DatasetSchema.of(files, [frame.schema for frame in frames])
    if len(frames) == 1:
        return frames[0], schema.missing_in_files
    names = list(schema.dtypes)
    if not names:  # rows without columns (JSON Lines of {}) are not kept across files
        return pl.DataFrame(), schema.missing_in_files
    aligned = [schema.aligned(frame, names) for frame in frames]
    return pl.concat(aligned, how="vertical", rechunk=False), schema.missing_in_files


def convert(
    kind: str,
    frame: pl.DataFrame,
    contract: ContractModel,
    settled: Mapping[str, Settled] | None = None,
) -> Converted:
    """A frame of the dataset's columns typed by the contract: CSV text and JSON Lines values
    read as text are converted (``text_parse``); Parquet and Arrow are kept as stored."""
    rules = text_rules(kind, contract, frame.schema)
    if rules is None:
        return Converted(frame)
    return convert_text(frame, contract.fields, **rules, settled=settled)


class TextRules(TypedDict):
    null_values: Sequence[str]
    parse_columns: Collection[str] | None


def text_rules(
    kind: str, contract: ContractModel, schema: Mapping[str, pl.DataType]
) -> TextRules | None:
    """How ``convert_text`` reads a dataset of this format and these columns; None: it does
    not (Parquet, Arrow)."""
    if kind == "csv":
        return TextRules(null_values=contract.source.csv.null_values, parse_columns=None)
    if kind == "jsonl":
        text_fields = {
            n
            for n, spec in contract.fields.items()
            if spec.type in PARSED_TYPES and n in schema and schema[n] == pl.String
        }
        return TextRules(null_values=(), parse_columns=text_fields)
    return None


def read_dataset(
    paths: Sequence[str | Path],
    contract: ContractModel,
    *,
    format: str | None = None,
    columns: Sequence[str] | None = None,
) -> ReadResult:
    """Read every data file of ``paths`` into one frame typed by ``contract``.

    ``format`` (the CLI's ``--data-format``) overrides the file suffix, which overrides
    ``contract.source.format`` (for files whose suffix names no format). ``columns`` reads only
    those columns. Raises DataReadError when the data cannot be read at all.
    """
    files, kind = dataset_files(paths, contract, format)
    frames: list[pl.DataFrame] = []
    duplicates: list[str] = []
    for path in files:
        with say_why_format(path, kind), os_errors(path):
            frame, repeated = read_file(kind)(path, contract, columns)
        frames.append(frame)
        duplicates += [d for d in repeated if d not in duplicates]
    frame, missing = _combine(frames, files)
    spans, start = [], 0
    for path, part in zip(files, frames, strict=True):
        spans.append(FileSpan(str(path), start, part.height))
        start += part.height
    converted = convert(kind, frame, contract)
    return ReadResult(
        converted.frame,
        spans,
        converted.cell_failures,
        converted.failure_reasons,
        duplicates,
        converted.null_token_counts,
        missing,
    )
