"""Row-rule assertions evaluated on a pandas DataFrame.

pandas columns arrive as numpy, nullable, pyarrow-backed or object dtypes, and each family has its
own idea of missing values and of mixed-type arithmetic. Rather than rely on those, every column is
turned into a plain numpy array plus a null mask, and each operation computes only on rows where
its operands are present. That makes the semantics ours and identical to
:mod:`accord.compile.expr_polars`:

* NaN is null; arithmetic and comparisons are null when an operand is null; ``and``/``or``/``not``
  follow Kleene logic; ``is [not] null`` is never null.
* Integers compute as int64 and floats as float64 (polars does the same after casting).
* Integer ``+ - *`` and negation never wrap (SPEC 1.5): a result beyond int64 fails the row
  whatever the rest of the assertion says, as polars' Int128-checked arithmetic does.
* ``/`` is true division; dividing by zero gives null, not ``inf``.
* ``x in (a, b)`` is ``x == a or x == b`` under Kleene logic.

Type errors (``'a' + 1``, ``and`` on numbers) raise ``TypeError``; the contract loader reports them
earlier through ``infer_kind``.
"""

from __future__ import annotations

import math
import operator
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, assert_never

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.types import infer_dtype

from accord.contract.expressions import (
    Arithmetic,
    Comparison,
    Expr,
    FieldRef,
    InList,
    IsNull,
    Literal,
    LiteralValue,
    Logical,
    Negate,
    Not,
)

__all__ = ["evaluate_pandas"]

Mask = npt.NDArray[np.bool_]
# "null" is a column with no values at all (object dtype of Nones): it combines with anything.
VectorKind = typing.Literal[
    "number", "string", "bool", "date", "datetime", "datetime_tz", "null", "object"
]
_TEMPORAL = frozenset({"date", "datetime"})
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.true_divide,
}


@dataclass(frozen=True, slots=True)
class _Vector:
    """One value per row; ``values`` is meaningless where ``null`` is set."""

    kind: VectorKind
    values: npt.NDArray[Any]
    null: Mask


def evaluate_pandas(expr: Expr, frame: pd.DataFrame) -> pd.Series:
    """The assertion per row as a ``boolean`` Series on ``frame.index``; ``<NA>`` when unknown."""
    evaluator = _Evaluator(frame)
    result = _condition(evaluator.evaluate(expr), "an assertion")
    # Copies, so the result never shares memory with the caller's frame.
    values = np.array(result.values, dtype=bool, copy=True)
    null = np.array(result.null, dtype=bool, copy=True)
    values[evaluator.overflow] = False  # an overflow fails the row, never unknown
    null[evaluator.overflow] = False
    array = pd.arrays.BooleanArray(values, null)
    return pd.Series(array, index=frame.index, dtype="boolean")


class _Evaluator:
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.rows = len(frame)
        self.overflow = np.zeros(self.rows, dtype=bool)
        """Rows where integer arithmetic left int64."""

    def evaluate(self, expr: Expr) -> _Vector:
        match expr:
            case Literal(value):
                return self.literal(value)
            case FieldRef(name):
                return self.column(name)
            case Negate(operand):
                vector = _number(self.evaluate(operand), "negation")
                zero = self.literal(0)
                return _arithmetic("-", zero, vector, self.overflow)
            case Arithmetic(op, left, right):
                return _arithmetic(op, self.evaluate(left), self.evaluate(right), self.overflow)
            case Comparison(op, left, right):
                return _compare(op, self.evaluate(left), self.evaluate(right))
            case Not(operand):
                vector = _condition(self.evaluate(operand), "'not'")
                return _Vector("bool", ~vector.values & ~vector.null, vector.null)
            case Logical(op, left, right):
                lhs = _condition(self.evaluate(left), f"'{op}'")
                rhs = _condition(self.evaluate(right), f"'{op}'")
                return _and(lhs, rhs) if op == "and" else _or(lhs, rhs)
            case IsNull(operand, negated):
                missing = self.evaluate(operand).null
                return _Vector("bool", ~missing if negated else missing.copy(), self.no_nulls())
            case InList(operand, values, negated):
                vector = self.evaluate(operand)
                found = _compare("==", vector, self.literal(values[0].value))
                for item in values[1:]:
                    found = _or(found, _compare("==", vector, self.literal(item.value)))
                if negated:
                    return _Vector("bool", ~found.values & ~found.null, found.null)
                return found
            case _:
                assert_never(expr)

    def no_nulls(self) -> Mask:
        return np.zeros(self.rows, dtype=bool)

    def literal(self, value: LiteralValue) -> _Vector:
        if isinstance(value, bool):
            return _Vector("bool", np.full(self.rows, value), self.no_nulls())
        if isinstance(value, int):
            return _Vector("number", np.full(self.rows, value, dtype=np.int64), self.no_nulls())
        if isinstance(value, float):
            missing = np.full(self.rows, math.isnan(value))
            return _Vector("number", np.full(self.rows, value, dtype=np.float64), missing)
        if isinstance(value, str):
            return _Vector("string", np.full(self.rows, value, dtype=object), self.no_nulls())
        return _Vector("null", self.no_nulls(), np.ones(self.rows, dtype=bool))

    def column(self, name: str) -> _Vector:
        if name not in self.frame.columns:
            raise KeyError(f"column {name!r} is not in the data")
        series = self.frame[name]
        if not isinstance(series, pd.Series):
            raise ValueError(f"column name {name!r} appears more than once in the data")
        return _column_vector(series)


