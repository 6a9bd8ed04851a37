"""``accord validate --engine pyspark``: Parquet read by Spark where it lies gives polars' report,
rows numbered file after file in discover order whatever order Spark reads the splits in; other
formats go through accord's readers; the ``--spark-*`` options are checked before anything runs.

Every case shares the session-scoped ``spark`` fixture: the CLI finds it active and uses it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from fault_support import cli, validate, write, write_contract
from spark_support import comparable

CONTRACT = """\
dataset:
  primary_key: [id]
  rules:
    - {name: ordered, assert: "lo <= hi"}
fields:
  id: {type: int64}
  name: {type: string, nullable: true, checks: [{pattern: "[a-z]+"}]}
  lo: {type: int64, nullable: true}
  hi: {type: int64, nullable: true, checks: [{max: 100}]}
  note: {type: string, required: false, nullable: true}
"""


def dataset(tmp_path: Path) -> Path:
    """Three files of very different sizes: Spark reads the largest split first, so partition
    order is not file order, and only the last file has ``note``."""
    folder = tmp_path / "data"
    folder.mkdir()
    small = {"id": [1, 2, 2], "name": ["ab", "B", None], "lo": [1, 5, None], "hi": [2, 1, 3]}
    pl.DataFrame(small).write_parquet(folder / "a.parquet")
    n = 3000
    large = {
        "id": list(range(10, 10 + n)),
        "name": ["x"] * (n - 1) + ["x y"],
        "lo": [0] * n,
        "hi": [1] * (n - 2) + [500, -1],
    }
    pl.DataFrame(large).write_parquet(folder / "b.parquet")
    last = {"id": [1, 7], "name": ["q", "7"], "lo": [9, 1], "hi": [8, 2], "note": ["n", None]}
    pl.DataFrame(last).write_parquet(folder / "c.parquet")
    return folder


@pytest.mark.spark
def test_parquet_files_read_by_spark_give_polars_report(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, CONTRACT)
    folder = dataset(tmp_path)
    options = ["--max-examples", "10"]
    on_spark = validate(capsys, contract, folder, "pyspark", *options)
    on_polars = validate(capsys, contract, folder, "polars", "--batch-rows", "0", *options)
    assert (on_spark.code, on_polars.code) == (1, 1)
    spark_report, polars_report = comparable(on_spark.report), comparable(on_polars.report)
    assert spark_report == polars_report
    rule = next(v for v in spark_report["violations"] if v["code"] == "dataset.rule")
    # 5 > 1 and an unknown (null) in a.parquet, -1 in b.parquet's last row, 9 > 8 in c.parquet
    shown = [(Path(e["file"]).name, e["row"]) for e in rule["examples"]]
    assert shown == [("a.parquet", 1), ("a.parquet", 2), ("b.parquet", 2999), ("c.parquet", 0)]


@pytest.mark.spark
def test_csv_is_read_by_accord_then_validated_on_spark(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV keeps accord's typed reading: '8,425,333' is not an int64, its text is the example."""
    contract = write_contract(tmp_path, CONTRACT)
    data = write(tmp_path / "d.csv", 'id,name,lo,hi\n1,ab,1,2\n"8,425,333",cd,3,4\n1,ef,9,1\n')
    on_spark = validate(capsys, contract, data, "pyspark")
    on_polars = validate(capsys, contract, data, "polars")
    assert on_spark.code == on_polars.code == 1
    spark_report = comparable(on_spark.report)
    assert spark_report == comparable(on_polars.report)
    codes = [(v["code"], v["failure_count"]) for v in spark_report["violations"]]
    assert ("field.type", 1) in codes and ("dataset.primary_key", 2) in codes


def test_spark_options_are_checked_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, CONTRACT)
    data = write(tmp_path / "d.csv", "id,name,lo,hi\n1,ab,1,2\n")
    bad_conf = validate(capsys, contract, data, "pyspark", "--spark-conf", "novalue")
    assert bad_conf.code == 2 and "--spark-conf takes KEY=VALUE" in bad_conf.err
    bad_remote = validate(capsys, contract, data, "pyspark", "--spark-remote", "http://x:1")
    assert bad_remote.code == 2 and "sc://HOST:PORT" in bad_remote.err
    local = validate(capsys, contract, data, "polars", "--spark-master", "local[2]")
    assert local.code == 2 and "the polars engine runs here" in local.err


