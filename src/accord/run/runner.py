"""Run a contract over data and produce the report: the entry points.

The order is the one SPEC section 2 gives. Data arrives as one frame (the API, small files) or
as batches of one file larger than memory (``run.batched``). Either way each frame goes through
the engine (``run.evaluate``) and what it shows is added up as evidence (``run.gathering``):
counts, the first examples, failing rows. Checks whose verdict on a row depends on other rows
(keys) or that judge a whole column (aggregates) run in the same fused pass when there is one
frame, and through ``dataset_wide`` summaries over every batch otherwise. Violations are built
only at the end, from the evidence and in one fixed order (``run.verdicts``), so a batched run
reports what an unbatched one does.
"""

from __future__ import annotations

from typing import Any

from accord.contract.model import ContractModel
from accord.report.model import Report
from accord.run.batched import run_batched
from accord.run.evaluate import FrameEvaluation
from accord.run.options import RunInput
from accord.run.setup import drift_of, start
from accord.run.verdicts import Verdicts


def run_contract(contract: ContractModel, frame: Any, options: RunInput) -> Report:
    """Validate ``frame`` against ``contract`` and return the report."""
    engine = options.evaluator()
    gathered, started = start(contract, options)
    run = FrameEvaluation(gathered, engine)
    run.start(frame)
    converted = run.take(frame, 0, options.cell_failures)
    drift = drift_of(gathered, engine, converted)
    verdicts = Verdicts(gathered, contract)
    return verdicts.report(engine.name, drift, options.null_token_counts, started)


__all__ = ["RunInput", "run_batched", "run_contract"]
