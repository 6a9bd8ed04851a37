"""Dates and timestamps read from text: the same cells are refused on every engine.

polars' parser alone would take year 0000, a signed year (``-0001``, ``+2020``) through ``%Y``
and roll a ``:60`` second into the next minute, a value no other engine (Spark, Python, pandas)
holds or a silent change of the value. Each case is written once and run on every engine.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fault_support import cli, validate, violation, write, write_contract, write_parquet
from spark_support import comparable

SPARK = pytest.param("pyspark", marks=pytest.mark.spark)


@pytest.fixture(params=["polars", "pandas", SPARK])
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine, the shared SparkSession started for Spark's."""
    if request.param == "pyspark":
        request.getfixturevalue("spark")
    return str(request.param)


COLUMNS = ("day", "formatted_day", "moment", "clock")
TYPES = {
    "day": "type: date",
    "formatted_day": 'type: date\n    format: "%Y-%m-%d"',
    "moment": "type: timestamp",
    "clock": "type: time",
}

# (cells of one row, the columns whose cell is refused)
ROWS: list[tuple[tuple[str, str, str, str], set[str]]] = [
    (("2020-02-03", "2020-02-03", "2020-01-01T23:59:59", "23:59:59"), set()),
    (("0001-01-01", "1-1-1", "0001-01-01 00:00", "00:00"), set()),
    (("9999-12-31", "9999-12-31", "9999-12-31T23:59:59.999999", "12:00:59.5"), set()),
    (
        ("0000-01-01", "0000-01-01", "0000-01-01T00:00:00", "12:00:00"),
        {"day", "formatted_day", "moment"},
    ),
    (
        ("2020-02-03", "-0001-03-04", "2020-01-01T00:00:60", "12:00:60"),
        {"formatted_day", "moment", "clock"},
    ),
    (
        ("2020-02-03", "+2020-02-03", "2020-06-30T23:59:60", "23:59:60"),
        {"formatted_day", "moment", "clock"},
    ),
]


