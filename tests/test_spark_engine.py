"""The Spark engine where it differs from the others by nature: Java regexes, NaN in doubles, a
frame's own types (timestamp vs timestamp_ntz, strings converted value by value), names held twice,
checks it cannot run. Each case is judged against what polars (or pandas, for what only pandas
and Spark frames can hold) reports on the same data: same codes, counts, rows and values.

All cases share the session-scoped ``spark`` fixture (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl
import pytest

import accord
from conftest import spark_frame
from fault_support import contract_text

pytestmark = pytest.mark.spark


def shown(report: Any) -> tuple[Any, ...]:
    """Verdict, each violation's identity, count and examples, and the failing-row tally."""
    violations = [
        (
            str(v.code),
            v.field,
            v.check_id,
            v.failure_count,
            [(e.row, None if _nan(e.value) else e.value) for e in v.examples],
        )
        for v in report.violations
    ]
    return report.passed, violations, report.summary.failing_rows


def _nan(value: Any) -> bool:
    return value == "NaN" or (isinstance(value, float) and math.isnan(value))


def on_both(spark: Any, fields: str, columns: dict[str, Any], **options: Any) -> tuple[Any, Any]:
    contract = accord.load(contract_text("fields:\n" + fields))
    frame = pl.DataFrame(columns, strict=False)
    on_spark = contract.validate(spark_frame(spark, frame), **options)
    on_polars = contract.validate(frame, **options)
    assert on_spark.engine == "pyspark"
    return shown(on_spark), shown(on_polars)


def test_patterns_match_the_whole_value_with_unicode_classes(spark: Any) -> None:
    """Java's ``$`` accepts a final newline and its ``\\w`` is ASCII unless asked: neither may
    leak into a verdict."""
    fields = "  w: {type: string, nullable: true, checks: [{pattern: '\\w+'}, {pattern: 'ab'}]}\n"
    spark_report, polars_report = on_both(spark, fields, {"w": ["é", "ab\n", "ab", None, "a b"]})
    assert spark_report == polars_report
    counts = [count for _, _, _, count, _ in spark_report[1]]
    assert counts == [2, 3]  # "ab\n" and "a b"; then all but "ab" and the null


def test_nan_is_a_null_in_every_check(spark: Any) -> None:
    fields = (
        "  x: {type: float64, nullable: false, checks: [{min: 0}, {in: [1.0, 2.0]},"
        " {mean_between: {min: 1, max: 2}}]}\n"
    )
    spark_report, polars_report = on_both(spark, fields, {"x": [1.0, float("nan"), None, -1.0]})
    assert spark_report == polars_report
    assert spark_report[1][0][:4] == ("field.null", "x", "fields.x.nullable", 2)


def test_text_in_a_typed_field_is_a_mismatch_as_on_polars(spark: Any) -> None:
    """A frame handed in keeps its types: text in an int64 field is not parsed (that is the
    file readers' job), so the field is a type mismatch and its checks are skipped."""
    fields = "  n: {type: int64, nullable: true, checks: [{min: 0}]}\n"
    spark_report, polars_report = on_both(spark, fields, {"n": ["1", "x", None, "-4"]})
    assert spark_report == polars_report
    assert [v[0] for v in spark_report[1]] == ["field.type", "check.skipped"]


def test_floats_in_an_integer_field_are_held_value_by_value(spark: Any) -> None:
    """What does not fit is a ``field.type`` violation on its row with its value, and only
    that: a fraction, or a float past 2**53 where floats no longer hold every integer."""
    fields = "  n: {type: int64, nullable: true, checks: [{min: 0}]}\n"
    values = [1.0, 1.5, None, -4.0, float(2**60), float("nan")]
    spark_report, polars_report = on_both(spark, fields, {"n": values})
    assert spark_report == polars_report
    assert [(v[0], v[3], v[4]) for v in spark_report[1]] == [
        ("field.type", 2, [(1, 1.5), (4, float(2**60))]),
        ("check.failed", 1, [(3, -4)]),
    ]


def test_infinite_and_huge_floats_in_an_integer_field_are_type_violations(spark: Any) -> None:
    """Found by the parity fuzzer: Spark's ``floor`` returns a long, so flooring an infinity or
    1e300 to test for a whole number raised ARITHMETIC_OVERFLOW instead of a violation."""
    fields = "  n: {type: int64, nullable: true, unique: true}\n"
    values = [None, float("inf"), 2.0, -float("inf"), 1e300, float(2**63)]
    spark_report, polars_report = on_both(spark, fields, {"n": values})
    assert spark_report == polars_report
    assert [(v[0], v[3]) for v in spark_report[1]] == [("field.type", 4)]


