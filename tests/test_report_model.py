"""The report model: verdict and summary arithmetic, JSON form, schema, and JSON-safety of data."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import IntEnum
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

import accord.report
from accord.errors import ContractViolation
from accord.report import (
    CODE_DESCRIPTIONS,
    CheckResult,
    Code,
    Example,
    Report,
    Severity,
    Summary,
    Violation,
    build_report,
    load_report_schema,
    report_json_schema,
)
from report_fixtures import STARTED, clean_report, realistic_checks, realistic_report

SRC = Path(accord.report.__file__).resolve().parents[2]
SCHEMA_FILE = SRC / "accord" / "report" / "report.schema.json"
SPEC_CODES = [
    "field.missing",
    "field.unexpected",
    "field.type",
    "field.null",
    "field.unique",
    "check.failed",
    "check.skipped",
    "dataset.row_count",
    "dataset.primary_key",
    "dataset.column_order",
    "dataset.unique",
    "dataset.freshness",
    "dataset.rule",
    "dataset.empty",
    "dataset.duplicate_column",
    "reference.missing",
    "profile.forbidden_field",
    "profile.required_role",
    "drift.psi",
    "drift.ks",
    "drift.mean_shift",
    "drift.null_fraction",
    "drift.unseen_categories",
]


def strict_json(text: str) -> Any:
    """json.loads that refuses the NaN/Infinity tokens Python accepts but JSON does not."""

    def refuse(token: str) -> None:
        raise ValueError(f"non-JSON constant {token}")

    return json.loads(text, parse_constant=refuse)


def violation(severity: Severity = Severity.ERROR, **kwargs: Any) -> Violation:
    values: dict[str, Any] = {"code": Code.CHECK_FAILED, "severity": severity, "message": "bad"}
    return Violation(**(values | kwargs))


# --- codes ---------------------------------------------------------------------------------


def test_codes_are_exactly_the_spec_codes_in_order() -> None:
    assert [c.value for c in Code] == SPEC_CODES


def test_every_code_has_a_one_line_description() -> None:
    assert set(CODE_DESCRIPTIONS) == set(Code)
    for code in Code:
        assert code.description.strip()
        assert "\n" not in code.description


# --- verdict and summary -------------------------------------------------------------------


def test_assemble_computes_summary_and_verdict() -> None:
    report = realistic_report()
    assert not report.passed
    assert report.summary == Summary(
        checks=8, passed=2, failed=5, skipped=1, errors=4, warnings=2, failing_rows=118
    )
    assert [v.code for v in report.errors] == [
        Code.FIELD_MISSING,
        Code.CHECK_FAILED,
        Code.CHECK_FAILED,
        Code.DATASET_RULE,
    ]
    assert len(report.warnings) == 2


@pytest.mark.parametrize(
    ("severities", "fail_on", "passed"),
    [
        ([], "error", True),
        ([Severity.INFO], "warning", True),
        ([Severity.WARNING], "error", True),
        ([Severity.WARNING], "warning", False),
        ([Severity.ERROR, Severity.INFO], "error", False),
    ],
)
def test_verdict_follows_fail_on(severities: list[Severity], fail_on: str, passed: bool) -> None:
    report = realistic_report(violations=[violation(s) for s in severities], fail_on=fail_on)
    assert report.passed is passed


def test_build_report_is_assemble() -> None:
    report = build_report(
        contract=realistic_report().contract,
        profile=None,
        engine="pandas",
        dataset=realistic_report().dataset,
        violations=[],
        checks=[],
        failing_rows=0,
        started_at=STARTED,
        duration_s=0.0,
    )
    assert report.passed
    assert report.summary.checks == 0


def test_an_incomplete_run_never_passes() -> None:
    report = realistic_report(violations=[], complete=False, failing_rows=0)
    assert not report.passed
    with pytest.raises(ContractViolation, match="incomplete"):
        report.raise_for_errors()


def test_a_self_contradicting_report_is_refused() -> None:
    good = realistic_report()
    with pytest.raises(ValidationError, match="contradict"):
        Report(**(dict(good) | {"passed": True}))
    with pytest.raises(ValidationError, match="contradict"):
        Report(**(dict(good) | {"summary": good.summary.model_copy(update={"errors": 0})}))


def test_raise_for_errors() -> None:
    clean_report().raise_for_errors()  # no exception
    report = realistic_report()
    with pytest.raises(ContractViolation) as caught:
        report.raise_for_errors()
    assert caught.value.report is report
    message = str(caught.value)
    assert "transactions@2.1.0" in message
    assert "4 error(s), 2 warning(s), 118 failing row(s)" in message
    assert "field.missing customer_id" in message
    assert "drift.psi" not in message  # warnings do not fail a run with fail_on=error


def test_raise_for_errors_message_has_no_raw_controls() -> None:
    report = realistic_report(violations=[violation(field="a\x1b[2J", message="x\ny")])
    with pytest.raises(ContractViolation) as caught:
        report.raise_for_errors()
    assert "\x1b" not in str(caught.value)
    assert "a\\x1b[2J" in str(caught.value)
    assert "x\\ny" in str(caught.value)


def test_by_field_puts_dataset_first_then_first_appearance() -> None:
    groups = realistic_report().by_field()
    assert [name for name, _ in groups] == [
        None,
        "customer_id",
        "debug_flag",
        "amount",
        "currency",
        "email",
    ]
    assert [v.code for v in dict(groups)["amount"]] == [Code.CHECK_FAILED, Code.DRIFT_PSI]


# --- strictness ----------------------------------------------------------------------------


def test_models_forbid_unknown_keys_and_are_frozen() -> None:
    with pytest.raises(ValidationError, match="extra"):
        violation(severty="error")
    v = violation()
    with pytest.raises(ValidationError, match="frozen"):
        v.message = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"failure_fraction": math.nan},
        {"failure_fraction": 1.5},
        {"failure_count": -1},
        {"contract_line": 0},
        {"code": "field.misssing"},
        {"severity": "fatal"},
    ],
)
def test_violation_rejects_impossible_values(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        violation(**kwargs)


def test_example_rows_are_zero_based_and_non_negative() -> None:
    assert Example(row=0, value=1).row == 0
    with pytest.raises(ValidationError):
        Example(row=-1, value=1)


def test_naive_started_at_is_refused() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        realistic_report(started_at=datetime(2026, 11, 27, 2, 0))


# --- JSON form -----------------------------------------------------------------------------


def test_json_key_order_follows_the_spec() -> None:
    keys = list(strict_json(realistic_report().to_json()))
    assert keys == [
        "report_version",
        "passed",
        "contract",
        "profile",
        "engine",
        "dataset",
        "summary",
        "violations",
        "checks",
        "started_at",
        "duration_s",
        "fail_on",
        "complete",
    ]


def test_started_at_is_utc_with_z() -> None:
    assert realistic_report().to_dict()["started_at"] == "2026-11-27T02:00:00Z"
    paris = datetime(2026, 11, 27, 3, 0, tzinfo=timezone(timedelta(hours=1)))
    assert realistic_report(started_at=paris).to_dict()["started_at"] == "2026-11-27T02:00:00Z"


def test_json_round_trips() -> None:
    report = realistic_report()
    text = report.to_json()
    assert Report.from_json(text) == report
    assert Report.from_json(text.encode()) == report
    assert strict_json(text) == report.to_dict()
    assert "\n" not in report.to_json(indent=None)


def test_json_matches_the_shipped_schema() -> None:
    validator = Draft202012Validator(load_report_schema())
    for report in (realistic_report(), clean_report(), realistic_report(complete=False)):
        validator.validate(strict_json(report.to_json()))


def test_schema_rejects_what_the_model_rejects() -> None:
    validator = Draft202012Validator(load_report_schema())
    data = realistic_report().to_dict()
    data["violations"][0]["code"] = "field.gone"
    assert not validator.is_valid(data)
    data = realistic_report().to_dict()
    data["surprise"] = 1
    assert not validator.is_valid(data)


def test_checked_in_schema_is_up_to_date() -> None:
    checked_in = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert checked_in == report_json_schema(), (
        "src/accord/report/report.schema.json is stale; regenerate it with\n"
        "    python -m accord.report.model > src/accord/report/report.schema.json"
    )
    Draft202012Validator.check_schema(checked_in)


def test_schema_module_main_prints_the_schema() -> None:
    env = os.environ | {"PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-m", "accord.report.model"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert result.stdout == json.dumps(report_json_schema(), indent=2, sort_keys=True) + "\n"


def test_importing_report_stays_light() -> None:
    code = (
        "import sys, accord.report\n"
        "heavy = {'pandas', 'polars', 'pyarrow', 'pandera', 'numpy', 'rich'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    env = os.environ | {"PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"


# --- JSON-safety of data -------------------------------------------------------------------


class FakeNumpyScalar:
    """Quacks like numpy.int64: .item() gives the Python value."""

    def item(self) -> int:
        return 7


class FakeArray:
    """Quacks like a numpy array: .item() fails for size > 1, .tolist() works."""

    def item(self) -> int:
        raise ValueError("can only convert an array of size 1")

    def tolist(self) -> list[float]:
        return [1.0, math.nan]


class Colour(IntEnum):
    RED = 1


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (b"\xff\x00ab", "b'\\xff\\x00ab'"),
        (bytearray(b"x"), "b'x'"),
        (math.nan, "NaN"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (-3.2, -3.2),
        (10**30, 10**30),
        (True, True),
        (None, None),
        (Colour.RED, 1),
        (datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "2026-01-02T03:04:05+00:00"),
        (date(2026, 1, 2), "2026-01-02"),
        (time(3, 4), "03:04:00"),
        (timedelta(hours=26), "1 day, 2:00:00"),
        (Decimal("1.10"), "1.10"),
        (Decimal("NaN"), "NaN"),
        (FakeNumpyScalar(), 7),
        (FakeArray(), [1.0, "NaN"]),
        ({"a": (1, math.inf), 2: {b"k": None}}, {"a": [1, "inf"], "2": {"b'k'": None}}),
        (object, "<class 'object'>"),
    ],
)
def test_example_values_are_coerced_to_json(raw: object, stored: object) -> None:
    example = Example(row=0, value=raw)
    assert example.value == stored
    strict_json(example.model_dump_json())


def test_params_and_details_are_coerced_too() -> None:
    v = violation(params={"min": Decimal("0.5")}, details={"observed": math.nan})
    assert v.params == {"min": "0.5"}
    assert v.details == {"observed": "NaN"}


def test_lone_surrogates_do_not_break_json() -> None:
    v = violation(
        field="col\udcff",
        message="bad \ud800 value",
        examples=[Example(row=1, value="x\udc80y", file="part\udce9.csv")],
    )
    report = realistic_report(violations=[v])
    text = report.to_json()
    text.encode("utf-8")  # strict: would raise on a surrogate
    data = strict_json(text)["violations"][0]
    assert data["field"] == "col\\udcff"
    assert data["examples"][0] == {"row": 1, "value": "x\\udc80y", "file": "part\\udce9.csv"}


def test_split_surrogate_pairs_are_rejoined() -> None:
    assert Example(row=0, value="\ud83d\ude00").value == "\U0001f600"


def test_checks_can_be_rebuilt_from_dicts() -> None:
    checks = [CheckResult.model_validate(c.model_dump()) for c in realistic_checks()]
    assert checks == realistic_checks()
