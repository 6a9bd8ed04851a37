"""The polars engine: every check of a plan in one fused pass over a polars frame."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from accord.compile.dtypes_polars import fit_polars, polars_dtype, value_fits_polars
from accord.compile.expr_polars import column, to_polars
from accord.compile.plan import CheckSpec, Plan, runnable
from accord.compile.polars_checks import (
    AGGREGATE_CHECKS,
    dataset_check_expr,
    field_check_expr,
    is_missing,
    unique_fraction,
)
from accord.contract.fit import Fit
from accord.contract.model import Field_
from accord.contract.types import NESTED_TYPES
from accord.engines.base import Conversion
from accord.engines.beyond import Kind, beyond_python, with_raw_text
from accord.engines.evidence import GathersEvidence, RowFailures
from accord.engines.polars_keys import candidates, judged

_PRESENT = "present:"
"""Prefix of the query counting the non-null values of a check with ``mostly``."""
_UNKNOWN = "unknown:"
"""Prefix of the query finding the failing rows of a rule where it was unknown (null)."""
_CANDIDATES = "candidates:"
"""Prefix of the query finding the rows a key check may fail (``polars_keys``)."""


class PolarsEngine(GathersEvidence):
    name = "polars"
    batched = True

    def adopt(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame

    def positional(self, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
        return frame, []  # polars rows are positions and its column names unique text

    def to_pandera(self, plan: Plan) -> Any:
        from accord.compile.polars_engine import to_pandera_polars  # noqa: PLC0415

        return to_pandera_polars(plan)

    def arrow_column(self, frame: pl.DataFrame, column: str) -> Any:
        return series_of(frame, column).to_arrow()

    def columns(self, frame: pl.DataFrame) -> list[str]:
        return list(frame.columns)

    def height(self, frame: pl.DataFrame) -> int:
        return frame.height

    # One column's dtype, not ``frame.schema[column]``: the schema is built anew on every call,
    # so asking it once per field made a wide frame quadratic (30,000 columns took minutes).
    def dtype_text(self, frame: pl.DataFrame, column: str) -> str:
        return str(frame.get_column(column).dtype)

    def fit(self, spec: Field_, frame: pl.DataFrame, column: str) -> Fit:
        return fit_polars(spec, frame.get_column(column).dtype)

    def convert(self, spec: Field_, frame: pl.DataFrame, column: str) -> Conversion:
        series = series_of(frame, column)
        fits = value_fits_polars(spec, series)
        kept = (
            series.set(~fits, None)
            if series.dtype != pl.Object
            else pl.Series(  # only values that fit are kept, so the cast cannot change one
                column,
                [v if ok else None for v, ok in zip(series.to_list(), fits, strict=True)],
                dtype=polars_dtype(spec),
                strict=False,
            )
        )
        # a nested column keeps its own layout: a struct may carry members beyond the declared
        converted = (
            kept if spec.type in NESTED_TYPES else kept.cast(polars_dtype(spec), strict=False)
        )
        rows = np.flatnonzero(~fits.to_numpy())
        return Conversion(converted.alias(column), rows, series.gather(rows).to_list())

    def with_columns(self, frame: pl.DataFrame, columns: Mapping[str, Any]) -> pl.DataFrame:
        return frame.with_columns(list(columns.values())) if columns else frame

    def failures(
        self, plan: Plan, frame: pl.DataFrame, present: set[str], references: Mapping[str, Any]
    ) -> RowFailures:
        """Every check in one select, as the one-pass limit query is: per row-level check the
        positions of its failing rows (gathered inside polars, so no mask of every row reaches
        numpy), per whole-column check its verdict, and per check with ``mostly`` the non-null
        values it is a fraction of. These are the expressions the compiled pandera schema
        wraps, so the verdicts are pandera's (tests/test_fused_parity.py holds to it)."""
        frame = utc_named(frame)
        floats = frozenset(name for name, dtype in frame.schema.items() if dtype.is_float())
        specs = runnable(plan, present, references)
        evaluation = RowFailures()
        queries = self._queries(specs, references, floats, frame.schema)
        found = _evaluate(frame, queries, evaluation)
        for spec in specs:
            check_id = spec.check_id
            if _CANDIDATES + check_id in found:
                _judge_candidates(frame, spec, found, self._keys[check_id], evaluation)
            if _PRESENT + check_id in found:
                evaluation.present[check_id] = int(found[_PRESENT + check_id])
            if check_id not in found:
                continue  # it raised: the error is in evaluation.errors
            value = found[check_id]
            if spec.aggregate:
                if not value:
                    evaluation.failed[check_id] = None
                continue
            rows = np.asarray(value, dtype=np.int64)
            if rows.size:
                evaluation.failed[check_id] = rows
            if _UNKNOWN + check_id in found:
                evaluation.unknown[check_id] = np.asarray(found[_UNKNOWN + check_id], np.int64)
        return evaluation

    def _queries(
        self,
        specs: Sequence[CheckSpec],
        references: Mapping[str, Any],
        floats: frozenset[str],
        schema: pl.Schema,
    ) -> dict[str, pl.Expr]:
        """The select of :meth:`failures`, built once per run rather than per batch: building
        the expressions (bounds parsed, literals made) cost as much as evaluating a batch."""
        key = (tuple(id(spec) for spec in specs), floats, tuple(schema.items()))
        cached = self._built
        if cached is not None and cached[0] == key and cached[1] is references:
            return cached[2]
        queries: dict[str, pl.Expr] = {}
        self._keys = {}
        for spec in specs:
            passed = _expression(spec, references, floats)
            if spec.aggregate:
                queries[spec.check_id] = passed
                continue
            narrowed = candidates(spec, schema, floats)
            if narrowed is not None:  # judged on the rows it narrows to, after the select
                queries[_CANDIDATES + spec.check_id] = narrowed
                self._keys[spec.check_id] = ~passed
            else:
                queries[spec.check_id] = _failing_rows(~passed)
            if spec.kind == "rule":
                unknown = to_polars(spec.values["expression"]).is_null()
                queries[_UNKNOWN + spec.check_id] = _failing_rows(~passed & unknown)
            if spec.mostly is not None and spec.field is not None:
                values = column(spec.field)
                queries[_PRESENT + spec.check_id] = (~is_missing(values, spec)).sum()
        # the specs are held so that their ids cannot be reused while the entry lives
        self._built = (key, references, queries, list(specs))
        return queries

    _built: tuple[Any, Mapping[str, Any], dict[str, pl.Expr], list[CheckSpec]] | None = None
    _keys: dict[str, pl.Expr]
    """Check id to the failing expression of a key check narrowed by ``polars_keys``."""

    def values_at(self, frame: pl.DataFrame, column: str, rows: np.ndarray) -> list[Any]:
        values = series_of(frame, column).gather(rows)
        kind, unit = _temporal(values.dtype)
        if kind is None:
            return values.to_list()
        stored = values.to_physical().to_list()
        beyond = beyond_python(kind, unit, stored)
        if not beyond.any():
            return values.to_list()
        # polars panics on a value Python cannot hold: convert only the others
        held = values.filter(pl.Series(~beyond)).to_list()
        return with_raw_text(kind, unit, stored, held, beyond)

    def aggregate(self, frame: pl.DataFrame, spec: CheckSpec) -> Any:
        if spec.kind == "row_count":
            return frame.height
        frame = utc_named(frame)
        values = column(spec.field or "")
        if spec.kind == "freshness":
            return frame.select(values.max()).item()
        present = values.filter(~is_missing(values, spec))
        statistic = {
            "max_null_fraction": is_missing(values, spec).mean().fill_null(0.0),
            "mean_between": present.mean(),
            "median_between": present.median(),
            "stddev_between": present.std(ddof=1),
            "distinct_count_between": present.n_unique(),
            "min_between": present.min(),
            "max_between": present.max(),
            "unique_fraction_between": unique_fraction(values, spec),
        }[spec.kind]
        assert spec.kind in AGGREGATE_CHECKS
        return frame.select(statistic).item()

    def present(self, frame: pl.DataFrame, spec: CheckSpec) -> int:
        """How many non-null values the check's field holds (what ``mostly`` is a fraction of)."""
        values = column(spec.field or "")
        return int(frame.select((~is_missing(values, spec)).sum()).item())

    def null_rows(self, frame: pl.DataFrame, spec: CheckSpec) -> np.ndarray:
        """Rows where a rule is unknown (null) rather than false."""
        unknown = frame.select(to_polars(spec.values["expression"]).is_null()).to_series()
        return np.flatnonzero(unknown.to_numpy())

    def reference_values(self, frame: Any, column: str, spec: Field_) -> pl.Series:
        series = (
            series_of(frame, column)
            if isinstance(frame, pl.DataFrame)
            else pl.Series(frame[column].to_list())
        )
        # reference text read from CSV compares with typed values only once read in their type
        return series.cast(polars_dtype(spec), strict=False).drop_nulls().unique()

    def distinct_keys(self, frame: pl.DataFrame, columns: Sequence[str], rows: np.ndarray) -> int:
        return frame.select([column(name) for name in columns])[rows].unique().height


