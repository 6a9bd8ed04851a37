"""Data files read a batch of rows at a time, so files larger than memory validate in bounded
memory. Stacked, the batches are exactly what ``sources.read_dataset`` reads: the same rows in the
same order, the same columns and dtypes, the same cell failures, null-token counts and errors.

``open_batches`` reads what every batch must agree on before any value is read: the files and
their format, each file's columns (a CSV header, a Parquet footer, an Arrow schema, the schema
polars infers from every line of a JSON Lines file), the dataset's dtypes, combined across files
as ``read_dataset`` combines them (``io.common.DatasetSchema``), and from Parquet and Arrow metadata
the number of rows. ``BatchedDataset.batches`` then reads the values; a batch holds rows of one
file only, ``batch_rows`` of them (a file's last batch fewer), whatever the parts the format
reads in (each format's reader is in its module of ``accord.run.io``):

- Parquet: pyarrow's record batches (``iter_batches``), behind every protection of the whole-file
  reader: the envelope check, page checksums, arrow's own file handle, and full validation of
  each table before polars sees it.
- Arrow IPC, file format: polars' own reader, a slice at a time; a slice costs the record batches
  it touches. IPC stream (no index to slice by): message by message, each record batch handed to
  polars as a stream of its own with the schema and the dictionaries in force.
- CSV: ``io.csv.CsvChunks``. The first pass checks every record as the whole-file reader does
  (same messages, whole-file line numbers) and notes where every batch starts; each batch's bytes
  are read by polars, or by Python's parser where polars would misread them.
- JSON Lines: ranges of lines, read with the schema inferred from the whole file.

Files are read and converted in parts of at least ``batch_pieces.READ_ROWS`` rows (fewer for a
wide table), a whole number of batches, and cut into batches there: reading and converting cost
a fixed overhead per part, which one-row batches paid 100,000 times for 100,000 rows. The cut
batches are those a part of one batch would give (``batch_pieces``).

CSV text and JSON Lines strings are converted per part by the rules of ``text_parse``. What a
conversion learns from a whole column (a ``number`` field all integers or not, the scale of a
``decimal`` field that declares none) is read first, in a pass over just those columns, so every
batch converts alike. A batch's ``failure_reasons`` word its own failures;
``BatchedDataset.failure_reasons`` words them for the whole data, as ``read_dataset`` does.

Memory holds a batch or two (the parts being cut into batches), plus what a format reads at
once: for an Arrow IPC file the record batches a slice touches, for a stream one record batch,
for Parquet the pages pyarrow is decoding. Inferring a JSON Lines schema maps the whole file, but
those pages are the file's own, which the system can drop, not the process's heap.

Where this differs from ``read_dataset``, by design: problems are found file by file, and every
file's header or schema is read when the dataset is opened, so of several broken files another
may be named first. A projection (``batches(columns=...)``) keeps every row, even of a file that
has none of the columns, so row positions agree with a full pass; so do several files without
any column (JSON Lines of ``{}``), which ``read_dataset`` stacks to no rows. A corrupt IPC
*stream* is named as one, but the detail comes from the message that failed, not from polars'
whole-stream reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from accord.contract.model import ContractModel
from accord.errors import UsageError
from accord.run.batch_pieces import pieces, read_rows
from accord.run.io.common import DatasetSchema, FileSpan, OpenedFile, dataset_files, locate
from accord.run.io.formats import open_file
from accord.run.io.paths import os_errors
from accord.run.io.text_parse import (
    Converted,
    Settled,
    failure_reason,
    needs_settling,
    settle_text,
)
from accord.run.sources import convert, text_rules

__all__ = ["Batch", "BatchedDataset", "open_batches"]


@dataclass
class Batch:
    frame: pl.DataFrame
    """Rows ``start .. start + height - 1`` of the dataset, typed as ``read_dataset`` types them.
    Columns: ``BatchedDataset.columns`` (the requested ones), in that order, with the same dtypes
    in every batch; a column missing from this batch's file is all-null."""
    start: int
    """0-based position of the batch's first row in the whole dataset."""
    cell_failures: dict[str, pl.DataFrame] = field(default_factory=dict)
    """As ``ReadResult.cell_failures``, but ``row`` is 0-based within this batch."""
    failure_reasons: dict[str, str] = field(default_factory=dict)
    """The reasons for this batch's failures (``BatchedDataset.failure_reasons``: all of them)."""
    null_token_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    """Counts in this batch only; they sum to ``read_dataset``'s."""


