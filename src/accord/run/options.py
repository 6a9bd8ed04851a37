"""What a run is asked to do besides the contract and the data, checked before anything is read."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.contract.suggest import did_you_mean
from accord.errors import UsageError

if TYPE_CHECKING:
    from accord.engines.base import Engine
    from accord.run.sources import ReadResult

FAIL_ON = ("error", "warning")

CellFailures = Mapping[str, tuple[np.ndarray, list[Any], str]]
"""Field to (rows, original texts, reason) of cells a reader could not read in the field's type."""


@dataclass
class RunInput:
    """Everything a run needs besides the contract and the data."""

    engine: Engine | None = None
    """What evaluates the values; a schema-only run reads none and has no engine."""
    profile: str | None = None
    references: Mapping[str, Any] = field(default_factory=dict)
    as_of: dt.datetime | None = None
    max_examples: int = 5
    fail_on: str = "error"
    sources: list[str] = field(default_factory=list)
    cell_failures: CellFailures = field(default_factory=dict)
    """Evidence from a reader (one frame only; batches carry their own)."""
    duplicate_columns: list[str] = field(default_factory=list)
    missing_in_files: Mapping[str, list[str]] = field(default_factory=dict)
    null_token_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    locate: Any = None
    """Global row to (file, row in file), when several files were read."""
    type_reasons: Mapping[str, str] = field(default_factory=dict)
    """Field to why its cells cannot be read in its type, when the engine converts text in its
    pass (CSV read by Spark): the reader's words, not only "not an int64"."""
    reference: Any = None
    """Reference statistics (``accord.drift.ReferenceProfile``) to measure drift against."""

    def evaluator(self) -> Engine:
        """The engine, for a run that reads values."""
        if self.engine is None:
            raise UsageError("a run that reads values needs an engine")
        return self.engine

    def __post_init__(self) -> None:
        # checked before any data is read: a typo must not cost a whole validation first
        if self.fail_on not in FAIL_ON:
            raise UsageError(
                f"fail_on takes 'error' or 'warning', not {self.fail_on!r}"
                + did_you_mean(str(self.fail_on), FAIL_ON)
            )
        try:  # any integer, numpy's included; True is not a count
            count = -1 if isinstance(self.max_examples, bool) else operator.index(self.max_examples)
        except TypeError:
            count = -1
        if count < 0:
            raise UsageError(
                "max_examples takes a whole number of examples, 0 or more, not "
                f"{self.max_examples!r}"
            )
        self.max_examples = count


def with_read(options: RunInput, result: ReadResult) -> RunInput:
    """``options`` with what a whole read found beside the frame: the files, the cells that could
    not be read in their field's type, duplicate headers, columns some files lack, null tokens."""
    return replace(
        options,
        sources=[span.path for span in result.files],
        cell_failures=cell_failures_of(result.cell_failures, result.failure_reasons),
        duplicate_columns=list(result.duplicate_columns),
        missing_in_files=dict(result.missing_in_files),
        null_token_counts=dict(result.null_token_counts),
        locate=result.locate if len(result.files) > 1 else None,
    )


def cell_failures_of(
    cells: Mapping[str, Any], reasons: Mapping[str, str]
) -> dict[str, tuple[np.ndarray, list[Any], str]]:
    """A reader's cell failures (per field, a frame of ``row`` and ``value``) as the run takes
    them."""
    return {
        name: (
            failed.get_column("row").to_numpy().astype(np.int64),
            failed.get_column("value").to_list(),
            reasons.get(name, ""),
        )
        for name, failed in cells.items()
    }
