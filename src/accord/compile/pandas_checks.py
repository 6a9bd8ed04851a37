"""Every accord check as a vectorised pandas function, True where the value passes.

They work on every way pandas stores a column: numpy, the nullable extension dtypes,
pyarrow-backed dtypes and object columns. Nulls pass value checks (``nullable`` alone counts
them), NaN counts as null in float columns, and patterns run on Rust's regex through polars, so
they match in linear time and mean exactly what they mean on polars. The runner calls these
functions directly; the pandera schema of ``pandas_engine`` wraps the very same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pyarrow_lib
import pyarrow.compute as pc

from accord.compile.expr_pandas import evaluate_pandas
from accord.compile.pandas_keys import repeated
from accord.compile.plan import CheckSpec
from accord.compile.values import is_null
from accord.contract.checks import COMPARISON_KINDS
from accord.contract.regex_syntax import to_rust
from accord.contract.registry import registered_check

SeriesCheck = Callable[[pd.Series, CheckSpec], Any]


def is_missing(series: pd.Series, spec: CheckSpec) -> np.ndarray:
    """Null, or NaN in a float column: every null kind counts the same."""
    missing = series.isna().to_numpy(dtype=bool)
    if spec.float_column:
        # pyarrow-backed floats keep NaN apart from NA; NaN is the one value unequal to itself
        unequal = series != series  # noqa: PLR0124
        missing = missing | unequal.to_numpy(dtype=bool, na_value=False)
    return missing


def as_bool(result: Any, length: int) -> np.ndarray:
    """A check's outcome as numpy booleans; unknown (null) counts as passing, because nulls
    are the business of ``nullable`` alone."""
    if isinstance(result, pyarrow_lib.ChunkedArray | pyarrow_lib.Array):
        return np.asarray(pc.fill_null(result, fill_value=True), dtype=bool)
    if isinstance(result, pd.Series | pd.Index):
        return result.to_numpy(dtype=bool, na_value=True)
    if np.ndim(result) == 0:
        return np.full(length, bool(result))
    return np.asarray(result, dtype=bool)


_ARROW_OPS = {
    "equal_to": pc.equal,
    "not_equal_to": pc.not_equal,
    "greater_than": pc.greater,
    "greater_than_or_equal_to": pc.greater_equal,
    "less_than": pc.less,
    "less_than_or_equal_to": pc.less_equal,
}


def _temporal_in_arrow(series: pd.Series, op: str, value: Any) -> Any:
    """An arrow-backed date, timestamp or duration column compared in arrow, or None.

    Arrow compares the stored counts, as polars does; pandas refuses a value beyond its own
    64-bit nanoseconds ("Invalid comparison") and, in a zone other than UTC, one beyond
    Python's datetime ("Localizing Timestamps ... outside the range"). The bound is cast to the
    column's type; a bound that does not cast exactly is left to pandas."""
    dtype = series.dtype
    if not isinstance(dtype, pd.ArrowDtype):
        return None
    arrow = dtype.pyarrow_dtype
    types = pyarrow_lib.types
    if not (types.is_date32(arrow) or types.is_timestamp(arrow) or types.is_duration(arrow)):
        return None
    try:
        bound = pyarrow_lib.scalar(value).cast(arrow)
    except (pyarrow_lib.ArrowException, TypeError, ValueError):
        return None
    return _ARROW_OPS[op](pyarrow_lib.array(series), bound)


def _ordered(series: pd.Series, op: str, value: Any) -> Any:
    in_arrow = _temporal_in_arrow(series, op, value)
    if in_arrow is not None:
        return in_arrow
    return {
        "equal_to": lambda: series == value,
        "not_equal_to": lambda: series != value,
        "greater_than": lambda: series > value,
        "greater_than_or_equal_to": lambda: series >= value,
        "less_than": lambda: series < value,
        "less_than_or_equal_to": lambda: series <= value,
    }[op]()


def _compare(op: str) -> SeriesCheck:
    def check(series: pd.Series, spec: CheckSpec) -> Any:
        return _ordered(series, op, spec.values["value"])

    return check


def _between(series: pd.Series, spec: CheckSpec) -> Any:
    low, high, inclusive = spec.values["min"], spec.values["max"], spec.values["inclusive"]
    result = np.ones(len(series), dtype=bool)
    if low is not None:
        op = "greater_than_or_equal_to" if inclusive in ("both", "left") else "greater_than"
        result &= as_bool(_ordered(series, op, low), len(series))
    if high is not None:
        op = "less_than_or_equal_to" if inclusive in ("both", "right") else "less_than"
        result &= as_bool(_ordered(series, op, high), len(series))
    return result


