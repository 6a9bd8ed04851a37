"""One CSV file to frames of text: every cell exactly as written, its structure checked.

Two parsers read each file. Python's ``csv`` module (strict quoting) walks every record first: it
finds the header, checks each record's width and names the line of any problem, streaming, so it
holds no copy of the data. polars then reads the cells fast. The two agree on files without a lone
carriage return and without a quote character inside a cell (a property test compares them). When
a file has either, when polars refuses a file Python's parser accepted (a multi-byte delimiter,
say) or reads a different number of records, the frame is built from Python's records instead:
the slow path is the reference, never a guess.

``read_csv_text`` reads a file whole (``read_file``). ``CsvChunks`` reads it a chunk of records
at a time, for files larger than memory (``open_file``): the walk notes where each chunk starts, and
polars or Python is chosen per chunk by the same rules, so a quote in one record sends only its
chunk down the slow path. The structure the walk checks is in ``csv_records``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from accord.contract.model import ContractModel, CsvOptions, Field_
from accord.errors import DataReadError
from accord.run.io.csv_records import (
    Chunker,
    CsvChunk,
    Lines,
    bad_byte_offset,
    bom_length,
    checked_codec,
    first_record,
    is_cut_short,
    read_header,
    record_reader,
)
from accord.run.io.paths import os_errors
from accord.run.io.remote_file import is_local

_CHUNK_RECORDS = 100_000


@dataclass
class CsvText:
    frame: pl.DataFrame
    """String columns named by the header (first of each duplicate); null tokens not applied."""
    duplicate_columns: list[str]


@dataclass
class _Scan:
    first: list[str]  # the first record: the header when there is one
    width: int
    chunks: list[CsvChunk]


def _scan(
    path: Path,
    codec: str,
    options: CsvOptions,
    delimiter: str,
    declared: int,
    *,
    chunk_records: int | None = None,
    limit: int | None = None,
) -> _Scan:
    """Check every record's width, streaming; raise DataReadError naming the line of a problem.

    The file is one chunk, or with ``chunk_records`` a chunk per that many data records. ``limit``
    stops after that many records (the header alone: ``1``).
    """
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))  # a long cell is data, not an error
    # Chunks of a UTF-8 file start at byte offsets, which polars reads from; of a file in another
    # encoding, at positions tell() gives, from which the text is read and re-encoded.
    utf8 = codec == "utf-8-sig"
    with path.open(encoding=codec, newline="") as handle:
        lines = Lines(
            handle,
            telling=chunk_records is not None and not utf8,
            utf8_from=bom_length(path) if chunk_records is not None and utf8 else None,
        )
        position = (lambda: lines.offset) if utf8 else handle.tell
        chunker = Chunker(position, lines, chunk_records, 1 if options.header else 0)
        reader = record_reader(lines, delimiter, options.quote)
        first: list[str] | None = None
        width = records = end = 0
        try:
            for record in reader:
                start, end = end + 1, reader.line_num
                records += 1
                if first is None:
                    first, width = first_record(path, record, start, options, delimiter, declared)
                found = len(record) or 1  # a blank line is one empty cell
                if found != width:
                    blank = " (a blank line)" if not record else ""
                    message = f"line {start}: expected {width} fields, found {found}{blank}"
                    if is_cut_short(reader, path):
                        message += "; the file ends in the middle of this line (truncated?)"
                    raise DataReadError(message, path=str(path))
                # A quote inside a cell is an escaped "" or a stray quote in an unquoted cell,
                # which polars takes as the start of quoting; Python's reading is the reference.
                if not chunker.quote_in_cell and options.quote in delimiter.join(record):
                    chunker.quote_in_cell = True
                if records == limit:
                    break
                chunker.note(records, end)
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise DataReadError(
                    f"line {end + 1}: unterminated quoted field (the "
                    f"{options.quote} opened here is never closed)",
                    path=str(path),
                ) from None
            raise DataReadError(
                f"line {reader.line_num}: malformed CSV: {error}", path=str(path)
            ) from None
        except UnicodeDecodeError:
            offset = bad_byte_offset(path, codec)
            name = "utf-8" if codec == "utf-8-sig" else options.encoding
            raise DataReadError(
                f"not valid {name} at byte offset {offset}", path=str(path)
            ) from None
    if first is None:  # only a BOM, or nothing readable
        raise DataReadError("file is empty (no header)", path=str(path))
    return _Scan(first, width, chunker.finish(records, end))


def _chunk_source(path: Path, codec: str, chunk: CsvChunk) -> Path | bytes:
    """The chunk as UTF-8 for polars, which reads nothing else: a whole local UTF-8 file is its
    path (polars must not open a remote one with credentials of its own)."""
    if codec == "utf-8-sig":
        if chunk.start == 0 and chunk.end is None and is_local(path):
            return path
        with path.open("rb") as handle:
            handle.seek(chunk.start)
            return handle.read(-1 if chunk.end is None else chunk.end - chunk.start)
    with path.open(encoding=codec, newline="") as handle:
        handle.seek(chunk.start)
        text = (
            handle.read() if chunk.end is None else "".join(itertools.islice(handle, chunk.lines))
        )
    return text.encode("utf-8")


def _polars_frame(
    source: Path | bytes, quote: str, delimiter: str, records: int, width: int
) -> pl.DataFrame | None:
    """The cells read by polars, or None when polars cannot read them as Python's parser did."""
    try:
        frame = pl.read_csv(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            has_header=False,
            separator=delimiter,
            quote_char=quote,
            infer_schema=False,
            empty_string_is_null=False,
            null_values=None,
            raise_if_empty=False,
            glob=False,
        )
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException, ValueError):
        return None
    if frame.height != records or frame.width != width:
        return None
    return frame


