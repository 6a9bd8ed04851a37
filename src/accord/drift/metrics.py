"""The drift statistics, as pure numpy functions small enough to check by hand.

Every function compares *current* data with numbers kept in a reference profile (``stats.py``), so
none of them needs the reference data itself. They return plain floats; thresholds and messages
are ``compare.py``'s business.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "OTHER",
    "PSI_EPSILON",
    "ks_statistic",
    "ks_weighted",
    "mean_shift",
    "null_fraction_delta",
    "psi",
    "reference_cdf",
    "unseen_categories",
]

FloatArray = npt.NDArray[np.float64]
Numbers = Sequence[float] | npt.NDArray[Any]
"""Anything numpy reads as a 1-d float vector: a list, or an array of any numeric dtype."""

PSI_EPSILON = 1e-4
"""The fraction an empty bin is given in :func:`psi`.

``ln(q / p)`` is infinite when a bin is empty on one side, so every bin fraction below this is
raised to it (fractions are not renormalised afterwards). 1e-4 is "one row in ten thousand": small
enough that a bin holding a few percent of the rows still dominates the index, large enough that
one stray value in an otherwise empty outer bin adds well under 0.01 at realistic sizes.
"""

OTHER = "__other__"
"""Key of the frequency-table bucket holding the reference rows of categories beyond the cap."""


def psi(ref_counts: Numbers, cur_counts: Numbers) -> float:
    """Population stability index: ``sum((q - p) * ln(q / p))`` over bins.

    ``p`` and ``q`` are the reference and current bin fractions (counts over their totals), each
    raised to at least :data:`PSI_EPSILON`. 0 means identical; above 0.2 is usually read as a
    significant shift. Raises ``ValueError`` when the bins differ in number or a side is empty.
    """
    ref = np.asarray(ref_counts, dtype=np.float64)
    cur = np.asarray(cur_counts, dtype=np.float64)
    if ref.shape != cur.shape or ref.ndim != 1:
        raise ValueError(
            f"psi needs two equal-length count vectors, got {ref.shape} and {cur.shape}"
        )
    if ref.sum() <= 0 or cur.sum() <= 0:
        raise ValueError("psi needs at least one value on each side")
    p = np.maximum(ref / ref.sum(), PSI_EPSILON)
    q = np.maximum(cur / cur.sum(), PSI_EPSILON)
    return float(np.sum((q - p) * np.log(q / p)))


def reference_cdf(
    ref_quantiles: Numbers,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The reference CDF the quantile sketch stands for, as (values, left limits, values at).

    Quantile ``k`` of ``m`` is taken at probability ``k / (m - 1)``. Between distinct quantile
    values the CDF is linear; where several quantiles share a value (a discrete distribution),
    the CDF jumps there from the smallest to the largest of their probabilities, and is
    right-continuous like every CDF.
    """
    q = np.asarray(ref_quantiles, dtype=np.float64)
    if q.ndim != 1 or len(q) < 2 or not np.all(np.diff(q) >= 0):
        raise ValueError("ref_quantiles must be at least 2 non-decreasing values")
    probs = np.linspace(0.0, 1.0, len(q))
    values, first = np.unique(q, return_index=True)
    last = np.append(first[1:] - 1, len(q) - 1)
    return values, probs[first], probs[last]


def _ref_cdf_at(
    points: FloatArray, sketch: tuple[FloatArray, FloatArray, FloatArray]
) -> FloatArray:
    """F_ref(t) (right-continuous) at each point."""
    values, low, high = sketch
    i = np.searchsorted(values, points, side="right")  # number of sketch values <= t
    inside = (i > 0) & (i < len(values))
    j = np.clip(i, 1, len(values) - 1)
    span = values[j] - values[j - 1]
    ratio = np.where(span > 0, (points - values[j - 1]) / np.where(span > 0, span, 1.0), 0.0)
    between = high[j - 1] + ratio * (low[j] - high[j - 1])
    exact = (i > 0) & (values[np.maximum(i - 1, 0)] == points)
    result = np.where(inside, between, np.where(i == 0, 0.0, 1.0))
    return np.where(exact, high[np.maximum(i - 1, 0)], result)


