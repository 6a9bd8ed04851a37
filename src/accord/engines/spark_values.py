"""Values that come back from Spark, made what the other engines report: instants as aware
datetimes, freshness judged on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.compile.plan import CheckSpec


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
