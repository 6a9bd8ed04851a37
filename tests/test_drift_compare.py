"""Drift violations: which fields, which thresholds, severities, evidence, skips and errors."""

from __future__ import annotations

import math
from typing import Any

import pytest

from accord.api import load
from accord.drift import build_profile, drift_violations, evaluate_drift
from accord.drift.reference import ReferenceProfile
from accord.errors import UsageError
from accord.report.codes import Code, Severity
from conftest import make_frame
from drift_samples import CREATED, SHOP, orders, shop


def _reference(engine: str, text: str = SHOP, rows: int = 2_000) -> ReferenceProfile:
    return build_profile(orders(engine, rows, 11), load(text).model, created_at=CREATED)


def _codes(frame: Any, text: str, reference: ReferenceProfile) -> list[tuple[str | None, str]]:
    return [(v.field, str(v.code)) for v in drift_violations(frame, load(text).model, reference)]


def test_psi_violation_carries_a_histogram_and_a_clear_message(engine: str) -> None:
    reference = _reference(engine)
    current = orders(engine, 1_000, 12, shift=1.0)
    psi = next(
        v for v in drift_violations(current, shop().model, reference) if v.code is Code.DRIFT_PSI
    )
    assert psi.field == "amount"
    assert psi.severity is Severity.WARNING
    assert psi.check == "psi"
    assert psi.check_id == "drift.fields.amount.psi"
    assert psi.params == {"psi": 0.2}
    assert psi.message.startswith(f"psi of amount is {psi.details['observed']:.3g} (threshold 0.2)")
    assert psi.message.endswith("the distribution moved away from the reference")
    edges = psi.details["bin_edges"]
    assert isinstance(edges, list)
    assert len(psi.details["reference_fractions"]) == len(edges) + 1
    assert sum(psi.details["current_fractions"]) == pytest.approx(1.0)
    assert psi.details["threshold"] == 0.2


def test_mean_shift_details_and_message(engine: str) -> None:
    reference = _reference(engine)
    stats = reference.fields["amount"]
    current = orders(engine, 1_000, 12, shift=-1.0)
    shift = next(
        v
        for v in drift_violations(current, shop().model, reference)
        if v.code is Code.DRIFT_MEAN_SHIFT
    )
    assert shift.details["reference_mean"] == stats.mean
    assert shift.details["reference_std"] == stats.std
    assert shift.details["current_mean"] < shift.details["reference_mean"]
    assert "mean of amount moved" in shift.message
    assert "reference standard deviations (threshold 0.25)" in shift.message


def test_null_fraction_and_unseen_categories(engine: str) -> None:
    reference = _reference(engine)
    current = make_frame(
        engine,
        {
            "amount": [100.0, None, None, 101.0],
            "currency": ["EUR", "CHF", "CHF", "SEK"],
        },
    )
    found = {str(v.code): v for v in drift_violations(current, shop().model, reference)}
    nulls = found["drift.null_fraction"]
    assert nulls.details["current_null_fraction"] == 0.5
    assert nulls.message == (
        "null fraction of amount moved from 0.00% to 50.00% (delta 0.5, threshold 0.05)"
    )
    unseen = found["drift.unseen_categories"]
    assert unseen.details["observed"] == 0.75
    assert unseen.details["unseen_examples"] == ["CHF", "SEK"]
    assert unseen.details["exact"] is True
    assert unseen.message == (
        "75.0% of non-null currency values are categories the reference never saw "
        "(threshold 0), e.g. 'CHF', 'SEK'"
    )


PII = SHOP.replace("currency: {type: string}", "currency: {type: string, pii: true}")


def test_pii_values_never_appear_in_drift_evidence(engine: str) -> None:
    reference = _reference(engine, PII)
    current = make_frame(engine, {"amount": [100.0], "currency": ["secret-code"]})
    violations = drift_violations(current, load(PII).model, reference)
    unseen = next(v for v in violations if v.code is Code.DRIFT_UNSEEN_CATEGORIES)
    assert unseen.details["unseen_examples"] == ["<redacted>"]
    assert "secret-code" not in str([v.model_dump() for v in violations])


SCOPED = """\
accord: 1
name: scoped
version: 1.0.0
fields:
  id: {type: int64, role: id}
  score: {type: float64, role: prediction}
  feature: {type: float64}
  weight: {type: float64, role: weight}
  note: {type: float64, role: metadata}
drift:
  default: {mean_shift: 0.1}
  fields:
    note: {ks: 0.1}
"""


def test_fields_in_scope_are_features_predictions_and_named_ones(engine: str) -> None:
    columns = {name: [1.0, 2.0, 3.0, 4.0] for name in ("score", "feature", "weight", "note")}
    columns["id"] = [1, 2, 3, 4]
    contract = load(SCOPED).model
    reference = build_profile(make_frame(engine, columns), contract, created_at=CREATED)
    moved = {name: [v + 10 for v in values] for name, values in columns.items()}
    outcome = evaluate_drift(make_frame(engine, moved), contract, reference)
    found = sorted((v.field, str(v.code)) for v in outcome.violations)
    # note is named, so the default applies to it as well as its own ks; weight and id are out
    assert found == [
        ("feature", "drift.mean_shift"),
        ("note", "drift.ks"),
        ("note", "drift.mean_shift"),
        ("score", "drift.mean_shift"),
    ]
    assert {c.field for c in outcome.checks} == {"score", "feature", "note"}


