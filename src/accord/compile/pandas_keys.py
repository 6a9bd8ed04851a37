"""Which rows of a pandas key repeat, without pandas' ``duplicated`` where it is slow.

``duplicated`` factorizes through a hash table that outgrows the CPU caches: at 10M distinct
keys its time per row is about twice its time per row at 1M. Integer keys whose values lie in
a range not much wider than the rows (row ids, surrogate keys: the common primary key) are
counted instead with one ``bincount`` over the offsets from the smallest value, linear in the
rows. Every other key keeps ``duplicated``; both give the same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_SPAN_PER_ROW = 2
"""Counting needs a slot per value of the range: up to this many per row (16 bytes a row)."""


def repeated(keys: pd.DataFrame, missing: np.ndarray) -> np.ndarray:
    """True where a row's key is held by another row too; rows ``missing`` a key part take no
    part (they neither repeat nor make another row repeat)."""
    if len(keys.columns) == 1:
        found = _counted(keys.iloc[:, 0], missing)
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
