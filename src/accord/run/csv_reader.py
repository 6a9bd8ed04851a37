"""One CSV file to frames of text: every cell exactly as written, its structure checked.

Two parsers read each file. Python's ``csv`` module (strict quoting) walks every record first: it
finds the header, checks each record's width and names the line of any problem, streaming, so it
holds no copy of the data. polars then reads the cells fast. The two agree on files without a lone
carriage return and without a quote character inside a cell (a property test compares them). When
a file has either, when polars refuses a file Python's parser accepted (a multi-byte delimiter,
say) or reads a different number of records, the frame is built from Python's records instead:
the slow path is the reference, never a guess.

``read_csv_text`` reads a file whole. ``CsvChunks`` reads it a chunk of records at a time, for
files larger than memory: the walk notes where each chunk starts, and polars or Python is chosen
per chunk by the same rules, so a quote in one record sends only its chunk down the slow path.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import polars as pl

from accord.contract.model import CsvOptions, Field_
from accord.errors import DataReadError
from accord.run.text_parse import NOT_TEXT_TYPES

if TYPE_CHECKING:
    import _csv

_DELIMITER_GUESSES = ",;\t|"
_CHUNK_RECORDS = 100_000
_DECODE_CHUNK = 1 << 20


@dataclass
class CsvText:
    frame: pl.DataFrame
    """String columns named by the header (first of each duplicate); null tokens not applied."""
    duplicate_columns: list[str]


@dataclass(frozen=True)
class CsvChunk:
    """Consecutive records of a file, the header included when the chunk is the first."""

    start: int
    """Where the chunk's first line starts: a text position from ``tell()``, for ``seek()``; of
    a UTF-8 file, its byte offset."""
    end: int | None
    """Where the next chunk starts; None: at the end of the file."""
    lines: int
    records: int
    python_only: bool
    """polars would read these cells differently (see the module docstring)."""


@dataclass
class _Scan:
    first: list[str]  # the first record: the header when there is one
    width: int
    chunks: list[CsvChunk]


@dataclass(frozen=True)
class _Header:
    columns: list[tuple[str, int]]
    """Each column name (the first of duplicates) and its position in a record."""
    duplicates: list[str]

    def select(self, frame: pl.DataFrame, columns: Collection[str] | None) -> pl.DataFrame:
        """The named columns of a frame of records (columns ``column_N``), in file order."""
        keep = [(n, i) for n, i in self.columns if columns is None or n in columns]
        names = frame.columns  # built anew on every access: once, not once per column
        frame = frame.select([names[i] for _, i in keep])  # polars' own names: column_N
        frame.columns = [n for n, _ in keep]
        return frame


class _Lines:
    """Lines for ``csv.reader``, noting a lone CR, which polars does not take as a line break.

    ``telling`` reads with ``readline``, as ``tell()`` is refused while a text file is iterated.
    ``utf8_from`` counts the bytes of UTF-8 text read, in ``offset``, from that offset (a BOM's
    length): cheaper than ``tell()``, whose answer after a lone CR is no byte offset.
    """

    def __init__(
        self, handle: IO[str], *, telling: bool = False, utf8_from: int | None = None
    ) -> None:
        self._handle = handle
        self._telling = telling
        self._counting = utf8_from is not None
        self.offset = utf8_from or 0
        self.lone_cr = False

    def __iter__(self) -> Iterator[str]:
        lines = iter(self._handle.readline, "") if self._telling else self._handle
        for line in lines:
            if line.endswith("\r"):
                self.lone_cr = True
            if self._counting:
                self.offset += len(line) if line.isascii() else len(line.encode("utf-8"))
            yield line


def _codec(encoding: str, path: Path) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise DataReadError(f"unknown encoding {encoding!r}", path=str(path)) from None
    # utf-8-sig reads a file with or without a BOM and drops the BOM from the first header name.
    return "utf-8-sig" if name in {"utf-8", "utf-8-sig"} else name


def _bad_byte_offset(path: Path, codec: str) -> int:
    """The offset of the first byte that ``codec`` cannot decode, found incrementally."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    offset = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_DECODE_CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                return offset - pending + error.start
            if not chunk:
                return offset
            offset += len(chunk)


def _reader(lines: _Lines, delimiter: str, quote: str) -> _csv.Reader:
    try:
        return csv.reader(lines, delimiter=delimiter, quotechar=quote, strict=True)
    except (TypeError, ValueError) as error:  # e.g. the same character as delimiter and quote
        raise DataReadError(f"invalid CSV options: {error}") from None


def _delimiter_problem(first: list[str], declared: int, delimiter: str, header: bool) -> str | None:
    if len(first) != 1 or declared < 2:
        return None
    counts = {c: first[0].count(c) for c in _DELIMITER_GUESSES if c != delimiter}
    guess = max(counts, key=lambda c: counts[c])
    if counts[guess] == 0:
        return None
    where = "the header has 1" if header else "line 1 has 1"
    return (
        f"expected {declared} columns but {where}; is the delimiter {guess!r}? "
        f"(the contract says {delimiter!r})"
    )


def _is_cut_short(reader: _csv.Reader, path: Path) -> bool:
    """Whether the record just read is the last one and the file has no final line break."""
    try:
        if next(reader, None) is not None:
            return False
    except csv.Error:
        return False
    with path.open("rb") as handle:
        handle.seek(-1, io.SEEK_END)
        return handle.read(1) not in (b"\n", b"\r")