def test_integers_too_wide_for_the_field_fail_value_by_value(spark: Any) -> None:
    fields = "  small: {type: int8}\n  big: {type: int64}\n"
    columns = {"small": pl.Series([1, 300, -129], dtype=pl.Int64), "big": [1, 2**62, -3]}
    spark_report, polars_report = on_both(spark, fields, columns)
    assert spark_report == polars_report
    assert [(v[0], v[1], v[3]) for v in spark_report[1]] == [("field.type", "small", 2)]


def test_instants_and_wall_clock_times_are_told_apart(spark: Any) -> None:
    """Spark's ``timestamp`` is an instant and ``timestamp_ntz`` a wall-clock time: a field
    with ``tz`` takes the first, a naive one the second; the other is a type mismatch."""
    moments = pl.Series([dt.datetime(2021, 1, 1), dt.datetime(2019, 1, 1)])
    columns = {"aware": moments.dt.replace_time_zone("UTC"), "naive": moments}
    fields = (
        '  aware: {type: timestamp, tz: UTC, checks: [{min: "2020-01-01T00:00:00Z"}]}\n'
        '  naive: {type: timestamp, checks: [{min: "2020-01-01T00:00:00"}]}\n'
    )
    spark_report, polars_report = on_both(spark, fields, columns)
    assert spark_report == polars_report
    assert [(v[1], v[3]) for v in spark_report[1]] == [("aware", 1), ("naive", 1)]
    assert spark_report[1][0][4] == [(1, "2019-01-01T00:00:00+00:00")]  # the instant, in UTC
    swapped = accord.load(
        contract_text("fields:\n  aware: {type: timestamp}\n  naive: {type: timestamp, tz: UTC}\n")
    ).validate(spark_frame(spark, pl.DataFrame(columns)))
    assert sorted((str(v.code), v.field) for v in swapped.violations if v.code == "field.type") == [
        ("field.type", "aware"),
        ("field.type", "naive"),
    ]


def test_keys_count_every_row_involved_and_skip_null_keys(spark: Any) -> None:
    contract = accord.load(
        contract_text(
            "fields:\n  a: {type: int64, nullable: true}\n  b: {type: string, nullable: true}\n"
            "dataset:\n  unique: [[a, b]]\n"
        )
    )
    frame = pl.DataFrame(
        {"a": [1, 1, 1, 2, 2, None, None], "b": ["x", "x", "x", "y", "y", "z", "z"]}
    )
    on_spark = contract.validate(spark_frame(spark, frame))
    assert shown(on_spark) == shown(contract.validate(frame))
    (found,) = on_spark.violations
    assert found.failure_count == 5  # three rows of (1, x), two of (2, y); null keys take no part


def test_references_may_be_spark_or_local_frames(spark: Any) -> None:
    contract = accord.load(
        contract_text(
            "references: {codes: {contract: codes}}\n"
            "fields:\n  c:\n    type: string\n    checks: [{in_reference: {dataset: codes, "
            "field: code}}]\n"
        )
    )
    frame = pl.DataFrame({"c": ["a", "b", "zz", "a"]})
    codes = pl.DataFrame({"code": ["a", "b"]})
    expected = shown(contract.validate(frame, references={"codes": codes}))
    for given in (codes, spark_frame(spark, codes)):
        report = contract.validate(spark_frame(spark, frame), references={"codes": given})
        assert shown(report) == expected
    assert expected[1][0][3:] == (1, [(2, "zz")])


def test_a_name_held_twice_reads_as_pandas_reads_it(spark: Any) -> None:
    """Spark frames, like pandas ones, may hold a column name twice: the report must say so
    and judge the first column, as on pandas."""
    contract = accord.load(contract_text("fields:\n  a: {type: int64, checks: [{min: 0}]}\n"))
    import pandas as pd

    twice = spark.createDataFrame([(1, -5), (-2, 7)], "a bigint, b bigint").toDF("a", "a")
    pandas_frame = pd.DataFrame([[1, -5], [-2, 7]], columns=["a", "a"])
    assert shown(contract.validate(twice)) == shown(contract.validate(pandas_frame))


