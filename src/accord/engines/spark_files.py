"""Parquet files read by Spark where they lie, each row carrying its place in the dataset.

Spark packs file splits into partitions by size, so partition order is not file order, and the
other engines number rows file after file in discover order. So every row's dataset position is
computed on the scan itself: the first dataset row of its file (from the Parquet footers, read on
the driver, which also say which columns each file lacks) plus ``_metadata.row_index``, its row
within the file. The engine then reads positions from the row (``spark.ROW``) instead of
numbering partitions.

CSV and JSON Lines are read by Spark too (``spark_csv``, ``spark_jsonl``: accord's reading rules
applied in Spark).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.errors import DataReadError

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

NATIVE_FORMATS = ("parquet", "csv", "jsonl")


@dataclass(frozen=True)
class SparkRead:
    """A dataset as one Spark frame, with what the footers said about its files."""

    frame: DataFrame
    rows: list[tuple[str, int]]
    """Each file, in discover order, and its row count."""
    missing_in_files: dict[str, list[str]]
    """Column to the files that lack it (null in their rows)."""
    null_token_counts: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)
    """Text files: column to the count of each non-empty null token read as null."""
    duplicate_columns: list[str] = dataclasses.field(default_factory=list)
    type_reasons: dict[str, str] = dataclasses.field(default_factory=dict)
    """Text files: field to why some of its cells cannot be read in its type."""

    def unread_cells(self) -> dict[str, int]:
        """Text files: per field whose cells some fail (``type_reasons``), how many: present
        text beside a null value. One aggregation, only when some failed."""
        from pyspark.sql import functions as f  # noqa: PLC0415

        from accord.engines.spark_columns import ORIGINAL, column, one  # noqa: PLC0415

        names = [name for name in self.type_reasons if f"{ORIGINAL}{name}" in self.frame.columns]
        if not names:
            return {}
        counts = [
            f.sum(
                f.when(
                    column(f"{ORIGINAL}{name}").isNotNull() & column(name).isNull(), 1
                ).otherwise(0)
            ).alias(f"c{i}")
            for i, name in enumerate(names)
        ]
        row = one(self.frame.select(*counts))
        return {name: int(row[f"c{i}"]) for i, name in enumerate(names) if row[f"c{i}"]}


@dataclass(frozen=True)
class DriverRead:
    """Files Spark would read differently from accord's readers: they are read by those, on
    this machine, and the user is told ``why``."""

    why: str


def listed_path() -> Column:
    """``_metadata.file_path`` (a URI: ``file:/a%20b.csv``) as the path accord listed."""
    from pyspark.sql import functions as f  # noqa: PLC0415

    return f.regexp_replace(f.url_decode(f.col("_metadata.file_path")), "^file:(//)?", "")


def footers(files: list[Path]) -> tuple[list[int], list[list[str]], dict[str, bool], bool]:
    """Each file's row count and column names, from its footer alone; the columns held as
    nanosecond timestamps in some file, each with whether it is an instant (UTC-adjusted); and
    whether some column holds times of day."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    counts, names = [], []
    nanos: dict[str, bool] = {}
    times = False
    for path in files:
        try:
            footer = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as error:
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise DataReadError(
                f"cannot read this Parquet file: {detail}", path=str(path)
            ) from None
        counts.append(int(footer.metadata.num_rows))
        names.append(list(footer.schema_arrow.names))
        for field in footer.schema_arrow:
            if pa.types.is_timestamp(field.type) and field.type.unit == "ns":
                nanos[field.name] = field.type.tz is not None
            times = times or pa.types.is_time(field.type)
    return counts, names, nanos, times


def read_parquet(session: Any, files: list[Path]) -> SparkRead:
    """``files`` (discover order) as one frame of ``session``, each row with its position."""
    from pyspark.sql import functions as f  # noqa: PLC0415 - pyspark loads only with this engine

    from accord.engines.spark import allow_time_type  # noqa: PLC0415 - loads pyspark
    from accord.engines.spark_columns import ROW, tell_case_apart  # noqa: PLC0415

    counts, names, nanos, times = footers(files)
    if times:
        allow_time_type(session)
    tell_case_apart(session, {name for columns in names for name in columns})
    if nanos:  # else Spark refuses the files (PARQUET_TYPE_ILLEGAL TIMESTAMP(NANOS))
        session.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")
    every = list(dict.fromkeys(name for columns in names for name in columns))
    missing = {
        name: [str(path) for path, columns in zip(files, names, strict=True) if name not in columns]
        for name in every
    }
    absolute = [str(Path(path).absolute()) for path in files]  # as listed: no symlinks resolved
    starts, start = [], 0
    for count in counts:
        starts.append(start)
        start += count
    frame = session.read.option("mergeSchema", "true").parquet(*absolute)
    listed = listed_path()
    first_row = f.create_map(
        *[f.lit(x) for pair in zip(absolute, starts, strict=True) for x in pair]
    )
    position = first_row[listed].cast("bigint") + f.col("_metadata.row_index")
    held = {name: _timestamp(f.col(f"`{name}`"), instant) for name, instant in nanos.items()}
    frame = frame.select("*", position.alias(ROW))
    return SparkRead(
        frame.withColumns(held) if held else frame,  # Spark Connect refuses no columns
        [(str(path), count) for path, count in zip(files, counts, strict=True)],
        {name: paths for name, paths in missing.items() if paths},
    )


def _timestamp(nanoseconds: Column, instant: bool) -> Column:
    """Nanoseconds since the epoch as Spark's microsecond timestamp, rounded down, as accord
    holds timestamps on every engine (polars' ``Datetime("us")``): an instant for a
    UTC-adjusted column, else a wall-clock time."""
    from pyspark.sql import functions as f  # noqa: PLC0415

    micros = (nanoseconds - f.pmod(nanoseconds, f.lit(1000))) / f.lit(1000)
    held = f.timestamp_micros(micros.cast("bigint"))
    if instant:
        return held
    epoch = f.lit(dt.datetime(1970, 1, 1)).cast("timestamp_ntz")
    return f.timestamp_add("MICROSECOND", micros.cast("bigint"), epoch)
