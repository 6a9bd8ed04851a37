"""Every accord check as a vectorised polars expression, True where the row passes.

Nulls pass value checks (``nullable`` alone counts them) and NaN counts as null in float columns,
as on pandas. The runner evaluates these expressions directly, in one fused pass; the pandera
schema of ``polars_engine`` wraps the very same expressions, so both judge alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from accord.compile.expr_polars import column, to_polars
from accord.compile.plan import CheckSpec
from accord.contract.checks import COMPARISON_KINDS
from accord.contract.regex_syntax import to_rust
from accord.contract.registry import registered_check

ExprBuilder = Callable[[pl.Expr, CheckSpec], pl.Expr]


def is_missing(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    """Null, or NaN in a float column: every null kind counts the same."""
    return column.is_null() | column.is_nan() if spec.float_column else column.is_null()


def _compare(op: str) -> ExprBuilder:
    def build(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
        column = _in_utc(column, spec.values["value"])
        value = _bound(spec.values["value"])
        return {
            "equal_to": column == value,
            "not_equal_to": column != value,
            "greater_than": column > value,
            "greater_than_or_equal_to": column >= value,
            "less_than": column < value,
            "less_than_or_equal_to": column <= value,
        }[op]

    return build


def _between(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    low, high, inclusive = spec.values["min"], spec.values["max"], spec.values["inclusive"]
    column = _in_utc(column, low if low is not None else high)
    result = pl.lit(value=True)
    if low is not None:
        low = _bound(low)
        result &= column >= low if inclusive in ("both", "left") else column > low
    if high is not None:
        high = _bound(high)
        result &= column <= high if inclusive in ("both", "right") else column < high
    return result


def _in_utc(column: pl.Expr, value: Any) -> pl.Expr:
    """A zoned column compared with an instant, in UTC: polars refuses to compare two zones by
    name, and the engine hands over UTC columns but a compiled schema meets frames as they are
    (a no-op for a column already in UTC)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return column.dt.convert_time_zone("UTC")
    return column


def _bound(value: Any) -> pl.Expr:
    """A check parameter as a literal; a moment or a duration in nanoseconds: compared with a
    literal in microseconds, polars truncates a nanosecond column to microseconds first (so
    03:00:00 and 7 ns was not after 03:00:00, and 1 ns was not above 0 s), where pandas
    compares exactly. Coarser columns compare exactly with a nanosecond literal."""
    if isinstance(value, dt.datetime) and _NS_FIRST < value.replace(tzinfo=None) < _NS_LAST:
        if value.tzinfo is None:
            return pl.lit(value, dtype=pl.Datetime("ns"))
        # the instant in UTC: polars refuses a value whose zone differs from the literal's
        return pl.lit(value.astimezone(dt.UTC), dtype=pl.Datetime("ns", "UTC"))
    if isinstance(value, dt.timedelta) and abs(value) < _NS_SPAN:
        return pl.lit(value, dtype=pl.Duration("ns"))
    return pl.lit(value)


_NS_FIRST, _NS_LAST = dt.datetime(1678, 1, 1), dt.datetime(2262, 1, 1)  # what 64-bit ns hold
_NS_SPAN = dt.timedelta(days=106_751)  # the longest duration 64-bit nanoseconds hold