def _ref_cdf_before(
    points: FloatArray, sketch: tuple[FloatArray, FloatArray, FloatArray]
) -> FloatArray:
    """F_ref(t-), the left limit: different from F_ref(t) only at a jump."""
    values, low, _ = sketch
    i = np.searchsorted(values, points, side="left")
    exact = (i < len(values)) & (values[np.minimum(i, len(values) - 1)] == points)
    return np.where(exact, low[np.minimum(i, len(values) - 1)], _ref_cdf_at(points, sketch))


def ks_statistic(ref_quantiles: Numbers, current_values: Numbers) -> float:
    """Approximate two-sample Kolmogorov-Smirnov statistic, in [0, 1].

    ``max |F_ref(t) - F_cur(t)|`` where F_ref comes from the stored quantiles
    (:func:`reference_cdf`) and F_cur is the empirical CDF of ``current_values`` (NaN ignored).
    Both CDFs are evaluated, and approached from the left, at the union of the quantile values and
    the current values: between those points F_cur is flat and F_ref monotone, so that is where
    the supremum lies. The error against the exact two-sample statistic is about one quantile step
    (0.01 with the default 101 quantiles).
    """
    current = np.sort(np.asarray(current_values, dtype=np.float64))
    current = current[~np.isnan(current)]
    if not len(current):
        raise ValueError("ks_statistic needs at least one current value")
    return ks_weighted(ref_quantiles, current, np.arange(1, len(current) + 1, dtype=np.float64))


def ks_weighted(ref_quantiles: Numbers, values: FloatArray, cumulative: FloatArray) -> float:
    """:func:`ks_statistic` of current data given as sorted ``values`` and the cumulative rows
    up to and with each (a summary where one value stands for several rows; all ones is the data
    itself, and the same number)."""
    sketch = reference_cdf(ref_quantiles)
    points = np.union1d(sketch[0], values)
    n = cumulative[-1]
    before = np.concatenate([[0.0], cumulative])
    cur_at = before[np.searchsorted(values, points, side="right")] / n
    cur_before = before[np.searchsorted(values, points, side="left")] / n
    gap_at = np.abs(_ref_cdf_at(points, sketch) - cur_at)
    gap_before = np.abs(_ref_cdf_before(points, sketch) - cur_before)
    return float(max(gap_at.max(), gap_before.max()))


def mean_shift(ref_mean: float, ref_std: float, cur_mean: float) -> float:
    """How far the mean moved, in reference standard deviations: ``|cur - ref| / std``.

    The sign is dropped (thresholds bound the size of the move; reports show its direction). A
    reference with zero spread gives ``inf`` when the mean moved at all and 0 when it did not.
    """
    moved = abs(cur_mean - ref_mean)
    if ref_std == 0 or not np.isfinite(ref_std):
        return 0.0 if moved == 0 else float("inf")
    return float(moved / ref_std)


def null_fraction_delta(ref_fraction: float, cur_fraction: float) -> float:
    """``|cur - ref|``: how far the share of nulls moved, either way."""
    return abs(cur_fraction - ref_fraction)


def unseen_categories(
    ref_freq: Mapping[str, int], current_values: Iterable[str | None] | Mapping[str, int]
) -> float:
    """Fraction of non-null current rows whose category never appeared in the reference.

    ``current_values`` is the values themselves (None is null and left out) or a mapping of value
    to row count. The reference table keeps at most 100 categories; the rest of the reference
    rows are counted under :data:`OTHER`, without their names. A current value missing from the
    table therefore counts as *unseen* only when the table is complete (no ``__other__`` rows):
    when there is such a bucket the value may be one of the dropped categories, and the metric
    gives it the benefit of the doubt. The result is exact for fields of up to 100 categories and
    a lower bound above that, so it never raises a false alarm on a high-cardinality field.
    """
    counts = _counts(current_values)
    total = sum(counts.values())
    if total == 0:
        raise ValueError("unseen_categories needs at least one non-null current value")
    if ref_freq.get(OTHER, 0) > 0:
        return 0.0
    unseen = sum(count for value, count in counts.items() if value not in ref_freq)
    return unseen / total


def _counts(values: Iterable[str | None] | Mapping[str, int]) -> dict[str, int]:
    if isinstance(values, Mapping):
        return {str(k): int(v) for k, v in values.items()}
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return counts
