"""FAULTS.md rows 24-33: values, keys, rules and statistics judged the same way on every engine,
the input never changed, and a run that cannot finish never looks finished."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

import accord
from accord.run import verdicts
from conftest import make_frame
from fault_support import (
    api_summary,
    check_status,
    cli,
    contract_text,
    validate,
    violation,
    write,
    write_contract,
    write_parquet,
)


def load(body: str) -> accord.Contract:
    return accord.load(contract_text(body))


def examples(report: Any, code: str, field: str | None = None) -> list[tuple[int, Any]]:
    (found,) = [v for v in report.violations if v.code == code and v.field == field]
    return [(e.row, e.value) for e in found.examples]


# -- row 24 -----------------------------------------------------------------------------------


def test_fault_24_mixed_python_types_in_an_object_column(engine: str) -> None:
    contract = load("fields:\n  s: {type: string, nullable: true, checks: [{in: ['1']}]}\n")
    values = [1, "1", 1.0, b"1", {"a": 1}, None, "1", True]
    frame = (
        pd.DataFrame({"s": pd.Series(values, dtype=object)})
        if engine == "pandas"
        else pl.DataFrame({"s": pl.Series(values, dtype=pl.Object)})
    )
    report = contract.validate(frame)
    assert api_summary(report) == [("field.type", "s", 5)]
    assert examples(report, "field.type", "s") == [
        (0, 1),
        (2, 1.0),
        (3, "b'1'"),
        (4, {"a": 1}),
        (7, True),
    ]
    assert "cannot be read as string" in report.violations[0].message
    numbers = load("fields:\n  n: {type: float64, nullable: true}\n")
    mixed = [1, "2", 3.5, None, False]
    frame = (
        pd.DataFrame({"n": pd.Series(mixed, dtype=object)})
        if engine == "pandas"
        else pl.DataFrame({"n": pl.Series(mixed, dtype=pl.Object)})
    )
    report = numbers.validate(frame)
    assert examples(report, "field.type", "n") == [(1, "2"), (4, False)]


# -- row 25 -----------------------------------------------------------------------------------


def test_fault_25_enum_comparison_is_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    body = "fields:\n  sky: {type: string, checks: [{in: [rain, sun]}]}\n"
    values = ["rain", "Rain", "sun ", " sun", "RAIN", "sun", "hail", "Rain"]
    report = load(body).validate(make_frame(engine, {"sky": values}))
    assert api_summary(report) == [("check.failed", "sky", 6)]
    assert [v for _, v in examples(report, "check.failed", "sky")] == [
        "Rain",
        "sun ",
        " sun",
        "RAIN",
        "hail",
    ]
    assert report.violations[0].params == {"in": ["rain", "sun"]}
    contract = write_contract(tmp_path, body)
    data = write(tmp_path / "d.csv", "sky\n" + "\n".join(f'"{v}"' for v in values) + "\n")
    run = validate(capsys, contract, data, engine)
    assert run.violations() == [("check.failed", "sky", 6)]
    shown = cli(capsys, "validate", contract, data, "--engine", engine)
    assert '"sun "' in shown.out  # the trailing space is visible in the text report


# -- row 26 -----------------------------------------------------------------------------------


def test_fault_26_unused_categories_of_the_dtype_are_not_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = load(
        "fields:\n  sky: {type: string, checks: [{in: [rain, sun]}]}\n"
        "  kind: {type: category, categories: [a, b]}\n"
    )
    categories = ["rain", "sun", "hail", "snow"]  # hail and snow occur in no row
    if engine == "pandas":
        frame = pd.DataFrame(
            {
                "sky": pd.Categorical(["rain", "sun", "rain"], categories=categories),
                "kind": pd.Categorical(["a", "b", "a"], categories=["a", "b", "zzz"]),
            }
        )
    else:
        frame = pl.DataFrame(
            {
                "sky": pl.Series(["rain", "sun", "rain"], dtype=pl.Enum(categories)),
                "kind": pl.Series(["a", "b", "a"], dtype=pl.Categorical),
            }
        )
    assert contract.validate(frame).passed
    # a value that is used and not allowed still fails
    if engine == "pandas":
        frame.loc[1, "sky"] = "hail"
    else:
        frame = frame.with_columns(
            pl.Series("sky", ["rain", "hail", "rain"], dtype=pl.Enum(categories))
        )
    assert api_summary(contract.validate(frame)) == [("check.failed", "sky", 1)]
    # the same through a dictionary-encoded Parquet column
    path = tmp_path / "c.parquet"
    pl.DataFrame(
        {
            "sky": pl.Series(["rain", "sun"], dtype=pl.Enum(categories)),
            "kind": pl.Series(["a", "b"], dtype=pl.Categorical),
        }
    ).write_parquet(path)
    written = write(
        tmp_path / "c.yaml",
        contract_text(
            "fields:\n  sky: {type: string, checks: [{in: [rain, sun]}]}\n"
            "  kind: {type: category, categories: [a, b]}\n"
        ),
    )
    assert validate(capsys, written, path, engine).code == 0


# -- row 27 -----------------------------------------------------------------------------------

ZONES = """\
fields:
  utc: {type: timestamp, tz: UTC, checks: [{min: "2020-01-01T00:00:00+00:00"}]}
  naive: {type: timestamp, checks: [{min: "2020-01-01T00:00:00"}]}
