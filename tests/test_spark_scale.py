"""The Spark engine past the sizes where it changes strategy, judged against polars on the same
data: same codes, counts, first rows and values.

All cases share the session-scoped ``spark`` fixture (tests/conftest.py).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

import accord
from conftest import spark_frame
from fault_support import contract_text
from test_spark_engine import shown

pytestmark = pytest.mark.spark


def test_more_duplicated_keys_than_are_broadcast_are_grouped_again(spark: Any) -> None:
    """Past ``_BROADCAST_KEYS`` duplicated keys a key rule's keys stay on the executors and every
    later pass groups the data again: the counts and the first failing rows are still those of
    polars, in one run beside a key whose few duplicates are broadcast (a float key), one whose
    few duplicates are a list of literals (a text key) and a value check."""
    from accord.engines.spark_pass import _BROADCAST_KEYS

    singles, pairs = 50, 120_000
    assert pairs > _BROADCAST_KEYS  # else this would test the broadcast path twice
    contract = accord.load(
        contract_text(
            "dataset:\n  primary_key: [k]\n"
            "fields:\n  k: {type: int64}\n"
            "  j: {type: float64, unique: true}\n"
            "  s: {type: string, unique: true}\n"
            "  v: {type: int64, checks: [{min: 0}]}\n"
        )
    )
    n = singles + 2 * pairs
    frame = pl.DataFrame(
        {
            # 50 keys held once, then 120,000 keys held twice, the pairs ten rows apart
            "k": list(range(10**7, 10**7 + singles))
            + [(i // 20) * 10 + i % 10 for i in range(2 * pairs)],
            # a handful of keys held twice: broadcast, and listed
            "j": [float(i) if i % 40_000 else -0.5 for i in range(n)],
            "s": [f"s{i}" if i % 30_000 != 7 else "twice" for i in range(n)],
            "v": [-i if i % 17_000 == 5 else i for i in range(n)],
        }
    )
    on_spark = contract.validate(spark_frame(spark, frame))
    on_polars = contract.validate(frame)
    assert on_spark.engine == "pyspark"
    assert shown(on_spark) == shown(on_polars)
    counts = {v.check_id: v.failure_count for v in on_spark.violations}
    assert counts["dataset.primary_key"] == 2 * pairs
    assert counts["fields.j.unique"] == len(range(0, n, 40_000))
    assert counts["fields.s.unique"] == len(range(7, n, 30_000))
    first = next(v for v in on_spark.violations if v.check_id == "dataset.primary_key")
    assert [e.row for e in first.examples] == [singles + i for i in range(5)]


def test_many_examples_are_read_back_through_a_join(spark: Any) -> None:
    """More first failing rows than a literal list carries (``_LISTED`` positions) are read
    back by joining their positions: the same rows and values as polars. The two checks fail on
    disjoint rows, so 1,400 positions are asked for."""
    from accord.engines.spark_examples import _LISTED

    n, wanted = 3_000, 700
    contract = accord.load(
        contract_text(
            "fields:\n  x: {type: int64, checks: [{min: 0}]}\n"
            "  s: {type: string, checks: [{pattern: '[a-c]+'}]}\n"
        )
    )
    frame = pl.DataFrame(
        {
            "x": [-i if i % 2 else i for i in range(n)],
            "s": ["ab" if i % 2 else "z" for i in range(n)],
        }
    )
    on_spark = contract.validate(spark_frame(spark, frame).repartition(3), max_examples=wanted)
    held = pl.from_arrow(spark_frame(spark, frame).repartition(3).toArrow())
    on_polars = contract.validate(held, max_examples=wanted)
    assert shown(on_spark) == shown(on_polars)
    assert sum(len(v.examples) for v in on_spark.violations) == 2 * wanted > _LISTED
