"""The parity property (FAULTS.md row 38, at random): a random small frame against a random VALID
contract gives the same verdict and the same (code, field, check_id, failure_count, example rows
and values) on polars and on pandas, whether pandas gets the frame numpy-backed (``to_pandas()``)
or arrow-backed, and on pyspark; and validation never modifies the frame it is given.

Contracts are drawn from a strategy, not mutated: each field's type follows its column (now and
then a neighbouring type, to reach the value-by-value and mismatch paths), and each check's
parameters are drawn in the field's type, so every contract loads. ``HYPOTHESIS_PROFILE=deep``
runs 5,000 examples per test. A Spark frame per example costs about a second on a busy machine,
so the Spark property draws ``ACCORD_SPARK_FUZZ_EXAMPLES`` examples (15 by default; 350 drawn in
one sitting found no difference).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import polars as pl
import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import accord
from conftest import spark_frame
from fault_support import HEADER

# Column kinds: (polars dtype, the logical types a contract may declare for it, first = exact).
KINDS: dict[str, tuple[pl.DataType, tuple[str, ...]]] = {
    "int": (pl.Int64(), ("int64", "integer", "number", "int32", "float64")),
    "small": (pl.Int32(), ("int32", "int64", "int8", "uint8")),
    "float": (pl.Float64(), ("float64", "number", "int64")),
    "text": (pl.String(), ("string", "category", "int64")),
    "bool": (pl.Boolean(), ("bool",)),
    "date": (pl.Date(), ("date", "timestamp")),
    "naive": (pl.Datetime("us"), ("timestamp",)),
    "utc": (pl.Datetime("us", "UTC"), ("timestamp",)),
}
NAMES = ["a", "b c", "d.e", "f/g", "ñ"]
TEXTS = ["", "a", "ab", "B", "é", "ß", "日本", "a b", " a", "a\n", "😀", "abc", "A1", "x"]
PATTERNS = ["^a", "b$", "[a-z]+", "[^a]", "\\d", "é|ß", ".{2,}", "(a|b)*c?", "\\s", "^$"]
EPOCH = dt.date(2020, 1, 1)
INSTANT = dt.datetime(2020, 1, 1)


def values(kind: str) -> st.SearchStrategy[Any]:
    if kind == "int":
        return st.integers(-3, 3) | st.sampled_from([2**53 + 1, -(2**62), 2**63 - 1])
    if kind == "small":
        return st.integers(-130, 260)
    if kind == "float":
        return st.floats(-4, 4, width=32).map(lambda x: round(x, 1)) | st.sampled_from(
            [math.nan, math.inf, -math.inf, -0.0, 1.5, 1e300]
        )
    if kind == "text":
        return st.sampled_from(TEXTS) | st.text(max_size=3)
    if kind == "bool":
        return st.booleans()
    if kind == "date":
        return st.integers(-3, 3).map(lambda d: EPOCH + dt.timedelta(days=d))
    moment = st.integers(-3, 3).map(lambda h: INSTANT + dt.timedelta(hours=h, microseconds=7))
    return moment if kind == "naive" else moment.map(lambda m: m.replace(tzinfo=dt.UTC))


def param(kind: str, logical: str) -> st.SearchStrategy[Any]:
    """A check parameter written as YAML would hold it, readable in ``logical``."""
    if logical in ("int64", "integer", "int32"):
        return st.integers(-3, 3)
    if logical in ("int8", "uint8"):
        return st.integers(0, 127)
    if logical in ("float64", "number"):
        return st.integers(-3, 3) | st.floats(-4, 4).map(lambda x: round(x, 1))
    if logical in ("string", "category"):
        return st.sampled_from(TEXTS)
    if logical == "bool":
        return st.booleans()
    if logical == "date":
        return st.integers(-3, 3).map(lambda d: (EPOCH + dt.timedelta(days=d)).isoformat())
    offset = "+00:00" if kind == "utc" else ""
    return st.integers(-3, 3).map(lambda h: (INSTANT + dt.timedelta(hours=h)).isoformat() + offset)


@st.composite
def check(draw: st.DrawFn, kind: str, logical: str) -> dict[str, Any]:
    value = param(kind, logical)
    ordered = logical not in ("string", "category", "bool")
    numeric = logical in ("int64", "integer", "int32", "int8", "uint8", "float64", "number")
    options = ["equal_to", "not_equal_to", "in", "not_in", "max_null_fraction", "distinct"]
    if ordered:
        options += ["greater_than", "greater_than_or_equal_to", "less_than", "max", "between"]
    if numeric:
        options += ["mean_between", "median_between", "stddev_between"]
    if logical in ("string", "category"):
        options += ["pattern", "length", "starts_with", "ends_with", "contains"]
    name = draw(st.sampled_from(options))
    if name in ("in", "not_in"):
        return {name: draw(st.lists(value, min_size=1, max_size=4))}
    if name == "between":
        low, high = sorted([draw(value), draw(value)], key=_order_key)
        inclusive = draw(st.sampled_from(["both", "neither", "left", "right"]))
        if low == high:
            inclusive = "both"
        return {"between": {"min": low, "max": high, "inclusive": inclusive}}
    if name == "max_null_fraction":
        return {name: draw(st.sampled_from([0, 0.25, 0.5, 1]))}
    if name == "distinct":
        low = draw(st.integers(0, 4))
        return {"distinct_count_between": {"min": low, "max": low + draw(st.integers(0, 3))}}
    if name in ("mean_between", "median_between", "stddev_between"):
        low = draw(st.integers(0 if name == "stddev_between" else -3, 2))
        return {name: {"min": low, "max": low + draw(st.integers(0, 3))}}
    if name == "pattern":
        return {name: draw(st.sampled_from(PATTERNS))}
    if name == "length":
        low = draw(st.integers(0, 2))
        return {name: {"min": low, "max": low + draw(st.integers(0, 2))}}
    if name in ("starts_with", "ends_with", "contains"):
        return {name: draw(st.sampled_from(["a", "é", "日", " ", "1"]))}
    return {name: draw(value)}


def _order_key(value: Any) -> Any:
    return value if not isinstance(value, str) else dt.datetime.fromisoformat(value).timestamp()


@dataclass
class Case:
    frame: pl.DataFrame
    contract: dict[str, Any]
    kinds: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        return HEADER + yaml.safe_dump(self.contract, sort_keys=False, allow_unicode=True)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    rows = draw(st.integers(0, 7))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    columns: dict[str, pl.Series] = {}
    fields: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    for name in names:
        kind = draw(st.sampled_from(sorted(KINDS)))
        dtype, logicals = KINDS[kind]
        cells = draw(st.lists(st.none() | values(kind), min_size=rows, max_size=rows))
        columns[name] = pl.Series(name, cells, dtype=dtype, strict=False)
        logical = logicals[0] if draw(st.integers(0, 4)) else draw(st.sampled_from(logicals))
        spec: dict[str, Any] = {"type": logical}
        if logical == "timestamp" and kind == "utc":
            spec["tz"] = "UTC"
        if draw(st.booleans()):
            spec["nullable"] = True
        if draw(st.integers(0, 3)) == 0:
            spec["unique"] = True
        checks = draw(st.lists(check(kind, logical), max_size=3))
        if checks:
            spec["checks"] = checks
        fields[name] = spec
        kinds[name] = kind
    dataset: dict[str, Any] = {}
    if draw(st.integers(0, 2)) == 0:
        dataset["primary_key"] = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    if draw(st.integers(0, 3)) == 0:
        dataset["unique"] = [draw(st.lists(st.sampled_from(names), min_size=1, unique=True))]
    if draw(st.integers(0, 3)) == 0:
        low = draw(st.integers(0, 4))
        dataset["row_count"] = {"min": low, "max": low + draw(st.integers(0, 4))}
    numeric = [n for n in names if fields[n]["type"] in ("int64", "integer", "float64", "number")]
    if numeric and draw(st.booleans()):
        left, right = draw(st.sampled_from(numeric)), draw(st.sampled_from(numeric))
        rule = draw(
            st.sampled_from(
                [
                    f"`{left}` <= `{right}`",
                    f"`{left}` is null or `{left}` > 0",
                    f"`{left}` + 1 > `{right}` or `{right}` is null",
                    f"not (`{left}` = 2)",
                ]
            )
        )
        dataset["rules"] = [{"name": "r", "assert": rule}]
    contract: dict[str, Any] = {"dataset": dataset} if dataset else {}
    contract["fields"] = fields
    return Case(pl.DataFrame(list(columns.values())), contract, kinds)


def nan_as_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: nan_as_none(v) for k, v in value.items()}
    if value == "NaN" or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def fingerprint(report: Any) -> tuple[Any, ...]:
    violations = [
        (
            str(v.code),
            v.field,
            v.check_id,
            str(v.severity),
            v.failure_count,
            [(e.row, nan_as_none(e.value)) for e in v.examples],
        )
        for v in report.violations
    ]
    statuses = sorted((c.check_id, c.status) for c in report.checks)
    return report.passed, report.dataset.rows, violations, statuses


def snapshot(frame: Any) -> Any:
    if isinstance(frame, pl.DataFrame):
        return frame.clone()
    return frame.copy(deep=True)


def unchanged(before: Any, after: Any) -> bool:
    if isinstance(before, pl.DataFrame):
        return before.equals(after, null_equal=True) and before.schema == after.schema
    try:
        pd.testing.assert_frame_equal(before, after, check_exact=True)
    except AssertionError:
        return False
    return True


def _numpy_pandas_cannot_hold(frame: pl.DataFrame) -> bool:
    """What numpy-backed pandas changes on the way in: an integer column with nulls becomes
    float64 (beyond 2**53 no longer proving the integer, FAULTS row 19), and a date column
    becomes datetime64, a valid timestamp column. Such frames are compared arrow-backed only."""
    return any(
        isinstance(series.dtype, pl.Date)
        or (
            series.dtype.is_integer()
            and series.null_count() > 0
            and bool((series.cast(pl.Float64).abs() >= 2.0**53).any())
        )
        for series in frame.iter_columns()
    )


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_random_frames_and_contracts_agree_on_every_engine(case: Case) -> None:
    text = case.text()
    note(text)
    note(repr(case.frame))
    contract = accord.load(text)  # a drawn contract is always valid
    feeds = {
        "polars": case.frame,
        "pandas-arrow": case.frame.to_pandas(use_pyarrow_extension_array=True),
    }
    if not _numpy_pandas_cannot_hold(case.frame):
        feeds["pandas"] = case.frame.to_pandas()
    prints = {}
    for name, frame in feeds.items():
        before = snapshot(frame)
        report = contract.validate(frame, as_of=dt.datetime(2020, 1, 2, tzinfo=dt.UTC))
        assert unchanged(before, frame), f"{name} modified its input"
        prints[name] = fingerprint(report)
        # every report serialises and reads back, whatever the data held
        assert type(report).from_json(report.to_json()) == report
    assert prints["pandas-arrow"] == prints["polars"]
    if "pandas" in prints:
        assert prints["pandas"] == prints["polars"]


SPARK_EXAMPLES = int(os.environ.get("ACCORD_SPARK_FUZZ_EXAMPLES", "15"))


@pytest.mark.spark
@settings(
    max_examples=SPARK_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_random_frames_and_contracts_agree_on_spark(spark: Any, case: Case) -> None:
    text = case.text()
    note(text)
    note(repr(case.frame))
    contract = accord.load(text)
    as_of = dt.datetime(2020, 1, 2, tzinfo=dt.UTC)
    on_spark = contract.validate(spark_frame(spark, case.frame), as_of=as_of)
    assert fingerprint(on_spark) == fingerprint(contract.validate(case.frame, as_of=as_of))