"""


@pytest.mark.parametrize(
    ("utc_zone", "naive_zone", "wrong"),
    [
        (None, None, ["utc"]),  # naive data for a tz: UTC field
        ("UTC", "UTC", ["naive"]),  # aware data for a naive field
        ("Europe/Paris", None, ["utc"]),  # another zone: CET is not UTC
        ("Etc/UTC", None, []),  # another name of UTC is UTC
    ],
    ids=["naive for utc", "aware for naive", "cet for utc", "etc-utc"],
)
def test_fault_27_time_zone_mismatch_is_a_type_violation(
    utc_zone: str | None,
    naive_zone: str | None,
    wrong: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
) -> None:
    moments = [dt.datetime(2021, 1, 1, 12), dt.datetime(2019, 1, 1)]
    source = pl.DataFrame(
        {
            "utc": pl.Series(moments).dt.replace_time_zone(utc_zone),
            "naive": pl.Series(moments).dt.replace_time_zone(naive_zone),
        }
    )
    contract = write_contract(tmp_path, ZONES)
    frame = source if engine == "polars" else source.to_pandas()
    report = accord.load(contract).validate(frame)
    expected = [("field.type", name, None) for name in wrong]
    expected += [("check.failed", name, 1) for name in ("utc", "naive") if name not in wrong]
    assert api_summary(report) == expected
    statuses = {c.check_id: c.status for c in report.checks}
    for name in wrong:
        assert statuses[f"fields.{name}.checks[0]"] == "skipped"
        details = violation(report.to_dict(), "field.type", name)["details"]
        assert "tz" in details["expected"] or "naive" in details["expected"]
    path = tmp_path / "z.parquet"
    source.write_parquet(path)
    assert validate(capsys, contract, path, engine).violations() == expected


def test_fault_27_text_timestamps_are_never_localized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(
        tmp_path,
        ZONES.replace('[{min: "2020-01-01T00:00:00+00:00"}]', "[]").replace(
            '[{min: "2020-01-01T00:00:00"}]', "[]"
        ),
    )
    data = write(
        tmp_path / "t.csv",
        "utc,naive\n"
        "2020-01-01T00:00:00Z,2020-01-01T00:00:00\n"
        "2020-01-01T00:00:00,2020-01-01T00:00:00+01:00\n"
        "2020-01-01T01:00:00+01:00,2020-01-01T00:00:00\n",
    )
    run = validate(capsys, contract, data, engine)
    assert run.violations() == [("field.type", "utc", 1), ("field.type", "naive", 1)]
    assert violation(run.report, "field.type", "utc")["examples"][0]["value"] == (
        "2020-01-01T00:00:00"
    )


# -- row 28 -----------------------------------------------------------------------------------


def test_fault_28_declared_format_is_applied_strictly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(
        tmp_path,
        """\
        fields:
          day: {type: date, format: "%d/%m/%Y"}
          at: {type: timestamp, tz: UTC, format: "%Y-%m-%d %H:%M:%S%z"}
          iso: {type: timestamp, tz: UTC}
        """,
    )
    data = write(
        tmp_path / "d.csv",
        "day,at,iso\n"
        "12/01/2020,2020-01-01 00:00:00+0100,2020-01-01T00:00:00Z\n"  # fine
        "01/13/2020,2020-01-01 00:00:00,2020-01-01T00:00:00+05:30\n"  # month 13; no offset
        "2020-01-12,2020-01-01 00:00:00+01:00,2020-02-30T00:00:00Z\n"  # ISO day; Feb 30
        "31/02/2020,yesterday,2020-01-01 00:00\n",  # Feb 31; not a time; no offset
    )
    run = validate(capsys, contract, data, engine)
    assert run.violations() == [
        ("field.type", "day", 3),
        ("field.type", "at", 2),
        ("field.type", "iso", 2),
    ]
    rows = {v["field"]: [e["row"] for e in v["examples"]] for v in run.report["violations"]}
    assert rows == {"day": [1, 2, 3], "at": [1, 3], "iso": [2, 3]}
    # 12/01/2020 is the 12th of January, never silently the 1st of December
    frame = accord.load(contract)  # the reader applies the same format for every engine
    from accord.run.sources import read_dataset

    days = read_dataset([data], frame.model).frame.get_column("day").to_list()
    assert days[0] == dt.date(2020, 1, 12)


# -- row 29 -----------------------------------------------------------------------------------

KEYS = """\
dataset:
  primary_key: [id]
  unique: [[a, b]]
