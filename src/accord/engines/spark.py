"""The Spark engine: a plan evaluated where the data lives, in a few passes, whatever its size.

Every check becomes a failure ``Column`` that is never null (``compile.spark_checks``); one
aggregation sums them all, counts the rows and computes every aggregate's statistic. Each key
rule is one ``groupBy`` over the rows whose key holds no null. Only for the checks that failed
does one more pass fetch the first failing rows, in input order. Nothing but counts, examples and
duplicated-key samples comes back to the driver.

Rows are positions in the frame's partition order: ``monotonically_increasing_id`` taken before
any shuffle, made contiguous by the row count of each partition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.compile.dtypes_spark import fit_spark, fits, spark_type_name
from accord.compile.expr_spark import to_spark
from accord.compile.plan import KEY_KINDS, CheckSpec, Plan, runnable
from accord.compile.spark_checks import (
    aggregate_passes,
    is_missing,
    statistic,
    value_failure,
)
from accord.compile.tolerance import tolerated
from accord.contract.fit import Fit
from accord.contract.model import Field_
from accord.engines.base import CheckEvidence, Conversion, Evidence, EvidenceRequest
from accord.errors import UsageError

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

HIDDEN = "__accord_"
"""Prefix of the columns the engine adds; a frame's own columns never start with it."""
_ORIGINAL = f"{HIDDEN}original__"
_PARTITION = f"{HIDDEN}partition"
_IN_PARTITION = f"{HIDDEN}id"
ROW = f"{HIDDEN}row"
"""A frame read from files carries each row's position in the dataset (``spark_files``)."""
_TYPE = f"{HIDDEN}type."


def column(name: str) -> Column:
    """The column called ``name``, whatever characters it holds (dots are not nesting)."""
    return f.col(f"`{name.replace('`', '``')}`")


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
        for key, value in conf.items():
            builder = builder.config(key, value)
        return builder.getOrCreate()

    def failures(self) -> tuple[type[BaseException], ...]:
        from py4j.protocol import Py4JError  # noqa: PLC0415
        from pyspark.errors import PySparkException  # noqa: PLC0415

        return (PySparkException, Py4JError)

    def read_files(self, files: list[Any], kind: str) -> Any:
        """``files`` read by Spark where they lie, or None for a format accord's readers must
        read first (their text rules are accord's, see ``spark_files``)."""
        from accord.engines.spark_files import NATIVE_FORMATS, read_parquet  # noqa: PLC0415

        if kind not in NATIVE_FORMATS:
            return None
        return read_parquet(_session(), files)

    # -- frames -------------------------------------------------------------------------------
    def adopt(self, frame: Any) -> DataFrame:
        """A polars frame from accord's readers as a Spark frame of the active session, each row
        carrying its position: the reader's cell failures are given by position."""
        import polars as pl  # noqa: PLC0415 - accord's readers hand over polars frames

        numbered = frame.with_columns(pl.int_range(frame.height, dtype=pl.Int64).alias(ROW))
        return from_arrow(_session(), numbered.to_arrow())

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
            added[f"{_ORIGINAL}{name}"] = value.original
            added[name] = value.converted
        return frame.withColumns(added)  # every expression reads the frame as it was

    def reference_values(self, frame: Any, column_name: str, spec: Field_) -> DataFrame:
        data = frame if _is_spark(frame) else from_arrow(_session(), _as_arrow(frame))
        values = column(column_name).try_cast(spark_type_name(spec))
        return data.select(values.alias("value")).where("value IS NOT NULL").distinct()

    def arrow_column(self, frame: DataFrame, column_name: str) -> Any:
        return frame.select(column(column_name)).toArrow().column(0)

    def aggregate(self, frame: DataFrame, spec: CheckSpec) -> Any:
        return _Pass(frame, [spec], {}, EvidenceRequest()).observed(spec)

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
        return _Pass(frame, specs, references, request).run()


def _held(original: Column, spec: Field_, type_name: str) -> Column:
    if type_name in ("float", "double"):
        original = f.nanvl(original, f.lit(None).cast("double"))
    return original.cast(spark_type_name(spec))


