"""``accord profile`` of data read in batches: reference statistics in bounded memory.

Each batch's columns are summarised and merged: counts, null counts, sums and squared deviations
(mean and standard deviation by Chan's parallel update), extremes, a :class:`QuantileSketch` of
each numeric field's finite values and a :class:`FrequentItems` of each categorical field's
values. While a sketch still holds every value (small data) the statistics are those
``build_profile`` takes of the whole frame; beyond that, quantiles, bin edges and bin counts come
from the sketch and the field says so (``"method": "sketch"`` and its ``rank_error``), as does a
categorical field with more distinct values than the counter holds (``count_error``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.contract.model import ContractModel
from accord.drift import sketch
from accord.drift.reference import (
    ContractId,
    FieldStats,
    Kind,
    NumericStats,
    OtherStats,
    ReferenceProfile,
    TemporalStats,
    round_float,
)
from accord.drift.sketch import FrequentItems, QuantileSketch
from accord.drift.stats import (
    BINS,
    MAX_CATEGORIES,
    QUANTILES,
    ColumnData,
    categorical_stats,
    iso_bounds,
    kind_of,
    merged_extremes,
    numeric_stats,
    read_column,
    withheld_stats,
)
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.engines.base import Engine

__all__ = ["ProfileBuilder"]


class _Field:
    """One field's statistics so far."""

    def __init__(self, kind: Kind, *, pii: bool, capacity: int) -> None:
        self.kind, self.pii = kind, pii
        self.rows = self.nulls = 0
        self.sketch = QuantileSketch(capacity)
        self.infinite = [0, 0]  # -inf and +inf: they land in the outer bins
        self.finite, self.mean, self.squares = 0, 0.0, 0.0
        self.low, self.high = math.inf, -math.inf
        self.items = FrequentItems(sketch.TRACKED_ITEMS)
        self.extremes: tuple[Any, str] | None = None

    def add(self, column: ColumnData) -> None:
        self.rows += column.rows
        self.nulls += column.null_count
        if self.kind == "numeric" and not self.pii:
            self._numbers(column.values)
        elif self.kind == "categorical":
            self.items.add(column.counts)
        elif self.kind == "temporal" and not self.pii:
            self.extremes = merged_extremes(self.extremes, column.extremes)

    def _numbers(self, values: Any) -> None:
        finite = values[np.isfinite(values)]
        self.infinite[0] += int(np.count_nonzero(values == -np.inf))
        self.infinite[1] += int(np.count_nonzero(values == np.inf))
        self.sketch.add(finite)
        if not len(finite):
            return
        n, mean = len(finite), float(np.mean(finite))
        squares = float(np.sum((finite - mean) ** 2))
        total = self.finite + n
        delta = mean - self.mean
        self.mean += delta * n / total
        self.squares += squares + delta * delta * self.finite * n / total
        self.finite = total
        self.low, self.high = (
            min(self.low, float(finite.min())),
            max(self.high, float(finite.max())),
        )

    def stats(self, bins: int, quantiles: int, cap: int) -> FieldStats:
        column = ColumnData.summary(self.kind, self.rows, self.nulls, extremes=self.extremes)
        if self.pii and self.kind in ("numeric", "temporal"):
            return withheld_stats(column, self.kind)
        if self.kind == "numeric":
            if self.sketch.exact and sum(self.infinite) < 2 * self.sketch.capacity:
                low = np.full(self.infinite[0], -np.inf)
                high = np.full(self.infinite[1], np.inf)
                column.values = np.concatenate([low, self.sketch.values(), high])
                return numeric_stats(column, bins, quantiles)
            if not self.sketch.count:  # infinities only: nothing to take quantiles of
                return NumericStats(
                    null_fraction=round_float(column.null_fraction),
                    count=column.count,
                    bin_edges=[],
                    bin_counts=[column.count],
                    mean=None,
                    std=None,
                    min=None,
                    max=None,
                    quantiles=[],
                )
            return self._sketched(bins, quantiles)
        if self.kind == "categorical":
            column.counts = self.items.counts
            if self.items.exact:
                return categorical_stats(column, cap, hashed=self.pii)
            return categorical_stats(
                column,
                cap,
                hashed=self.pii,
                distinct=self.items.most_distinct,
                error=self.items.error,
            )
        nulls = round_float(column.null_fraction)
        if self.kind == "temporal":
            first, last = iso_bounds(self.extremes)
            return TemporalStats(null_fraction=nulls, count=column.count, min=first, max=last)
        return OtherStats(null_fraction=nulls, count=column.count)

    def _sketched(self, bins: int, quantiles: int) -> NumericStats:
        summary, n = self.sketch, self.sketch.count
        # As numeric_stats: the k-th decile is the smallest value with at least n * k / bins
        # values at or below it, here as the sketch ranks them.
        deciles = summary.at_rank(np.array([-(-n * k // bins) for k in range(1, bins)]))
        edges = np.unique(np.array([round_float(e) for e in deciles]))
        probabilities = np.linspace(0, 1, quantiles)
        sketched = np.clip(summary.at_rank(np.ceil(probabilities * n)), self.low, self.high)
        sketched[0], sketched[-1] = self.low, self.high  # the extremes are known exactly
        below = summary.below(edges).astype(np.int64)
        counts = np.diff(np.concatenate([[0], below, [n]]))
        counts[0] += self.infinite[0]
        counts[-1] += self.infinite[1]
        std = math.sqrt(self.squares / (n - 1)) if n > 1 else None
        return NumericStats(
            null_fraction=round_float(self.nulls / self.rows),
            count=self.rows - self.nulls,
            bin_edges=[float(e) for e in edges],
            bin_counts=[int(c) for c in counts],
            mean=round_float(self.mean),
            std=round_float(std) if std is not None else None,
            min=round_float(self.low),
            max=round_float(self.high),
            quantiles=[round_float(q) for q in np.maximum.accumulate(sketched)],
            method="sketch",
            rank_error=math.ceil(summary.error / n * 1e6) / 1e6,
        )


class ProfileBuilder:
    """:func:`build_profile` over batches: :meth:`add` each, then :meth:`profile`."""

    def __init__(
        self,
        contract: ContractModel,
        engine: Engine,
        *,
        profile: str | None = None,
        bins: int = BINS,
        quantiles: int = QUANTILES,
        max_categories: int = MAX_CATEGORIES,
        capacity: int | None = None,
    ) -> None:
        contract.check_profile(profile)
        if bins < 1 or quantiles < 2 or max_categories < 1:
            raise UsageError("bins >= 1, quantiles >= 2 and max_categories >= 1 are required")
        self.contract, self.engine, self.profile_name = contract, engine, profile
        self.bins, self.quantiles, self.max_categories = bins, quantiles, max_categories
        self.capacity = capacity or sketch.SKETCH_CAPACITY  # read now: tests lower it
        self.model = contract.apply_profile(profile)
        self.rows = 0
        self._fields: dict[str, _Field] | None = None

    def add(self, frame: Any) -> None:
        """Summarise one batch (a frame ``engine`` holds, with the same columns as the rest)."""
        self.rows += self.engine.height(frame)
        present = set(self.engine.columns(frame))
        if self._fields is None:
            self._fields = {
                name: _Field(kind_of(spec.type), pii=spec.pii, capacity=self.capacity)
                for name, spec in self.model.fields.items()
                if name in present  # an optional field the data does not have: not described
            }
        for name, field in self._fields.items():
            try:
                column = read_column(frame, name, field.kind, self.engine)
            except TypeError as error:
                spec = self.model.fields[name]
                raise UsageError(
                    f"cannot profile field '{name}' ({spec.type}): {error}; validate the data "
                    "with `accord validate` first"
                ) from None
            field.add(column)

    def profile(self, created_at: dt.datetime | None = None) -> ReferenceProfile:
        """The reference statistics of every batch added."""
        fields = self._fields or {}
        stats = {
            name: field.stats(self.bins, self.quantiles, self.max_categories)
            for name, field in fields.items()
        }
        return ReferenceProfile(
            contract=ContractId(name=self.contract.name, version=self.contract.version),
            profile=self.profile_name,
            created_at=created_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
            rows=self.rows,
            fields=stats,
        )