def _column_vector(series: pd.Series) -> _Vector:
    null = np.asarray(series.isna(), dtype=bool)
    inferred = infer_dtype(series, skipna=True)
    if inferred == "boolean":
        return _Vector("bool", series.to_numpy(dtype=bool, na_value=False), null)
    storage = series.dtype
    numpy_dtype = (
        storage if isinstance(storage, np.dtype) else getattr(storage, "numpy_dtype", None)
    )
    unsigned_64 = numpy_dtype == np.dtype(np.uint64)
    if inferred == "integer" and not unsigned_64:
        try:
            return _Vector("number", series.to_numpy(dtype=np.int64, na_value=0), null)
        except OverflowError:
            pass  # Python integers beyond int64 (an Int128 column from polars): as uint64
    # uint64 can exceed int64 and decimals have no numpy type: both compute as float64.
    if inferred in ("integer", "floating", "mixed-integer-float", "decimal"):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        return _Vector("number", values, null | np.isnan(values))
    if inferred == "string":
        return _Vector("string", series.to_numpy(dtype=object, na_value=""), null)
    if inferred == "date":
        # Whole seconds hold any calendar date; astype also reads pyarrow date32 columns.
        values = series.astype("datetime64[s]").to_numpy(dtype="datetime64[s]")
        return _Vector("date", values, null)
    if inferred == "datetime" and series.dtype == object:
        # Python datetimes in an object column; mixed time zones stay objects.
        try:
            converted = pd.to_datetime(series)
        except (TypeError, ValueError):
            return _Vector("object", series.to_numpy(dtype=object), null)
        return _column_vector(converted)
    if inferred in ("datetime64", "datetime"):
        zone = series.dt.tz
        if zone is not None:
            # Compare instants: the same moment in two zones is equal, as in polars.
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        unit = f"datetime64[{series.dt.unit}]"
        values = series.to_numpy(dtype=unit, na_value=np.datetime64("NaT"))
        return _Vector("datetime_tz" if zone is not None else "datetime", values, null)
    if inferred == "empty":
        return _Vector("null", np.zeros(len(series), dtype=bool), np.ones(len(series), dtype=bool))
    return _Vector("object", series.to_numpy(dtype=object), null)


def _number(vector: _Vector, what: str) -> _Vector:
    if vector.kind == "null":
        return _Vector("number", np.zeros(len(vector.null), dtype=np.int64), vector.null)
    if vector.kind != "number":
        raise TypeError(f"{what} needs numbers, got {vector.kind} values")
    return vector


def _condition(vector: _Vector, what: str) -> _Vector:
    if vector.kind == "null":
        return _Vector("bool", np.zeros(len(vector.null), dtype=bool), vector.null)
    if vector.kind != "bool":
        raise TypeError(f"{what} needs true/false values, got {vector.kind} values")
    return vector


def _arithmetic(op: str, left: _Vector, right: _Vector, overflow: Mask) -> _Vector:
    """``left op right``; rows whose integer result leaves int64 are set in ``overflow``."""
    left, right = _number(left, f"'{op}'"), _number(right, f"'{op}'")
    present = ~(left.null | right.null)
    if op == "/":
        present &= right.values != 0
    a, b = left.values[present], right.values[present]
    with np.errstate(all="ignore"):
        computed = _ARITHMETIC[op](a, b)
    values = np.zeros(len(present), dtype=computed.dtype)
    values[present] = computed
    null = ~present
    if op != "/" and computed.dtype == np.int64:
        wrapped = np.zeros(len(present), dtype=bool)
        wrapped[present] = _wrapped(op, a, b, computed)
        overflow |= wrapped
        null |= wrapped  # the value computes on as unknown; the row fails through ``overflow``
    if values.dtype.kind == "f":
        # inf - inf and inf / inf give NaN, which must read as null like a NaN in the data.
        null |= np.isnan(values)
    return _Vector("number", values, null)


def _wrapped(
    op: str, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], result: npt.NDArray[np.int64]
) -> Mask:
    """Where int64 ``a op b`` wrapped around to ``result``."""
    if op == "+":  # operands of one sign, a result of the other
        return np.asarray(((a ^ result) & (b ^ result)) < 0)
    if op == "-":
        return np.asarray(((a ^ b) & (a ^ result)) < 0)
    # A product beyond int64 is beyond 2**62 in floats too, whatever their rounding; only
    # those few rows are multiplied again exactly.
    wrapped = np.zeros(len(result), dtype=bool)
    with np.errstate(all="ignore"):
        near = np.flatnonzero(np.abs(a.astype(np.float64) * b.astype(np.float64)) >= 2.0**62)
    for row in near:
        exact = int(a[row]) * int(b[row])
        wrapped[row] = not -(2**63) <= exact <= 2**63 - 1
    return wrapped


def _comparable(left: VectorKind, right: VectorKind) -> bool:
    if "null" in (left, right) or "object" in (left, right) or left == right:
        return True
    # A date compares with a naive datetime at midnight, as polars casts it.
    return left in _TEMPORAL and right in _TEMPORAL


def _compare(op: str, left: _Vector, right: _Vector) -> _Vector:
    if not _comparable(left.kind, right.kind):
        raise TypeError(f"cannot compare {left.kind} values with {right.kind} values")
    present = ~(left.null | right.null)
    values = np.zeros(len(present), dtype=bool)
    if present.any():
        with np.errstate(all="ignore"):
            values[present] = _COMPARE[op](left.values[present], right.values[present])
    return _Vector("bool", values, ~present)


def _and(left: _Vector, right: _Vector) -> _Vector:
    false = (~left.values & ~left.null) | (~right.values & ~right.null)
    null = ~false & (left.null | right.null)
    return _Vector("bool", ~false & ~null, null)


def _or(left: _Vector, right: _Vector) -> _Vector:
    true = (left.values & ~left.null) | (right.values & ~right.null)
    null = ~true & (left.null | right.null)
    return _Vector("bool", true, null)
