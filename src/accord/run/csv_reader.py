"""One CSV file to one frame of text: every cell exactly as written, its structure checked.

Two parsers read each file. Python's ``csv`` module (strict quoting) walks every record first: it
finds the header, checks each record's width and names the line of any problem, streaming, so it
holds no copy of the data. polars then reads the cells fast. The two agree on files without a lone
carriage return and without a quote character inside a cell (a property test compares them). When
a file has either, when polars refuses a file Python's parser accepted (a multi-byte delimiter,
say) or reads a different number of records, the frame is built from Python's records instead:
the slow path is the reference, never a guess.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator, Mapping, Sequence
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


@dataclass
class _Scan:
    first: list[str]  # the first record: the header when there is one
    records: int  # every record, the header included
    width: int
    python_only: bool  # polars would read these cells differently (see the module docstring)


class _Lines:
    """Lines for ``csv.reader``, noting a lone CR, which polars does not take as a line break."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self.lone_cr = False

    def __iter__(self) -> Iterator[str]:
        for line in self._handle:
            if line.endswith("\r"):
                self.lone_cr = True
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


def _scan(path: Path, codec: str, options: CsvOptions, delimiter: str, declared: int) -> _Scan:
    """Check every record's width, streaming; raise DataReadError naming the line of a problem."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))  # a long cell is data, not an error
    with path.open(encoding=codec, newline="") as handle:
        lines = _Lines(handle)
        reader = _reader(lines, delimiter, options.quote)
        first: list[str] | None = None
        width = records = end = 0
        quote_in_cell = False
        try:
            for record in reader:
                start, end = end + 1, reader.line_num
                records += 1
                if first is None:
                    if not record and options.header:
                        raise DataReadError(
                            f"line {start}: the header line is blank", path=str(path)
                        )
                    first = record or [""]
                    hint = _delimiter_problem(first, declared, delimiter, options.header)
                    if hint:
                        raise DataReadError(hint, path=str(path))
                    width = len(first) if options.header else declared
                found = len(record) or 1  # a blank line is one empty cell
                if found != width:
                    blank = " (a blank line)" if not record else ""
                    message = f"line {start}: expected {width} fields, found {found}{blank}"
                    if _is_cut_short(reader, path):
                        message += "; the file ends in the middle of this line (truncated?)"
                    raise DataReadError(message, path=str(path))
                # A quote inside a cell is an escaped "" or a stray quote in an unquoted cell,
                # which polars takes as the start of quoting; Python's reading is the reference.
                if not quote_in_cell and options.quote in delimiter.join(record):
                    quote_in_cell = True
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
    return _Scan(first, records, width, python_only=lines.lone_cr or quote_in_cell)


def _polars_frame(
    path: Path, codec: str, quote: str, delimiter: str, scan: _Scan
) -> pl.DataFrame | None:
    """The cells read by polars, or None when polars cannot read them as Python's parser did."""
    source: Path | io.BytesIO = path
    if codec != "utf-8-sig":  # polars reads UTF-8 only: hand it the text re-encoded
        source = io.BytesIO(path.read_bytes().decode(codec).encode("utf-8"))
    try:
        frame = pl.read_csv(
            source,
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
    if frame.height != scan.records or frame.width != scan.width:
        return None
    return frame


def _python_frame(
    path: Path, codec: str, options: CsvOptions, delimiter: str, width: int
) -> pl.DataFrame:
    """The cells read by Python's parser, in chunks so only one chunk lives as Python objects."""
    names = [f"column_{i}" for i in range(width)]
    chunks = []
    with path.open(encoding=codec, newline="") as handle:
        reader = _reader(_Lines(handle), delimiter, options.quote)
        while chunk := list(itertools.islice(reader, _CHUNK_RECORDS)):
            cells = zip(*(record or [""] for record in chunk), strict=True)
            chunks.append(
                pl.DataFrame(
                    dict(zip(names, cells, strict=True)), schema=dict.fromkeys(names, pl.String)
                )
            )
    return pl.concat(chunks) if chunks else pl.DataFrame(schema=dict.fromkeys(names, pl.String))


def read_csv_text(
    path: Path,
    options: CsvOptions,
    fields: Mapping[str, Field_],
    *,
    delimiter: str | None = None,
    columns: Sequence[str] | None = None,
) -> CsvText:
    """Read ``path`` as text, checked; ``delimiter`` overrides the contract's (``.tsv`` files)."""
    codec = _codec(options.encoding, path)
    if path.stat().st_size == 0:
        raise DataReadError("file is empty (no header)", path=str(path))
    delimiter = delimiter or options.delimiter
    scan = _scan(path, codec, options, delimiter, len(fields))
    names = scan.first if options.header else list(fields)
    first_index: dict[str, int] = {}
    duplicates: list[str] = []
    for index, name in enumerate(names):
        if name not in first_index:
            first_index[name] = index
        elif name not in duplicates:
            duplicates.append(name)
    wanted = set(columns) if columns is not None else None
    keep = [(n, i) for n, i in first_index.items() if wanted is None or n in wanted]
    for name, _ in keep:
        spec = fields.get(name)
        if spec is not None and spec.type in NOT_TEXT_TYPES:
            what = "binary" if spec.type == "binary" else f"a {spec.type}"
            raise DataReadError(
                f"field {name!r} is {what}; CSV cannot hold it — use Parquet, Arrow or JSON Lines",
                path=str(path),
            )
    frame = None if scan.python_only else _polars_frame(path, codec, options.quote, delimiter, scan)
    if frame is None:
        frame = _python_frame(path, codec, options, delimiter, scan.width)
    if options.header:
        frame = frame.slice(1)
    frame = frame.select([frame.columns[i] for _, i in keep])  # polars' own names: column_N
    frame.columns = [n for n, _ in keep]
    return CsvText(frame, duplicates)
