"""Whether a Parquet file's footer describes all of it, so joined files are refused, not misread.

A Parquet file is read through the footer at its end. Two files joined (``cat a.parquet
b.parquet``) read as the second footer says, and its column chunks' offsets point into the
first file's bytes: the rows of one file are read under the other's name, and the rest is never
read. The column chunks a footer lists start right after the leading ``PAR1`` and follow one
another; after the last one a writer may put page indexes and bloom filters, never another
file, so a ``PAR1`` magic between the last chunk and the footer means files were joined.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from accord.errors import DataReadError
from accord.run.io.remote_file import arrow_input

_MAGIC = b"PAR1"
_SCAN = 1 << 20


def _chunk_ranges(metadata: pq.FileMetaData) -> list[tuple[int, int]]:
    ranges = []
    for group in range(metadata.num_row_groups):
        row_group = metadata.row_group(group)
        for index in range(row_group.num_columns):
            chunk = row_group.column(index)
            starts = [chunk.data_page_offset]
            if chunk.has_dictionary_page and chunk.dictionary_page_offset:
                starts.append(chunk.dictionary_page_offset)
            start = min(starts)
            ranges.append((start, start + chunk.total_compressed_size))
    return sorted(ranges)


def _holds_magic(path: Path, start: int, end: int) -> bool:
    """Whether bytes ``start .. end`` of ``path`` hold the Parquet magic, read a MB at a time."""
    with arrow_input(path) as handle:
        carry = b""
        while start < end:
            piece = handle.read_at(min(_SCAN, end - start), start)
            if not piece:
                return False
            if _MAGIC in carry + piece:
                return True
            carry, start = piece[-(len(_MAGIC) - 1) :], start + len(piece)
    return False


def check_parquet_layout(path: Path, metadata: pq.FileMetaData) -> None:
    """DataReadError when the footer ``metadata`` of ``path`` leaves out part of the file that
    holds another file's magic: several Parquet files joined into one."""
    ranges = _chunk_ranges(metadata)
    if not ranges:
        return
    footer_start = path.stat().st_size - 8 - metadata.serialized_size
    last_end = max(end for _, end in ranges)
    if last_end < footer_start and _holds_magic(path, last_end, footer_start):
        raise DataReadError(
            f"bytes {last_end} to {footer_start} hold another Parquet file's marker, and no "
            "column chunk of the footer covers them (several Parquet files joined into one?); "
            "they would never be read: keep one file per part",
            path=str(path),
        )
