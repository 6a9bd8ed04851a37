"""Row-rule assertions compiled to polars expressions.

The result is a Boolean expression where null means "unknown", so callers choose how an unknown row
counts. Semantics match :mod:`accord.compile.expr_pandas` row for row:

* NaN is null: float columns and float results have NaN turned into null before use.
* Arithmetic and comparisons are null when an operand is null; ``and``/``or``/``not`` follow
  Kleene logic (polars ``&``/``|`` already do); ``is [not] null`` is never null.
* Integers compute as Int64 and floats as Float64 whatever the column width, so overflow, literal
  typing and precision do not depend on how a column happens to be stored.
* Integer ``+ - *`` and negation never wrap (SPEC 1.5): they compute in Int128, which holds any
  result of two Int64 operands, and a result beyond Int64 fails the row whatever the rest of the
  assertion says (the overflow is collected beside the value and applied at the top).
* ``/`` is true division; dividing by zero gives null, not ``inf``.
* ``x in (a, b)`` is ``x == a or x == b`` under Kleene logic, so int/float mixing and nulls behave
  exactly as they do in comparisons.

Dtype-dependent steps use ``Expr.pipe_with_dtype``, which runs when the plan is resolved: the schema
is not known when the expression is built, and ``fill_nan`` fails on non-float columns.
"""

from __future__ import annotations

import math
from typing import assert_never

import polars as pl
import polars.selectors as cs

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
    referenced_fields,
)

__all__ = ["to_polars"]

_MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def to_polars(expr: Expr) -> pl.Expr:
    """The assertion as a Boolean polars expression; null where the row cannot be decided, false
    where integer arithmetic overflowed."""
    overflows: list[pl.Expr] = []
    result = _condition(_build(expr, overflows), "an assertion")
    if overflows:
        overflowed = overflows[0] if len(overflows) == 1 else pl.any_horizontal(overflows)
        result = pl.when(overflowed).then(pl.lit(False)).otherwise(result)
    if not referenced_fields(expr):
        # A constant assertion would otherwise come back as one value, not one per row.
        return pl.repeat(result, pl.len())
    return result


def _build(expr: Expr, overflows: list[pl.Expr]) -> pl.Expr:
    match expr:
        case Literal(value):
            return _literal(value)
        case FieldRef(name):
            return column(name).pipe_with_dtype(_normalise_column)
        case Negate(operand):
            zero = pl.lit(0, dtype=pl.Int64)
            return _arithmetic(
                "-", zero, _number(_build(operand, overflows), "negation"), overflows
            )
        case Arithmetic(op, left, right):
            return _arithmetic(op, _build(left, overflows), _build(right, overflows), overflows)
        case Comparison(op, left, right):
            if referenced_fields(right) and not referenced_fields(left):
                # polars 2.1 drops rows when a constant on the left meets an all-null column
                # produced by when/then (as NaN-to-null is); with the column first it is right.
                return _compare(_MIRRORED[op], _build(right, overflows), _build(left, overflows))
            return _compare(op, _build(left, overflows), _build(right, overflows))
        case Not(operand):
            return ~_condition(_build(operand, overflows), "'not'")
        case Logical(op, left, right):
            lhs, rhs = (
                _condition(_build(left, overflows), f"'{op}'"),
                _condition(_build(right, overflows), f"'{op}'"),
            )
            return lhs & rhs if op == "and" else lhs | rhs
        case IsNull(operand, negated):
            # The operand is already NaN-free, so is_null covers every missing value.
            built = _build(operand, overflows)
            return built.is_not_null() if negated else built.is_null()
        case InList(operand, values, negated):
            built = _build(operand, overflows)
            hits = [_compare("==", built, _literal(item.value)) for item in values]
            # any_horizontal is Kleene: true if one hit is true, null if none is but one is null.
            found = hits[0] if len(hits) == 1 else pl.any_horizontal(hits)
            return ~found if negated else found
        case _:
            assert_never(expr)


def column(name: str) -> pl.Expr:
    """The column called ``name``, whatever characters the name holds."""
    # pl.col reads '*' as every column and '^...$' as a regular expression; by_name never does.
    if name == "*" or (name.startswith("^") and name.endswith("$")):
        return cs.by_name(name).as_expr()
    return pl.col(name)


def _literal(value: LiteralValue) -> pl.Expr:
    if isinstance(value, bool):
        return pl.lit(value, dtype=pl.Boolean)
    if isinstance(value, int):
        return pl.lit(value, dtype=pl.Int64)
    if isinstance(value, float):
        return pl.lit(None if math.isnan(value) else value, dtype=pl.Float64)
    if isinstance(value, str):
        return pl.lit(value, dtype=pl.String)
    return pl.lit(None)


def _normalise_column(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    # UInt64 and Int128 (files that disagree on a column's sign) can exceed Int64 and decimals
    # have no pandas counterpart: all compute as Float64.
    if dtype.is_float() or dtype.is_decimal() or dtype in (pl.UInt64, pl.Int128):
        return column.cast(pl.Float64).fill_nan(None)
    if dtype.is_integer():
        return column.cast(pl.Int64)
    return column


def _arithmetic(op: str, left: pl.Expr, right: pl.Expr, overflows: list[pl.Expr]) -> pl.Expr:
    left, right = _number(left, f"'{op}'"), _number(right, f"'{op}'")
    result: pl.Expr
    if op == "/":
        result = pl.when(right != 0).then(left / right)
    else:
        left, right = left.pipe_with_dtype(_widen), right.pipe_with_dtype(_widen)
        if op == "+":
            wide = left + right
        elif op == "-":
            wide = left - right
        else:
            wide = left * right
        overflows.append(wide.pipe_with_dtype(_overflowed))
        result = wide.pipe_with_dtype(_narrow)
    # inf - inf and inf / inf give NaN, which must read as null like a NaN in the data.
    return result.pipe_with_dtype(_nan_to_null)


def _widen(operand: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    return operand.cast(pl.Int128) if dtype.is_integer() else operand


def _fits_int64(wide: pl.Expr) -> pl.Expr:
    return wide.is_between(pl.lit(_INT64_MIN, pl.Int128), pl.lit(_INT64_MAX, pl.Int128))


def _overflowed(wide: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Int128:
        return (~_fits_int64(wide)).fill_null(value=False)
    return pl.lit(value=False)  # a float result saturates to inf; it never wraps


def _narrow(wide: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    # An out-of-range result is null here so that the value computes on; the row fails through
    # the overflow collected beside it.
    if dtype == pl.Int128:
        return wide.cast(pl.Int64, strict=False)  # null beyond Int64: literals fold eagerly
    return wide


def _nan_to_null(result: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    return result.fill_nan(None) if dtype.is_float() else result


def _compare(op: str, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


def _number(operand: pl.Expr, what: str) -> pl.Expr:
    def check(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        if dtype.is_numeric() or dtype == pl.Null:
            return expr
        raise TypeError(f"{what} needs numbers, got {dtype}")

    return operand.pipe_with_dtype(check)


def _condition(operand: pl.Expr, what: str) -> pl.Expr:
    # Without this check polars would quietly apply '&' bitwise to integers.
    def check(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        if dtype == pl.Boolean:
            return expr
        if dtype == pl.Null:
            return expr.cast(pl.Boolean)
        raise TypeError(f"{what} needs true/false values, got {dtype}")

    return operand.pipe_with_dtype(check)
