"""FAULTS.md rows 10-23: broken files, awkward CSV, and values that are not what they claim.

Files go through ``accord validate`` on both engines (the CLI reads with polars and hands pandas
an arrow-backed frame); in-memory frames go through ``Contract.validate`` on both engines.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

import accord
from accord.errors import DataReadError
from accord.run.sources import read_dataset
from conftest import make_frame
from fault_support import (
    api_summary,
    check_status,
    cli,
    validate,
    violation,
    write,
    write_contract,
    write_parquet,
)

THREE = """\
fields:
  a: {type: int64}
  b: {type: string}
  c: {type: float64}
"""
GOOD_CSV = "a,b,c\n1,x,1.5\n2,y,2.5\n3,z,3.5\n"


def cannot_read(run: Any, *expected: str) -> None:
    assert run.code == 2 and run.out == ""
    assert "error: cannot read data" in run.err
    for part in expected:
        assert part in run.err, run.err


# -- row 10 -----------------------------------------------------------------------------------


def good_parquet(tmp_path: Path) -> Path:
    frame = pl.DataFrame(
        {"a": np.arange(300), "b": [f"s{i}" for i in range(300)], "c": np.linspace(0, 1, 300)}
    )
    path = tmp_path / "good.parquet"
    frame.write_parquet(path, compression="uncompressed", statistics=True)
    return path


def corrupt_page_header(good: Path, target: Path) -> Path:
    """Set the varint ``num_values`` of column a's first data page header to 0xFF.

    polars' native reader (1.x/2.x streaming engine) then asks for an allocation of some 2**61
    bytes and Rust aborts the whole process with SIGABRT; no Python handler runs. This is the
    native crash FAULTS row 10 is about; accord reads Parquet pages through pyarrow instead.
    """
    data = bytearray(good.read_bytes())
    offset = pq.ParquetFile(good).metadata.row_group(0).column(0).data_page_offset
    # compact thrift: field 5 (data_page_header, a struct: 0x2c), then its field 1 (i32: 0x15)
    header = data.index(b"\x2c\x15", offset, offset + 32)
    data[header + 2] = 0xFF
    target.write_bytes(bytes(data))
    return target


def test_fault_10_truncated_or_corrupt_parquet_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, THREE)
    whole = good_parquet(tmp_path).read_bytes()
    footer = int.from_bytes(whole[-8:-4], "little")
    cases = {
        "no footer (cut in half)": (whole[: len(whole) // 2], "start and end with the PAR1 marker"),
        "zero bytes": (b"", "start and end with the PAR1 marker"),
        "bad magic (a CSV)": (GOOD_CSV.encode(), "start and end with the PAR1 marker"),
        "footer longer than the file": (
            whole[:4] + whole[-8 - 20 :],
            "its footer is longer than the file",
        ),
        "garbage footer": (
            whole[: -8 - footer] + b"\xff" * footer + whole[-8:],
            "not a valid Parquet file",
        ),
        "encrypted footer": (whole[:-4] + b"PARE", "encrypted Parquet files are not supported"),
    }
    for name, (content, message) in cases.items():
        path = write(tmp_path / f"{name.split()[0]}.parquet", content)
        run = validate(capsys, contract, path, engine)
        cannot_read(run, str(path), message)
        with pytest.raises(DataReadError, match="cannot read data"):
            read_dataset([path], accord.load(contract).model)


def test_fault_10_corrupt_page_that_aborts_native_readers_is_a_clean_error(
    tmp_path: Path, engine: str
) -> None:
    contract = write_contract(tmp_path, THREE)
    broken = corrupt_page_header(good_parquet(tmp_path), tmp_path / "broken.parquet")
    # A subprocess: if the reader ever aborts again, this test fails instead of pytest dying.
    command = [sys.executable, "-m", "accord.cli.app", "validate", str(contract), str(broken)]
    done = subprocess.run(
        [*command, "--engine", engine],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert done.stdout == ""
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    assert f"cannot read data {broken}: not a valid Parquet file" in done.stderr
    assert "Invalid page header" in done.stderr


def test_fault_10_corrupt_arrow_ipc_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, THREE)
    source = pl.read_csv(GOOD_CSV.encode())
    source.write_ipc(tmp_path / "whole.arrow")
    whole = (tmp_path / "whole.arrow").read_bytes()
    for name, content in {
        "cut.arrow": whole[: len(whole) // 2],
        "empty.arrow": b"",
        "text.arrow": GOOD_CSV.encode(),
    }.items():
        run = validate(capsys, contract, write(tmp_path / name, content), engine)
        cannot_read(run, name, "not a valid Arrow IPC file")


# -- row 11 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b,c\n1,x,1.5\n2,y\n3,z,2.5\n", "line 3: expected 3 fields, found 2"),
        ("a,b,c\n1,x,1.5\n2,y,2.5,9\n", "line 3: expected 3 fields, found 4"),
        (
            'a,b,c\n1,"x,1.5\n2,y,2.5\n',
            'line 2: unterminated quoted field (the " opened here is never closed)',
        ),
        (
            "a,b,c\n1,x,1.5\n2,y",
            "line 3: expected 3 fields, found 2; the file ends in the middle of this line",
        ),
        ('a,b,c\n1,"x"y,1.5\n', "line 2: malformed CSV: ',' expected after '\"'"),
        ("a,b,c\n1,x,1.5\n\n2,y,2.5\n", "line 3: expected 3 fields, found 1 (a blank line)"),
    ],
    ids=[
        "ragged short",
        "ragged long",
        "unterminated quote",
        "cut mid-line",
        "stray quote",
        "blank",
    ],
)
def test_fault_11_malformed_csv_is_a_parse_error_with_its_line(
    content: str,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    engine: str,
) -> None:
    contract = write_contract(tmp_path, THREE)
    data = write(tmp_path / "bad.csv", content)
    cannot_read(validate(capsys, contract, data, engine), f"{data}: {message}")
    # never skipped: the same file is never read as fewer rows
    with pytest.raises(DataReadError):
        read_dataset([data], accord.load(contract).model)


# -- row 12 -----------------------------------------------------------------------------------


def test_fault_12_wrong_delimiter_and_encoding_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, THREE)
    semicolons = write(tmp_path / "semi.csv", GOOD_CSV.replace(",", ";"))
    cannot_read(
        validate(capsys, contract, semicolons, engine),
        "expected 3 columns but the header has 1; is the delimiter ';'? (the contract says ',')",
    )
    latin = write(tmp_path / "latin.csv", "a,b,c\n1,caf\xe9,1.5\n".encode("latin-1"))
    cannot_read(validate(capsys, contract, latin, engine), "not valid utf-8 at byte offset 11")
    late = write(tmp_path / "late.csv", (GOOD_CSV * 2000 + "4,\xe9,1\n").encode("latin-1"))
    offset = len((GOOD_CSV * 2000).encode()) + 2
    cannot_read(validate(capsys, contract, late, engine), f"at byte offset {offset}")
    utf16 = write(tmp_path / "utf16.csv", GOOD_CSV.encode("utf-16"))
    cannot_read(validate(capsys, contract, utf16, engine), "not valid utf-8 at byte offset 0")
    # the same bytes pass when the contract declares their encoding and delimiter
    declared = write_contract(
        tmp_path,
        'source: {csv: {encoding: latin-1, delimiter: ";"}}\n' + THREE,
        "latin.yaml",
    )
    both = write(tmp_path / "both.csv", "a;b;c\n1;caf\xe9;1.5\n".encode("latin-1"))
    run = validate(capsys, declared, both, engine)
    assert run.code == 0 and run.violations() == []


def test_fault_12_bom_and_crlf_are_transparent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(
        tmp_path,
        'fields:\n  a: {type: int64}\n  b: {type: string, checks: [{in: [x, "y\\r\\nz"]}]}\n',
    )
    text = 'a,b\r\n1,x\r\n2,"y\r\nz"\r\n'
    data = write(tmp_path / "bom.csv", b"\xef\xbb\xbf" + text.encode())
    run = validate(capsys, contract, data, engine)
    assert (run.code, run.violations(), run.report["dataset"]["rows"]) == (0, [], 2)
    result = read_dataset([data], accord.load(contract).model)
    assert result.frame.columns == ["a", "b"]  # no "\ufeffa"
    assert result.frame.get_column("b").to_list() == ["x", "y\r\nz"]  # CRLF in a cell is kept


# -- row 13 -----------------------------------------------------------------------------------


def test_fault_13_duplicate_csv_header_is_a_violation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, THREE)
    data = write(tmp_path / "dup.csv", "a,b,a,c\n1,x,-5,1.5\n2,y,oops,2.5\n")
    run = validate(capsys, contract, data, engine)
    assert run.code == 1
    assert run.violations() == [("dataset.duplicate_column", "a", None)]
    found = violation(run.report, "dataset.duplicate_column", "a")
    assert found["severity"] == "error" and "duplicate column 'a'" in found["message"]
    names = read_dataset([data], accord.load(contract).model).frame.columns
    assert names == ["a", "b", "c"]  # never renamed to a.1, a_duplicated_0, ...


def test_fault_13_duplicate_column_in_a_pandas_frame() -> None:
    """pandas is the one engine whose frames can hold two columns of one name (polars refuses
    to build such a frame), so this case has no polars twin."""
    contract = accord.load(write_contract_text(THREE))
    frame = pd.DataFrame([[1, "x", -5, 1.5]], columns=["a", "b", "a", "c"])
    report = contract.validate(frame)
    assert ("dataset.duplicate_column", "a", None) in api_summary(report)
    assert not report.passed


def write_contract_text(body: str) -> str:
    from fault_support import contract_text

    return contract_text(body)


# -- row 14 -----------------------------------------------------------------------------------


def test_fault_14_zero_rows_is_never_a_normal_green_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, THREE)
    header_only = write(tmp_path / "header.csv", "a,b,c\n")
    empty_parquet = tmp_path / "empty.parquet"
    pl.DataFrame(schema={"a": pl.Int64, "b": pl.String, "c": pl.Float64}).write_parquet(
        empty_parquet
    )
    for data in (header_only, empty_parquet):
        run = validate(capsys, contract, data, engine)
        assert run.code == 0  # a warning, so not a failure by default ...
        assert run.report["dataset"]["rows"] == 0
        assert run.violations() == [("dataset.empty", None, None)]
        assert violation(run.report, "dataset.empty")["severity"] == "warning"
        # ... but visible in every rendering, and an error when asked
        text = cli(capsys, "validate", contract, data, "--engine", engine)
        assert "0 rows" in text.out and "the data has zero rows" in text.out
        strict = validate(capsys, contract, data, engine, "--fail-on", "warning")
        assert strict.code == 1
    with_min = write_contract(tmp_path, "dataset: {row_count: {min: 1}}\n" + THREE, "min.yaml")
    run = validate(capsys, with_min, header_only, engine)
    assert run.code == 1 and run.violations() == [("dataset.row_count", None, None)]
    empty = make_frame(engine, {"a": [], "b": [], "c": []}, {"a": "Int64", "b": "string"})
    api = accord.load(with_min).validate(empty)
    assert [v.code for v in api.violations] == ["dataset.row_count"] and not api.passed


# -- rows 15, 16, 17 --------------------------------------------------------------------------

STRICT = """\
dataset: {columns: closed}
fields:
  a: {type: int64, checks: [{min: 0}]}
  b: {type: string, checks: [{in: [x, y]}]}
  c: {type: float64, checks: [{max: 2}]}
