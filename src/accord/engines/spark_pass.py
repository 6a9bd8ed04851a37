"""One evaluation of a plan on a Spark frame, in as few passes over the data as the checks allow.

First one ``groupBy`` per key rule (only rows whose key holds no null), whose duplicated keys
come back to the driver when they are few; then ONE aggregation over the frame, joined with those
duplicated keys and with the reference values, sums every check's failures, the failing rows and
every aggregate's statistic, and, from Spark 4.2, keeps every check's first failing rows too
(``spark_examples``; before 4.2 that takes one more pass). A check with ``mostly`` that fails
beyond its tolerance costs one pass more, for its rows count as failing only then. So a plan
costs what a careful hand-written query costs: one aggregation and one ``groupBy`` per key.

Rows are positions: read from the row when the frame came from files (``ROW``), else
``monotonically_increasing_id`` taken before any join, made contiguous by each partition's row
count.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyspark.sql import functions as f  # this module loads only with the Spark engine

from accord.compile.expr_spark import to_spark
from accord.compile.plan import KEY_KINDS, CheckSpec
from accord.compile.spark_checks import aggregate_passes, is_missing, statistic, value_failure
from accord.compile.tolerance import tolerated
from accord.engines import spark_examples
from accord.engines.base import CheckEvidence, Evidence, EvidenceRequest
from accord.engines.spark_columns import (
    HIDDEN,
    IN_PARTITION,
    ORIGINAL,
    PARTITION,
    ROW,
    TYPE,
    column,
    count_true,
    one,
)
from accord.engines.spark_values import fresh, shown_value

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame


_BROADCAST_KEYS = 100_000
"""Up to this many duplicated keys of a key rule come back to the driver and are sent to every
executor: every later pass joins them without grouping the data again."""


_LISTED_KEYS = 10_000
"""Up to this many duplicated keys of a one-column key of an exact type are matched as a list of
literals instead of a broadcast join."""
_EXACT_KEYS = {"tinyint", "smallint", "int", "bigint", "string", "date"}

_PARTITIONS = 1 << 16
"""Bins of the histogram of partition ids the aggregation keeps. It merges bins only when it
holds more distinct values than bins, so below this many partitions each bin is one partition
and its height that partition's exact row count (``histogram_numeric``); the positions of the
first failing rows then need no pass of their own to count the rows of each partition."""


@dataclass(frozen=True)
class _Duplicates:
    """What one key rule's grouping found."""

    names: list[str]
    whole: Column
    """True on the rows whose key holds no null and no unreadable value."""
    repeated: DataFrame
    """The keys seen more than once, with their ``count``."""
    few: Any
    """Those keys as an Arrow table when at most ``_BROADCAST_KEYS``, else None."""
    rows: int
    distinct: int


