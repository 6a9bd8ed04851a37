"""Whether a run reads the data whole or in batches, when the user leaves it to accord.

Batch-wise validation is exact (the runner judges keys and aggregates over the whole data) and,
for data of any size, about as fast as a whole read while holding a fraction of the memory: keys
are hashed, 8 bytes a row, instead of held (benchmarks/RESULTS.md). So data beyond a few hundred
megabytes is validated in batches, and so is any data that would not fit in the memory available
(a whole-frame run holds the data, its converted columns and the checks' working state: about
three times the data). Small data is read whole: one pass, no per-batch overhead.

A run that only judges checks (``accord validate`` without ``--reference``) reads Parquet in
batches from a lower size, ``PROJECT_ABOVE_BYTES``: the batched reader decodes only the columns
a check reads and judges keys by hash, which at a million rows of the benchmark table cost less
CPU and memory than the whole read (benchmarks/README.md). Commands that need whole columns
(``accord profile``, drift against ``--reference``) keep ``BATCH_ABOVE_BYTES``: in batches
their quantiles come from a sketch, exact only for small data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

AUTO_BATCH_ROWS = 500_000
"""Rows per batch when the choice is automatic: per-batch overhead vanishes at this size (10M
benchmark rows took the same time in batches of 250,000 to 2,000,000), and a batch of a wide
table stays well under a gigabyte."""
BATCH_ABOVE_BYTES = 256 * 2**20
"""Data estimated larger than this in memory is validated in batches."""
PROJECT_ABOVE_BYTES = 16 * 2**20
"""Parquet estimated larger than this in memory is validated in batches when the run needs no
whole column (about 170,000 rows of the 12-column benchmark table)."""
PROJECTED_KINDS = frozenset({"parquet"})
"""Formats whose batched reader decodes only the columns asked for."""
WORKING_SET = 3
"""Memory a whole-frame run needs, as a multiple of the data's in-memory size."""


def in_memory_bytes(files: Sequence[Path], kind: str) -> int:
    """An estimate of the data's size once read: from Parquet's footer, or the size on disk for
    text and Arrow files (``kind`` is the data format)."""
    return sum(_parquet_bytes(p) if kind == "parquet" else p.stat().st_size for p in files)


def _parquet_bytes(path: Path) -> int:
    import pyarrow.parquet as pq  # noqa: PLC0415 - only Parquet needs it

    from accord.run.io.remote_file import arrow_input  # noqa: PLC0415

    try:
        with arrow_input(path) as handle:
            metadata = pq.read_metadata(handle)
    except (OSError, ValueError):  # the reader will say what is wrong with the file
        return path.stat().st_size
    groups = range(metadata.num_row_groups)
    encoded: int = sum(metadata.row_group(i).total_byte_size for i in groups)
    # Encoded sizes undercount dictionary-encoded columns, which memory holds value by value:
    # count at least 8 bytes a cell (a number, or a string view's share of its header).
    cells: int = metadata.num_rows * metadata.num_columns
    return max(encoded, cells * 8)


def available_bytes() -> int | None:
    """Memory the system can give without swapping (MemAvailable), when it says."""
    try:
        with Path("/proc/meminfo").open() as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def auto_batch_rows(
    data_bytes: int,
    available: int | None,
    *,
    kind: str | None = None,
    whole_columns: bool = True,
) -> int | None:
    """Rows per batch for data of ``data_bytes`` in memory, or None to read it whole.

    ``kind`` is the data format; ``whole_columns`` is False for a run that only judges checks
    (no statistics of whole columns), which then reads Parquet in batches from
    ``PROJECT_ABOVE_BYTES`` on."""
    too_big = available is not None and data_bytes * WORKING_SET > available
    above = BATCH_ABOVE_BYTES
    if not whole_columns and kind in PROJECTED_KINDS:
        above = PROJECT_ABOVE_BYTES
    return AUTO_BATCH_ROWS if too_big or data_bytes > above else None
