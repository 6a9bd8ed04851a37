"""Check parameters read in the type of the field they apply to.

The YAML loader never turns ``2012-01-01`` into a date on its own; a ``between`` on a ``date`` field
reads its bounds as dates here, and a bound that the field's type cannot hold (``300`` on an
``int8``, ``1.5`` on an integer, text on a number) is a contract error rather than a comparison
that silently never fails.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accord.contract.types import FLOAT_TYPES, INTEGER_RANGES, INTEGER_TYPES, TEXT_TYPES

_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(s|m|h|d|w)$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class ParamError(ValueError):
    """A parameter cannot be read in the field's type; the message says what was expected."""


def parse_duration(text: str) -> dt.timedelta:
    """``90m``, ``26h``, ``7d``, ``1.5h`` to a timedelta."""
    match = _DURATION.match(text)
    if match is None:
        raise ParamError(f"expected a duration such as 90m, 26h or 7d, got {text!r}")
    return dt.timedelta(seconds=float(match.group(1)) * _DURATION_UNITS[match.group(2)])


DECIMAL_DIGITS = 38
"""The most digits a decimal holds on every engine (128-bit decimals in arrow and polars)."""


def read_param(value: Any, logical_type: str, *, tz: str | None = None) -> Any:
    """``value`` as a Python value of ``logical_type``; raises :class:`ParamError`."""
    if logical_type in INTEGER_TYPES:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParamError(f"expected an integer for a {logical_type} field, got {value!r}")
        low, high = INTEGER_RANGES[logical_type]
        if not low <= value <= high:
            raise ParamError(f"{value} does not fit in {logical_type} ({low} to {high})")
        return value
    if logical_type in FLOAT_TYPES or logical_type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParamError(f"expected a number for a {logical_type} field, got {value!r}")
        # one numeric type per parameter list, so engines never see ints and floats mixed
        return float(value)
    if logical_type == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ParamError(f"expected a decimal number, got {value!r}")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ParamError(f"expected a decimal number, got {value!r}") from None
        if not number.is_finite():
            # a decimal column holds finite numbers only, and engines cannot compare with these
            raise ParamError(
                f"{value!r} is not a finite number, which a decimal field never holds; "
                "drop it, or declare the field float64 to compare with inf or NaN"
            )
        shape = number.normalize().as_tuple()
        exponent = int(shape.exponent)
        whole, fraction = max(len(shape.digits) + exponent, 0), max(-exponent, 0)
        if whole + fraction > DECIMAL_DIGITS:
            # engines hold decimals in 128 bits: a wider literal cannot be compared with a column
            raise ParamError(
                f"{value!r} needs more than {DECIMAL_DIGITS} digits, more than a decimal field "
                "holds; use a value with fewer digits"
            )
        return number
    if logical_type in TEXT_TYPES:
        if not isinstance(value, str):
            raise ParamError(
                f"expected text for a {logical_type} field, got {value!r}; "
                "quote it to compare as text"
            )
        return value
    if logical_type == "bool":
        if not isinstance(value, bool):
            raise ParamError(f"expected true or false, got {value!r}")
        return value
    if logical_type == "date":
        return _date(value)
    if logical_type == "timestamp":
        return _timestamp(value, tz)
    if logical_type == "time":
        return _time(value)
    if logical_type == "duration":
        if isinstance(value, str):
            return parse_duration(value)
        raise ParamError(f"expected a duration such as 90m or 7d, got {value!r}")
    raise ParamError(f"checks with values do not apply to {logical_type} fields")


def _date(value: Any) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ParamError(f"expected a date written YYYY-MM-DD, got {value!r}")


def _time(value: Any) -> dt.time:
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise ParamError(f"expected a time written HH:MM[:SS], got {value!r}")


UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Z", "+00:00", "UTC+00:00", "Etc/GMT", "GMT"})


def _zone(name: str) -> dt.tzinfo:
    """The zone ``name``; UTC under any of its names is one zone, so engines compare alike."""
    if name in UTC_NAMES:
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # the loader reports the zone itself; the bound is then read as written, in UTC
        return dt.UTC


def _timestamp(value: Any, tz: str | None) -> dt.datetime:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            if tz is None and parsed.tzinfo is not None:
                raise ParamError(f"{value!r} has a UTC offset but the field is tz-naive")
            if tz is not None and parsed.tzinfo is None:
                return parsed.replace(tzinfo=_zone(tz))
            return parsed
    raise ParamError(f"expected a timestamp written YYYY-MM-DDTHH:MM:SS[+HH:MM], got {value!r}")
