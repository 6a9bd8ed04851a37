"""``--reference`` (drift) and ``--schema-only`` on Spark, as a user runs them: the JSON report
equals polars' on the same files (drift statistics within the rounding the report shows).

Every case shares the session-scoped ``spark`` fixture: the CLI finds it active and uses it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from accord.api import load
from accord.drift import measured, sketch
from accord.drift.compare import evaluate_drift
from accord.drift.stats import build_profile
from accord.errors import UsageError
from conftest import spark_frame
from drift_samples import CREATED, SHOP, orders
from fault_support import cli, validate, write, write_contract
from spark_support import close, comparable

pytestmark = pytest.mark.spark


@pytest.fixture
def no_column_pulled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drift on Spark must aggregate where the data lies: reading a column through Arrow (to
    this machine) fails the test."""
    from accord.engines.spark import SparkEngine

    def refuse(*_: Any) -> Any:
        raise AssertionError("a column was collected to the driver")

    monkeypatch.setattr(SparkEngine, "arrow_column", refuse)


@pytest.mark.usefixtures("no_column_pulled")
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


# -- drift statistics computed in Spark ----------------------------------------------------------

MIXED = """\
accord: 1
name: mixed
version: 1.0.0
fields:
  x: {type: float64, nullable: true, role: feature}
  n: {type: int64, nullable: true, role: feature}
  secret: {type: float64, nullable: true, pii: true, role: feature}
  tag: {type: string, nullable: true, role: feature}
  email: {type: string, nullable: true, pii: true, role: feature}
  flag: {type: bool, nullable: true, role: feature}
  at: {type: timestamp, tz: UTC, nullable: true, role: feature}
  wall: {type: timestamp, nullable: true, role: feature}
  day: {type: date, nullable: true, role: feature}
  nothing: {type: float64, nullable: true, role: feature}
drift:
  default: {psi: 0.1, null_fraction_delta: 0.01}
  fields:
    x: {psi: 0.1, ks: 0.05, mean_shift: 0.1, null_fraction_delta: 0.01}
    n: {psi: 0.1, ks: 0.05, mean_shift: 0.1}
    tag: {psi: 0.1, unseen_categories: 0.0}
    email: {psi: 0.1, unseen_categories: 0.0}
"""


