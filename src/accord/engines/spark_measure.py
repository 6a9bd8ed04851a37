"""Drift statistics on Spark (``base.Measuring``): aggregations over the data where it lies.

Only numbers come back to the driver: counts and moments of every measured column in one
aggregation, order statistics in another, counts below bin edges in a third, and per text
column its counts per known category plus the most frequent others (a bounded ``limit``).

Semantics are the Arrow path's (``drift.stats``): NaN is a null, statistics of values are taken
over the finite ones, infinities still count below or above an edge. Exact order statistics use
``percentile_disc`` at a probability half a rank below the rank wanted, so no floating-point
noise in ``n * p`` can move it to a neighbour; quantiles use ``percentile``, which interpolates
linearly between ranks as numpy does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from pyspark.sql import functions as f  # this module loads only with the Spark engine
from pyspark.sql import types as t

from accord.engines.base import CategoryCounts, ColumnMeasure, UnfitColumnError
from accord.engines.spark_columns import column, one
from accord.engines.spark_values import to_driver

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = [
    "category_counts",
    "counts_below",
    "finite_distribution",
    "measure",
    "order_statistics",
]

_INF = float("inf")
_TEXT = (t.StringType, t.BooleanType, t.ByteType, t.ShortType, t.IntegerType, t.LongType)


def _type(frame: DataFrame, name: str) -> t.DataType:
    return frame.schema[name].dataType


def _number(frame: DataFrame, name: str) -> Column:
    """The column as doubles, NaN as null (``TypeError`` unless it holds numbers)."""
    kind = _type(frame, name)
    if isinstance(kind, t.NullType):
        return f.lit(None).cast("double")
    if not isinstance(kind, t.NumericType):
        raise UnfitColumnError(name, f"a numeric field holds {kind.simpleString()}")
    value = column(name).cast("double")
    if isinstance(kind, t.FloatType | t.DoubleType):
        value = f.nanvl(value, f.lit(None).cast("double"))
    return value


def _finite(frame: DataFrame, name: str) -> Column:
    value = _number(frame, name)
    return f.when(f.abs(value) < f.lit(_INF), value)


def _text(frame: DataFrame, name: str) -> Column:
    kind = _type(frame, name)
    if isinstance(kind, t.NullType):
        return f.lit(None).cast("string")
    if not isinstance(kind, _TEXT):
        raise UnfitColumnError(name, f"a text field holds {kind.simpleString()}")
    return column(name).cast("string")


def _temporal(frame: DataFrame, name: str) -> tuple[Column | None, str, str]:
    """The column as a count min/max can take and Python can always hold (Spark keeps years
    before 1, which a Python date cannot), its zone and the count's unit."""
    kind = _type(frame, name)
    if isinstance(kind, t.NullType):
        return None, "naive", "us"
    if isinstance(kind, t.DateType):  # days since the epoch
        return to_driver(column(name), "date"), "naive", "D"
    if isinstance(kind, t.TimestampType):  # an instant: its microseconds since the epoch
        return to_driver(column(name), "timestamp"), "UTC", "us"
    if isinstance(kind, t.TimestampNTZType):  # a wall-clock time: microseconds past 1970's
        return to_driver(column(name), "timestamp_ntz"), "naive", "us"
    raise UnfitColumnError(name, f"a date or timestamp field holds {kind.simpleString()}")


def measure(frame: DataFrame, kinds: Mapping[str, str]) -> dict[str, ColumnMeasure]:
    """Counts and moments of every column of ``kinds``, in one aggregation."""
    parts: list[Column] = [f.count(f.lit(1)).alias("rows")]
    zones: dict[str, str] = {}
    units: dict[str, str] = {}
    for i, (name, kind) in enumerate(kinds.items()):
        if kind == "numeric":
            value, held_finite = _number(frame, name), _finite(frame, name)
            parts += [
                f.count(value).alias(f"n{i}"),
                f.count(held_finite).alias(f"finite{i}"),
                f.sum(held_finite).alias(f"total{i}"),
                f.avg(held_finite).alias(f"mean{i}"),
                f.stddev_samp(held_finite).alias(f"std{i}"),
                f.min(held_finite).alias(f"low{i}"),
                f.max(held_finite).alias(f"high{i}"),
            ]
        elif kind == "temporal":
            held, zones[name], units[name] = _temporal(frame, name)
            if held is None:
                parts += [f.lit(0).alias(f"n{i}"), f.lit(None).alias(f"low{i}")]
                parts.append(f.lit(None).alias(f"high{i}"))
            else:
                parts += [f.count(held).alias(f"n{i}"), f.min(held).alias(f"low{i}")]
                parts.append(f.max(held).alias(f"high{i}"))
        else:
            held = _text(frame, name) if kind == "categorical" else column(name)
            parts.append(f.count(held).alias(f"n{i}"))
    row = one(frame.agg(*parts))
    rows = int(row["rows"])
    found: dict[str, ColumnMeasure] = {}
    for i, (name, kind) in enumerate(kinds.items()):
        nulls = rows - int(row[f"n{i}"])
        if kind == "numeric":
            finite = int(row[f"finite{i}"])
            found[name] = ColumnMeasure(
                rows,
                nulls,
                finite=finite,
                total=float(row[f"total{i}"] or 0.0),
                mean=_float(row[f"mean{i}"]),
                std=_float(row[f"std{i}"]) if finite > 1 else None,
                low=_float(row[f"low{i}"]),
                high=_float(row[f"high{i}"]),
            )
        elif kind == "temporal":
            low, high = (_moment(row[f"{end}{i}"], units[name]) for end in ("low", "high"))
            found[name] = ColumnMeasure(rows, nulls, low=low, high=high, zone=zones[name])
        else:
            found[name] = ColumnMeasure(rows, nulls)
    return found


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _moment(value: Any, unit: str) -> Any:
    """A count of ``unit`` since the epoch as the moment the other engines measure."""
    if value is None:
        return None
    return np.datetime64(int(value), "D") if unit == "D" else np.datetime64(int(value), "us")


