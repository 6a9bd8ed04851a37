"""``accord profile --engine pyspark`` runs on Spark as ``validate`` does: the ``--spark-*``
options, Parquet, CSV and JSON Lines read by Spark where they lie (by the readers ``validate``
uses), Spark's errors as exit 2; the statistics and notes are polars'."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from fault_support import cli, write
from spark_support import close

pytestmark = pytest.mark.spark

CONTRACT = """\
accord: 1
name: profiled
version: 1.0.0
fields:
  id: {type: int64}
  amount: {type: float64, nullable: true}
  shop: {type: string}
drift:
  fields:
    amount: {psi: 0.1, ks: 0.05, mean_shift: 0.1}
    shop: {psi: 0.1, unseen_categories: 0.0}
"""


def frame(rows: int, first: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": range(first, first + rows),
            "amount": [None if i % 7 == 0 else (i * 37 % 101) / 3 for i in range(rows)],
            "shop": [["north", "south", "east"][i % 3] for i in range(rows)],
        }
    )


def profiles(
    capsys: pytest.CaptureFixture[str], contract: Path, data: list[Path], out: Path, *extra: str
) -> dict[str, dict[str, Any]]:
    written = {}
    for engine in ("pyspark", "polars"):
        target = out / f"{engine}.json"
        args = [*data, "--engine", engine, "-o", target, *(extra if engine == "pyspark" else ())]
        run = cli(capsys, "profile", contract, *args)
        assert run.code == 0, run.err
        written[engine] = json.loads(target.read_text())
        written[engine].pop("created_at")
    return written


def test_parquet_is_profiled_where_it_lies_with_polars_statistics(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    del spark  # the active session the command runs on
    contract = write(tmp_path / "c.yaml", CONTRACT)
    files = [tmp_path / "part-0.parquet", tmp_path / "part-1.parquet"]
    frame(120, 0).write_parquet(files[0])
    frame(80, 120).write_parquet(files[1])
    readers = driver_reads(monkeypatch)
    written = profiles(
        capsys, contract, files, tmp_path, "--spark-conf", "spark.sql.shuffle.partitions=2"
    )
    assert readers == ["accord"]  # the polars run's read only: Spark read the files itself
    assert written["pyspark"]["rows"] == 200
    assert close(written["pyspark"], written["polars"])


def driver_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Filled with "accord" each time accord's readers read the dataset (the polars run's)."""
    from accord.run import sources

    real = sources.read_dataset
    readers: list[str] = []

    def noted(*args: Any, **kwargs: Any) -> Any:
        readers.append("accord")
        return real(*args, **kwargs)

    monkeypatch.setattr(sources, "read_dataset", noted)
    return readers


def test_csv_is_profiled_by_spark_with_polars_statistics(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    del spark
    contract = write(tmp_path / "c.yaml", CONTRACT)
    data = tmp_path / "d.csv"
    frame(90, 0).write_csv(data)
    readers = driver_reads(monkeypatch)
    written = profiles(capsys, contract, [data], tmp_path)
    assert readers == ["accord"]  # the polars run's read only
    assert written["pyspark"]["rows"] == 90
    assert close(written["pyspark"], written["polars"])


def test_json_lines_are_profiled_by_spark_with_polars_statistics(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files, a blank line, a string in a float64 field (a null in the statistics, noted)."""
    del spark
    contract = write(tmp_path / "c.yaml", CONTRACT)
    files = [tmp_path / "part-0.jsonl", tmp_path / "part-1.jsonl"]
    frame(70, 0).write_ndjson(files[0])
    files[1].write_text(
        frame(50, 70).write_ndjson() + '\n{"id": 500, "amount": "n/a", "shop": "west"}\n'
    )
    readers = driver_reads(monkeypatch)
    written = profiles(capsys, contract, files, tmp_path)
    assert readers == ["accord"]  # the polars run's read only
    assert written["pyspark"]["rows"] == 121
    assert close(written["pyspark"], written["polars"])


def test_unreadable_cells_count_as_nulls_with_the_same_note_on_spark(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell that is not a float64 is a null in the statistics, and the note says how many."""
    del spark
    contract = write(tmp_path / "c.yaml", CONTRACT)
    data = write(
        tmp_path / "d.csv",
        "id,amount,shop\n1,2.5,north\n2,x,south\n3,,east\n4,7e1,north\n5,1.5.1,west\n",
    )
    notes = []
    for engine in ("pyspark", "polars"):
        run = cli(capsys, "profile", contract, data, "--engine", engine, "-o", tmp_path / engine)
        assert run.code == 0, run.err
        notes.append([line for line in run.err.splitlines() if line.startswith("note:")])
    assert (
        notes[0]
        == notes[1]
        == [
            "note: 2 value(s) of 'amount' could not be read as float64 and count as nulls; "
            "`accord validate` shows them"
        ]
    )
    spark_stats, polars_stats = (
        json.loads((tmp_path / e).read_text()) for e in ("pyspark", "polars")
    )
    for stats in (spark_stats, polars_stats):
        stats.pop("created_at")
    assert spark_stats["fields"]["amount"]["null_fraction"] == 3 / 5
    assert close(spark_stats, polars_stats)


def test_spark_options_without_spark_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write(tmp_path / "c.yaml", CONTRACT)
    data = tmp_path / "d.parquet"
    frame(10, 0).write_parquet(data)
    run = cli(capsys, "profile", contract, data, "--engine", "polars", "--spark-master", "local[1]")
    assert run.code == 2
    assert "apply to Spark" in run.err and "--engine pyspark" in run.err
    run = cli(capsys, "profile", contract, data, "--engine", "pyspark", "--spark-conf", "nokey")
    assert run.code == 2 and "--spark-conf takes KEY=VALUE" in run.err
