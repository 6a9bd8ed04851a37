"""The polars dtype table, and how an actual column dtype relates to a declared logical type."""

from __future__ import annotations

import polars as pl
from polars._typing import PolarsDataType

from accord.contract.fit import Fit, decimal_width_fit, members_fit, same_zone
from accord.contract.model import Field_
from accord.contract.params import DECIMAL_DIGITS
from accord.contract.types import INTEGER_RANGES, INTEGER_TYPES

_FIXED: dict[str, pl.DataType] = {
    "string": pl.String(),
    "category": pl.String(),
    "bool": pl.Boolean(),
    "int8": pl.Int8(),
    "int16": pl.Int16(),
    "int32": pl.Int32(),
    "int64": pl.Int64(),
    "uint8": pl.UInt8(),
    "uint16": pl.UInt16(),
    "uint32": pl.UInt32(),
    "uint64": pl.UInt64(),
    "integer": pl.Int64(),
    "float32": pl.Float32(),
    "float64": pl.Float64(),
    "number": pl.Float64(),
    "date": pl.Date(),
    "time": pl.Time(),
    "duration": pl.Duration("us"),
    "binary": pl.Binary(),
}
_INT_DTYPES: dict[type[pl.DataType], str] = {
    pl.Int8: "int8",
    pl.Int16: "int16",
    pl.Int32: "int32",
    pl.Int64: "int64",
    pl.UInt8: "uint8",
    pl.UInt16: "uint16",
    pl.UInt32: "uint32",
    pl.UInt64: "uint64",
    pl.Int128: "int128",
}
# Int128 arrives when files disagree (int64 in one, uint64 in another): its values may all fit.
_WIDE_RANGES = {**INTEGER_RANGES, "int128": (-(2**127), 2**127 - 1)}


def polars_dtype(spec: Field_) -> pl.DataType:
    """The polars dtype a field compiles to."""
    if spec.type in _FIXED:
        return _FIXED[spec.type]
    if spec.type == "decimal":
        return pl.Decimal(spec.precision or 38, spec.scale or 0)
    if spec.type == "timestamp":
        return pl.Datetime("us", spec.tz)
    if spec.type == "list":
        assert spec.items is not None  # the loader requires items for lists
        return pl.List(polars_dtype(spec.items))
    if spec.type == "struct":
        assert spec.fields is not None
        return pl.Struct({name: polars_dtype(member) for name, member in spec.fields.items()})
    raise ValueError(f"no polars dtype for {spec.type}")  # pragma: no cover


def fit_polars(spec: Field_, dtype: pl.DataType) -> Fit:
    """How a column of ``dtype`` relates to the declared field type."""
    logical = spec.type
    if isinstance(dtype, pl.Null):
        return "convert"  # a column of nulls only: any type holds it
    text = isinstance(dtype, pl.String | pl.Categorical | pl.Enum)
    if logical in ("string", "category"):
        return "ok" if text else ("convert" if isinstance(dtype, pl.Object) else "mismatch")
    if logical in INTEGER_TYPES:
        actual = _INT_DTYPES.get(type(dtype))
        if actual is not None:
            return "ok" if _int_fits(actual, logical) else "convert"
        return "convert" if dtype.is_float() or isinstance(dtype, pl.Object) else "mismatch"
    if logical in ("float32", "float64", "number"):
        if dtype.is_float() or dtype.is_integer():
            return "ok"
        return "convert" if isinstance(dtype, pl.Object) else "mismatch"
    if logical == "decimal":
        if not isinstance(dtype, pl.Decimal):
            return "mismatch"
        return decimal_width_fit(spec, dtype.precision, dtype.scale)
    if logical == "bool":
        return "ok" if isinstance(dtype, pl.Boolean) else "mismatch"
    if logical == "date":
        return "ok" if isinstance(dtype, pl.Date) else "mismatch"
    if logical == "timestamp":
        if not isinstance(dtype, pl.Datetime):
            return "mismatch"
        return "ok" if same_zone(spec.tz, dtype.time_zone) else "mismatch"
    if logical == "time":
        return "ok" if isinstance(dtype, pl.Time) else "mismatch"
    if logical == "duration":
        return "ok" if isinstance(dtype, pl.Duration) else "mismatch"
    if logical == "binary":
        return "ok" if isinstance(dtype, pl.Binary) else "mismatch"
    if logical == "list":
        if not isinstance(dtype, pl.List | pl.Array):
            return "mismatch"
        return fit_polars(spec.items, _instance(dtype.inner)) if spec.items is not None else "ok"
    if logical == "struct":
        if not isinstance(dtype, pl.Struct):
            return "mismatch"
        members = {f.name: _instance(f.dtype) for f in dtype.fields}
        return members_fit(spec, members, fit_polars)
    return "mismatch"  # pragma: no cover


def _instance(dtype: PolarsDataType) -> pl.DataType:
    """Nested dtypes may name a member's dtype by its class (``pl.Int64``, not ``pl.Int64()``)."""
    return dtype if isinstance(dtype, pl.DataType) else dtype()


def _int_fits(actual: str, declared: str) -> bool:
    """Every value of the actual integer type fits the declared one."""
    low, high = _WIDE_RANGES[actual]
    want_low, want_high = _WIDE_RANGES[declared]
    return want_low <= low and high <= want_high


def value_fits_polars(spec: Field_, series: pl.Series) -> pl.Series:
    """For a column that fits value by value: True where the value can be read as the declared
    type exactly (nulls, NaN included, are True: they are the business of ``nullable``)."""
    from accord.compile.values import (  # noqa: PLC0415 - numpy-free callers
        FLOAT_EXACT_INTEGERS,
        field_value_fits,
    )

    if isinstance(series.dtype, pl.Decimal) and (spec.precision or 0) <= DECIMAL_DIGITS:
        # a decimal cast truncates digits beyond the scale and nulls those beyond the precision:
        # a value fits exactly when it survives the cast unchanged
        narrowed = series.cast(polars_dtype(spec), strict=False)
        return (series.is_null() | (narrowed == series)).fill_null(value=False)
    if series.dtype == pl.Object or spec.type in ("decimal", "list", "struct"):
        # nested values and decimal widths are judged one Python value at a time, as pandas
        # judges them, so both engines give one verdict
        return pl.Series(
            [v is None or field_value_fits(v, spec) for v in series.to_list()], dtype=pl.Boolean
        )
    missing = series.is_null()
    candidate = series
    if series.dtype.is_float():
        missing = missing | series.is_nan()
        # a float is an integer only without a fraction (a cast would truncate 1.7 to 1) and
        # within 2**53, beyond which a float no longer holds every integer exactly
        inexact = (series.round(0) != series) | (series.abs() > FLOAT_EXACT_INTEGERS)
        candidate = series.set(~missing & inexact, None)
    converted = candidate.cast(polars_dtype(spec), strict=False)
    return missing | converted.is_not_null()
