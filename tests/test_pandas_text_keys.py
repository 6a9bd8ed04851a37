"""Repeated text keys on pandas narrowed by hash (``pandas_keys._hashed``): the rows
``duplicated`` gives, for texts of every length, shared prefixes and suffixes, nulls, sliced and
chunked Arrow arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from accord.compile import pandas_keys
from accord.compile.pandas_keys import repeated

STEMS = ["", "a", "é", "abcdefgh", "x" * 16, "x" * 30]
texts = st.one_of(
    st.none(),
    st.builds(
        lambda a, b, c: a + b + c,
        st.sampled_from(STEMS),
        st.text(max_size=3),
        st.sampled_from(STEMS),
    ),
)
DTYPES = ["str", "string[pyarrow]", pd.ArrowDtype(pa.string()), pd.ArrowDtype(pa.large_string())]


def expected(series: pd.Series, missing: np.ndarray) -> np.ndarray:
    result = np.zeros(len(series), dtype=bool)
    result[~missing] = series[~missing].duplicated(keep=False).to_numpy(dtype=bool)
    return result


@given(st.lists(texts, max_size=40), st.sampled_from(DTYPES), st.integers(0, 3))
def test_text_keys_repeat_as_duplicated_says(
    values: list[str | None], dtype: object, cut: int
) -> None:
    series = pd.Series(values, dtype=dtype).iloc[cut:].reset_index(drop=True)  # offset chunks
    missing = series.isna().to_numpy(dtype=bool)
    assert pandas_keys._hashed(series, missing) is not None
    assert (repeated(series.to_frame(), missing) == expected(series, missing)).all()


def test_texts_equal_but_for_their_middle_are_told_apart() -> None:
    # the hash reads the first 16 and the last 8 bytes: these collide, duplicated decides
    values = ["p" * 16 + middle + "s" * 8 for middle in ("a", "b", "a", "cc")]
    series = pd.Series(values, dtype="string[pyarrow]")
    missing = np.zeros(4, dtype=bool)
    assert repeated(series.to_frame(), missing).tolist() == [True, False, True, False]


def test_several_arrow_chunks_hash_as_one_column() -> None:
    chunks = pa.chunked_array([["k1", "k2"], ["k3", "k1"], [None, "k4", None]])
    series = pd.Series(pd.arrays.ArrowExtensionArray(chunks))
    missing = series.isna().to_numpy(dtype=bool)
    assert repeated(series.to_frame(), missing).tolist() == [
        True,
        False,
        False,
        True,
        False,
        False,
        False,
    ]


def test_text_not_held_in_arrow_keeps_duplicated() -> None:
    series = pd.Series(["a", "b", "a"], dtype=object)
    assert pandas_keys._hashed(series, np.zeros(3, dtype=bool)) is None
    assert repeated(series.to_frame(), np.zeros(3, dtype=bool)).tolist() == [True, False, True]


def test_distinct_texts_rarely_share_a_hash() -> None:
    values = [f"ev-{i:012d}" for i in range(200_000)]
    series = pd.Series(values, dtype="string[pyarrow]")
    chunks = pandas_keys._text_chunks(series)
    assert chunks is not None
    hashes = np.concatenate([pandas_keys._text_hashes(chunk) for chunk in chunks])
    assert np.unique(hashes).size == len(values)