def _python_frame(
    path: Path, codec: str, options: CsvOptions, delimiter: str, width: int, chunk: CsvChunk
) -> pl.DataFrame:
    """The cells read by Python's parser, in parts so only one part lives as Python objects."""
    names = [f"column_{i}" for i in range(width)]
    parts = []
    with path.open(encoding=codec, newline="") as handle:
        handle.seek(chunk.start)
        reader = record_reader(Lines(handle), delimiter, options.quote)
        records = itertools.islice(reader, chunk.records)
        while part := list(itertools.islice(records, _CHUNK_RECORDS)):
            cells = zip(*(record or [""] for record in part), strict=True)
            parts.append(
                pl.DataFrame(
                    dict(zip(names, cells, strict=True)), schema=dict.fromkeys(names, pl.String)
                )
            )
    return pl.concat(parts) if parts else pl.DataFrame(schema=dict.fromkeys(names, pl.String))


def _chunk_frame(
    path: Path, codec: str, options: CsvOptions, delimiter: str, width: int, chunk: CsvChunk
) -> pl.DataFrame:
    """The chunk's records as columns of text, the fast way when it reads them right."""
    frame = None
    source = None if chunk.python_only else _chunk_source(path, codec, chunk)
    # polars drops a BOM that starts its input: one that starts a later chunk is a cell's text.
    bom = isinstance(source, bytes) and chunk.start > 0 and source.startswith(codecs.BOM_UTF8)
    if source is not None and not bom:
        frame = _polars_frame(source, options.quote, delimiter, chunk.records, width)
    if frame is None:
        frame = _python_frame(path, codec, options, delimiter, width, chunk)
    return frame


def read_csv_text(
    path: Path,
    options: CsvOptions,
    fields: Mapping[str, Field_],
    *,
    delimiter: str | None = None,
    columns: Sequence[str] | None = None,
) -> CsvText:
    """Read ``path`` as text, checked; ``delimiter`` overrides the contract's (``.tsv`` files)."""
    codec = checked_codec(path, options)
    delimiter = delimiter or options.delimiter
    scan = _scan(path, codec, options, delimiter, len(fields))
    wanted = set(columns) if columns is not None else None
    header = read_header(path, scan.first, options, fields, wanted)
    frame = _chunk_frame(path, codec, options, delimiter, scan.width, scan.chunks[0])
    if options.header:
        frame = frame.slice(1)
    return CsvText(header.select(frame, wanted), header.duplicates)


