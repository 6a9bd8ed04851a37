"""One frame through an engine: convert what fits value by value, evaluate the plan, and add
what it showed to the run's :class:`~accord.run.gathering.Gathering`."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.compile.plan import Plan
from accord.contract.fit import describe
from accord.engines.base import Engine, EvidenceRequest
from accord.errors import UsageError
from accord.run.gathering import Gathering
from accord.run.messages import not_a
from accord.run.options import CellFailures


class FrameEvaluation:
    """Frames of one run, judged by ``engine`` into ``gathered``."""

    def __init__(self, gathered: Gathering, engine: Engine) -> None:
        self.gathered = gathered
        self.engine = engine

    def start(self, frame: Any) -> None:
        """Settle the schema from the first frame and prepare the reference data."""
        self.gathered.decide(self.engine, frame)
        self.gathered.references = self._references()

    def prepare(self, frame: Any, cell_failures: CellFailures) -> tuple[Any, dict[str, Any]]:
        """The frame with every column that fits value by value converted, and per field the
        (rows, originals, reason) of values that could not be read."""
        gathered, engine = self.gathered, self.engine
        replaced: dict[str, Any] = {}
        bad: dict[str, Any] = {}
        present = set(engine.columns(frame))  # a key pass reads a few columns only
        for name, spec in gathered.contract.fields.items():
            if name not in gathered.judgeable or name not in present:
                continue
            if gathered.fits[name] == "convert":
                conversion = engine.convert(spec, frame, name)
                replaced[name] = conversion.column
                if len(conversion.rows):
                    bad[name] = (conversion.rows, conversion.originals, not_a(describe(spec)))
            if name in cell_failures:
                bad[name] = cell_failures[name]
        return engine.with_columns(frame, replaced), bad

    def take(
        self, frame: Any, start: int, cell_failures: CellFailures, plan: Plan | None = None
    ) -> Any:
        """Judge one frame whose first row is row ``start`` of the dataset; return it converted.

        ``plan`` is the checks to run on it, all of them by default."""
        gathered = self.gathered
        frame, bad = self.prepare(frame, cell_failures)
        unreadable: dict[str, np.ndarray] = {}
        for name, (rows, originals, reason) in bad.items():
            gathered.add_unreadable(name, rows, originals, reason, start)
            unreadable[name] = rows
        most = gathered.options.max_examples
        # frames come in dataset order: a check that has its examples needs no more values
        wanted = {
            check_id: max(most - len(found.examples), 0)
            for check_id, found in gathered.found.items()
            if found.examples
        }
        request = EvidenceRequest(max_examples=most, unreadable=unreadable, examples=wanted)
        evidence = self.engine.evaluate(
            plan or gathered.plan, frame, gathered.judgeable, gathered.references, request
        )
        gathered.rows += self.engine.height(frame) if evidence.rows is None else evidence.rows
        for name, shown in evidence.types.items():
            spec = gathered.contract.fields[name]
            reason = gathered.options.type_reasons.get(name) or not_a(describe(spec))
            gathered.add_typed(name, shown, reason, start)
        gathered.add_evidence(evidence.checks, start)
        more = [start + rows for rows in unreadable.values()]
        gathered.add_failing(evidence.failing_rows, evidence.failing_row_count, start, more)
        return frame

    def _references(self) -> dict[str, Any]:
        gathered = self.gathered
        prepared: dict[str, Any] = {}
        for spec in gathered.plan.all_checks():
            if spec.kind != "in_reference":
                continue
            data = gathered.options.references.get(spec.values["dataset"])
            if data is None:
                continue
            column = spec.values["field"]
            columns = list(getattr(data, "columns", []))
            if column not in columns:
                raise UsageError(
                    f"reference dataset '{spec.values['dataset']}' has no column "
                    f"'{column}' (it has: {', '.join(map(str, columns))})"
                )
            prepared[spec.check_id] = self.engine.reference_values(
                data, column, gathered.contract.fields[spec.field or ""]
            )
        return prepared
