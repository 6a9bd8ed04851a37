"""min_between, max_between and unique_fraction_between (SPEC 1.4): the same verdicts, counts
and observed values on pandas, on polars and on polars batch-wise (two rows a batch, so every
statistic spans batches), through the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli.app import main

MODES = {
    "pandas": ["--engine", "pandas"],
    "polars": ["--engine", "polars", "--batch-rows", "0"],
    "polars-batched": ["--engine", "polars", "--batch-rows", "2"],
}

HEAD = """\
accord: 1
name: readings
version: 1.0.0
fields:
  n: {type: int64, nullable: true, checks: [CHECKS_N]}
  x: {type: float64, nullable: true, checks: [CHECKS_X]}
  day: {type: date, nullable: true, checks: [CHECKS_DAY]}
  at: {type: timestamp, tz: UTC, nullable: true, checks: [CHECKS_AT]}
  code: {type: string, nullable: true, checks: [CHECKS_CODE]}
"""
ROWS = [
    "n,x,day,at,code",
    "3,0.5,2026-01-03,2026-01-03T10:00:00Z,a",
    ",-1.5,2026-01-01,2026-01-01T00:00:00Z,b",
    "7,,2026-01-09,,b",
    "1,2.0,,2026-01-02T12:00:00Z,",
    "5,NaN,2026-01-05,2026-01-05T00:00:00Z,c",
]


def contract_text(**checks: str) -> str:
    text = HEAD
    for name in ("n", "x", "day", "at", "code"):
        text = text.replace(f"CHECKS_{name.upper()}", checks.get(name, ""))
    return text


def run(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str], **checks: str
) -> tuple[int, dict[str, Any]]:
    contract = tmp_path / "readings.yaml"
    contract.write_text(contract_text(**checks))
    data = tmp_path / "readings.csv"
    data.write_text("\n".join(ROWS) + "\n")
    capsys.readouterr()
    code = main(["validate", str(contract), str(data), "--format", "json", *MODES[mode]])
    out = capsys.readouterr().out
    return code, json.loads(out)


def failed(report: dict[str, Any]) -> list[tuple[str | None, str, Any]]:
    return [
        (v["field"], v["check"], v.get("details", {}).get("observed"))
        for v in report["violations"]
        if v["code"] == "check.failed"
    ]


@pytest.fixture(params=list(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_bounds_that_hold_pass(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run(
        tmp_path,
        mode,
        capsys,
        n="{min_between: {min: 1, max: 1}}, {max_between: {min: 7, max: 7}}",
        x="{min_between: {min: -1.5, max: -1.5}}, {max_between: {max: 2.0}}",
        day="{min_between: {min: 2026-01-01}}, {max_between: {max: 2026-01-09}}",
        at="{max_between: {min: '2026-01-05T00:00:00Z', max: '2026-01-05T00:00:00Z'}}",
        code="{unique_fraction_between: {min: 0.75, max: 0.75}}",
    )
    assert failed(report) == []
    assert code == 0
    statuses = {r["check_id"]: r["status"] for r in report["checks"]}
    assert statuses["fields.code.checks[0]"] == "passed"
    assert statuses["fields.day.checks[1]"] == "passed"


def test_bounds_that_do_not_hold_fail_with_the_observed_value(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run(
        tmp_path,
        mode,
        capsys,
        n="{min_between: {min: 2}}, {max_between: {max: 6}}",
        x="{min_between: {min: -1.0}}",
        day="{max_between: {max: 2026-01-08}}",
        at="{min_between: {min: '2026-01-01T00:00:01Z'}}",
        code="{unique_fraction_between: {min: 0.8}}",
    )
    assert code == 1
    found = failed(report)
    assert [(f, c) for f, c, _ in found] == [
        ("n", "min_between"),
        ("n", "max_between"),
        ("x", "min_between"),
        ("day", "max_between"),
        ("at", "min_between"),
        ("code", "unique_fraction_between"),
    ]
    observed = {(f, c): o for f, c, o in found}
    assert observed[("n", "min_between")] == 1
    assert observed[("n", "max_between")] == 7
    assert observed[("x", "min_between")] == -1.5
    assert observed[("code", "unique_fraction_between")] == 0.75
    messages = [v["message"] for v in report["violations"] if v["code"] == "check.failed"]
    assert messages[0] == "smallest value of n is 1, expected [2, inf]"
    assert messages[3].startswith("largest value of day is 2026-01-09, expected")


def test_all_null_column_is_not_evaluable(
    tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows_null = ["n,x,day,at,code", ",,,,", ",,,,"]
    contract = tmp_path / "c.yaml"
    contract.write_text(
        contract_text(
            n="{min_between: {min: 0}}",
            code="{unique_fraction_between: {max: 1}}",
        )
    )
    data = tmp_path / "c.csv"
    data.write_text("\n".join(rows_null) + "\n")
    capsys.readouterr()
    code = main(["validate", str(contract), str(data), "--format", "json", *MODES[mode]])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    messages = [v["message"] for v in report["violations"] if v["code"] == "check.failed"]
    assert messages == [
        "smallest value of n is not evaluable: no non-null values",
        "unique fraction of code is not evaluable: no non-null values",
    ]


@pytest.mark.parametrize(
    ("field", "check", "expected"),
    [
        ("code", "{min_between: {min: a}}", "needs numbers, dates or timestamps"),
        ("n", "{max_between: {min: 5, max: 1}}", "min 5 is greater than max 1"),
        ("day", "{min_between: {min: 5}}", "expected a date written YYYY-MM-DD"),
        ("n", "{unique_fraction_between: {min: 1.5}}", "less than or equal to 1"),
        ("n", "{min_between: {}}", "give at least one of 'min' and 'max'"),
    ],
)
def test_lint_refuses_bad_params(
    tmp_path: Path, field: str, check: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = tmp_path / "bad.yaml"
    contract.write_text(contract_text(**{field: check}))
    capsys.readouterr()
    assert main(["lint", str(contract)]) == 2
    output = capsys.readouterr()
    text = output.out + output.err
    assert expected in text
    assert "bad.yaml:" in text


# --- accord diff: which way each bound moves -------------------------------------------------

A = "fields.amount"
DAY = "fields.ordered_on"
CUR = "fields.currency"


@pytest.mark.parametrize(
    ("old", "new", "path", "direction"),
    [
        ({"min_between": {"min": 0}}, {"min_between": {"min": 1}}, "min_between.min", "tightened"),
        ({"min_between": {"max": 5}}, {"min_between": {"max": 6}}, "min_between.max", "relaxed"),
        ({"max_between": {"max": 9}}, {"max_between": {"max": 8}}, "max_between.max", "tightened"),
        (
            {"max_between": {"min": 1, "max": 5}},
            {"max_between": {"max": 5}},
            "max_between.min",
            "relaxed",
        ),
    ],
)
def test_diff_directions_of_extremes(
    old: dict[str, Any], new: dict[str, Any], path: str, direction: str
) -> None:
    from test_diff_support import diff_of, only

    change = only(diff_of({f"{A}.checks": [old]}, {f"{A}.checks": [new]}))
    assert (change.path, change.kind, change.direction) == (
        f"{A}.checks[0].{path}",
        "check.param",
        direction,
    )


def test_diff_compares_date_extremes_as_dates() -> None:
    from test_diff_support import diff_of, only

    old = {f"{DAY}.checks": [{"max_between": {"max": "2026-01-09"}}]}
    new = {f"{DAY}.checks": [{"max_between": {"max": "2026-10-01"}}]}
    change = only(diff_of(old, new))
    assert change.direction == "relaxed"
    assert "2026-10-01" in change.message


@pytest.mark.parametrize(
    ("old", "new", "direction"),
    [({"min": 0.5}, {"min": 0.9}, "tightened"), ({"max": 0.5}, {"max": 0.9}, "relaxed")],
)
def test_diff_directions_of_unique_fraction(
    old: dict[str, Any], new: dict[str, Any], direction: str
) -> None:
    from test_diff_support import diff_of, only

    change = only(
        diff_of(
            {f"{CUR}.checks": [{"unique_fraction_between": old}]},
            {f"{CUR}.checks": [{"unique_fraction_between": new}]},
        )
    )
    assert change.direction == direction
