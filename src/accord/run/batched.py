"""Validate a dataset batch by batch, with memory bounded by a batch plus the summaries of the
dataset-wide checks (``dataset_wide``), and the report an unbatched run gives."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from accord.compile.plan import CheckSpec, dataset_wide, runnable
from accord.contract.model import ContractModel
from accord.engines.base import EvidenceRequest
from accord.engines.registry import FILE_ENGINE
from accord.errors import UsageError
from accord.report.model import Report
from accord.run.evaluate import FrameEvaluation
from accord.run.gathering import Found, Gathering
from accord.run.options import RunInput, cell_failures_of
from accord.run.setup import start
from accord.run.verdicts import Verdicts

if TYPE_CHECKING:
    import polars as pl

    from accord.drift.batched import BatchedDrift
    from accord.run.batches import BatchedDataset

Progress = Callable[[int, int], None]
"""Called after each batch with the rows and the batches done so far."""


def run_batched(
    contract: ContractModel,
    dataset: BatchedDataset,
    options: RunInput,
    *,
    progress: Progress | None = None,
) -> Report:
    """Validate ``dataset`` batch by batch and return the report an unbatched run gives.

    The batches are polars frames, so the engine must take them (``engine.batched``).
    ``options.locate`` is ignored; rows are located through ``dataset``.
    """
    from accord.engines.polars import utc_named  # noqa: PLC0415
    from accord.run.dataset_wide import DatasetWide  # noqa: PLC0415

    engine = options.evaluator()
    if not engine.batched:
        raise UsageError(
            f"batch-wise validation runs on the {FILE_ENGINE} engine, not {engine.name}; use "
            f"--engine {FILE_ENGINE}"
        )
    gathered, started = start(contract, options)
    run = FrameEvaluation(gathered, engine)
    row_plan = gathered.plan.only(lambda spec: not dataset_wide(spec))
    wide: DatasetWide | None = None
    drift: BatchedDrift | None = None
    null_tokens: dict[str, dict[str, int]] = {}

    def begin(frame: pl.DataFrame) -> DatasetWide:
        """Settle the schema from ``frame`` (its dtypes only) and start the summaries."""
        nonlocal drift
        run.start(frame)
        present = runnable(gathered.plan, gathered.judgeable, gathered.references)
        if options.reference is not None:
            from accord.drift.batched import BatchedDrift  # noqa: PLC0415

            drift = BatchedDrift(gathered.contract, options.reference, engine)
        return DatasetWide(present, expected_rows=dataset.total_rows)

    columns: list[str] | None = None
    stored = dataset.stored_schema()
    if stored is not None:  # values read as stored: the schema is known before any value
        wide = begin(stored)
        columns = _read_columns(gathered, stored.columns, drifts=options.reference is not None)
    for batches, batch in enumerate(dataset.batches(columns), start=1):
        if wide is None:
            wide = begin(batch.frame)
        failures = cell_failures_of(batch.cell_failures, batch.failure_reasons)
        frame = run.take(batch.frame, batch.start, failures, row_plan)
        wide.add(utc_named(frame))
        if drift is not None:
            drift.add(frame)  # summaries only: memory stays one batch, whatever the data
        for name, tokens in batch.null_token_counts.items():
            counts = null_tokens.setdefault(name, {})
            for token, count in tokens.items():
                counts[token] = counts.get(token, 0) + count
        if progress is not None:
            progress(gathered.rows, batches)
    assert wide is not None  # a dataset always yields a batch, if only to give its schema
    for name, reason in dataset.failure_reasons.items():  # worded for the whole data, not a batch
        if name in gathered.typed:
            gathered.typed[name].reason = reason
    for check_id, (passed, observed) in wide.verdicts().items():
        if not passed:
            gathered.found[check_id] = Found(failed=True, observed=observed)
    _judge_keys(run, dataset, wide.repeated_keys())
    if len(dataset.files_read) > 1:
        gathered.options = _located(options, dataset)
    verdicts = Verdicts(gathered, contract)
    outcome = drift.outcome() if drift is not None else None
    return verdicts.report(engine.name, outcome, null_tokens, started)


def _judge_keys(
    run: FrameEvaluation, dataset: BatchedDataset, repeated: Mapping[str, np.ndarray]
) -> None:
    """Read the key columns of the rows whose key hash repeats and judge them with the key
    checks' own expressions: exact, whatever the hash collides. Row positions travel beside the
    frame, never as a column that a key column's name could collide with."""
    import polars as pl  # noqa: PLC0415

    from accord.run.dataset_wide import among, key_hashes  # noqa: PLC0415

    if not repeated:
        return
    gathered = run.gathered
    specs = [s for s in gathered.plan.all_checks() if s.check_id in repeated]
    names = list(dict.fromkeys(c for s in specs for c in (s.columns or (s.field or "",))))
    # Per key check: the candidate rows' key columns, and where each row is in the dataset.
    found: dict[str, list[tuple[pl.DataFrame, np.ndarray]]] = {s.check_id: [] for s in specs}
    for batch in dataset.batches(columns=names):
        frame, _ = run.prepare(batch.frame, {})
        for spec in specs:
            rows = among(key_hashes(frame, spec), repeated[spec.check_id])
            if rows.size:
                found[spec.check_id].append((frame[rows], batch.start + rows))
    for spec in specs:
        parts = found.pop(spec.check_id)
        if not parts:
            continue
        frame = pl.concat([part for part, _ in parts])
        positions = np.concatenate([where for _, where in parts])
        only_this = gathered.plan.only(partial(_is_check, spec.check_id))
        request = EvidenceRequest(max_examples=gathered.options.max_examples, positions=positions)
        evidence = run.engine.evaluate(only_this, frame, gathered.judgeable, {}, request)
        gathered.add_evidence(evidence.checks)
        gathered.add_failing(evidence.failing_rows, evidence.failing_row_count, 0, [])


def _read_columns(gathered: Gathering, names: Sequence[str], *, drifts: bool) -> list[str] | None:
    """The columns whose values the run reads, in the dataset's order: those a check reads
    and those judged value by value. A column no check reads (a nullable field without
    checks, a column the contract does not declare) is judged by its type alone, which the
    schema gives, so its values are never decoded: the one-pass limit reads no more. None
    (every column) when drift statistics need them all."""
    if drifts:
        return None
    wanted = {name for name, fit in gathered.fits.items() if fit == "convert"}
    for spec in gathered.plan.all_checks():
        wanted.update(spec.columns)
        if spec.field is not None:
            wanted.add(spec.field)
    return [name for name in names if name in wanted]


def _is_check(check_id: str, spec: CheckSpec) -> bool:
    return spec.check_id == check_id


def _located(options: RunInput, dataset: BatchedDataset) -> RunInput:
    return replace(options, locate=dataset.locate, sources=[s.path for s in dataset.files_read])