def test_a_missing_pyspark_is_a_usage_error_naming_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.engines import registry

    monkeypatch.setitem(registry._ENGINES, "pyspark", "accord_no_such_module.spark:SparkEngine")
    contract = write_contract(tmp_path, CONTRACT)
    data = write(tmp_path / "d.csv", "id,name,lo,hi\n1,ab,1,2\n")
    run = validate(capsys, contract, data, "pyspark")
    assert run.code == 2
    assert "needs the package 'accord_no_such_module'" in run.err
    assert "pip install 'accord[spark]'" in run.err


@pytest.mark.spark
def test_files_spark_cannot_read_together_are_exit_2_not_a_traceback(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, CONTRACT)
    folder = tmp_path / "data"
    folder.mkdir()
    rest = {"name": ["a"], "lo": [1], "hi": [2]}
    pl.DataFrame({"id": [1], **rest}).write_parquet(folder / "a.parquet")
    pl.DataFrame({"id": ["x"], **rest}).write_parquet(folder / "b.parquet")  # id: int vs text
    run = validate(capsys, contract, folder, "pyspark")
    assert run.code == 2 and "Spark could not read the data" in run.err


@pytest.mark.spark
def test_profile_on_spark_gives_the_same_statistics(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write_contract(tmp_path, CONTRACT)
    data = dataset(tmp_path)
    profiles = []
    for engine in ("pyspark", "polars"):
        run = cli(capsys, "profile", contract, data, "--engine", engine)
        assert run.code == 0
        found = json.loads(run.out)
        found.pop("created_at")
        profiles.append(found)
    assert profiles[0] == profiles[1]
    assert profiles[0]["rows"] == 3005 and set(profiles[0]["fields"]) >= {"id", "name", "lo"}


@pytest.mark.spark
def test_nanosecond_parquet_timestamps_validate_exactly_as_on_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pyarrow writes TIMESTAMP(NANOS), which Spark refuses by default: read as nanoseconds and
    held as microsecond timestamps, Spark's finest (1 ns before a bound is a microsecond before
    it). polars compares nanoseconds exactly, so 500 ns past a bound is the one documented
    difference (docs/spark.md): the reports are equal but for that check."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    base = 1_704_067_200_000_000_000  # 2024-01-01T00:00:00Z in ns
    day = 86_400 * 10**9
    at = [base, base + day + 500, base - 1, base + 3 * 10**9, None]
    table = pa.table(
        {
            "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
            "at": pa.array(at, pa.timestamp("ns", tz="UTC")),
            "wall": pa.array(at, pa.timestamp("ns")),
        }
    )
    data = tmp_path / "ns.parquet"
    pq.write_table(table, data)
    assert pq.ParquetFile(data).schema_arrow.field("at").type.unit == "ns"
    contract = write_contract(
        tmp_path,
        """\
dataset:
  freshness: {field: at, max_age: 1h}
fields:
  id: {type: int64}
  at:
    type: timestamp
    tz: UTC
    nullable: true
    checks:
      - between: {min: "2024-01-01T00:00:00Z", max: "2024-01-02T00:00:00Z"}
  wall:
    type: timestamp
    nullable: true
    checks: [{max: "2024-01-02T00:00:00"}, {min: "2024-01-01T00:00:00"}]
""",
    )
    as_of = ["--as-of", (dt.datetime(2024, 1, 2, 0, 30, tzinfo=dt.UTC)).isoformat()]
    on_spark = validate(capsys, contract, data, "pyspark", *as_of)
    on_polars = validate(capsys, contract, data, "polars", *as_of)
    assert on_spark.code == on_polars.code == 1
    spark_report, polars_report = comparable(on_spark.report), comparable(on_polars.report)
    counts = {v["check_id"]: v["failure_count"] for v in spark_report["violations"]}
    polars_counts = {v["check_id"]: v["failure_count"] for v in polars_report["violations"]}
    assert counts["fields.at.checks[0]"] == counts["fields.wall.checks[1]"] == 1  # 1 ns early
    assert "fields.wall.checks[0]" not in counts  # 500 ns past the max is within its microsecond
    assert polars_counts.pop("fields.wall.checks[0]") == 1  # polars: 500 ns past is past
    assert polars_counts.pop("fields.at.checks[0]") == 2  # and past the between's max
    assert {k: v for k, v in counts.items() if k != "fields.at.checks[0]"} == polars_counts
    assert "dataset.freshness" not in counts  # newest is 30 min before --as-of
