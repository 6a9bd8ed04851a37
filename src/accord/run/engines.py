"""What the runner needs from an engine, and the two implementations (pandas, polars).

The runner is written once against :class:`Engine`; each method here is a small translation. Row
numbers are always 0-based positions, whatever index a pandas frame carries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from accord.compile.dtypes_polars import Fit
from accord.compile.plan import CheckSpec, Plan
from accord.contract.model import Field_


@dataclass
class Evaluation:
    """What evaluating the checks found: failing rows per check, and checks that could not run."""

    failed: dict[str, np.ndarray | None] = field(default_factory=dict)
    """check id to its failing rows, or None for a failed whole-column or whole-dataset check."""
    errors: dict[str, str] = field(default_factory=dict)
    """check id to why it could not be evaluated (an exception in a custom check, say)."""


@dataclass
class Conversion:
    """A column judged value by value: the values that do not fit, and the column without them."""

    column: Any
    rows: np.ndarray
    originals: list[Any]


class Engine(Protocol):
    name: str

    def columns(self, frame: Any) -> list[str]: ...
    def height(self, frame: Any) -> int: ...
    def dtype_text(self, frame: Any, column: str) -> str: ...
    def fit(self, spec: Field_, frame: Any, column: str) -> Fit: ...
    def convert(self, spec: Field_, frame: Any, column: str) -> Conversion: ...
    def with_columns(self, frame: Any, columns: Mapping[str, Any]) -> Any: ...
    def failures(
        self, plan: Plan, frame: Any, present: set[str], references: Mapping[str, Any]
    ) -> Evaluation: ...
    def values_at(self, frame: Any, column: str, rows: np.ndarray) -> list[Any]: ...
    def aggregate(self, frame: Any, spec: CheckSpec) -> Any: ...
    def present(self, frame: Any, spec: CheckSpec) -> int: ...
    def null_rows(self, frame: Any, spec: CheckSpec) -> np.ndarray: ...
    def reference_values(self, frame: Any, column: str, spec: Field_) -> Any: ...
    def distinct_keys(self, frame: Any, columns: Sequence[str], rows: np.ndarray) -> int: ...


def pick_engine(name: str) -> Engine:
    if name == "polars":
        from accord.run.engine_polars import PolarsEngine  # noqa: PLC0415 - engines load lazily

        return PolarsEngine()
    from accord.run.engine_pandas import PandasEngine  # noqa: PLC0415

    return PandasEngine()
