"""The Spark engine: a plan evaluated where the data lives, in a few passes, whatever its size.

Every check becomes a failure ``Column`` that is never null (``compile.spark_checks``), evaluated
by ``spark_pass``: one ``groupBy`` per key rule, one aggregation for every count and statistic,
one more pass for the first failing rows of what failed. Nothing but counts, examples and
duplicated-key samples comes back to the driver. This module is the seam: sessions, files, and
frames made ready for the pass.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.compile.dtypes_spark import fit_spark, fits, spark_type_name
from accord.compile.plan import CheckSpec, Plan, runnable
from accord.contract.fit import Fit
from accord.contract.model import Field_
from accord.engines import spark_measure
from accord.engines.base import (
    CategoryCounts,
    ColumnMeasure,
    Conversion,
    Evidence,
    EvidenceRequest,
)
from accord.engines.spark_columns import (
    HIDDEN,
    ORIGINAL,
    ROW,
    column,
    is_spark,
    session,
    tell_case_apart,
)
from accord.engines.spark_pass import SparkPass
from accord.errors import UsageError

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["HIDDEN", "ROW", "SparkEngine", "column", "from_arrow"]

# pyspark 4 warns that it does not fully support pandas 3 whenever a frame crosses from arrow;
# this engine hands Spark arrow tables and never uses pandas-on-Spark, so the warning is noise
# between the lines of a report.
warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)

_QUIET = {"spark.ui.showConsoleProgress": "false", "spark.log.level": "ERROR"}
"""A session accord starts itself: no progress bars or WARN lines between a report's lines."""


@dataclass(frozen=True)
class _Converted:
    """A column to hold in the declared type, with its original values kept beside it."""

    converted: Column
    original: Column


