"""Whether one Python value can be represented in a logical type, for columns judged value by
value (object columns, floats declared integer). Shared by the runner and the compiled schemas."""

from __future__ import annotations

import datetime as dt
import decimal
import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.contract.types import INTEGER_RANGES, INTEGER_TYPES

if TYPE_CHECKING:
    from accord.contract.model import Field_

FLOAT_EXACT_INTEGERS = 2**53


def integral_fit(value: Any, logical: str) -> bool:
    """Whether a Python or numpy number is exactly an integer that fits the declared width.

    Text such as ``"1"`` is not a number here: an object column declared integer holding text
    is a type failure, not something to parse.
    """
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, numbers.Integral):
        whole = int(value)
    elif isinstance(value, numbers.Real):
        number = float(value)
        # beyond 2**53 a float no longer holds every integer: the exact value is already lost
        if not number.is_integer() or abs(number) > FLOAT_EXACT_INTEGERS:
            return False
        whole = int(number)
    else:
        return False
    low, high = INTEGER_RANGES[logical if logical in INTEGER_TYPES else "int64"]
    return low <= whole <= high


def python_type_fits(value: Any, logical: str) -> bool:
    """Value-by-value typing of object columns (mixed Python types)."""
    if logical in ("string", "category"):
        return isinstance(value, str)
    if logical in INTEGER_TYPES:
        return integral_fit(value, logical)
    if logical in ("float32", "float64", "number"):
        return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    if logical == "bool":
        return isinstance(value, bool | np.bool_)
    if logical == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if logical == "time":
        return isinstance(value, dt.time)
    if logical == "binary":
        return isinstance(value, bytes)
    if logical == "decimal":
        return isinstance(value, decimal.Decimal)
    return False


def is_null(value: Any) -> bool:
    """None, NaN, NaT or pd.NA: every null kind counts the same."""
    if value is None or type(value).__name__ == "NAType":
        return True
    try:
        return bool(value != value)  # noqa: PLR0124 - NaN and NaT are unequal to themselves
    except (TypeError, ValueError):  # list-like values compare element-wise: not a null
        return False


DECIMAL_DIGITS = 38
"""A decimal without a declared precision holds what 128-bit decimals do on every engine."""


def decimal_fits(value: Any, precision: int | None, scale: int | None) -> bool:
    """Whether a number is exactly a decimal of the declared precision and scale, trailing zeros
    aside, as the text readers judge ``12.340`` against ``scale: 2``. A scale left out is 0 when a
    precision is given (SQL's rule) and free otherwise."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Number):
        return False
    try:
        number = decimal.Decimal(value) if isinstance(value, int) else decimal.Decimal(str(value))
    except (decimal.InvalidOperation, ValueError):
        return False
    if not number.is_finite():
        return False
    if number == 0:
        return True
    shape = number.normalize().as_tuple()
    exponent = int(shape.exponent)
    whole, fraction = max(len(shape.digits) + exponent, 0), max(-exponent, 0)
    if scale is None and precision is None:
        return whole + fraction <= DECIMAL_DIGITS
    allowed_scale = scale if scale is not None else 0
    allowed_whole = (precision or DECIMAL_DIGITS) - allowed_scale
    return fraction <= allowed_scale and whole <= allowed_whole


def field_value_fits(value: Any, spec: Field_) -> bool:
    """Whether one Python value fits a declared field, members and items included.

    Nulls inside a list or struct are True: nested nullability is not judged (the runner
    reports it as skipped). A member absent from one value is a null there, as arrow and polars
    store it; a member absent from the column's type is judged by the dtype fit. Extra struct
    members are allowed, like undeclared columns of an open dataset."""
    if is_null(value):
        return True
    if spec.type == "decimal":
        return isinstance(value, decimal.Decimal | numbers.Integral) and decimal_fits(
            value, spec.precision, spec.scale
        )
    if spec.type == "list":
        if isinstance(value, str | bytes | dict) or not isinstance(
            value, list | tuple | np.ndarray
        ):
            return False
        return spec.items is None or all(field_value_fits(item, spec.items) for item in value)
    if spec.type == "struct":
        if not isinstance(value, dict):
            return False
        members = (spec.fields or {}).items()
        return all(field_value_fits(value.get(name), member) for name, member in members)
    if spec.type == "timestamp":
        return isinstance(value, dt.datetime) and (value.tzinfo is None) == (spec.tz is None)
    if spec.type == "duration":
        return isinstance(value, dt.timedelta)
    return python_type_fits(value, spec.type)
