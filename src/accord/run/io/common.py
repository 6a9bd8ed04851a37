"""What every format's reader shares: which format a file is, how a reader's failure is named,
and how the columns of several files combine into one dataset."""

from __future__ import annotations

import bisect
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Self

import polars as pl

from accord.contract.model import ContractModel
from accord.errors import DataReadError, UsageError
from accord.run.io.paths import SUFFIX_FORMATS, SUFFIXES, discover

FORMATS = tuple(SUFFIXES)
READ_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError, ValueError)


class OpenedFile(Protocol):
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


@dataclass(frozen=True)
class FileSpan:
    """Rows ``start .. start + rows - 1`` of the combined frame came from ``path``."""

    path: str
    start: int
    rows: int


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
def say_why_format(path: Path, kind: str) -> Iterator[None]:
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


def dataset_files(
    paths: Sequence[str | Path], contract: ContractModel, format: str | None
) -> tuple[list[Path], str]:
    """The data files of ``paths`` and their one format (see ``sources.read_dataset``)."""
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
    except BaseException as error:  # polars' PanicException is not an Exception
        if not isinstance(error, READ_ERRORS) and not _is_arrow_error(error):
            raise
        raise corrupt(kind, path, str(error).splitlines()[0]) from None


def _is_arrow_error(error: BaseException) -> bool:
    """Whether ``error`` is pyarrow's, without importing pyarrow for readers that never load
    it (only an imported pyarrow can have raised one)."""
    arrow = sys.modules.get("pyarrow")
    return arrow is not None and isinstance(error, arrow.ArrowException)


def projected(frame: pl.DataFrame, columns: Sequence[str] | None) -> pl.DataFrame:
    """``frame`` with only ``columns`` (all of them: None), in the frame's order."""
    if columns is None:
        return frame
    wanted = set(columns)
    return pl.DataFrame([frame.get_column(c) for c in frame.columns if c in wanted])


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
