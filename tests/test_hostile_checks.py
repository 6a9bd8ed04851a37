"""Issue 11, class 1: every declared property is checked on every format and engine, or reported
``check.skipped`` with its reason; never a silent pass. And one id per missing field (class 4).

Each case runs through the CLI on pandas and polars, from every file format that can carry the
data, and must give the same codes and counts on each.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyarrow import feather

from accord.compile.values import decimal_fits
from fault_support import check_status, cli, validate, violation, write, write_contract

ENGINES = ("pandas", "polars")
D = decimal.Decimal


def write_table(tmp_path: Path, table: pa.Table, fmt: str) -> Path:
    """``table`` as a file of ``fmt``; JSON Lines and CSV from its Python values."""
    path = tmp_path / f"data.{fmt}"
    if fmt == "parquet":
        pq.write_table(table, path)
    elif fmt == "arrow":
        feather.write_feather(table, path)
    elif fmt == "jsonl":
        rows = table.to_pylist()
        path.write_text("".join(json.dumps(row, default=str) + "\n" for row in rows))
    else:
        header = ",".join(table.column_names)
        lines = [",".join(str(v) for v in row.values()) for row in table.to_pylist()]
        path.write_text("\n".join([header, *lines]) + "\n")
    return path


# -- every property at once, every format, every engine ---------------------------------------

ALL_PROPERTIES = """\
dataset:
  ordered: true
  primary_key: [id]
  unique: [[a, b]]
  row_count: {min: 1, max: 10}
  rules:
    - {name: r, assert: "a < b"}
fields:
  id: {type: int64}
  a: {type: int32, checks: [{between: {min: 0, max: 100}}]}
  b: {type: int64, unique: true}
  c: {type: category, categories: [x, y]}
  s: {type: string, nullable: true, checks: [{pattern: '^[a-z]+$'}, {length: {max: 3}}]}
  t: {type: timestamp, tz: UTC}
  dd: {type: date, checks: [{between: {min: 2020-01-01}}]}
  f: {type: float64, checks: [{max_null_fraction: 0}]}
  dec: {type: decimal, precision: 5, scale: 1}
"""
UTC_NOON = dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC)
ALL_ROWS: dict[str, list[object]] = {
    "id": [1, 2, 2, 4],
    "a": [1, 200, 3, 4],
    "b": [5, 6, 6, 2],
    "c": ["x", "y", "z", "x"],
    "s": ["ab", "abcd", None, "A"],
    "t": [UTC_NOON] * 4,
    "dd": [dt.date(2021, 1, 1), dt.date(2019, 1, 1), dt.date(2022, 1, 1), dt.date(2023, 1, 1)],
    "f": [1.0, None, 2.0, 3.0],
    "dec": [D("1.5"), D("1234.5"), D("12345.6"), D("1.25")],
}
# One violation per property, worked out by hand from ALL_ROWS.
ALL_EXPECTED = [
    ("check.failed", "a", "fields.a.checks[0]", 1),
    ("check.failed", "c", "fields.c.categories", 1),
    ("check.failed", "dd", "fields.dd.checks[0]", 1),
    ("check.failed", "f", "fields.f.checks[0]", None),
    ("check.failed", "s", "fields.s.checks[0]", 1),
    ("check.failed", "s", "fields.s.checks[1]", 1),
    ("dataset.primary_key", None, "dataset.primary_key", 2),
    ("dataset.rule", None, "dataset.rules[0]", 2),
    ("field.null", "f", "fields.f.nullable", 1),
    ("field.type", "dec", "fields.dec.type", 2),
    ("field.unique", "b", "fields.b.unique", 2),
]


def _text(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, D):
        return float(value)  # a JSON number, as producers write it
    return value


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "arrow"])
def test_every_declared_property_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, fmt: str
) -> None:
    """Each declared property gives its violation, with one count, on every format and engine."""
    table = pa.table({**ALL_ROWS, "dec": pa.array(ALL_ROWS["dec"], pa.decimal128(7, 2))})
    path = tmp_path / f"data.{fmt}"
    if fmt in ("parquet", "arrow"):
        path = write_table(tmp_path, table, fmt)
    elif fmt == "jsonl":
        rows = [{k: _text(v) for k, v in row.items()} for row in table.to_pylist()]
        path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    else:
        lines = [",".join(ALL_ROWS)] + [
            ",".join("" if v is None else str(_text(v)) for v in row.values())
            for row in table.to_pylist()
        ]
        path.write_text("\n".join(lines) + "\n")
    contract = write_contract(tmp_path, ALL_PROPERTIES)
    run = validate(capsys, contract, path, engine)
    assert run.code == 1
    found = sorted(
        (v["code"], v["field"], v["check_id"], v["failure_count"])
        for v in run.report["violations"]
        if v["severity"] != "info"
    )
    assert found == ALL_EXPECTED
    assert not [c for c in run.report["checks"] if c["status"] == "skipped"]


# -- ordered: true --------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "arrow"])
def test_every_declared_property_is_checked_column_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, fmt: str
) -> None:
    contract = write_contract(
        tmp_path,
        """\
        dataset: {ordered: true}
        fields:
          a: {type: int64}
          b: {type: int64}
        """,
    )
    swapped = write_table(tmp_path, pa.table({"b": [1, 2], "a": [3, 4]}), fmt)
    run = validate(capsys, contract, swapped, engine)
    assert run.code == 1
    assert run.violations() == [("dataset.column_order", None, None)]
    found = violation(run.report, "dataset.column_order")
    assert found["details"] == {"expected": ["a", "b"], "actual": ["b", "a"]}
    assert found["contract_line"] == 4
    assert check_status(run.report)["dataset.ordered"] == "failed"

    in_order = write_table(tmp_path, pa.table({"a": [3, 4], "x": [0, 0], "b": [1, 2]}), fmt)
    run = validate(capsys, contract, in_order, engine)
    assert run.code == 0  # an undeclared column between them is for columns: open|closed
    assert check_status(run.report)["dataset.ordered"] == "passed"


# -- decimal precision and scale --------------------------------------------------------------

DECIMAL_CONTRACT = """\
fields:
  d: {type: decimal, precision: 10, scale: 2}
