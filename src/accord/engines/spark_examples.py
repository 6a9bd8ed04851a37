"""The first failing rows of every failed check, fetched in one pass over the data.

One filter keeps the rows that fail anything; each such row is repeated once per check it fails
(an ``explode`` of the failed checks' indices); a ``row_number`` per check, in input order, keeps
the first ``wanted`` of each. Spark pushes that limit below the shuffle (a per-partition top-k,
``WindowGroupLimit``), so what moves between executors and back to the driver is bounded by
``wanted`` per check and partition, not by how many rows fail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyspark.sql import Window
from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.engines.spark_columns import HIDDEN, column

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

_CHECK = f"{HIDDEN}check"
_RANK = f"{HIDDEN}rank"


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
