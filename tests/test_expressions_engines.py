"""Row-rule assertions evaluated on pandas and on polars; each behaviour is checked on both."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.compile.expr_pandas import evaluate_pandas
from accord.compile.expr_polars import to_polars
from accord.contract.expressions import (
    Arithmetic,
    Comparison,
    Expr,
    FieldRef,
    InList,
    IsNull,
    Literal,
    Logical,
    Negate,
    Not,
    parse,
)

Row = bool | None
NAN = math.nan


@pytest.fixture(params=["pandas", "polars"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def evaluate(engine: str, text: str | Expr, data: dict[str, list[Any]]) -> list[Row]:
    """Build the frame the engine's usual way from plain lists and evaluate the assertion."""
    expr = parse(text) if isinstance(text, str) else text
    if engine == "pandas":
        result = evaluate_pandas(expr, pd.DataFrame(data))
        assert result.dtype == "boolean"
        return [None if value is pd.NA else bool(value) for value in result]
    # nan_to_null=False keeps NaN as NaN, so the engine itself must treat it as null.
    frame = pl.DataFrame(data, nan_to_null=False)
    column = frame.select(to_polars(expr).alias("result")).to_series()
    assert column.dtype == pl.Boolean
    return list(column.to_list())


TRUTH = [True, True, True, False, False, False, None, None, None]
OTHER = [True, False, None, True, False, None, True, False, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("p and q", [True, False, None, False, False, False, None, False, None]),
        ("p or q", [True, True, True, True, False, None, True, None, None]),
        ("not p", [False, False, False, True, True, True, None, None, None]),
        ("not (p and q)", [False, True, None, True, True, True, None, True, None]),
        ("p is null", [False, False, False, False, False, False, True, True, True]),
        ("p is not null", [True, True, True, True, True, True, False, False, False]),
        ("p == q", [True, False, None, False, True, None, None, None, None]),
        ("p in (true)", [True, True, True, False, False, False, None, None, None]),
        ("p not in (true, false)", [False] * 6 + [None] * 3),
    ],
)
def test_kleene_truth_tables(engine: str, text: str, expected: list[Row]) -> None:
    assert evaluate(engine, text, {"p": TRUTH, "q": OTHER}) == expected


def test_null_operands_make_arithmetic_and_comparisons_null(engine: str) -> None:
    data = {"a": [1, None, 3], "b": [None, 2, 3]}
    assert evaluate(engine, "a + b > 0", data) == [None, None, True]
    assert evaluate(engine, "-a < 0", data) == [True, None, True]
    assert evaluate(engine, "a < b or a is null", data) == [None, True, False]
    assert evaluate(engine, "(a + b) is null", data) == [True, True, False]
    assert evaluate(engine, "a in (1, 2)", data) == [True, None, False]
    assert evaluate(engine, "a not in (1, 2)", data) == [False, None, True]


def test_an_expression_can_handle_its_own_nulls(engine: str) -> None:
    data = {"amount": [5, -1, -1, None], "parent_id": [None, 7, None, None]}
    rule = "amount >= 0 or parent_id is not null"
    assert evaluate(engine, rule, data) == [True, True, False, None]
    assert evaluate(engine, f"amount is null or ({rule})", data) == [True, True, False, True]


def test_division_by_zero_is_null(engine: str) -> None:
    data = {"n": [1, 0, -3, 6, None], "d": [0, 0, 0, 4, 0], "z": [0.0, -0.0, 0.0, 2.0, 1.0]}
    assert evaluate(engine, "n / d is null", data) == [True, True, True, False, True]
    assert evaluate(engine, "n / z is null", data) == [True, True, True, False, True]
    assert evaluate(engine, "n / d == 1.5", data) == [None, None, None, True, None]
    assert evaluate(engine, "n / 0 > 0 or true", data) == [True] * 5
    assert evaluate(engine, "n / (d - d) is null", data) == [True] * 5


def test_division_is_true_division(engine: str) -> None:
    data = {"a": [7, -7, 1], "b": [2, 2, 3]}
    assert evaluate(engine, "a / b == 3.5", data) == [True, False, False]
    assert evaluate(engine, "a / b == -3.5", data) == [False, True, False]
    assert evaluate(engine, "a / b * 3 == 1", data) == [False, False, True]


