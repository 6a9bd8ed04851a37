"""The polars engine's one select per frame, and what a batched run reads: the same reports,
fewer values decoded."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.engines.registry import engine_named
from accord.run.batches import BatchedDataset, open_batches
from accord.run.dataset_wide import among
from accord.run.options import with_read
from accord.run.runner import RunInput, run_batched, run_contract
from accord.run.sources import read_dataset
from test_batched_run import comparable

CONTRACT = """\
accord: 1
name: projected
version: 1.0.0
dataset:
  primary_key: [id]
  rules:
    - name: small_or_scored
      assert: "amount < 100 or score is not null"
fields:
  id:
    type: int64
  amount:
    type: float64
    nullable: true
    checks:
      - between: {min: 0, max: 1000}
        mostly: 0.5
  score:
    type: float64
    nullable: true
  note:
    type: string
    nullable: true
"""


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 2, 4, 5, 6, 6],
            "amount": [1.0, 2000.0, 500.0, None, 150.0, -1.0, float("nan")],
            "score": [None, 1.0, None, 2.0, None, 3.0, None],
            "note": ["a", None, "c", "d", "e", "f", "g"],
            "extra": [0, 1, 2, 3, 4, 5, 6],
        }
    )


def _reports(tmp_path: Path, batch_rows: int) -> tuple[Any, Any, list[Sequence[str] | None]]:
    path = tmp_path / "data.parquet"
    _frame().write_parquet(path, row_group_size=3)
    contract = accord.load(CONTRACT)
    options = RunInput(engine=engine_named("polars"))
    whole_read = read_dataset([path], contract.model)
    whole = run_contract(contract.model, whole_read.frame, with_read(options, whole_read))
    dataset = open_batches([path], contract.model, batch_rows=batch_rows)
    asked: list[Sequence[str] | None] = []
    batches = dataset.batches

    def spied(columns: Sequence[str] | None = None) -> Iterator[Any]:
        asked.append(columns)
        return batches(columns)

    dataset.batches = spied  # type: ignore[method-assign]
    options = RunInput(engine=engine_named("polars"), sources=[str(path)])
    batched = run_batched(contract.model, dataset, options)
    return comparable(whole), comparable(batched), asked


@pytest.mark.parametrize("batch_rows", [1, 2, 3, 100])
def test_a_batched_run_reads_only_the_columns_its_checks_read(
    tmp_path: Path, batch_rows: int
) -> None:
    whole, batched, asked = _reports(tmp_path, batch_rows)
    # note has no check and extra is not declared: judged by their types, never decoded
    assert asked[0] == ["id", "amount", "score"]
    for key in ("violations", "checks", "summary", "dataset"):
        assert batched[key] == whole[key]
    counts = {v["check_id"]: v["failure_count"] for v in whole["violations"]}
    assert counts["dataset.primary_key"] == 4
    assert counts["fields.amount.checks[0]"] == 2
    assert counts["dataset.rules[0]"] == 3  # NaN makes the rule unknown, which fails


def test_text_data_is_read_whole_as_its_values_are_judged_as_read(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("id,amount,score,note\n1,1.0,,x\n2,oops,,y\n")
    contract = accord.load(CONTRACT)
    dataset = open_batches([path], contract.model, batch_rows=1)
    assert isinstance(dataset, BatchedDataset)
    assert dataset.stored_schema() is None


def test_a_rule_of_literals_fails_every_row_alone_in_its_select() -> None:
    contract = accord.load(
        "accord: 1\nname: r\nversion: 1.0.0\nfields:\n  x:\n    type: int64\n"
        "    nullable: true\ndataset:\n  rules:\n    - name: never\n      assert: '1 > 2'\n"
    )
    report = contract.validate(pl.DataFrame({"x": [1, None, 3]}))
    (violation,) = report.violations
    assert violation.check_id == "dataset.rules[0]"
    assert violation.failure_count == 3
    assert report.summary.failing_rows == 3


def test_mostly_counts_the_present_values_in_the_same_pass() -> None:
    contract = accord.load(CONTRACT)
    report = contract.validate(_frame().drop("extra"))
    check = next(c for c in report.checks if c.check_id == "fields.amount.checks[0]")
    # 5 values present (None and NaN are not), 2 out of range: 60% pass, above mostly 0.5
    assert check.status == "passed"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 50), max_size=60),
    st.lists(st.integers(0, 50), max_size=10, unique=True),
)
def test_hash_membership_is_numpys(hashes: list[int], repeated: list[int]) -> None:
    rows = np.array(hashes, dtype=np.uint64)
    wanted = np.array(sorted(repeated), dtype=np.uint64)
    expected = np.flatnonzero(np.isin(rows, wanted))
    assert among(rows, wanted).tolist() == expected.tolist()
