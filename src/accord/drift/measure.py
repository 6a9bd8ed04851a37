"""Each drift metric of one field: reference statistics and current column to a number.

``measure`` returns the observed value and the evidence a report shows beside it (bin edges and
both histograms for psi, the two means for mean_shift, ...); ``NotEvaluable`` says why a metric
has no value (no finite values on one side), which the caller reports as skipped, never passed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from accord.drift import metrics
from accord.drift.current import UNSEEN_TRACKED, Current
from accord.drift.reference import CategoricalStats, FieldStats, NumericStats, round_float
from accord.drift.sketch import QuantileSketch

__all__ = ["APPLIES", "METRICS", "NotEvaluable", "measure", "message"]

METRICS = ("psi", "ks", "mean_shift", "null_fraction_delta", "unseen_categories")
APPLIES = {
    "numeric": {"psi", "ks", "mean_shift", "null_fraction_delta"},
    "categorical": {"psi", "unseen_categories", "null_fraction_delta"},
    "temporal": {"null_fraction_delta"},
    "other": {"null_fraction_delta"},
}
_REDACTED = "<redacted>"
_UNSEEN_EXAMPLES = 5
_SHOWN_CHARS = 40  # an example category in a message; the details keep it whole


class NotEvaluable(Exception):  # noqa: N818 - a control-flow signal, never raised to callers
    pass


def _num(value: float) -> str:
    return f"{value:.3g}"


def _fractions(counts: Any) -> list[float]:
    array = np.asarray(counts, dtype=np.float64)
    return [round(float(x), 6) for x in array / max(array.sum(), 1.0)]


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def message(name: str, metric: str, observed: float, threshold: float, d: dict[str, Any]) -> str:
    """One line a person reads in a report: the number, the threshold, and what it means."""
    limit = f"(threshold {threshold:g})"
    if metric == "psi":
        return (
            f"psi of {name} is {_num(observed)} {limit}: the distribution moved away from the "
            "reference"
        )
    if metric == "ks":
        within = (
            f" (within {d['error_bound']:.2g}: batched data is sketched)"
            if "error_bound" in d
            else ""
        )
        return (
            f"ks of {name} is {_num(observed)}{within} {limit}: the shape of the distribution "
            "differs from the reference"
        )
    if metric == "mean_shift":
        return (
            f"mean of {name} moved {_num(observed)} reference standard deviations {limit}: "
            f"{d['reference_mean']:.4g} in the reference, {d['current_mean']:.4g} now"
        )
    if metric == "null_fraction_delta":
        return (
            f"null fraction of {name} moved from {d['reference_null_fraction']:.2%} to "
            f"{d['current_null_fraction']:.2%} (delta {_num(observed)}, threshold {threshold:g})"
        )
    shown = ", ".join(_shown(v) for v in d["unseen_examples"])
    return (
        f"{observed:.1%} of non-null {name} values are categories the reference never saw "
        f"{limit}" + (f", e.g. {shown}" if shown else "")
    )


def _numeric(stats: FieldStats) -> NumericStats:
    assert isinstance(stats, NumericStats)  # APPLIES routes only numeric metrics here
    if stats.values_withheld:
        raise NotEvaluable(
            "the field is pii, so the reference stores no statistic of its values "
            "(only null_fraction_delta can be checked)"
        )
    if stats.count == 0 or not stats.quantiles:
        raise NotEvaluable("the reference has no finite values")
    return stats


def _current_finite(column: Current) -> QuantileSketch:
    if not column.finite:
        raise NotEvaluable(
            "the data has no non-null values"
            if not column.count
            else "the data has no finite values"
        )
    assert column.sketch is not None  # a numeric summary has one
    return column.sketch


def _psi(stats: FieldStats, column: Current, *, pii: bool) -> tuple[float, dict[str, Any]]:
    if isinstance(stats, CategoricalStats):
        return _category_psi(stats, column)
    ref = _numeric(stats)
    if not column.count:
        raise NotEvaluable("the data has no non-null values")
    assert column.bin_counts is not None  # a numeric summary has them
    details = {
        "bin_edges": _REDACTED if pii else ref.bin_edges,  # edges are values of the field
        "reference_fractions": _fractions(ref.bin_counts),
        "current_fractions": _fractions(column.bin_counts),
        "epsilon": metrics.PSI_EPSILON,
    }
    return metrics.psi(ref.bin_counts, column.bin_counts), details


def _category_psi(stats: CategoricalStats, column: Current) -> tuple[float, dict[str, Any]]:
    if stats.count == 0:
        raise NotEvaluable("the reference has no non-null values")
    if column.count == 0:
        raise NotEvaluable("the data has no non-null values")
    # Bins: each category the reference kept, then one for everything else. Current values
    # outside the table (rare in the reference, or new) share that last bin with __other__.
    kept = [k for k in stats.frequencies if k != metrics.OTHER]
    cur_counts = [column.kept.get(k, 0) for k in kept]
    cur_counts.append(column.count - sum(cur_counts))
    ref_counts = [stats.frequencies[k] for k in kept] + [stats.frequencies.get(metrics.OTHER, 0)]
    details = {
        "categories": [*kept, metrics.OTHER],
        "reference_fractions": _fractions(ref_counts),
        "current_fractions": _fractions(cur_counts),
        "epsilon": metrics.PSI_EPSILON,
    }
    return metrics.psi(ref_counts, cur_counts), details


def _median(values: Any, cumulative: Any) -> float:
    """The exact median of sorted values each standing for rows up to its cumulative count (one
    row each in a sketch that holds every value): np.median's number, without repeating them."""
    n = int(cumulative[-1])
    ranks = [(n + 1) // 2, n // 2 + 1] if n % 2 == 0 else [(n + 1) // 2]
    middle = values[np.searchsorted(cumulative, ranks, side="left")]
    return float(np.mean(middle))


def _ks(stats: FieldStats, column: Current, *, pii: bool) -> tuple[float, dict[str, Any]]:
    ref = _numeric(stats)
    sketch = _current_finite(column)
    values, cumulative = sketch.weighted()
    if sketch.exact:
        median = _median(values, cumulative)
    else:
        median = float(sketch.at_rank(np.array([sketch.count / 2]))[0])
    # A median is a value of the field (a reference profiled before the field became pii).
    details: dict[str, Any] = {
        "reference_median": _REDACTED if pii else ref.quantiles[len(ref.quantiles) // 2],
        "current_median": _REDACTED if pii else median,
    }
    if not sketch.exact:
        # Every rank the sketch gives is within error rows of the data's, so each CDF value,
        # and the largest gap between the CDFs, within error / count.
        details["method"] = "sketch"
        details["error_bound"] = math.ceil(sketch.error / sketch.count * 1e6) / 1e6
    return metrics.ks_weighted(ref.quantiles, values, cumulative), details


def _mean_shift(stats: FieldStats, column: Current) -> tuple[float, dict[str, Any]]:
    ref = _numeric(stats)
    assert ref.mean is not None  # a reference with finite values has a mean
    _current_finite(column)
    # Rounded as profiles are: a mean merged from batches may differ in the last bits.
    current = round_float(column.mean)
    std = ref.std or 0.0  # one reference value: no spread, so any move is infinitely far
    details = {"reference_mean": ref.mean, "reference_std": std, "current_mean": current}
    return metrics.mean_shift(ref.mean, std, current), details


def _null_delta(stats: FieldStats, column: Current) -> tuple[float, dict[str, Any]]:
    details = {
        "reference_null_fraction": stats.null_fraction,
        "current_null_fraction": column.null_fraction,
    }
    return metrics.null_fraction_delta(stats.null_fraction, column.null_fraction), details


def _unseen(stats: FieldStats, column: Current, *, pii: bool) -> tuple[float, dict[str, Any]]:
    assert isinstance(stats, CategoricalStats)
    if column.count == 0:
        raise NotEvaluable("the data has no non-null values")
    exact = metrics.OTHER not in stats.frequencies
    # A value missing from a table with an __other__ bucket may be one of the reference's rare
    # categories: it gets the benefit of the doubt (metrics.unseen_categories).
    observed = column.unseen_rows / column.count if exact else 0.0
    hide = pii or stats.hashed
    examples = [v for _, v in column.unseen_ranked()[:_UNSEEN_EXAMPLES]] if exact else []
    details: dict[str, Any] = {
        "unseen_rows": column.unseen_rows if exact else 0,
        "exact": exact,
        "unseen_examples": [_REDACTED if hide else v for v in examples],
    }
    if exact and not column.examples_exact:
        details["examples_method"] = f"most frequent among {UNSEEN_TRACKED} tracked per batch"
    return observed, details


def measure(
    metric: str, stats: FieldStats, column: Current, *, pii: bool
) -> tuple[float, dict[str, Any]]:
    """The observed value of ``metric`` and its evidence; ``NotEvaluable`` when there is none."""
    if metric == "psi":
        return _psi(stats, column, pii=pii)
    if metric == "ks":
        return _ks(stats, column, pii=pii)
    if metric == "mean_shift":
        return _mean_shift(stats, column)
    if metric == "null_fraction_delta":
        return _null_delta(stats, column)
    return _unseen(stats, column, pii=pii)