"""


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "arrow"])
def test_every_declared_property_is_checked_decimal_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, fmt: str
) -> None:
    """Too many digits after the point, or before it, fail the row whatever the file says the
    column's width is; trailing zeros are no extra digits."""
    values = [D("12345678901234567.123"), D("1.500"), D("12345678.990"), D("0.125")]
    table = pa.table({"d": pa.array(values, pa.decimal128(20, 3))})
    contract = write_contract(tmp_path, DECIMAL_CONTRACT)
    run = validate(capsys, contract, write_table(tmp_path, table, fmt), engine)
    assert run.code == 1
    assert run.violations() == [("field.type", "d", 2)]
    assert [e["row"] for e in violation(run.report, "field.type", "d")["examples"]] == [0, 3]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_declared_property_is_checked_decimal_that_fits_by_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    table = pa.table({"d": pa.array([D("1.5"), D("-9999999.99")], pa.decimal128(9, 2))})
    contract = write_contract(tmp_path, DECIMAL_CONTRACT)
    run = validate(capsys, contract, write_table(tmp_path, table, "parquet"), engine)
    assert run.code == 0, run.out
    assert check_status(run.report)["fields.d.type"] == "passed"


# -- list items and struct members --------------------------------------------------------------

NESTED_CONTRACT = """\
fields:
  tags: {type: list, items: {type: int64}}
  point: {type: struct, fields: {x: {type: int64}, y: {type: string}}}
"""


def nested_table(tags: pa.Array, point: pa.Array) -> pa.Table:
    return pa.table({"tags": tags, "point": point})


GOOD_TAGS = pa.array([[1, 2], [3]], pa.list_(pa.int64()))
GOOD_POINT = pa.array([{"x": 1, "y": "a"}, {"x": 2, "y": "b"}])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "arrow"])
@pytest.mark.parametrize(
    ("case", "tags", "point", "field"),
    [
        ("list of strings", pa.array([["a"], ["b"]]), GOOD_POINT, "tags"),
        ("member missing", GOOD_TAGS, pa.array([{"x": 1}, {"x": 2}]), "point"),
        ("member mistyped", GOOD_TAGS, pa.array([{"x": "1", "y": "a"}] * 2), "point"),
    ],
)
def test_every_declared_property_is_checked_nested_types(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    fmt: str,
    case: str,
    tags: pa.Array,
    point: pa.Array,
    field: str,
) -> None:
    contract = write_contract(tmp_path, NESTED_CONTRACT)
    data = write_table(tmp_path, nested_table(tags, point), fmt)
    run = validate(capsys, contract, data, engine)
    assert run.code == 1, case
    assert run.violations() == [("field.type", field, None)], case
    assert check_status(run.report)[f"fields.{field}.type"] == "failed"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "arrow"])
def test_every_declared_property_is_checked_nested_types_that_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, fmt: str
) -> None:
    """Declared members pass; a member beyond the declared ones is allowed, as open columns."""
    point = pa.array([{"x": 1, "y": "a", "z": 1.5}, {"x": 2, "y": "b", "z": 0.0}])
    contract = write_contract(tmp_path, NESTED_CONTRACT)
    run = validate(
        capsys, contract, write_table(tmp_path, nested_table(GOOD_TAGS, point), fmt), engine
    )
    assert run.code == 0, run.out
    status = check_status(run.report)
    assert status["fields.tags.type"] == status["fields.point.type"] == "passed"


@pytest.mark.parametrize("engine", ENGINES)
def test_every_declared_property_is_checked_narrower_list_items_value_by_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """list<int64> data declared list<int8>: the rows holding an item beyond int8 fail."""
    contract = write_contract(tmp_path, "fields:\n  tags: {type: list, items: {type: int8}}\n")
    tags = pa.array([[1, 2], [300], None, [-5, 1000]], pa.list_(pa.int64()))
    data = write_table(tmp_path, pa.table({"tags": tags}), "parquet")
    run = validate(capsys, contract, data, engine)
    assert run.violations() == [("field.type", "tags", 2), ("field.null", "tags", 1)]
    assert [e["row"] for e in violation(run.report, "field.type", "tags")["examples"]] == [1, 3]


