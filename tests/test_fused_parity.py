"""The runner evaluates the compiled checks directly (polars: one fused pass); plain pandera
validating the compiled schema must find exactly the same failing rows for every check."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors
import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import accord
from accord.compile.pandas_engine import to_pandera_pandas
from accord.compile.plan import build_plan
from accord.compile.polars_engine import to_pandera_polars
from accord.engines.pandas import PandasEngine
from accord.engines.polars import PolarsEngine

CONTRACT = accord.load("""\
accord: 1
name: parity
version: 1.0.0
dataset:
  primary_key: [id]
  unique: [[code, n]]
  row_count: {min: 3}
  rules:
    - {name: ordered, assert: "low <= high or code = 'x'"}
fields:
  id: {type: int64}
  n:
    type: int64
    nullable: true
    checks:
      - between: {min: -5, max: 5}
      - not_in: [3]
      - mean_between: {min: -1, max: 1}
  low: {type: float64, nullable: true, checks: [{greater_than: -2.5}]}
  high: {type: float64, nullable: true, checks: [{max_null_fraction: 0.3}]}
  code:
    type: string
    nullable: true
    unique: false
    checks:
      - in: [a, b, x, "é"]
      - pattern: "[a-z]"
      - length: {max: 1}
      - distinct_count_between: {min: 2}
  day:
    type: date
    nullable: true
    checks:
      - between: {min: 2020-01-01, max: 2020-12-31}
""")
PLAN = build_plan(CONTRACT.model, as_of=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
PRESENT = set(CONTRACT.model.fields)

ints = st.one_of(st.none(), st.integers(-8, 8))
floats = st.one_of(st.none(), st.just(float("nan")), st.floats(-4, 4))
codes = st.one_of(st.none(), st.sampled_from(["a", "b", "x", "é", "B", "ab", ""]))
days = st.one_of(st.none(), st.dates(dt.date(2019, 6, 1), dt.date(2021, 6, 1)))


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    rows = draw(st.integers(0, 12))
    column = lambda strategy: draw(st.lists(strategy, min_size=rows, max_size=rows))  # noqa: E731
    return pl.DataFrame(
        {
            "id": column(st.integers(0, 6)),
            "n": column(ints),
            "low": column(floats),
            "high": column(floats),
            "code": column(codes),
            "day": column(days),
        },
        schema={
            "id": pl.Int64,
            "n": pl.Int64,
            "low": pl.Float64,
            "high": pl.Float64,
            "code": pl.String,
            "day": pl.Date,
        },
    )


def pandera_failures(schema: Any, frame: Any) -> dict[str, Any]:
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        if isinstance(cases, pl.DataFrame):
            cases = cases.to_pandas()
        found: dict[str, Any] = {}
        aggregates = {spec.check_id for spec in PLAN.all_checks() if spec.aggregate}
        for check_id, group in cases.groupby("check", sort=False):
            rows = pd.to_numeric(group["index"], errors="coerce").dropna()
            key = str(check_id)
            found[key] = None if key in aggregates else sorted(set(rows.astype(int)))
        return found
    return {}


def direct_failures(engine: Any, frame: Any) -> dict[str, Any]:
    evaluation = engine.failures(PLAN, frame, PRESENT, {})
    assert evaluation.errors == {}
    return {
        key: None if rows is None else sorted(np.asarray(rows).tolist())
        for key, rows in evaluation.failed.items()
    }


@given(frames())
def test_fused_polars_pass_finds_what_pandera_finds(frame: pl.DataFrame) -> None:
    schema = to_pandera_polars(PLAN, with_types=False, columns=PRESENT)
    assert direct_failures(PolarsEngine(), frame) == pandera_failures(schema, frame)


@given(frames())
def test_direct_pandas_checks_find_what_pandera_finds(frame: pl.DataFrame) -> None:
    pandas_frame = frame.to_pandas(use_pyarrow_extension_array=True)
    schema = to_pandera_pandas(PLAN, with_types=False, columns=PRESENT)
    assert direct_failures(PandasEngine(), pandas_frame) == pandera_failures(schema, pandas_frame)
