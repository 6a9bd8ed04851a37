"""Issue 11, class 2: data and parameters that used to end in an internal error (a polars panic,
an arrow import failure) give a report, or exit 2 naming the file, the line and the fix."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from fault_support import validate, violation, write, write_contract

ENGINES = ("pandas", "polars")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("check", "column"),
    [
        ("{between: {max: .inf}}", 46),
        ("{between: {min: -.inf, max: 1}}", 46),
        ("{in: [1.5, .nan]}", 41),
        ("{not_equal_to: .nan}", 41),
        ("{between: {max: 1e50}}", 46),
        ("{in: [1e-45]}", 41),
    ],
)
def test_decimal_parameters_engines_cannot_hold_are_contract_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, check: str, column: int
) -> None:
    """inf, NaN and numbers of more than 38 digits cannot be compared with a decimal column on
    any engine (polars panicked): the contract says so, at its line."""
    contract = write_contract(
        tmp_path, f"fields:\n  d: {{type: decimal, precision: 10, scale: 2, checks: [{check}]}}\n"
    )
    data = write(tmp_path / "data.csv", "d\n1.50\n2.25\n")
    run = validate(capsys, contract, data, engine)
    assert run.code == 2
    assert "internal error" not in run.err
    assert "contract.yaml:5:" in run.err
    assert "decimal" in run.err


@pytest.mark.parametrize("engine", ENGINES)
def test_wide_but_representable_decimal_parameters_still_compare(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(
        tmp_path,
        "fields:\n  d: {type: decimal, precision: 10, scale: 2, checks: "
        "[{less_than: 1e37}, {in: ['12345678901234567890.123456789012345678', 1.5]}]}\n",
    )
    data = write(tmp_path / "data.csv", "d\n1.50\n2.25\n")
    run = validate(capsys, contract, data, engine)
    assert run.code == 1
    assert run.violations() == [("check.failed", "d", 1)]


def widened_files(tmp_path: Path) -> list[Path]:
    """One column int64 in one file and uint64 in the other: polars widens it to Int128."""
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    pl.DataFrame({"x": [1, -2]}).write_parquet(first)
    pl.DataFrame({"x": pl.Series([3, 2**63 + 5], dtype=pl.UInt64)}).write_parquet(second)
    return [first, second]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("int64", [("field.type", "x", 1)]),
        ("uint64", [("field.type", "x", 1)]),
        ("int8", [("field.type", "x", 1)]),
        ("float64", []),
    ],
)
def test_int128_from_widening_across_files_is_judged_value_by_value(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    declared: str,
    expected: list[tuple[str, str, int]],
) -> None:
    contract = write_contract(tmp_path, f"fields:\n  x: {{type: {declared}}}\n")
    run = validate(capsys, contract, widened_files(tmp_path), engine)
    assert "internal error" not in run.err
    assert run.violations() == expected
    if expected:
        examples = violation(run.report, "field.type", "x")["examples"]
        wrong = {"int64": 2**63 + 5, "uint64": -2, "int8": 2**63 + 5}[declared]
        assert [e["value"] for e in examples] == [wrong]


@pytest.mark.parametrize("engine", ENGINES)
def test_huge_integer_in_an_undeclared_json_key_is_reported_not_crashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, "fields:\n  x: {type: int64}\n")
    data = write(
        tmp_path / "data.jsonl",
        '{"x": 1, "big": 123456789012345678901234567890}\n{"x": 2, "big": 1}\n',
    )
    run = validate(capsys, contract, data, engine)
    assert "internal error" not in run.err
    assert run.code == 0
    assert run.violations(info=True) == [("field.unexpected", "big", None)]


def nested(depth: int) -> tuple[object, object]:
    items: object = 1
    members: object = 1
    for _ in range(depth):
        items, members = [items], {"a": members}
    return items, members


@pytest.mark.parametrize("engine", ENGINES)
def test_deep_nesting_in_json_lines_is_a_clear_read_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """200 levels of lists and structs: refused naming the line, as deep Parquet is (polars'
    schema inference is exponential in the depth where lines differ: see json_depth)."""
    items, members = nested(200)
    rows = [{"x": i, "deep": items, "ds": members} for i in range(3)]
    data = write(tmp_path / "data.jsonl", "".join(json.dumps(row) + "\n" for row in rows))
    contract = write_contract(
        tmp_path,
        "fields:\n  x: {type: int64, checks: [{less_than: 2}]}\n"
        "  deep: {type: list, items: {type: int64}}\n",
    )
    run = validate(capsys, contract, data, engine)
    assert "internal error" not in run.err
    assert run.code == 2
    assert "data.jsonl" in run.err
    assert "line 1: lists or objects nested more than 20 levels deep" in run.err
    assert "flatten the value or store it as a JSON string" in run.err


@pytest.mark.parametrize("engine", ENGINES)
def test_deep_nesting_in_parquet_is_a_clear_read_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    items, _ = nested(200)
    path = tmp_path / "deep.parquet"
    pl.DataFrame({"x": [1], "deep": [items]}).write_parquet(path)
    contract = write_contract(tmp_path, "fields:\n  x: {type: int64}\n")
    run = validate(capsys, contract, path, engine)
    assert run.code == 2
    assert "internal error" not in run.err
    assert "deep.parquet" in run.err


@pytest.mark.parametrize("engine", ENGINES)
def test_int128_from_widening_across_files_computes_in_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A rule over the widened column compares every value, the one beyond int64 included."""
    contract = write_contract(
        tmp_path,
        """\
        dataset:
          rules:
            - {name: positive, assert: "x + 1 > 0"}
        fields:
          x: {type: number}
        """,
    )
    run = validate(capsys, contract, widened_files(tmp_path), engine)
    assert "internal error" not in run.err
    assert run.violations() == [("dataset.rule", None, 1)]
    assert violation(run.report, "dataset.rule")["examples"][0]["row"] == 1  # -2, in a.parquet
