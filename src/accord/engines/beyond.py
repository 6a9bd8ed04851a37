"""Example values no Python ``date``, ``datetime`` or ``timedelta`` can hold.

Arrow and polars store a date as days and a timestamp or duration as a 64-bit count of units,
far beyond what Python holds (years 1 to 9999) or pandas (durations up to 106,751,991 days).
Turning such a value into Python raises OverflowError, and polars panics. A report shows it
instead as the raw count with its unit, the same text on every engine, so a run still reports
the row rather than stopping.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

Kind = Literal["date", "timestamp", "duration"]

_FIRST_DAY, _LAST_DAY = -719_162, 2_932_896  # 0001-01-01 and 9999-12-31, in days since 1970
# pandas turns each duration into a Timedelta, 64-bit microseconds at the coarsest: less than
# timedelta.max (999,999,999 days), and the limit on every engine, so examples read the same
_MOST_DAYS = (2**63 - 1) // 86_400_000_000
_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}


def python_range(kind: Kind, unit: str) -> tuple[int, int]:
    """The stored values (days, or ``unit`` since the epoch) Python can hold, with a day of
    margin for a timestamp shown in its zone (within 64 bits: pandas' nanoseconds)."""
    if kind == "date":
        return _FIRST_DAY, _LAST_DAY
    per_day = _PER_DAY[unit]
    if kind == "duration":
        return -_MOST_DAYS * per_day, _MOST_DAYS * per_day
    # pandas shows a zoned value in its zone, which must stay within 64 bits too
    low = max((_FIRST_DAY + 1) * per_day, -(2**63) + per_day)
    return low, min(_LAST_DAY * per_day, 2**63 - 1 - per_day)


def beyond_python(kind: Kind, unit: str, stored: list[int | None]) -> np.ndarray:
    """Where a stored value (None for null) is one Python cannot hold."""
    low, high = python_range(kind, unit)
    return np.array([v is not None and not low <= v <= high for v in stored], dtype=bool)


def raw_text(kind: Kind, unit: str, stored: int) -> str:
    """A value Python cannot hold, as the count its file stores."""
    if kind == "date":
        return f"{stored} days since 1970-01-01"
    if kind == "timestamp":
        return f"{stored} {unit} since 1970-01-01T00:00:00"
    return f"{stored} {unit}"


def with_raw_text(
    kind: Kind, unit: str, stored: list[int | None], held: list[Any], beyond: np.ndarray
) -> list[Any]:
    """The examples in row order: ``held`` (the values Python can hold, in order) and, where
    ``beyond``, the raw text of the stored value."""
    values = iter(held)
    return [
        raw_text(kind, unit, int(value)) if out and value is not None else next(values)
        for value, out in zip(stored, beyond, strict=True)
    ]
