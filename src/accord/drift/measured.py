"""Drift statistics of a frame an engine measures where it lies (``engines.base.Measuring``).

A Spark frame may not fit on this machine, so no column is read into it: the engine aggregates
and hands back counts, moments, order statistics and bounded category tables, and the numbers
are the ones ``stats`` takes from a column read whole, within float rounding. A profile costs
three aggregations over the data (counts and moments, order statistics, counts below the bin
edges) plus one ``groupBy`` per text field.

``ks`` needs the current distribution: its distinct finite values with their rows when there
are at most :data:`DISTINCT_LIMIT` (exact), else its values at :data:`sketch.SKETCH_CAPACITY`
evenly spaced ranks, with the rank error that leaves in the report's details.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from accord.drift import sketch
from accord.drift.current import UNSEEN_TRACKED, Current
from accord.drift.metrics import OTHER
from accord.drift.reference import (
    CategoricalStats,
    FieldStats,
    Kind,
    NumericStats,
    OtherStats,
    TemporalStats,
    round_float,
)
from accord.drift.stats import ColumnData, categorical_stats, withheld_stats
from accord.engines.base import ColumnMeasure, Measuring

__all__ = ["DISTINCT_LIMIT", "MeasuredFrame", "measured_profile"]

DISTINCT_LIMIT = 100_000
"""Distinct finite values of a numeric field brought back for an exact ``ks``."""


def _summary(kind: Kind, measured: ColumnMeasure) -> ColumnData:
    extremes = None
    if kind == "temporal" and measured.low is not None:
        extremes = (np.array([measured.low, measured.high]), measured.zone)
    return ColumnData.summary(kind, measured.rows, measured.nulls, extremes=extremes)


def _bins(below: list[int], count: int) -> np.ndarray:
    """Rows per bin from the rows below each edge: before the first, between, from the last."""
    return np.diff(np.array([0, *below, count], dtype=np.int64))


def measured_profile(
    frame: Any,
    engine: Measuring,
    fields: Mapping[str, tuple[Kind, bool]],
    *,
    bins: int,
    quantiles: int,
    max_categories: int,
) -> dict[str, FieldStats]:
    """``stats.build_profile``'s statistics of ``fields`` (name: kind, pii), as aggregations."""
    measured = engine.measure(frame, {name: kind for name, (kind, _) in fields.items()})
    valued = [n for n, (kind, pii) in fields.items() if kind == "numeric" and not pii]
    wanted = {
        n: (
            measured[n].finite,
            [-(-measured[n].finite * k // bins) for k in range(1, bins)],
            np.linspace(0, 1, quantiles).tolist(),
        )
        for n in valued
        if measured[n].finite
    }
    ordered = engine.order_statistics(frame, wanted) if wanted else {}
    edges = {
        n: np.unique(np.array([round_float(e) for e in ordered[n][0]], dtype=np.float64)).tolist()
        for n in ordered
    }
    below = engine.counts_below(frame, {n: e for n, e in edges.items() if e})
    stats: dict[str, FieldStats] = {}
    for name, (kind, pii) in fields.items():
        found = measured[name]
        column = _summary(kind, found)
        nulls = round_float(column.null_fraction)
        if pii and kind in ("numeric", "temporal"):
            stats[name] = withheld_stats(column, kind)
        elif kind == "numeric":
            quantiles_of = [round_float(q) for q in ordered[name][1]] if name in ordered else []
            stats[name] = _numeric(found, edges.get(name, []), below.get(name, []), quantiles_of)
        elif kind == "categorical":
            counted = engine.category_counts(
                frame, name, top=max_categories, hashed=False, known=()
            )
            column.counts = dict(counted.top)
            stats[name] = categorical_stats(
                column, max_categories, hashed=pii, distinct=counted.other_distinct
            )
        elif kind == "temporal":
            low, high = column.bounds
            stats[name] = TemporalStats(null_fraction=nulls, count=column.count, min=low, max=high)
        else:
            stats[name] = OtherStats(null_fraction=nulls, count=column.count)
    return stats


def _numeric(
    found: ColumnMeasure, edges: list[float], below: list[int], quantiles: list[float]
) -> NumericStats:
    count = found.rows - found.nulls
    finite = found.finite

    def rounded(value: float | None) -> float | None:
        return None if value is None else round_float(value)

    return NumericStats(
        null_fraction=round_float(found.nulls / found.rows if found.rows else 0.0),
        count=count,
        bin_edges=[float(e) for e in edges],
        bin_counts=[int(c) for c in _bins(below, count)],
        mean=rounded(found.mean) if finite else None,
        std=rounded(found.std) if finite > 1 else None,
        min=rounded(found.low) if finite else None,
        max=rounded(found.high) if finite else None,
        quantiles=quantiles,
    )


class MeasuredFrame:
    """The current data as ``compare.Measured``, each field summarised by aggregations."""

    def __init__(self, frame: Any, engine: Measuring, rows: int, columns: set[str]) -> None:
        self.frame, self.engine = frame, engine
        self.rows, self.columns = rows, columns

    def current(self, name: str, stats: FieldStats) -> Current:
        found = self.engine.measure(self.frame, {name: stats.kind})[name]
        current = Current(rows=found.rows, nulls=found.nulls)
        if isinstance(stats, NumericStats) and stats.kind == "numeric":
            edges = stats.bin_edges
            below = self.engine.counts_below(self.frame, {name: edges})[name] if edges else []
            current.bin_counts = _bins(below, found.rows - found.nulls)
            current.finite, current.total = found.finite, found.total
            current.sketch = self._distribution(name, found.finite)
        elif isinstance(stats, CategoricalStats) and stats.kind == "categorical":
            counted = self.engine.category_counts(
                self.frame,
                name,
                top=UNSEEN_TRACKED,
                hashed=stats.hashed,
                known=set(stats.frequencies),
            )
            current.kept = {k: c for k, c in counted.known.items() if k != OTHER}
            current.unseen_rows = counted.other_rows
            current.unseen = dict(counted.top)
            current.unseen_trimmed = counted.other_distinct > len(counted.top)
        return current

    def _distribution(self, name: str, finite: int) -> sketch.QuantileSketch:
        empty = np.array([], dtype=np.float64)
        if not finite:
            return sketch.WeightedValues(empty, empty)
        found = self.engine.finite_distribution(self.frame, name, DISTINCT_LIMIT)
        if found is not None:
            values, rows = found
            cumulative = np.cumsum(np.array(rows, dtype=np.float64))
            return sketch.WeightedValues(np.array(values, dtype=np.float64), cumulative)
        # Too many distinct values to bring here: the values at evenly spaced ranks, each
        # standing for the rows since the previous one. Each is interpolated within one rank.
        spacing = math.ceil(finite / sketch.SKETCH_CAPACITY)
        ranks = np.unique(np.minimum(np.arange(1, sketch.SKETCH_CAPACITY + 1) * spacing, finite))
        ranks = np.union1d(ranks, [finite])
        at = [(r - 1) / (finite - 1) if finite > 1 else 0.0 for r in ranks.tolist()]
        values = self.engine.order_statistics(self.frame, {name: (finite, [], at)})[name][1]
        return sketch.WeightedValues(
            np.array(values, dtype=np.float64), ranks.astype(np.float64), error=spacing + 1
        )
