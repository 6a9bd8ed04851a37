"""The GX engine: the contract's exported suite run by Great Expectations' own validator.

accord's schema pass (presence, types, closed columns) and its reading stay accord's; each check
the plan runs is handed to GX as the expectation :func:`~accord.compile.gx_suite.export_gx`
makes of it, on a pandas frame, and GX's result becomes the same row evidence the pandas engine
gives: ``unexpected_index_list`` as the failing rows (the frame is 0..n-1 indexed, so an index is
a position), ``success`` for whole-column and whole-dataset expectations. A check GX cannot
express, or whose expectation raised inside GX, is skipped with the reason, never passed.

A whole-column or whole-dataset check (an aggregate, the row count, freshness) is judged by
GX's ``success``, and the value the report shows is GX's ``observed_value`` (for a null
fraction, GX's unexpected count over its element count). Everything else (examples,
``mostly`` tolerances, keys' distinct values) is the pandas engine's, on the same frame.
great_expectations is imported here and nowhere else.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from functools import cache
from typing import Any
from uuid import uuid4

import numpy as np
import pandas as pd

from accord.compile.gx_common import FRESHNESS_PARAMETER
from accord.compile.gx_suite import export_gx
from accord.compile.plan import CheckSpec, Plan, runnable
from accord.engines.evidence import RowFailures
from accord.engines.pandas import PandasEngine
from accord.errors import UsageError

_INSTALL = "the gx engine needs Great Expectations: pip install 'accord[gx]'"


class GxEngine(PandasEngine):
    name = "gx"
    batched = False

    def to_pandera(self, plan: Plan) -> Any:  # noqa: ARG002 - the protocol's signature
        raise UsageError(
            "the gx engine runs a Great Expectations suite, not a pandera schema; "
            "for the suite itself run: accord export CONTRACT --to gx"
        )

    def failures(
        self, plan: Plan, frame: pd.DataFrame, present: set[str], references: Mapping[str, Any]
    ) -> RowFailures:
        found = RowFailures()
        exported = export_gx(plan.contract)
        expectations = {e.check_id: e.expectation for e in exported.expectations}
        reasons = {u.path: u.reason for u in exported.unexported}
        suite: list[dict[str, Any]] = []
        parameters: dict[str, str] = {}
        specs: dict[str, CheckSpec] = {}
        for spec in runnable(plan, present, references):
            expectation = expectations.get(spec.check_id)
            if expectation is None:
                reason = reasons.get(spec.check_id, "no Great Expectations expectation for it")
                found.skipped[spec.check_id] = f"GX cannot run it: {reason}"
                continue
            if spec.kind == "freshness":
                name = FRESHNESS_PARAMETER.format(field=spec.columns[0])
                parameters[name] = _freshness_bound(spec)
            suite.append(expectation)
            specs[spec.check_id] = spec
        if not suite:
            return found
        for result in _validate(suite, _gx_frame(frame), parameters):
            check_id = result.expectation_config.meta["accord"]["check"]
            raised = _raised(result.exception_info)
            if raised is not None:
                found.skipped[check_id] = f"Great Expectations raised: {raised}"
                continue
            outcome = result.result or {}
            indexes = outcome.get("unexpected_index_list")
            if specs[check_id].aggregate:
                # one verdict on the whole column: a null fraction within its bound still
                # lists its null rows, which are no failure
                if not result.success:
                    found.failed[check_id] = None
                    found.observed[check_id] = _observed(outcome)
            elif "unexpected_count" in outcome and indexes is not None:
                rows = np.asarray([_position(i) for i in indexes], dtype=np.int64)
                if rows.size:
                    found.failed[check_id] = np.unique(rows)
            elif not result.success:
                found.failed[check_id] = None
        return found


def _observed(outcome: Mapping[str, Any]) -> Any:
    """The statistic GX judged: its ``observed_value``, or for a column map expectation (the null
    fraction) the fraction of elements it found unexpected; NaN (no values) as None."""
    if "observed_value" in outcome:
        value = outcome["observed_value"]
    elif outcome.get("element_count"):
        value = outcome["unexpected_count"] / outcome["element_count"]
    else:
        value = 0.0 if "element_count" in outcome else None
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _freshness_bound(spec: CheckSpec) -> str:
    """The suite parameter the exported freshness expectation compares the newest value with."""
    bound = pd.Timestamp(spec.values["as_of"]) - pd.Timedelta(spec.values["max_age"])
    if spec.values["field_type"] == "date":
        return bound.date().isoformat()
    if not spec.values["tz"]:
        bound = bound.tz_localize(None) if bound.tzinfo else bound
    return bound.isoformat()


def _position(index: Any) -> int:
    """A row of GX's ``unexpected_index_list``: an index value, or a record holding it."""
    if isinstance(index, Mapping):
        index = index.get("index", next(iter(index.values())))
    return int(index)


def _raised(info: Any) -> str | None:
    """GX's exception message, whether it reports one exception or one per metric."""
    if not isinstance(info, Mapping):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "an exception without a message")
    for value in info.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return str(value.get("exception_message") or "an exception without a message")
    return None


def _gx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with numpy-backed columns, as GX's pandas expectations are written for: Arrow
    storage (accord's readers) goes through Arrow's own conversion, so no value changes."""
    import pyarrow as pa  # noqa: PLC0415

    columns: dict[str, Any] = {}
    for name in frame.columns:
        series = frame[name]
        if isinstance(series.dtype, pd.ArrowDtype):
            converted = pa.chunked_array([series.array]).to_pandas()
            columns[name] = pd.Series(converted, index=frame.index, name=name)
        else:
            columns[name] = series
    return pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))


@cache
def _batch_definition() -> Any:
    """One ephemeral GX context per process: its pandas data source takes each frame as a batch
    parameter."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import great_expectations as gx  # noqa: PLC0415
    except ImportError as error:
        raise UsageError(_INSTALL) from error
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: PLC0415

    context = gx.get_context(mode="ephemeral")
    # GX draws progress bars on stderr by default; accord's report is the output
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("accord")
    return context, source.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("all")


def _validate(
    expectations: list[dict[str, Any]], frame: pd.DataFrame, parameters: dict[str, str]
) -> list[Any]:
    context, definition = _batch_definition()
    from great_expectations.core import ExpectationSuite  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batch = definition.get_batch(batch_parameters={"dataframe": frame})
        suite = context.suites.add(
            ExpectationSuite(name=f"accord-{uuid4().hex}", expectations=expectations)
        )
        try:
            result = batch.validate(
                suite, result_format="COMPLETE", expectation_parameters=parameters or None
            )
        finally:
            context.suites.delete(suite.name)
    return list(result.results)