def refused_cells(
    engine: str, columns: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[dict[str, list[tuple[int, str]]], str]:
    """Validate ``columns`` of ``ROWS`` on ``engine``: each refused column's (row, text), and
    stderr."""
    body = "fields:\n" + "".join(f"  {name}:\n    {TYPES[name]}\n" for name in columns)
    picked = [COLUMNS.index(name) for name in columns]
    lines = [",".join(columns)] + [",".join(cells[i] for i in picked) for cells, _ in ROWS]
    data = write(tmp_path / "days.csv", "\n".join(lines) + "\n")
    run = validate(capsys, write_contract(tmp_path, body), data, engine)
    assert run.code == 1, run.err
    report = json.loads(run.out)
    assert {v["code"] for v in report["violations"]} == {"field.type"}
    refused = {
        v["field"]: [(e["row"], e["value"]) for e in v["examples"]] for v in report["violations"]
    }
    return refused, run.err


def expected_cells(columns: tuple[str, ...]) -> dict[str, list[tuple[int, str]]]:
    expected: dict[str, list[tuple[int, str]]] = {}
    for row, (cells, bad) in enumerate(ROWS):
        for column, cell in zip(COLUMNS, cells, strict=True):
            if column in bad and column in columns:
                expected.setdefault(column, []).append((row, cell))
    return expected


def test_years_outside_0001_9999_signs_and_leap_seconds_are_type_failures(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    columns = ("day", "formatted_day", "moment")
    refused, err = refused_cells(engine, columns, tmp_path, capsys)
    assert "warning" not in err  # Spark read the file itself: no fallback to the driver
    assert refused == expected_cells(columns)


def test_a_leap_second_in_a_time_of_day_is_a_type_failure(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Spark holds times of day too (its ``TIME`` type, enabled for the run)."""
    refused, _ = refused_cells(engine, ("clock",), tmp_path, capsys)
    assert refused == expected_cells(("clock",))


@pytest.mark.spark
def test_times_of_day_in_parquet_give_polars_report_on_spark(
    spark: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``time`` column Spark would refuse (``UNSUPPORTED_TIME_TYPE``) is read and checked."""
    contract = write_contract(tmp_path, "fields:\n  clock:\n    type: time\n")
    data = write_parquet(tmp_path, {"clock": [dt.time(12, 0), None, dt.time(23, 59, 59, 5)]})
    on_spark = validate(capsys, contract, data, "pyspark")
    on_polars = validate(capsys, contract, data, "polars")
    assert on_spark.code == on_polars.code == 1, on_spark.err
    assert comparable(json.loads(on_spark.out)) == comparable(json.loads(on_polars.out))
    assert violation(json.loads(on_spark.out), "field.null", "clock")["examples"][0]["row"] == 1


DAYS_BEFORE_YEAR_1 = -719_163  # 0000-12-31, in days since 1970-01-01
MICROS_BEFORE_YEAR_1 = -62_135_596_800_000_001  # 0000-12-31T23:59:59.999999


def test_stored_dates_and_timestamps_python_cannot_hold_are_shown_as_counts(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Parquet file may store year 0 or earlier; an example of it is the stored count on
    every engine (Spark reads such values; Python cannot hold them), never an internal error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    days = [18_262, DAYS_BEFORE_YEAR_1, -800_000, None]
    micros = [0, MICROS_BEFORE_YEAR_1, MICROS_BEFORE_YEAR_1 - 86_400_000_000, None]
    table = pa.table({"d": pa.array(days, pa.date32()), "t": pa.array(micros, pa.timestamp("us"))})
    data = tmp_path / "old.parquet"
    pq.write_table(table, data)
    body = """\
    fields:
      d:
        type: date
        nullable: true
        checks:
          - min: 2000-01-01
      t:
        type: timestamp
        nullable: true
        checks:
          - min: 2000-01-01T00:00:00
    """
    run = validate(capsys, write_contract(tmp_path, body), data, engine)
    assert run.code == 1, run.err
    report = json.loads(run.out)
    shown = {
        v["field"]: [(e["row"], e["value"]) for e in v["examples"]] for v in report["violations"]
    }
    assert shown == {
        "d": [
            (1, f"{DAYS_BEFORE_YEAR_1} days since 1970-01-01"),
            (2, "-800000 days since 1970-01-01"),
        ],
        "t": [
            (0, "1970-01-01T00:00:00"),
            (1, f"{MICROS_BEFORE_YEAR_1} us since 1970-01-01T00:00:00"),
            (2, f"{MICROS_BEFORE_YEAR_1 - 86_400_000_000} us since 1970-01-01T00:00:00"),
        ],
    }


@pytest.mark.spark
def test_keys_and_profiles_of_dates_before_year_1_match_polars_on_spark(
    spark: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A duplicated key and a profile's min/max before year 1 come back from Spark as the
    other engines give them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    days = [DAYS_BEFORE_YEAR_1, DAYS_BEFORE_YEAR_1, -800_000, 3_000_000]
    data = tmp_path / "keys.parquet"
    pq.write_table(pa.table({"d": pa.array(days, pa.date32())}), data)
    body = """\
    dataset:
      primary_key: [d]
    fields:
      d:
        type: date
        checks:
          - max: 1990-01-01
    """
    contract = write_contract(tmp_path, body)
    on_spark = validate(capsys, contract, data, "pyspark")
    on_polars = validate(capsys, contract, data, "polars")
    assert on_spark.code == on_polars.code == 1, on_spark.err
    assert comparable(json.loads(on_spark.out)) == comparable(json.loads(on_polars.out))
    key = violation(json.loads(on_spark.out), "dataset.primary_key")
    assert key["examples"][0]["value"] == {"d": f"{DAYS_BEFORE_YEAR_1} days since 1970-01-01"}
    profiles = {}
    for engine in ("polars", "pyspark"):
        written = tmp_path / f"{engine}.json"
        run = cli(capsys, "profile", contract, data, "--engine", engine, "-o", written)
        assert run.code == 0, run.err
        profiles[engine] = json.loads(written.read_text())["fields"]
    assert profiles["pyspark"] == profiles["polars"]
    assert profiles["polars"]["d"]["max"] == "10183-09-21"
