"""The structure of a CSV file as Python's ``csv`` module reads it: encodings, the header, line
breaks polars reads differently, and where each chunk of records starts (see ``io.csv``)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import polars as pl

from accord.contract.model import CsvOptions, Field_
from accord.errors import DataReadError
from accord.run.io.text_parse import NOT_TEXT_TYPES

if TYPE_CHECKING:
    import _csv

_DELIMITER_GUESSES = ",;\t|"
_DECODE_CHUNK = 1 << 20


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


@dataclass(frozen=True)
class Header:
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


class Lines:
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


def codec_of(encoding: str, path: Path) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise DataReadError(f"unknown encoding {encoding!r}", path=str(path)) from None
    # utf-8-sig reads a file with or without a BOM and drops the BOM from the first header name.
    return "utf-8-sig" if name in {"utf-8", "utf-8-sig"} else name


def bad_byte_offset(path: Path, codec: str) -> int:
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


def record_reader(lines: Lines, delimiter: str, quote: str) -> _csv.Reader:
    try:
        return csv.reader(lines, delimiter=delimiter, quotechar=quote, strict=True)
    except (TypeError, ValueError) as error:  # e.g. the same character as delimiter and quote
        raise DataReadError(f"invalid CSV options: {error}") from None


def delimiter_problem(first: list[str], declared: int, delimiter: str, header: bool) -> str | None:
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


def is_cut_short(reader: _csv.Reader, path: Path) -> bool:
    """Whether the record just read is the last one and the file has no final line break."""
    try:
        if next(reader, None) is not None:
            return False
    except csv.Error:
        return False
    with path.open("rb") as handle:
        handle.seek(-1, io.SEEK_END)
        return handle.read(1) not in (b"\n", b"\r")


class Chunker:
    """Closes a chunk after every ``every`` data records a scan reads (None: at the end only);
    ``position`` tells where the text read so far ends."""

    def __init__(
        self, position: Callable[[], int], lines: Lines, every: int | None, header: int
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


def first_record(
    path: Path, record: list[str], line: int, options: CsvOptions, delimiter: str, declared: int
) -> tuple[list[str], int]:
    """The first record, checked, and the number of fields every record must have."""
    if not record and options.header:
        raise DataReadError(f"line {line}: the header line is blank", path=str(path))
    first = record or [""]
    hint = delimiter_problem(first, declared, delimiter, options.header)
    if hint:
        raise DataReadError(hint, path=str(path))
    return first, len(first) if options.header else declared


def bom_length(path: Path) -> int:
    with path.open("rb") as handle:
        return 3 if handle.read(3) == codecs.BOM_UTF8 else 0


def checked_codec(path: Path, options: CsvOptions) -> str:
    codec = codec_of(options.encoding, path)
    if path.stat().st_size == 0:
        raise DataReadError("file is empty (no header)", path=str(path))
    return codec


def read_header(
    path: Path,
    first: list[str],
    options: CsvOptions,
    fields: Mapping[str, Field_],
    columns: Collection[str] | None,
) -> Header:
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
    return Header(list(first_index.items()), duplicates)
