"""Data files read a batch of rows at a time, so files larger than memory validate in bounded
memory. Stacked, the batches are exactly what ``sources.read_dataset`` reads: the same rows in the
same order, the same columns and dtypes, the same cell failures, null-token counts and errors.

``open_batches`` reads what every batch must agree on before any value is read: the files and
their format, each file's columns (a CSV header, a Parquet footer, an Arrow schema, the schema
polars infers from every line of a JSON Lines file), the dataset's dtypes, combined across files
as ``read_dataset`` combines them (``sources.DatasetSchema``), and from Parquet and Arrow metadata
the number of rows. ``BatchedDataset.batches`` then reads the values; a batch holds rows of one
file only, ``batch_rows`` of them (a file's last batch fewer), whatever the parts the format
reads in:

- Parquet: pyarrow's record batches (``iter_batches``), behind every protection of the whole-file
  reader: the envelope check, page checksums, arrow's own file handle, and full validation of
  each table before polars sees it.
- Arrow IPC, file format: polars' own reader, a slice at a time; a slice costs the record batches
  it touches. IPC stream (no index to slice by): message by message, each record batch handed to
  polars as a stream of its own with the schema and the dictionaries in force.
- CSV: ``csv_reader.CsvChunks``. The first pass checks every record as the whole-file reader does
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

import io
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl
import pyarrow as pa
import pyarrow.ipc
import pyarrow.parquet as pq

from accord.contract.model import ContractModel, Field_
from accord.errors import DataReadError, UsageError
from accord.run import sources
from accord.run.batch_pieces import pieces, read_rows
from accord.run.csv_reader import CsvChunks
from accord.run.ipc_layout import arrow_is_file_format, check_file_layout, check_stream_end
from accord.run.parquet_layout import check_parquet_layout
from accord.run.paths import os_errors
from accord.run.sources import (
    DatasetSchema,
    FileSpan,
    arrow_to_polars,
    check_parquet_envelope,
    convert,
    corrupt_on_error,
    csv_delimiter,
    dataset_files,
    jsonl_failure,
    jsonl_schema,
    text_rules,
)
from accord.run.text_parse import (
    Converted,
    Settled,
    failure_reason,
    needs_settling,
    settle_text,
)

__all__ = ["Batch", "BatchedDataset", "open_batches"]

_PARQUET_BUFFER = 1 << 20
"""Bytes pyarrow reads of a column chunk at a time: pages stream in, not the whole chunk."""
_END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"


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


class _File(Protocol):
    """One data file, opened: its own columns, and its rows read a part at a time."""

    path: Path
    schema: dict[str, pl.DataType]
    """The file's columns as read, before any conversion or combination with other files."""
    rows: int | None
    """From metadata, when the format keeps it."""
    duplicate_columns: list[str]

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        """The rows in order, parts of any size: the file's ``columns`` only (a part without
        columns keeps its height)."""
        ...


class _Csv:
    def __init__(self, path: Path, contract: ContractModel, batch_rows: int) -> None:
        options = contract.source.csv
        self.path = path
        self.rows: int | None = None
        self._chunks = CsvChunks(
            path,
            options,
            contract.fields,
            chunk_records=batch_rows,
            delimiter=csv_delimiter(path, options),
        )
        self.schema: dict[str, pl.DataType] = dict.fromkeys(self._chunks.columns, pl.String())
        self.duplicate_columns = self._chunks.duplicate_columns

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        return self._chunks.frames(columns)


class _Parquet:
    def __init__(self, path: Path, batch_rows: int) -> None:
        self.path, self._batch_rows = path, batch_rows
        self.duplicate_columns: list[str] = []
        check_parquet_envelope(path)
        with corrupt_on_error("Parquet", path), pa.OSFile(str(path)) as handle:
            footer = pq.ParquetFile(handle)  # the footer only, never a page
            check_parquet_layout(path, footer.metadata)
            empty = pa.Table.from_batches([], footer.schema_arrow)
            self.schema = dict(arrow_to_polars(empty).schema)  # as the values will convert
            metadata = footer.metadata
            self._groups = [metadata.row_group(i).num_rows for i in range(footer.num_row_groups)]
        self.rows: int | None = sum(self._groups)

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        if not self.schema:
            return  # read_dataset reads no row of a file without columns
        if not columns:
            yield from (pl.DataFrame(height=rows) for rows in self._groups)
            return
        check_parquet_envelope(self.path)
        with corrupt_on_error("Parquet", self.path), pa.OSFile(str(self.path)) as handle:
            # pre_buffer would cache the column chunks of every row group read so far: memory
            # grows with the file (2 GB at 50M rows) instead of staying at a batch.
            parquet = pq.ParquetFile(
                handle,
                page_checksum_verification=True,
                buffer_size=_PARQUET_BUFFER,
                pre_buffer=False,
            )
            batches = parquet.iter_batches(batch_size=self._batch_rows, columns=list(columns))
            for batch in batches:
                yield arrow_to_polars(pa.Table.from_batches([batch]))


