"""The pandas engine: each check function called on its column. It works on a 0..n-1 indexed
view so rows are positions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from accord.compile.dtypes_pandas import fit_pandas, pandas_dtype, value_fits_pandas
from accord.compile.expr_pandas import evaluate_pandas
from accord.compile.pandas_checks import (
    aggregate_value,
    dataset_check,
    field_check,
    is_missing,
)
from accord.compile.plan import CheckSpec, Plan, runnable
from accord.contract.fit import Fit
from accord.contract.model import Field_
from accord.engines.base import Conversion
from accord.engines.beyond import Kind, beyond_python, with_raw_text
from accord.engines.evidence import GathersEvidence, RowFailures

POLARS_DTYPES = "accord.polars_dtypes"
"""``DataFrame.attrs`` key: the :class:`StandIns` of a frame made by :func:`from_polars`."""


@dataclass(frozen=True)
class StandIns:
    """Column to the polars dtype an object column stands in for."""

    dtypes: Mapping[str, Any]

    def __deepcopy__(self, memo: dict[int, Any]) -> StandIns:
        # pandas deep-copies attrs on every column access; a 200-deep dtype would overflow it
        return self

    def get(self, column: str) -> Any:
        return self.dtypes.get(column)


class PandasEngine(GathersEvidence):
    name = "pandas"
    batched = False

    def adopt(self, frame: Any) -> pd.DataFrame:
        return from_polars(frame)

    def positional(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """A view whose rows are positions and whose columns are unique text. Column names are
        compared as text, as a contract names them; a name held twice is reported, and only its
        first column is validated."""
        names = [str(name) for name in frame.columns]
        keep = [names.index(name) == position for position, name in enumerate(names)]
        duplicates = sorted({name for name, kept in zip(names, keep, strict=True) if not kept})
        view = frame.iloc[:, keep].reset_index(drop=True)
        view.columns = [n for n, kept in zip(names, keep, strict=True) if kept]
        return view, duplicates

    def to_pandera(self, plan: Plan) -> Any:
        from accord.compile.pandas_engine import to_pandera_pandas  # noqa: PLC0415

        return to_pandera_pandas(plan)

    def arrow_column(self, frame: pd.DataFrame, column: str) -> Any:
        import pyarrow as pa  # noqa: PLC0415 - drift alone needs Arrow

        return pa.Array.from_pandas(frame[column])

    def columns(self, frame: pd.DataFrame) -> list[str]:
        return [str(name) for name in frame.columns]

    def height(self, frame: pd.DataFrame) -> int:
        return len(frame)

    def dtype_text(self, frame: pd.DataFrame, column: str) -> str:
        stored = _stand_in(frame, column)
        return str(stored if stored is not None else frame[column].dtype)

    def fit(self, spec: Field_, frame: pd.DataFrame, column: str) -> Fit:
        stored = _stand_in(frame, column)
        if stored is not None:  # an object column standing in for a typed one: judge the type
            from accord.compile.dtypes_polars import fit_polars  # noqa: PLC0415 - stand-ins only

            return fit_polars(spec, stored)
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
    ) -> RowFailures:
        """Each check function called directly on its column: the functions the compiled pandera
        schema wraps, without pandera's per-check bookkeeping (tests/test_fused_parity.py holds
        the verdicts equal)."""
        evaluation = RowFailures()
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
        values = frame[column].iloc[rows]
        kind, unit = _temporal(values.dtype)
        if kind is not None:
            import pyarrow as pa  # noqa: PLC0415 - an arrow-backed column: arrow is loaded

            arrow = pa.array(values)
            stored = arrow.view(pa.int32() if kind == "date" else pa.int64()).to_pylist()
            beyond = beyond_python(kind, unit, stored)
            if beyond.any():  # Python cannot hold these: convert only the others
                held = values[~beyond].tolist()
                values = pd.Series(with_raw_text(kind, unit, stored, held, beyond), dtype=object)
        return [_none_for_null(value) for value in values.tolist()]

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


def _stand_in(frame: pd.DataFrame, column: str) -> Any:
    stand_ins = frame.attrs.get(POLARS_DTYPES)
    return stand_ins.get(column) if isinstance(stand_ins, StandIns) else None


def _temporal(dtype: Any) -> tuple[Kind | None, str]:
    """The kind and unit of an arrow-backed date32, timestamp or duration dtype (numpy's
    nanoseconds always fit Python); None for any other."""
    if not isinstance(dtype, pd.ArrowDtype):
        return None, ""
    import pyarrow as pa  # noqa: PLC0415 - an ArrowDtype means arrow is loaded

    arrow = dtype.pyarrow_dtype
    if pa.types.is_date32(arrow):
        return "date", "days"
    if pa.types.is_timestamp(arrow):
        return "timestamp", str(arrow.unit)
    if pa.types.is_duration(arrow):
        return "duration", str(arrow.unit)
    return None, ""


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
    if spec.type in ("string", "category") or dtype is None:  # nested: kept as the values are
        return series
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):  # pragma: no cover - values were filtered to fit
        return series


def from_polars(frame: Any) -> pd.DataFrame:
    """A polars frame as the pandas engine takes it: arrow-backed columns, so no value changes.

    Arrow cannot take every polars column: Int128 (files that disagree, int64 in one and uint64
    in another, widen to it) has no arrow type, and arrow refuses lists and structs nested deeper
    than its import limit. Those columns arrive as Python objects instead, judged value by value,
    so the run reports on them rather than stopping. The frame's ``attrs`` keep those columns'
    polars dtypes, so their type is judged as the polars engine judges it."""
    import pyarrow as pa  # noqa: PLC0415

    try:
        return frame.to_pandas(use_pyarrow_extension_array=True)  # type: ignore[no-any-return]
    except pa.ArrowException:
        pass
    columns: dict[str, pd.Series] = {}
    stand_ins: dict[str, Any] = {}
    for name in frame.columns:
        series = frame.get_column(name)
        try:
            columns[name] = series.to_pandas(use_pyarrow_extension_array=True)
        except pa.ArrowException:
            columns[name] = pd.Series(series.to_list(), dtype=object, name=name)
            stand_ins[name] = series.dtype
    converted = pd.DataFrame(columns, index=pd.RangeIndex(frame.height))
    converted.attrs[POLARS_DTYPES] = StandIns(stand_ins)
    return converted