def test_nan_is_null(engine: str) -> None:
    data = {"x": [1.5, NAN, None, -2.0]}
    assert evaluate(engine, "x > 0", data) == [True, None, None, False]
    assert evaluate(engine, "x is null", data) == [False, True, True, False]
    assert evaluate(engine, "x == x", data) == [True, None, None, True]
    assert evaluate(engine, "x in (1.5, -2)", data) == [True, None, None, True]
    assert evaluate(engine, "x + 1 is not null", data) == [True, False, False, True]


def test_nan_produced_by_arithmetic_is_null(engine: str) -> None:
    data = {"x": [math.inf, 1.0, -math.inf]}
    assert evaluate(engine, "x - x is null", data) == [True, False, True]
    assert evaluate(engine, "x / x is null", data) == [True, False, True]
    assert evaluate(engine, "x * 0 is null", data) == [True, False, True]
    assert evaluate(engine, "x > 1e308", data) == [True, False, False]


def test_integers_and_floats_mix(engine: str) -> None:
    data = {"i": [1, 2, 3], "f": [1.0, 2.5, 3.0]}
    assert evaluate(engine, "i == f", data) == [True, False, True]
    assert evaluate(engine, "i == 1.0 or i = 3", data) == [True, False, True]
    assert evaluate(engine, "i + 0.5 == f", data) == [False, True, False]
    assert evaluate(engine, "i in (1.0, 2)", data) == [True, True, False]


def test_strings_compare_by_code_point(engine: str) -> None:
    data = {"s": ["B", "a", "ab", "é", "z", "", None]}
    assert evaluate(engine, "s < 'a'", data) == [True, False, False, False, False, True, None]
    assert evaluate(engine, "s > 'z'", data) == [False, False, False, True, False, False, None]
    assert evaluate(engine, "s >= 'a' and s < 'b'", data) == [
        *(False, True, True, False, False, False, None)
    ]
    assert evaluate(engine, "s == 'é' or s in ('B', '')", data) == [
        *(True, False, False, True, False, True, None)
    ]
    assert evaluate(engine, 's == "it\'s"', {"s": ["it's", "its"]}) == [True, False]


def test_dates_compare_with_dates(engine: str) -> None:
    data = {
        "start": [dt.date(2024, 1, 1), dt.date(2024, 3, 1), None, dt.date(2024, 5, 1)],
        "end": [dt.date(2024, 2, 1), dt.date(2024, 2, 1), dt.date(2024, 1, 1), None],
    }
    assert evaluate(engine, "start <= end", data) == [True, False, None, None]
    assert evaluate(engine, "start <= end or end is null", data) == [True, False, None, True]


def test_datetimes_compare_with_datetimes(engine: str) -> None:
    data = {
        "opened": [dt.datetime(2024, 1, 1, 9), dt.datetime(2024, 1, 1, 12), None],
        "closed": [dt.datetime(2024, 1, 1, 10, 30), dt.datetime(2024, 1, 1, 11), None],
    }
    assert evaluate(engine, "opened < closed", data) == [True, False, None]


def test_names_with_spaces_slashes_and_keywords(engine: str) -> None:
    data = {
        "unit price": [2.0, 5.0],
        "od280/od315": [1.0, 9.0],
        "a.b": [1, 2],
        "and": [True, False],
        "café": ["x", "y"],
    }
    text = "`unit price` > `od280/od315` and `a.b` < 2 and `and` and `café` == 'x'"
    assert evaluate(engine, text, data) == [True, False]


def test_bare_boolean_field_and_literals(engine: str) -> None:
    data = {"flag": [True, False, None]}
    assert evaluate(engine, "flag", data) == [True, False, None]
    assert evaluate(engine, "flag == false", data) == [False, True, None]
    assert evaluate(engine, "true or flag", data) == [True, True, True]
    assert evaluate(engine, "false and flag", data) == [False, False, False]
    assert evaluate(engine, "1 < 2", data) == [True, True, True]


def test_literal_against_an_all_null_result_keeps_every_row(engine: str) -> None:
    # Regression: polars 2.1 returned a single row for 0 == fill_nan(<all NaN>) in eager mode.
    data = {"x": [NAN, NAN, NAN], "a": [1, 2, 3]}
    assert evaluate(engine, "0 == x", data) == [None, None, None]
    assert evaluate(engine, "0 == a / 0", data) == [None, None, None]
    assert evaluate(engine, "0.5 < x - x or a in (9)", data) == [None, None, None]


