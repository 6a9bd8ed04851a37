"""The bounded summaries: every rank a quantile sketch gives within its stated error, counts of a
frequent-items counter never above the truth nor below it by more than its error."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.drift.sketch import FrequentItems, QuantileSketch, WeightedValues


@settings(max_examples=60)
@given(
    values=st.lists(st.integers(-50, 50) | st.floats(-1e6, 1e6), min_size=1, max_size=3_000),
    batch=st.integers(1, 500),
    capacity=st.integers(1, 64),
)
def test_sketch_ranks_are_within_the_error(values: list[float], batch: int, capacity: int) -> None:
    data = np.array(values, dtype=np.float64)
    sketch = QuantileSketch(capacity)
    for start in range(0, len(data), batch):
        sketch.add(data[start : start + batch])
    ordered = np.sort(data)
    assert sketch.count == len(data)
    points = np.unique(np.concatenate([ordered, ordered + 0.5]))
    below = np.searchsorted(ordered, points, side="left")
    assert np.all(np.abs(sketch.below(points) - below) <= sketch.error)
    ranks = np.arange(1, len(data) + 1)
    found = sketch.at_rank(ranks)
    # the value given for rank r has a true rank range overlapping [r - error, r + error]
    low = np.searchsorted(ordered, found, side="left") + 1
    high = np.searchsorted(ordered, found, side="right")
    assert np.all(low <= ranks + sketch.error)
    assert np.all(high >= ranks - sketch.error)
    _, cumulative = sketch.weighted()
    assert cumulative[-1] == len(data)  # compaction keeps every row's weight


def test_a_small_sketch_is_exact_and_holds_every_value() -> None:
    sketch = QuantileSketch(100)
    sketch.add(np.array([3.0, 1.0, 2.0]))
    sketch.add(np.array([0.5]))
    assert sketch.exact
    assert sketch.values().tolist() == [0.5, 1.0, 2.0, 3.0]


def test_a_large_sketch_stays_small_with_a_small_error() -> None:
    rng = np.random.default_rng(0)
    sketch = QuantileSketch(512)
    for _ in range(100):
        sketch.add(rng.normal(size=10_000))
    held = sum(len(level) for level in sketch.levels)
    assert held < 512 * 2 * len(sketch.levels)
    assert held < 20_000
    assert 0 < sketch.error / sketch.count < 0.01


def test_merging_sketches_adds_the_errors() -> None:
    one, other = QuantileSketch(8), QuantileSketch(8)
    one.add(np.arange(100.0))
    other.add(np.arange(100.0, 300.0))
    error = one.error + other.error
    one.merge(other)
    assert one.count == 300
    assert one.error >= error
    assert abs(one.below(np.array([150.0]))[0] - 150) <= one.error


@settings(max_examples=60)
@given(
    values=st.lists(st.sampled_from("abcdefghij") | st.text(max_size=3), max_size=400),
    batch=st.integers(1, 50),
    capacity=st.integers(1, 12),
)
def test_frequent_items_counts_are_bounded(values: list[str], batch: int, capacity: int) -> None:
    items = FrequentItems(capacity)
    for start in range(0, len(values), batch):
        items.add(Counter(values[start : start + batch]))
    truth = Counter(values)
    assert len(items.counts) <= capacity
    for value, count in truth.items():
        estimate = items.counts.get(value, 0)
        assert count - items.error <= estimate <= count
    assert items.most_distinct <= len(truth)
    if items.exact:
        assert items.counts == dict(truth)
        assert items.most_distinct == len(truth)


@settings(max_examples=60)
@given(st.lists(st.integers(-5, 5), min_size=1, max_size=40))
def test_weighted_values_hold_a_distribution_as_distinct_values_and_rows(data: list[int]) -> None:
    """What an engine hands over from where the data lies: each distinct value with its rows.
    It gives every value back, and the exact median drift reports, as numpy does."""
    from accord.drift.measure import _median

    counted = Counter(data)
    values = np.array(sorted(counted), dtype=np.float64)
    cumulative = np.cumsum([float(counted[v]) for v in sorted(counted)])
    summary = WeightedValues(values, cumulative)
    assert summary.exact and summary.count == len(data)
    assert summary.values().tolist() == sorted(float(x) for x in data)
    assert _median(*summary.weighted()) == float(np.median(data))
    assert WeightedValues(values, cumulative, error=2).exact is False
