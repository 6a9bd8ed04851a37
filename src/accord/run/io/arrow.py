"""Arrow IPC files (the file format, Feather 2) and streams, read by polars' own IPC readers.

Bytes no reader would reach are refused first (``ipc_layout``): polars stops at a stream's first
end marker and reads a file through its footer. ``read_file`` reads a file whole; ``open_file``
reads a file-format IPC file a slice at a time, and a stream message by message.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.ipc

from accord.contract.model import ContractModel
from accord.run.io.arrow_names import arrow_duplicates, arrow_schema, duplicated, read_arrow_table
from accord.run.io.common import corrupt, corrupt_on_error, projected
from accord.run.io.ipc_layout import (
    END_OF_STREAM,
    arrow_is_file_format,
    check_file_layout,
    check_stream_end,
    stream_end,
)
from accord.run.io.parquet import arrow_to_polars
from accord.run.io.remote_file import arrow_input
from accord.run.io.wide_decimals import refuse_wide_decimals


def _read_arrow(path: Path, columns: Sequence[str] | None) -> tuple[pl.DataFrame, list[str]]:
    # polars stops at a stream's first end marker and reads a file through its footer: bytes
    # neither reaches are refused first (ipc_layout), never silently left unread.
    file_format = arrow_is_file_format(path)
    if file_format:
        read = pl.read_ipc
        check_file_layout(path)
    else:
        read = pl.read_ipc_stream
        with corrupt_on_error("Arrow IPC", path):
            end = stream_end(path)
        check_stream_end(path, end)
    with corrupt_on_error("Arrow IPC", path):
        duplicates = arrow_duplicates(path, file_format=file_format)
        if duplicates:  # polars panics on them: pyarrow reads, the first of each name is kept
            table = read_arrow_table(path, file_format=file_format)
            return projected(arrow_to_polars(table), columns), duplicates
    with corrupt_on_error("Arrow IPC", path), path.open("rb") as handle:
        frame = read(handle)
    return projected(frame, columns), duplicates


class ArrowFile:
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


class ArrowStream:
    """An IPC stream: schema, then dictionaries and record batches, with no index. Each record
    batch goes to polars' stream reader as a stream of its own, so it reads as in the whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: int | None = None
        self.duplicate_columns: list[str] = []
        with corrupt_on_error("Arrow IPC", path), arrow_input(path) as handle:
            first = next(iter(pa.ipc.MessageReader.open_stream(handle)), None)
            if first is None or first.type != "schema":
                raise corrupt("Arrow IPC", path, "it does not start with a schema")
            refuse_wide_decimals(path, pa.ipc.read_schema(first))
            self._schema_message = first.serialize().to_pybytes()
            empty = pl.read_ipc_stream(io.BytesIO(self._schema_message + END_OF_STREAM))
        self.schema = dict(empty.schema)

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        # A dictionary message replaces the dictionary of its id, or with isDelta extends it.
        dictionaries: dict[int, list[bytes]] = {}
        with corrupt_on_error("Arrow IPC", self.path), arrow_input(self.path) as handle:
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
                    stream = b"".join([self._schema_message, *in_force, data, END_OF_STREAM])
                    frame = pl.read_ipc_stream(io.BytesIO(stream))
                    yield frame.select(columns) if columns else pl.DataFrame(height=frame.height)
            end = handle.tell()
        check_stream_end(self.path, end)


class ArrowByPyarrow:
    """An Arrow IPC file or stream with duplicated names, read in batches by pyarrow."""

    def __init__(self, path: Path, batch_rows: int, schema: pa.Schema, *, file_format: bool):
        self.path, self._batch_rows, self._file_format = path, batch_rows, file_format
        self.rows: int | None = None
        self.duplicate_columns = duplicated(schema.names)
        if file_format:
            check_file_layout(path)
        else:
            check_stream_end(path, stream_end(path))
        self.schema = dict(arrow_to_polars(pa.Table.from_batches([], schema)).schema)

    def frames(self, columns: Sequence[str]) -> Iterator[pl.DataFrame]:
        with corrupt_on_error("Arrow IPC", self.path), arrow_input(self.path) as handle:
            if self._file_format:
                opened = pa.ipc.open_file(handle)
                batches = (opened.get_batch(i) for i in range(opened.num_record_batches))
            else:
                batches = iter(pa.ipc.open_stream(handle))
            for batch in batches:
                for start in range(0, batch.num_rows, self._batch_rows):
                    piece = pa.Table.from_batches([batch.slice(start, self._batch_rows)])
                    frame = arrow_to_polars(piece)
                    yield frame.select(columns) if columns else pl.DataFrame(height=frame.height)


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


def read_file(
    path: Path, contract: ContractModel, columns: Sequence[str] | None
) -> tuple[pl.DataFrame, list[str]]:
    """The whole file as stored, never cast (the runner judges its types)."""
    del contract  # stored types are read as they are
    return _read_arrow(path, columns)


def open_file(
    path: Path, contract: ContractModel, batch_rows: int
) -> ArrowFile | ArrowStream | ArrowByPyarrow:
    del contract
    file_format = arrow_is_file_format(path)
    with corrupt_on_error("Arrow IPC", path):
        schema = arrow_schema(path, file_format=file_format)
        # a name that is not UTF-8 fails here, as corrupt (pyarrow decodes names on access)
        names = schema.names if schema is not None else []
    if schema is not None and duplicated(names):  # polars panics on them
        return ArrowByPyarrow(path, batch_rows, schema, file_format=file_format)
    return ArrowFile(path, batch_rows) if file_format else ArrowStream(path)