class BatchedDataset:
    """Data files opened for reading in batches (:func:`open_batches`)."""

    def __init__(
        self,
        kind: str,
        files: list[Path],
        opened: list[OpenedFile],
        contract: ContractModel,
        batch_rows: int,
        read_rows: int,
    ) -> None:
        self.files = files
        self.batch_rows = batch_rows
        self._read_rows = read_rows
        self._kind, self._opened, self._contract = kind, opened, contract
        self._schema = DatasetSchema.of(files, [file.schema for file in opened])
        self.columns: list[str] = list(self._schema.dtypes)
        """Every column, in ``read_dataset``'s order: first appearance across the files."""
        self.duplicate_columns: list[str] = list(
            dict.fromkeys(d for file in opened for d in file.duplicate_columns)
        )
        self.missing_in_files: dict[str, list[str]] = self._schema.missing_in_files
        rows = [file.rows for file in opened]
        self.total_rows: int | None = None if None in rows else sum(r or 0 for r in rows)
        """Known before any value is read (Parquet and Arrow IPC file metadata), else None."""
        self._spans: dict[int, FileSpan] = {}
        self._settled: dict[str, Settled] = {}
        self._causes: dict[str, set[str]] = {}

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[Batch]:
        """The rows in batches, each of one file and at most ``batch_rows`` rows, with only
        ``columns`` when given. Always at least one batch, if of no rows, to show the schema.
        Each call reads the files anew; DataReadError as ``read_dataset`` raises it."""
        wanted = None if columns is None else set(columns)
        names = [n for n in self.columns if wanted is None or n in wanted]
        settled = self._settle(names)
        rules = text_rules(self._kind, self._contract, self._schema.dtypes)
        tokens = rules["null_values"] if rules else ()
        start = 0
        for index, (path, opened) in enumerate(zip(self.files, self._opened, strict=True)):
            first = start
            for frame in self._frames(opened, names):
                converted = convert(self._kind, frame, self._contract, settled)
                self._note(converted)
                for piece in pieces(
                    frame, converted, self.batch_rows, self._contract.fields, settled, tokens
                ):
                    yield Batch(
                        piece.frame,
                        start,
                        piece.cell_failures,
                        piece.failure_reasons,
                        piece.null_token_counts,
                    )
                    start += piece.frame.height
            self._spans[index] = FileSpan(str(path), first, start - first)
        if start == 0:
            empty = pl.DataFrame(schema={n: self._schema.dtypes[n] for n in names})
            yield Batch(convert(self._kind, empty, self._contract, settled).frame, 0)

    def stored_schema(self) -> pl.DataFrame | None:
        """No rows, the dataset's columns and dtypes, when its values are read as stored
        (Parquet, Arrow), so a run can settle the schema before it reads a value and then read
        only the columns it needs. None for text formats, whose values are converted (and
        judged) as they are read."""
        if text_rules(self._kind, self._contract, self._schema.dtypes) is not None:
            return None
        return pl.DataFrame(schema=self._schema.dtypes)

    @property
    def files_read(self) -> list[FileSpan]:
        """Which rows came from which file: complete once a pass over the batches finished."""
        spans = []
        for index in range(len(self.files)):
            if index not in self._spans:
                break
            spans.append(self._spans[index])
        return spans

    def locate(self, row: int) -> tuple[str, int]:
        """The file a row came from, and its 0-based data row within that file (as
        ``ReadResult.locate``, once a pass over the batches finished)."""
        spans = self.files_read
        return locate(spans, row, sum(span.rows for span in spans))

    @property
    def failure_reasons(self) -> dict[str, str]:
        """Each field's reason for its cell failures over every batch read so far: after a full
        pass, ``read_dataset``'s ``failure_reasons``."""
        fields = self._contract.fields
        return {
            name: failure_reason(fields[name], self._causes[name], self._settled.get(name))
            for name in self.columns
            if name in self._causes
        }

    def _frames(self, opened: OpenedFile, names: list[str]) -> Iterator[pl.DataFrame]:
        """``opened``'s rows in parts of at most ``batch_rows``, with the columns ``names`` as
        ``read_dataset`` combines several files (one file is taken as it is)."""
        with os_errors(opened.path):
            parts = opened.frames([n for n in names if n in opened.schema])
            for frame in _rebatched(parts, self._read_rows):
                yield frame if len(self.files) == 1 else self._schema.aligned(frame, names)

    def _settle(self, names: list[str]) -> dict[str, Settled]:
        """What the whole data says for the columns of ``names`` whose conversion depends on
        the whole column, read in a pass over just those columns the first time they are asked."""
        rules = text_rules(self._kind, self._contract, self._schema.dtypes)
        if rules is None:
            return {}
        fields, scope = self._contract.fields, rules["parse_columns"]
        settling = [
            n
            for n in names
            if n in fields and needs_settling(fields[n]) and (scope is None or n in scope)
        ]
        if unsettled := [n for n in settling if n not in self._settled]:
            found = dict.fromkeys(unsettled, Settled())
            for opened in self._opened:
                for frame in self._frames(opened, unsettled):
                    for name, part in settle_text(frame, fields, **rules).items():
                        found[name] = found[name].merge(part)
            self._settled.update(found)
        return {n: self._settled[n] for n in settling}

    def _note(self, converted: Converted) -> None:
        for name, causes in converted.failure_causes.items():
            self._causes.setdefault(name, set()).update(causes)


def _rebatched(parts: Iterable[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """Parts of any size (an IPC stream's record batches may be one row each, or millions) as
    frames of ``rows`` rows, the last fewer."""
    pending: list[pl.DataFrame] = []
    held = 0
    for part in parts:
        pending.append(part)
        held += part.height
        while held >= rows:
            merged = pl.concat(pending, how="vertical", rechunk=False)
            yield merged.slice(0, rows)
            pending, held = [merged.slice(rows)], held - rows
    if held:
        yield pl.concat(pending, how="vertical", rechunk=False)


def open_batches(
    paths: Sequence[str | Path],
    contract: ContractModel,
    *,
    format: str | None = None,
    batch_rows: int,
) -> BatchedDataset:
    """Open the data files of ``paths`` for reading in batches of at most ``batch_rows`` rows.

    Files, format and options as :func:`sources.read_dataset` takes them, with its errors for
    bad paths, mixed or unknown formats and unreadable headers or schemas; problems found only
    in the values are raised by ``BatchedDataset.batches``.
    """
    if batch_rows < 1:
        raise UsageError(f"batch_rows must be at least 1, not {batch_rows}")
    files, kind = dataset_files(paths, contract, format)
    # Tiny batches are cut from larger parts (batch_pieces): the width is the contract's, as a
    # file's own is known only once it is opened with the number of rows it reads at a time.
    reading = read_rows(batch_rows, len(contract.fields))
    opened = []
    for path in files:
        with os_errors(path):
            opened.append(open_file(kind)(path, contract, reading))
    return BatchedDataset(kind, files, opened, contract, batch_rows, reading)