"""


def test_fault_15_missing_required_column_others_still_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, STRICT)
    data = write(tmp_path / "d.csv", "a,c\n1,1.0\n-1,3.0\n")
    run = validate(capsys, contract, data, engine)
    assert run.code == 1
    assert run.violations() == [
        ("field.missing", "b", None),
        ("check.failed", "a", 1),
        ("check.failed", "c", 1),
    ]
    assert check_status(run.report)["fields.b.checks[0]"] == "skipped"
    frame = make_frame(engine, {"a": [1, -1], "c": [1.0, 3.0]})
    assert api_summary(accord.load(contract).validate(frame)) == run.violations()


def test_fault_16_unexpected_column_closed_is_error_open_is_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    data = write(tmp_path / "d.csv", "a,b,c,extra\n1,x,1.0,?\n")
    closed = write_contract(tmp_path, STRICT, "closed.yaml")
    opened = write_contract(tmp_path, STRICT.replace("closed", "open"), "open.yaml")
    run = validate(capsys, closed, data, engine)
    assert (run.code, run.violations()) == (1, [("field.unexpected", "extra", None)])
    run = validate(capsys, opened, data, engine)
    assert (run.code, run.violations()) == (0, [])
    assert run.violations(info=True) == [("field.unexpected", "extra", None)]
    frame = make_frame(engine, {"a": [1], "b": ["x"], "c": [1.0], "extra": ["?"]})
    assert api_summary(accord.load(closed).validate(frame)) == [("field.unexpected", "extra", None)]


def test_fault_17_wrong_dtype_in_parquet_skips_value_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, STRICT)
    data = write_parquet(tmp_path, {"a": ["1", "-1"], "b": ["x", "q"], "c": [1.0, 5.0]})
    run = validate(capsys, contract, data, engine)
    assert run.code == 1
    assert run.violations() == [
        ("field.type", "a", None),
        ("check.failed", "b", 1),
        ("check.failed", "c", 1),
    ]
    details = violation(run.report, "field.type", "a")["details"]
    assert details["expected"] == "int64" and details["actual"] in (
        "String",
        "large_string[pyarrow]",
    )
    statuses = check_status(run.report)
    assert statuses["fields.a.checks[0]"] == "skipped"  # never "passed"
    assert statuses["fields.a.nullable"] == "skipped"
    frame = make_frame(engine, {"a": ["1", "-1"], "b": ["x", "q"], "c": [1.0, 5.0]})
    report = accord.load(contract).validate(frame)
    assert api_summary(report) == run.violations()
    assert {c.check_id: c.status for c in report.checks}["fields.a.checks[0]"] == "skipped"


# -- row 18 -----------------------------------------------------------------------------------


def test_fault_18_unparseable_text_values_are_counted_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(
        tmp_path,
        "fields:\n  w: {type: int64, nullable: true, checks: [{min: 0}]}\n"
        "  f: {type: float64, nullable: true}\n  d: {type: date, nullable: true}\n",
    )
    data = write(
        tmp_path / "d.csv",
        'w,f,d\n3750 g,1.5,2020-01-01\n"8,425,333",1 000,2020-02-30\n12,NaN,\n,1e400,2020/01/01\n'
        "-4,0x10,2020-01-02\n",
    )
    run = validate(capsys, contract, data, engine)
    assert run.code == 1
    assert run.report["dataset"]["rows"] == 5  # no row dropped
    assert run.violations() == [  # the schema pass first, then value checks
        ("field.type", "w", 2),
        ("field.type", "f", 3),
        ("field.type", "d", 2),
        ("check.failed", "w", 1),
    ]

    def examples(field: str) -> list[tuple[int, Any]]:
        found = violation(run.report, "field.type", field)["examples"]
        return [(e["row"], e["value"]) for e in found]

    assert examples("w") == [(0, "3750 g"), (1, "8,425,333")]
    assert examples("f") == [(1, "1 000"), (3, "1e400"), (4, "0x10")]
    assert examples("d") == [(1, "2020-02-30"), (3, "2020/01/01")]
    # an unreadable cell is a type failure, not also a null failure on a non-nullable field
    strict = write_contract(tmp_path, "fields:\n  w: {type: int64}\n", "strict.yaml")
    only_w = write(tmp_path / "w.csv", "w\n3750 g\n1\n")
    assert validate(capsys, strict, only_w, engine).violations() == [("field.type", "w", 1)]


# -- row 19 -----------------------------------------------------------------------------------

NARROW = """\
fields:
  i8: {type: int8, nullable: true}
  i: {type: int64, nullable: true}
  u: {type: uint8, nullable: true}