def test_severity_error_from_the_drift_block_or_the_field(engine: str) -> None:
    everywhere = SHOP.replace("drift:\n", "drift:\n  severity: error\n")
    frame = orders(engine, 1_000, 12, shift=2.0)
    violations = drift_violations(frame, load(everywhere).model, _reference(engine))
    assert violations
    assert {v.severity for v in violations} == {Severity.ERROR}
    one_field = SHOP.replace(
        "null_fraction_delta: 0.05}", "null_fraction_delta: 0.05, severity: error}"
    )
    severities = {
        v.field: v.severity
        for v in drift_violations(
            orders(engine, 1_000, 12, shift=2.0, new_currency=0.3),
            load(one_field).model,
            _reference(engine),
        )
    }
    assert severities == {"amount": Severity.ERROR, "currency": Severity.WARNING}


def test_metrics_that_do_not_apply_are_noted_only_when_asked_for_by_name(engine: str) -> None:
    text = SHOP.replace("currency: {unseen_categories: 0.0}", "currency: {ks: 0.1}")
    outcome = evaluate_drift(orders(engine, 500, 12), load(text).model, _reference(engine, text))
    notes = [v for v in outcome.violations if v.code is Code.CHECK_SKIPPED]
    assert [(n.field, n.check, n.severity) for n in notes] == [("currency", "ks", Severity.INFO)]
    assert (
        notes[0].message == "ks of currency not evaluated: ks does not apply to a categorical field"
    )


def test_fields_missing_from_the_reference_are_skipped_with_a_note(engine: str) -> None:
    contract = shop().model
    full = _reference(engine)
    fields = {name: stats for name, stats in full.fields.items() if name != "currency"}
    reference = full.model_copy(update={"fields": fields})  # built before currency existed
    outcome = evaluate_drift(orders(engine, 2_000, 11), contract, reference)
    assert [(v.field, v.code, v.severity) for v in outcome.violations] == [
        ("currency", Code.CHECK_SKIPPED, Severity.INFO)
    ]
    assert "the reference profile has no statistics for it" in outcome.violations[0].message
    skipped = {c.check for c in outcome.checks if c.field == "currency"}
    assert skipped == {"psi", "unseen_categories"}
    assert all(c.status == "skipped" for c in outcome.checks if c.field == "currency")


def test_zero_rows_are_not_evaluable_never_a_pass(engine: str) -> None:
    empty = make_frame(
        engine,
        {"amount": [], "currency": []},
        dtypes={"amount": "float64", "currency": "object"},
    )
    outcome = evaluate_drift(empty, shop().model, _reference(engine))
    assert [(v.field, v.code, v.severity) for v in outcome.violations] == [
        ("amount", Code.CHECK_SKIPPED, Severity.WARNING),
        ("currency", Code.CHECK_SKIPPED, Severity.WARNING),
    ]
    assert {c.status for c in outcome.checks} == {"skipped"}


def test_all_null_current_values_skip_the_value_metrics(engine: str) -> None:
    frame = make_frame(engine, {"amount": [None, None]}, dtypes={"amount": "float64"})
    outcome = evaluate_drift(frame, shop().model, _reference(engine))
    assert [(v.field, str(v.code), v.severity) for v in outcome.violations] == [
        ("amount", "drift.null_fraction", Severity.WARNING),
        ("amount", "check.skipped", Severity.WARNING),
    ]
    assert outcome.violations[1].details["metrics"] == ["psi", "ks", "mean_shift"]


def test_a_reference_of_another_contract_or_major_version_is_refused(engine: str) -> None:
    reference = _reference(engine)
    frame = orders(engine, 2_000, 11)  # the reference's own data: no drift at all
    other = SHOP.replace("name: shop", "name: stock")
    with pytest.raises(UsageError, match=r"made for contract shop@2\.1\.0, not 'stock'"):
        drift_violations(frame, load(other).model, reference)
    major = SHOP.replace("version: 2.1.0", "version: 3.0.0")
    with pytest.raises(UsageError, match=r"another major version than shop@3\.0\.0"):
        drift_violations(frame, load(major).model, reference)
    minor = SHOP.replace("version: 2.1.0", "version: 2.4.1")
    assert drift_violations(frame, load(minor).model, reference) == []


def test_a_column_of_the_wrong_type_is_skipped_not_measured(engine: str) -> None:
    frame = make_frame(engine, {"amount": ["a", "b"]})
    violations = drift_violations(frame, shop().model, _reference(engine))
    assert [(v.field, v.code, v.severity) for v in violations] == [
        ("amount", Code.CHECK_SKIPPED, Severity.INFO)
    ]


def test_zero_spread_reference_makes_any_move_infinite(engine: str) -> None:
    text = SCOPED
    contract = load(text).model
    flat = {"feature": [5.0, 5.0, 5.0]}
    reference = build_profile(make_frame(engine, flat), contract, created_at=CREATED)
    violations = drift_violations(make_frame(engine, {"feature": [5.0, 6.0]}), contract, reference)
    assert violations[0].details["observed"] == "inf"
    assert math.isinf(float(violations[0].details["observed"]))
    assert "moved inf reference standard deviations" in violations[0].message


def test_validate_with_reference_adds_drift_to_summary_and_verdict(engine: str) -> None:
    contract = shop()
    reference = _reference(engine)
    frame = orders(engine, 500, 3, shift=2.0)
    plain = contract.validate(frame)
    outcome = evaluate_drift(frame, contract.model, reference)
    report = contract.validate(frame, reference=reference)
    assert report.passed  # drift is a warning
    assert outcome.violations
    assert report.summary.warnings == plain.summary.warnings + len(outcome.violations)
    assert report.summary.checks == plain.summary.checks + len(outcome.checks)
    assert not contract.validate(frame, reference=reference, fail_on="warning").passed