class SparkEngine:
    name = "pyspark"
    batched = False

    # -- the schema ---------------------------------------------------------------------------
    def columns(self, frame: DataFrame) -> list[str]:
        return [name for name in frame.columns if not name.startswith(HIDDEN)]

    def height(self, frame: DataFrame) -> int:
        return int(frame.count())

    def dtype_text(self, frame: DataFrame, column_name: str) -> str:
        return str(frame.schema[column_name].dataType.simpleString())

    def fit(self, spec: Field_, frame: DataFrame, column_name: str) -> Fit:
        return fit_spark(spec, self.dtype_text(frame, column_name))

    # -- sessions and files -------------------------------------------------------------------
    def start_session(self, master: str | None, conf: Mapping[str, str], remote: str | None) -> Any:
        """The session the run uses: Spark Connect at ``remote`` (DataFrame API only), else the
        active session when nothing is asked of it, else one on ``master`` (``local[*]``)."""
        from pyspark.sql import SparkSession  # noqa: PLC0415

        if remote is not None and master is not None:
            raise UsageError("--spark-remote and --spark-master exclude each other; pick one")
        builder = SparkSession.builder
        if remote is not None:
            builder = builder.remote(remote)
        else:
            active = SparkSession.getActiveSession()
            if active is not None and master is None and not conf:
                return active
            builder = builder.master(master or "local[*]").appName("accord")
            for key, value in _QUIET.items():  # the user's --spark-conf still wins
                builder = builder.config(key, conf.get(key, value))
        for key, value in conf.items():
            builder = builder.config(key, value)
        return builder.getOrCreate()

    def failures(self) -> tuple[type[BaseException], ...]:
        from py4j.protocol import Py4JError  # noqa: PLC0415
        from pyspark.errors import PySparkException  # noqa: PLC0415

        return (PySparkException, Py4JError)

    def read_files(self, files: list[Any], kind: str, text: Any = None) -> Any:
        """``files`` read by Spark where they lie (``spark_files``, ``spark_csv``); a
        ``DriverRead`` saying why accord's readers must read them here; or None for a format
        Spark does not read yet."""
        from accord.engines.spark_files import NATIVE_FORMATS, read_parquet  # noqa: PLC0415

        if kind not in NATIVE_FORMATS:
            return None
        if kind == "csv":
            from accord.engines.spark_csv import read_csv  # noqa: PLC0415

            return read_csv(session(), files, text)
        if kind == "jsonl":  # ``text``: accord's JSON Lines rules
            from accord.engines.spark_jsonl import read_jsonl  # noqa: PLC0415

            return read_jsonl(session(), files, text)
        return read_parquet(session(), files)

    # -- frames -------------------------------------------------------------------------------
    def adopt(self, frame: Any) -> DataFrame:
        """A polars frame from accord's readers as a Spark frame of the active session, each row
        carrying its position: the reader's cell failures are given by position."""
        import polars as pl  # noqa: PLC0415 - accord's readers hand over polars frames

        numbered = frame.with_columns(pl.int_range(frame.height, dtype=pl.Int64).alias(ROW))
        return from_arrow(session(), numbered.to_arrow())

    def positional(self, frame: DataFrame) -> tuple[DataFrame, list[str]]:
        """Spark frames may hold a name twice: only the first column of a name is kept."""
        names = list(frame.columns)
        duplicates = sorted({n for i, n in enumerate(names) if names.index(n) != i})
        if not duplicates:
            return frame, []
        renamed = frame.toDF(*[f"{HIDDEN}{i}" for i in range(len(names))])
        kept = [
            column(f"{HIDDEN}{i}").alias(name)
            for i, name in enumerate(names)
            if names.index(name) == i
        ]
        return renamed.select(kept), duplicates

    def to_pandera(self, plan: Plan) -> Any:  # noqa: ARG002 - the protocol's signature
        try:
            import pandera.pyspark  # noqa: F401, PLC0415
        except Exception as error:
            raise UsageError(
                f"pandera's pyspark backend cannot be imported here ({type(error).__name__}: "
                f"{str(error).splitlines()[0] if str(error) else error}); accord validates on "
                "Spark without it"
            ) from None
        raise UsageError(
            "a pandera.pyspark schema is not built yet: pandera's pyspark backend gives no "
            "counts, so accord validates on Spark without it"
        )

    def convert(self, spec: Field_, frame: DataFrame, column_name: str) -> Conversion:
        original = column(column_name)
        type_name = self.dtype_text(frame, column_name)
        held = f.when(fits(spec, original, type_name), _held(original, spec, type_name))
        empty = np.array([], dtype=np.int64)  # counted in the pass, see ``evaluate``
        return Conversion(_Converted(held, original), empty, [])

    def with_columns(self, frame: DataFrame, columns: Mapping[str, Any]) -> DataFrame:
        if not columns:
            return frame
        added: dict[str, Column] = {}
        for name, value in columns.items():
            if f"{ORIGINAL}{name}" not in frame.columns:  # a reader's text stays the original
                added[f"{ORIGINAL}{name}"] = value.original
            added[name] = value.converted
        return frame.withColumns(added)  # every expression reads the frame as it was

    def reference_values(self, frame: Any, column_name: str, spec: Field_) -> DataFrame:
        data = frame if is_spark(frame) else from_arrow(session(), _as_arrow(frame))
        values = column(column_name).try_cast(spark_type_name(spec))
        return data.select(values.alias("value")).where("value IS NOT NULL").distinct()

    def arrow_column(self, frame: DataFrame, column_name: str) -> Any:
        return frame.select(column(column_name)).toArrow().column(0)

    # -- drift statistics, where the data lies (base.Measuring) --------------------------------
    def measure(self, frame: DataFrame, kinds: Mapping[str, str]) -> dict[str, ColumnMeasure]:
        return spark_measure.measure(frame, kinds)

    def order_statistics(
        self, frame: DataFrame, wanted: Mapping[str, tuple[int, Sequence[int], Sequence[float]]]
    ) -> dict[str, tuple[list[float], list[float]]]:
        return spark_measure.order_statistics(frame, wanted)

    def counts_below(
        self, frame: DataFrame, edges: Mapping[str, Sequence[float]]
    ) -> dict[str, list[int]]:
        return spark_measure.counts_below(frame, edges)

    def category_counts(
        self, frame: DataFrame, column_name: str, *, top: int, hashed: bool, known: Collection[str]
    ) -> CategoryCounts:
        return spark_measure.category_counts(
            frame, column_name, top=top, hashed=hashed, known=known
        )

    def finite_distribution(
        self, frame: DataFrame, column_name: str, limit: int
    ) -> tuple[list[float], list[int]] | None:
        return spark_measure.finite_distribution(frame, column_name, limit)

    def aggregate(self, frame: DataFrame, spec: CheckSpec) -> Any:
        return SparkPass(frame, [spec], {}, EvidenceRequest()).observed(spec)

    # -- evaluation ---------------------------------------------------------------------------
    def evaluate(
        self,
        plan: Plan,
        frame: DataFrame,
        present_columns: set[str],
        references: Mapping[str, Any],
        request: EvidenceRequest,
    ) -> Evidence:
        specs = runnable(plan, present_columns, references)
        tell_case_apart(frame.sparkSession, present_columns)
        return SparkPass(frame, specs, references, request).run()


def _held(original: Column, spec: Field_, type_name: str) -> Column:
    if type_name in ("float", "double"):
        original = f.nanvl(original, f.lit(None).cast("double"))
    return original.cast(spark_type_name(spec))


def from_arrow(session: Any, table: Any) -> DataFrame:
    """An Arrow table as a Spark frame with the same meaning: a naive Arrow timestamp is a
    wall-clock time (``timestamp_ntz``), not an instant in the session's time zone, which is
    what ``createDataFrame`` makes of it unless ``spark.sql.timestampType`` says otherwise."""
    import pyarrow as pa  # noqa: PLC0415
    from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

    if any(pa.types.is_time(column.type) for column in table.schema):
        allow_time_type(session)
    tell_case_apart(session, table.schema.names)
    schema = from_arrow_schema(table.schema, prefer_timestamp_ntz=True)
    frame: DataFrame = session.createDataFrame(table, schema=schema)
    return frame


def allow_time_type(session: Any) -> None:
    """Let ``session`` hold times of day: Spark 4 has a ``TIME`` type but refuses it
    (``UNSUPPORTED_TIME_TYPE``) unless this is set, and a ``time`` field's data must be read."""
    session.conf.set("spark.sql.timeType.enabled", "true")


def _as_arrow(frame: Any) -> Any:
    import pyarrow as pa  # noqa: PLC0415

    if hasattr(frame, "to_arrow"):
        return frame.to_arrow()
    return pa.Table.from_pandas(frame, preserve_index=False)
