"""What the process-level hostile-input fuzzer (``test_fuzz_hostile.py``) found, one named case
each: every one gives the same verdict and counts on every engine, exit 0, 1 or 2, and a clear
message, never an internal error."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyarrow import ipc

from fault_support import summary, validate, violation, write, write_contract


def _arrow(path: Path, table: pa.Table, *, stream: bool = False) -> Path:
    opener = ipc.new_stream if stream else ipc.new_file
    with opener(path, table.schema) as writer:
        writer.write_table(table, max_chunksize=2)
    return path


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def _failures(report: dict[str, Any]) -> dict[str, int | None]:
    return {f"{v['field']}.{v['check']}": v["failure_count"] for v in report["violations"]}


def test_decimal_bounds_the_column_cannot_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """decimal(36, 36) holds no -1.25 nor 2: such a value is in no row, never a rescale error."""
    values = [Decimal("0.5"), Decimal("-0.25"), None]
    table = pa.table({"d": pa.array(values, type=pa.decimal128(36, 36))})
    pq.write_table(table, tmp_path / "d.parquet")
    contract = write_contract(
        tmp_path,
        """\
        fields:
          d:
            type: decimal
            precision: 36
            scale: 36
            nullable: true
            checks: [{in: ['-1.25', 0]}, {not_in: ['2', '0.5']}, {min: '-1.25'}]
        """,
    )
    run = validate(capsys, contract, tmp_path / "d.parquet", engine)
    assert run.code == 1, run.err
    assert _failures(run.report) == {"d.in": 2, "d.not_in": 1}


@pytest.mark.parametrize("stream", [False, True])
def test_timestamps_in_a_zone_other_than_utc_compare_as_instants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, stream: bool
) -> None:
    """Europe/Paris against UTC bounds: polars refused to compare the two zones."""
    start = 1_577_836_800_000  # 2020-01-01T00:00:00Z in ms
    stored = pa.array([start + 7, start + 3 * 3_600_000, None], type=pa.int64())
    table = pa.table({"t": stored.view(pa.timestamp("ms", tz="Europe/Paris"))})
    data = _arrow(tmp_path / "t.arrow", table, stream=stream)
    contract = write_contract(
        tmp_path,
        """\
        fields:
          t:
            type: timestamp
            tz: Europe/Paris
            nullable: true
            checks:
              - min: '2020-01-01T01:00:00Z'
              - between: {min: '2020-01-01T00:00:00Z', max: '2020-01-01T02:00:00Z'}
              - equal_to: '2020-01-01T00:00:00.007Z'
              - not_equal_to: '2020-01-01T03:00:00Z'
        """,
    )
    run = validate(capsys, contract, data, engine, "--data-format", "arrow")
    assert run.code == 1, run.err
    assert _failures(run.report) == {
        "t.min": 1,
        "t.between": 1,
        "t.equal_to": 1,
        "t.not_equal_to": 1,
    }


@pytest.mark.parametrize("kind", ["parquet", "arrow file", "empty arrow stream"])
def test_decimal256_is_refused_naming_file_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, kind: str
) -> None:
    """polars holds 38 digits: a wider decimal panicked it (or reached pandas as a panic)."""
    table = pa.table({"w": pa.array([Decimal("1.5")], type=pa.decimal256(40, 2))})
    if kind == "parquet":
        data = tmp_path / "w.parquet"
        pq.write_table(table, data)
    else:
        empty = kind == "empty arrow stream"
        data = _arrow(tmp_path / "w.arrow", table.slice(0, 0) if empty else table, stream=empty)
    contract = write_contract(tmp_path, "fields:\n  w: {type: decimal, precision: 38}\n")
    fmt = "parquet" if kind == "parquet" else "arrow"
    for extra in ([], ["--batch-rows", "1"]) if engine == "polars" else ([],):
        run = validate(capsys, contract, data, engine, "--data-format", fmt, *extra)
        assert run.code == 2, run.out
        assert f"cannot read data {data}" in run.err
        assert "column 'w' holds decimals of precision 40" in run.err
        assert "panicked" not in run.err and "internal error" not in run.err


@pytest.mark.parametrize("kind", ["parquet", "arrow file", "arrow stream"])
@pytest.mark.parametrize("batched", [False, True])
def test_a_duplicated_column_name_in_parquet_or_arrow_is_a_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, kind: str, batched: bool
) -> None:
    """As in a CSV header: ``dataset.duplicate_column``, and the first column is validated."""
    if batched and engine == "pandas":
        pytest.skip("--batch-rows validates on the polars engine")
    table = pa.table([pa.array([1, None, 3]), pa.array(["x", "y", "z"])], names=["a", "a"])
    if kind == "parquet":
        data = tmp_path / "dup.parquet"
        pq.write_table(table, data, row_group_size=2)
    else:
        data = _arrow(tmp_path / "dup.arrow", table, stream=kind == "arrow stream")
    contract = write_contract(tmp_path, "fields:\n  a: {type: int64}\n")
    extra = ["--batch-rows", "1"] if batched else []
    run = validate(
        capsys, contract, data, engine, "--data-format", kind.split(maxsplit=1)[0], *extra
    )
    assert run.code == 1, run.err
    assert summary(run.report) == [("dataset.duplicate_column", "a", None), ("field.null", "a", 1)]
    assert run.report["dataset"]["rows"] == 3
    schema_only = validate(
        capsys, contract, data, engine, "--data-format", kind.split(maxsplit=1)[0], "--schema-only"
    )
    assert schema_only.code == 1, schema_only.err
    violation(schema_only.report, "dataset.duplicate_column", "a")


def test_values_beyond_python_are_shown_as_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A date of 2**31 - 1 days, a duration[ms] of 2**63 - 1 and one of 999,999,999 days: no
    Python or pandas value holds them, so an example shows the count the file stores."""
    most = 2**63 - 1
    table = pa.table(
        {
            "d": pa.array([2**31 - 1, 18262], type=pa.int32()).view(pa.date32()),
            "ms": pa.array([most, 3_600_000], type=pa.int64()).view(pa.duration("ms")),
            "s": pa.array([999_999_999 * 86_400, 60], type=pa.int64()).view(pa.duration("s")),
        }
    )
    pq.write_table(table, tmp_path / "far.parquet")
    contract = write_contract(
        tmp_path,
        """\
        fields:
          d: {type: date, checks: [{max: '2020-01-01'}]}
          ms: {type: duration, checks: [{max: 1h}]}
          s: {type: duration, checks: [{less_than: 1h}]}
        """,
    )
    run = validate(capsys, contract, tmp_path / "far.parquet", engine)
    assert run.code == 1, run.err
    shown = {v["field"]: [e["value"] for e in v["examples"]] for v in run.report["violations"]}
    assert shown == {
        "d": ["2147483647 days since 1970-01-01"],
        "ms": [f"{most} ms"],
        # polars reads a duration in seconds as milliseconds
        "s": [f"{999_999_999 * 86_400_000} ms"],
    }
    assert _failures(run.report) == {
        "d.max": 1,
        "ms.max": 1,
        "s.less_than": 1,
    }