def from_arrow(session: Any, table: Any) -> DataFrame:
    """An Arrow table as a Spark frame with the same meaning: a naive Arrow timestamp is a
    wall-clock time (``timestamp_ntz``), not an instant in the session's time zone, which is
    what ``createDataFrame`` makes of it unless ``spark.sql.timestampType`` says otherwise."""
    from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

    schema = from_arrow_schema(table.schema, prefer_timestamp_ntz=True)
    frame: DataFrame = session.createDataFrame(table, schema=schema)
    return frame


def _one(frame: DataFrame) -> Any:
    """The one row of a global aggregation (it always has one, even over no rows)."""
    row = frame.first()
    assert row is not None
    return row


def _is_spark(frame: Any) -> bool:
    return type(frame).__module__.split(".")[0] == "pyspark"


def _as_arrow(frame: Any) -> Any:
    import pyarrow as pa  # noqa: PLC0415

    if hasattr(frame, "to_arrow"):
        return frame.to_arrow()
    return pa.Table.from_pandas(frame, preserve_index=False)


def _session() -> Any:
    from pyspark.sql import SparkSession  # noqa: PLC0415

    active = SparkSession.getActiveSession()
    return active if active is not None else SparkSession.builder.getOrCreate()


class _Pass:
    """One evaluation of ``specs`` on ``frame``: the aggregation, the key groupings, and the
    examples of what failed."""

    def __init__(
        self,
        frame: DataFrame,
        specs: list[CheckSpec],
        references: Mapping[str, Any],
        request: EvidenceRequest,
    ) -> None:
        self.positioned = ROW in frame.columns
        # Positions are taken before any join: a join moves rows between partitions.
        self.base = (
            frame
            if self.positioned
            else frame.withColumns(
                {
                    _PARTITION: f.spark_partition_id(),
                    _IN_PARTITION: f.monotonically_increasing_id(),
                }
            )
        )
        self.frame = self.base
        self.specs = specs
        self.references = references
        self.request = request
        self.types = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
        self.converted = [
            name[len(_ORIGINAL) :] for name in frame.columns if name.startswith(_ORIGINAL)
        ]

    # -- what fails, as columns -----------------------------------------------------------------
    def unfit(self, name: str) -> Column:
        """True where field ``name``'s value could not be held in its type."""
        original = column(f"{_ORIGINAL}{name}")
        if self.types.get(f"{_ORIGINAL}{name}") in ("float", "double"):
            original = f.nanvl(original, f.lit(None).cast("double"))
        return f.coalesce(original.isNotNull() & column(name).isNull(), f.lit(False))

    def readable(self, names: tuple[str, ...] | list[str]) -> Column:
        """True where none of ``names`` holds a value that could not be read in its type."""
        result = f.lit(True)
        for name in names:
            if name in self.converted:
                result = result & ~self.unfit(name)
            rows = self.request.unreadable.get(name)
            if rows is not None and len(rows):
                if not self.positioned:
                    raise ValueError("cell failures need a frame whose rows carry positions")
                unread = column(ROW).isin([int(row) for row in rows])
                result = result & ~f.coalesce(unread, f.lit(False))
        return result

    def failure(self, spec: CheckSpec) -> Column | None:
        """The row-level failure column of ``spec``, or None for keys and aggregates."""
        if spec.aggregate or spec.kind in KEY_KINDS:
            return None
        if spec.kind == "nullable":
            field_name = spec.field or ""
            return is_missing(column(field_name), spec) & self.readable([field_name])
        if spec.kind == "rule":
            types = {name: self.types[name] for name in spec.columns}
            verdict = to_spark(spec.values["expression"], types)
            return f.coalesce(~verdict, f.lit(True)) & self.readable(list(spec.columns))
        if spec.kind == "in_reference":
            return None  # an anti-join, see ``reference_failures``
        if spec.kind == "custom":
            return None
        return value_failure(column(spec.field or ""), spec)

    def null_skipped(self, spec: CheckSpec) -> Column:
        verdict = to_spark(spec.values["expression"], {n: self.types[n] for n in spec.columns})
        return verdict.isNull() & self.readable(list(spec.columns))

    # -- the passes -----------------------------------------------------------------------------
    def run(self) -> Evidence:
        evidence = Evidence()
        row_checks: dict[str, Column] = {}
        for spec in self.specs:
            if spec.kind == "custom":
                evidence.checks[spec.check_id] = CheckEvidence(
                    skipped="custom checks are Python functions; the Spark engine does not run "
                    "them (validate with --engine polars or pandas)"
                )
                continue
            failed = self.failure(spec)
            if failed is not None:
                row_checks[spec.check_id] = failed
        counts = [f.count(f.lit(1)).alias("rows")]
        counts += [
            f.sum(f.when(failed, 1).otherwise(0)).alias(f"c{i}")
            for i, failed in enumerate(row_checks.values())
        ]
        unfit = {name: self.unfit(name) for name in self.converted}
        counts += [
            f.sum(f.when(flag, 1).otherwise(0)).alias(f"t{i}")
            for i, flag in enumerate(unfit.values())
        ]
        rules = [s for s in self.specs if s.kind == "rule"]
        counts += [
            f.sum(f.when(self.null_skipped(s) & row_checks[s.check_id], 1).otherwise(0)).alias(
                f"n{i}"
            )
            for i, s in enumerate(rules)
        ]
        aggregates = [s for s in self.specs if s.aggregate]
        counts += [self.statistic(s).alias(f"a{i}") for i, s in enumerate(aggregates)]
        # mostly: the non-null values are what the tolerance is a fraction of; the failing rows
        # count as failing only if the check fails as a whole, decided below from the totals
        tolerant = [s for s in self.specs if s.mostly is not None and s.check_id in row_checks]
        counts += [
            f.sum(f.when(~is_missing(column(s.field or ""), s), 1).otherwise(0)).alias(f"p{i}")
            for i, s in enumerate(tolerant)
        ]
        held = {s.check_id for s in tolerant}
        counted = [
            failed
            for check_id, failed in row_checks.items()
            if self.severity(check_id) != "info" and check_id not in held
        ]
        anything = f.lit(False)
        for failed in [*counted, *unfit.values()]:
            anything = anything | failed
        counts.append(f.sum(f.when(anything, 1).otherwise(0)).alias("failing"))
        totals = self.frame.agg(*counts).first()
        assert totals is not None  # a global aggregation always has one row
        evidence.rows = int(totals["rows"])
        failing_rows = int(totals["failing"] or 0)
        failed_columns: dict[str, Column] = {}
        for i, (check_id, failed) in enumerate(row_checks.items()):
            count = int(totals[f"c{i}"] or 0)
            if count:
                evidence.checks[check_id] = CheckEvidence(count=count)
                failed_columns[check_id] = failed
        for i, s in enumerate(rules):
            if s.check_id in evidence.checks:
                evidence.checks[s.check_id].null_skipped = int(totals[f"n{i}"] or 0)
        beyond_tolerance = _beyond_tolerance(evidence, tolerant, totals, row_checks)
        for i, (name, flag) in enumerate(unfit.items()):
            count = int(totals[f"t{i}"] or 0)
            if count:
                evidence.types[name] = CheckEvidence(count=count)
                failed_columns[f"{_TYPE}{name}"] = flag
        for i, s in enumerate(aggregates):
            observed = totals[f"a{i}"]
            if not self.passes(s, observed, evidence.rows):
                evidence.checks[s.check_id] = CheckEvidence(failed=True, observed=observed)
        joined = (
            self.keys(evidence, failed_columns),
            self.references_failed(evidence, failed_columns),
        )
        joined_flags = [flag for flag in joined if flag is not None] + beyond_tolerance
        if joined_flags:  # these failures share rows with the rest: count the union once
            for flag in joined_flags:
                anything = anything | flag
            failing_rows = int(
                _one(self.frame.select(f.sum(f.when(anything, 1).otherwise(0))))[0] or 0
            )
        evidence.failing_row_count = failing_rows
        self.examples(evidence, failed_columns)
        return evidence

    def severity(self, check_id: str) -> str:
        return next(s.severity for s in self.specs if s.check_id == check_id)

    def statistic(self, spec: CheckSpec) -> Column:
        if spec.kind == "row_count":
            return f.count(f.lit(1)).cast("double")
        if spec.kind == "freshness":
            return f.max(column(spec.columns[0]))
        return statistic(column(spec.field or ""), spec)

    def passes(self, spec: CheckSpec, observed: Any, rows: int) -> bool:
        if spec.kind == "row_count":
            low, high = spec.values.get("min"), spec.values.get("max")
            return (low is None or rows >= low) and (high is None or rows <= high)
        if spec.kind == "freshness":
            return _fresh(spec, observed)
        return aggregate_passes(spec, None if observed is None else float(observed))

    def observed(self, spec: CheckSpec) -> Any:
        return _one(self.frame.agg(self.statistic(spec).alias("value")))["value"]

    # -- keys -----------------------------------------------------------------------------------
    def keys(self, evidence: Evidence, failed_columns: dict[str, Column]) -> Column | None:
        """Judge every key rule; a column True on the rows some key rule fails, or None when
        none fails."""
        flagged: Column | None = None
        for spec in self.specs:
            if spec.kind not in KEY_KINDS:
                continue
            names = list(spec.columns or (spec.field or "",))
            whole = f.lit(True)
            for name in names:
                whole = whole & ~is_missing(column(name), spec) & self.readable([name])
            keys = self.frame.where(whole).groupBy([column(n) for n in names]).count()
            repeated = keys.where("count > 1")
            summary = repeated.agg(f.sum("count").alias("rows"), f.count(f.lit(1)).alias("keys"))
            row = _one(summary)
            rows = int(row["rows"] or 0) if row is not None else 0
            if not rows:
                continue
            evidence.checks[spec.check_id] = CheckEvidence(
                count=rows, distinct_keys=int(row["keys"])
            )
            marker = f"{HIDDEN}dup{len(failed_columns)}"
            duplicated = repeated.select(*[column(n) for n in names], f.lit(True).alias(marker))
            self.frame = self.frame.join(duplicated, on=names, how="left")
            flag = f.coalesce(column(marker), f.lit(False)) & whole
            failed_columns[spec.check_id] = flag
            if spec.severity != "info":
                flagged = flag if flagged is None else flagged | flag
        return flagged

    def references_failed(
        self, evidence: Evidence, failed_columns: dict[str, Column]
    ) -> Column | None:
        """Judge every ``in_reference`` check by a join; a column True on the rows some such
        check above info severity fails, or None when none fails."""
        flagged: Column | None = None
        for spec in self.specs:
            if spec.kind != "in_reference":
                continue
            name = spec.field or ""
            marker = f"{HIDDEN}ref{len(failed_columns)}"
            allowed = self.references[spec.check_id].select(
                f.col("value").alias(name), f.lit(True).alias(marker)
            )
            self.frame = self.frame.join(allowed, on=[name], how="left")
            flag = (
                ~is_missing(column(name), spec)
                & self.readable([name])
                & ~f.coalesce(column(marker), f.lit(False))
            )
            count = int(_one(self.frame.select(f.sum(f.when(flag, 1).otherwise(0))))[0] or 0)
            if count:
                evidence.checks[spec.check_id] = CheckEvidence(count=count)
                failed_columns[spec.check_id] = flag
                if spec.severity != "info":
                    flagged = flag if flagged is None else flagged | flag
        return flagged

    # -- examples -------------------------------------------------------------------------------
    def examples(self, evidence: Evidence, failed_columns: Mapping[str, Column]) -> None:
        """The first failing rows of every failed check: one small ordered query each."""
        wanted = self.request.max_examples
        if not failed_columns or wanted == 0:
            return
        offsets: dict[int, int] | None = None
        for key, failed in failed_columns.items():
            shown = self.shown(key)
            if self.positioned:  # read from files: the position came with the row
                first = (
                    self.frame.where(failed)
                    .select(column(ROW), *[column(n) for n in shown])
                    .orderBy(ROW)
                    .limit(wanted)
                    .collect()
                )
                self.keep(
                    evidence,
                    key,
                    [
                        (int(r[0]), self.value(key, dict(zip(shown, r[1:], strict=True))))
                        for r in first
                    ],
                )
                continue
            rows = (
                self.frame.where(failed)
                .select(column(_PARTITION), column(_IN_PARTITION), *[column(n) for n in shown])
                .orderBy(_IN_PARTITION)
                .limit(wanted)
                .collect()
            )
            if offsets is None:
                offsets = self.offsets()
            found = []
            for row in rows:
                partition, in_partition = int(row[0]), int(row[1])
                position = offsets[partition] + in_partition - (partition << 33)
                values = dict(zip(shown, row[2:], strict=True))
                found.append((position, self.value(key, values)))
            self.keep(evidence, key, found)

    def keep(self, evidence: Evidence, key: str, found: list[tuple[int, Any]]) -> None:
        if key.startswith(_TYPE):
            evidence.types[key[len(_TYPE) :]].examples = found
        else:
            evidence.checks[key].examples = found

    def offsets(self) -> dict[int, int]:
        """Rows before each partition, so in-partition ids become positions."""
        counts = self.base.groupBy(_PARTITION).count().collect()
        sizes = {int(r[0]): int(r[1]) for r in counts}
        offsets, total = {}, 0
        for partition in range(max(sizes, default=-1) + 1):
            offsets[partition] = total
            total += sizes.get(partition, 0)
        return offsets

    def shown(self, key: str) -> list[str]:
        if key.startswith(_TYPE):
            return [f"{_ORIGINAL}{key[len(_TYPE) :]}"]
        spec = next(s for s in self.specs if s.check_id == key)
        return [spec.field] if spec.field is not None else list(spec.columns)

    def value(self, key: str, values: dict[str, Any]) -> Any:
        values = {name: self.instant(name, value) for name, value in values.items()}
        return self.shown_value(key, values)

    def instant(self, name: str, value: Any) -> Any:
        """Spark hands a ``timestamp`` (an instant) back as a naive local time: make it the
        aware instant it is, as the other engines show it."""
        import datetime as dt  # noqa: PLC0415

        if self.types.get(name) == "timestamp" and isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC) if value.tzinfo is None else value
        return value

    def shown_value(self, key: str, values: dict[str, Any]) -> Any:
        if key.startswith(_TYPE):
            return next(iter(values.values()), None)
        spec = next(s for s in self.specs if s.check_id == key)
        if spec.field is not None:
            return values.get(spec.field)
        return {name: values.get(name) for name in spec.columns}


