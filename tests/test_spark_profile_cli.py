"""``accord profile --engine pyspark`` runs on Spark as ``validate`` does: the ``--spark-*``
options, Parquet read by Spark where it lies, Spark's errors as exit 2; the statistics are
polars'."""

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
    from accord.run import sources

    real = sources.read_dataset
    readers: list[str] = []

    def noted(*args: Any, **kwargs: Any) -> Any:
        readers.append("accord")
        return real(*args, **kwargs)

    monkeypatch.setattr(sources, "read_dataset", noted)
    written = profiles(
        capsys, contract, files, tmp_path, "--spark-conf", "spark.sql.shuffle.partitions=2"
    )
    assert readers == ["accord"]  # the polars run's read only: Spark read the files itself
    assert written["pyspark"]["rows"] == 200
    assert close(written["pyspark"], written["polars"])


def test_csv_on_spark_is_read_by_accord_and_profiled_as_on_polars(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    del spark
    contract = write(tmp_path / "c.yaml", CONTRACT)
    data = tmp_path / "d.csv"
    frame(90, 0).write_csv(data)
    written = profiles(capsys, contract, [data], tmp_path)
    assert written["pyspark"]["rows"] == 90
    assert close(written["pyspark"], written["polars"])


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