"""


def test_fault_19_values_that_would_wrap_or_truncate_are_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(tmp_path, NARROW)
    data = write(tmp_path / "d.csv", "i8,i,u\n300,1.7,-1\n-129,2,256\n127,2.0,255\n")
    run = validate(capsys, contract, data, engine)
    assert run.violations() == [
        ("field.type", "i8", 2),
        ("field.type", "i", 2),
        ("field.type", "u", 2),
    ]
    assert [e["value"] for e in violation(run.report, "field.type", "i8")["examples"]] == [
        "300",
        "-129",
    ]
    # in memory: an int64 column declared int8, a float column declared int64
    frame = make_frame(
        engine,
        {"i8": [300, -129, 127], "i": [1.7, 2.0, None], "u": [-1, 256, 255]},
    )
    report = accord.load(contract).validate(frame)
    assert api_summary(report) == [
        ("field.type", "i8", 2),
        ("field.type", "i", 1),
        ("field.type", "u", 2),
    ]
    originals = {v.field: [(e.row, e.value) for e in v.examples] for v in report.violations}
    assert originals["i8"] == [(0, 300), (1, -129)]  # the original values, not wrapped ones
    assert originals["i"] == [(0, 1.7)]  # not truncated to 1


def test_fault_19_floats_beyond_2_53_declared_integer_are_failures(engine: str) -> None:
    """A float64 holds every integer only up to 2**53: above that the column cannot show which
    integer it was (an int64 id with a null, through ``to_pandas()``, arrives this way), so
    accepting it would pass ids that were silently rounded."""
    contract = accord.load(write_contract_text("fields:\n  id: {type: int64, nullable: true}\n"))
    exact = 1582218195625938945
    source = pl.DataFrame({"id": [exact, None, 7]})
    frame = source.to_pandas() if engine == "pandas" else source.cast({"id": pl.Float64})
    assert float(frame["id"][0]) != exact  # the float column already lost the id
    report = contract.validate(frame)
    assert api_summary(report) == [("field.type", "id", 1)]
    assert [e.row for e in report.violations[0].examples] == [0]


# -- row 20 -----------------------------------------------------------------------------------


def test_fault_20_large_int64_ids_with_nulls_round_trip_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    exact = 1582218195625938945
    contract = write_contract(
        tmp_path,
        f"fields:\n  id: {{type: int64, nullable: true, checks: [{{max: {exact - 1}}}]}}\n",
    )
    data = write(tmp_path / "ids.csv", f"id\n{exact}\n\n9007199254740993\n")
    column = read_dataset([data], accord.load(contract).model).frame.get_column("id")
    assert column.dtype == pl.Int64
    assert column.to_list() == [exact, None, 9007199254740993]
    run = validate(capsys, contract, data, engine)
    assert run.code == 1 and run.violations() == [("check.failed", "id", 1)]
    (example,) = violation(run.report, "check.failed", "id")["examples"]
    assert (example["row"], example["value"]) == (0, exact)
    assert str(exact) in run.out  # the JSON text itself holds every digit
    parquet = write_parquet(tmp_path, {"id": pl.Series([exact, None], dtype=pl.Int64)})
    (example,) = violation(
        validate(capsys, contract, parquet, engine).report, "check.failed", "id"
    )["examples"]
    assert example["value"] == exact


# -- rows 21, 22 ------------------------------------------------------------------------------

NULLS = """\
references: {ref: {contract: ref}}
fields:
  s:
    type: string
    checks:
      - in: [x, y]
      - in_reference: {dataset: ref, field: k}
  f: {type: float64, checks: [{between: {min: 0, max: 10}}]}
  t: {type: timestamp}
