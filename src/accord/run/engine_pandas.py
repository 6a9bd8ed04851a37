"""The runner's pandas engine. It works on a 0..n-1 indexed view so rows are positions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from accord.compile.dtypes_pandas import fit_pandas, pandas_dtype, value_fits_pandas
from accord.compile.dtypes_polars import Fit
from accord.compile.expr_pandas import evaluate_pandas
from accord.compile.pandas_checks import (
    aggregate_value,
    dataset_check,
    field_check,
    is_missing,
)
from accord.compile.plan import CheckSpec, Plan, runnable
from accord.contract.model import Field_
from accord.run.engines import Conversion, Evaluation


class PandasEngine:
    name = "pandas"

    def columns(self, frame: pd.DataFrame) -> list[str]:
        return [str(name) for name in frame.columns]

    def height(self, frame: pd.DataFrame) -> int:
        return len(frame)

    def dtype_text(self, frame: pd.DataFrame, column: str) -> str:
        return str(frame[column].dtype)

    def fit(self, spec: Field_, frame: pd.DataFrame, column: str) -> Fit:
        return fit_pandas(spec, frame[column])

    def convert(self, spec: Field_, frame: pd.DataFrame, column: str) -> Conversion:
        series = frame[column]
        fits = value_fits_pandas(spec, series)
        kept = series.astype(object).where(fits & series.notna().to_numpy(dtype=bool), None)
        rows = np.flatnonzero(~fits)
        return Conversion(_typed(kept, spec), rows, series.iloc[rows].tolist())

    def with_columns(self, frame: pd.DataFrame, columns: Mapping[str, Any]) -> pd.DataFrame:
        return frame.assign(**columns) if columns else frame

    def failures(
        self, plan: Plan, frame: pd.DataFrame, present: set[str], references: Mapping[str, Any]
    ) -> Evaluation:
        """Each check function called directly on its column: the functions the compiled pandera
        schema wraps, without pandera's per-check bookkeeping (tests/test_fused_parity.py holds
        the verdicts equal)."""
        evaluation = Evaluation()
        for spec in runnable(plan, present, references):
            try:
                if spec.field is not None and spec.kind != "freshness":
                    result = field_check(frame[spec.field], spec, references)
                else:
                    result = dataset_check(frame, spec)
            except Exception as error:
                evaluation.errors[spec.check_id] = f"{type(error).__name__}: {error}"
                continue
            if np.ndim(result) == 0:
                if not bool(result):
                    evaluation.failed[spec.check_id] = None
                continue
            rows = np.flatnonzero(~np.asarray(result, dtype=bool))
            if rows.size:
                evaluation.failed[spec.check_id] = rows.astype(np.int64)
        return evaluation

    def values_at(self, frame: pd.DataFrame, column: str, rows: np.ndarray) -> list[Any]:
        return [_none_for_null(value) for value in frame[column].iloc[rows].tolist()]

    def aggregate(self, frame: pd.DataFrame, spec: CheckSpec) -> Any:
        if spec.kind == "row_count":
            return len(frame)
        series = frame[spec.field or ""]
        if spec.kind == "freshness":
            present = series.dropna()
            return None if present.empty else present.max()
        return aggregate_value(series, spec)

    def present(self, frame: pd.DataFrame, spec: CheckSpec) -> int:
        """How many non-null values the check's field holds (what ``mostly`` is a fraction of)."""
        return int((~is_missing(frame[spec.field or ""], spec)).sum())

    def null_rows(self, frame: pd.DataFrame, spec: CheckSpec) -> np.ndarray:
        """Rows where a rule is unknown (null) rather than false."""
        unknown = evaluate_pandas(spec.values["expression"], frame).isna()
        return np.flatnonzero(unknown.to_numpy(dtype=bool))

    def reference_values(self, frame: Any, column: str, spec: Field_) -> Any:
        values = (
            frame[column]
            if isinstance(frame, pd.DataFrame)
            else frame.to_series(frame.columns.index(column)).to_pandas()
        )
        if spec.type not in ("string", "category"):
            # reference text read from CSV compares with typed values only in their type
            values = (
                pd.to_numeric(values, errors="coerce")
                if values.dtype == object or pd.api.types.is_string_dtype(values)
                else values
            )
        return pd.unique(values.dropna())

    def distinct_keys(self, frame: pd.DataFrame, columns: Sequence[str], rows: np.ndarray) -> int:
        return len(frame[list(columns)].iloc[rows].drop_duplicates())


def _none_for_null(value: Any) -> Any:
    """pd.NA, NaN and NaT as None, so examples read the same on every engine."""
    if np.ndim(value) == 0 and not isinstance(value, str | bytes):
        try:
            return None if pd.isna(value) else value
        except (TypeError, ValueError):
            return value
    return value


def _typed(series: pd.Series, spec: Field_) -> pd.Series:
    dtype = pandas_dtype(spec)
    if spec.type in ("string", "category"):
        return series
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):  # pragma: no cover - values were filtered to fit
        return series