class _ArrowFile:
    """The IPC file format: its footer indexes the record batches, so polars reads slices."""

    def __init__(self, path: Path, batch_rows: int) -> None:
        self.path, self._batch_rows = path, batch_rows
        self.duplicate_columns: list[str] = []
        check_file_layout(path)
        with corrupt_on_error("Arrow IPC", path):
            scan = pl.scan_ipc(path, glob=False)
            self.schema = dict(scan.collect_schema())
            self.rows: int | None = int(scan.select(pl.len()).collect().item())

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        assert self.rows is not None
        starts = range(0, self.rows, self._batch_rows)
        if not columns:
            yield from (pl.DataFrame(height=min(self._batch_rows, self.rows - s)) for s in starts)
            return
        with corrupt_on_error("Arrow IPC", self.path):
            scan = pl.scan_ipc(self.path, glob=False).select(columns)
            for start in starts:
                yield scan.slice(start, self._batch_rows).collect()


class _ArrowStream:
    """An IPC stream: schema, then dictionaries and record batches, with no index. Each record
    batch goes to polars' stream reader as a stream of its own, so it reads as in the whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: int | None = None
        self.duplicate_columns: list[str] = []
        with corrupt_on_error("Arrow IPC", path), pa.OSFile(str(path)) as handle:
            first = next(iter(pa.ipc.MessageReader.open_stream(handle)), None)
            if first is None or first.type != "schema":
                raise sources.corrupt("Arrow IPC", path, "it does not start with a schema")
            self._schema_message = first.serialize().to_pybytes()
            empty = pl.read_ipc_stream(io.BytesIO(self._schema_message + _END_OF_STREAM))
        self.schema = dict(empty.schema)

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        # A dictionary message replaces the dictionary of its id, or with isDelta extends it.
        dictionaries: dict[int, list[bytes]] = {}
        with corrupt_on_error("Arrow IPC", self.path), pa.OSFile(str(self.path)) as handle:
            for message in itertools.islice(pa.ipc.MessageReader.open_stream(handle), 1, None):
                data = message.serialize().to_pybytes()
                if message.type == "dictionary":
                    try:
                        ident, delta = _dictionary_key(message.metadata.to_pybytes())
                    except IndexError:  # metadata shorter than its own offsets say
                        raise ValueError("a dictionary message is cut short") from None
                    dictionaries[ident] = [*dictionaries.get(ident, []), data] if delta else [data]
                elif message.type == "record batch":
                    in_force = itertools.chain.from_iterable(dictionaries.values())
                    stream = b"".join([self._schema_message, *in_force, data, _END_OF_STREAM])
                    frame = pl.read_ipc_stream(io.BytesIO(stream))
                    yield frame.select(columns) if columns else pl.DataFrame(height=frame.height)
            end = handle.tell()
        check_stream_end(self.path, end)


def _dictionary_key(metadata: bytes) -> tuple[int, bool]:
    """``(id, isDelta)`` of an IPC DictionaryBatch message, from its flatbuffer metadata
    (``Message.header`` is the DictionaryBatch table: ``id`` field 0, ``isDelta`` field 2)."""

    def number(at: int, size: int, *, signed: bool = False) -> int:
        return int.from_bytes(metadata[at : at + size], "little", signed=signed)

    def slots(table: int) -> list[int]:
        vtable = table - number(table, 4, signed=True)
        return [number(vtable + 4 + 2 * i, 2) for i in range((number(vtable, 2) - 4) // 2)]

    message = number(0, 4)
    header = message + slots(message)[2]
    header += number(header, 4)
    fields = [*slots(header), 0, 0, 0]  # absent fields keep their defaults: id 0, not a delta
    ident = number(header + fields[0], 8, signed=True) if fields[0] else 0
    delta = bool(metadata[header + fields[2]]) if fields[2] else False
    return ident, delta


class _Jsonl:
    def __init__(self, path: Path, fields: Mapping[str, Field_], batch_rows: int) -> None:
        self.path, self._batch_rows = path, batch_rows
        self.rows: int | None = None
        self.duplicate_columns: list[str] = []
        self.schema: dict[str, pl.DataType] = {}
        self._no_rows = path.stat().st_size == 0
        if not self._no_rows:
            try:
                self.schema = jsonl_schema(path, fields)
            except sources.READ_ERRORS as error:
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
                except sources.READ_ERRORS as error:
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


def _open_file(kind: str, path: Path, contract: ContractModel, batch_rows: int) -> _File:
    if kind == "csv":
        return _Csv(path, contract, batch_rows)
    if kind == "parquet":
        return _Parquet(path, batch_rows)
    if kind == "arrow":
        return _ArrowFile(path, batch_rows) if arrow_is_file_format(path) else _ArrowStream(path)
    return _Jsonl(path, contract.fields, batch_rows)


class BatchedDataset:
    """Data files opened for reading in batches (:func:`open_batches`)."""

    def __init__(
        self,
        kind: str,
        files: list[Path],
        opened: list[_File],
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
        return sources.locate(spans, row, sum(span.rows for span in spans))

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

    def _frames(self, opened: _File, names: list[str]) -> Iterator[pl.DataFrame]:
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
            opened.append(_open_file(kind, path, contract, reading))
    return BatchedDataset(kind, files, opened, contract, batch_rows, reading)
