"""CSV read by Spark itself (``engines.spark_csv``) gives polars' report: the same codes, counts,
examples, rows, lines, reasons and exit codes, with every cell read as text and converted by
accord's rules in Spark, and no record of the data read on the driver.

Every case shares the session-scoped ``spark`` fixture: the CLI finds it active and uses it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fault_support import Run, validate, write, write_contract
from spark_support import comparable
from test_validate_acceptance import CASES, CONTRACT, GOOD_ROWS, HEADER, STATIONS
from test_validate_acceptance import write as write_weather

pytestmark = pytest.mark.spark

ROOT = Path(__file__).parent.parent


def same_report(capsys: pytest.CaptureFixture[str], contract: Path, data: Any, *extra: Any) -> Run:
    """Validate on Spark and on polars; assert both give one report; the Spark run."""
    on_spark = validate(capsys, contract, data, "pyspark", *extra)
    on_polars = validate(capsys, contract, data, "polars", "--batch-rows", "0", *extra)
    assert on_spark.code == on_polars.code, on_spark.err
    if on_polars.code == 2:
        return on_spark
    assert comparable(json.loads(on_spark.out)) == comparable(json.loads(on_polars.out))
    return on_spark


@pytest.fixture
def no_driver_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """accord's readers of CSV cells (polars' and Python's) fail the test if called."""
    from accord.run import sources
    from accord.run.io import csv

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the driver read the CSV cells")

    for name in ("read_csv_text", "read_file", "_chunk_frame", "_polars_frame", "_python_frame"):
        monkeypatch.setattr(csv, name, refuse)
    monkeypatch.setattr(sources, "read_dataset", refuse)
    yield


def test_transactions_example_gives_polars_report_without_a_driver_read(
    spark: Any, capsys: pytest.CaptureFixture[str], no_driver_read: None
) -> None:
    contract, data = ROOT / "contracts" / "transactions.yaml", ROOT / "examples/transactions.csv"
    on_spark = validate(capsys, contract, data, "pyspark")
    assert on_spark.code == 1 and "warning" not in on_spark.err
    report = json.loads(on_spark.out)
    typed = {v["field"]: v for v in report["violations"] if v["code"] == "field.type"}
    assert typed["amount"]["examples"][0]["value"] == "3750 EUR"
    assert typed["amount"]["examples"][0]["line"] == 19
    assert "naive timestamp for a tz=UTC field" in typed["authorised_at"]["message"]


