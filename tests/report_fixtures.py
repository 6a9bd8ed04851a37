"""Report fixtures shared by the report tests: one realistic failing run, one clean run."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from accord.report import (
    CheckResult,
    Code,
    ContractRef,
    DatasetInfo,
    Example,
    Report,
    Severity,
    Violation,
)

STARTED = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
CONTRACT = ContractRef(name="transactions", version="2.1.0", path="contracts/transactions.yaml")
DATASET = DatasetInfo(sources=["extract/2026-11-26.parquet"], rows=1_204_331, columns=12)


def realistic_violations() -> list[Violation]:
    """The violations of a nightly run that lost a column and has a few bad values."""
    return [
        Violation(
            code=Code.FIELD_MISSING,
            severity=Severity.ERROR,
            field="customer_id",
            check="required",
            check_id="fields.customer_id.required",
            message="required field 'customer_id' is missing",
            contract_line=31,
        ),
        Violation(
            code=Code.FIELD_UNEXPECTED,
            severity=Severity.INFO,
            field="debug_flag",
            message="column 'debug_flag' is not in the contract (columns: open)",
        ),
        Violation(
            code=Code.CHECK_FAILED,
            severity=Severity.ERROR,
            field="amount",
            check="between",
            check_id="fields.amount.checks[0]",
            params={"min": 0, "max": 1_000_000},
            failure_count=117,
            failure_fraction=0.0000971,
            examples=[
                Example(row=5120, value=-3.2),
                Example(row=9001, value=-0.01),
                Example(row=77_310, value=1_250_000.0),
                Example(row=90_002, value=-12.5),
            ],
            contract_line=44,
            message="117 values outside [0, 1000000]",
        ),
        Violation(
            code=Code.CHECK_FAILED,
            severity=Severity.ERROR,
            field="currency",
            check="in",
            check_name="iso_currency",
            check_id="fields.currency.checks[0]",
            params={"in": ["EUR", "USD", "GBP", "JPY"]},
            failure_count=1,
            failure_fraction=0.00000083,
            examples=[Example(row=12, value="usd | eur")],
            contract_line=52,
            message="1 value not in {EUR, USD, GBP, JPY}",
        ),
        Violation(
            code=Code.CHECK_FAILED,
            severity=Severity.WARNING,
            field="email",
            check="pattern",
            check_id="fields.email.checks[0]",
            params={"pattern": "^[^@]+@[^@]+$"},
            failure_count=2,
            failure_fraction=0.0000017,
            examples=[Example(row=40, value="<redacted>"), Example(row=41, value="<redacted>")],
            contract_line=66,
            message="2 values do not match ^[^@]+@[^@]+$",
        ),
        Violation(
            code=Code.DATASET_RULE,
            severity=Severity.ERROR,
            check="rule",
            check_name="refund_has_parent",
            check_id="dataset.rules[0]",
            failure_count=1,
            failure_fraction=0.00000083,
            examples=[Example(row=300, value={"amount": -5.0, "parent_id": None})],
            contract_line=24,
            message="1 row fails 'amount >= 0 or parent_id is not null'",
            details={"null_skipped": 0},
        ),
        Violation(
            code=Code.DRIFT_PSI,
            severity=Severity.WARNING,
            field="amount",
            check="psi",
            check_id="drift.fields.amount.psi",
            message="PSI 0.31 above threshold 0.1",
            contract_line=80,
            details={"observed": 0.31, "threshold": 0.1},
        ),
    ]


def realistic_checks() -> list[CheckResult]:
    """The check results matching :func:`realistic_violations` plus passes and one skip."""
    err, warn = Severity.ERROR, Severity.WARNING
    return [
        CheckResult(
            check_id="fields.transaction_id.type",
            field="transaction_id",
            check="type",
            status="passed",
            severity=err,
            contract_line=36,
        ),
        CheckResult(
            check_id="fields.amount.checks[0]",
            field="amount",
            check="between",
            status="failed",
            severity=err,
            contract_line=44,
        ),
        CheckResult(
            check_id="fields.amount.checks[1]",
            field="amount",
            check="max_null_fraction",
            status="passed",
            severity=err,
            contract_line=45,
        ),
        CheckResult(
            check_id="fields.currency.checks[0]",
            field="currency",
            check="in",
            status="failed",
            severity=err,
            contract_line=52,
        ),
        CheckResult(
            check_id="fields.country.checks[0]",
            field="country",
            check="pattern",
            status="skipped",
            severity=err,
            contract_line=57,
            reason="column 'country' has the wrong type",
        ),
        CheckResult(
            check_id="fields.email.checks[0]",
            field="email",
            check="pattern",
            status="failed",
            severity=warn,
            contract_line=66,
        ),
        CheckResult(
            check_id="dataset.rules[0]",
            field=None,
            check="rule",
            status="failed",
            severity=err,
            contract_line=24,
        ),
        CheckResult(
            check_id="drift.fields.amount.psi",
            field="amount",
            check="psi",
            status="failed",
            severity=warn,
            contract_line=80,
        ),
    ]


def realistic_report(**overrides: Any) -> Report:
    """A failing report from a serving-profile run on polars; keyword arguments override."""
    values: dict[str, Any] = {
        "contract": CONTRACT,
        "profile": "serving",
        "engine": "polars",
        "dataset": DATASET,
        "violations": realistic_violations(),
        "checks": realistic_checks(),
        "failing_rows": 118,
        "started_at": STARTED,
        "duration_s": 1.84,
    }
    values.update(overrides)
    return Report.assemble(**values)


def clean_report() -> Report:
    """A passing run: every check passed, nothing to report."""
    return realistic_report(
        violations=[],
        checks=[c.model_copy(update={"status": "passed"}) for c in realistic_checks()],
        failing_rows=0,
    )