def _text(series: pd.Series) -> pyarrow_lib.Array | pyarrow_lib.ChunkedArray:
    """The column as arrow text, without a copy when pandas already keeps it in arrow."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype | pd.StringDtype) and getattr(
        dtype, "storage", "pyarrow"
    ) in ("pyarrow", "pyarrow_numpy"):
        text = pyarrow_lib.chunked_array(pyarrow_lib.array(series.array))
        if pyarrow_lib.types.is_string(text.type) or pyarrow_lib.types.is_large_string(text.type):
            return text
    if isinstance(dtype, pd.CategoricalDtype):
        return _text(series.astype(object))
    return pyarrow_lib.array(
        series.astype(object).where(series.notna(), None),
        type=pyarrow_lib.large_string(),
        from_pandas=True,
    )


def _pattern(series: pd.Series, spec: CheckSpec) -> Any:
    # Rust's regex through polars, not RE2: RE2's \w, \d, \s and \b are ASCII, and one regex
    # engine for both engines is the only way they cannot disagree (docs/semantics.md). Loaded
    # here, so a pandas validation without patterns leaves polars unloaded.
    import polars as pl  # noqa: PLC0415

    text = pl.from_arrow(_text(series))
    if not isinstance(text, pl.Series):  # pragma: no cover - an arrow array is a Series
        raise TypeError(type(text))
    return text.str.contains(to_rust(spec.values["value"]).text).to_arrow()


def _length(series: pd.Series, spec: CheckSpec) -> Any:
    length = pc.utf8_length(_text(series))
    result = np.ones(len(series), dtype=bool)
    if spec.values["min"] is not None:
        result &= as_bool(pc.greater_equal(length, spec.values["min"]), len(series))
    if spec.values["max"] is not None:
        result &= as_bool(pc.less_equal(length, spec.values["max"]), len(series))
    return result


def _in(series: pd.Series, spec: CheckSpec) -> Any:
    values = spec.values["values"]
    if all(isinstance(v, str) for v in values):
        return pc.is_in(_text(series), value_set=pyarrow_lib.array(values))
    floats = any(isinstance(v, float) for v in values)
    if pd.api.types.is_float_dtype(series.dtype) or (
        floats and pd.api.types.is_numeric_dtype(series.dtype)
    ):
        # as float64 values, as polars compares them: arrow's hashing keeps -0.0 apart from 0.0
        # and refuses to cast integers beyond 2**53 to a float list
        numbers = series.to_numpy(dtype="float64", na_value=np.nan)
        return np.isin(numbers, np.asarray(values, dtype="float64"))
    held = _held_by_decimal(series.dtype, values)
    if held is not None:
        # arrow refuses to rescale a value the column cannot hold ("would cause data loss");
        # such a value equals no value of the column, as on polars
        return series.isin(held) if held else np.zeros(len(series), dtype=bool)
    return series.isin(values)


def _held_by_decimal(dtype: Any, values: list[Any]) -> list[Any] | None:
    """The ``values`` an arrow decimal column can hold exactly; None for any other column."""
    if not isinstance(dtype, pd.ArrowDtype) or not pyarrow_lib.types.is_decimal(
        dtype.pyarrow_dtype
    ):
        return None
    precision, scale = dtype.pyarrow_dtype.precision, dtype.pyarrow_dtype.scale
    held = []
    for value in values:
        try:
            exact = Decimal(str(value))
        except ArithmeticError:
            continue
        if not exact.is_finite():
            continue
        scaled = exact.scaleb(scale)
        if scaled == scaled.to_integral_value() and abs(exact) < Decimal(10) ** (precision - scale):
            held.append(value)
    return held


def _text_fn(name: str) -> SeriesCheck:
    def check(series: pd.Series, spec: CheckSpec) -> Any:
        value = spec.values["value"]
        text = _text(series)
        if name == "contains":
            return pc.match_substring(text, pattern=value)
        if name == "starts_with":
            return pc.starts_with(text, pattern=value)
        return pc.ends_with(text, pattern=value)

    return check


VALUE_CHECKS: dict[str, SeriesCheck] = {
    **{op: _compare(op) for op in COMPARISON_KINDS},
    "between": _between,
    "in": _in,
    "not_in": lambda series, spec: ~as_bool(_in(series, spec), len(series)),
    "pattern": _pattern,
    "length": _length,
    "starts_with": _text_fn("starts_with"),
    "ends_with": _text_fn("ends_with"),
    "contains": _text_fn("contains"),
}


def _present(series: pd.Series, spec: CheckSpec) -> pd.Series:
    return series[~is_missing(series, spec)]


def _distinct(present: pd.Series) -> int:
    if pd.api.types.is_float_dtype(present.dtype):
        # + 0.0 turns -0.0 into 0.0: one value, as polars and numpy count it
        return int(pd.Series(present.to_numpy(dtype="float64") + 0.0).nunique())
    return int(present.nunique())


def _bounded(value: Any, spec: CheckSpec) -> bool:
    if value is None or pd.isna(value):
        return False  # zero non-null values: not evaluable, so it fails
    low, high = spec.values["min"], spec.values["max"]
    return (low is None or value >= low) and (high is None or value <= high)


def aggregate_value(series: pd.Series, spec: CheckSpec) -> Any:
    """The statistic an aggregate check judges (for reports as well as the check)."""
    if spec.kind == "max_null_fraction":
        return float(is_missing(series, spec).mean()) if len(series) else 0.0
    present = _present(series, spec)
    if spec.kind == "distinct_count_between":
        return _distinct(present)
    if spec.kind == "unique_fraction_between":
        return _distinct(present) / len(present) if len(present) else None
    if spec.kind in ("min_between", "max_between"):
        if not len(present):
            return None
        return present.min() if spec.kind == "min_between" else present.max()
    numbers = present.astype("float64")
    if spec.kind == "mean_between":
        return numbers.mean() if len(numbers) else None
    if spec.kind == "median_between":
        return numbers.median() if len(numbers) else None
    if spec.kind == "stddev_between":
        return numbers.std(ddof=1) if len(numbers) > 1 else None
    raise ValueError(spec.kind)  # pragma: no cover


AGGREGATE_KINDS = frozenset(
    {
        "max_null_fraction",
        "distinct_count_between",
        "mean_between",
        "median_between",
        "stddev_between",
        "min_between",
        "max_between",
        "unique_fraction_between",
    }
)


def field_check(series: pd.Series, spec: CheckSpec, references: Mapping[str, Any]) -> Any:
    """True where the value passes (one bool for aggregates)."""
    missing = is_missing(series, spec)
    if spec.kind == "nullable":
        return ~missing
    if spec.kind == "unique":
        absent = np.asarray(missing, dtype=bool)
        return ~repeated(series.to_frame(), absent) | absent
    if spec.kind in AGGREGATE_KINDS:
        value = aggregate_value(series, spec)
        if spec.kind == "max_null_fraction":
            return bool(value <= spec.values["value"])
        return _bounded(value, spec)
    if spec.kind == "in_reference":
        passed = series.isin(references[spec.check_id])
    elif spec.kind == "custom":
        passed = _custom(series, spec)
    else:
        passed = VALUE_CHECKS[spec.kind](series, spec)
    return missing | as_bool(passed, len(series))


def _custom(series: pd.Series, spec: CheckSpec) -> Any:
    registered = registered_check(spec.values["check"])
    if registered is None:  # pragma: no cover - the loader refuses unregistered names
        raise LookupError(spec.values["check"])
    params = spec.values["params"]
    if registered.element_wise:
        # nulls are the business of ``nullable``: the function never sees them
        return series.map(
            lambda value: True if is_null(value) else bool(registered.function(value, **params))
        )
    return registered.function(series, **params)


def _key_missing(frame: pd.DataFrame) -> pd.Series:
    """Rows with a null of any kind (NaN in a float key too) in one of the key columns."""
    missing = frame.isna()
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column.dtype):
            missing[name] = missing[name] | (column != column).fillna(value=False).astype(bool)  # noqa: PLR0124
    return missing.any(axis=1)


def _comparable_keys(keys: pd.DataFrame) -> pd.DataFrame:
    """``keys`` with -0.0 made 0.0: the two are equal, as on polars and Spark, but a frame's
    ``duplicated`` hashes the bits of an arrow float column and told them apart."""
    floats = [n for n in keys.columns if pd.api.types.is_float_dtype(keys[n].dtype)]
    if not floats:
        return keys
    return keys.assign(**{name: keys[name] + 0.0 for name in floats})


def dataset_check(frame: pd.DataFrame, spec: CheckSpec) -> Any:
    """True where the row passes, or one bool for whole-dataset checks."""
    if spec.kind in ("primary_key", "unique_together"):
        keys = _comparable_keys(frame[list(spec.columns)])
        any_null = _key_missing(keys).to_numpy(dtype=bool)
        # rows with a null take no part, as in SQL; for a primary key they are field.null
        # violations, not duplicates, and pass here either way
        return pd.Series(~repeated(keys, any_null) | any_null, index=frame.index)
    if spec.kind == "row_count":
        rows = len(frame)
        return ("min" not in spec.values or rows >= spec.values["min"]) and (
            "max" not in spec.values or rows <= spec.values["max"]
        )
    if spec.kind == "freshness":
        return freshness_passes(frame[spec.columns[0]], spec)
    if spec.kind == "rule":
        return evaluate_pandas(spec.values["expression"], frame).fillna(value=False).astype(bool)
    raise ValueError(f"unknown dataset check {spec.kind}")  # pragma: no cover


def freshness_passes(series: pd.Series, spec: CheckSpec) -> bool:
    present = series.dropna()
    if present.empty:
        return False
    newest = present.max()
    as_of = spec.values["as_of"]
    if spec.values["field_type"] == "date":
        return bool(as_of.date() - pd.Timestamp(newest).date() <= spec.values["max_age"])
    moment = pd.Timestamp(as_of if spec.values["tz"] else as_of.replace(tzinfo=None))
    return bool(moment - pd.Timestamp(newest) <= spec.values["max_age"])