class _Chunker:
    """Closes a chunk after every ``every`` data records a scan reads (None: at the end only);
    ``position`` tells where the text read so far ends."""

    def __init__(
        self, position: Callable[[], int], lines: _Lines, every: int | None, header: int
    ) -> None:
        self._position, self._lines, self._every, self._header = position, lines, every, header
        self.chunks: list[CsvChunk] = []
        self.quote_in_cell = False
        self._begins = self._line = self._record = 0  # where the open chunk starts

    def note(self, records: int, line: int) -> None:
        """``records`` records, ending on line ``line``, are read and checked."""
        data = records - self._header
        if self._every and data > 0 and data % self._every == 0:
            self._close(self._position(), records, line)

    def finish(self, records: int, line: int) -> list[CsvChunk]:
        if records > self._record or not self.chunks:
            self._close(None, records, line)
        return self.chunks

    def _close(self, position: int | None, records: int, line: int) -> None:
        python_only = self._lines.lone_cr or self.quote_in_cell
        lines, count = line - self._line, records - self._record
        self.chunks.append(CsvChunk(self._begins, position, lines, count, python_only))
        self._begins, self._line, self._record = position or 0, line, records
        self._lines.lone_cr = self.quote_in_cell = False


def _first_record(
    path: Path, record: list[str], line: int, options: CsvOptions, delimiter: str, declared: int
) -> tuple[list[str], int]:
    """The first record, checked, and the number of fields every record must have."""
    if not record and options.header:
        raise DataReadError(f"line {line}: the header line is blank", path=str(path))
    first = record or [""]
    hint = _delimiter_problem(first, declared, delimiter, options.header)
    if hint:
        raise DataReadError(hint, path=str(path))
    return first, len(first) if options.header else declared


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
        lines = _Lines(
            handle,
            telling=chunk_records is not None and not utf8,
            utf8_from=_bom_length(path) if chunk_records is not None and utf8 else None,
        )
        position = (lambda: lines.offset) if utf8 else handle.tell
        chunker = _Chunker(position, lines, chunk_records, 1 if options.header else 0)
        reader = _reader(lines, delimiter, options.quote)
        first: list[str] | None = None
        width = records = end = 0
        try:
            for record in reader:
                start, end = end + 1, reader.line_num
                records += 1
                if first is None:
                    first, width = _first_record(path, record, start, options, delimiter, declared)
                found = len(record) or 1  # a blank line is one empty cell
                if found != width:
                    blank = " (a blank line)" if not record else ""
                    message = f"line {start}: expected {width} fields, found {found}{blank}"
                    if _is_cut_short(reader, path):
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
            offset = _bad_byte_offset(path, codec)
            name = "utf-8" if codec == "utf-8-sig" else options.encoding
            raise DataReadError(
                f"not valid {name} at byte offset {offset}", path=str(path)
            ) from None
    if first is None:  # only a BOM, or nothing readable
        raise DataReadError("file is empty (no header)", path=str(path))
    return _Scan(first, width, chunker.finish(records, end))


def _bom_length(path: Path) -> int:
    with path.open("rb") as handle:
        return 3 if handle.read(3) == codecs.BOM_UTF8 else 0


def _chunk_source(path: Path, codec: str, chunk: CsvChunk) -> Path | bytes:
    """The chunk as UTF-8 for polars, which reads nothing else: a whole UTF-8 file is its path."""
    if codec == "utf-8-sig":
        if chunk.start == 0 and chunk.end is None:
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
        reader = _reader(_Lines(handle), delimiter, options.quote)
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


def _checked_codec(path: Path, options: CsvOptions) -> str:
    codec = _codec(options.encoding, path)
    if path.stat().st_size == 0:
        raise DataReadError("file is empty (no header)", path=str(path))
    return codec


def _header(
    path: Path,
    first: list[str],
    options: CsvOptions,
    fields: Mapping[str, Field_],
    columns: Collection[str] | None,
) -> _Header:
    """The columns, named by the header (or the contract), checked for types CSV cannot hold."""
    names = first if options.header else list(fields)
    first_index: dict[str, int] = {}
    duplicates: list[str] = []
    for index, name in enumerate(names):
        if name not in first_index:
            first_index[name] = index
        elif name not in duplicates:
            duplicates.append(name)
    for name in first_index:
        spec = fields.get(name)
        if (columns is None or name in columns) and spec and spec.type in NOT_TEXT_TYPES:
            what = "binary" if spec.type == "binary" else f"a {spec.type}"
            raise DataReadError(
                f"field {name!r} is {what}; CSV cannot hold it — use Parquet, Arrow or JSON Lines",
                path=str(path),
            )
    return _Header(list(first_index.items()), duplicates)


def read_csv_text(
    path: Path,
    options: CsvOptions,
    fields: Mapping[str, Field_],
    *,
    delimiter: str | None = None,
    columns: Sequence[str] | None = None,
) -> CsvText:
    """Read ``path`` as text, checked; ``delimiter`` overrides the contract's (``.tsv`` files)."""
    codec = _checked_codec(path, options)
    delimiter = delimiter or options.delimiter
    scan = _scan(path, codec, options, delimiter, len(fields))
    wanted = set(columns) if columns is not None else None
    header = _header(path, scan.first, options, fields, wanted)
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
        self._codec = _checked_codec(path, options)
        self._delimiter = delimiter or options.delimiter
        self._chunk_records = chunk_records
        first = _scan(path, self._codec, options, self._delimiter, len(fields), limit=1).first
        self._header = _header(path, first, options, fields, None)
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