class SparkPass:
    """One evaluation of ``specs`` on ``frame``: key groupings, the aggregation, the examples."""

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
                {PARTITION: f.spark_partition_id(), IN_PARTITION: f.monotonically_increasing_id()}
            )
        )
        self.frame = self.base
        self.specs = specs
        self.references = references
        self.request = request
        self.types = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
        self.converted = [
            name[len(ORIGINAL) :] for name in frame.columns if name.startswith(ORIGINAL)
        ]

    # -- what fails, as columns -----------------------------------------------------------------
    def unfit(self, name: str) -> Column:
        """True where field ``name``'s value could not be held in its type."""
        original = column(f"{ORIGINAL}{name}")
        if self.types.get(f"{ORIGINAL}{name}") in ("float", "double"):
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
        """The row-level failure column of ``spec``, or None for keys, references, aggregates
        and custom checks."""
        if spec.aggregate or spec.kind in (*KEY_KINDS, "in_reference", "custom"):
            return None
        if spec.kind == "nullable":
            field_name = spec.field or ""
            return is_missing(column(field_name), spec) & self.readable([field_name])
        if spec.kind == "rule":
            types = {name: self.types[name] for name in spec.columns}
            verdict = to_spark(spec.values["expression"], types)
            return f.coalesce(~verdict, f.lit(True)) & self.readable(list(spec.columns))
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
        flags = {**row_checks, **self.keys(evidence), **self.references_joined()}
        unfit = {name: self.unfit(name) for name in self.converted}
        candidates = {**flags, **{f"{TYPE}{name}": flag for name, flag in unfit.items()}}
        # Each failure evaluated once per row, in a projection of its own: the aggregation
        # reads it for the count, the failing rows and the first positions, and min_by keeps
        # the aggregation out of generated code, where a check repeated in each costs it again.
        named = {key: f"{HIDDEN}f{i}" for i, key in enumerate(candidates)}
        self.frame = self.frame.withColumns({named[k]: c for k, c in candidates.items()})
        candidates = {key: column(named[key]) for key in candidates}
        flags = {key: candidates[key] for key in flags}
        unfit = {name: candidates[f"{TYPE}{name}"] for name in unfit}
        tolerant = [s for s in self.specs if s.mostly is not None and s.check_id in row_checks]
        held = {s.check_id for s in tolerant}
        anything = f.lit(False)  # the failing rows: checks above info, unreadable values
        for check_id, failed in flags.items():
            if self.severity(check_id) != "info" and check_id not in held:
                anything = anything | failed
        for failed in unfit.values():
            anything = anything | failed
        shown = {key: self.shown(key) for key in candidates}
        wanted = self.request.max_examples
        together = spark_examples.in_aggregation(wanted)
        counts = self.counts(flags, unfit, tolerant)
        counts.append(count_true(anything).alias("failing"))
        if together:
            counts += spark_examples.aggregates(candidates, self.order, wanted, "e")
            if not self.positioned:
                counts.append(f.histogram_numeric(column(PARTITION), f.lit(_PARTITIONS)).alias("h"))
        totals = one(self.frame.agg(*counts))
        failed_columns = self.judge(evidence, totals, candidates)
        beyond_tolerance = _beyond_tolerance(evidence, tolerant, totals, row_checks)
        evidence.failing_row_count = int(totals["failing"] or 0)
        if beyond_tolerance:  # these failures share rows with the rest: count the union once
            for flag in beyond_tolerance:
                anything = anything | flag
            evidence.failing_row_count = int(one(self.frame.select(count_true(anything)))[0] or 0)
        if together:
            at = spark_examples.positions(totals, list(candidates), "e")
            failed_at = {key: at[key] for key in failed_columns}
            found = spark_examples.rows_at(self.base, failed_at, shown, self.order, self.types)
            sizes = self.sizes(totals) if found and not self.positioned else {}
        else:
            found = spark_examples.first_failing(
                self.frame, failed_columns, shown, [self.order], wanted, self.types
            )
            sizes = self.sizes(None) if found and not self.positioned else {}
        found = {key: rows for key, rows in found.items() if key in failed_columns}
        self.examples(evidence, found, sizes)
        return evidence

    def counts(
        self, flags: Mapping[str, Column], unfit: Mapping[str, Column], tolerant: list[CheckSpec]
    ) -> list[Column]:
        """The aggregation's columns: rows, each flag's failures (``c``), each unreadable
        field's values (``t``), each rule's failures on a null (``n``), each aggregate's
        statistic (``a``), each tolerant check's non-null values (``p``)."""
        counts = [f.count(f.lit(1)).alias("rows")]
        counts += [count_true(failed).alias(f"c{i}") for i, failed in enumerate(flags.values())]
        counts += [count_true(flag).alias(f"t{i}") for i, flag in enumerate(unfit.values())]
        counts += [
            count_true(self.null_skipped(s) & flags[s.check_id]).alias(f"n{i}")
            for i, s in enumerate(self.rules)
        ]
        counts += [self.statistic(s).alias(f"a{i}") for i, s in enumerate(self.aggregates)]
        # mostly: the non-null values are what the tolerance is a fraction of; the failing rows
        # count as failing only if the check fails as a whole, decided from the totals
        counts += [
            count_true(~is_missing(column(s.field or ""), s)).alias(f"p{i}")
            for i, s in enumerate(tolerant)
        ]
        return counts

    def judge(
        self, evidence: Evidence, totals: Any, candidates: Mapping[str, Column]
    ) -> dict[str, Column]:
        """Fill ``evidence`` from the aggregation's totals; the flags of what failed."""
        evidence.rows = int(totals["rows"])
        failed_columns: dict[str, Column] = {}
        flags = [key for key in candidates if not key.startswith(TYPE)]
        for i, check_id in enumerate(flags):
            count = int(totals[f"c{i}"] or 0)
            if count:
                found = evidence.checks.setdefault(check_id, CheckEvidence())
                found.count = count  # key rules already hold their distinct keys
                failed_columns[check_id] = candidates[check_id]
        for i, name in enumerate(self.converted):
            count = int(totals[f"t{i}"] or 0)
            if count:
                evidence.types[name] = CheckEvidence(count=count)
                failed_columns[f"{TYPE}{name}"] = candidates[f"{TYPE}{name}"]
        for i, s in enumerate(self.rules):
            if s.check_id in evidence.checks:
                evidence.checks[s.check_id].null_skipped = int(totals[f"n{i}"] or 0)
        for i, s in enumerate(self.aggregates):
            observed = totals[f"a{i}"]
            if not self.passes(s, observed, evidence.rows):
                evidence.checks[s.check_id] = CheckEvidence(failed=True, observed=observed)
        return failed_columns

    @property
    def rules(self) -> list[CheckSpec]:
        return [s for s in self.specs if s.kind == "rule"]

    @property
    def aggregates(self) -> list[CheckSpec]:
        return [s for s in self.specs if s.aggregate]

    @property
    def order(self) -> str:
        """The column giving rows in input order."""
        return ROW if self.positioned else IN_PARTITION

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
            return fresh(spec, observed)
        return aggregate_passes(spec, None if observed is None else float(observed))

    def observed(self, spec: CheckSpec) -> Any:
        return one(self.frame.agg(self.statistic(spec).alias("value")))["value"]

    # -- keys and references: joins -------------------------------------------------------------
    def keys(self, evidence: Evidence) -> dict[str, Column]:
        """Judge every key rule, one ``groupBy`` each; for each that fails, a column True on
        its failing rows: its duplicated keys as a list of literals when they are few and of a
        type that survives the trip (``_LISTED_KEYS``), else the frame joined with them. Up to
        ``_BROADCAST_KEYS`` of them come back to the driver and are broadcast, so no later pass
        groups again."""
        specs = [spec for spec in self.specs if spec.kind in KEY_KINDS]
        if len(specs) > 1:
            # Each rule's grouping is a job that depends on no other: submitted together, the
            # tasks of one fill the cores (or executors) the other's few tasks leave idle.
            with ThreadPoolExecutor(max_workers=len(specs)) as pool:
                judged = list(pool.map(self.duplicated, specs))
        else:
            judged = [self.duplicated(spec) for spec in specs]
        flags: dict[str, Column] = {}
        for spec, found in zip(specs, judged, strict=True):
            if not found.rows:
                continue
            evidence.checks[spec.check_id] = CheckEvidence(
                count=found.rows, distinct_keys=found.distinct
            )
            names, few, repeated = found.names, found.few, found.repeated
            if found.distinct <= _LISTED_KEYS and few is not None and self.exact(names):
                # a hash set of literals, looked up in generated code: far cheaper per row than
                # a join, which copies every row of the frame into its output
                listed = self.listed(names[0], few.column(0))
                flags[spec.check_id] = f.coalesce(listed, f.lit(False)) & found.whole
                continue
            if few is not None:  # sent back only now: a listed key needs no frame of its own
                session = self.frame.sparkSession
                repeated = f.broadcast(session.createDataFrame(few, schema=repeated.schema))
            marker = f"{HIDDEN}dup{len(flags)}"
            duplicated = repeated.select(*[column(n) for n in names], f.lit(True).alias(marker))
            self.frame = self.frame.join(duplicated, on=names, how="left")
            flags[spec.check_id] = f.coalesce(column(marker), f.lit(False)) & found.whole
        return flags

    def listed(self, name: str, keys: Any) -> Column:
        """True where ``name`` holds one of ``keys`` (an Arrow column). Dates are compared as
        days since the epoch: Spark holds years before 1, which Python's dates cannot."""
        if self.types.get(name) == "date":
            import pyarrow as pa  # noqa: PLC0415

            return f.unix_date(column(name)).isin(keys.cast(pa.int32()).to_pylist())
        return column(name).isin(keys.to_pylist())

    def duplicated(self, spec: CheckSpec) -> _Duplicates:
        """One key rule's ``groupBy``: its repeated keys, and up to ``_BROADCAST_KEYS`` of them
        on the driver (through Arrow: 100,000 keys as Row objects take seconds to come back
        and go out)."""
        names = list(spec.columns or (spec.field or "",))
        whole = f.lit(True)
        for name in names:
            whole = whole & ~is_missing(column(name), spec) & self.readable([name])
        counted = self.base.where(whole).groupBy([column(n) for n in names]).count()
        repeated = counted.where("count > 1")
        few = repeated.limit(_BROADCAST_KEYS + 1).toArrow()
        if few.num_rows <= _BROADCAST_KEYS:
            rows = sum(few.column("count").to_pylist())
            return _Duplicates(names, whole, repeated, few, rows, few.num_rows)
        # too many to hold: counted, then grouped again by each later pass
        row = one(repeated.agg(f.sum("count").alias("n"), f.count(f.lit(1)).alias("k")))
        return _Duplicates(names, whole, repeated, None, int(row["n"] or 0), int(row["k"]))

    def exact(self, names: list[str]) -> bool:
        """Whether a key of ``names`` comes back to Python and goes out as a literal unchanged:
        one column of integers, text or dates (no -0.0, NaN or time zone to mind)."""
        return len(names) == 1 and self.types.get(names[0]) in _EXACT_KEYS

    def references_joined(self) -> dict[str, Column]:
        """For every ``in_reference`` check, a column True on its failing rows: the frame is
        joined with the check's reference values, counted in the one aggregation."""
        flags: dict[str, Column] = {}
        for spec in self.specs:
            if spec.kind != "in_reference":
                continue
            name = spec.field or ""
            marker = f"{HIDDEN}ref{len(flags)}"
            allowed = self.references[spec.check_id].select(
                f.col("value").alias(name), f.lit(True).alias(marker)
            )
            self.frame = self.frame.join(allowed, on=[name], how="left")
            flags[spec.check_id] = (
                ~is_missing(column(name), spec)
                & self.readable([name])
                & ~f.coalesce(column(marker), f.lit(False))
            )
        return flags

    # -- examples -------------------------------------------------------------------------------
    def examples(
        self,
        evidence: Evidence,
        found: Mapping[str, list[spark_examples.FailingRow]],
        sizes: Mapping[int, int],
    ) -> None:
        """Give each failed check its first failing rows, as positions and shown values;
        ``sizes`` holds the rows of each partition when positions are ids within partitions."""
        offsets, total = {}, 0
        for partition in range(max(sizes, default=-1) + 1):
            offsets[partition] = total
            total += sizes.get(partition, 0)
        for key, rows in found.items():
            examples = []
            for failing in rows:
                position = failing.order[0]
                if not self.positioned:  # partition in the upper bits, row within it below
                    partition = position >> 33
                    position = offsets[partition] + position - (partition << 33)
                examples.append((position, self.value(key, failing.values)))
            if key.startswith(TYPE):
                evidence.types[key[len(TYPE) :]].examples = examples
            else:
                evidence.checks[key].examples = examples

    def sizes(self, totals: Any) -> dict[int, int]:
        """The rows of each partition, to turn ids within partitions into positions: from the
        aggregation's histogram of partition ids when it holds them exactly, else one more
        pass."""
        histogram = None if totals is None else totals["h"]
        if histogram is not None and len(histogram) < _PARTITIONS:
            sizes: dict[int, int] = {}
            for center, height in histogram:
                sizes[int(center)] = sizes.get(int(center), 0) + int(height)
            return sizes
        counts = self.base.groupBy(PARTITION).count().collect()
        return {int(r[0]): int(r[1]) for r in counts}

    def shown(self, key: str) -> list[str]:
        if key.startswith(TYPE):
            return [f"{ORIGINAL}{key[len(TYPE) :]}"]
        spec = next(s for s in self.specs if s.check_id == key)
        return [spec.field] if spec.field is not None else list(spec.columns)

    def value(self, key: str, values: dict[str, Any]) -> Any:
        spec = None if key.startswith(TYPE) else next(s for s in self.specs if s.check_id == key)
        return shown_value(spec, values, self.types)


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
