"""Parquet files read behind every check that keeps a corrupt file a clean error.

Before any reader runs, the envelope (magic numbers, footer length) and the layout
(``parquet_layout``: no second file hidden behind the footer) are checked. Then every page
header is read and held to the footer (``parquet_pages``): on a corrupt header polars' native
reader can ask for an absurd allocation, and Rust aborts the whole process (SIGABRT) where no
Python handler runs. A file whose headers are sane, and whose columns polars reads as the types
pyarrow would give, is decoded by polars (about twice as fast); any other file, and any file
polars fails on, is decoded by pyarrow, which reports bad pages as an error. ``read_file``
reads a file whole; ``open_file`` in batches, behind the same protections.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from accord.contract.model import ContractModel
from accord.errors import DataReadError
from accord.run.io.arrow_names import duplicated, first_of_each
from accord.run.io.common import corrupt, corrupt_on_error
from accord.run.io.parquet_layout import check_parquet_layout
from accord.run.io.parquet_pages import native_read_is_safe
from accord.run.io.remote_file import arrow_input, is_local
from accord.run.io.wide_decimals import refuse_wide_decimals

_PARQUET_BUFFER = 1 << 20
"""Bytes pyarrow reads of a column chunk at a time: pages stream in, not the whole chunk."""


def check_parquet_envelope(path: Path) -> None:
    """Refuse a file whose magic numbers or footer length are wrong, before any native reader
    runs: the common corruptions (a cut-off copy, a file that is not Parquet) get a clear
    message. The full and the schema-only readers share it, so both fail a bad file alike."""
    size = path.stat().st_size
    with path.open("rb", buffering=0) as handle:  # unbuffered: two small reads (requests)
        head = handle.read(4)
        handle.seek(max(size - 8, 0))
        tail = handle.read(8)
    if tail[4:] == b"PARE":
        raise DataReadError("encrypted Parquet files are not supported", path=str(path))
    if size < 12 or head != b"PAR1" or tail[4:] != b"PAR1":
        raise corrupt("Parquet", path, "it does not start and end with the PAR1 marker")
    if int.from_bytes(tail[:4], "little") > size - 12:
        raise corrupt("Parquet", path, "its footer is longer than the file")


def _read_parquet(path: Path, columns: Sequence[str] | None) -> tuple[pl.DataFrame, list[str]]:
    check_parquet_envelope(path)
    # pyarrow's way, when polars' is not safe: the table is validated in full before polars sees
    # it, so bad offsets or dictionary indices cannot panic the conversion either. Pages written
    # with a checksum are verified. Arrow opens the file itself: a Python file object read from
    # arrow's IO threads can end the process in std::terminate at exit once a read has failed
    # (seen with polars loaded).
    with corrupt_on_error("Parquet", path), arrow_input(path) as handle:
        parquet = pq.ParquetFile(handle, page_checksum_verification=True)
        check_parquet_layout(path, parquet.metadata)
        refuse_wide_decimals(path, parquet.schema_arrow)
        names = list(dict.fromkeys(parquet.schema_arrow.names))
        duplicates = duplicated(parquet.schema_arrow.names)
        wanted = None if columns is None else set(columns)
        keep = names if wanted is None else [n for n in names if n in wanted]
        if not keep:
            return pl.DataFrame(), duplicates
        native = _native_columns(path, parquet, keep)
        if native is not None:
            try:
                return _native_scan(path).select(pl.nth(native)).collect(), duplicates
            except BaseException as error:  # a PanicException is one: pyarrow says what is wrong
                if isinstance(error, KeyboardInterrupt | MemoryError):
                    raise
        return _row_groups_to_polars(parquet, keep), duplicates


def _native_scan(path: Path) -> pl.LazyFrame:
    """The one file at ``path``: never a glob (``data[1].parquet`` names a file, not a pattern
    that could match others) and no columns from hive-style directory names."""
    return pl.scan_parquet(path, glob=False, hive_partitioning=False)


def _native_columns(path: Path, parquet: pq.ParquetFile, keep: list[str]) -> list[int] | None:
    """The positions of ``keep`` for polars' own reader when it is safe on this file and reads
    each column as the type pyarrow's conversion gives (so the runner sees the same frame);
    else None, for pyarrow. Remote files are pyarrow's: polars would resolve the URI itself,
    with credentials of its own."""
    if not is_local(path) or duplicated(parquet.schema_arrow.names):  # polars panics on those
        return None
    empty = pa.Table.from_batches([], parquet.schema_arrow)
    expected = arrow_to_polars(empty).schema
    try:
        found = _native_scan(path).collect_schema()
    except (Exception, pl.exceptions.PanicException):  # a footer polars cannot read: pyarrow's
        return None
    names = list(found)
    if names != list(expected) or len(set(names)) != len(names):
        return None
    if any(found[name] != expected[name] for name in keep):
        return None
    with path.open("rb") as raw:
        if not native_read_is_safe(raw, parquet.metadata):
            return None
    return [names.index(name) for name in keep]


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
    indices must not reach polars, whose conversion panics on them. Of columns that share a
    name, the first is kept (the name is reported: see ``arrow_names``)."""
    table.validate(full=True)
    frame = pl.from_arrow(utf8_metadata(first_of_each(table)), rechunk=False)
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