def test_hand_built_null_and_nan_literals_are_null(engine: str) -> None:
    data = {"a": [1, None]}
    assert evaluate(engine, Comparison("==", FieldRef("a"), Literal(None)), data) == [None, None]
    nan_check = Comparison(">", FieldRef("a"), Literal(NAN))
    assert evaluate(engine, nan_check, data) == [None, None]
    assert evaluate(engine, IsNull(Literal(NAN), negated=False), data) == [True, True]


@pytest.mark.parametrize(
    "text",
    ["s + 1 > 0", "-s < 0", "i and i > 0", "not i", "i + 1"],
    ids=["string-arithmetic", "string-negation", "and-on-number", "not-on-number", "not-a-test"],
)
def test_type_errors_raise(engine: str, text: str) -> None:
    with pytest.raises(TypeError, match="needs"):
        evaluate(engine, text, {"s": ["a"], "i": [1]})


# --------------------------------------------------------------------------- pandas specifics
def test_pandas_dtypes_all_agree() -> None:
    tz_times = pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00", None]).tz_localize("UTC")
    frame = pd.DataFrame(
        {
            "i": [1, 2, 3],
            "I": pd.array([1, None, 3], dtype="Int64"),
            "Ipa": pd.array([1, None, 3], dtype="int64[pyarrow]"),
            "f": [1.0, NAN, 3.0],
            "F": pd.array([1.0, None, 3.0], dtype="Float64"),
            "Fpa": pd.array([1.0, None, NAN], dtype="double[pyarrow]"),
            "S": ["a", None, "c"],
            "Spy": pd.array(["a", None, "c"], dtype="string[python]"),
            "Spa": pd.array(["a", None, "c"], dtype="string[pyarrow]"),
            "Sobj": np.array(["a", None, "c"], dtype=object),
            "B": pd.array([True, None, False], dtype="boolean"),
            "Bpa": pd.array([True, None, False], dtype="bool[pyarrow]"),
            "Bobj": np.array([True, None, False], dtype=object),
            "T": tz_times,
            "Ttokyo": tz_times.tz_convert("Asia/Tokyo"),
            "Tnaive": pd.to_datetime(["2024-01-01", "2024-01-02", None]),
            "Dobj": [dt.date(2024, 1, 1), dt.date(2024, 1, 3), None],
            "Dpa": pd.array([dt.date(2024, 1, 2), None, None], dtype="date32[pyarrow]"),
            "u8": np.array([1, 2, 3], dtype="uint8"),
            "f32": np.array([0.5, NAN, 2.5], dtype="float32"),
            "empty": [None, None, None],
        },
        index=pd.Index([10, 20, 30], name="row"),
    )
    before = frame.copy(deep=True)

    def run(text: str) -> list[Row]:
        result = evaluate_pandas(parse(text), frame)
        assert result.index.equals(frame.index)
        return [None if value is pd.NA else bool(value) for value in result]

    same = [True, None, True]
    for text in ("I == Ipa", "I == f", "F == I", "S == Spy", "Spa == Sobj"):
        assert run(text) == same, text
    assert run("B == Bpa and Bobj == B and not (B != Bobj)") == [True, None, True]
    assert run("B and Bobj") == [True, None, False]
    assert run("F == Fpa") == [True, None, None]  # NaN in a pyarrow double is null too
    assert run("i == u8 and u8 * 100 == i * 100") == [True, True, True]
    assert run("f32 * 2 == i") == [True, None, False]
    assert run("T == Ttokyo") == [True, True, None]
    assert run("Dobj < Dpa") == [True, None, None]
    assert run("Tnaive > Dobj") == [False, False, None]
    assert run("empty == 1 or empty is null") == [True, True, True]
    assert run("empty") == [None, None, None]
    pd.testing.assert_frame_equal(frame, before)


def test_pandas_result_does_not_share_memory_with_the_frame() -> None:
    frame = pd.DataFrame({"flag": np.array([True, False])})
    result = evaluate_pandas(parse("flag"), frame)
    result.iloc[0] = False
    assert frame["flag"].tolist() == [True, False]


def test_pandas_reports_missing_columns() -> None:
    with pytest.raises(KeyError, match="'missing' is not in the data"):
        evaluate_pandas(parse("missing > 1"), pd.DataFrame({"a": [1]}))


