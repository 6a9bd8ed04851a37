"""Validation of in-memory frames: each behaviour written once, run on pandas and polars."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import pytest

import accord
from accord.report.model import Report
from conftest import make_frame

HEADER = "accord: 1\nname: t\nversion: 1.0.0\n"


def contract(body: str) -> accord.Contract:
    return accord.load(HEADER + textwrap.dedent(body))


def codes(report: Report) -> list[tuple[str, str | None, int | None]]:
    return [(v.code, v.field, v.failure_count) for v in report.violations]


def by_code(report: Report, code: str) -> list[Any]:
    return [v for v in report.violations if v.code == code]


def test_clean_data_passes(engine: str) -> None:
    c = contract("""\
        fields:
          id: {type: int64, unique: true}
          name: {type: string, checks: [{length: {min: 1}}]}
        """)
    report = c.validate(make_frame(engine, {"id": [1, 2, 3], "name": ["a", "b", "c"]}))
    assert report.passed and report.violations == []
    assert report.engine == engine
    assert (report.summary.checks, report.summary.failed) == (8, 0)


def test_missing_required_field_fails_before_values_and_others_still_run(engine: str) -> None:
    c = contract("""\
        fields:
          customer_id: {type: int64}
          amount: {type: float64, checks: [{min: 0}]}
          note: {type: string, required: false}
        """)
    report = c.validate(make_frame(engine, {"amount": [1.0, -2.0]}))
    assert not report.passed
    assert codes(report) == [
        ("field.missing", "customer_id", None),
        ("check.skipped", "customer_id", None),
        ("check.failed", "amount", 1),
    ]
    assert by_code(report, "field.missing")[0].contract_line == 5


def test_unexpected_columns_closed_is_error_open_is_info(engine: str) -> None:
    for columns, severity, passed in (("closed", "error", False), ("open", "info", True)):
        c = contract(f"dataset: {{columns: {columns}}}\nfields:\n  a: {{type: int64}}\n")
        report = c.validate(make_frame(engine, {"a": [1], "extra": ["x"]}))
        (violation,) = by_code(report, "field.unexpected")
        assert (violation.field, violation.severity, report.passed) == ("extra", severity, passed)


def test_renamed_column_is_missing_plus_unexpected(engine: str) -> None:
    c = contract("dataset: {columns: closed}\nfields:\n  temp_min: {type: float64}\n")
    report = c.validate(make_frame(engine, {"tmin": [1.0]}))
    assert [(v.code, v.field) for v in report.violations if v.severity == "error"] == [
        ("field.missing", "temp_min"),
        ("field.unexpected", "tmin"),
    ]


def test_wrong_column_type_skips_its_checks(engine: str) -> None:
    c = contract("""\
        fields:
          amount: {type: int64, checks: [{min: 0}, {max: 10}]}
        """)
    report = c.validate(make_frame(engine, {"amount": ["1", "2"]}))
    assert (
        codes(report) == [("field.type", "amount", None)] + [("check.skipped", "amount", None)] * 3
    )
    assert [v.check for v in by_code(report, "check.skipped")] == [
        "nullable",
        "min",  # as written in the contract, not the canonical greater_than_or_equal_to
        "max",
    ]
    assert [v.params for v in by_code(report, "check.skipped")][1:] == [{"min": 0}, {"max": 10}]
    assert report.summary.skipped == 3
    assert by_code(report, "field.type")[0].details["expected"] == "int64"


def test_float_column_declared_integer_is_judged_value_by_value(engine: str) -> None:
    c = contract("fields:\n  n: {type: int8, nullable: true, checks: [{min: 0}]}\n")
    report = c.validate(make_frame(engine, {"n": [1.0, 1.7, None, 300.0, -2.0]}))
    (type_violation,) = by_code(report, "field.type")
    assert type_violation.failure_count == 2
    assert [(e.row, e.value) for e in type_violation.examples] == [(1, 1.7), (3, 300.0)]
    (range_violation,) = by_code(report, "check.failed")
    assert range_violation.failure_count == 1
    assert not by_code(report, "field.null")


def test_large_integers_keep_their_exact_values(engine: str) -> None:
    big = 1582218195625938945
    c = contract("fields:\n  id: {type: int64, nullable: true, checks: [{max: 10}]}\n")
    if engine == "pandas":
        import pandas as pd

        frame = pd.DataFrame({"id": pd.array([big, None], dtype="Int64")})
    else:
        frame = make_frame(engine, {"id": [big, None]})
    report = c.validate(frame)
    assert by_code(report, "check.failed")[0].examples[0].value == big


def test_nulls_are_counted_once(engine: str) -> None:
    c = contract("""\
        fields:
          weather: {type: string, checks: [{in: [rain, sun]}]}
        """)
    report = c.validate(make_frame(engine, {"weather": ["rain", None, "Rain", "sun "]}))
    assert codes(report) == [("field.null", "weather", 1), ("check.failed", "weather", 2)]
    assert [e.value for e in by_code(report, "check.failed")[0].examples] == ["Rain", "sun "]


def test_every_null_kind_counts_the_same(engine: str) -> None:
    c = contract("fields:\n  x: {type: float64}\n")
    report = c.validate(make_frame(engine, {"x": [1.0, float("nan"), None]}))
    assert codes(report) == [("field.null", "x", 2)]


def test_duplicates_count_every_row_and_distinct_keys(engine: str) -> None:
    c = contract("""\
        dataset:
          primary_key: [station, day]
        fields:
          station: {type: string}
          day: {type: int64}
        """)
    frame = make_frame(
        engine, {"station": ["a", "a", "b", "b", "b", "c"], "day": [1, 1, 2, 2, 2, 3]}
    )
    (violation,) = c.validate(frame).violations
    assert (violation.code, violation.failure_count) == ("dataset.primary_key", 5)
    assert violation.details["distinct_keys"] == 2
    assert violation.examples[0].value == {"station": "a", "day": 1}


def test_unique_groups_ignore_rows_with_nulls(engine: str) -> None:
    c = contract("""\
        dataset:
          unique: [[a, b]]
        fields:
          a: {type: int64, nullable: true}
          b: {type: int64, nullable: true}
        """)
    frame = make_frame(
        engine, {"a": [1, 1, None, None], "b": [None, None, 2, 2]}, {"a": "Int64", "b": "Int64"}
    )
    assert c.validate(frame).passed


def test_nulls_in_primary_key_are_null_violations(engine: str) -> None:
    c = contract("dataset: {primary_key: [id]}\nfields:\n  id: {type: int64, nullable: true}\n")
    report = c.validate(make_frame(engine, {"id": [1, None, None]}, {"id": "Int64"}))
    assert codes(report) == [("field.null", "id", 2)]


def test_row_rule_with_nulls_fails_and_says_how_many(engine: str) -> None:
    c = contract("""\
        dataset:
          rules:
            - {name: ordered, assert: "temp_min <= temp_max"}
            - {name: handled, assert: "temp_min is null or temp_min <= temp_max"}
        fields:
          temp_min: {type: float64, nullable: true}
          temp_max: {type: float64, nullable: true}
        """)
    frame = make_frame(
        engine, {"temp_min": [1.0, 5.0, None, 2.0], "temp_max": [2.0, 3.0, 4.0, None]}
    )
    report = c.validate(frame)
    rules = by_code(report, "dataset.rule")
    assert [(v.check_name, v.failure_count, v.details["null_skipped"]) for v in rules] == [
        ("ordered", 3, 2),
        ("handled", 2, 1),
    ]


def test_freshness_uses_as_of(engine: str) -> None:
    c = contract("""\
        dataset:
          freshness: {field: ts, max_age: 26h}
        fields:
          ts: {type: timestamp, tz: UTC}
        """)
    newest = dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC)
    frame = make_frame(engine, {"ts": [newest - dt.timedelta(days=1), newest]})
    assert c.validate(frame, as_of=newest + dt.timedelta(hours=25)).passed
    late = c.validate(frame, as_of=newest + dt.timedelta(hours=27))
    assert [v.code for v in late.violations] == ["dataset.freshness"]


def test_timezone_mismatch_is_a_type_violation(engine: str) -> None:
    c = contract("fields:\n  ts: {type: timestamp, tz: UTC}\n")
    naive = make_frame(engine, {"ts": [dt.datetime(2026, 1, 1)]})
    report = c.validate(naive)
    assert codes(report) == [("field.type", "ts", None), ("check.skipped", "ts", None)]
    assert report.violations[0].details["expected"] == "timestamp[tz=UTC]"


def test_row_count_and_empty_data(engine: str) -> None:
    with_rule = contract("dataset: {row_count: {min: 1}}\nfields:\n  a: {type: int64}\n")
    empty = make_frame(engine, {"a": [1]}).head(0)
    assert [v.code for v in with_rule.validate(empty).violations] == ["dataset.row_count"]
    without = contract("fields:\n  a: {type: int64}\n")
    report = without.validate(empty)
    assert [(v.code, v.severity) for v in report.violations] == [("dataset.empty", "warning")]
    assert not without.validate(empty, fail_on="warning").passed


def test_aggregate_on_no_values_is_not_evaluable(engine: str) -> None:
    c = contract(
        "fields:\n  x: {type: float64, nullable: true, checks: "
        "[{mean_between: {min: 0, max: 1}}]}\n"
    )
    report = c.validate(make_frame(engine, {"x": [None, None]}, {"x": "float64"}))
    (violation,) = report.violations
    assert "not evaluable" in violation.message


def test_pii_is_redacted_everywhere(engine: str) -> None:
    c = contract("""\
        dataset: {rules: [{name: r, assert: "email != 'x'"}]}
        fields:
          email: {type: string, pii: true, checks: [{pattern: "[^@]+@[^@]+"}]}
        """)
    report = c.validate(make_frame(engine, {"email": ["secret", "x"]}))
    rendered = report.to_json() + report.render("text") + report.render("html")
    assert "secret" not in rendered and '"x"' not in rendered
    assert report.violations[0].examples[0].value == "<redacted>"


def test_input_frame_is_never_modified(engine: str) -> None:
    c = contract("fields:\n  n: {type: int64, nullable: true}\n  s: {type: string}\n")
    frame = make_frame(engine, {"n": [1.0, 2.5, None], "s": ["a", "b", "c"]})
    before = frame.clone() if engine == "polars" else frame.copy(deep=True)
    c.validate(frame)
    assert frame.equals(before)
    if engine == "pandas":
        assert str(frame["n"].dtype) == "float64"


def test_profiles_guard_against_leakage(engine: str) -> None:
    c = contract("""\
        fields:
          x: {type: float64}
          y: {type: bool, role: label, required: false}
        profiles:
          training: {require_roles: [label]}
          serving: {forbid_roles: [label]}
        """)
    with_label = make_frame(engine, {"x": [1.0], "y": [True]})
    without = make_frame(engine, {"x": [1.0]})
    assert [v.code for v in c.validate(with_label, profile="serving").violations] == [
        "profile.forbidden_field"
    ]
    assert c.validate(without, profile="serving").passed
    assert [v.code for v in c.validate(without, profile="training").violations] == [
        "profile.required_role"
    ]
    with pytest.raises(accord.UsageError, match="no profile 'scoring'"):
        c.validate(without, profile="scoring")


def test_in_reference_checks_membership_and_skips_without_data(engine: str) -> None:
    c = contract("""\
        references:
          airlines: {contract: airlines}
        fields:
          carrier: {type: string, nullable: true, checks: [{in_reference: {dataset: airlines,
                    field: code}}]}
        """)
    frame = make_frame(engine, {"carrier": ["AA", "ZZ", None]})
    airlines = make_frame(engine, {"code": ["AA", "BA"]})
    report = c.validate(frame, references={"airlines": airlines})
    assert codes(report) == [("reference.missing", "carrier", 1)]
    skipped = c.validate(frame)
    assert [(v.code, v.severity) for v in skipped.violations] == [("check.skipped", "warning")]


def test_examples_are_capped_but_counts_are_not(engine: str) -> None:
    c = contract("fields:\n  n: {type: int64, checks: [{max: 0}]}\n")
    report = c.validate(make_frame(engine, {"n": list(range(1, 101))}), max_examples=3)
    (violation,) = report.violations
    assert violation.failure_count == 100
    assert [e.row for e in violation.examples] == [0, 1, 2]
    assert report.summary.failing_rows == 100


def test_mixed_python_objects_in_a_string_column() -> None:
    # pandas only: a polars column cannot hold mixed python objects
    import pandas as pd

    c = contract("fields:\n  s: {type: string}\n")
    frame = pd.DataFrame({"s": pd.Series(["a", 1, 1.5, b"x", "b"], dtype=object)})
    (violation,) = c.validate(frame).violations
    assert (violation.code, violation.failure_count) == ("field.type", 3)


def test_same_verdict_and_counts_on_both_engines() -> None:
    c = accord.load("contracts/transactions.yaml")
    import polars as pl

    frame = pl.read_csv("examples/transactions.csv", infer_schema_length=0)
    frame = frame.with_columns(pl.col("transaction_id", "customer_id").cast(pl.Int64, strict=False))
    results = [c.validate(f) for f in (frame, frame.to_pandas())]
    assert results[0].passed == results[1].passed
    assert codes(results[0]) == codes(results[1])