fields:
  id: {type: int64}
  a: {type: string, nullable: true}
  b: {type: int64, nullable: true}
  u: {type: string, unique: true, nullable: true}
"""
KEY_ROWS = {
    "id": [1, 1, 2, None, 3, 3, 3],
    "a": ["x", "x", "y", "y", None, None, "z"],
    "b": [1, 1, 2, 2, 5, 5, None],
    "u": ["p", "p", None, None, "q", "r", "q"],
}


def test_fault_29_duplicate_keys_and_nulls_in_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    frame = make_frame(engine, KEY_ROWS, {"id": "Int64", "b": "Int64"})
    report = load(KEYS).validate(frame)
    assert api_summary(report) == [
        ("field.null", "id", 1),  # a null in the key is its own violation, not a duplicate
        ("field.unique", "u", 4),  # every row involved: p, p, q, q; nulls take no part
        ("dataset.primary_key", None, 5),  # ids 1, 1, 3, 3, 3
        ("dataset.unique", None, 4),  # (x, 1) twice, (y, 2) twice; rows with a null skip
    ]
    found = {v.code: v for v in report.violations}
    assert found["dataset.primary_key"].details == {
        "distinct_keys": 2,
        "counting": "every row involved in a duplicate",
    }
    assert [e.value for e in found["dataset.primary_key"].examples] == [
        {"id": 1},
        {"id": 1},
        {"id": 3},
        {"id": 3},
        {"id": 3},
    ]
    assert "(2 distinct duplicated keys)" in found["dataset.unique"].message
    contract = write_contract(tmp_path, KEYS)
    data = write_parquet(tmp_path, {k: pl.Series(v) for k, v in KEY_ROWS.items()})
    assert validate(capsys, contract, data, engine).violations() == api_summary(report)


# -- row 30 -----------------------------------------------------------------------------------


def test_fault_30_validation_never_changes_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = load(
        """\
        dataset: {primary_key: [id]}
        fields:
          id: {type: int8}
          x: {type: int64, nullable: true, checks: [{min: 0}]}
          s: {type: string, checks: [{in: [a]}]}
        """
    )
    columns = {"id": [1, 1, 300], "x": [1.0, 1.7, None], "s": ["a", 2, None]}
    if engine == "pandas":
        frame = pd.DataFrame(
            {"id": columns["id"], "x": columns["x"], "s": pd.Series(columns["s"], dtype=object)}
        ).set_axis(pd.Index([10, 20, 30], name="key"))
        before = frame.copy(deep=True)
        report = contract.validate(frame)
        pd.testing.assert_frame_equal(frame, before, check_exact=True)
        assert frame.index.tolist() == [10, 20, 30] and frame.index.name == "key"
    else:
        frame = pl.DataFrame(
            {"id": columns["id"], "x": columns["x"], "s": pl.Series(columns["s"], dtype=pl.Object)}
        )
        snapshot = {name: frame.get_column(name).to_list() for name in frame.columns}
        schema = frame.schema
        report = contract.validate(frame)
        assert frame.schema == schema
        assert {name: frame.get_column(name).to_list() for name in frame.columns} == snapshot
    # rows are positions among the data rows, whatever index the frame carries
    assert api_summary(report) == [
        ("field.type", "id", 1),
        ("field.type", "x", 1),
        ("field.type", "s", 1),
        ("field.null", "s", 1),
        ("dataset.primary_key", None, 2),
    ]
    assert examples(report, "field.type", "id") == [(2, 300)]
    assert report.dataset.rows == 3  # nothing dropped or deduplicated
    # and the CLI never writes to the data it reads
    path = write(tmp_path / "d.csv", "id,x,s\n1,1,a\n1,1.7,b\n300,,\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    written = write(
        tmp_path / "c.yaml",
        contract_text(
            "dataset: {primary_key: [id]}\nfields:\n  id: {type: int8}\n"
            "  x: {type: int64, nullable: true}\n  s: {type: string, nullable: true}\n"
        ),
    )
    assert validate(capsys, written, path, engine).code == 1
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert path.stat().st_mtime_ns == mtime


# -- row 31 -----------------------------------------------------------------------------------


def test_fault_31_row_rule_with_a_null_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    body = """\
    dataset:
      rules:
        - {name: min_le_max, assert: "temp_min <= temp_max"}
        - name: handles_null
          assert: "temp_min is null or temp_max is null or temp_min <= temp_max"
    fields:
      temp_min: {type: float64, nullable: true}
      temp_max: {type: float64, nullable: true}
    """
    rows = {
        "temp_min": [1.0, None, 3.0, 5.0, None, float("nan"), 1.0],
        "temp_max": [2.0, 2.0, None, 4.0, None, 1.0, 0.0],
    }
    report = load(body).validate(make_frame(engine, rows))
    assert api_summary(report) == [("dataset.rule", None, 6), ("dataset.rule", None, 2)]
    first, second = report.violations
    assert first.details == {"null_skipped": 4}  # rows 1, 2, 4 and 5 (NaN is a null)
    assert "4 of them because of a null" in first.message
    assert [e.row for e in first.examples] == [1, 2, 3, 4, 5]
    assert first.examples[0].value == {"temp_min": None, "temp_max": 2.0}
    assert second.details == {"null_skipped": 0}
    assert [e.row for e in second.examples] == [3, 6]
    contract = write_contract(tmp_path, body)
    text = "temp_min,temp_max\n1,2\n,2\n3,\n5,4\n,\nNaN,1\n1,0\n"
    run = validate(capsys, contract, write(tmp_path / "r.csv", text), engine)
    assert run.violations() == api_summary(report)
    assert [v["details"] for v in run.report["violations"]] == [
        {"null_skipped": 4},
        {"null_skipped": 0},
    ]


# -- row 32 -----------------------------------------------------------------------------------

STATISTICS = """\
fields:
  x:
    type: float64
    nullable: true
    checks:
      - mean_between: {min: 0, max: 1}
      - median_between: {min: 0, max: 1}
      - stddev_between: {max: 0.1}
      - max_null_fraction: 0.2
      - distinct_count_between: {min: 5}
