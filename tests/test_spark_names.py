"""Columns whose names differ only in case (``a`` and ``A``) are two fields on Spark too.

Spark resolves names case-insensitively by default, so a reference to either is ambiguous
(``AMBIGUOUS_REFERENCE``); accord, like polars and pandas, holds them apart. Each format is read
as Spark reads it (Parquet and CSV on the cluster, JSON Lines through accord's reader here) and
must give polars' report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fault_support import validate, write, write_contract, write_parquet
from spark_support import comparable

pytestmark = pytest.mark.spark

CONTRACT = """\
fields:
  a:
    type: int64
    checks:
      - max: 2
  A:
    type: int64
    checks:
      - max: 3
"""


@pytest.fixture
def case_blind(spark: Any) -> Iterator[None]:
    """The session as Spark starts it (case-insensitive), whatever an earlier test set."""
    key = "spark.sql.caseSensitive"
    before = spark.conf.get(key)
    spark.conf.set(key, "false")
    yield
    spark.conf.set(key, before)


def _data(tmp_path: Path, kind: str) -> Path:
    if kind == "parquet":
        return write_parquet(tmp_path, {"a": [1, 3], "A": [2, 4]})
    if kind == "csv":
        return write(tmp_path / "d.csv", "a,A\n1,2\n3,4\n")
    return write(tmp_path / "d.jsonl", '{"a": 1, "A": 2}\n{"a": 3, "A": 4}\n')


@pytest.mark.parametrize("kind", ["parquet", "csv", "jsonl"])
def test_names_differing_only_in_case_are_two_fields_as_on_polars(
    kind: str, case_blind: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract, data = write_contract(tmp_path, CONTRACT), _data(tmp_path, kind)
    on_spark = validate(capsys, contract, data, "pyspark")
    on_polars = validate(capsys, contract, data, "polars")
    assert on_spark.code == on_polars.code == 1, on_spark.err
    report = json.loads(on_spark.out)
    assert comparable(report) == comparable(json.loads(on_polars.out))
    failed = {v["field"]: v["examples"][0]["value"] for v in report["violations"]}
    assert failed == {"a": 3, "A": 4}
