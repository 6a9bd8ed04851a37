"""A batched run reports what an unbatched run reports (SPEC 6): the same violations, counts,
examples, check statuses and failing rows, whatever the batch size, dataset-wide rules included.

The batches here are slices of one frame, so this file tests the runner alone; the readers'
batches are held to ``read_dataset`` in test_batches.py, and the two meet in the CLI tests.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import accord
from accord.engines.registry import engine_named
from accord.errors import UsageError
from accord.report.model import Report
from accord.run.runner import RunInput, run_batched, run_contract
from test_fuzz_parity import Case, cases

AS_OF = dt.datetime(2020, 1, 2, tzinfo=dt.UTC)


class SlicedDataset:
    """The ``BatchedDataset`` surface the runner uses, over slices of one frame."""

    def __init__(self, frame: pl.DataFrame, batch_rows: int) -> None:
        self.frame, self.batch_rows = frame, batch_rows
        self.total_rows: int | None = frame.height
        self.failure_reasons: dict[str, str] = {}
        self.files_read = [SimpleNamespace(path="<frame>", start=0, rows=frame.height)]
        self.passes = 0

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[Any]:
        self.passes += 1
        frame = self.frame if columns is None else self.frame.select(columns)
        if columns is not None and not columns:  # as the readers: a projection keeps every row
            frame = pl.DataFrame(height=self.frame.height)
        starts = range(0, frame.height, self.batch_rows) if frame.height else [0]
        for start in starts:
            yield SimpleNamespace(
                frame=frame.slice(start, self.batch_rows),
                start=start,
                cell_failures={},
                failure_reasons={},
                null_token_counts={},
            )

    def locate(self, row: int) -> tuple[str, int]:
        return "<frame>", row

    def stored_schema(self) -> pl.DataFrame:
        return self.frame.clear()


def _options(**extra: Any) -> RunInput:
    return RunInput(engine=engine_named("polars"), as_of=AS_OF, sources=["<frame>"], **extra)


def comparable(report: Report) -> dict[str, Any]:
    """The report without its clock, aggregate statistics rounded to 12 digits: a mean merged
    from batch means may differ from the one-pass mean in the last bits, never more."""
    data = report.to_dict()
    for key in ("started_at", "duration_s"):
        data.pop(key)
    for violation in data["violations"]:
        observed = violation["details"].get("observed")
        if isinstance(observed, float) and math.isfinite(observed) and observed:
            digits = 11 - math.floor(math.log10(abs(observed)))
            violation["details"]["observed"] = round(observed, digits)
    return data


def both(contract: accord.Contract, frame: pl.DataFrame, batch_rows: int) -> tuple[Any, Any]:
    whole = run_contract(contract.model, frame, _options())
    batched = run_batched(contract.model, SlicedDataset(frame, batch_rows), _options())  # type: ignore[arg-type]
    return comparable(whole), comparable(batched)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.integers(1, 4))
def test_random_contracts_report_alike_batched_and_whole(case: Case, batch_rows: int) -> None:
    text = case.text()
    note(text)
    note(repr(case.frame))
    contract = accord.load(text)
    whole, batched = both(contract, case.frame, batch_rows)
    assert batched == whole


KEYS = accord.load("""\
accord: 1
name: keys
version: 1.0.0
dataset:
  primary_key: [id]
  unique: [[a, b]]
  row_count: {min: 1, max: 20}
  freshness: {field: seen, max_age: 1d}
fields:
  id: {type: int64}
  a: {type: string, nullable: true}
  b: {type: float64, nullable: true, checks: [{mean_between: {min: 0, max: 1}}]}
  code:
    type: string
    unique: true
    nullable: true
    checks:
      - distinct_count_between: {min: 5}
  n:
    type: int64
    nullable: true
    checks:
      - median_between: {min: 10, max: 20}
      - stddev_between: {max: 1}
      - max_null_fraction: 0.1
  seen: {type: timestamp, tz: UTC}
