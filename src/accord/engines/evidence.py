"""Evidence from failing row positions: the shared half of the engines that hold their data.

pandas and polars find, per check, the positions of the failing rows in one pass
(:class:`RowFailures`); :func:`gather` turns those into the :class:`Evidence` every engine
returns, reading values only for the first examples. An engine whose data is elsewhere (Spark)
builds :class:`Evidence` from aggregations instead and has no use for this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from accord.compile.plan import KEY_KINDS, CheckSpec, Plan, runnable
from accord.engines.base import CheckEvidence, Evidence, EvidenceRequest


@dataclass
class RowFailures:
    """What a row engine's pass found: failing rows per check, and checks that could not run."""

    failed: dict[str, np.ndarray | None] = field(default_factory=dict)
    """Check id to its failing rows, or None for a failed whole-column or whole-dataset check."""
    errors: dict[str, str] = field(default_factory=dict)
    """Check id to why it could not be evaluated (an exception in a custom check, say)."""
    skipped: dict[str, str] = field(default_factory=dict)
    """Check id to why the engine did not run it (see ``CheckEvidence.skipped``)."""
    present: dict[str, int] = field(default_factory=dict)
    """Check id to the non-null values of its field, for checks with ``mostly``, where the
    pass counted them (else ``present`` is asked)."""
    unknown: dict[str, np.ndarray] = field(default_factory=dict)
    """Rule check id to its failing rows where the assertion was unknown (null), where the
    pass found them (else ``null_rows`` is asked)."""
    observed: dict[str, Any] = field(default_factory=dict)
    """Check id to the statistic a failed whole-column or whole-dataset check saw, where the
    library that judged it reports one (GX's ``observed_value``): the report then shows what
    judged the data, not a recomputation. Checks not here are asked of ``aggregate``."""


@runtime_checkable
class RowEngine(Protocol):
    """What :func:`gather` asks of an engine that knows row positions."""

    def failures(
        self, plan: Plan, frame: Any, present: set[str], references: Mapping[str, Any]
    ) -> RowFailures: ...
    def values_at(self, frame: Any, column: str, rows: np.ndarray) -> list[Any]: ...
    def aggregate(self, frame: Any, spec: CheckSpec) -> Any: ...
    def null_rows(self, frame: Any, spec: CheckSpec) -> np.ndarray: ...
    def distinct_keys(self, frame: Any, columns: Sequence[str], rows: np.ndarray) -> int: ...
    def present(self, frame: Any, spec: CheckSpec) -> int: ...


class GathersEvidence:
    """The :class:`~accord.engines.base.Evaluator` of a :class:`RowEngine`: mix it in."""

    def evaluate(
        self,
        plan: Plan,
        frame: Any,
        present: set[str],
        references: Mapping[str, Any],
        request: EvidenceRequest,
    ) -> Evidence:
        assert isinstance(self, RowEngine)  # a mixin for row engines only
        return gather(self, plan, frame, present, references, request)


def gather(
    engine: RowEngine,
    plan: Plan,
    frame: Any,
    present: set[str],
    references: Mapping[str, Any],
    request: EvidenceRequest,
) -> Evidence:
    """Evaluate ``plan`` on ``frame`` with ``engine`` and keep the evidence the run reports."""
    found = engine.failures(plan, frame, present, references)
    evidence = Evidence()
    for check_id, error in found.errors.items():
        evidence.checks[check_id] = CheckEvidence(error=error)
    for check_id, reason in found.skipped.items():
        evidence.checks[check_id] = CheckEvidence(skipped=reason)
    specs = {spec.check_id: spec for spec in plan.all_checks()}
    failing: list[np.ndarray] = []
    for check_id, failed in found.failed.items():
        spec = specs[check_id]
        if failed is None:  # a whole-column or whole-dataset verdict
            if check_id in found.observed:
                observed = found.observed[check_id]
            else:
                observed = engine.aggregate(frame, spec)
            evidence.checks[check_id] = CheckEvidence(failed=True, observed=observed)
            continue
        rows = _counted(spec, failed, request)
        if not rows.size:
            continue
        positions = rows
        if request.positions is not None:
            rows = rows[np.argsort(request.positions[rows], kind="stable")]
            positions = request.positions[rows]
        unknown = found.unknown.get(check_id)
        evidence.checks[check_id] = _evidence(
            engine, spec, frame, (rows, positions), request, unknown
        )
        if spec.mostly is not None:
            evidence.checks[check_id].held = positions
        elif spec.severity != "info":
            failing.append(positions)
    for spec in runnable(plan, present, references):
        # a row-level field check: its field is in the frame
        if spec.mostly is not None and spec.check_id not in found.skipped:
            shown = evidence.checks.setdefault(spec.check_id, CheckEvidence())
            counted = found.present.get(spec.check_id)
            shown.present = engine.present(frame, spec) if counted is None else counted
    kept = np.unique(np.concatenate(failing)) if failing else np.array([], dtype=np.int64)
    evidence.failing_rows, evidence.failing_row_count = kept, len(kept)
    return evidence


def _counted(spec: CheckSpec, rows: np.ndarray, request: EvidenceRequest) -> np.ndarray:
    """The failing rows that count: a cell that could not be read is already a ``field.type``
    violation, and the null it left behind must not fail the row again."""
    columns = [spec.field or ""] if spec.kind == "nullable" else list(spec.columns)
    unreadable = [request.unreadable[c] for c in columns if c in request.unreadable]
    if not unreadable:
        return rows
    return rows[~np.isin(rows, np.concatenate(unreadable))]


def _evidence(
    engine: RowEngine,
    spec: CheckSpec,
    frame: Any,
    failing: tuple[np.ndarray, np.ndarray],
    request: EvidenceRequest,
    unknown: np.ndarray | None,
) -> CheckEvidence:
    """``failing``: the rows that count, and where each is (as the examples give it)."""
    rows, positions = failing
    found = CheckEvidence(count=len(rows))
    if spec.kind in KEY_KINDS:
        found.distinct_keys = engine.distinct_keys(frame, spec.columns or (spec.field or "",), rows)
    if spec.kind == "rule":
        # the pass gives the unknown rows among the failing ones: all the intersection needs
        if unknown is None:
            unknown = engine.null_rows(frame, spec)
        found.null_skipped = int(np.intersect1d(rows, unknown).size)
    wanted = request.examples_of(spec.check_id)
    shown = rows[:wanted]
    where = positions[:wanted].tolist()
    if not wanted:  # reading no values still costs a pass of the engine per check
        return found
    if spec.field is not None:
        values = engine.values_at(frame, spec.field, shown)
    else:
        by_column = {name: engine.values_at(frame, name, shown) for name in spec.columns}
        values = [{name: by_column[name][i] for name in spec.columns} for i in range(len(shown))]
    found.examples = list(zip(where, values, strict=True))
    return found