def _length(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    length = column.cast(pl.String).str.len_chars()
    result = pl.lit(value=True)
    if spec.values["min"] is not None:
        result &= length >= spec.values["min"]
    if spec.values["max"] is not None:
        result &= length <= spec.values["max"]
    return result


def _pattern(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    # the rewrite is anchored at both ends, so polars' search is a full match of the whole value
    return column.cast(pl.String).str.contains(to_rust(spec.values["value"]).text)


def _in(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    values = spec.values["values"]
    if _all_text(values):
        return column.cast(pl.String).is_in(values)
    if any(isinstance(v, float) for v in values):
        # a number field may hold integers while its parameters are read as floats
        return column.cast(pl.Float64).is_in(pl.Series(values, dtype=pl.Float64).implode())
    return column.is_in(pl.Series(values).implode())


def _all_text(values: list[Any]) -> bool:
    return all(isinstance(v, str) for v in values)


def _bounded(statistic: pl.Expr, spec: CheckSpec) -> pl.Expr:
    result = statistic.is_not_null()  # zero non-null values: not evaluable, so it fails
    if spec.values["min"] is not None:
        result &= statistic >= spec.values["min"]
    if spec.values["max"] is not None:
        result &= statistic <= spec.values["max"]
    return result


def aggregate_passes(spec: CheckSpec, observed: float | None) -> bool:
    """The verdict of an aggregate check on a statistic computed elsewhere (a batched run merges
    batch statistics), by the same comparison the column expression makes."""
    statistic = pl.lit(observed, dtype=pl.Float64)
    if spec.kind == "max_null_fraction":
        return bool(pl.select(statistic <= spec.values["value"]).item())
    return bool(pl.select(_bounded(statistic, spec)).item())


def _present(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    return column.filter(~is_missing(column, spec))


VALUE_CHECKS: dict[str, ExprBuilder] = {
    **{op: _compare(op) for op in COMPARISON_KINDS},
    "between": _between,
    "in": _in,
    "not_in": lambda column, spec: ~_in(column, spec),
    "pattern": _pattern,
    "length": _length,
    "starts_with": lambda col, spec: col.cast(pl.String).str.starts_with(spec.values["value"]),
    "ends_with": lambda col, spec: col.cast(pl.String).str.ends_with(spec.values["value"]),
    "contains": lambda col, spec: col.cast(pl.String).str.contains(
        spec.values["value"], literal=True
    ),
}

AGGREGATE_CHECKS: dict[str, ExprBuilder] = {
    "max_null_fraction": lambda col, spec: (
        is_missing(col, spec).mean().fill_null(0.0) <= spec.values["value"]
    ),
    "mean_between": lambda col, spec: _bounded(_present(col, spec).mean(), spec),
    "median_between": lambda col, spec: _bounded(_present(col, spec).median(), spec),
    "stddev_between": lambda col, spec: _bounded(_present(col, spec).std(ddof=1), spec),
    "distinct_count_between": lambda col, spec: _bounded(
        _present(col, spec).n_unique().cast(pl.Float64), spec
    ),
    "min_between": lambda col, spec: _bounded(_present(col, spec).min(), spec),
    "max_between": lambda col, spec: _bounded(_present(col, spec).max(), spec),
    "unique_fraction_between": lambda col, spec: _bounded(unique_fraction(col, spec), spec),
}


def unique_fraction(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    """Distinct non-null values over non-null values; null (not evaluable) when there are none."""
    present = _present(column, spec)
    count = present.count()
    return pl.when(count > 0).then(present.n_unique() / count)


def field_check_expr(
    column: pl.Expr, spec: CheckSpec, references: Mapping[str, pl.Series]
) -> pl.Expr:
    """A boolean expression, True where the value passes (or one value for aggregates)."""
    if spec.kind == "nullable":
        return ~is_missing(column, spec)
    if spec.kind == "unique":
        return ~column.is_duplicated() | is_missing(column, spec)
    if spec.kind in AGGREGATE_CHECKS:
        return AGGREGATE_CHECKS[spec.kind](column, spec)
    if spec.kind == "in_reference":
        allowed = references[spec.check_id]
        passed = column.is_in(allowed.implode())
    elif spec.kind == "custom":
        passed = _custom(column, spec)
    else:
        passed = VALUE_CHECKS[spec.kind](column, spec)
    return is_missing(column, spec) | passed.fill_null(value=True)


def _custom(column: pl.Expr, spec: CheckSpec) -> pl.Expr:
    registered = registered_check(spec.values["check"])
    if registered is None:  # pragma: no cover - the loader refuses unregistered names
        raise LookupError(spec.values["check"])
    params = spec.values["params"]
    if registered.element_wise:
        return column.map_elements(
            lambda value: bool(registered.function(value, **params)), return_dtype=pl.Boolean
        )
    return column.map_batches(
        lambda series: pl.Series(registered.function(series, **params), dtype=pl.Boolean),
        return_dtype=pl.Boolean,
    )


def dataset_check_expr(
    spec: CheckSpec, frame_height: pl.Expr, float_columns: frozenset[str] = frozenset()
) -> pl.Expr:
    """A boolean expression over the whole frame for a dataset-level check.

    ``float_columns`` names the float columns, where NaN is a null like any other.
    """
    if spec.kind in ("primary_key", "unique_together"):
        keys = [column(name) for name in spec.columns]
        any_null = pl.any_horizontal(
            [
                key.is_null() | key.is_nan() if name in float_columns else key.is_null()
                for name, key in zip(spec.columns, keys, strict=True)
            ]
        )
        # one column alone: a struct of one field judges alike (nulls, NaN, -0.0, nested
        # values) at three times the cost
        duplicated = (keys[0] if len(keys) == 1 else pl.struct(keys)).is_duplicated()
        if spec.kind == "primary_key":  # nulls in a key are field.null violations, not here
            return ~duplicated | any_null
        return ~(duplicated & ~any_null) | any_null
    if spec.kind == "row_count":
        result = pl.lit(value=True)
        if "min" in spec.values:
            result &= frame_height >= spec.values["min"]
        if "max" in spec.values:
            result &= frame_height <= spec.values["max"]
        return result
    if spec.kind == "freshness":
        newest = column(spec.columns[0]).max()
        as_of, max_age = spec.values["as_of"], spec.values["max_age"]
        if spec.values["field_type"] == "date":
            return newest.is_not_null() & (pl.lit(as_of.date()) - newest <= pl.lit(max_age))
        zone = spec.values["tz"]
        moment = (
            pl.lit(as_of).dt.convert_time_zone(zone)
            if zone
            else pl.lit(as_of.astimezone(dt.UTC).replace(tzinfo=None))
        )
        return newest.is_not_null() & (moment - newest <= pl.lit(max_age))
    if spec.kind == "rule":
        return to_polars(spec.values["expression"]).fill_null(value=False)
    raise ValueError(f"unknown dataset check {spec.kind}")  # pragma: no cover
