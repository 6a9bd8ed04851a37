"""What the data showed, added up frame by frame: the evidence every verdict is built from.

The first frame settles the schema facts (columns, how each relates to its field's type); then
each frame adds counts, first examples and failing rows per check and per field. A whole read is
one frame; a batched read many; the sums are the same. Only a :class:`SchemaView` is needed to
settle the schema, so a schema-only run gathers with no engine at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.compile.plan import Plan
from accord.contract.fit import Fit
from accord.contract.model import ContractModel
from accord.engines.base import CheckEvidence, SchemaView
from accord.run.options import RunInput

REDACTED = "<redacted>"


@dataclass
class Found:
    """What the data showed against one check or one field's type, added up over frames."""

    count: int = 0
    examples: list[tuple[int, Any]] = field(default_factory=list)
    """(row in the dataset, value as shown) of the first failing rows, at most max_examples."""
    null_skipped: int = 0
    distinct_keys: int = 0
    failed: bool = False
    """A whole-column or whole-dataset verdict failed."""
    observed: Any = None
    error: str | None = None
    skipped: str | None = None
    """Why the engine did not run the check (``CheckEvidence.skipped``)."""
    reason: str = ""
    present: int = 0
    """Non-null values of the check's field (checks with ``mostly`` only)."""
    held: list[np.ndarray] = field(default_factory=list)
    """Failing rows of a check with ``mostly``: they count as failing only if it fails."""


class Gathering:
    """The evidence of one run over ``contract`` (its profile applied), compiled as ``plan``."""

    def __init__(self, contract: ContractModel, plan: Plan, options: RunInput) -> None:
        self.contract = contract
        self.plan = plan
        self.options = options
        self.specs = {spec.check_id: spec for spec in plan.all_checks()}
        self.rows = 0
        self.columns: list[str] = []
        self.fits: dict[str, Fit] = {}
        self.actual: dict[str, str] = {}
        self.judgeable: set[str] = set()
        self.references: dict[str, Any] = {}
        """``in_reference`` check id to the reference values it compares with."""
        self.typed: dict[str, Found] = {}
        self.found: dict[str, Found] = {}
        self.failing: list[np.ndarray] = []
        """Per frame, the dataset rows that failed a check of severity above info."""
        self.failing_counted = 0
        """Failing rows an engine counted without giving their positions."""

    def decide(self, schema: SchemaView, frame: Any) -> None:
        """What the schema says, from the first frame: every later batch has the same dtypes."""
        self.columns = schema.columns(frame)
        for name, spec in self.contract.fields.items():
            if name in self.columns:
                self.fits[name] = schema.fit(spec, frame, name)
                self.actual[name] = schema.dtype_text(frame, name)
        self.judgeable = {name for name, fit in self.fits.items() if fit != "mismatch"}

    def add_unreadable(
        self, name: str, rows: np.ndarray, originals: list[Any], reason: str, start: int
    ) -> None:
        """Cells of field ``name`` (frame ``rows``, the frame starting at dataset row ``start``)
        that could not be read in its type."""
        found = self.typed.setdefault(name, Found(reason=reason))
        found.count += len(rows)
        self.keep(found, (start + rows).tolist(), originals, pii=self.pii(name))

    def add_typed(self, name: str, shown: CheckEvidence, reason: str, start: int) -> None:
        """Values of field ``name`` an engine found it could not hold in the field's type."""
        found = self.typed.setdefault(name, Found(reason=reason))
        found.count += shown.count
        rows = [start + row for row, _ in shown.examples]
        self.keep(found, rows, [value for _, value in shown.examples], pii=self.pii(name))

    def add_evidence(self, checks: Mapping[str, CheckEvidence], start: int = 0) -> None:
        """Add what a frame whose rows start at dataset row ``start`` showed per check."""
        for check_id, shown in checks.items():
            found = self.found.setdefault(check_id, Found())
            if shown.error is not None:
                found.error = shown.error
            if shown.skipped is not None:
                found.skipped = shown.skipped
            if shown.failed:
                found.failed, found.observed = True, shown.observed
            found.count += shown.count
            found.distinct_keys += shown.distinct_keys
            found.null_skipped += shown.null_skipped
            found.present += shown.present
            if shown.held is not None and len(shown.held):
                found.held.append(start + shown.held)
            spec = self.specs[check_id]
            rows = [start + row for row, _ in shown.examples]
            values = [value for _, value in shown.examples]
            if spec.field is None:  # records of several columns: redact the pii ones
                values = [self.redacted(record) for record in values]
            self.keep(found, rows, values, pii=self.pii(spec.field))

    def add_failing(
        self, rows: np.ndarray | None, count: int, start: int, more: list[np.ndarray]
    ) -> None:
        """Rows that failed a check above info severity, with ``more`` dataset rows (cells that
        could not be read). An engine that only counts its rows gives a count: rows of one
        frame are never rows of another."""
        if rows is None:
            self.failing_counted += count
            rows = np.array([], dtype=np.int64)
        parts = [start + rows, *more]
        if any(len(part) for part in parts):
            self.failing.append(np.unique(np.concatenate(parts)))

    def failing_rows(self) -> int:
        """Distinct rows that failed a check above info severity, over every frame."""
        failing = np.unique(np.concatenate(self.failing)) if self.failing else np.array([])
        return len(failing) + self.failing_counted

    def keep(self, found: Found, rows: list[int], values: list[Any], *, pii: bool) -> None:
        room = self.options.max_examples - len(found.examples)
        for row, value in zip(rows[:room], values[:room], strict=False):
            found.examples.append((row, REDACTED if pii else value))

    def redacted(self, record: Mapping[str, Any]) -> dict[str, Any]:
        return {name: REDACTED if self.pii(name) else value for name, value in record.items()}

    def pii(self, name: str | None) -> bool:
        spec = self.contract.fields.get(name) if name else None
        return bool(spec and spec.pii)