@pytest.mark.parametrize("engine", ENGINES)
def test_every_declared_property_is_checked_or_skipped_inside_nested_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Checks inside items and members are not evaluated: each says so, none passes."""
    contract = write_contract(
        tmp_path,
        """\
        fields:
          tags: {type: list, items: {type: int64, checks: [{between: {min: 0, max: 1}}]}}
          point:
            type: struct
            fields:
              x: {type: int64, unique: true}
              y: {type: string, nullable: false, checks: [{pattern: '^[a-z]$'}]}
        """,
    )
    data = write_table(tmp_path, nested_table(GOOD_TAGS, GOOD_POINT), "parquet")
    run = validate(capsys, contract, data, engine)
    assert run.code == 0  # skipped checks are warnings
    skipped = {
        v["check_id"]: v["severity"]
        for v in run.report["violations"]
        if v["code"] == "check.skipped"
    }
    assert skipped == {
        "fields.tags.items.checks[0]": "warning",
        "fields.point.fields.x.unique": "warning",
        "fields.point.fields.y.nullable": "warning",
        "fields.point.fields.y.checks[0]": "warning",
    }
    status = check_status(run.report)
    assert all(status[check_id] == "skipped" for check_id in skipped)


# -- one id per missing field (class 4) ----------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_a_missing_field_has_one_check_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, "fields:\n  p: {type: int64}\n  q: {type: int64}\n")
    data = write(tmp_path / "data.csv", "p\n1\n")
    run = validate(capsys, contract, data, engine)
    missing = violation(run.report, "field.missing", "q")
    assert missing["check_id"] == "fields.q.required"
    assert check_status(run.report)["fields.q.required"] == "failed"
    junit = cli(capsys, "validate", contract, data, "--engine", engine, "--format", "junit")
    failing = [
        case.get("name")
        for case in ET.fromstring(junit.out.split("\n", 1)[1]).iter("testcase")
        if case.get("classname") == "t.q" and case.find("failure") is not None
    ]
    assert failing == ["fields.q.required"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_field_missing_from_some_files_fails_its_required_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, "fields:\n  p: {type: int64}\n  q: {type: int64}\n")
    first = write(tmp_path / "a.csv", "p,q\n1,2\n")
    second = write(tmp_path / "b.csv", "p\n3\n")
    run = validate(capsys, contract, [first, second], engine)
    assert run.code == 1
    missing = [v for v in run.report["violations"] if v["code"] == "field.missing"]
    assert [v["check_id"] for v in missing] == ["fields.q.required"]
    assert check_status(run.report)["fields.q.required"] == "failed"


@pytest.mark.parametrize("engine", ENGINES)
def test_every_declared_property_is_checked_nested_values_through_the_api(
    tmp_path: Path, engine: str
) -> None:
    """A pandas frame holds lists, dicts and Decimals as Python objects, a polars frame as
    typed columns; both judge items, members and decimal widths the same way."""
    import accord
    from conftest import make_frame

    contract = write_contract(
        tmp_path,
        """\
        fields:
          tags: {type: list, items: {type: int8}}
          p: {type: struct, fields: {x: {type: int64}, y: {type: string}}}
          d: {type: decimal, precision: 5, scale: 1}
        """,
    )
    frame = make_frame(
        engine,
        {
            "tags": [[1, 2], [300], None, [1]],
            # a member absent from one value is a null there (nested nulls are not judged)
            "p": [{"x": 1, "y": "a"}, {"x": 2, "y": "b"}, {"x": 3, "y": "c"}, {"x": 4}],
            "d": [D("1.5"), D("1.25"), D("12345.6"), D("1.0")],
        },
    )
    report = accord.load(contract).validate(frame)
    found = [(str(v.code), v.field, v.failure_count) for v in report.violations]
    assert found == [("field.type", "tags", 1), ("field.type", "d", 2), ("field.null", "tags", 1)]


@given(
    units=st.lists(st.integers(-(10**20) + 1, 10**20 - 1), min_size=1, max_size=20),
    precision=st.integers(1, 38),
    scale=st.integers(0, 10),
)
def test_every_declared_property_is_checked_decimal_width_one_rule(
    units: list[int], precision: int, scale: int
) -> None:
    """polars judges a decimal column by a cast, pandas value by value: one verdict."""
    from accord.compile.dtypes_pandas import value_fits_pandas
    from accord.compile.dtypes_polars import value_fits_polars
    from accord.contract.model import Field_

    scale = min(scale, precision)
    spec = Field_(type="decimal", precision=precision, scale=scale)
    values = [D(unit).scaleb(-3) for unit in units]  # decimal(20,3) values
    series = pl.Series(values, dtype=pl.Decimal(20, 3))
    expected = [decimal_fits(v, precision, scale) for v in values]
    assert value_fits_polars(spec, series).to_list() == expected
    pandas_series = series.to_pandas(use_pyarrow_extension_array=True)
    assert value_fits_pandas(spec, pandas_series).tolist() == expected