def test_a_json_key_null_on_every_line_fits_any_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Read as a column of nulls: every null kind counts the same, on every engine."""
    contract = write_contract(
        tmp_path,
        """\
        fields:
          a: {type: int64}
          b: {type: decimal, precision: 5, scale: 5, checks: [{min: 0}]}
          c: {type: string, nullable: true}
        """,
    )
    lines = (json.dumps({"a": a, "b": None, "c": None}) for a in (1, 2))
    data = write(tmp_path / "d.jsonl", "\n".join(lines))
    run = validate(capsys, contract, data, engine)
    assert run.code == 1, run.err
    assert summary(run.report) == [("field.null", "b", 2)]


def test_json_lines_integers_beyond_int64_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [{"a": 2**63}, {"a": 2**64}, {"a": -(2**63) - 1}, {"a": 10**30}]
    data = write(tmp_path / "d.jsonl", "\n".join(json.dumps(line) for line in lines))
    contract = write_contract(tmp_path, "fields:\n  a: {type: int64}\n")
    runs = [validate(capsys, contract, data, engine) for engine in ("pandas", "polars")]
    assert [r.code for r in runs] == [1, 1], [r.err for r in runs]
    pandas, polars = (summary(r.report) for r in runs)
    assert pandas == polars == [("field.type", "a", len(lines))]


@pytest.mark.parametrize("batch_rows", [None, "1"])
def test_json_lines_nested_too_deep_are_refused_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], batch_rows: str | None
) -> None:
    """Lines nested 50 and 300 levels deep: polars' schema inference takes time exponential in
    the depth (minutes at 50 beside 52), so such a file is refused before it, as deep Parquet
    is. A bracket inside a string is text, never a level."""
    shallow = {"a": _deep(3), "s": "[" * 100}
    lines = [shallow, {"a": _deep(50)}, {"a": _deep(300)}]
    data = write(tmp_path / "d.jsonl", "\n".join(json.dumps(line) for line in lines))
    contract = write_contract(tmp_path, "fields:\n  a: {type: int64}\n")
    options = ["--batch-rows", batch_rows] if batch_rows else []
    for engine in ("pandas", "polars") if batch_rows is None else ("polars",):
        run = validate(capsys, contract, data, engine, *options)
        assert run.code == 2, run.err
        assert "line 2: lists or objects nested more than 20 levels deep" in run.err, run.err
        assert "d.jsonl" in run.err


def test_json_lines_as_deep_as_accord_reads_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """20 levels (the line's object and 19 lists): read and judged, as any list in a number
    field is."""
    lines = [{"a": _deep(19)}, {"a": _deep(19)}]
    data = write(tmp_path / "d.jsonl", "\n".join(json.dumps(line) for line in lines))
    contract = write_contract(tmp_path, "fields:\n  a: {type: int64}\n")
    run = validate(capsys, contract, data, engine)
    assert run.code == 1, run.err
    assert summary(run.report) == [("field.type", "a", 2)]


def test_timestamps_beyond_python_in_a_zone_other_than_utc_compare_as_instants(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Year 292,278,994 in Europe/Paris: pandas could not localize it ("could not be
    evaluated") where polars compared the stored instants; both compare them now."""
    start = 1_577_836_800_000  # 2020-01-01T00:00:00Z in ms
    stored = pa.array([2**63 - 1, -(2**63) + 1, start + 7, None], type=pa.int64())
    table = pa.table({"t": stored.view(pa.timestamp("ms", tz="Europe/Paris"))})
    pq.write_table(table, tmp_path / "t.parquet")
    contract = write_contract(
        tmp_path,
        """\
        fields:
          t:
            type: timestamp
            tz: Europe/Paris
            nullable: true
            checks:
              - equal_to: '2020-01-01T00:00:00.007Z'
              - not_equal_to: '2020-01-01T00:00:00.007Z'
              - max: '2020-01-02T00:00:00Z'
        """,
    )
    run = validate(capsys, contract, tmp_path / "t.parquet", engine)
    assert run.code == 1, run.err
    assert _failures(run.report) == {"t.equal_to": 2, "t.not_equal_to": 1, "t.max": 1}


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_durations_compare_exactly_in_every_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, unit: str
) -> None:
    """1 ns against ``max: 0s``: polars truncated a nanosecond column to the microseconds of
    the bound and passed it, where pandas failed it."""
    table = pa.table({"d": pa.array([None, 1, 0, -1], type=pa.duration(unit))})
    pq.write_table(table, tmp_path / "d.parquet")
    contract = write_contract(
        tmp_path,
        """\
        fields:
          d:
            type: duration
            nullable: true
            checks: [{max: 0s}, {min: 0s}, {less_than: 1s}]
        """,
    )
    run = validate(capsys, contract, tmp_path / "d.parquet", engine)
    assert run.code == 1, run.err
    expected = {"d.max": 1, "d.min": 1}
    if unit == "s":
        expected["d.less_than"] = 1  # one second is not less than one second
    assert _failures(run.report) == expected


