"""What every run does first and last around its frames: check the request, compile the plan,
and measure drift once the data is read."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from accord.compile.plan import build_plan
from accord.contract.model import ContractModel
from accord.run.gathering import Gathering
from accord.run.options import RunInput

if TYPE_CHECKING:
    from accord.drift.compare import DriftOutcome
    from accord.engines.base import Engine

Started = tuple[float, dt.datetime]
"""A run's clock reading and wall-clock start."""


def start(contract: ContractModel, options: RunInput) -> tuple[Gathering, Started]:
    """The run's gathering for ``contract`` under ``options.profile``, and when it started. A
    wrong profile or reference fails here, before any work."""
    started = (time.perf_counter(), dt.datetime.now(dt.UTC))
    contract.check_profile(options.profile)
    if options.reference is not None:
        from accord.drift.compare import check_compatible  # noqa: PLC0415 - drift loads lazily

        check_compatible(contract, options.reference)
    applied = contract.apply_profile(options.profile)
    return Gathering(applied, build_plan(applied, as_of=options.as_of), options), started


def drift_of(gathered: Gathering, engine: Engine, frame: Any) -> DriftOutcome | None:
    """Drift of ``frame`` against the run's reference statistics, if it has any."""
    if gathered.options.reference is None:
        return None
    from accord.drift.compare import evaluate_drift  # noqa: PLC0415 - drift loads lazily

    return evaluate_drift(frame, gathered.contract, gathered.options.reference, engine)