""")


def _keys_frame() -> pl.DataFrame:
    day = dt.datetime(2019, 12, 1, tzinfo=dt.UTC)
    return pl.DataFrame(
        {
            "id": [1, 2, 3, 1, 5, 6, 7, 3, 9, 10],
            "a": ["x", "x", None, "y", "x", None, "y", "z", "x", "q"],
            "b": [1.0, 1.0, 2.0, 2.0, 1.0, 2.0, 2.0, -0.0, 0.0, float("nan")],
            "code": ["p", "q", "p", None, "r", "s", "t", "u", "v", "q"],
            "n": [1, 2, 3, None, None, 50, 7, 8, 9, 10],
            "seen": [day + dt.timedelta(hours=h) for h in range(10)],
        },
        schema_overrides={"seen": pl.Datetime("us", "UTC")},
    )


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 4, 7, 10, 50])
def test_keys_and_aggregates_span_batches(batch_rows: int) -> None:
    frame = _keys_frame()
    whole, batched = both(KEYS, frame, batch_rows)
    assert batched == whole
    failed = {v["check_id"]: v for v in whole["violations"]}
    # the duplicates sit in different batches whenever batches are smaller than the frame
    assert failed["dataset.primary_key"]["failure_count"] == 4
    assert failed["dataset.primary_key"]["details"]["distinct_keys"] == 2
    assert [e["row"] for e in failed["dataset.primary_key"]["examples"]] == [0, 2, 3, 7]
    assert failed["fields.code.unique"]["failure_count"] == 4  # p twice, q twice; None exempt
    # (x, 1.0) in rows 0, 1, 4 and (y, 2.0) in rows 3, 6; a null a or a NaN b exempts a row
    assert failed["dataset.unique[0]"]["failure_count"] == 5
    assert {"dataset.freshness", "fields.n.checks[0]", "fields.n.checks[1]"} <= set(failed)
    assert whole["summary"]["failing_rows"] == batched["summary"]["failing_rows"]


def test_clean_keys_need_one_pass_and_dirty_keys_two() -> None:
    clean = _keys_frame().with_columns(pl.Series("id", range(10)))
    dataset = SlicedDataset(clean.with_columns(pl.Series("code", list("abcdefghij"))), 3)
    dataset.frame = dataset.frame.with_columns(pl.lit("k").alias("a"), pl.Series("b", range(10)))
    run_batched(KEYS.model, dataset, _options())  # type: ignore[arg-type]
    assert dataset.passes == 1
    dirty = SlicedDataset(_keys_frame(), 3)
    run_batched(KEYS.model, dirty, _options())  # type: ignore[arg-type]
    assert dirty.passes == 2


def test_hash_collisions_never_fail_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every key hashed alike: all rows become candidates, and the exact judgement still fails
    only the true duplicates."""
    from accord.run import dataset_wide

    monkeypatch.setattr(
        dataset_wide, "key_hashes", lambda frame, spec: np.full(frame.height, 7, dtype=np.uint64)
    )
    frame = _keys_frame()
    whole, batched = both(KEYS, frame, 3)
    assert batched == whole


def test_zero_rows_batched_and_whole_alike() -> None:
    frame = _keys_frame().clear()
    whole, batched = both(KEYS, frame, 3)
    assert batched == whole
    assert whole["dataset"]["rows"] == 0


def test_examples_are_the_first_failing_rows_across_batches() -> None:
    contract = accord.load(
        "accord: 1\nname: e\nversion: 1.0.0\nfields:\n  x:\n    type: int64\n"
        "    checks: [{max: 0}]\n"
    )
    frame = pl.DataFrame({"x": [0, 1, 0, 2, 0, 3, 4, 5, 6, 7]})
    whole, batched = both(contract, frame, 2)
    assert batched == whole
    (violation,) = whole["violations"]
    assert violation["failure_count"] == 7
    assert [e["row"] for e in violation["examples"]] == [1, 3, 5, 6, 7]


def test_batched_runs_refuse_the_pandas_engine() -> None:
    options = RunInput(engine=engine_named("pandas"))
    with pytest.raises(UsageError, match="polars engine"):
        run_batched(KEYS.model, SlicedDataset(_keys_frame(), 3), options)  # type: ignore[arg-type]


def test_progress_is_told_rows_and_batches() -> None:
    seen: list[tuple[int, int]] = []
    run_batched(
        KEYS.model,
        SlicedDataset(_keys_frame(), 4),  # type: ignore[arg-type]
        _options(),
        progress=lambda rows, batches: seen.append((rows, batches)),
    )
    assert seen == [(4, 1), (8, 2), (10, 3)]