def test_transactions_example_matches_polars_exactly(
    spark: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, data = ROOT / "contracts" / "transactions.yaml", ROOT / "examples/transactions.csv"
    run = same_report(capsys, contract, data)
    assert run.code == 1


CSV_CASES = [case for case in CASES if "csv" in case.formats]


@pytest.mark.parametrize("case", CSV_CASES, ids=[case.name for case in CSV_CASES])
def test_acceptance_csv_cases_match_polars(
    case: Any, spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = case.edit([list(r) for r in GOOD_ROWS])
    data = write_weather(tmp_path, "csv", header, rows)
    stations = write(tmp_path / "stations.csv", STATIONS)
    run = same_report(capsys, CONTRACT, data, "--ref", f"stations={stations}", *case.extra_args)
    assert run.code == case.exit_code


def test_bom_and_crlf_match_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][HEADER.index("rain_mm")] = "x1"
    text = "\r\n".join(",".join(r) for r in [HEADER, *rows]) + "\r\n"
    data = write(tmp_path / "weather.csv", b"\xef\xbb\xbf" + text.encode())
    stations = write(tmp_path / "stations.csv", STATIONS)
    run = same_report(capsys, CONTRACT, data, "--ref", f"stations={stations}")
    assert run.code == 1 and "warning" not in run.err  # read by Spark (the reference is not)
    (typed,) = json.loads(run.out)["violations"]
    assert (typed["code"], typed["field"], typed["failure_count"]) == ("field.type", "rain_mm", 1)
    assert (typed["examples"][0]["row"], typed["examples"][0]["value"]) == (1, "x1")


INTS = """\
fields:
  id: {type: int64}
  small: {type: int8, nullable: true}
  big: {type: uint64, nullable: true}
  day: {type: date, nullable: true}
  at: {type: timestamp, nullable: true}
  price: {type: decimal, precision: 6, scale: 2, nullable: true}
  flag: {type: bool, nullable: true}
  n: {type: number, nullable: true}
"""


def test_unparseable_cells_are_type_violations_with_their_text(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, INTS)
    data = write(
        tmp_path / "d.csv",
        "id,small,big,day,at,price,flag,n\n"
        "9007199254740993,1,18446744073709551615,2024-02-29,2024-01-01T00:00:00,1.50,TRUE,1\n"
        "2,128,-1,2023-02-29,2024-01-01T24:00,1.555,yes,2\n"
        "3, 5,1e3,2024-1-01,2024-01-01T00:00Z,12345.6,0,2.5\n"
        "+4,-128,0,,2024-01-01 10:00:00.1234567,-0.10,1,\n",
    )
    run = same_report(capsys, contract, data, "--max-examples", "10")
    assert run.code == 1
    report = json.loads(run.out)
    typed = {v["field"]: v for v in report["violations"] if v["code"] == "field.type"}
    assert {name: v["failure_count"] for name, v in typed.items()} == {
        "small": 2,
        "big": 2,
        "day": 2,
        "at": 3,
        "price": 2,
        "flag": 1,
    }
    assert [e["value"] for e in typed["small"]["examples"]] == ["128", " 5"]
    assert "out of range for int8" in typed["small"]["message"]
    assert [e["row"] for e in typed["at"]["examples"]] == [1, 2, 3]


def test_integers_beyond_float_precision_keep_their_value(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(
        tmp_path, "fields:\n  id: {type: int64, checks: [{min: 9007199254740993}]}\n"
    )
    data = write(tmp_path / "d.csv", "id\n9007199254740993\n9007199254740992\n")
    run = same_report(capsys, contract, data)
    (found,) = json.loads(run.out)["violations"]
    assert (found["failure_count"], found["examples"][0]["row"]) == (1, 1)


def test_only_null_tokens_are_null(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(
        tmp_path,
        "source:\n  csv: {null_values: ['NA', '-']}\n"
        "fields:\n  id: {type: int64}\n  note: {type: string}\n  x: {type: float64}\n",
    )
    data = write(tmp_path / "d.csv", 'id,note,x\n1,NA,-\n2,"",1.5\n3,,NA\nNA,n/a,\n')
    run = same_report(capsys, contract, data)
    report = json.loads(run.out)
    found = sorted(
        (v["code"], v["field"], v["failure_count"])
        for v in report["violations"]
        if v["severity"] != "info"
    )
    # the empty cell (quoted or not) is text here, not null, and not a float64
    assert found == [
        ("field.null", "id", 1),
        ("field.null", "note", 1),
        ("field.null", "x", 2),
        ("field.type", "x", 1),
    ]
    notes = [v["message"] for v in report["violations"] if v["severity"] == "info"]
    assert "read as null by the contract's null_values: 1 x 'NA', 1 x '-'" in notes


def test_files_of_a_glob_cut_into_many_splits_keep_file_order(
    spark: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    small_splits: None,
    no_driver_read: None,
) -> None:
    contract = write_contract(
        tmp_path,
        "dataset:\n  primary_key: [id]\nfields:\n  id: {type: int64}\n  v: {type: int32}\n",
    )
    folder = tmp_path / "data"
    folder.mkdir()
    bad = {(0, 3), (1, 0), (1, 77), (2, 150)}
    for index, size in enumerate((10, 200, 151)):
        lines = [f"{index * 1000 + i},{'x' if (index, i) in bad else i}" for i in range(size)]
        write(folder / f"part-{index}.csv", "id,v\n" + "\n".join(lines) + "\n")
    write(folder / "part-3.csv", "id,v\n0,1\n")  # a key of part-0 again
    run = validate(capsys, contract, folder, "pyspark", "--max-examples", "10")
    assert run.code == 1
    report = json.loads(run.out)
    assert report["dataset"]["rows"] == 362
    typed = next(v for v in report["violations"] if v["code"] == "field.type")
    shown = [(Path(e["file"]).name, e["row"], e["line"]) for e in typed["examples"]]
    assert shown == [
        ("part-0.csv", 3, 5),
        ("part-1.csv", 0, 2),
        ("part-1.csv", 77, 79),
        ("part-2.csv", 150, 152),
    ]
    key = next(v for v in report["violations"] if v["code"] == "dataset.primary_key")
    assert [(Path(e["file"]).name, e["row"]) for e in key["examples"]] == [
        ("part-0.csv", 0),
        ("part-3.csv", 0),
    ]


def test_a_glob_matches_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(
        tmp_path,
        "dataset:\n  primary_key: [id]\n"
        "fields:\n  id: {type: int64}\n  v: {type: int32}\n  w: {type: string, required: false}\n",
    )
    write(tmp_path / "a.csv", "id,v\n1,2\n2,x\n")
    write(tmp_path / "b.csv", "w,id,v\nq,2,3\nr,4,\n")
    same_report(capsys, contract, str(tmp_path / "*.csv"), "--max-examples", "10")


def test_ragged_rows_are_exit_2_naming_the_line(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, "fields:\n  id: {type: int64}\n  v: {type: int32}\n")
    data = write(tmp_path / "d.csv", "id,v\n1,2\n3\n4,5\n")
    run = validate(capsys, contract, data, "pyspark")
    assert run.code == 2
    assert "d.csv" in run.err and "line 3: expected 2 fields, found 1" in run.err


def test_a_blank_line_is_exit_2_as_on_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, "fields:\n  id: {type: int64}\n  v: {type: int32}\n")
    data = write(tmp_path / "d.csv", "id,v\n1,2\n\n4,5\n")
    run = validate(capsys, contract, data, "pyspark")
    assert run.code == 2 and "line 3: expected 2 fields, found 1 (a blank line)" in run.err


def test_a_stray_quote_is_exit_2_as_on_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, "fields:\n  id: {type: int64}\n  v: {type: string}\n")
    data = write(tmp_path / "d.csv", 'id,v\n1,"q"z\n')
    run = validate(capsys, contract, data, "pyspark")
    assert run.code == 2 and "line 2" in run.err and "d.csv" in run.err


def test_a_quoted_cell_spanning_lines_is_read_by_accord_with_a_warning(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, "fields:\n  id: {type: int64}\n  v: {type: string}\n")
    data = write(tmp_path / "d.csv", 'id,v\n1,"two\nlines"\nx,"say ""hi"""\n')
    run = same_report(capsys, contract, data)
    assert "warning: the data is read on this machine by accord's reader" in run.err
    assert "d.csv has a quoted cell spanning lines" in run.err
    (typed,) = json.loads(run.out)["violations"]
    assert (typed["examples"][0]["row"], typed["examples"][0]["line"]) == (1, 4)


def test_escaped_quotes_and_duplicated_headers_match_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(
        tmp_path,
        "fields:\n  id: {type: int64}\n  v: {type: string, checks: [{length: {max: 3}}]}\n",
    )
    data = write(tmp_path / "d.csv", 'id,v,v\n1,"a""b",z\n2,"a,""bc""",y\n')
    run = same_report(capsys, contract, data)
    assert run.code == 1 and "warning" not in run.err
    found = {v["code"]: v for v in json.loads(run.out)["violations"]}
    assert found["check.failed"]["examples"][0]["value"] == 'a,"bc"'
    assert found["check.failed"]["failure_count"] == 1
    assert "dataset.duplicate_column" in found


def test_a_field_spark_cannot_convert_is_read_by_accord_with_a_warning(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(
        tmp_path, "fields:\n  id: {type: int64}\n  d: {type: date, format: '%d/%m/%Y'}\n"
    )
    data = write(tmp_path / "d.csv", "id,d\n1,31/12/2024\n2,2024-12-31\n")
    run = same_report(capsys, contract, data)
    assert run.code == 1
    assert "field 'd': a date format other than %Y-%m-%d (%d/%m/%Y)" in run.err
