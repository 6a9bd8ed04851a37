"""Key checks of a whole frame narrowed by hash first, then judged by their own expression.

``is_duplicated`` over a text key (or a struct of several key columns) is the dearest part of
the fused select: at a million rows it costs more than every value check together. Rows whose
key hash is unique cannot be duplicates, and hashing a key and finding repeated hashes costs a
third of it. So the fused select asks only for the rows whose hash repeats (a handful in real
data), and the key check's own expression judges those rows alone: two rows with equal keys
have equal hashes, so every duplicate of a candidate is a candidate too, and the verdict on the
candidates is the verdict on the whole frame, whatever the hash collides. The batched run does
the same over every batch (``run.dataset_wide``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from accord.compile.expr_polars import column
from accord.compile.plan import KEY_KINDS, CheckSpec
from accord.compile.polars_checks import is_missing

_HASHED_ALIKE = (
    pl.String,
    pl.Categorical,
    pl.Enum,
    pl.Boolean,
    pl.Date,
    pl.Datetime,
    pl.Duration,
    pl.Time,
)
"""Types whose equal values always hash alike (besides integers and floats)."""


def _hashed_alike(dtype: pl.DataType) -> bool:
    return dtype.is_integer() or dtype.is_float() or isinstance(dtype, _HASHED_ALIKE)


def candidates(spec: CheckSpec, schema: pl.Schema, floats: frozenset[str]) -> pl.Expr | None:
    """The rows of a key check that may fail, as one list of positions: those not exempt (a
    null or NaN in the key) whose key hash repeats. None when the check is not a key check,
    when the exact expression costs no more (one numeric column), or when some key type does
    not hash its equal values alike (nested values, decimals, objects)."""
    if spec.kind not in KEY_KINDS:
        return None
    names = spec.columns or (spec.field or "",)
    if any(name not in schema for name in names):
        return None
    dtypes = [schema[name] for name in names]
    if not all(_hashed_alike(dtype) for dtype in dtypes):
        return None
    if len(names) == 1 and dtypes[0] != pl.String:
        return None  # one number (or category code) hashes no faster than it is compared
    keys, missing = [], []
    for name, dtype in zip(names, dtypes, strict=True):
        key = column(name)
        if spec.kind == "unique":
            missing.append(is_missing(key, spec))
        else:  # as dataset_check_expr: NaN is a null in any float column
            missing.append(key.is_null() | key.is_nan() if name in floats else key.is_null())
        if dtype.is_float():
            key = key + 0.0  # -0.0 and 0.0 are one key, and must be one hash
        keys.append(key)
    hashed = (keys[0] if len(keys) == 1 else pl.struct(keys)).hash(seed=0)
    return (hashed.is_duplicated() & ~pl.any_horizontal(missing)).arg_true().implode()


def judged(
    frame: pl.DataFrame, names: Sequence[str], rows: np.ndarray, failing: pl.Expr
) -> np.ndarray:
    """Of the candidate ``rows`` of ``frame``, those the key check's ``failing`` expression
    fails, judged over the candidates' key columns ``names`` alone."""
    if not rows.size:
        return rows
    keys = frame.select([column(name) for name in dict.fromkeys(names)])[rows]
    found: np.ndarray = keys.select(failing.arg_true()).to_series().to_numpy()
    return np.asarray(rows[found], dtype=np.int64)
