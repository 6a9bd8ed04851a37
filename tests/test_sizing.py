"""When a run reads its data whole or in batches (``accord.run.sizing``), by what it needs."""

from __future__ import annotations

from accord.run import sizing

MID = sizing.PROJECT_ABOVE_BYTES + 1
"""Parquet between the two thresholds: a million rows of the benchmark table."""


def test_a_run_judging_checks_reads_mid_sized_parquet_in_batches_of_its_checked_columns() -> None:
    assert MID < sizing.BATCH_ABOVE_BYTES
    rows = sizing.auto_batch_rows(MID, None, kind="parquet", whole_columns=False)
    assert rows == sizing.AUTO_BATCH_ROWS


def test_profile_and_drift_keep_whole_columns_up_to_the_larger_threshold() -> None:
    assert sizing.auto_batch_rows(MID, None, kind="parquet") is None
    assert sizing.auto_batch_rows(MID, None) is None  # the two-argument call of before
    big = sizing.BATCH_ABOVE_BYTES + 1
    assert sizing.auto_batch_rows(big, None, kind="parquet") == sizing.AUTO_BATCH_ROWS


def test_only_formats_read_column_by_column_go_in_batches_early() -> None:
    for kind in ("csv", "jsonl", "arrow"):
        assert sizing.auto_batch_rows(MID, None, kind=kind, whole_columns=False) is None


def test_small_parquet_is_read_whole_unless_memory_is_short() -> None:
    small = sizing.PROJECT_ABOVE_BYTES
    assert sizing.auto_batch_rows(small, None, kind="parquet", whole_columns=False) is None
    short = sizing.auto_batch_rows(small, small, kind="parquet", whole_columns=False)
    assert short == sizing.AUTO_BATCH_ROWS
