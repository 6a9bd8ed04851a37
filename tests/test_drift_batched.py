"""Drift of data in batches (``BatchedDrift``) against the same data whole (``evaluate_drift``):
the same report for every metric merged exactly, and ``ks`` within the bound it states once the
batches are sketched; on both engines, over batch sizes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.drift import build_profile, evaluate_drift
from accord.drift.batched import BatchedDrift
from accord.drift.compare import DriftOutcome
from accord.drift.current import UNSEEN_TRACKED
from accord.engines.registry import engine_for
from conftest import ENGINES, make_frame
from drift_samples import CREATED, orders, shop


def _slices(frame: Any, rows: int) -> list[Any]:
    height = len(frame)
    cut = frame.iloc if hasattr(frame, "iloc") else frame
    return [cut[start : start + rows] for start in range(0, max(height, 1), rows)]


def batched(
    frame: Any, contract: Any, reference: Any, rows: int, capacity: int | None = None
) -> DriftOutcome:
    drift = BatchedDrift(contract, reference, engine_for(frame), capacity=capacity)
    for part in _slices(frame, rows):
        drift.add(part)
    return drift.outcome()


def _split_mean(outcome: DriftOutcome) -> tuple[list[Any], list[float]]:
    """The outcome as JSON, with the mean_shift numbers taken out: a mean merged from batch sums
    may differ from a one-pass mean in the last bits (both are rounded to 12 digits)."""
    means: list[float] = []
    dumped = []
    for item in [*outcome.violations, *outcome.checks]:
        data = item.model_dump(mode="json")
        if data.get("check") == "mean_shift" and data.get("details"):
            means += [data["details"].pop("observed"), data["details"].pop("current_mean")]
            data.pop("message", None)  # check results carry details too, but no message
        dumped.append(data)
    return dumped, means


def assert_same(batched_outcome: DriftOutcome, whole: DriftOutcome) -> None:
    got, got_means = _split_mean(batched_outcome)
    want, want_means = _split_mean(whole)
    assert got == want
    assert got_means == pytest.approx(want_means, rel=1e-11)


@settings(max_examples=25)
@given(
    engine=st.sampled_from(ENGINES),
    rows=st.integers(1, 700),
    seed=st.integers(0, 3),
    shift=st.sampled_from([0.0, 1.0]),
)
def test_batched_drift_is_the_whole_runs(engine: str, rows: int, seed: int, shift: float) -> None:
    contract = shop().model
    reference = build_profile(orders(engine, 1_000, seed), contract, created_at=CREATED)
    current = orders(engine, 600, 100 + seed, shift=shift, new_currency=0.2 * shift)
    whole = evaluate_drift(current, contract, reference)
    assert_same(batched(current, contract, reference, rows), whole)
    if shift:  # the drifted data really fails, so failed verdicts are compared too
        assert {v.check for v in whole.violations} >= {"psi", "ks", "mean_shift"}


def _strict(contract: Any) -> Any:
    """The contract with ks threshold 0, so ks is always reported with its details."""
    strict = contract.model_copy(deep=True)
    strict.drift.fields["amount"] = strict.drift.fields["amount"].model_copy(update={"ks": 0.0})
    return strict


def _ks(outcome: DriftOutcome) -> tuple[float, dict[str, Any]]:
    (violation,) = [v for v in outcome.violations if v.check == "ks"]
    return float(violation.details["observed"]), dict(violation.details)


@settings(max_examples=15)
@given(engine=st.sampled_from(ENGINES), rows=st.integers(50, 3_000), capacity=st.integers(8, 200))
def test_sketched_ks_is_within_its_stated_bound(engine: str, rows: int, capacity: int) -> None:
    contract = _strict(shop().model)
    reference = build_profile(orders(engine, 2_000, 5), contract, created_at=CREATED)
    current = orders(engine, 3_000, 6, shift=0.3)
    whole = evaluate_drift(current, contract, reference)
    sketched = batched(current, contract, reference, rows, capacity)
    others = [c for c in sketched.checks if c.check != "ks"]
    assert others == [c for c in whole.checks if c.check != "ks"]  # merged exactly
    ks_whole, _ = _ks(whole)
    ks_batched, details = _ks(sketched)
    assert details["method"] == "sketch"
    assert 0 < details["error_bound"] < 0.5
    assert abs(ks_batched - ks_whole) <= details["error_bound"]


def test_the_sketch_is_named_in_the_report_and_exact_runs_say_nothing(engine: str) -> None:
    contract = shop().model
    reference = build_profile(orders(engine, 2_000, 1), contract, created_at=CREATED)
    current = orders(engine, 3_000, 2, shift=1.0)
    (ks,) = [
        v for v in batched(current, contract, reference, 500, 32).violations if v.check == "ks"
    ]
    assert ks.details["method"] == "sketch"
    assert f"within {ks.details['error_bound']:.2g}" in ks.message
    (whole,) = [
        v for v in evaluate_drift(current, contract, reference).violations if v.check == "ks"
    ]
    assert "method" not in whole.details and "error_bound" not in whole.details


def test_unseen_examples_are_the_most_frequent_when_tracked(engine: str) -> None:
    contract = shop().model
    reference = build_profile(orders(engine, 500, 3), contract, created_at=CREATED)
    new = [f"X{i:05d}" for i in range(UNSEEN_TRACKED + 500)] + ["ZZZ"] * 40 + ["YYY"] * 30
    frame = make_frame(
        engine,
        {
            "order_id": list(range(len(new))),
            "amount": [100.0] * len(new),
            "currency": new,
            "basket": ["small"] * len(new),
            "returned": [False] * len(new),
        },
    )
    whole = list(evaluate_drift(frame, contract, reference).violations)
    (unseen,) = [v for v in whole if v.check == "unseen_categories"]
    assert unseen.details["unseen_examples"][:2] == ["ZZZ", "YYY"]
    parts = list(batched(frame, contract, reference, 97).violations)
    (merged,) = [v for v in parts if v.check == "unseen_categories"]
    # The rows and the fraction stay exact; the examples are ranked among the tracked values.
    assert merged.details["unseen_rows"] == unseen.details["unseen_rows"] == len(new)
    assert merged.details["observed"] == unseen.details["observed"] == 1.0
    assert "examples_method" in merged.details


def test_an_unreadable_field_is_skipped_as_in_a_whole_run() -> None:
    contract = shop().model
    reference = build_profile(orders("polars", 200, 3), contract, created_at=CREATED)
    frame = orders("polars", 200, 4).with_columns(amount=np.array(["x"] * 200))
    whole = evaluate_drift(frame, contract, reference)
    assert_same(batched(frame, contract, reference, 33), whole)
    assert any("cannot be measured" in v.message for v in whole.violations)
