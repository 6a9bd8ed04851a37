"""Shared fixtures. The ``engine`` fixture runs a behaviour test once per engine."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"

settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("deep", max_examples=5_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ENGINES = ("pandas", "polars")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_frame(
    engine: str, columns: dict[str, list[Any]], dtypes: dict[str, Any] | None = None
) -> Any:
    """A frame on ``engine`` from plain columns (pandas gets the dtypes given, if any)."""
    if engine == "polars":
        import polars as pl

        return pl.DataFrame(columns, strict=False)
    import pandas as pd

    frame = pd.DataFrame(columns)
    for name, dtype in (dtypes or {}).items():
        frame[name] = frame[name].astype(dtype)
    return frame


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local SparkSession for the whole run: a JVM takes seconds (minutes on a loaded
    machine) to start, so every Spark test shares it. Two cores, no UI, few shuffle partitions
    (the test frames are tiny), times in UTC as the engine expects."""
    pytest.importorskip("pyspark", reason="the spark extra is not installed")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("accord-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_frame(session: Any, frame: Any) -> Any:
    """A polars frame as a Spark frame of ``session``, through Arrow (types kept exactly)."""
    from accord.engines.spark import from_arrow

    return from_arrow(session, frame.to_arrow())


@pytest.fixture
def registered_checks() -> Iterator[list[str]]:
    """Names registered during a test are removed afterwards."""
    from accord.contract.registry import unregister_check

    names: list[str] = []
    yield names
    for name in names:
        unregister_check(name)


@pytest.fixture
def small_splits(spark: Any) -> Iterator[None]:
    """Files cut into 64-byte splits packed several to a partition, so a file's rows come from
    many splits read in any order."""
    keys = ("spark.sql.files.maxPartitionBytes", "spark.sql.files.openCostInBytes")
    before = {key: spark.conf.get(key) for key in keys}
    spark.conf.set("spark.sql.files.maxPartitionBytes", "64")
    spark.conf.set("spark.sql.files.openCostInBytes", "1")
    yield
    for key, value in before.items():
        spark.conf.set(key, value)
