"""Where an Arrow IPC file's data ends, so bytes no reader would read are refused, not ignored.

A stream ends at its end-of-stream marker: readers stop there, and a second stream appended to
the file (``cat a.arrows b.arrows``) or trailing data is never read. A file in the IPC *file*
format is read through its footer, which lists the record batches; two such files joined read
as the second footer says, which points into the first file's bytes. So a file's record
batches must tile it: from the first to the footer, with no gap (an end-of-stream marker
before the footer aside).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.ipc

from accord.errors import DataReadError
from accord.run.io.remote_file import arrow_input

_MAGIC = b"ARROW1"
END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"


def stream_end(path: Path, start: int = 0) -> int:
    """The offset just past the IPC stream that starts at ``start``: its end marker, or the
    end of its last message. Messages are read one at a time; pyarrow names a corrupt one."""
    with arrow_input(path) as handle:
        handle.seek(start)
        for _ in pa.ipc.MessageReader.open_stream(handle):
            pass
        return int(handle.tell())


def check_stream_end(path: Path, end: int) -> None:
    """DataReadError when bytes follow an IPC stream's end (at byte ``end``) in ``path``: a
    second stream appended to the first, or trailing data, which a stream reader never reads."""
    size = path.stat().st_size
    if end < size:
        raise DataReadError(
            f"{size - end} bytes follow the end of the Arrow IPC stream at byte {end} "
            "(several streams joined into one file, or trailing data); they would never be "
            "read: write one stream per file",
            path=str(path),
        )


def _blocks(footer: bytes) -> list[tuple[int, int]]:
    """``(offset, length)`` of every dictionary and record batch block a Footer lists
    (flatbuffer table: version 0, schema 1, dictionaries 2, recordBatches 3; a Block is the
    struct offset: int64, metaDataLength: int32, bodyLength: int64, 24 bytes)."""

    def number(at: int, size: int, *, signed: bool = False) -> int:
        if at < 0 or at + size > len(footer):
            raise ValueError("the footer is cut short")
        return int.from_bytes(footer[at : at + size], "little", signed=signed)

    table = number(0, 4)
    vtable = table - number(table, 4, signed=True)
    slots = [number(vtable + 4 + 2 * i, 2) for i in range((number(vtable, 2) - 4) // 2)]
    blocks = []
    for field in (2, 3):
        if field >= len(slots) or not slots[field]:
            continue
        at = table + slots[field]
        vector = at + number(at, 4)
        for i in range(number(vector, 4)):
            block = vector + 4 + 24 * i
            length = number(block + 8, 4, signed=True) + number(block + 16, 8, signed=True)
            blocks.append((number(block, 8, signed=True), length))
    return blocks


def check_file_layout(path: Path) -> None:
    """DataReadError unless the record batches a file-format IPC file's footer lists are the
    whole of its data: from the first one to the footer, without a gap."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        if size < 20:
            return  # too short to hold a footer: the reader says it is corrupt
        handle.seek(size - 10)
        tail = handle.read(10)
        footer_length = int.from_bytes(tail[:4], "little", signed=True)
        footer_start = size - 10 - footer_length
        if tail[4:] != _MAGIC or not 8 <= footer_start < size:
            return  # not a well-formed file: the reader says what is wrong
        handle.seek(footer_start)
        footer = handle.read(footer_length)
    try:
        blocks = sorted(_blocks(footer))
    except ValueError:
        return  # a malformed footer is the reader's to name
    if not blocks:
        return  # no record batch: nothing to read, nothing skipped
    # Writers differ in what precedes the first block (pyarrow: a schema message; polars: its
    # own layout), so the tiling is checked from the first block on.
    position = blocks[0][0]
    for offset, length in blocks:
        if offset != position:
            break
        position += length
    end = footer_start
    if _ends_with_marker(path, footer_start):
        end -= len(END_OF_STREAM)
    if position != end:
        raise DataReadError(
            f"bytes {position} to {end} are not part of any record batch the file's "
            "footer lists (several Arrow IPC files joined into one?); they would never be "
            "read: write one file per dataset part",
            path=str(path),
        )


def _ends_with_marker(path: Path, end: int) -> bool:
    with path.open("rb") as handle:
        handle.seek(max(end - len(END_OF_STREAM), 0))
        return handle.read(len(END_OF_STREAM)) == END_OF_STREAM


def arrow_is_file_format(path: Path) -> bool:
    """Whether ``path`` is in the Arrow IPC file format (it starts with ARROW1); anything else
    is read as an IPC stream. Feather version 1 is refused."""
    with path.open("rb") as handle:
        head = handle.read(6)
    if head.startswith(b"FEA1"):
        raise DataReadError(
            "Feather version 1 is not supported; rewrite it as Arrow IPC (Feather version 2)",
            path=str(path),
        )
    return head == b"ARROW1"