def _beyond_tolerance(
    evidence: Evidence, tolerant: list[CheckSpec], totals: Any, row_checks: Mapping[str, Column]
) -> list[Column]:
    """Give each check with ``mostly`` its non-null count; the failure columns of those that
    fail beyond their tolerance, whose rows then count as failing rows."""
    beyond: list[Column] = []
    for i, spec in enumerate(tolerant):
        shown = evidence.checks.setdefault(spec.check_id, CheckEvidence())
        shown.present = int(totals[f"p{i}"] or 0)
        failing = shown.count and not tolerated(shown.count, shown.present, spec.mostly)
        if failing and spec.severity != "info":
            beyond.append(row_checks[spec.check_id])
    return beyond


def _fresh(spec: CheckSpec, newest: Any) -> bool:
    import datetime as dt  # noqa: PLC0415

    if newest is None:
        return False
    as_of, max_age = spec.values["as_of"], spec.values["max_age"]
    if spec.values["field_type"] == "date":
        return bool(as_of.date() - newest <= max_age)
    if spec.values["tz"]:
        moment = as_of.astimezone(dt.UTC).replace(tzinfo=None)
        newest = newest.astimezone(dt.UTC).replace(tzinfo=None) if newest.tzinfo else newest
    else:
        moment = as_of.astimezone(dt.UTC).replace(tzinfo=None)
    return bool(moment - newest <= max_age)
