"""Repeated keys on pandas counted without ``duplicated`` where that pays: the same rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from accord.compile import pandas_keys
from accord.compile.pandas_keys import repeated

DTYPES = ["int64", "Int64", "int16", pd.ArrowDtype(pa.int64()), pd.ArrowDtype(pa.int32())]


def expected(keys: pd.DataFrame, missing: np.ndarray) -> np.ndarray:
    result = np.zeros(len(keys), dtype=bool)
    result[~missing] = keys[~missing].duplicated(keep=False).to_numpy(dtype=bool)
    return result


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("spread", [40, 10**12])  # counted, and too wide a range to count
def test_integer_keys_repeat_as_duplicated_says(dtype: object, spread: int) -> None:
    rng = np.random.default_rng(7)
    top = min(spread, 30_000)  # int16 holds the narrow case only
    values = rng.integers(-top, top, 500) if spread < 10**6 else rng.integers(0, 2**40, 500)
    if spread > 10**6 and ("16" in str(dtype) or "32" in str(dtype)):
        pytest.skip("a narrow integer cannot hold a wide range")
    series = pd.Series(values, dtype=dtype)
    nullable = str(dtype) not in ("int64", "int16")
    if nullable:
        series[::9] = None
    missing = series.isna().to_numpy(dtype=bool)
    if spread > 10**6:
        series[[3, 8]] = series[1]  # a repeat among the wide values
    frame = series.to_frame("k")
    assert (repeated(frame, missing) == expected(frame, missing)).all()


def test_dense_keys_are_counted_and_others_go_to_duplicated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dense = pd.Series([5, 6, 7, 5, 9], dtype="int64")
    assert pandas_keys._counted(dense, np.zeros(5, dtype=bool)) is not None
    sparse = pd.Series([1, 10**15, 7, 1], dtype="int64")
    assert pandas_keys._counted(sparse, np.zeros(4, dtype=bool)) is None
    text = pd.Series(["a", "b", "a"])
    assert pandas_keys._counted(text, np.zeros(3, dtype=bool)) is None
    assert repeated(text.to_frame(), np.array([False, False, True])).tolist() == [
        False,
        False,
        False,
    ]


def test_several_columns_and_nulls_take_no_part() -> None:
    keys = pd.DataFrame({"a": [1, 1, 1, 2, None], "b": ["x", "x", "y", "x", "x"]})
    missing = keys.isna().any(axis=1).to_numpy()
    assert repeated(keys, missing).tolist() == [True, True, False, False, False]
