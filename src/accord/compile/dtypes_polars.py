"""The polars dtype table, and how an actual column dtype relates to a declared logical type."""

from __future__ import annotations

from typing import Any, Literal

import polars as pl

from accord.contract.model import Field_
from accord.contract.params import UTC_NAMES
from accord.contract.types import INTEGER_RANGES, INTEGER_TYPES

Fit = Literal["ok", "convert", "mismatch"]
"""``ok``: the column satisfies the type as stored. ``convert``: it may, value by value (a float
column declared integer, an int64 column declared int8); values that do not fit are ``field.type``
failures on their rows. ``mismatch``: the column as a whole has another type; its checks are
skipped."""

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
}


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


def describe(spec: Field_) -> str:
    """The declared type as reports show it: ``timestamp[tz=UTC]``, ``decimal(10,2)``."""
    if spec.type == "timestamp":
        return f"timestamp[tz={spec.tz}]" if spec.tz else "timestamp (tz-naive)"
    if spec.type == "decimal":
        return f"decimal({spec.precision or 38},{spec.scale or 0})"
    if spec.type == "list" and spec.items is not None:
        return f"list<{describe(spec.items)}>"
    return spec.type


def same_zone(declared: str | None, actual: str | None) -> bool:
    utc = UTC_NAMES
    if declared is None or actual is None:
        return declared is actual
    return declared == actual or (declared in utc and actual in utc)


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
        return "ok" if isinstance(dtype, pl.Decimal) else "mismatch"
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
        # an element of another type family is a type error of the column (peer fixture 07)
        inner = fit_polars(spec.items, _instance(dtype.inner)) if spec.items is not None else "ok"
        return "mismatch" if inner == "mismatch" else "ok"
    if logical == "struct":
        if not isinstance(dtype, pl.Struct):
            return "mismatch"
        members = {member.name: member.dtype for member in dtype.fields}
        wrong = any(
            name in members and fit_polars(member, _instance(members[name])) == "mismatch"
            for name, member in (spec.fields or {}).items()
        )
        return "mismatch" if wrong else "ok"
    return "mismatch"  # pragma: no cover


def _instance(dtype: Any) -> pl.DataType:
    """Nested dtypes may be held as classes (``pl.Int64``) or instances (``pl.Int64()``)."""
    made: pl.DataType = dtype() if isinstance(dtype, type) else dtype
    return made


def _int_fits(actual: str, declared: str) -> bool:
    """Every value of the actual integer type fits the declared one."""
    low, high = INTEGER_RANGES[actual]
    want_low, want_high = INTEGER_RANGES[declared]
    return want_low <= low and high <= want_high


def value_fits_polars(spec: Field_, series: pl.Series) -> pl.Series:
    """For a column that fits value by value: True where the value can be read as the declared
    type exactly (nulls, NaN included, are True: they are the business of ``nullable``)."""
    from accord.compile.values import (  # noqa: PLC0415 - numpy-free callers
        FLOAT_EXACT_INTEGERS,
        python_type_fits,
    )

    if series.dtype == pl.Object:
        return pl.Series(
            [v is None or python_type_fits(v, spec.type) for v in series.to_list()],
            dtype=pl.Boolean,
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
