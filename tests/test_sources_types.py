"""Text cell to typed value, per logical type: what is accepted, what is a failure, and why."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from accord.contract.loader import load_text
from accord.contract.model import Field_
from accord.errors import DataReadError
from accord.run.io.text_parse import convert_column, convert_text


def spec(yaml_field: str) -> Field_:
    contract = load_text(
        f"accord: 1\nname: t\nversion: 1.0.0\nfields:\n  x: {yaml_field}\n", source=None
    )
    return contract.fields["x"]


def convert(yaml_field: str, texts: list[str | None]) -> tuple[list[Any], list[str], str]:
    """Typed values, the failing texts and the reason, for one column."""
    values, failures, reason = convert_column(
        pl.Series("x", texts, dtype=pl.String), spec(yaml_field), name="x"
    )
    return values.to_list(), failures.get_column("value").to_list(), reason


UTC = dt.UTC

ACCEPTED: list[tuple[str, str, Any]] = [
    ("{type: int64}", "42", 42),
    ("{type: int64}", "-7", -7),
    ("{type: int64}", "+7", 7),
    ("{type: int64}", "007", 7),
    ("{type: int64}", "1582218195625938945", 1582218195625938945),
    ("{type: int64}", "-9223372036854775808", -(2**63)),
    ("{type: int8}", "-128", -128),
    ("{type: int8}", "127", 127),
    ("{type: uint8}", "255", 255),
    ("{type: uint64}", "18446744073709551615", 2**64 - 1),
    ("{type: integer}", "12", 12),
    ("{type: float64}", "1.5", 1.5),
    ("{type: float64}", "-2.5e-3", -0.0025),
    ("{type: float64}", "1E3", 1000.0),
    ("{type: float64}", ".5", 0.5),
    ("{type: float64}", "5.", 5.0),
    ("{type: float64}", "inf", float("inf")),
    ("{type: float64}", "-Infinity", float("-inf")),
    ("{type: float32}", "0.25", 0.25),
    ("{type: decimal, precision: 5, scale: 2}", "123.45", Decimal("123.45")),
    ("{type: decimal, precision: 5, scale: 2}", "1.50", Decimal("1.50")),
    ("{type: decimal, precision: 5, scale: 2}", "-0.5", Decimal("-0.50")),
    ("{type: decimal, precision: 5, scale: 2}", "1.2500", Decimal("1.25")),
    ("{type: decimal, precision: 5, scale: 2}", "000123.4", Decimal("123.40")),
    ("{type: decimal}", "10.125", Decimal("10.125")),
    ("{type: bool}", "true", True),
    ("{type: bool}", "FALSE", False),
    ("{type: bool}", "True", True),
    ("{type: bool}", "1", True),
    ("{type: bool}", "0", False),
    ("{type: date}", "2020-03-15", dt.date(2020, 3, 15)),
    ("{type: date, format: '%m/%d/%Y'}", "03/15/2020", dt.date(2020, 3, 15)),
    ("{type: date, format: '%d.%m.%Y'}", "15.03.2020", dt.date(2020, 3, 15)),
    ("{type: timestamp}", "2024-01-02T03:04:05", dt.datetime(2024, 1, 2, 3, 4, 5)),
    ("{type: timestamp}", "2024-01-02 03:04:05", dt.datetime(2024, 1, 2, 3, 4, 5)),
    ("{type: timestamp}", "2024-01-02T03:04", dt.datetime(2024, 1, 2, 3, 4)),
    ("{type: timestamp}", "2024-01-02T03:04:05.25", dt.datetime(2024, 1, 2, 3, 4, 5, 250000)),
    (
        "{type: timestamp}",
        "2024-01-02T03:04:05.123456000",
        dt.datetime(2024, 1, 2, 3, 4, 5, 123456),
    ),
    (
        "{type: timestamp, tz: UTC}",
        "2024-01-02T03:04:05Z",
        dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    ),
    (
        "{type: timestamp, tz: UTC}",
        "2024-01-02T03:04:05+01:00",
        dt.datetime(2024, 1, 2, 2, 4, 5, tzinfo=UTC),
    ),
    (
        "{type: timestamp, tz: UTC}",
        "2024-01-02 03:04:05-0530",
        dt.datetime(2024, 1, 2, 8, 34, 5, tzinfo=UTC),
    ),
    (
        "{type: timestamp, format: '%d/%m/%Y %H:%M'}",
        "02/01/2024 03:04",
        dt.datetime(2024, 1, 2, 3, 4),
    ),
    (
        "{type: timestamp, tz: UTC, format: '%Y-%m-%d %H:%M:%S%z'}",
        "2024-01-02 03:04:05+0100",
        dt.datetime(2024, 1, 2, 2, 4, 5, tzinfo=UTC),
    ),
    (
        "{type: timestamp, tz: Europe/Paris, format: '%Y-%m-%dT%H:%M:%SZ'}",
        "2024-01-02T03:04:05Z",
        dt.datetime(2024, 1, 2, 4, 4, 5, tzinfo=ZoneInfo("Europe/Paris")),
    ),
    ("{type: time}", "03:04", dt.time(3, 4)),
    ("{type: time}", "23:59:59", dt.time(23, 59, 59)),
    ("{type: time}", "03:04:05.123456", dt.time(3, 4, 5, 123456)),
    ("{type: time, format: '%H.%M'}", "03.04", dt.time(3, 4)),
    ("{type: duration}", "90m", dt.timedelta(minutes=90)),
    ("{type: duration}", "26h", dt.timedelta(hours=26)),
    ("{type: duration}", "1.5h", dt.timedelta(minutes=90)),
    ("{type: duration}", "7d", dt.timedelta(days=7)),
    ("{type: duration}", "2w", dt.timedelta(weeks=2)),
    ("{type: duration}", "45s", dt.timedelta(seconds=45)),
    ("{type: duration}", "0.1s", dt.timedelta(milliseconds=100)),
    ("{type: duration}", "3600", dt.timedelta(hours=1)),
    ("{type: string}", "  spaced  ", "  spaced  "),
    ("{type: category, categories: [a, b]}", "a", "a"),
]


@pytest.mark.parametrize(("field", "text", "expected"), ACCEPTED)
def test_accepted_text_becomes_the_exact_value(field: str, text: str, expected: Any) -> None:
    values, failures, _ = convert(field, [text])
    assert failures == []
    assert values == [expected]


def test_nan_text_is_a_float_nan_not_a_failure() -> None:
    values, failures, _ = convert("{type: float64}", ["NaN", "nan"])
    assert failures == []
    assert all(math.isnan(v) for v in values)


REJECTED: list[tuple[str, str, str]] = [
    ("{type: int64}", "3750 g", "not an int64"),
    ("{type: int64}", "8,425,333", "not an int64"),
    ("{type: int64}", "1.7", "not an int64"),
    ("{type: int64}", "1e3", "not an int64"),
    ("{type: int64}", " 12", "not an int64"),
    ("{type: int64}", "12 ", "not an int64"),
    ("{type: int64}", "0x10", "not an int64"),
    ("{type: int64}", "1_000", "not an int64"),
    ("{type: int64}", "9223372036854775808", "out of range for int64"),
    ("{type: int8}", "300", "out of range for int8 (-128 to 127)"),
    ("{type: int8}", "-129", "out of range for int8"),
    ("{type: uint8}", "-1", "out of range for uint8"),
    ("{type: uint64}", "18446744073709551616", "out of range for uint64"),
    ("{type: int64}", "9" * 60, "out of range for int64"),
    ("{type: float64}", "1,5", "not a float64"),
    ("{type: float64}", "abc", "not a float64"),
    ("{type: float64}", "1e400", "too large for float64"),
    ("{type: float32}", "1e39", "too large for float32"),
    ("{type: float64}", " 1.5", "not a float64"),
    ("{type: number}", "12 kg", "not a number"),
    (
        "{type: decimal, precision: 5, scale: 2}",
        "1.255",
        "more than 2 digits after the decimal point",
    ),
    (
        "{type: decimal, precision: 5, scale: 2}",
        "1000",
        "more than 3 digits before the decimal point",
    ),
    ("{type: decimal, precision: 5, scale: 2}", "1e2", "not a decimal number"),
    ("{type: decimal, precision: 5, scale: 2}", "abc", "not a decimal number"),
    ("{type: decimal, precision: 4}", "1.5", "more than 0 digits after the decimal point"),
    ("{type: bool}", "yes", "not a bool"),
    ("{type: bool}", "t", "not a bool"),
    ("{type: bool}", "2", "not a bool"),
    ("{type: bool}", " true", "not a bool"),
    ("{type: date}", "03/15/2020", "not a date in format %Y-%m-%d"),
    ("{type: date}", "2020-3-5", "not a date in format %Y-%m-%d"),
    ("{type: date}", "2020-02-30", "not a date in format %Y-%m-%d"),
    ("{type: date}", " 2020-03-15", "not a date in format %Y-%m-%d"),
    ("{type: date}", "20200315", "not a date in format %Y-%m-%d"),
    ("{type: date}", "2020-03-15T00:00", "not a date in format %Y-%m-%d"),
    ("{type: date, format: '%m/%d/%Y'}", "2020-03-15", "not a date in format %m/%d/%Y"),
    ("{type: date, format: '%m/%d/%Y'}", " 03/15/2020", "not a date in format %m/%d/%Y"),
    ("{type: timestamp}", "2024-01-02", "not an ISO 8601 timestamp"),
    ("{type: timestamp}", "02/01/2024 03:04", "not an ISO 8601 timestamp"),
    ("{type: timestamp}", "2024-13-02T03:04:05", "not a valid calendar date"),
    ("{type: timestamp}", "2024-01-02T24:00:00", "not a valid calendar date"),
    ("{type: timestamp}", "2024-01-02T03:04:05.1234567", "finer than a microsecond"),
    (
        "{type: timestamp}",
        "2024-01-02T03:04:05Z",
        "timestamp with a UTC offset for a tz-naive field",
    ),
    (
        "{type: timestamp}",
        "2024-01-02T03:04:05+01:00",
        "timestamp with a UTC offset for a tz-naive",
    ),
    ("{type: timestamp, tz: UTC}", "2024-01-02T03:04:05", "naive timestamp for a tz=UTC field"),
    (
        "{type: timestamp, tz: Europe/Paris}",
        "2024-01-02 03:04",
        "naive timestamp for a tz=Europe/Paris field",
    ),
    (
        "{type: timestamp, tz: UTC}",
        "2024-01-02T03:04:05+25:00",
        "not a valid calendar date, time or UTC offset",
    ),
    (
        "{type: timestamp, format: '%d/%m/%Y %H:%M'}",
        "2024-01-02 03:04",
        "not a timestamp in format",
    ),
    (
        "{type: timestamp, tz: UTC, format: '%d/%m/%Y %H:%M'}",
        "02/01/2024 03:04",
        "naive timestamp for a tz=UTC field",
    ),
    (
        "{type: timestamp, format: '%Y-%m-%d %H:%M:%S%z'}",
        "2024-01-02 03:04:05+0100",
        "UTC offset for a tz-naive field",
    ),
    (
        "{type: timestamp, format: '%Y-%m-%dT%H:%M:%SZ'}",
        "2024-01-02T03:04:05Z",
        "UTC offset for a tz-naive field",
    ),
    ("{type: time}", "3:04", "not a time"),
    ("{type: time}", "25:00", "not a time"),
    ("{type: time}", "12:60", "not a time"),
    ("{type: time}", "noon", "not a time"),
    ("{type: time, format: '%H.%M'}", "03:04", "not a time in format %H.%M"),
    ("{type: duration}", "-5m", "not a duration"),
    ("{type: duration}", "PT5M", "not a duration"),
    ("{type: duration}", "1.5", "not a duration"),
    ("{type: duration}", "5 m", "not a duration"),
    ("{type: duration}", "0.0000001s", "finer than a microsecond"),
    ("{type: duration}", "99999999999999999w", "too long for a duration"),
    ("{type: duration}", "9" * 40 + "w", "too long for a duration"),
    ("{type: duration}", "1" + "0" * 30 + ".5s", "too long for a duration"),
]


@pytest.mark.parametrize(("field", "text", "reason"), REJECTED)
def test_rejected_text_is_a_failure_with_its_text_and_reason(
    field: str, text: str, reason: str
) -> None:
    values, failures, why = convert(field, [text, None])
    assert values == [None, None]
    assert failures == [text]  # the original text, not a cleaned-up version; the null is no failure
    assert reason in why


def test_timestamp_in_another_zone_is_the_same_instant() -> None:
    values, failures, _ = convert(
        "{type: timestamp, tz: Europe/Paris}", ["2024-07-01T10:00:00Z", "2024-07-01T12:00:00+02:00"]
    )
    assert failures == []
    assert values[0] == values[1]
    assert values[0].utcoffset() == dt.timedelta(hours=2)
    assert values[0].astimezone(UTC) == dt.datetime(2024, 7, 1, 10, tzinfo=UTC)


def test_tz_field_has_zoned_dtype_and_naive_field_naive_dtype() -> None:
    aware, _, _ = convert_column(
        pl.Series(["2024-01-02T00:00Z"]), spec("{type: timestamp, tz: UTC}"), name="x"
    )
    naive, _, _ = convert_column(
        pl.Series(["2024-01-02T00:00"]), spec("{type: timestamp}"), name="x"
    )
    assert aware.dtype == pl.Datetime("us", "UTC")
    assert naive.dtype == pl.Datetime("us")


def test_number_is_int64_when_every_value_is_an_integer() -> None:
    ints, _, _ = convert_column(
        pl.Series(["1", "-2", None, "1582218195625938945"]), spec("{type: number}"), name="x"
    )
    assert ints.dtype == pl.Int64
    assert ints.to_list() == [1, -2, None, 1582218195625938945]
    floats, failures, _ = convert_column(
        pl.Series(["1", "2.5", "NaN"]), spec("{type: number}"), name="x"
    )
    assert floats.dtype == pl.Float64
    assert floats.to_list()[:2] == [1.0, 2.5]
    assert failures.height == 0


def test_integer_widths_get_their_own_dtype() -> None:
    for logical, dtype in [
        ("int8", pl.Int8),
        ("uint16", pl.UInt16),
        ("integer", pl.Int64),
        ("uint64", pl.UInt64),
    ]:
        values, _, _ = convert_column(pl.Series(["1"]), spec(f"{{type: {logical}}}"), name="x")
        assert values.dtype == dtype


def test_decimal_dtype_follows_precision_and_scale() -> None:
    declared, _, _ = convert_column(
        pl.Series(["1.5"]), spec("{type: decimal, precision: 10, scale: 3}"), name="x"
    )
    inferred, _, _ = convert_column(
        pl.Series(["1.5", "2.125", "3"]), spec("{type: decimal}"), name="x"
    )
    assert declared.dtype == pl.Decimal(10, 3)
    assert inferred.dtype == pl.Decimal(38, 3)
    assert inferred.to_list() == [Decimal("1.500"), Decimal("2.125"), Decimal("3.000")]


def test_decimal_precision_beyond_polars_is_a_read_error() -> None:
    with pytest.raises(DataReadError, match="precision 50"):
        convert_column(pl.Series(["1"]), spec("{type: decimal, precision: 50, scale: 2}"), name="x")


def test_failure_rows_are_exact_and_in_order() -> None:
    texts = ["1", "x", None, "2", "y", "", "3"]
    _, failures, _ = convert_column(pl.Series(texts), spec("{type: int32}"), name="x")
    assert failures.schema == pl.Schema({"row": pl.UInt64, "value": pl.String})
    assert failures.rows() == [(1, "x"), (4, "y"), (5, "")]


def test_reason_lists_each_kind_of_failure_found() -> None:
    _, _, reason = convert("{type: int8}", ["x", "300", "5"])
    assert reason == "not an int8; out of range for int8 (-128 to 127)"


def test_convert_text_applies_null_tokens_to_every_column_and_counts_them() -> None:
    contract = load_text(
        "accord: 1\nname: t\nversion: 1.0.0\nfields:\n  n: {type: int64, nullable: true}\n"
        "  c: {type: string}\n",
        source=None,
    )
    frame = pl.DataFrame(
        {"n": ["1", "NA", "", "null"], "c": ["NA", "DE", "NA", ""], "extra": ["NA", "x", "", "y"]}
    )
    result = convert_text(frame, contract.fields, null_values=["", "NA"])
    assert result.frame.get_column("n").to_list() == [1, None, None, None]
    assert result.cell_failures["n"].rows() == [(3, "null")]
    assert result.frame.get_column("c").to_list() == [None, "DE", None, None]
    assert result.frame.get_column("extra").to_list() == [None, "x", None, "y"]  # undeclared: text
    assert result.null_token_counts == {"n": {"NA": 1}, "c": {"NA": 2}, "extra": {"NA": 1}}
    assert frame.get_column("n").to_list() == ["1", "NA", "", "null"]  # the input is untouched


def test_without_the_token_na_is_data() -> None:
    contract = load_text(
        "accord: 1\nname: t\nversion: 1.0.0\nfields:\n  country: {type: string}\n", source=None
    )
    result = convert_text(
        pl.DataFrame({"country": ["NA", "DE", ""]}), contract.fields, null_values=[""]
    )
    assert result.frame.get_column("country").to_list() == ["NA", "DE", None]
    assert result.null_token_counts == {}
