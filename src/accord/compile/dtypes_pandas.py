"""The pandas dtype table, and how an actual column dtype relates to a declared logical type.

Declared integers compile to the nullable extension dtypes (``Int64``), so a null never turns an
integer column into floats. When judging data, every way pandas stores a type counts: numpy,
nullable extension, pyarrow-backed, and object columns (checked value by value).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pyarrow_lib

from accord.contract.fit import Fit, decimal_width_fit, members_fit, same_zone
from accord.contract.model import Field_
from accord.contract.types import INTEGER_RANGES, INTEGER_TYPES

_FIXED: dict[str, Any] = {
    "string": "string",
    "category": "category",
    "bool": "boolean",
    "int8": "Int8",
    "int16": "Int16",
    "int32": "Int32",
    "int64": "Int64",
    "uint8": "UInt8",
    "uint16": "UInt16",
    "uint32": "UInt32",
    "uint64": "UInt64",
    "integer": "Int64",
    "float32": "Float32",
    "float64": "Float64",
    "number": "Float64",
    "time": pd.ArrowDtype(pyarrow_lib.time64("us")),
    "date": pd.ArrowDtype(pyarrow_lib.date32()),
    "duration": "timedelta64[ns]",
    "binary": pd.ArrowDtype(pyarrow_lib.binary()),
}


def pandas_dtype(spec: Field_) -> Any:
    """The pandas dtype a field compiles to."""
    if spec.type in _FIXED:
        return _FIXED[spec.type]
    if spec.type == "timestamp":
        return pd.DatetimeTZDtype("ns", spec.tz) if spec.tz else "datetime64[ns]"
    if spec.type == "decimal":
        return pd.ArrowDtype(pyarrow_lib.decimal128(spec.precision or 38, spec.scale or 0))
    return None  # list and struct: checked by the schema pass, not by a pandas dtype


def arrow_type_of(dtype: Any) -> pyarrow_lib.DataType | None:
    """The arrow type behind a pandas dtype, when it has an exact one."""
    if isinstance(dtype, pd.ArrowDtype):
        return dtype.pyarrow_dtype
    if isinstance(dtype, pd.StringDtype):
        return pyarrow_lib.large_string()
    if isinstance(dtype, pd.CategoricalDtype):
        return pyarrow_lib.dictionary(pyarrow_lib.int32(), pyarrow_lib.large_string())
    try:
        return pyarrow_lib.from_numpy_dtype(
            dtype.numpy_dtype if hasattr(dtype, "numpy_dtype") else dtype
        )
    except (TypeError, NotImplementedError, pyarrow_lib.ArrowNotImplementedError):
        return None


def fit_pandas(spec: Field_, series: pd.Series) -> Fit:
    """How a pandas column relates to the declared field type."""
    dtype = series.dtype
    if dtype == np.dtype(object):
        return "convert"  # mixed python objects: judged value by value
    if isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        is_text = pd.api.types.is_string_dtype(categories) or categories.dtype == object
        if spec.type in ("string", "category"):
            return "ok" if is_text else "mismatch"
        return "mismatch"
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        if spec.type == "date" and not isinstance(dtype, pd.DatetimeTZDtype):
            return "convert"  # a date each, if every value is a midnight
        if spec.type != "timestamp":
            return "mismatch"
        zone = str(dtype.tz) if isinstance(dtype, pd.DatetimeTZDtype) else None
        return "ok" if same_zone(spec.tz, zone) else "mismatch"
    arrow = arrow_type_of(dtype)
    if arrow is None:
        return "mismatch"
    return fit_arrow(spec, arrow)


def fit_arrow(spec: Field_, arrow: pyarrow_lib.DataType) -> Fit:
    types = pyarrow_lib.types
    logical = spec.type
    if types.is_dictionary(arrow):
        arrow = arrow.value_type
    if types.is_null(arrow):
        return "convert"  # a column of nulls only (a JSON key null on every line): any type
    if logical in ("string", "category"):
        return (
            "ok"
            if types.is_string(arrow) or types.is_large_string(arrow) or types.is_string_view(arrow)
            else "mismatch"
        )
    if logical in INTEGER_TYPES:
        if types.is_integer(arrow):
            low, high = INTEGER_RANGES[_arrow_int_name(arrow)]
            want_low, want_high = INTEGER_RANGES[logical]
            return "ok" if want_low <= low and high <= want_high else "convert"
        return "convert" if types.is_floating(arrow) else "mismatch"
    if logical in ("float32", "float64", "number"):
        if types.is_floating(arrow) or types.is_integer(arrow):
            return "ok"
        return "mismatch"
    if logical == "decimal":
        if not types.is_decimal(arrow):
            return "mismatch"
        return decimal_width_fit(spec, arrow.precision, arrow.scale)
    if logical == "list":
        if not (
            types.is_list(arrow) or types.is_large_list(arrow) or types.is_fixed_size_list(arrow)
        ):
            return "mismatch"
        return fit_arrow(spec.items, arrow.value_type) if spec.items is not None else "ok"
    if logical == "struct":
        if not types.is_struct(arrow):
            return "mismatch"
        return members_fit(spec, {f.name: f.type for f in arrow}, fit_arrow)
    checks = {
        "bool": types.is_boolean,
        "date": types.is_date,
        "time": types.is_time,
        "duration": types.is_duration,
        "binary": lambda t: types.is_binary(t) or types.is_large_binary(t),
    }
    if logical == "timestamp":
        if not types.is_timestamp(arrow):
            return "mismatch"
        return "ok" if same_zone(spec.tz, arrow.tz) else "mismatch"
    check = checks.get(logical)
    if check is None or not check(arrow):
        return "mismatch"
    return "ok"


def _arrow_int_name(arrow: pyarrow_lib.DataType) -> str:
    return str(arrow)  # arrow names its integer types int8..uint64, as the contract does


def value_fits_pandas(spec: Field_, series: pd.Series) -> np.ndarray:
    """For a column that fits value by value: True where the value can be read as the declared
    type exactly (nulls, NaN included, are True: they are the business of ``nullable``)."""
    from accord.compile.values import field_value_fits, integral_fit, is_null  # noqa: PLC0415

    values = series.astype(object).where(series.notna(), None).tolist()
    missing = np.array([is_null(v) for v in values], dtype=bool)
    judge: Callable[[Any], bool]
    if series.dtype == np.dtype(object) or spec.type in ("decimal", "list", "struct"):
        # nested values and decimal widths: one Python value at a time, as polars judges them
        judge = partial(field_value_fits, spec=spec)
    elif spec.type in INTEGER_TYPES:
        judge = partial(integral_fit, logical=spec.type)
    elif spec.type == "date":
        judge = _midnight
    else:
        return np.ones(len(series), dtype=bool)
    return np.array([m or judge(v) for v, m in zip(values, missing, strict=True)], dtype=bool)


def _midnight(value: Any) -> bool:
    """A naive datetime column holds dates when every value is a midnight (pandas has no date
    dtype of its own, so polars and arrow dates arrive as datetime64)."""
    return isinstance(value, pd.Timestamp) and value.tzinfo is None and value == value.normalize()