def mixed(rows: int, seed: int, shift: float = 0.0) -> pl.DataFrame:
    """Every kind drift measures, with nulls, NaN, infinities, ties and more categories than a
    profile keeps (``max_categories`` is lowered in the tests)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(10 + shift, 3, rows).round(1).tolist()
    for i, special in enumerate([None, math.nan, math.inf, -math.inf, None, math.nan]):
        x[i * 7 % rows] = special
    n = rng.integers(-5, 5 + int(shift), rows).tolist()
    n[3] = None
    base = dt.datetime(2026, 1, 1)
    hours = rng.integers(0, 500, rows).tolist()
    tags = rng.choice(
        ["a", "b", "c", "d", "é", "日本", "z"], rows, p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05]
    )
    if shift:
        tags[:5] = ["new", "new", "newer", "a", "b"]
    return pl.DataFrame(
        {
            "x": pl.Series(x, dtype=pl.Float64),
            "n": pl.Series(n, dtype=pl.Int64),
            "secret": pl.Series(rng.normal(0, 1, rows).tolist(), dtype=pl.Float64),
            "tag": pl.Series([None if i % 11 == 0 else v for i, v in enumerate(tags.tolist())]),
            "email": pl.Series(
                [f"{'new' if shift and i < 6 else 'u'}{i % 9}@x.org" for i in range(rows)]
            ),
            "flag": pl.Series([None if i % 5 == 0 else bool(i % 3) for i in range(rows)]),
            "at": pl.Series(
                [base + dt.timedelta(hours=h, microseconds=7) for h in hours],
                dtype=pl.Datetime("us", "UTC"),
            ),
            "wall": pl.Series([base + dt.timedelta(minutes=h) for h in hours]),
            "day": pl.Series([(base + dt.timedelta(days=h % 40)).date() for h in hours]),
            "nothing": pl.Series([None] * rows, dtype=pl.Float64),
        }
    )


@pytest.mark.usefixtures("no_column_pulled")
def test_profile_statistics_on_spark_equal_polars(spark: Any) -> None:
    contract = load(MIXED)
    frame = mixed(240, 1)
    on_polars = build_profile(frame, contract.model, created_at=CREATED, max_categories=4)
    on_spark = build_profile(
        spark_frame(spark, frame), contract.model, created_at=CREATED, max_categories=4
    )
    expected, found = on_polars.model_dump(mode="json"), on_spark.model_dump(mode="json")
    assert close(found, expected), (found, expected)
    fields = found["fields"]
    assert fields["secret"]["values_withheld"] is True and fields["secret"]["quantiles"] == []
    hashed = [k for k in fields["email"]["frequencies"] if k != "__other__"]
    assert len(hashed) == 4 and all(k.startswith("sha256:") for k in hashed)
    assert "__other__" in fields["tag"]["frequencies"]  # more categories than kept
    assert fields["at"]["min"].endswith(".000007Z") and not fields["wall"]["min"].endswith("Z")
    assert fields["nothing"]["count"] == 0 and fields["x"]["count"] == 236  # NaN is null


@pytest.mark.usefixtures("no_column_pulled")
def test_drift_on_spark_equals_polars(spark: Any) -> None:
    contract = load(MIXED)
    reference = build_profile(mixed(300, 2), contract.model, created_at=CREATED)
    current = mixed(200, 3, shift=2.0)
    on_polars = evaluate_drift(current, contract.model, reference)
    on_spark = evaluate_drift(spark_frame(spark, current), contract.model, reference)
    found = [v.model_dump(mode="json") for v in on_spark.violations]
    expected = [v.model_dump(mode="json") for v in on_polars.violations]
    assert close(found, expected), (found, expected)
    assert [c.model_dump(mode="json") for c in on_spark.checks] == [
        c.model_dump(mode="json") for c in on_polars.checks
    ]
    codes = {(v["code"], v["field"]) for v in found}
    assert {
        ("drift.ks", "x"),
        ("drift.mean_shift", "n"),
        ("drift.unseen_categories", "tag"),
    } <= codes
    email = next(
        v for v in found if v["field"] == "email" and v["code"] == "drift.unseen_categories"
    )
    assert email["details"]["unseen_examples"] == ["<redacted>"] * 5


@pytest.mark.usefixtures("no_column_pulled")
def test_ks_beyond_the_distinct_limit_is_a_stated_sketch(
    spark: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More distinct values than are brought back: ks from values at evenly spaced ranks,
    within the error bound the details state of the exact figure."""
    monkeypatch.setattr(measured, "DISTINCT_LIMIT", 10)
    monkeypatch.setattr(sketch, "SKETCH_CAPACITY", 16)
    contract = load(MIXED)
    reference = build_profile(mixed(300, 2), contract.model, created_at=CREATED)
    current = mixed(200, 3, shift=2.0)
    exact = evaluate_drift(current, contract.model, reference)
    sketched = evaluate_drift(spark_frame(spark, current), contract.model, reference)

    def ks(outcome: Any) -> Any:
        return next(v for v in outcome.violations if (v.code, v.field) == ("drift.ks", "x"))

    bound = ks(sketched).details["error_bound"]
    assert ks(sketched).details["method"] == "sketch" and 0 < bound < 0.2
    assert abs(ks(sketched).details["observed"] - ks(exact).details["observed"]) <= bound


@pytest.mark.usefixtures("no_column_pulled")
def test_profile_cli_on_spark_writes_polars_stats(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write(tmp_path / "mixed.yaml", MIXED)
    data = tmp_path / "d.parquet"
    mixed(150, 4).write_parquet(data)
    written = {}
    for engine in ("pyspark", "polars"):
        out = tmp_path / f"{engine}.json"
        assert cli(capsys, "profile", contract, data, "--engine", engine, "-o", out).code == 0
        written[engine] = json.loads(out.read_text())
        written[engine].pop("created_at")
    assert close(written["pyspark"], written["polars"])


@pytest.mark.usefixtures("no_column_pulled")
def test_a_column_that_cannot_carry_its_kind_is_named_as_on_polars(spark: Any) -> None:
    contract = load(MIXED)
    good = mixed(40, 5)
    reference = build_profile(good, contract.model, created_at=CREATED)
    texts = good.with_columns(pl.col("x").cast(pl.String), pl.col("at").cast(pl.String))
    for frame in (texts, spark_frame(spark, texts)):
        with pytest.raises(UsageError, match=r"cannot profile field 'x' \(float64\): a numeric"):
            build_profile(frame, contract.model)
    outcomes = [
        evaluate_drift(frame, contract.model, reference)
        for frame in (texts, spark_frame(spark, texts))
    ]
    skipped = [sorted(v.field for v in o.violations if v.code == "check.skipped") for o in outcomes]
    assert skipped[0] == skipped[1] and "x" in skipped[0]
