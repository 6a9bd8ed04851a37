"""Whether one Python value can be represented in a logical type, for columns judged value by
value (object columns, floats declared integer). Shared by the runner and the compiled schemas."""

from __future__ import annotations

import datetime as dt
import decimal
import numbers
from typing import Any

import numpy as np

from accord.contract.types import INTEGER_RANGES, INTEGER_TYPES

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
