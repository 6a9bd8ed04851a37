"""A compiled pandera schema printed for people (``accord compile``) and for golden tests."""

from __future__ import annotations

import json
from typing import Any


def describe_schema(schema: Any, *, engine: str) -> str:
    """A stable, readable text form of a pandera ``DataFrameSchema`` built by accord."""
    lines = [
        f"{type(schema).__module__.split('.')[0]}.{engine}.DataFrameSchema {schema.name!r}",
        f"  strict={schema.strict} ordered={schema.ordered}",
        "  (nulls are judged by each field's nullable check, NaN included, so pandera columns"
        " accept them)",
        "  columns:",
    ]
    for name, column in schema.columns.items():
        lines.append(
            f"    {name}: dtype={column.dtype} required={column.required} "
            f"nullable={column.nullable} unique={column.unique}"
        )
        lines.extend(f"      - {_check(check)}" for check in column.checks)
    if schema.checks:
        lines.append("  dataframe checks:")
        lines.extend(f"    - {_check(check)}" for check in schema.checks)
    return "\n".join(lines) + "\n"


def _check(check: Any) -> str:
    statistics = dict(getattr(check, "statistics", None) or {})
    kind = statistics.pop("kind", "?")
    return f"{check.name}: {kind} {json.dumps(statistics, default=str, sort_keys=True)}"