def series_of(frame: pl.DataFrame, name: str) -> pl.Series:
    """The column ``name``, fetched by position and renamed: polars 2 reads '*' and '^...$' as
    patterns in ``get_column`` and in the expressions behind many Series methods."""
    return frame.to_series(frame.columns.index(name)).alias("values")


def utc_named(frame: pl.DataFrame) -> pl.DataFrame:
    """Every zoned timestamp column in "UTC", the zone parameters are read in: polars refuses
    to compare two zones by name (Europe/Paris with UTC, even Etc/UTC with UTC) although checks
    compare instants, which a change of zone keeps."""
    renamed = [
        column(name).dt.convert_time_zone("UTC")
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime) and dtype.time_zone not in (None, "UTC")
    ]
    return frame.with_columns(renamed) if renamed else frame


def _expression(spec: CheckSpec, references: Mapping[str, Any], floats: frozenset[str]) -> pl.Expr:
    if spec.field is not None and spec.kind != "freshness":
        return field_check_expr(column(spec.field), spec, references)
    return dataset_check_expr(spec, pl.len(), floats)


def _evaluate(
    frame: pl.DataFrame, expressions: Mapping[str, pl.Expr], evaluation: RowFailures
) -> dict[str, Any]:
    """All ``expressions`` (each one value: a count, a verdict, a list of rows) in one select;
    if one cannot run, each alone, so one broken check (a custom function that raises, say)
    never hides the others."""
    if not expressions:
        return {}
    try:
        result = frame.select([expr.alias(key) for key, expr in expressions.items()])
        return {key: _value(result.to_series(i)) for i, key in enumerate(expressions)}
    except Exception:
        found = {}
        for key, expr in expressions.items():
            try:
                found[key] = _value(frame.select(expr.alias(key)).to_series())
            except Exception as error:
                if not key.startswith((_PRESENT, _UNKNOWN)):
                    check_id = key.removeprefix(_CANDIDATES)
                    evaluation.errors[check_id] = f"{type(error).__name__}: {error}"
        return found


