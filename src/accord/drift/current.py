"""The current data of one field as drift metrics need it, mergeable batch by batch.

A whole run summarises each column once, keeping its values (``ks`` and the median stay exact); a
batched run summarises every batch and merges, holding per field only what its metrics need:

- null and row counts (``null_fraction_delta``), exact;
- counts per reference bin (numeric ``psi``), and sum and count of the finite values
  (``mean_shift``), exact (a merged sum may differ from a one-pass sum in the last bits, so means
  are compared rounded to 12 significant digits, as profiles store them);
- counts per reference category, rows of unseen categories and the most frequent unseen values
  (categorical ``psi``, ``unseen_categories``), exact; the unseen examples are ranked among at most
  :data:`UNSEEN_TRACKED` values;
- a :class:`QuantileSketch` of the finite values (``ks``): exact while small, else within a
  stated number of ranks (``error_bound`` in the details).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from accord.drift.metrics import OTHER
from accord.drift.reference import CategoricalStats, FieldStats, NumericStats
from accord.drift.sketch import QuantileSketch
from accord.drift.stats import ColumnData, category_key

__all__ = ["UNSEEN_TRACKED", "Current", "summarise"]

UNSEEN_TRACKED = 1000
"""Unseen categories counted by value, to name the most frequent as examples."""


@dataclass
class Current:
    """One field of the current data, summarised (see the module docstring)."""

    rows: int = 0
    nulls: int = 0
    bin_counts: np.ndarray | None = None
    """Numeric: rows per reference bin (``NumericStats.bin_edges``), infinities included."""
    finite: int = 0
    total: float = 0.0
    sketch: QuantileSketch | None = None
    kept: dict[str, int] = field(default_factory=dict)
    """Categorical: rows per category of the reference table (``__other__`` aside)."""
    unseen_rows: int = 0
    """Categorical: rows whose category is not in the reference table."""
    unseen: dict[str, int] = field(default_factory=dict)
    """The most frequent unseen values (at most :data:`UNSEEN_TRACKED`) and their rows."""
    unseen_trimmed: bool = False
    parts: int = 1

    @property
    def count(self) -> int:
        return self.rows - self.nulls

    @property
    def null_fraction(self) -> float:
        return self.nulls / self.rows if self.rows else 0.0

    @property
    def mean(self) -> float:
        return self.total / self.finite

    def merge(self, other: Current) -> None:
        """Add ``other``'s rows (a later batch of the same field)."""
        self.rows += other.rows
        self.nulls += other.nulls
        self.finite += other.finite
        self.total += other.total
        self.parts += other.parts
        if self.bin_counts is not None and other.bin_counts is not None:
            self.bin_counts = self.bin_counts + other.bin_counts
        if self.sketch is not None and other.sketch is not None:
            self.sketch.merge(other.sketch)
        for key, count in other.kept.items():
            self.kept[key] = self.kept.get(key, 0) + count
        self.unseen_rows += other.unseen_rows
        for value, count in other.unseen.items():
            self.unseen[value] = self.unseen.get(value, 0) + count
        self.unseen_trimmed |= other.unseen_trimmed
        self._trim()

    def unseen_ranked(self) -> list[tuple[int, str]]:
        """(rows, value) of the tracked unseen values, most frequent first, ties by value."""
        return sorted(((c, v) for v, c in self.unseen.items()), key=lambda i: (-i[0], i[1]))

    @property
    def examples_exact(self) -> bool:
        """Whether the tracked unseen values are the most frequent ones of the whole data: one
        part, or no value ever trimmed."""
        return self.parts == 1 or not self.unseen_trimmed

    def _trim(self) -> None:
        if len(self.unseen) > UNSEEN_TRACKED:
            self.unseen = {v: c for c, v in self.unseen_ranked()[:UNSEEN_TRACKED]}
            self.unseen_trimmed = True


def summarise(column: ColumnData, stats: FieldStats, *, capacity: int | None = None) -> Current:
    """``column`` summarised against ``stats``; ``capacity`` None keeps every finite value."""
    current = Current(rows=column.rows, nulls=column.null_count)
    if isinstance(stats, NumericStats) and column.kind == "numeric":
        edges = np.asarray(stats.bin_edges, dtype=np.float64)
        bins = np.searchsorted(edges, column.values, side="right")
        current.bin_counts = np.bincount(bins, minlength=len(edges) + 1)
        finite = column.values[np.isfinite(column.values)]
        current.finite = len(finite)
        current.total = float(np.sum(finite))
        current.sketch = QuantileSketch(capacity or max(1, len(finite)))
        current.sketch.add(finite)
    elif isinstance(stats, CategoricalStats) and column.kind == "categorical":
        table = stats.frequencies
        for value, count in column.counts.items():
            key = category_key(value, hashed=stats.hashed)
            if key in table and key != OTHER:
                current.kept[key] = current.kept.get(key, 0) + count
            elif key not in table:
                current.unseen_rows += count
                current.unseen[value] = count
        current._trim()
    return current
