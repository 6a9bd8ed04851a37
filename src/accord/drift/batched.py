"""Drift of data read in batches: each batch's measured fields summarised and merged, so memory
holds one batch plus a few kilobytes per field, never the columns themselves (``current``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.contract.model import ContractModel
from accord.drift import sketch
from accord.drift.compare import DriftOutcome, check_compatible, measured_drift, measured_fields
from accord.drift.current import Current, summarise
from accord.drift.reference import FieldStats, ReferenceProfile
from accord.drift.stats import read_column

if TYPE_CHECKING:
    from accord.engines.base import Engine

__all__ = ["BatchedDrift"]


class BatchedDrift:
    """Add each batch with :meth:`add`, then read the drift of them all with :meth:`outcome`.

    ``contract`` is the contract as the run sees it (its profile applied); ``engine`` holds the
    batches. The outcome is a whole run's, but ``ks`` (and the median beside it) comes from a
    sketch once a field has more than ``2 * capacity`` finite values, with the error bound in
    its details.
    """

    def __init__(
        self,
        contract: ContractModel,
        reference: ReferenceProfile,
        engine: Engine,
        *,
        capacity: int | None = None,
    ) -> None:
        check_compatible(contract, reference)
        self.contract, self.reference, self.engine = contract, reference, engine
        self.capacity = capacity or sketch.SKETCH_CAPACITY  # read now: tests lower it
        self.rows = 0
        self.columns: set[str] = set()
        self._fields = [n for n in measured_fields(contract) if n in reference.fields]
        self._current: dict[str, Current] = {}
        self._unreadable: dict[str, str] = {}

    @property
    def wanted(self) -> list[str]:
        """The fields a batch needs to hold for drift."""
        return list(self._fields)

    def add(self, frame: Any) -> None:
        """Summarise one batch's measured fields and merge them into the rest."""
        self.rows += self.engine.height(frame)
        self.columns.update(self.engine.columns(frame))
        for name in self._fields:
            if name in self._unreadable or name not in self.columns:
                continue
            stats = self.reference.fields[name]
            try:
                column = read_column(frame, name, stats.kind, self.engine)
            except TypeError as error:
                self._unreadable[name] = str(error)
                self._current.pop(name, None)
                continue
            part = summarise(column, stats, capacity=self.capacity)
            if name in self._current:
                self._current[name].merge(part)
            else:
                self._current[name] = part

    def current(self, name: str, stats: FieldStats) -> Current:  # noqa: ARG002 - Measured's
        if name in self._unreadable:
            raise TypeError(self._unreadable[name])
        return self._current[name]

    def outcome(self) -> DriftOutcome:
        """The drift of every batch added, as :func:`evaluate_drift` finds it of them stacked."""
        return measured_drift(self, self.contract, self.reference)