def test_a_custom_check_is_skipped_with_the_reason_never_passed(
    spark: Any, registered_checks: list[str]
) -> None:
    @accord.register_check("positive")
    def positive(values: Any) -> Any:
        return values > 0

    registered_checks.append("positive")
    contract = accord.load(
        contract_text("fields:\n  v: {type: int64, checks: [{custom: {check: positive}}]}\n")
    )
    report = contract.validate(spark_frame(spark, pl.DataFrame({"v": [1, 2]})))
    status = {c.check_id: c.status for c in report.checks}["fields.v.checks[0]"]
    assert status == "skipped"
    (found,) = report.violations
    assert found.code == "check.skipped" and "Spark engine does not run" in found.message
    assert str(found.severity) == "warning"  # as for a reference with no data: said, not hidden
    assert report.summary.skipped == 1


def test_to_pandera_on_pyspark_says_why_it_cannot(spark: Any) -> None:
    contract = accord.load(contract_text("fields:\n  a: {type: int64}\n"))
    with pytest.raises(accord.UsageError, match="pandera"):
        contract.to_pandera(engine="pyspark")


@pytest.mark.parametrize("in_aggregation", [True, False], ids=["min_by", "window-pass"])
def test_first_failing_rows_of_every_check_in_input_order_across_partitions(
    spark: Any, monkeypatch: pytest.MonkeyPatch, in_aggregation: bool
) -> None:
    """Examples of many failed checks, keys and unreadable values at once, taken in the
    aggregation (Spark 4.2's ``min_by`` with k) or in one more pass (older Spark): the same
    first rows as polars, over a frame spread across partitions."""
    from accord.engines import spark_examples

    if in_aggregation and not spark_examples.IN_AGGREGATION:
        pytest.skip("this Spark's min_by takes no k")
    monkeypatch.setattr(spark_examples, "IN_AGGREGATION", in_aggregation)
    contract = accord.load(
        contract_text(
            "dataset:\n  primary_key: [k]\n  rules:\n    - {name: r, assert: 'x < y'}\n"
            "fields:\n  k: {type: int64}\n  x: {type: int64, nullable: true, checks: [{min: 0}]}\n"
            "  y: {type: int32, nullable: true, checks: [{in: [1, 2, 3]}]}\n"
            "  s: {type: string, checks: [{pattern: '[a-c]+'}]}\n"
        )
    )
    n = 400
    frame = pl.DataFrame(
        {
            "k": [i // 7 if i % 50 == 0 else i for i in range(n)],
            "x": [-i if i % 3 == 0 else i for i in range(n)],
            "y": [2**40 if i % 11 == 0 else i % 5 for i in range(n)],
            "s": ["abc" if i % 4 else "z" for i in range(n)],
        }
    )
    on_spark = contract.validate(spark_frame(spark, frame).repartition(3), max_examples=7)
    # repartition shuffles rows: polars judges them in the order Spark holds them
    held = pl.from_arrow(
        spark_frame(spark, frame).repartition(3).toArrow()  # same seedless round-robin order
    )
    on_polars = contract.validate(held, max_examples=7)
    assert shown(on_spark) == shown(on_polars)
    assert len(on_spark.violations) >= 5
    assert all(len(v.examples) == min(7, v.failure_count or 0) for v in on_spark.violations)


@pytest.mark.parametrize("bins", [1 << 16, 2], ids=["histogram", "counting-pass"])
def test_positions_in_later_partitions_from_the_histogram_or_a_counting_pass(
    spark: Any, monkeypatch: pytest.MonkeyPatch, bins: int
) -> None:
    """Ids within partitions become positions by the rows of the partitions before: from the
    aggregation's histogram of partition ids while it has a bin for each, else from one more
    pass. Either way the first failing rows, all in a later partition, are polars'."""
    from accord.engines import spark_pass

    monkeypatch.setattr(spark_pass, "_PARTITIONS", bins)
    contract = accord.load(
        contract_text("fields:\n  x: {type: int64, checks: [{min: 0}]}\n  s: {type: string}\n")
    )
    n = 120
    frame = pl.DataFrame(
        {
            "x": [-i if i % 9 == 4 and i > n // 2 else i for i in range(n)],
            "s": [f"r{i}" for i in range(n)],
        }
    )
    on_spark = spark_frame(spark, frame)
    assert on_spark.rdd.getNumPartitions() >= 2  # so the examples lie past the first partition
    report = contract.validate(on_spark, max_examples=4)
    assert shown(report) == shown(contract.validate(frame, max_examples=4))
    (violation,) = report.violations
    assert [e.row for e in violation.examples] == [67, 76, 85, 94]
