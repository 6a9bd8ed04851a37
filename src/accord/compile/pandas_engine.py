"""The plan compiled to a ``pandera.pandas.DataFrameSchema``.

Checks are vectorised and work on every way pandas stores a column: numpy, the nullable extension
dtypes, pyarrow-backed dtypes and object columns. Nulls pass value checks (``nullable`` alone
counts them), NaN counts as null in float columns, and patterns run on RE2 through pyarrow, so they
match in linear time and mean what they mean on polars.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow_lib
import pyarrow.compute as pc

from accord.compile.dtypes_pandas import fit_pandas, value_fits_pandas
from accord.compile.dtypes_polars import describe
from accord.compile.expr_pandas import evaluate_pandas
from accord.compile.plan import CheckSpec, Plan
from accord.contract.model import Field_
from accord.contract.registry import registered_check

SeriesCheck = Callable[[pd.Series, CheckSpec], Any]


def is_missing(series: pd.Series, spec: CheckSpec) -> pd.Series:
    """Null, or NaN in a float column: every null kind counts the same."""
    missing = series.isna()
    if spec.float_column:
        # pyarrow-backed floats keep NaN apart from NA; NaN is the one value unequal to itself
        missing = missing | (series != series).fillna(value=False).astype(bool)  # noqa: PLR0124
    return missing.astype(bool)


def _as_bool(result: Any, index: pd.Index) -> pd.Series:
    series = result if isinstance(result, pd.Series) else pd.Series(result, index=index)
    return series.astype("boolean").fillna(value=True).astype(bool)


def _compare(op: str) -> SeriesCheck:
    def check(series: pd.Series, spec: CheckSpec) -> Any:
        value = spec.values["value"]
        return {
            "equal_to": lambda: series == value,
            "not_equal_to": lambda: series != value,
            "greater_than": lambda: series > value,
            "greater_than_or_equal_to": lambda: series >= value,
            "less_than": lambda: series < value,
            "less_than_or_equal_to": lambda: series <= value,
        }[op]()

    return check


def _between(series: pd.Series, spec: CheckSpec) -> Any:
    low, high, inclusive = spec.values["min"], spec.values["max"], spec.values["inclusive"]
    result = pd.Series(True, index=series.index)
    if low is not None:
        result &= _as_bool(
            series >= low if inclusive in ("both", "left") else series > low, series.index
        )
    if high is not None:
        result &= _as_bool(
            series <= high if inclusive in ("both", "right") else series < high, series.index
        )
    return result


def _text(series: pd.Series) -> pyarrow_lib.Array:
    return pyarrow_lib.array(
        series.astype(object).where(series.notna(), None),
        type=pyarrow_lib.large_string(),
        from_pandas=True,
    )


def _arrow_check(series: pd.Series, result: pyarrow_lib.Array) -> pd.Series:
    return pd.Series(result.to_pandas(), index=series.index)


def _pattern(series: pd.Series, spec: CheckSpec) -> Any:
    pattern = f"^(?:{spec.values['value']})$"
    return _arrow_check(series, pc.match_substring_regex(_text(series), pattern=pattern))


def _length(series: pd.Series, spec: CheckSpec) -> Any:
    length = _arrow_check(series, pc.utf8_length(_text(series)))
    result = pd.Series(True, index=series.index)
    if spec.values["min"] is not None:
        result &= _as_bool(length >= spec.values["min"], series.index)
    if spec.values["max"] is not None:
        result &= _as_bool(length <= spec.values["max"], series.index)
    return result


def _in(series: pd.Series, spec: CheckSpec) -> Any:
    values = spec.values["values"]
    if all(isinstance(v, str) for v in values):
        return _arrow_check(series, pc.is_in(_text(series), value_set=pyarrow_lib.array(values)))
    return series.isin(values)


def _text_fn(name: str) -> SeriesCheck:
    def check(series: pd.Series, spec: CheckSpec) -> Any:
        value = spec.values["value"]
        text = _text(series)
        if name == "contains":
            return _arrow_check(series, pc.match_substring(text, pattern=value))
        if name == "starts_with":
            return _arrow_check(series, pc.starts_with(text, pattern=value))
        return _arrow_check(series, pc.ends_with(text, pattern=value))

    return check


VALUE_CHECKS: dict[str, SeriesCheck] = {
    **{
        op: _compare(op)
        for op in (
            "equal_to",
            "not_equal_to",
            "greater_than",
            "greater_than_or_equal_to",
            "less_than",
            "less_than_or_equal_to",
        )
    },
    "between": _between,
    "in": _in,
    "not_in": lambda series, spec: ~_as_bool(_in(series, spec), series.index),
    "pattern": _pattern,
    "length": _length,
    "starts_with": _text_fn("starts_with"),
    "ends_with": _text_fn("ends_with"),
    "contains": _text_fn("contains"),
}


def _present(series: pd.Series, spec: CheckSpec) -> pd.Series:
    return series[~is_missing(series, spec)]


def _bounded(value: Any, spec: CheckSpec) -> bool:
    if value is None or pd.isna(value):
        return False  # zero non-null values: not evaluable, so it fails
    low, high = spec.values["min"], spec.values["max"]
    return (low is None or value >= low) and (high is None or value <= high)


def aggregate_value(series: pd.Series, spec: CheckSpec) -> Any:
    """The statistic an aggregate check judges (for reports as well as the check)."""
    if spec.kind == "max_null_fraction":
        return float(is_missing(series, spec).mean()) if len(series) else 0.0
    present = _present(series, spec)
    if spec.kind == "distinct_count_between":
        return int(present.nunique())
    numbers = present.astype("float64")
    if spec.kind == "mean_between":
        return numbers.mean() if len(numbers) else None
    if spec.kind == "median_between":
        return numbers.median() if len(numbers) else None
    if spec.kind == "stddev_between":
        return numbers.std(ddof=1) if len(numbers) > 1 else None
    raise ValueError(spec.kind)  # pragma: no cover


AGGREGATE_KINDS = frozenset(
    {
        "max_null_fraction",
        "distinct_count_between",
        "mean_between",
        "median_between",
        "stddev_between",
    }
)


def field_check(series: pd.Series, spec: CheckSpec, references: Mapping[str, Any]) -> Any:
    """True where the value passes (one bool for aggregates)."""
    missing = is_missing(series, spec)
    if spec.kind == "nullable":
        return ~missing
    if spec.kind == "unique":
        return ~series.duplicated(keep=False) | missing
    if spec.kind in AGGREGATE_KINDS:
        value = aggregate_value(series, spec)
        if spec.kind == "max_null_fraction":
            return bool(value <= spec.values["value"])
        return _bounded(value, spec)
    if spec.kind == "in_reference":
        passed = series.isin(references[spec.check_id])
    elif spec.kind == "custom":
        passed = _custom(series, spec)
    else:
        passed = VALUE_CHECKS[spec.kind](series, spec)
    return missing | _as_bool(passed, series.index)


def _custom(series: pd.Series, spec: CheckSpec) -> Any:
    registered = registered_check(spec.values["check"])
    if registered is None:  # pragma: no cover - the loader refuses unregistered names
        raise LookupError(spec.values["check"])
    params = spec.values["params"]
    if registered.element_wise:
        # nulls are the business of ``nullable``: the function never sees them
        return series.map(
            lambda value: True if _is_null(value) else bool(registered.function(value, **params))
        )
    return registered.function(series, **params)


def _is_null(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values are not null
        return False


def _key_missing(frame: pd.DataFrame) -> pd.Series:
    """Rows with a null of any kind (NaN in a float key too) in one of the key columns."""
    missing = frame.isna()
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column.dtype):
            missing[name] = missing[name] | (column != column).fillna(value=False).astype(bool)  # noqa: PLR0124
    return missing.any(axis=1)


def dataset_check(frame: pd.DataFrame, spec: CheckSpec) -> Any:
    """True where the row passes, or one bool for whole-dataset checks."""
    if spec.kind in ("primary_key", "unique_together"):
        keys = frame[list(spec.columns)]
        any_null = _key_missing(keys)
        duplicated = keys.duplicated(keep=False)
        if spec.kind == "unique_together":  # rows with a null take no part, as in SQL
            duplicated = (
                keys[~any_null].duplicated(keep=False).reindex(frame.index, fill_value=False)
            )
        return ~duplicated | any_null
    if spec.kind == "row_count":
        rows = len(frame)
        return ("min" not in spec.values or rows >= spec.values["min"]) and (
            "max" not in spec.values or rows <= spec.values["max"]
        )
    if spec.kind == "freshness":
        return freshness_passes(frame[spec.columns[0]], spec)
    if spec.kind == "rule":
        return evaluate_pandas(spec.values["expression"], frame).fillna(value=False).astype(bool)
    raise ValueError(f"unknown dataset check {spec.kind}")  # pragma: no cover


def freshness_passes(series: pd.Series, spec: CheckSpec) -> bool:
    present = series.dropna()
    if present.empty:
        return False
    newest = present.max()
    as_of = spec.values["as_of"]
    if spec.values["field_type"] == "date":
        return bool(as_of.date() - pd.Timestamp(newest).date() <= spec.values["max_age"])
    moment = pd.Timestamp(as_of if spec.values["tz"] else as_of.replace(tzinfo=None))
    return bool(moment - pd.Timestamp(newest) <= spec.values["max_age"])


def to_pandera_pandas(
    plan: Plan,
    *,
    with_types: bool = True,
    references: Mapping[str, Any] | None = None,
    columns: set[str] | None = None,
) -> pa.DataFrameSchema:
    """The plan as a pandera pandas schema (see ``to_pandera_polars`` for the arguments)."""
    references = references or {}
    contract = plan.contract
    schema_columns = {}
    for name, specs in plan.field_checks.items():
        if columns is not None and name not in columns:
            continue
        spec_field = contract.fields[name]
        checks = [
            pa.Check(
                _column_fn(spec, references),
                name=spec.check_id,
                error=spec.check_id,
                statistics=spec.statistics(),
                ignore_na=False,
            )
            for spec in specs
            if spec.kind != "in_reference" or spec.check_id in references
        ]
        schema_columns[name] = pa.Column(
            None,
            checks=([_type_check(spec_field, name)] if with_types else []) + checks,
            nullable=True,  # nulls are judged by the ``nullable`` check, NaN included
            required=spec_field.required,
            description=spec_field.description,
            title=name,
        )
    present = set(schema_columns) if columns is None else columns
    frame_checks = [
        pa.Check(
            _frame_fn(spec),
            name=spec.check_id,
            error=spec.check_id,
            statistics=spec.statistics(),
            ignore_na=False,
        )
        for spec in plan.dataset_checks
        if all(name in present for name in spec.columns)
    ]
    return pa.DataFrameSchema(
        schema_columns,
        checks=frame_checks,
        strict=contract.dataset.columns == "closed" and columns is None,
        ordered=contract.dataset.ordered and columns is None,
        name=contract.name,
        title=contract.title,
        description=contract.description,
    )


def _type_check(spec: Field_, name: str) -> pa.Check:
    def check(series: pd.Series) -> Any:
        fit = fit_pandas(spec, series)
        if fit != "convert":
            return fit == "ok"
        return pd.Series(value_fits_pandas(spec, series), index=series.index)

    return pa.Check(
        check,
        name=f"fields.{name}.type",
        error=f"fields.{name}.type",
        statistics={"kind": "type", "type": describe(spec)},
        ignore_na=False,
    )


def _column_fn(spec: CheckSpec, references: Mapping[str, Any]) -> Callable[[pd.Series], Any]:
    def check(series: pd.Series) -> Any:
        return field_check(series, spec, references)

    return check


def _frame_fn(spec: CheckSpec) -> Callable[[pd.DataFrame], Any]:
    def check(frame: pd.DataFrame) -> Any:
        return dataset_check(frame, spec)

    return check
