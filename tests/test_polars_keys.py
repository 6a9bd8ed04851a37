"""Key checks narrowed by hash (``engines.polars_keys``) fail exactly the rows the key check's own
expression fails over the whole frame: text keys, keys of several columns, -0.0 beside 0.0,
NaN and nulls (exempt), categories."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import accord
from accord.compile.plan import build_plan
from accord.engines import polars as polars_engine
from accord.engines.polars import PolarsEngine
from accord.engines.polars_keys import candidates

CONTRACT = accord.load("""\
accord: 1
name: keys
version: 1.0.0
dataset:
  primary_key: [code, x]
  unique: [[label, n], [x]]
fields:
  code: {type: string, nullable: true, unique: true}
  x: {type: float64, nullable: true}
  label: {type: category, nullable: true}
  n: {type: int64, nullable: true, unique: true}
""")
PLAN = build_plan(CONTRACT.model, as_of=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
PRESENT = set(CONTRACT.model.fields)
KEY_CHECKS = {s.check_id for s in PLAN.all_checks() if s.kind in ("unique", "primary_key")} | {
    s.check_id for s in PLAN.all_checks() if s.kind == "unique_together"
}


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    rows = draw(st.integers(0, 14))
    column = lambda strategy: draw(st.lists(strategy, min_size=rows, max_size=rows))  # noqa: E731
    return pl.DataFrame(
        {
            "code": column(st.one_of(st.none(), st.sampled_from(["a", "b", "é", "", "A"]))),
            "x": column(st.sampled_from([None, float("nan"), 0.0, -0.0, 1.5, -1.5])),
            "label": column(st.one_of(st.none(), st.sampled_from(["p", "q", "r"]))),
            "n": column(st.one_of(st.none(), st.integers(-2, 2))),
        },
        schema={"code": pl.String, "x": pl.Float64, "label": pl.Categorical, "n": pl.Int64},
    )


def failed(frame: pl.DataFrame, *, narrowed: bool) -> dict[str, list[int]]:
    engine = PolarsEngine()
    found = polars_engine.candidates if narrowed else (lambda *args: None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(polars_engine, "candidates", found)
        evaluation = engine.failures(PLAN, frame, PRESENT, {})
    assert evaluation.errors == {}
    return {
        key: sorted(np.asarray(rows).tolist())
        for key, rows in evaluation.failed.items()
        if key in KEY_CHECKS and rows is not None
    }


@given(frames())
def test_narrowed_key_checks_fail_the_rows_the_whole_expression_fails(frame: pl.DataFrame) -> None:
    assert failed(frame, narrowed=True) == failed(frame, narrowed=False)


def test_every_kind_of_key_here_is_narrowed_but_a_single_number() -> None:
    frame = pl.DataFrame(schema={"code": pl.String, "x": pl.Float64, "label": pl.Categorical})
    schema = frame.with_columns(n=pl.lit(1, pl.Int64)).schema
    narrowed = {
        spec.check_id
        for spec in PLAN.all_checks()
        if candidates(spec, schema, frozenset({"x"})) is not None
    }
    assert narrowed == {
        "fields.code.unique",
        "dataset.primary_key",
        "dataset.unique[0]",
    }


def test_a_key_whose_values_do_not_hash_alike_is_judged_whole() -> None:
    spec = next(s for s in PLAN.all_checks() if s.check_id == "dataset.primary_key")
    schema = pl.Schema({"code": pl.List(pl.String), "x": pl.Float64})
    assert candidates(spec, schema, frozenset({"x"})) is None


def test_duplicated_text_keys_are_found_among_a_million_unique_ones() -> None:
    codes = [f"k{i}" for i in range(1_000_000)]
    codes[10], codes[999_999] = "dup", "dup"
    frame = pl.DataFrame({"code": codes, "x": [1.0] * len(codes)}).with_columns(
        label=pl.lit(None, pl.Categorical), n=pl.lit(None, pl.Int64)
    )
    assert failed(frame, narrowed=True)["fields.code.unique"] == [10, 999_999]
