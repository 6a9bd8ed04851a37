"""Every drift metric against values worked out by hand, plus the invariants they must keep."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.drift.metrics import (
    OTHER,
    PSI_EPSILON,
    ks_statistic,
    mean_shift,
    null_fraction_delta,
    psi,
    reference_cdf,
    unseen_categories,
)

# -- psi ---------------------------------------------------------------------------------------


def test_psi_by_hand() -> None:
    # p = (.5, .5), q = (.25, .75): (-.25) ln(.5) + (.25) ln(1.5) = .25 ln 3
    assert psi([50, 50], [25, 75]) == pytest.approx(0.25 * math.log(3))
    assert psi([50, 50], [25, 75]) == pytest.approx(0.274653, abs=1e-6)


def test_psi_of_identical_fractions_is_zero_whatever_the_counts() -> None:
    assert psi([10, 30, 60], [1, 3, 6]) == pytest.approx(0.0)


def test_psi_gives_an_empty_bin_epsilon() -> None:
    # p = (1, 0 -> 1e-4), q = (.5, .5): (.5 - 1) ln(.5) + (.5 - 1e-4) ln(.5 / 1e-4)
    expected = -0.5 * math.log(0.5) + (0.5 - PSI_EPSILON) * math.log(0.5 / PSI_EPSILON)
    assert psi([100, 0], [50, 50]) == pytest.approx(expected)
    assert psi([100, 0], [50, 50]) == pytest.approx(4.604319, abs=1e-6)


@pytest.mark.parametrize(("ref", "cur"), [([1, 2], [1, 2, 3]), ([0, 0], [1, 1]), ([1, 1], [0, 0])])
def test_psi_refuses_mismatched_or_empty_counts(ref: list[int], cur: list[int]) -> None:
    with pytest.raises(ValueError, match="psi needs"):
        psi(ref, cur)


@given(
    st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(any),
    st.data(),
)
def test_psi_is_non_negative_and_symmetric(ref: list[int], data: st.DataObject) -> None:
    cur = data.draw(st.lists(st.integers(0, 1000), min_size=len(ref), max_size=len(ref)))
    if not any(cur):
        cur[0] = 1
    assert psi(ref, cur) >= -1e-12
    assert psi(ref, cur) == pytest.approx(psi(cur, ref))
    assert psi(ref, ref) == pytest.approx(0.0, abs=1e-12)


# -- ks ----------------------------------------------------------------------------------------


def test_ks_against_a_uniform_reference_by_hand() -> None:
    uniform = [0.0, 1.0]  # quantiles at probabilities 0 and 1: F_ref(t) = t on [0, 1]
    assert ks_statistic(uniform, [0.25, 0.75]) == pytest.approx(0.25)
    assert ks_statistic(uniform, [0.5, 0.5]) == pytest.approx(0.5)
    assert ks_statistic(uniform, [2.0, 3.0]) == pytest.approx(1.0)
    assert ks_statistic(uniform, [-1.0]) == pytest.approx(1.0)


def test_ks_on_a_discrete_reference_uses_the_jumps() -> None:
    # quantiles at 0, .25, .5, .75, 1: F_ref jumps 0 -> .5 at 0 and .75 -> 1 at 1.
    sketch = [0.0, 0.0, 0.0, 1.0, 1.0]
    values, left, right = reference_cdf(sketch)
    assert values.tolist() == [0.0, 1.0]
    assert left.tolist() == [0.0, 0.75]
    assert right.tolist() == [0.5, 1.0]
    # current: half 0, half 1. At 0 both CDFs are .5; just below 1, F_ref is .75 and F_cur .5.
    assert ks_statistic(sketch, [0, 0, 1, 1]) == pytest.approx(0.25)


def test_ks_ignores_nan_and_needs_a_value() -> None:
    assert ks_statistic([0.0, 1.0], [0.25, float("nan"), 0.75]) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="at least one current value"):
        ks_statistic([0.0, 1.0], [float("nan")])
    with pytest.raises(ValueError, match="non-decreasing"):
        ks_statistic([1.0, 0.0], [0.5])


def _exact_two_sample_ks(a: np.ndarray, b: np.ndarray) -> float:
    points = np.union1d(a, b)
    fa = np.searchsorted(np.sort(a), points, side="right") / len(a)
    fb = np.searchsorted(np.sort(b), points, side="right") / len(b)
    return float(np.abs(fa - fb).max())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ks_from_101_quantiles_is_within_a_quantile_step_of_the_exact_statistic(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    reference = rng.normal(0, 1, 5_000)
    current = rng.normal(0.3, 1.2, 2_000)
    sketch = np.quantile(reference, np.linspace(0, 1, 101))
    approximate = ks_statistic(sketch, current)
    assert approximate == pytest.approx(_exact_two_sample_ks(reference, current), abs=0.015)


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=50))
def test_ks_is_a_fraction(values: list[float]) -> None:
    assert 0.0 <= ks_statistic([-1.0, 0.0, 2.0], values) <= 1.0


# -- mean shift, null fraction -----------------------------------------------------------------


def test_mean_shift_in_reference_standard_deviations() -> None:
    assert mean_shift(10.0, 2.0, 13.0) == pytest.approx(1.5)
    assert mean_shift(10.0, 2.0, 7.0) == pytest.approx(1.5)  # the size of the move, either way
    assert mean_shift(5.0, 0.0, 5.0) == 0.0
    assert mean_shift(5.0, 0.0, 6.0) == math.inf


def test_null_fraction_delta_either_way() -> None:
    assert null_fraction_delta(0.10, 0.25) == pytest.approx(0.15)
    assert null_fraction_delta(0.30, 0.10) == pytest.approx(0.20)
    assert null_fraction_delta(0.0, 0.0) == 0.0


# -- unseen categories -------------------------------------------------------------------------


def test_unseen_categories_counts_rows_not_categories() -> None:
    reference = {"a": 3, "b": 1}
    # non-null rows: a, c, c, b -> 2 of 4 are a category the reference never held
    assert unseen_categories(reference, ["a", "c", "c", None, "b"]) == pytest.approx(0.5)
    assert unseen_categories(reference, {"a": 1, "c": 3}) == pytest.approx(0.75)
    assert unseen_categories(reference, ["a", "b"]) == 0.0


def test_unseen_categories_gives_the_other_bucket_the_benefit_of_the_doubt() -> None:
    # "z" may be one of the categories dropped beyond the cap: it does not count as unseen.
    assert unseen_categories({"a": 3, OTHER: 2}, ["z", "z", "a"]) == 0.0
    assert unseen_categories({"a": 3, OTHER: 0}, ["z", "z", "a"]) == pytest.approx(2 / 3)


def test_unseen_categories_needs_a_non_null_value() -> None:
    with pytest.raises(ValueError, match="non-null"):
        unseen_categories({"a": 1}, [None, None])
