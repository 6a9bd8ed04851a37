"""Data files to one polars DataFrame typed by the contract, losing nothing on the way.

``discover`` turns files, globs and directories into a sorted list of data files; ``read_dataset``
reads them in that order into one frame. CSV (and string values of JSON Lines) is read as text and
converted per declared field (``text_parse``): a cell that is not a value of its type is null in
the frame and listed in ``ReadResult.cell_failures`` with its row and original text. Parquet and
Arrow are read as stored, never cast; the runner judges their types. Rows are never dropped or
reordered, and every unreadable input is a ``DataReadError`` naming the file, never a traceback.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self, TypedDict

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from accord.contract.model import ContractModel, CsvOptions, Field_
from accord.errors import DataReadError, UsageError
from accord.run.csv_reader import read_csv_text
from accord.run.ipc_layout import (
    arrow_is_file_format,
    check_file_layout,
    check_stream_end,
    stream_end,
)
from accord.run.parquet_layout import check_parquet_layout
from accord.run.paths import SUFFIX_FORMATS, SUFFIXES, discover, os_errors
from accord.run.text_parse import PARSED_TYPES, Converted, Settled, convert_text

FORMATS = tuple(SUFFIXES)
READ_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError, ValueError)


@dataclass(frozen=True)
class FileSpan:
    """Rows ``start .. start + rows - 1`` of the combined frame came from ``path``."""

    path: str
    start: int
    rows: int


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


def locate(files: Sequence[FileSpan], row: int, rows: int) -> tuple[str, int]:
    """The file of ``files`` (``rows`` rows in all) that row ``row`` came from, and its 0-based
    data row within that file."""
    index = bisect.bisect_right(files, row, key=lambda span: span.start) - 1
    if row < 0 or index < 0 or row >= files[index].start + files[index].rows:
        raise IndexError(f"row {row} is outside the {rows} rows read")
    span = files[index]
    return span.path, row - span.start


def format_of(path: Path, chosen: str | None, default: str | None = None) -> str:
    """The format ``path`` is read as: ``chosen`` (asked for by name) when given, else the one
    its suffix names, else ``default`` (the contract's ``source.format``). A telling suffix beats
    the contract: one contract describes data written as CSV today and as Parquet tomorrow."""
    if chosen is not None:
        return chosen
    suffix = path.suffix.lower()
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    if default is not None:
        return default
    valid = ", ".join(f"{kind} ({', '.join(ends)})" for kind, ends in SUFFIXES.items())
    raise DataReadError(
        f"unknown data format for suffix {suffix or '(none)'!r}; valid formats: "
        f"{valid}; name one with --data-format, or set source.format in the contract",
        path=str(path),
    )


@contextmanager
def _say_why_format(path: Path, kind: str) -> Iterator[None]:
    """A file read as another format than its suffix names fails with both named: the
    likely mistake is the format that was asked for, not the file."""
    try:
        yield
    except DataReadError as error:
        named = SUFFIX_FORMATS.get(path.suffix.lower())
        if named is None or named == kind:
            raise
        raise DataReadError(
            f"{error} (it was read as {kind} because --data-format says so, but its "
            f"suffix {path.suffix} says {named}: drop --data-format or name {named})"
        ) from error


def corrupt(kind: str, path: Path, detail: str) -> DataReadError:
    return DataReadError(
        f"not a valid {kind} file (truncated or corrupt): {detail}", path=str(path)
    )


@contextmanager
def corrupt_on_error(kind: str, path: Path) -> Iterator[None]:
    """A reader's failure as "not a valid KIND file", naming the path; an operating-system
    failure is left for ``os_errors`` to name for what it is."""
    try:
        yield
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise
    except (*READ_ERRORS, pa.ArrowException) as error:
        raise corrupt(kind, path, str(error).splitlines()[0]) from None


def _projected(frame: pl.DataFrame, columns: Sequence[str] | None) -> pl.DataFrame:
    if columns is None:
        return frame
    wanted = set(columns)
    return pl.DataFrame([frame.get_column(c) for c in frame.columns if c in wanted])


def check_parquet_envelope(path: Path) -> None:
    """Refuse a file whose magic numbers or footer length are wrong, before any native reader
    runs: the common corruptions (a cut-off copy, a file that is not Parquet) get a clear
    message. The full and the schema-only readers share it, so both fail a bad file alike."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(max(size - 8, 0))
        tail = handle.read(8)
    if tail[4:] == b"PARE":
        raise DataReadError("encrypted Parquet files are not supported", path=str(path))
    if size < 12 or head != b"PAR1" or tail[4:] != b"PAR1":
        raise corrupt("Parquet", path, "it does not start and end with the PAR1 marker")
    if int.from_bytes(tail[:4], "little") > size - 12:
        raise corrupt("Parquet", path, "its footer is longer than the file")


def _read_parquet(path: Path, columns: Sequence[str] | None) -> pl.DataFrame:
    check_parquet_envelope(path)
    # Pages are decoded by pyarrow, not by polars' native reader: on a corrupt page header polars
    # can ask for an absurd allocation, and Rust aborts the whole process (SIGABRT) where no
    # Python handler runs; pyarrow reports the same pages as an error. The table is validated in
    # full before polars sees it, so bad offsets or dictionary indices cannot panic the
    # conversion either. Pages written with a checksum are verified. Arrow opens the file itself:
    # a Python file object read from arrow's IO threads can end the process in std::terminate at
    # exit once a read has failed (seen with polars loaded).
    with corrupt_on_error("Parquet", path), pa.OSFile(str(path)) as handle:
        parquet = pq.ParquetFile(handle, page_checksum_verification=True)
        check_parquet_layout(path, parquet.metadata)
        names = list(parquet.schema_arrow.names)
        keep = names if columns is None else [n for n in names if n in set(columns)]
        if not keep:
            return pl.DataFrame()
        return _row_groups_to_polars(parquet, keep)


def _row_groups_to_polars(parquet: pq.ParquetFile, columns: list[str]) -> pl.DataFrame:
    """The file as one polars frame, converted a row group at a time so the arrow copy of the
    whole file never sits in memory beside the polars one (about 1 GB at 10M rows)."""
    pieces: Iterable[pa.Table] = (
        [parquet.read(columns=columns)]
        if parquet.num_row_groups == 0
        else (parquet.read_row_group(i, columns=columns) for i in range(parquet.num_row_groups))
    )
    frames = [arrow_to_polars(table) for table in pieces]
    return frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical", rechunk=False)


def arrow_to_polars(table: pa.Table) -> pl.DataFrame:
    """A table read by pyarrow as polars, validated in full first: bad offsets or dictionary
    indices must not reach polars, whose conversion panics on them."""
    table.validate(full=True)
    frame = pl.from_arrow(utf8_metadata(table), rechunk=False)
    assert isinstance(frame, pl.DataFrame)  # a Table converts to a DataFrame
    return frame


def utf8_metadata(table: pa.Table) -> pa.Table:
    """``table`` without metadata that polars' schema import could panic on (non-UTF-8 bytes).

    The file-level metadata (``ARROW:schema``, pandas') has done its work once pyarrow has read
    the table and is dropped; column-level metadata (polars keeps Enum categories there) is kept
    when it is readable.
    """

    def readable(metadata: dict[bytes, bytes] | None) -> dict[bytes, bytes] | None:
        if not metadata:
            return None
        try:
            for key, value in metadata.items():
                key.decode("utf-8")
                value.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return metadata

    fields = [
        field.with_metadata(readable(field.metadata)) if field.metadata else field
        for field in table.schema
    ]
    return pa.Table.from_arrays(table.columns, schema=pa.schema(fields))


def _read_arrow(path: Path, columns: Sequence[str] | None) -> pl.DataFrame:
    # polars stops at a stream's first end marker and reads a file through its footer: bytes
    # neither reaches are refused first (ipc_layout), never silently left unread.
    if arrow_is_file_format(path):
        read = pl.read_ipc
        check_file_layout(path)
    else:
        read = pl.read_ipc_stream
        with corrupt_on_error("Arrow IPC", path):
            end = stream_end(path)
        check_stream_end(path, end)
    with corrupt_on_error("Arrow IPC", path), path.open("rb") as handle:
        frame = read(handle)
    return _projected(frame, columns)


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


def _jsonl_problem(path: Path) -> tuple[str | None, int]:
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
    problem, objects = _jsonl_problem(path)
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
    return _projected(frame, columns)


# Integer dtypes by (signed, rank): a rank is a width, 8 to 128 bits.
_INTEGERS: dict[pl.DataType, tuple[bool, int]] = {
    **{d: (True, r) for r, d in enumerate([pl.Int8(), pl.Int16(), pl.Int32(), pl.Int64()])},
    **{d: (False, r) for r, d in enumerate([pl.UInt8(), pl.UInt16(), pl.UInt32(), pl.UInt64()])},
}
_SIGNED_BY_RANK = [pl.Int8(), pl.Int16(), pl.Int32(), pl.Int64(), pl.Int128()]
_UNSIGNED_BY_RANK = [pl.UInt8(), pl.UInt16(), pl.UInt32(), pl.UInt64()]


def common_dtype(name: str, typed: list[tuple[str, pl.DataType]]) -> pl.DataType:
    """One dtype holding every file's values of a column exactly, or DataReadError."""
    kinds = [(p, d) for p, d in typed if d != pl.Null]
    distinct = list(dict.fromkeys(d for _, d in kinds))
    if len(distinct) <= 1:
        return distinct[0] if distinct else pl.Null()
    if all(d in _INTEGERS for d in distinct):
        ranks = [_INTEGERS[d] for d in distinct]
        if not any(signed for signed, _ in ranks):
            return _UNSIGNED_BY_RANK[max(r for _, r in ranks)]
        # A signed type one width wider than the widest unsigned one holds both.
        return _SIGNED_BY_RANK[max(r if signed else r + 1 for signed, r in ranks)]
    if all(d.is_float() for d in distinct):
        return pl.Float64()
    if all(d == pl.String or isinstance(d, pl.Categorical | pl.Enum) for d in distinct):
        return pl.String()  # text is text however it is stored (SPEC 1.3)
    (first, a), (second, b) = kinds[0], next(k for k in kinds if k[1] != kinds[0][1])
    raise DataReadError(
        f"column {name!r} is {a} in {first} but {b} in {second}; the files of "
        "one dataset must agree on each column's type"
    )


@dataclass(frozen=True)
class DatasetSchema:
    """The columns of several files read as one dataset."""

    dtypes: dict[str, pl.DataType]
    """Each column, in order of first appearance, and the dtype holding every file's values."""
    missing_in_files: dict[str, list[str]]

    @classmethod
    def of(cls, files: Sequence[Path], schemas: Sequence[Mapping[str, pl.DataType]]) -> Self:
        """From each file's own columns; DataReadError when files disagree on a column's type."""
        pairs = list(zip(files, schemas, strict=True))
        names = list(dict.fromkeys(name for schema in schemas for name in schema))
        missing = {n: [str(p) for p, s in pairs if n not in s] for n in names}
        dtypes = {n: common_dtype(n, [(str(p), s[n]) for p, s in pairs if n in s]) for n in names}
        return cls(dtypes, {n: paths for n, paths in missing.items() if paths})

    def aligned(self, frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
        """One file's ``frame`` with the columns ``names`` in the dataset's dtypes, null where
        the file has no such column."""
        columns = [
            # cast under a plain name: Series methods on a column named "*" misbehave
            frame.get_column(n).rename("c").cast(self.dtypes[n]).rename(n)
            if n in frame.columns
            else pl.Series(n, [], dtype=self.dtypes[n]).extend_constant(None, frame.height)
            for n in names
        ]
        return pl.DataFrame(columns) if columns else pl.DataFrame(height=frame.height)


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


def dataset_files(
    paths: Sequence[str | Path], contract: ContractModel, format: str | None
) -> tuple[list[Path], str]:
    """The data files of ``paths`` and their one format (see :func:`read_dataset`)."""
    if format is not None and format not in FORMATS:
        raise UsageError(f"unknown data format {format!r}; valid formats: {', '.join(FORMATS)}")
    files = discover(paths)
    default = contract.source.format
    kinds = list(dict.fromkeys(format_of(path, format, default) for path in files))
    if len(kinds) > 1:
        raise DataReadError(
            f"the data files mix formats ({', '.join(kinds)}); read one format at a time"
        )
    return files, kinds[0]


def csv_delimiter(path: Path, options: CsvOptions) -> str | None:
    """The delimiter that overrides the contract's for ``path``: a tab for a ``.tsv`` file
    unless the contract names one."""
    tab = path.suffix.lower() == ".tsv" and "delimiter" not in options.model_fields_set
    return "\t" if tab else None


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
    ``contract.source.format`` (for files whose suffix names no format). ``columns``
    reads only those columns. Raises DataReadError when the data cannot be read at all.
    """
    files, kind = dataset_files(paths, contract, format)
    options = contract.source.csv
    frames: list[pl.DataFrame] = []
    duplicates: list[str] = []
    for path in files:
        with _say_why_format(path, kind), os_errors(path):
            if kind == "csv":
                delimiter = csv_delimiter(path, options)
                text = read_csv_text(
                    path, options, contract.fields, delimiter=delimiter, columns=columns
                )
                frames.append(text.frame)
                duplicates += [d for d in text.duplicate_columns if d not in duplicates]
            elif kind == "parquet":
                frames.append(_read_parquet(path, columns))
            elif kind == "arrow":
                frames.append(_read_arrow(path, columns))
            else:
                frames.append(_read_jsonl(path, contract.fields, columns))
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