def _judge_candidates(
    frame: pl.DataFrame,
    spec: CheckSpec,
    found: dict[str, Any],
    failing: pl.Expr,
    evaluation: RowFailures,
) -> None:
    """Put the failing rows of a narrowed key check in ``found``, as the fused select would."""
    rows = np.asarray(found.pop(_CANDIDATES + spec.check_id), dtype=np.int64)
    names = spec.columns or (spec.field or "",)
    try:
        found[spec.check_id] = judged(frame, names, rows, failing)
    except Exception as error:  # as _evaluate keeps one broken check from hiding the others
        evaluation.errors[spec.check_id] = f"{type(error).__name__}: {error}"


def _failing_rows(failing: pl.Expr) -> pl.Expr:
    """The positions where ``failing`` is true, as one list. A check that reads no column (a
    rule of literals) is one value for every row, which ``arg_true`` would take for one row."""
    if failing.meta.root_names():
        return failing.arg_true().implode()
    return pl.int_range(pl.len()).filter(failing).implode()


def _value(series: pl.Series) -> Any:
    """The one value of a result column: a list of rows as numpy, a verdict or count as is."""
    value = series.item()
    return value.to_numpy() if isinstance(value, pl.Series) else value


def _temporal(dtype: pl.DataType) -> tuple[Kind | None, str]:
    """The kind and unit of a date, datetime or duration dtype; None for any other."""
    if isinstance(dtype, pl.Date):
        return "date", "days"
    if isinstance(dtype, pl.Datetime):
        return "timestamp", dtype.time_unit or "us"
    if isinstance(dtype, pl.Duration):
        return "duration", dtype.time_unit or "us"
    return None, ""
