"""The plan compiled to a ``pandera.pandas.DataFrameSchema`` around the checks of
``pandas_checks``: what ``accord compile`` shows and ``Contract.to_pandera`` returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from accord.compile.dtypes_pandas import fit_pandas, value_fits_pandas
from accord.compile.pandas_checks import dataset_check, field_check, is_missing
from accord.compile.plan import CheckSpec, Plan
from accord.compile.tolerance import tolerated
from accord.contract.fit import describe
from accord.contract.model import Field_


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
        result = field_check(series, spec, references)
        if spec.mostly is not None and np.ndim(result):
            failures = int((~np.asarray(result, dtype=bool)).sum())
            present = int((~is_missing(series, spec)).sum())
            if tolerated(failures, present, spec.mostly):
                result = np.ones(len(series), dtype=bool)  # within mostly: the check passes
        # pandera wants its row-level outcomes indexed like the column they judge
        return pd.Series(result, index=series.index) if np.ndim(result) else result

    return check


def _frame_fn(spec: CheckSpec) -> Callable[[pd.DataFrame], Any]:
    def check(frame: pd.DataFrame) -> Any:
        return dataset_check(frame, spec)

    return check
