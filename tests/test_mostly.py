"""``mostly: F`` on row-level checks (SPEC 1.4): passes while at least F of the non-null values
pass, judged exactly at the boundary, with counts reported either way; the same on pandas, polars
and polars batch-wise (two rows a batch), through the command line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.cli.app import main
from accord.run.tolerance import allowed_failures, tolerated

MODES = {
    "pandas": ["--engine", "pandas"],
    "polars": ["--engine", "polars", "--batch-rows", "0"],
    "polars-batched": ["--engine", "polars", "--batch-rows", "2"],
}

CONTRACT = """\
accord: 1
name: scores
version: 1.0.0
fields:
  score:
    type: int64
    nullable: true
    checks:
      - between: {min: 0, max: 100}
        MOSTLY
"""


@pytest.fixture(params=list(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(
    tmp_path: Path,
    mode: str,
    capsys: pytest.CaptureFixture[str],
    mostly: str,
    values: list[str],
) -> tuple[int, dict[str, Any]]:
    contract = tmp_path / "scores.yaml"
    contract.write_text(CONTRACT.replace("MOSTLY", f"mostly: {mostly}" if mostly else ""))
    data = tmp_path / "scores.csv"
    data.write_text("score\n" + "\n".join(values) + "\n")
    capsys.readouterr()
    code = main(["validate", str(contract), str(data), "--format", "json", *MODES[mode]])
    return code, json.loads(capsys.readouterr().out)


def ten_values(failing: int, nulls: int = 0) -> list[str]:
    """Ten non-null values, the first ``failing`` of them out of range, then ``nulls`` nulls."""
    return ["500"] * failing + ["50"] * (10 - failing) + [""] * nulls


def the_violation(report: dict[str, Any]) -> dict[str, Any]:
    [violation] = [v for v in report["violations"] if v["check"] == "between"]
    return violation


def test_failures_within_tolerance_pass_with_counts(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run(tmp_path, mode, capsys, "0.7", ten_values(3, nulls=5))
    assert code == 0
    assert report["passed"] is True
    status = {r["check_id"]: r["status"] for r in report["checks"]}
    assert status["fields.score.checks[0]"] == "passed"
    violation = the_violation(report)
    assert violation["severity"] == "info"
    assert violation["code"] == "check.failed"
    assert violation["failure_count"] == 3
    assert [e["row"] for e in violation["examples"]] == [0, 1, 2]
    assert violation["details"] == {
        "tolerated": True,
        "mostly": 0.7,
        "non_null": 10,  # the five nulls are not counted
        "allowed_failures": 3,
        "pass_fraction": 0.7,
    }
    assert (
        "within tolerance (3 of 10 non-null values fail; mostly 0.7 allows 3"
        in (violation["message"])
    )
    assert report["summary"]["failing_rows"] == 0


def test_failures_beyond_tolerance_fail_with_counts(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run(tmp_path, mode, capsys, "0.7", ten_values(4, nulls=5))
    assert code == 1
    violation = the_violation(report)
    assert violation["severity"] == "error"
    assert violation["failure_count"] == 4
    assert violation["details"]["allowed_failures"] == 3
    assert violation["details"]["non_null"] == 10
    assert "tolerated" not in violation["details"]
    assert violation["message"].endswith(
        "(4 of 10 non-null values fail; mostly 0.7 allows 3 failures)"
    )
    assert report["summary"]["failing_rows"] == 4


def test_boundary_is_exact_where_floats_are_not(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # in floats (1 - 0.9) * 10 is 0.9999999999999998, which would tolerate no failure at all
    assert (1 - 0.9) * 10 < 1
    code, report = run(tmp_path, mode, capsys, "0.9", ten_values(1))
    assert code == 0
    assert the_violation(report)["details"]["allowed_failures"] == 1
    code, _ = run(tmp_path, mode, capsys, "0.9", ten_values(2))
    assert code == 1


def test_without_mostly_every_value_must_pass(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run(tmp_path, mode, capsys, "", ten_values(1))
    assert code == 1
    assert "mostly" not in the_violation(report).get("details", {})
    code, _ = run(tmp_path, mode, capsys, "1", ten_values(1))
    assert code == 1


@pytest.mark.parametrize(
    ("present", "mostly", "allowed"),
    [(10, "0.7", 3), (10, "0.9", 1), (3, "0.5", 1), (0, "0.5", 0), (7, "1", 0), (1, "0.01", 0)],
)
def test_allowed_failures_is_exact(present: int, mostly: str, allowed: int) -> None:
    assert allowed_failures(present, Decimal(mostly)) == allowed
    assert tolerated(allowed, present, Decimal(mostly))
    assert not tolerated(allowed + 1, present, Decimal(mostly))


def test_huge_counts_stay_exact() -> None:
    present = 10**30 + 7  # beyond float precision: (1 - 0.999) * present in floats is off
    assert allowed_failures(present, Decimal("0.999")) == present // 1000


@pytest.mark.parametrize(
    ("checks", "expected"),
    [
        ("[{mean_between: {min: 0}, mostly: 0.9}]", "'mostly' applies to row-level checks"),
        ("[{between: {min: 0}, mostly: 0}]", "greater than 0"),
        ("[{between: {min: 0}, mostly: 1.5}]", "less than or equal to 1"),
        ("[{between: {min: 0}, mostly: '0.9'}]", "mostly"),
    ],
)
def test_bad_mostly_is_a_contract_error_naming_the_line(
    tmp_path: Path, checks: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "bad.yaml"
    contract.write_text(
        f"accord: 1\nname: s\nversion: 1.0.0\nfields:\n  score: {{type: int64, checks: {checks}}}\n"
    )
    capsys.readouterr()
    assert main(["lint", str(contract)]) == 2
    output = capsys.readouterr()
    text = output.out + output.err
    assert expected in text
    assert "bad.yaml:5:" in text


A = "fields.amount"


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [
        (None, 0.9, "relaxed"),  # adding mostly below 1 tolerates failures that failed before
        (0.9, None, "tightened"),
        (0.9, 0.8, "relaxed"),
        (0.8, 0.95, "tightened"),
        (None, 1, None),  # mostly: 1 is the default: no change
    ],
)
def test_diff_knows_which_way_mostly_moves(
    old: float | None, new: float | None, direction: str | None
) -> None:
    from test_diff_support import diff_of, only

    def check(mostly: float | None) -> dict[str, Any]:
        extra = {} if mostly is None else {"mostly": mostly}
        return {f"{A}.checks": [{"between": {"min": 0, "max": 1000}, **extra}]}

    result = diff_of(check(old), check(new))
    if direction is None:
        assert [c for c in result.changes if c.direction != "neutral"] == []
        return
    change = only(result)
    assert (change.path, change.kind, change.direction) == (
        f"{A}.checks[0].mostly",
        "check.param",
        direction,
    )


@pytest.mark.parametrize(("failing", "valid"), [(1, True), (2, False)])
def test_the_compiled_pandera_schema_honours_mostly(engine: str, failing: int, valid: bool) -> None:
    """``accord compile`` / ``to_pandera`` judge a tolerated check as passed, as the runner does."""
    import accord
    from conftest import make_frame

    contract = accord.load(CONTRACT.replace("MOSTLY", "mostly: 0.9"))
    schema = contract.to_pandera(engine)
    values = [500] * failing + [50] * (10 - failing) + [None]
    frame = make_frame(engine, {"score": values}, {"score": "Int64"})
    try:
        schema.validate(frame, lazy=True)
    except Exception as error:  # pandera's SchemaErrors, on either backend
        assert not valid, error
        assert "fields.score.checks[0]" in str(error)
    else:
        assert valid
