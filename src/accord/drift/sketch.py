"""Bounded, mergeable summaries for statistics of data read in batches.

:class:`QuantileSketch` holds a numeric column's distribution in memory that grows with the log of
its length: sorted levels of at most ``2 * capacity`` values, a value at level ``h`` standing for
``2**h`` rows. A full level is compacted: every other value of it moves up a level. A compaction
at level ``h`` moves the rank of any point by at most ``2**h`` rows, so the sum of them
(``error``) bounds how far every rank the sketch gives is from the true one. It is deterministic
(the kept half alternates), unlike randomized sketches (KLL): the same data in the same batches
gives the same statistics, so a stats file committed next to a model does not change from run to
run. Until the first compaction it holds every value and is exact (``error == 0``).

:class:`FrequentItems` counts values with at most ``capacity`` counters (Misra-Gries): beyond
that, the counters are lowered together until enough reach zero, and ``error`` (the total they were
lowered by) bounds how far below its true count any value's count is.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from accord.drift.metrics import FloatArray

__all__ = ["FrequentItems", "QuantileSketch", "WeightedValues"]

SKETCH_CAPACITY = 8192
"""Values a sketch level holds before it is compacted: the rank error stays near
``log2(rows / capacity) / (2 * capacity)`` of the rows (under 0.1% at 50M rows)."""
TRACKED_ITEMS = 10_000
"""Counters of a :class:`FrequentItems`: every value is counted exactly up to this many
distinct values."""

_EMPTY = np.array([], dtype=np.float64)


class QuantileSketch:
    """A deterministic mergeable quantile summary of float values (NaN left to the caller)."""

    def __init__(self, capacity: int = SKETCH_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.levels: list[FloatArray] = []
        self.count = 0
        """Values added."""
        self.error = 0
        """Bound on the rank error, in values, of every rank the sketch gives."""
        self._flip = 0

    @property
    def exact(self) -> bool:
        """Whether the sketch still holds every value (all at level 0)."""
        return self.error == 0

    def add(self, values: FloatArray) -> None:
        """Add a batch of values (in any order)."""
        if len(values):
            self.count += len(values)
            self._insert(0, np.sort(values))

    def merge(self, other: QuantileSketch) -> None:
        """Add everything ``other`` summarises; the error bounds add up."""
        self.count += other.count
        self.error += other.error
        for level, items in enumerate(other.levels):
            if len(items):
                self._insert(level, items)

    def _insert(self, level: int, items: FloatArray) -> None:
        while True:
            if level == len(self.levels):
                self.levels.append(_EMPTY)
            merged = np.sort(np.concatenate([self.levels[level], items]), kind="stable")
            if len(merged) < 2 * self.capacity:
                self.levels[level] = merged
                return
            # An odd value out stays; the rest pair up and one of each pair moves up, standing
            # for both: any rank moves by at most one value of this level's weight.
            paired = len(merged) - len(merged) % 2
            items = merged[self._flip : paired : 2]
            self._flip ^= 1
            self.levels[level] = merged[paired:]
            self.error += 2**level
            level += 1

    def weighted(self) -> tuple[FloatArray, FloatArray]:
        """Sorted values and the cumulative number of rows each stands for up to and with it."""
        if not self.levels:
            return _EMPTY, _EMPTY
        values = np.concatenate(self.levels)
        weights = np.concatenate(
            [np.full(len(items), float(2**h)) for h, items in enumerate(self.levels)]
        )
        order = np.argsort(values, kind="stable")
        return values[order], np.cumsum(weights[order])

    def values(self) -> FloatArray:
        """Every value added, sorted: only while the sketch is exact."""
        if not self.exact:
            raise ValueError("the sketch no longer holds every value")
        return self.levels[0] if self.levels else _EMPTY

    def at_rank(self, ranks: FloatArray) -> FloatArray:
        """The smallest value with at least ``rank`` values at or below it, per rank (1-based,
        clipped to 1 .. count): within ``error`` ranks of the true one."""
        values, cumulative = self.weighted()
        wanted = np.clip(np.asarray(ranks, dtype=np.float64), 1, self.count)
        where = np.searchsorted(cumulative, wanted, side="left")
        return values[np.minimum(where, len(values) - 1)]

    def below(self, points: FloatArray) -> FloatArray:
        """How many values are below each point (within ``error``)."""
        values, cumulative = self.weighted()
        where = np.searchsorted(values, np.asarray(points, dtype=np.float64), side="left")
        return np.concatenate([[0.0], cumulative])[where]


class WeightedValues(QuantileSketch):
    """A distribution handed over summarised (by an engine that measured it where the data
    lies): sorted values, the cumulative rows up to and with each, and how many ranks any rank
    it gives may be off (0: every distinct value with its exact rows)."""

    def __init__(self, values: FloatArray, cumulative: FloatArray, error: int = 0) -> None:
        super().__init__(1)
        self._weighted = (values, cumulative)
        self.count = int(cumulative[-1]) if len(cumulative) else 0
        self.error = error

    def add(self, values: FloatArray) -> None:  # noqa: ARG002 - QuantileSketch.add's
        raise TypeError("a summary handed over whole takes no more values")

    def merge(self, other: QuantileSketch) -> None:  # noqa: ARG002 - as add
        raise TypeError("a summary handed over whole merges with nothing")

    def weighted(self) -> tuple[FloatArray, FloatArray]:
        return self._weighted

    def values(self) -> FloatArray:
        values, cumulative = self._weighted
        if not self.exact:
            raise ValueError("the summary does not hold every value")
        return np.repeat(values, np.diff(np.concatenate([[0.0], cumulative])).astype(np.int64))


class FrequentItems:
    """Counts of text values in bounded memory (Misra-Gries), exact up to ``capacity`` values."""

    def __init__(self, capacity: int = TRACKED_ITEMS) -> None:
        self.capacity = capacity
        self.counts: dict[str, int] = {}
        self.error = 0
        """Bound on how far below its true count any value's count is."""
        self.most_distinct = 0
        """The most distinct values known at once: the number of distinct values when
        ``error`` is 0, a lower bound on it otherwise."""

    @property
    def exact(self) -> bool:
        return self.error == 0

    def add(self, counts: Mapping[str, int]) -> None:
        """Add a batch's value counts."""
        for value, count in self._pruned(dict(counts)).items():
            self.counts[value] = self.counts.get(value, 0) + count
        self.most_distinct = max(self.most_distinct, len(self.counts), len(counts))
        self.counts = self._pruned(self.counts)

    def _pruned(self, counts: dict[str, int]) -> dict[str, int]:
        if len(counts) <= self.capacity:
            return counts
        # Lower every counter by the (capacity + 1)-th largest count: at least one more than
        # capacity counters reach zero and go, and no value loses more than that.
        ordered = np.sort(np.fromiter(counts.values(), dtype=np.int64, count=len(counts)))
        lowered = int(ordered[-(self.capacity + 1)])
        self.error += lowered
        return {v: c - lowered for v, c in counts.items() if c > lowered}