class CsvChunks:
    """A CSV file read in chunks of records, for files larger than memory.

    The header is read and checked when the file is opened. The first pass over the chunks checks
    every record, as :func:`read_csv_text` does, and notes where each chunk starts; later passes
    go straight to them. Every chunk is read by polars, or by Python's parser when polars would
    misread it, so the chunks together are exactly what :func:`read_csv_text` reads.
    """

    def __init__(
        self,
        path: Path,
        options: CsvOptions,
        fields: Mapping[str, Field_],
        *,
        chunk_records: int,
        delimiter: str | None = None,
    ) -> None:
        self.path, self._options, self._fields = path, options, fields
        self._codec = checked_codec(path, options)
        self._delimiter = delimiter or options.delimiter
        self._chunk_records = chunk_records
        first = _scan(path, self._codec, options, self._delimiter, len(fields), limit=1).first
        self._header = read_header(path, first, options, fields, None)
        self.columns = [name for name, _ in self._header.columns]
        self.duplicate_columns = self._header.duplicates
        self._scan: _Scan | None = None

    def frames(self, columns: Collection[str]) -> Iterator[pl.DataFrame]:
        """Each chunk's data records as String columns: those of ``columns`` in file order."""
        if self._scan is None:
            self._scan = _scan(
                self.path,
                self._codec,
                self._options,
                self._delimiter,
                len(self._fields),
                chunk_records=self._chunk_records,
            )
        width = self._scan.width
        for index, chunk in enumerate(self._scan.chunks):
            skip = 1 if self._options.header and index == 0 else 0
            if chunk.records == skip:
                continue
            if not any(name in columns for name in self.columns):
                yield pl.DataFrame(height=chunk.records - skip)  # only the number of rows
                continue
            frame = _chunk_frame(
                self.path, self._codec, self._options, self._delimiter, width, chunk
            )
            yield self._header.select(frame.slice(skip), columns)


def csv_delimiter(path: Path, options: CsvOptions) -> str | None:
    """The delimiter that overrides the contract's for ``path``: a tab for a ``.tsv`` file
    unless the contract names one."""
    tab = path.suffix.lower() == ".tsv" and "delimiter" not in options.model_fields_set
    return "\t" if tab else None


def read_file(
    path: Path, contract: ContractModel, columns: Sequence[str] | None
) -> tuple[pl.DataFrame, list[str]]:
    """The whole file as text columns, and the names its header repeats."""
    options = contract.source.csv
    delimiter = csv_delimiter(path, options)
    text = read_csv_text(path, options, contract.fields, delimiter=delimiter, columns=columns)
    return text.frame, text.duplicate_columns


class CsvFile:
    """A CSV file opened for reading in batches: its header read, its records not yet."""

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


open_file = CsvFile


@dataclass(frozen=True)
class CsvLayout:
    """What the first record of a file says: the codec, delimiter, record width and header."""

    codec: str
    delimiter: str
    width: int
    columns: list[tuple[str, int]]
    """Each column name (the first of duplicates) and its position in a record."""
    duplicates: list[str]


class CsvStructure:
    """A contract's CSV files as a reader elsewhere (Spark) needs them checked: each file's
    header, and every record's structure walked on demand, keeping no records."""

    def __init__(self, contract: ContractModel) -> None:
        self.contract = contract
        self.options = contract.source.csv

    def layout(self, path: Path) -> CsvLayout:
        """The header of ``path`` read and checked, as every reader of it starts."""
        codec, delimiter = self._codec(path)
        with os_errors(path):
            scan = _scan(path, codec, self.options, delimiter, len(self.contract.fields), limit=1)
        header = read_header(path, scan.first, self.options, self.contract.fields, None)
        return CsvLayout(codec, delimiter, scan.width, header.columns, header.duplicates)

    def check(self, path: Path) -> None:
        """Raise the DataReadError naming the line of a problem in ``path``, as
        :func:`read_csv_text` would; return when the file is well-formed."""
        codec, delimiter = self._codec(path)
        with os_errors(path):
            _scan(path, codec, self.options, delimiter, len(self.contract.fields))

    def _codec(self, path: Path) -> tuple[str, str]:
        with os_errors(path):
            codec = checked_codec(path, self.options)
        return codec, csv_delimiter(path, self.options) or self.options.delimiter
