"""Is a Parquet file safe for polars' native reader? Its page headers, read and checked.

polars decodes Parquet faster than pyarrow followed by a conversion, but on a corrupt page
header it can ask for an absurd allocation, and Rust aborts the process where no Python
handler runs (FAULTS row 10). Every such header is read here first, with a small reader of
Thrift's compact protocol, and held to the footer: sizes inside the column chunk and adding up
to it, value counts within the row group. A file that passes is handed to polars; anything
unusual (nested columns, page checksums polars would not verify, a header this reader cannot
follow) sends the file to pyarrow, which decodes slower but reports corruption as an error.
Nothing is refused here: the answer is only "polars may read it" or "let pyarrow".
"""

from __future__ import annotations

import mmap
from typing import Any, BinaryIO

_MAX_PAGE_BYTES = 1 << 31
"""No page of a file polars should read is larger: Parquet's sizes are 32-bit."""
_DATA_PAGE, _DICTIONARY_PAGE, _DATA_PAGE_V2 = 0, 2, 3
_STOP, _I32, _STRUCT = 0, 5, 12
_MAX_DEPTH = 16
"""Nesting of Thrift structs and lists a page header never exceeds."""


class _UnsaneHeaderError(Exception):
    """The header is not what a sane writer produces: leave the file to pyarrow."""


def native_read_is_safe(handle: BinaryIO, metadata: Any) -> bool:
    """True when every page header of every column chunk of ``metadata`` (pyarrow's
    ``FileMetaData`` of the open file ``handle``) is sane."""
    schema = metadata.schema
    if any(schema.column(i).max_repetition_level > 0 for i in range(metadata.num_columns)):
        return False  # nested values: counts per page are not counts of rows
    if metadata.num_row_groups == 0:
        return False  # nothing to read: pyarrow's way is as fast
    try:
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for group in range(metadata.num_row_groups):
                row_group = metadata.row_group(group)
                for index in range(row_group.num_columns):
                    _check_chunk(data, row_group.column(index), row_group.num_rows)
    except (_UnsaneHeaderError, OSError, ValueError):
        return False
    return True


def _check_chunk(data: mmap.mmap, chunk: Any, rows: int) -> None:
    start = chunk.data_page_offset
    if chunk.has_dictionary_page and chunk.dictionary_page_offset:
        start = min(start, chunk.dictionary_page_offset)
    end = start + chunk.total_compressed_size
    if start < 4 or end > len(data) - 8:
        raise _UnsaneHeaderError
    values, position = 0, start
    while position < end:
        kind, uncompressed, compressed, count, crc, position = _page_header(data, position, end)
        position += compressed
        if crc:
            # written with checksums: pyarrow verifies them, polars does not
            raise _UnsaneHeaderError
        if not 0 <= compressed <= _MAX_PAGE_BYTES or position > end:
            raise _UnsaneHeaderError
        if not 0 <= uncompressed <= min(_MAX_PAGE_BYTES, chunk.total_uncompressed_size):
            raise _UnsaneHeaderError
        if kind in (_DATA_PAGE, _DATA_PAGE_V2):
            if not 0 <= count <= rows:
                raise _UnsaneHeaderError
            values += count
        elif kind == _DICTIONARY_PAGE and not 0 <= count <= 8 * uncompressed:
            raise _UnsaneHeaderError
    if position != end or values != chunk.num_values:
        raise _UnsaneHeaderError


# Thrift's compact protocol, as far as a PageHeader needs it. Functions over (buffer, position)
# rather than a class: a file has hundreds of pages per million rows, and this is on the path
# of every Parquet read.


def _page_header(data: mmap.mmap, at: int, end: int) -> tuple[int, int, int, int, bool, int]:
    """(page type, uncompressed size, compressed size, values, has a checksum, where the page
    data starts) of the ``PageHeader`` at ``at``; values is -1 when the header has none."""
    kind = uncompressed = compressed = count = -1
    crc = False
    last = 0
    while True:
        number, field, at = _field(data, at, end, last)
        if field == _STOP:
            return kind, uncompressed, compressed, count, crc, at
        last = number
        if field == _I32 and number <= 4:
            value, at = _zigzag(data, at, end)
            if number == 1:
                kind = value
            elif number == 2:
                uncompressed = value
            elif number == 3:
                compressed = value
            else:
                crc = True
        elif field == _STRUCT and number in (5, 7, 8):  # data, dictionary, data v2 headers
            count, at = _first_count(data, at, end)
        else:
            at = _skip(data, at, end, field)


def _field(data: mmap.mmap, at: int, end: int, last: int) -> tuple[int, int, int]:
    if at >= end:
        raise _UnsaneHeaderError
    byte = data[at]
    at += 1
    if byte == _STOP:
        return 0, _STOP, at
    delta = byte >> 4
    if delta:
        return last + delta, byte & 0x0F, at
    number, at = _zigzag(data, at, end)
    return number, byte & 0x0F, at


def _varint(data: mmap.mmap, at: int, end: int) -> tuple[int, int]:
    result = shift = 0
    while at < end and shift < 64:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, at
        shift += 7
    raise _UnsaneHeaderError


def _zigzag(data: mmap.mmap, at: int, end: int) -> tuple[int, int]:
    value, at = _varint(data, at, end)
    return (value >> 1) ^ -(value & 1), at


def _first_count(data: mmap.mmap, at: int, end: int) -> tuple[int, int]:
    """Field 1 (``num_values``) of a page's own header struct, and where the struct ends."""
    count, last = -1, 0
    while True:
        number, field, at = _field(data, at, end, last)
        if field == _STOP:
            return count, at
        last = number
        if number == 1 and field == _I32:
            count, at = _zigzag(data, at, end)
        else:
            at = _skip(data, at, end, field)


def _skip(data: mmap.mmap, at: int, end: int, field: int, depth: int = 0) -> int:
    """Where the value of type ``field`` at ``at`` ends."""
    if depth > _MAX_DEPTH:
        raise _UnsaneHeaderError
    if field in (1, 2):  # booleans: the value is in the type
        pass
    elif field == 3:  # byte
        at += 1
    elif field in (4, 5, 6):  # i16, i32, i64
        _, at = _varint(data, at, end)
    elif field == 7:  # double
        at += 8
    elif field == 8:  # binary
        length, at = _varint(data, at, end)
        at += length
    elif field in (9, 10):  # list, set
        if at >= end:
            raise _UnsaneHeaderError
        header = data[at]
        at += 1
        count = header >> 4
        if count == 15:
            count, at = _varint(data, at, end)
        for _ in range(count):
            at = _skip(data, at, end, header & 0x0F, depth + 1)
    elif field == 11:  # map
        count, at = _varint(data, at, end)
        if count:
            if at >= end:
                raise _UnsaneHeaderError
            types = data[at]
            at += 1
            for _ in range(count):
                at = _skip(data, at, end, types >> 4, depth + 1)
                at = _skip(data, at, end, types & 0x0F, depth + 1)
    elif field == _STRUCT:
        last = 0
        while True:
            number, inner, at = _field(data, at, end, last)
            if inner == _STOP:
                break
            last = number
            at = _skip(data, at, end, inner, depth + 1)
    else:
        raise _UnsaneHeaderError
    if at > end:
        raise _UnsaneHeaderError
    return at
