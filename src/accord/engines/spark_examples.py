"""The first failing rows of every failed check, without a pass of their own where Spark allows.

From Spark 4.2, ``min_by(value, order, k)`` keeps the ``k`` values of least order in an
aggregation's buffer: every check's first failing positions are then computed in the same
single aggregation as the counts (:func:`aggregates`, read back by :func:`positions`), whether
the check fails or not, at the cost of ``k`` longs per check in each buffer. The values shown for
those rows come from one small query (:func:`rows_at`: the rows at those positions, a few hundred
at most), which is much cheaper than carrying a record of values for every failing row through
the aggregation.

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
from accord.engines.spark_values import from_driver, to_driver

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

_CHECK = f"{HIDDEN}check"
_RANK = f"{HIDDEN}rank"
_ORDER = "order"
_MAX_K = 100_000
"""The largest ``k`` ``min_by`` takes."""
_LISTED = 1_000
"""Up to this many positions are fetched through a literal list, more through a join."""


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
    types: Mapping[str, str],
) -> dict[str, list[FailingRow]]:
    """For each key of ``flags`` (a column True where the row fails, never null), its first
    ``wanted`` failing rows in ``order``, with the columns ``shown[key]`` names (of Spark
    ``types``)."""
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
        *[to_driver(column(name), types.get(name)).alias(carried[name]) for name in names],
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
        values = {name: from_driver(types.get(name), row[carried[name]]) for name in shown[key]}
        found[key].append(FailingRow(tuple(int(row[name]) for name in order), values))
    for rows in found.values():
        rows.sort(key=lambda failing: failing.order)
    return found


def in_aggregation(wanted: int) -> bool:
    """Whether ``wanted`` first rows per check can be computed inside the aggregation."""
    return IN_AGGREGATION and 0 < wanted <= _MAX_K


def aggregates(flags: Mapping[str, Column], order: str, wanted: int, prefix: str) -> list[Column]:
    """One aggregate per flag, ``{prefix}{i}``: the ``order`` (a bigint column) of its first
    ``wanted`` failing rows. Positions only: a buffer of ``wanted`` longs per check is all the
    aggregation carries, where a record of the shown values per failing row made it twice as
    slow; :func:`rows_at` fetches the values afterwards."""
    result = []
    for i, flag in enumerate(flags.values()):
        at = f.when(flag, column(order))  # null on passing rows, which min_by leaves out
        result.append(f.min_by(at, at, wanted).alias(f"{prefix}{i}"))
    return result


def positions(totals: Any, flags: Sequence[str], prefix: str) -> dict[str, list[int]]:
    """The positions :func:`aggregates` computed, for each key of ``flags``, ascending."""
    found = {key: totals[f"{prefix}{i}"] or [] for i, key in enumerate(flags)}
    return {key: sorted(int(p) for p in at) for key, at in found.items()}


def rows_at(
    frame: DataFrame,
    wanted: Mapping[str, Sequence[int]],
    shown: Mapping[str, Sequence[str]],
    order: str,
    types: Mapping[str, str],
) -> dict[str, list[FailingRow]]:
    """The rows at the positions ``wanted`` names for each key (``order`` holds them), with the
    columns ``shown[key]`` names (of Spark ``types``): one small query for every key at once."""
    keys = [key for key, at in wanted.items() if at]
    everywhere = sorted({position for key in keys for position in wanted[key]})
    if not everywhere:
        return {key: [] for key in wanted}
    names = list(dict.fromkeys(name for key in keys for name in shown[key]))
    carried = {name: f"{HIDDEN}v{i}" for i, name in enumerate(names)}
    if len(everywhere) <= _LISTED:
        picked = frame.where(column(order).isin(everywhere))
    else:  # a literal list that long makes a plan too large to send: join a small frame instead
        listed = frame.sparkSession.createDataFrame([(p,) for p in everywhere], f"{_ORDER} bigint")
        picked = frame.join(f.broadcast(listed), column(order) == listed[_ORDER], "left_semi")
    selected = picked.select(
        column(order).alias(_ORDER),
        *[to_driver(column(name), types.get(name)).alias(carried[name]) for name in names],
    )
    held = {int(row[_ORDER]): row for row in selected.collect()}
    return {
        key: [
            FailingRow(
                (p,),
                {name: from_driver(types.get(name), held[p][carried[name]]) for name in shown[key]},
            )
            for p in wanted[key]
        ]
        for key in wanted
    }