def order_statistics(
    frame: DataFrame, wanted: Mapping[str, tuple[int, Sequence[int], Sequence[float]]]
) -> dict[str, tuple[list[float], list[float]]]:
    """Exact ranked values and linear quantiles of the finite values, in one aggregation."""
    names = list(wanted)
    held = frame.select(*[_finite(frame, n).alias(f"v{i}") for i, n in enumerate(names)])
    parts: list[Column] = []
    for i, name in enumerate(names):
        count, ranks, probabilities = wanted[name]
        for j, rank in enumerate(ranks):
            # rank r is the smallest value with cumulative share >= p for p in ((r-1)/n, r/n]
            p = (rank - 0.5) / count
            parts.append(
                f.expr(f"percentile_disc({p!r}) WITHIN GROUP (ORDER BY v{i})").alias(f"r{i}_{j}")
            )
        if probabilities:
            at = f.array(*[f.lit(float(p)) for p in probabilities])
            parts.append(f.percentile(f.col(f"v{i}"), at).alias(f"q{i}"))
    row = one(held.agg(*parts)) if parts else None
    found: dict[str, tuple[list[float], list[float]]] = {}
    for i, name in enumerate(names):
        _, ranks, probabilities = wanted[name]
        assert row is not None or not (ranks or probabilities)
        ranked = [float(row[f"r{i}_{j}"]) for j in range(len(ranks))] if row else []
        quantiles = [float(q) for q in row[f"q{i}"]] if row and probabilities else []
        found[name] = (ranked, quantiles)
    return found


def counts_below(frame: DataFrame, edges: Mapping[str, Sequence[float]]) -> dict[str, list[int]]:
    """Per column, the non-null values (infinities included) below each edge: one aggregation."""
    parts: list[Column] = []
    for i, (name, cuts) in enumerate(edges.items()):
        value = _number(frame, name)
        for j, edge in enumerate(cuts):
            parts.append(f.count(f.when(value < f.lit(float(edge)), 1)).alias(f"b{i}_{j}"))
    row = one(frame.agg(*parts)) if parts else None
    return {
        name: [int(row[f"b{i}_{j}"]) for j in range(len(cuts))] if row else []
        for i, (name, cuts) in enumerate(edges.items())
    }


def category_counts(
    frame: DataFrame, name: str, *, top: int, hashed: bool, known: Collection[str]
) -> CategoryCounts:
    """One ``groupBy`` of the values; what comes back is bounded by ``known`` and ``top``."""
    value = _text(frame, name)
    grouped = frame.select(value.alias("value")).where("value IS NOT NULL").groupBy("value")
    counted = grouped.agg(f.count(f.lit(1)).alias("rows"))
    key = f.col("value")
    if hashed:  # as drift.stats.category_key: "sha256:" and the first 16 hex digits
        key = f.concat(f.lit("sha256:"), f.substring(f.sha2(key, 256), 1, 16))
    counted = counted.withColumn("key", key)
    inside = f.col("key").isin(sorted(known)) if known else f.lit(False)
    per_key = counted.where(inside).groupBy("key").agg(f.sum("rows").alias("rows")).collect()
    outside = counted.where(~inside)
    rest = one(outside.agg(f.count(f.lit(1)).alias("distinct"), f.sum("rows").alias("rows")))
    ranked = outside.orderBy(f.desc("rows"), f.asc("value")).limit(top).collect() if top else []
    return CategoryCounts(
        known={str(r["key"]): int(r["rows"]) for r in per_key},
        other_rows=int(rest["rows"] or 0),
        other_distinct=int(rest["distinct"]),
        top=[(str(r["value"]), int(r["rows"])) for r in ranked],
    )


def finite_distribution(
    frame: DataFrame, name: str, limit: int
) -> tuple[list[float], list[int]] | None:
    """Distinct finite values and their rows, ascending; None beyond ``limit`` of them."""
    held = frame.select(_finite(frame, name).alias("value")).where("value IS NOT NULL")
    counted = held.groupBy("value").agg(f.count(f.lit(1)).alias("rows"))
    found = counted.orderBy("value").limit(limit + 1).collect()
    if len(found) > limit:
        return None
    return [float(r["value"]) for r in found], [int(r["rows"]) for r in found]
