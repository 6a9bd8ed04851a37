"""Every accord check as a Spark ``Column`` that is True where a row FAILS, and never null.

A failure column that is never null can be summed: the Spark engine adds every check's failures
up in one aggregation over the data. The meaning is the polars and pandas engines' (see
``polars_checks``): nulls pass value checks (``nullable`` alone counts them), NaN counts as null
in float columns, patterns match the whole value with Unicode classes, a null inside an ``in``
list is never compared. Aggregates are statistics computed in the same aggregation and judged
here, in Python, by :func:`aggregate_passes`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.compile.plan import CheckSpec
from accord.contract.checks import COMPARISON_KINDS

if TYPE_CHECKING:
    from pyspark.sql import Column

ColumnBuilder = Callable[["Column", CheckSpec], "Column"]


def present(column: Column, spec: CheckSpec) -> Column:
    """The value with NaN as null in a float column: every null kind counts the same."""
    return f.nanvl(column, f.lit(None).cast("double")) if spec.float_column else column


def is_missing(column: Column, spec: CheckSpec) -> Column:
    return present(column, spec).isNull()


def _compare(op: str) -> ColumnBuilder:
    def build(column: Column, spec: CheckSpec) -> Column:
        value = f.lit(spec.values["value"])
        return {
            "equal_to": column == value,
            "not_equal_to": column != value,
            "greater_than": column > value,
            "greater_than_or_equal_to": column >= value,
            "less_than": column < value,
            "less_than_or_equal_to": column <= value,
        }[op]

    return build


def _between(column: Column, spec: CheckSpec) -> Column:
    low, high, inclusive = spec.values["min"], spec.values["max"], spec.values["inclusive"]
    result = f.lit(True)
    if low is not None:
        result = result & (column >= low if inclusive in ("both", "left") else column > low)
    if high is not None:
        result = result & (column <= high if inclusive in ("both", "right") else column < high)
    return result


def _length(column: Column, spec: CheckSpec) -> Column:
    # char_length counts code points, as polars' len_chars and Python's len do
    length = f.char_length(column.cast("string"))
    result = f.lit(True)
    if spec.values["min"] is not None:
        result = result & (length >= spec.values["min"])
    if spec.values["max"] is not None:
        result = result & (length <= spec.values["max"])
    return result


def full_match(pattern: str) -> str:
    """A Java pattern that matches the whole value, with Unicode character classes.

    ``(?U)`` makes ``\\w``, ``\\d``, ``\\s`` and ``\\b`` Unicode, as SPEC 1.4 asks of every engine;
    ``\\z`` is the very end (Java's ``$`` also matches before a final newline)."""
    return f"(?U)^(?:{pattern})\\z"


def _pattern(column: Column, spec: CheckSpec) -> Column:
    return column.cast("string").rlike(full_match(spec.values["value"]))


def _in(column: Column, spec: CheckSpec) -> Column:
    values = [v for v in spec.values["values"] if v is not None]
    if not values:
        return f.lit(False)
    if all(isinstance(v, str) for v in values):
        return column.cast("string").isin(values)
    if any(isinstance(v, float) for v in values):
        return column.cast("double").isin([float(v) for v in values])
    return column.isin(values)


def _text(method: str) -> ColumnBuilder:
    def build(column: Column, spec: CheckSpec) -> Column:
        text = column.cast("string")
        value = spec.values["value"]
        if method == "contains":
            return text.contains(value)
        return text.startswith(value) if method == "starts_with" else text.endswith(value)

    return build


VALUE_CHECKS: dict[str, ColumnBuilder] = {
    **{op: _compare(op) for op in COMPARISON_KINDS},
    "between": _between,
    "in": _in,
    "not_in": lambda column, spec: ~_in(column, spec),
    "pattern": _pattern,
    "length": _length,
    "starts_with": _text("starts_with"),
    "ends_with": _text("ends_with"),
    "contains": _text("contains"),
}


def value_failure(column: Column, spec: CheckSpec) -> Column:
    """True where a non-null value fails a value check; never null."""
    passed = VALUE_CHECKS[spec.kind](present(column, spec), spec)
    return f.coalesce(~is_missing(column, spec) & ~passed, f.lit(False))


def statistic(column: Column, spec: CheckSpec) -> Column:
    """The statistic an aggregate check judges, over the non-null values."""
    value = present(column, spec)
    if spec.kind == "max_null_fraction":
        return f.avg(f.when(value.isNull(), 1.0).otherwise(0.0))
    if spec.kind == "mean_between":
        return f.avg(value)
    if spec.kind == "median_between":
        return f.median(value)
    if spec.kind == "stddev_between":
        return f.stddev_samp(value)
    if spec.kind == "distinct_count_between":
        return f.count_distinct(value).cast("double")
    raise ValueError(f"no Spark statistic for {spec.kind}")  # pragma: no cover


def aggregate_passes(spec: CheckSpec, observed: float | None) -> bool:
    """The verdict of an aggregate on its statistic: an empty column is not evaluable, so it
    fails (a null fraction of no rows is 0)."""
    if spec.kind == "max_null_fraction":
        return bool((observed or 0.0) <= spec.values["value"])
    if observed is None or observed != observed:  # noqa: PLR0124 - NaN: not evaluable
        return False
    low, high = spec.values["min"], spec.values["max"]
    return (low is None or observed >= low) and (high is None or observed <= high)