"""


def test_fault_32_statistics_outside_their_band_and_on_empty_data(engine: str) -> None:
    """Aggregate checks; drift against a reference profile has its own suites
    (tests/test_drift_*.py)."""
    contract = load(STATISTICS)
    report = contract.validate(make_frame(engine, {"x": [1.0, 2.0, None, 3.0]}))
    observed = {v.check: (v.details["observed"], v.message) for v in report.violations}
    assert observed == {
        "mean_between": (2.0, "mean of x is 2, expected [0, 1]"),
        "median_between": (2.0, "median of x is 2, expected [0, 1]"),
        "stddev_between": (1.0, "stddev of x is 1, expected [-inf, 0.1]"),
        "max_null_fraction": (0.25, "null fraction 0.25 exceeds 0.2"),
        "distinct_count_between": (3, "distinct count of x is 3, expected [5, inf]"),
    }
    for empty in ({"x": []}, {"x": [None, None]}):
        report = contract.validate(make_frame(engine, empty, {"x": "float64"}))
        by_check = {v.check: v for v in report.violations}
        for kind in ("mean_between", "median_between", "stddev_between"):
            assert by_check[kind].severity == "error"
            assert by_check[kind].message.endswith("is not evaluable: no non-null values")
            assert by_check[kind].details == {"observed": None}
        assert not report.passed


# -- row 33 -----------------------------------------------------------------------------------


def test_fault_33_out_of_memory_is_a_clean_exit_2_without_a_report(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contract = write_contract(tmp_path, "fields:\n  a: {type: int64}\n")
    data = write(tmp_path / "d.csv", "a\n1\n")
    output = tmp_path / "report.json"

    def exhausted(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    monkeypatch.setattr(verdicts.Verdicts, "check_pass", exhausted)  # deep inside the run
    run = validate(capsys, contract, data, engine, "--output", output)
    assert run.code == 2 and run.out == ""
    assert "out of memory; the run did not finish and no report is complete" in run.err
    assert not output.exists()
    assert {p.name for p in tmp_path.iterdir()} == {"contract.yaml", "d.csv"}  # no temp file
    with pytest.raises(MemoryError):  # the API lets the caller decide
        accord.load(contract).validate(make_frame(engine, {"a": [1]}))


def test_fault_33_a_run_that_stops_is_never_reported_complete() -> None:
    """No streaming or sampling mode exists yet (``--batch-rows`` is not implemented), so no run
    can stop part-way and still report; the report model refuses to call a partial run a pass."""
    from accord.report.model import ContractRef, DatasetInfo, Report

    partial = Report.assemble(
        contract=ContractRef(name="t", version="1.0.0"),
        profile=None,
        engine="polars",
        dataset=DatasetInfo(sources=[], rows=10, columns=1),
        violations=[],
        checks=[],
        failing_rows=0,
        started_at=dt.datetime.now(dt.UTC),
        duration_s=0.0,
        complete=False,
    )
    assert not partial.passed
    assert "INCOMPLETE" in partial.render("text")
    with pytest.raises(accord.ContractViolation, match="incomplete"):
        partial.raise_for_errors()


def test_fault_33_statuses_stay_consistent_with_check_ids(engine: str) -> None:
    """Every planned check has exactly one status, even when a field's type is wrong."""
    contract = load("fields:\n  a: {type: int64, checks: [{min: 0}, {max: 9}]}\n")
    report = contract.validate(make_frame(engine, {"a": ["x", "y"]}))
    statuses = check_status(report.to_dict())
    assert statuses == {
        "fields.a.required": "passed",
        "fields.a.type": "failed",
        "fields.a.nullable": "skipped",
        "fields.a.checks[0]": "skipped",
        "fields.a.checks[1]": "skipped",
    }
    assert np.array_equal(sorted(statuses), sorted(c.check_id for c in report.checks))