"""


def test_fault_21_every_null_kind_is_one_violation_counted_once(engine: str) -> None:
    contract = accord.load(write_contract_text(NULLS))
    stamp = pd.Timestamp("2020-01-01")
    if engine == "pandas":
        frame = pd.DataFrame(
            {
                "s": pd.Series(["x", None, np.nan, pd.NA, "z", "y"], dtype=object),
                "f": [1.0, np.nan, None, 2.0, 3.0, 4.0],
                "t": [stamp, pd.NaT, stamp, None, stamp, stamp],
            }
        )
        references: dict[str, Any] = {"ref": pd.DataFrame({"k": ["x", "y"]})}
    else:
        frame = pl.DataFrame(
            {
                "s": ["x", None, None, None, "z", "y"],
                "f": [1.0, float("nan"), None, 2.0, 3.0, 4.0],
                "t": [stamp, None, stamp, None, stamp, stamp],
            }
        )
        references = {"ref": pl.DataFrame({"k": ["x", "y"]})}
    report = contract.validate(frame, references=references)
    assert api_summary(report) == [
        ("field.null", "s", 3),
        ("check.failed", "s", 1),  # only "z": the nulls are not counted again
        ("reference.missing", "s", 1),
        ("field.null", "f", 2),  # NaN and None alike
        ("field.null", "t", 2),  # NaT and None alike
    ]
    rows = {(v.code, v.field): [e.row for e in v.examples] for v in report.violations}
    assert rows[("field.null", "s")] == [1, 2, 3]
    assert rows[("field.null", "f")] == [1, 2]


def test_fault_21_empty_string_read_as_null_from_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    contract = write_contract(
        tmp_path,
        "fields:\n  s: {type: string, checks: [{in: [x]}]}\n"
        "  n: {type: int64, checks: [{min: 0}]}\n",
    )
    data = write(tmp_path / "d.csv", 's,n\nx,1\n,\n"",2\nx,\n')
    run = validate(capsys, contract, data, engine)
    assert run.violations() == [("field.null", "s", 2), ("field.null", "n", 2)]


def test_fault_22_nan_is_null_and_infinities_are_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    # The catalogue has no separate "finite" check; infinities are values, caught by a range.
    body = (
        "fields:\n  f: {type: float64}\n"
        "  g: {type: float64, checks: [{between: {min: -1e9, max: 1e9}}]}\n"
    )
    contract = write_contract(tmp_path, body)
    data = write(tmp_path / "d.csv", "f,g\nNaN,inf\n1,-inf\ninf,nan\n2,3\n")
    run = validate(capsys, contract, data, engine)
    assert run.violations() == [
        ("field.null", "f", 1),
        ("field.null", "g", 1),
        ("check.failed", "g", 2),
    ]
    assert [e["value"] for e in violation(run.report, "check.failed", "g")["examples"]] == [
        "inf",
        "-inf",
    ]
    frame = make_frame(
        engine, {"f": [float("nan"), 1.0, float("inf"), 2.0], "g": [np.inf, -np.inf, np.nan, 3.0]}
    )
    assert api_summary(accord.load(contract).validate(frame)) == run.violations()


# -- row 23 -----------------------------------------------------------------------------------


def test_fault_23_null_tokens_come_from_the_contract_and_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    data = write(
        tmp_path / "countries.csv",
        "code,name\nNA,Namibia\nnull,nowhere\nNone,none\n,empty\nNO,Norway\nNA,Namibia\n",
    )
    default = write_contract(
        tmp_path,
        "fields:\n  code: {type: string, nullable: true}\n  name: {type: string}\n",
        "default.yaml",
    )
    run = validate(capsys, default, data, engine)
    # only "" is null by default: Namibia stays "NA"
    assert run.code == 0 and run.violations() == []
    frame = read_dataset([data], accord.load(default).model).frame
    assert frame.get_column("code").to_list() == ["NA", "null", "None", None, "NO", "NA"]
    listed = write_contract(
        tmp_path,
        'source: {csv: {null_values: ["", "NA", "null", "None"]}}\n'
        "fields:\n  code: {type: string}\n  name: {type: string}\n",
        "listed.yaml",
    )
    run = validate(capsys, listed, data, engine)
    assert run.violations() == [("field.null", "code", 5)]
    note = [v for v in run.report["violations"] if v["check"] == "null_values"]
    assert [(v["field"], v["severity"], v["details"]) for v in note] == [
        ("code", "info", {"null_tokens": {"NA": 2, "null": 1, "None": 1}})
    ]
    assert "2 x 'NA'" in note[0]["message"]


def test_fault_23_same_null_tokens_on_every_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(
        tmp_path,
        'source: {csv: {null_values: ["", "NA"]}}\n'
        "fields:\n  n: {type: int64, nullable: true, checks: [{min: 0}]}\n",
    )
    data = write(tmp_path / "n.csv", "n\nNA\n-1\n\nN/A\n")
    reports = [validate(capsys, contract, data, e).report for e in ("pandas", "polars")]
    for report in reports:
        for key in ("engine", "started_at", "duration_s"):
            report.pop(key)
        for found in report["violations"]:
            found["details"].pop("actual", None)  # the engine's own dtype name
    assert reports[0] == reports[1]
    assert [(v["code"], v["failure_count"]) for v in reports[0]["violations"]] == [
        ("field.type", 1),
        ("check.failed", 1),
        ("field.null", None),
    ]
    assert json.dumps(reports[0]).count("N/A") == 1


def test_fault_20_large_ids_failing_beside_a_float_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Failure cases of several columns are gathered into one table; an id above 2**53 must not
    be forced through a float64 on the way (pandas' arrow-backed frames refuse, with an error)."""
    exact = 1582218195625938945
    contract = write_contract(
        tmp_path,
        "fields:\n  id: {type: int64, checks: [{max: 10}]}\n"
        "  f: {type: float64, checks: [{max: 1}]}\n",
    )
    data = write(tmp_path / "d.csv", f"id,f\n{exact},2.5\n3,0.5\n")
    run = validate(capsys, contract, data, engine)
    assert run.code == 1, run.err
    assert run.violations() == [("check.failed", "id", 1), ("check.failed", "f", 1)]
    assert violation(run.report, "check.failed", "id")["examples"][0]["value"] == exact
    frame = pl.DataFrame({"id": [exact, 3], "f": [2.5, 0.5]})
    report = accord.load(contract).validate(
        frame if engine == "polars" else frame.to_pandas(use_pyarrow_extension_array=True)
    )
    assert api_summary(report) == run.violations()
