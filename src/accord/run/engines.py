"""What the runner needs from an engine, and the two implementations (pandas, polars).

The runner is written once against :class:`Engine`; each method here is a small translation. Row
numbers are always 0-based positions, whatever index a pandas frame carries.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from accord.compile.dtypes_polars import Fit
from accord.compile.plan import CheckSpec, Plan
from accord.contract.model import Field_
from accord.contract.types import INTEGER_RANGES, INTEGER_TYPES


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
    ) -> dict[str, np.ndarray | None]: ...
    def values_at(self, frame: Any, column: str, rows: np.ndarray) -> list[Any]: ...
    def aggregate(self, frame: Any, spec: CheckSpec) -> Any: ...
    def null_count(self, frame: Any, spec: CheckSpec) -> int: ...
    def reference_values(self, frame: Any, column: str, spec: Field_) -> Any: ...
    def distinct_keys(self, frame: Any, columns: Sequence[str], rows: np.ndarray) -> int: ...


def integral_fit(value: Any, logical: str) -> bool:
    """Whether a Python or numpy number is exactly an integer that fits the declared width.

    Text such as ``"1"`` is not a number here: an object column declared integer holding text
    is a type failure, not something to parse.
    """
    if isinstance(value, bool | np.bool_):
        return False
    if isinstance(value, numbers.Integral):
        whole = int(value)
    elif isinstance(value, numbers.Real):
        number = float(value)
        if not number.is_integer():
            return False
        whole = int(number)
    else:
        return False
    low, high = INTEGER_RANGES[logical if logical in INTEGER_TYPES else "int64"]
    return low <= whole <= high


def python_type_fits(value: Any, logical: str) -> bool:
    """Value-by-value typing of object columns (mixed Python types)."""
    if logical in ("string", "category"):
        return isinstance(value, str)
    if logical in INTEGER_TYPES:
        return integral_fit(value, logical)
    if logical in ("float32", "float64", "number"):
        return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    if logical == "bool":
        return isinstance(value, bool)
    return False


def pick_engine(name: str) -> Engine:
    if name == "polars":
        from accord.run.engine_polars import PolarsEngine  # noqa: PLC0415 - engines load lazily

        return PolarsEngine()
    from accord.run.engine_pandas import PandasEngine  # noqa: PLC0415

    return PandasEngine()
