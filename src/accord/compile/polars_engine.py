"""The plan compiled to a ``pandera.polars.DataFrameSchema`` around the checks of
``polars_checks``: what ``accord compile`` shows and ``Contract.to_pandera`` returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandera.polars as pa
import polars as pl

from accord.compile.dtypes_polars import fit_polars, value_fits_polars
from accord.compile.expr_polars import column
from accord.compile.plan import CheckSpec, Plan
from accord.compile.polars_checks import dataset_check_expr, field_check_expr, is_missing
from accord.compile.tolerance import as_ratio
from accord.contract.fit import describe
from accord.contract.model import Field_


def to_pandera_polars(
    plan: Plan,
    *,
    with_types: bool = True,
    references: Mapping[str, pl.Series] | None = None,
    columns: set[str] | None = None,
) -> pa.DataFrameSchema:
    """The plan as a pandera polars schema.

    ``columns`` limits the schema to fields present and correctly typed (the runner's schema
    pass reports the rest); ``with_types=False`` leaves type checks to that pass. Types are checked
    by an accord check rather than a pandera dtype because text is text however it is stored, and
    a float column declared integer is judged value by value (SPEC 1.3).
    """
    references = references or {}
    schema_columns = {}
    contract = plan.contract
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
            _frame_fn(spec), name=spec.check_id, error=spec.check_id, statistics=spec.statistics()
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
    def check(data: Any) -> pl.LazyFrame:
        frame: pl.LazyFrame = data.lazyframe
        fit = fit_polars(spec, frame.collect_schema()[data.key])
        if fit != "convert":
            return frame.select(pl.lit(fit == "ok"))
        values = frame.select(column(data.key)).collect().to_series()
        return pl.LazyFrame({data.key: value_fits_polars(spec, values)})

    return pa.Check(
        check,
        name=f"fields.{name}.type",
        error=f"fields.{name}.type",
        statistics={"kind": "type", "type": describe(spec)},
    )


def _column_fn(spec: CheckSpec, references: Mapping[str, pl.Series]) -> Callable[[Any], Any]:
    def check(data: Any) -> pl.LazyFrame:
        frame: pl.LazyFrame = data.lazyframe
        values = column(data.key)
        passed = field_check_expr(values, spec, references)
        if spec.mostly is not None and not spec.aggregate:
            # within mostly the check passes: failures * q <= (q - p) * non-null, in integers
            p, q = as_ratio(spec.mostly)
            failures = (~passed).sum().cast(pl.Int64)
            present = (~is_missing(values, spec)).sum().cast(pl.Int64)
            within = failures * q <= present * (q - p)
            passed = pl.when(within).then(pl.lit(value=True)).otherwise(passed)
        return frame.select(passed)

    return check


def _frame_fn(spec: CheckSpec) -> Callable[[Any], Any]:
    def check(data: Any) -> pl.LazyFrame:
        frame: pl.LazyFrame = data.lazyframe
        floats = frozenset(
            name for name, dtype in frame.collect_schema().items() if dtype.is_float()
        )
        return frame.select(dataset_check_expr(spec, pl.len(), floats))

    return check
