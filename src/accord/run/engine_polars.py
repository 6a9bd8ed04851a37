"""The runner's polars engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandera.errors
import polars as pl

from accord.compile.dtypes_polars import Fit, fit_polars, polars_dtype, value_fits_polars
from accord.compile.expr_polars import to_polars
from accord.compile.plan import CheckSpec, Plan
from accord.compile.polars_engine import AGGREGATE_CHECKS, is_missing, to_pandera_polars
from accord.contract.model import Field_
from accord.run.engines import Conversion


class PolarsEngine:
    name = "polars"

    def columns(self, frame: pl.DataFrame) -> list[str]:
        return list(frame.columns)

    def height(self, frame: pl.DataFrame) -> int:
        return frame.height

    def dtype_text(self, frame: pl.DataFrame, column: str) -> str:
        return str(frame.schema[column])

    def fit(self, spec: Field_, frame: pl.DataFrame, column: str) -> Fit:
        return fit_polars(spec, frame.schema[column])

    def convert(self, spec: Field_, frame: pl.DataFrame, column: str) -> Conversion:
        series = frame.get_column(column)
        fits = value_fits_polars(spec, series)
        kept = (
            series.set(~fits, None)
            if series.dtype != pl.Object
            else pl.Series(
                column, [v if ok else None for v, ok in zip(series.to_list(), fits, strict=True)]
            )
        )
        converted = kept.cast(polars_dtype(spec), strict=False)
        rows = np.flatnonzero(~fits.to_numpy())
        return Conversion(converted.alias(column), rows, series.gather(rows).to_list())

    def with_columns(self, frame: pl.DataFrame, columns: Mapping[str, Any]) -> pl.DataFrame:
        return frame.with_columns(list(columns.values())) if columns else frame

    def failures(
        self, plan: Plan, frame: pl.DataFrame, present: set[str], references: Mapping[str, Any]
    ) -> dict[str, np.ndarray | None]:
        schema = to_pandera_polars(plan, with_types=False, references=references, columns=present)
        try:
            schema.validate(frame, lazy=True)
        except pandera.errors.SchemaErrors as errors:
            cases = errors.failure_cases
            return _group(cases, plan)
        return {}

    def values_at(self, frame: pl.DataFrame, column: str, rows: np.ndarray) -> list[Any]:
        return frame.get_column(column).gather(rows).to_list()

    def aggregate(self, frame: pl.DataFrame, spec: CheckSpec) -> Any:
        if spec.kind == "row_count":
            return frame.height
        column = pl.col(spec.field or "")
        if spec.kind == "freshness":
            return frame.select(column.max()).item()
        present = column.filter(~is_missing(column, spec))
        statistic = {
            "max_null_fraction": is_missing(column, spec).mean().fill_null(0.0),
            "mean_between": present.mean(),
            "median_between": present.median(),
            "stddev_between": present.std(ddof=1),
            "distinct_count_between": present.n_unique(),
        }[spec.kind]
        assert spec.kind in AGGREGATE_CHECKS
        return frame.select(statistic).item()

    def null_rows(self, frame: pl.DataFrame, spec: CheckSpec) -> np.ndarray:
        """Rows where a rule is unknown (null) rather than false."""
        unknown = frame.select(to_polars(spec.values["expression"]).is_null()).to_series()
        return np.flatnonzero(unknown.to_numpy())

    def reference_values(self, frame: Any, column: str, spec: Field_) -> pl.Series:
        series = (
            frame.get_column(column)
            if isinstance(frame, pl.DataFrame)
            else pl.Series(frame[column].to_list())
        )
        # reference text read from CSV compares with typed values only once read in their type
        return series.cast(polars_dtype(spec), strict=False).drop_nulls().unique()

    def distinct_keys(self, frame: pl.DataFrame, columns: Sequence[str], rows: np.ndarray) -> int:
        return frame.select(list(columns))[rows].unique().height


def _group(cases: pl.DataFrame, plan: Plan) -> dict[str, np.ndarray | None]:
    aggregate_ids = {spec.check_id for spec in plan.all_checks() if spec.aggregate}
    found: dict[str, np.ndarray | None] = {}
    for (check_id,), group in cases.group_by("check", maintain_order=True):
        key = str(check_id)
        if key in aggregate_ids:
            found[key] = None
            continue
        rows = group.get_column("index").drop_nulls().cast(pl.Int64).to_numpy()
        found[key] = np.unique(rows)
    return found
