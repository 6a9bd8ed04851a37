"""No drift between samples of one distribution; clear drift when the distribution moves.

Realistic sizes (5,000 reference rows, 2,000 current rows) and the SPEC's example thresholds
(psi 0.2, mean_shift 0.25, ks 0.1, unseen_categories 0), over several seeds and both engines.
"""

from __future__ import annotations

import pytest

from accord.drift import build_profile, drift_violations, evaluate_drift
from accord.report.codes import Severity
from drift_samples import CREATED, orders, shop

SEEDS = [0, 1, 2, 3, 4]


@pytest.mark.parametrize("seed", SEEDS)
def test_samples_of_the_same_distribution_do_not_drift(engine: str, seed: int) -> None:
    contract = shop().model
    reference = build_profile(orders(engine, 5_000, seed), contract, created_at=CREATED)
    current = orders(engine, 2_000, 1_000 + seed)
    outcome = evaluate_drift(current, contract, reference)
    assert outcome.violations == []
    statuses = {(c.field, c.check): c.status for c in outcome.checks}
    assert statuses == {
        ("amount", "psi"): "passed",
        ("amount", "ks"): "passed",
        ("amount", "mean_shift"): "passed",
        ("amount", "null_fraction_delta"): "passed",
        ("currency", "psi"): "passed",
        ("currency", "unseen_categories"): "passed",
    }


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_a_shifted_sample_drifts(engine: str, seed: int) -> None:
    contract = shop().model
    reference = build_profile(orders(engine, 5_000, seed), contract, created_at=CREATED)
    current = orders(engine, 2_000, 1_000 + seed, shift=1.0, new_currency=0.2)
    found = {(v.field, str(v.code)) for v in drift_violations(current, contract, reference)}
    assert found == {
        ("amount", "drift.psi"),
        ("amount", "drift.ks"),
        ("amount", "drift.mean_shift"),
        ("currency", "drift.psi"),
        ("currency", "drift.unseen_categories"),
    }


def test_the_shift_is_measured_about_right(engine: str) -> None:
    contract = shop().model
    reference = build_profile(orders(engine, 5_000, 7), contract, created_at=CREATED)
    current = orders(engine, 2_000, 8, shift=1.0, new_currency=0.2)
    by_code = {str(v.code): v for v in drift_violations(current, contract, reference)}
    assert by_code["drift.mean_shift"].details["observed"] == pytest.approx(1.0, abs=0.1)
    assert by_code["drift.ks"].details["observed"] == pytest.approx(0.38, abs=0.05)  # 2Φ(.5)-1
    assert by_code["drift.unseen_categories"].details["observed"] == pytest.approx(0.2, abs=0.03)
    assert all(v.severity is Severity.WARNING for v in by_code.values())
