"""What the Spark engine's modules share: the names of the columns it adds, and how a column of
the user's frame is named in an expression."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pyspark.sql import functions as f  # this module loads only with the Spark engine

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

HIDDEN = "__accord_"
"""Prefix of the columns the engine adds; a frame's own columns never start with it."""
ORIGINAL = f"{HIDDEN}original__"
"""Prefix of the column holding a converted field's values as they came."""
PARTITION = f"{HIDDEN}partition"
IN_PARTITION = f"{HIDDEN}id"
ROW = f"{HIDDEN}row"
"""A frame read from files carries each row's position in the dataset (``spark_files``)."""
TYPE = f"{HIDDEN}type."
"""Prefix of the key under which a field's unreadable values are tracked beside the checks."""


def column(name: str) -> Column:
    """The column called ``name``, whatever characters it holds (dots are not nesting)."""
    return f.col(f"`{name.replace('`', '``')}`")


def count_true(flag: Column) -> Column:
    """The rows where ``flag`` (never null) holds, as an aggregate."""
    return f.sum(f.when(flag, 1).otherwise(0))


def one(frame: DataFrame) -> Any:
    """The one row of a global aggregation (it always has one, even over no rows)."""
    row = frame.first()
    assert row is not None
    return row


def session() -> Any:
    """The active session, else a new default one."""
    from pyspark.sql import SparkSession  # noqa: PLC0415

    active = SparkSession.getActiveSession()
    return active if active is not None else SparkSession.builder.getOrCreate()


def is_spark(frame: Any) -> bool:
    return type(frame).__module__.split(".")[0] == "pyspark"


def tell_case_apart(session: Any, names: Iterable[str]) -> None:
    """Make ``session`` resolve column names case-sensitively when ``names`` hold two that
    differ only in case (``a`` and ``A``): Spark's default finds a reference to either one
    ambiguous, where accord holds them as two fields. Other sessions are left as they are."""
    folded = [name.casefold() for name in names]
    if len(set(folded)) < len(folded):
        session.conf.set("spark.sql.caseSensitive", "true")
