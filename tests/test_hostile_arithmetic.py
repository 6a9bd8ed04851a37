"""Issue 11, class 3: integer arithmetic in row rules never wraps (SPEC 1.5). A result beyond
int64 fails the row, on pandas and polars alike, whatever the column's stored width, and
whatever the rest of the assertion says; floats and division keep their documented meaning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.compile.expr_pandas import evaluate_pandas
from accord.compile.expr_polars import to_polars
from accord.contract.expressions import parse
from fault_support import validate, violation, write_contract, write_parquet

ENGINES = ("pandas", "polars")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
Row = bool | None


def evaluate(engine: str, text: str, frame: pl.DataFrame) -> list[Row]:
    """The assertion on ``frame`` as polars holds it, or as the CLI hands it to pandas."""
    if engine == "pandas":
        result = evaluate_pandas(parse(text), frame.to_pandas(use_pyarrow_extension_array=True))
        return [None if value is pd.NA else bool(value) for value in result]
    return list(frame.select(to_polars(parse(text)).alias("r")).to_series().to_list())


BIG = 2**32


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("w * h < 100", [False, True, False, None]),
        # the overflowed row fails even where the rest of the assertion would let it pass
        ("w * h < 100 or w > 0", [False, True, False, None]),
        ("not (w * h > 100)", [False, True, False, None]),
        ("w * h is null", [False, False, False, True]),
        ("w + w > 0", [True, True, False, None]),
        ("w - h < 0", [False, True, True, None]),
        ("-w < 0", [True, True, False, None]),
        ("w * 1.5 > 0", [True, True, False, None]),  # floats saturate, they never wrap
    ],
)
def test_integer_arithmetic_never_wraps(engine: str, text: str, expected: list[Row]) -> None:
    frame = pl.DataFrame({"w": [BIG, 3, INT64_MIN, None], "h": [BIG, 4, -1, 1]})
    assert evaluate(engine, text, frame) == expected


INT_DTYPES = [pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("dtype", INT_DTYPES, ids=str)
def test_integer_arithmetic_never_wraps_at_the_stored_width(
    engine: str, dtype: type[pl.DataType]
) -> None:
    """100 * 100 is 10000 in an int8 column too: every width computes as int64 or wider."""
    frame = pl.DataFrame({"a": pl.Series([100, 2], dtype=dtype)})
    assert evaluate(engine, "a * a * a == 1000000", frame) == [True, False]
    assert evaluate(engine, "a + a > 150", frame) == [True, False]
    assert evaluate(engine, "a - 101 < 0", frame) == [True, True]
    assert evaluate(engine, "a / 3 > 33", frame) == [True, False]


@pytest.mark.parametrize("engine", ENGINES)
def test_integer_arithmetic_never_wraps_division_by_zero_stays_null(engine: str) -> None:
    """Division is true division; by zero it is null (the row fails unless handled)."""
    frame = pl.DataFrame({"a": [INT64_MAX, 4], "b": [0, 2]})
    assert evaluate(engine, "a / b > 1", frame) == [None, True]
    assert evaluate(engine, "a / b is null", frame) == [True, False]


@pytest.mark.parametrize("engine", ENGINES)
@given(
    a=st.integers(INT64_MIN, INT64_MAX),
    b=st.integers(INT64_MIN, INT64_MAX),
    op=st.sampled_from(["+", "-", "*"]),
)
def test_integer_arithmetic_never_wraps_exact_at_every_boundary(
    engine: str, a: int, b: int, op: str
) -> None:
    """Against Python's unbounded integers: an in-range result is exact, any other fails."""
    exact = {"+": a + b, "-": a - b, "*": a * b}[op]
    frame = pl.DataFrame({"a": [a], "b": [b]}, schema={"a": pl.Int64, "b": pl.Int64})
    fits = INT64_MIN <= exact <= INT64_MAX
    assert evaluate(engine, f"a {op} b == {exact}" if fits else f"a {op} b != 0", frame) == [fits]


@pytest.mark.parametrize("engine", ENGINES)
def test_integer_arithmetic_never_wraps_in_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """The red team's rule: w = h = 2**32 passed ``w * h < 100``. Now it fails, on both engines,
    and is not counted as a null."""
    contract = write_contract(
        tmp_path,
        """\
        dataset:
          rules:
            - {name: small_area, assert: "w * h < 100"}
        fields:
          w: {type: int64}
          h: {type: int64}
        """,
    )
    data: dict[str, Any] = {"w": [BIG, 3, 5], "h": [BIG, 4, 5]}
    run = validate(capsys, contract, write_parquet(tmp_path, data), engine)
    assert run.code == 1
    assert run.violations() == [("dataset.rule", None, 1)]
    found = violation(run.report, "dataset.rule")
    assert [e["row"] for e in found["examples"]] == [0]
    assert found["details"]["null_skipped"] == 0


def test_integer_arithmetic_never_wraps_numpy_agrees() -> None:
    """The wrap numpy would do is what the rule must not see (guards the premise)."""
    with np.errstate(all="ignore"):
        assert int(np.int64(BIG) * np.int64(BIG)) == 0
