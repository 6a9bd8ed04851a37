"""Values that come back from Spark, made what the other engines report: instants as aware
datetimes, dates and times beyond Python's years 1-9999 as the counts they store, freshness
judged on them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from accord.compile.plan import CheckSpec
from accord.engines.beyond import Kind, python_range, raw_text

if TYPE_CHECKING:
    from pyspark.sql import Column

_EPOCH_DAY = dt.date(1970, 1, 1)
_EPOCH = dt.datetime(1970, 1, 1)  # a wall-clock origin, as timestamp_ntz holds
_TIMESTAMPS = ("timestamp", "timestamp_ntz")


def to_driver(shown: Column, type_name: str | None) -> Column:
    """``shown`` as the driver can always take it back: a date as its days since the epoch, a
    timestamp as its microseconds. Spark holds years Python cannot (0000 and before), and
    collecting such a value raises in Python; :func:`from_driver` turns the count back."""
    from pyspark.sql import functions as f  # noqa: PLC0415 - loads with the Spark engine only

    if type_name == "date":
        return f.unix_date(shown)
    if type_name == "timestamp":
        return f.unix_micros(shown)
    if type_name == "timestamp_ntz":
        return f.timestamp_diff("MICROSECOND", f.lit(_EPOCH).cast("timestamp_ntz"), shown)
    return shown


def from_driver(type_name: str | None, value: Any) -> Any:
    """A value :func:`to_driver` sent back, as the other engines show it: a Python date or
    datetime (aware for an instant), else the stored count with its unit."""
    if value is None or type_name not in ("date", *_TIMESTAMPS):
        return value
    kind: Kind = "date" if type_name == "date" else "timestamp"
    low, high = python_range(kind, "us")
    if not low <= value <= high:
        return raw_text(kind, "us", int(value))
    if kind == "date":
        return _EPOCH_DAY + dt.timedelta(days=int(value))
    moment = _EPOCH + dt.timedelta(microseconds=int(value))
    return moment.replace(tzinfo=dt.UTC) if type_name == "timestamp" else moment


def instant(type_name: str | None, value: Any) -> Any:
    """Spark hands a ``timestamp`` (an instant) back as a naive local time (UTC in accord's
    sessions): make it the aware instant it is, as the other engines show it."""
    if type_name == "timestamp" and isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if value.tzinfo is None else value
    return value


def shown_value(spec: CheckSpec | None, values: dict[str, Any], types: dict[str, str]) -> Any:
    """What an example shows: the field's value, or a record of a multi-column check's values
    (``spec`` None: a value that could not be held in its type, shown as it came)."""
    values = {name: instant(types.get(name), value) for name, value in values.items()}
    if spec is None:
        return next(iter(values.values()), None)
    if spec.field is not None:
        return values.get(spec.field)
    return {name: values.get(name) for name in spec.columns}


def fresh(spec: CheckSpec, newest: Any) -> bool:
    """Whether the newest value is within the freshness check's age of its moment."""
    if newest is None:
        return False
    as_of, max_age = spec.values["as_of"], spec.values["max_age"]
    if spec.values["field_type"] == "date":
        return bool(as_of.date() - newest <= max_age)
    moment = as_of.astimezone(dt.UTC).replace(tzinfo=None)
    if spec.values["tz"] and newest.tzinfo:
        newest = newest.astimezone(dt.UTC).replace(tzinfo=None)
    return bool(moment - newest <= max_age)