class ParquetFile:
    """A Parquet file opened for reading in batches: its footer read, never a page yet."""

    def __init__(self, path: Path, batch_rows: int) -> None:
        self.path, self._batch_rows = path, batch_rows
        self.duplicate_columns: list[str] = []
        check_parquet_envelope(path)
        with corrupt_on_error("Parquet", path), arrow_input(path) as handle:
            footer = pq.ParquetFile(handle)  # the footer only, never a page
            check_parquet_layout(path, footer.metadata)
            refuse_wide_decimals(path, footer.schema_arrow)
            self.duplicate_columns = duplicated(footer.schema_arrow.names)
            empty = pa.Table.from_batches([], footer.schema_arrow)
            self.schema = dict(arrow_to_polars(empty).schema)  # as the values will convert
            metadata = footer.metadata
            self._groups = [metadata.row_group(i).num_rows for i in range(footer.num_row_groups)]
            names = list(self.schema)
            self._native = _native_columns(path, footer, names) is not None
        self.rows: int | None = sum(self._groups)

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        if not self.schema:
            return  # read_dataset reads no row of a file without columns
        if not columns:
            yield from (pl.DataFrame(height=rows) for rows in self._groups)
            return
        check_parquet_envelope(self.path)
        done = 0
        if self._native:
            try:
                for frame in self._native_frames(columns):
                    yield frame
                    done += frame.height
                return
            except BaseException as error:  # a PanicException is one: pyarrow says what is wrong
                if isinstance(error, KeyboardInterrupt | MemoryError | GeneratorExit):
                    raise
        yield from _after(self._arrow_frames(columns), done)

    def _native_frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        """polars' own reader, a batch at a time: the columns by position, as names may read
        as patterns to polars."""
        positions = [list(self.schema).index(name) for name in columns]
        query = _native_scan(self.path).select(pl.nth(positions))
        yield from query.collect_batches(chunk_size=self._batch_rows)

    def _arrow_frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        with corrupt_on_error("Parquet", self.path), arrow_input(self.path) as handle:
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


def _after(frames: Iterable[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """``frames`` from row ``rows`` on: a reader taking over where another failed."""
    for frame in frames:
        if rows >= frame.height:
            rows -= frame.height
            continue
        yield frame.slice(rows) if rows else frame
        rows = 0


def read_file(
    path: Path, contract: ContractModel, columns: Sequence[str] | None
) -> tuple[pl.DataFrame, list[str]]:
    """The whole file as stored, never cast (the runner judges its types)."""
    del contract  # stored types are read as they are
    return _read_parquet(path, columns)


def open_file(path: Path, contract: ContractModel, batch_rows: int) -> ParquetFile:
    del contract
    return ParquetFile(path, batch_rows)
