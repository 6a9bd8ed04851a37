"""Which rows of a pandas key repeat, without pandas' ``duplicated`` where it is slow.

``duplicated`` factorizes through a hash table that outgrows the CPU caches: at 10M distinct
keys its time per row is about twice its time per row at 1M. Integer keys whose values lie in
a range not much wider than the rows (row ids, surrogate keys: the common primary key) are
counted instead with one ``bincount`` over the offsets from the smallest value, linear in the
rows. Text held in Arrow (the pyarrow-backed ``str`` and ``string`` dtypes) is hashed from its
buffers with numpy, the hashes sorted (cache-friendly, where a hash table of 10M keys is not)
and only rows whose hash repeats go to ``duplicated``: equal texts hash alike, so every
duplicate of such a row is one of them too. Every other key keeps ``duplicated``; all give the
same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

_SPAN_PER_ROW = 2
"""Counting needs a slot per value of the range: up to this many per row (16 bytes a row)."""


def repeated(keys: pd.DataFrame, missing: np.ndarray) -> np.ndarray:
    """True where a row's key is held by another row too; rows ``missing`` a key part take no
    part (they neither repeat nor make another row repeat)."""
    if len(keys.columns) == 1:
        found = _counted(keys.iloc[:, 0], missing)
        if found is None:
            found = _hashed(keys.iloc[:, 0], missing)
        if found is not None:
            return found
    result = np.zeros(len(keys), dtype=bool)
    present = ~missing
    result[present] = keys[present].duplicated(keep=False).to_numpy(dtype=bool)
    return result


def _counted(series: pd.Series, missing: np.ndarray) -> np.ndarray | None:
    """``repeated`` of an integer column by counting, or None when counting does not pay."""
    dtype = series.dtype
    if not pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_unsigned_integer_dtype(dtype):
        return None  # uint64 may not fit the int64 offsets; other unsigned keys are rare
    values = series.to_numpy(dtype=np.int64, na_value=0)
    present = None if not missing.any() else ~missing
    if present is not None:  # a copy only when some rows take no part
        values = values[present]
    if values.size < 2:
        return np.zeros(len(series), dtype=bool)
    low, high = int(values.min()), int(values.max())
    if high - low > _SPAN_PER_ROW * values.size:
        return None
    offsets = values - low
    counted: np.ndarray = np.bincount(offsets, minlength=high - low + 1)[offsets] > 1
    if present is None:
        return counted
    result = np.zeros(len(series), dtype=bool)
    result[present] = counted
    return result


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
"""The mask keeping the first ``n`` bytes of a little-endian word."""
_FILTER_BITS = 20
"""A table of 2**20 flags (1 MB, held in cache) marks the repeated hashes by their top bits."""


def _hashed(series: pd.Series, missing: np.ndarray) -> np.ndarray | None:
    """``repeated`` of a text column held in Arrow, narrowed by hash; None for other columns."""
    chunks = _text_chunks(series)
    if chunks is None:
        return None
    result = np.zeros(len(series), dtype=bool)
    if len(series) < 2:
        return result
    hashes = np.concatenate([_text_hashes(chunk) for chunk in chunks])
    present = ~missing
    ordered = np.sort(hashes[present])
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not twice.size:
        return result
    # membership in ``twice`` by a flag table indexed by the top bits, then exactly on the few
    # rows it lets through: a binary search of every row cost as much as the sort
    shift = np.uint64(64 - _FILTER_BITS)
    flags = np.zeros(1 << _FILTER_BITS, dtype=bool)
    flags[twice >> shift] = True
    maybe = np.flatnonzero(flags[hashes >> shift] & present)
    rows = maybe[np.isin(hashes[maybe], twice)]
    result[rows] = series.iloc[rows].duplicated(keep=False).to_numpy(dtype=bool)
    return result


def _text_chunks(series: pd.Series) -> list[pa.Array] | None:
    """The Arrow chunks of a text column, or None when it is not text held in Arrow."""
    held = getattr(series.array, "_pa_array", None)
    if not isinstance(held, pa.ChunkedArray):
        return None
    if not (pa.types.is_string(held.type) or pa.types.is_large_string(held.type)):
        return None
    return list(held.chunks)


def _text_hashes(chunk: pa.Array) -> np.ndarray:
    """A uint64 per value of a string or large_string array, equal for equal texts: from its
    length, its first 16 bytes and its last 8 (texts that differ only in between collide, and
    are told apart by ``duplicated``)."""
    wide = pa.types.is_large_string(chunk.type)
    _, offsets, data_buffer = chunk.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)
    ends = ends[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)
    starts, lengths = ends[:-1], np.diff(ends)
    size = 0 if data_buffer is None else data_buffer.size
    padded = np.zeros(size + 16, dtype=np.uint8)  # every eight-byte read stays inside
    if data_buffer is not None:
        padded[:size] = np.frombuffer(data_buffer, dtype=np.uint8)
    # eight bytes from any byte on: unaligned reads, which numpy allows
    words = np.ndarray(shape=(size + 9,), dtype="<u8", buffer=padded, strides=(1,))
    hashes = lengths.astype(np.uint64) * _MULTIPLIER
    tail = np.maximum(lengths - 8, 0)
    for skip in (0, 8, tail):
        at = starts + skip
        kept = _LOW_BYTES[np.clip(lengths - skip, 0, 8)]  # the next text's bytes never count
        hashes = (hashes ^ (words[at] & kept)) * _MULTIPLIER
    hashes ^= hashes >> np.uint64(29)
    return hashes * _MULTIPLIER