def test_negative_zero_and_zero_are_one_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """-0.0 equals 0.0: pandas hashed an arrow float key by its bits and found no duplicate."""
    table = pa.table(
        {
            "x": pa.array([-0.0, 0.0, 1.0], type=pa.float32()),
            "y": pa.array([1, 1, 1], type=pa.int64()),
        }
    )
    data = _arrow(tmp_path / "k.arrow", table)
    contract = write_contract(
        tmp_path,
        """\
        fields:
          x: {type: float32}
          y: {type: int64}
        dataset:
          primary_key: [x]
          unique: [[x, y]]
        """,
    )
    run = validate(capsys, contract, data, engine)
    assert run.code == 1, run.err
    assert {v["check_id"]: v["failure_count"] for v in run.report["violations"]} == {
        "dataset.primary_key": 2,
        "dataset.unique[0]": 2,
    }


def test_a_bound_written_in_the_fields_zone_compares_on_every_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """A bound without an offset on a Europe/Paris field is a Paris wall-clock time: polars
    stopped with an internal error ("time zone of dtype ('UTC') differs")."""
    data = write(tmp_path / "t.csv", "t\n2020-01-01T00:00:00+01:00\n2020-01-01T02:00:00+01:00\n")
    contract = write_contract(
        tmp_path,
        """\
        fields:
          t:
            type: timestamp
            tz: Europe/Paris
            checks:
              - equal_to: '2020-01-01T00:00:00'
              - max: '2020-01-01T01:00:00'
        """,
    )
    run = validate(capsys, contract, data, engine)
    assert run.code == 1, run.err
    assert _failures(run.report) == {"t.equal_to": 1, "t.max": 1}
