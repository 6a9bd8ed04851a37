"""A compiled pandera schema printed for people (``accord compile``) and for golden tests."""

from __future__ import annotations

import json
from typing import Any


def describe_schema(schema: Any, *, engine: str) -> str:
    """A stable, readable text form of a pandera ``DataFrameSchema`` built by accord."""
    lines = [
        f"{type(schema).__module__.split('.')[0]}.{engine}.DataFrameSchema {schema.name!r}",
        f"  strict={schema.strict} ordered={schema.ordered}",
        "  (each field's type check accepts every storage of its type, and its nullable check"
        " judges nulls, NaN included; so pandera's own dtype and nullable stay open)",
        "  columns:",
    ]
    for name, column in schema.columns.items():
        dtype = "" if column.dtype is None else f"dtype={column.dtype} "
        lines.append(f"    {name}: {dtype}required={column.required}")
        lines.extend(f"      - {_check(check)}" for check in column.checks)
    if schema.checks:
        lines.append("  dataframe checks:")
        lines.extend(f"    - {_check(check)}" for check in schema.checks)
    return "\n".join(lines) + "\n"


def _check(check: Any) -> str:
    statistics = dict(getattr(check, "statistics", None) or {})
    kind = statistics.pop("kind", "?")
    return f"{check.name}: {kind} {json.dumps(statistics, default=str, sort_keys=True)}"
