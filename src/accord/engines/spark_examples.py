"""The first failing rows of every failed check, without a pass of their own where Spark allows.

From Spark 4.2, ``min_by(value, order, k)`` keeps the ``k`` values of least order in an
aggregation's buffer: every check's first failing rows are then computed in the same single
aggregation as the counts (:func:`aggregates`, read back by :func:`read`), whether the check
fails or not, at the cost of ``k`` rows per check held in each buffer.

Before 4.2 they take one more pass (:func:`first_failing`): one filter keeps the rows that fail
anything; each such row is repeated once per check it fails
(an ``explode`` of the failed checks' indices); a ``row_number`` per check, in input order, keeps
the first ``wanted`` of each. Spark pushes that limit below the shuffle (a per-partition top-k,
``WindowGroupLimit``), so what moves between executors and back to the driver is bounded by
``wanted`` per check and partition, not by how many rows fail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyspark
from pyspark.sql import Window
from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.engines.spark_columns import HIDDEN, column

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

_CHECK = f"{HIDDEN}check"
_RANK = f"{HIDDEN}rank"
_ORDER = "order"
_MAX_K = 100_000
"""The largest ``k`` ``min_by`` takes."""


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


IN_AGGREGATION = _version(pyspark.__version__) >= (4, 2)
"""Whether this Spark's ``min_by`` takes ``k``: examples then come with the counts."""


@dataclass(frozen=True)
class FailingRow:
    """One of a check's first failing rows: where it is and the values shown for it."""

    order: tuple[int, ...]
    """The ``order`` columns' values: the row's place in input order."""
    values: dict[str, Any]
    """Each shown column's value on the row."""


def first_failing(
    frame: DataFrame,
    flags: Mapping[str, Column],
    shown: Mapping[str, Sequence[str]],
    order: Sequence[str],
    wanted: int,
) -> dict[str, list[FailingRow]]:
    """For each key of ``flags`` (a column True where the row fails, never null), its first
    ``wanted`` failing rows in ``order``, with the columns ``shown[key]`` names."""
    keys = list(flags)
    if not keys or wanted <= 0:
        return {}
    names = list(dict.fromkeys(name for key in keys for name in shown[key]))
    carried = {name: f"{HIDDEN}v{i}" for i, name in enumerate(names)}
    anything = f.lit(False)
    for flag in flags.values():
        anything = anything | flag
    failed = f.filter(
        f.array(*[f.when(flag, f.lit(i)) for i, flag in enumerate(flags.values())]),
        lambda index: index.isNotNull(),
    )
    exploded = frame.where(anything).select(
        *[column(name) for name in order],
        *[column(name).alias(carried[name]) for name in names],
        f.explode(failed).alias(_CHECK),
    )
    ranked = exploded.withColumn(
        _RANK,
        f.row_number().over(
            Window.partitionBy(_CHECK).orderBy(*[column(name).asc() for name in order])
        ),
    )
    found: dict[str, list[FailingRow]] = {key: [] for key in keys}
    for row in ranked.where(f.col(_RANK) <= wanted).collect():
        key = keys[int(row[_CHECK])]
        values = {name: row[carried[name]] for name in shown[key]}
        found[key].append(FailingRow(tuple(int(row[name]) for name in order), values))
    for rows in found.values():
        rows.sort(key=lambda failing: failing.order)
    return found


def in_aggregation(wanted: int) -> bool:
    """Whether ``wanted`` first rows per check can be computed inside the aggregation."""
    return IN_AGGREGATION and 0 < wanted <= _MAX_K


def aggregates(
    flags: Mapping[str, Column],
    shown: Mapping[str, Sequence[str]],
    order: str,
    wanted: int,
    prefix: str,
) -> list[Column]:
    """One aggregate per flag, ``{prefix}{i}``: its first ``wanted`` failing rows in ``order``
    (a bigint column), each a struct of the order and the shown columns, ascending."""
    result = []
    for i, (key, flag) in enumerate(flags.items()):
        record = f.struct(
            column(order).alias(_ORDER),
            *[column(name).alias(f"v{j}") for j, name in enumerate(shown[key])],
        )
        # the record is built on failing rows only: most rows pass, and a struct costs
        first = f.min_by(f.when(flag, record), f.when(flag, column(order)), wanted)
        result.append(first.alias(f"{prefix}{i}"))
    return result


def read(
    totals: Any, flags: Sequence[str], shown: Mapping[str, Sequence[str]], prefix: str
) -> dict[str, list[FailingRow]]:
    """The failing rows :func:`aggregates` computed, for each key of ``flags``."""
    found: dict[str, list[FailingRow]] = {}
    for i, key in enumerate(flags):
        records = totals[f"{prefix}{i}"] or []
        found[key] = [
            FailingRow(
                (int(record[_ORDER]),),
                {name: record[f"v{j}"] for j, name in enumerate(shown[key])},
            )
            for record in records
        ]
    return found
