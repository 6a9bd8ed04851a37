"""``--reference`` (drift) and ``--schema-only`` on Spark, as a user runs them: the JSON report
equals polars' on the same files (drift statistics within the rounding the report shows).

Every case shares the session-scoped ``spark`` fixture: the CLI finds it active and uses it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from drift_samples import SHOP, orders
from fault_support import cli, validate, write, write_contract

pytestmark = pytest.mark.spark


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    for key in ("engine", "started_at", "duration_s"):
        report.pop(key)
    for found in report["violations"]:
        found["details"].pop("actual", None)  # each engine's own dtype name
    return report


def test_drift_against_a_reference_profile_is_polars_report(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write(tmp_path / "shop.yaml", SHOP)
    base = tmp_path / "orders.parquet"
    orders("polars", 400, 5).write_parquet(base)
    stats = tmp_path / "stats.json"
    assert cli(capsys, "profile", contract, base, "-o", stats).code == 0
    shifted = tmp_path / "shifted.parquet"
    orders("polars", 400, 6, shift=2.0, new_currency=0.1).write_parquet(shifted)
    reports = {}
    for engine in ("pyspark", "polars"):
        run = validate(capsys, contract, shifted, engine, "--reference", stats)
        assert run.code == 0  # drift is a warning by default
        reports[engine] = comparable(run.report)
    assert reports["pyspark"] == reports["polars"]
    codes = {v["code"] for v in reports["pyspark"]["violations"]}
    assert {"drift.mean_shift", "drift.unseen_categories"} <= codes


def test_schema_only_on_spark_is_polars_report(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing field, a type mismatch and an unexpected column; no data check runs."""
    contract = write_contract(
        tmp_path,
        """\
dataset:
  columns: closed
fields:
  id: {type: int64, checks: [{min: 100}]}
  name: {type: string}
  when: {type: date}
""",
    )
    data = tmp_path / "d.parquet"
    pl.DataFrame({"id": [1, 2], "name": [3, 4], "extra": ["a", "b"]}).write_parquet(data)
    reports = {}
    for engine in ("pyspark", "polars"):
        run = validate(capsys, contract, data, engine, "--schema-only")
        assert run.code == 1
        reports[engine] = comparable(run.report)
    assert reports["pyspark"] == reports["polars"]
    codes = sorted(v["code"] for v in reports["pyspark"]["violations"])
    assert "field.type" in codes and "field.missing" in codes
    assert all(v["check_id"] != "fields.id.checks[0]" for v in reports["pyspark"]["violations"])