def test_pandas_empty_frame() -> None:
    result = evaluate_pandas(
        parse("a / b > 1 or s in ('x')"), pd.DataFrame(columns=["a", "b", "s"])
    )
    assert len(result) == 0
    assert result.dtype == "boolean"


# --------------------------------------------------------------------------- polars specifics
def test_polars_lazy_frames_and_narrow_dtypes() -> None:
    frame = pl.LazyFrame(
        {"i8": [100, None], "f32": [0.1, NAN]},
        schema={"i8": pl.Int8, "f32": pl.Float32},
    )
    # Int8 would overflow at 100 * 100 without the widening that pandas also applies.
    result = frame.select(to_polars(parse("i8 * 100 == 10000 and f32 > 0.1"))).collect()
    assert result.to_series().to_list() == [True, None]


def test_polars_column_names_are_never_patterns() -> None:
    frame = pl.DataFrame({"*": [1, 2], "^a.*$": [3, 0], "abc": [0, 9]})
    result = frame.select(to_polars(parse("`*` < `^a.*$`"))).to_series()
    assert result.to_list() == [True, False]


# -------------------------------------------------------------------------- engine agreement
INT_FIELDS, FLOAT_FIELDS = ("a", "b"), ("x", "y")
int_cells = st.none() | st.integers(min_value=-4, max_value=4)
float_cells = st.none() | st.sampled_from([NAN, 0.0, -0.0, 0.5, -1.5, 3.0, math.inf, -math.inf])

numeric_leaves = st.one_of(
    st.sampled_from(INT_FIELDS + FLOAT_FIELDS).map(FieldRef),
    st.integers(min_value=-3, max_value=3).map(Literal),
    st.sampled_from([0.0, 0.5, -2.5]).map(Literal),
)
numbers = st.recursive(
    numeric_leaves,
    lambda children: (
        children.map(Negate)
        | st.builds(Arithmetic, st.sampled_from(["+", "-", "*", "/"]), children, children)
    ),
    max_leaves=4,
)
in_values = st.lists(
    st.one_of(st.integers(-3, 3), st.sampled_from([0.5, -1.5, 3.0])).map(Literal),
    min_size=1,
    max_size=3,
).map(tuple)
tests = st.one_of(
    st.builds(Comparison, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), numbers, numbers),
    st.builds(IsNull, numbers, st.booleans()),
    st.builds(InList, numbers, in_values, st.booleans()),
)
conditions = st.recursive(
    tests,
    lambda children: (
        children.map(Not) | st.builds(Logical, st.sampled_from(["and", "or"]), children, children)
    ),
    max_leaves=4,
)


@st.composite
def frames(draw: st.DrawFn) -> tuple[pd.DataFrame, pl.DataFrame]:
    rows = draw(st.integers(min_value=0, max_value=8))
    columns = {name: draw(st.lists(int_cells, min_size=rows, max_size=rows)) for name in INT_FIELDS}
    columns |= {
        name: draw(st.lists(float_cells, min_size=rows, max_size=rows)) for name in FLOAT_FIELDS
    }
    # pandas columns take any of their usual storages; the answer must not depend on which.
    pandas_columns = {}
    for name, cells in columns.items():
        if name in INT_FIELDS:
            dtype = draw(st.sampled_from(["Int64", "int64[pyarrow]", "float64"]))
        else:
            dtype = draw(st.sampled_from(["float64", "Float64", "double[pyarrow]"]))
        values = [NAN if cell is None and dtype == "float64" else cell for cell in cells]
        pandas_columns[name] = pd.array(values, dtype=dtype)
    schema = dict.fromkeys(INT_FIELDS, pl.Int64) | dict.fromkeys(FLOAT_FIELDS, pl.Float64)
    return pd.DataFrame(pandas_columns), pl.DataFrame(columns, schema=schema, nan_to_null=False)


@settings(max_examples=200, deadline=None)
@given(frames(), conditions)
def test_engines_agree_row_for_row(data: tuple[pd.DataFrame, pl.DataFrame], expr: Expr) -> None:
    pandas_frame, polars_frame = data
    from_pandas = [None if v is pd.NA else bool(v) for v in evaluate_pandas(expr, pandas_frame)]
    from_polars = polars_frame.select(to_polars(expr).alias("r")).to_series().to_list()
    assert from_pandas == from_polars
