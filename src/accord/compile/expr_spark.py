"""Row-rule assertions compiled to Spark ``Column`` expressions.

The result is a Boolean column where null means "unknown", so callers choose how an unknown row
counts. Semantics match :mod:`accord.compile.expr_polars` row for row: NaN is null; arithmetic and
comparisons are null when an operand is null; ``and``/``or``/``not`` follow Kleene logic (Spark
SQL's do); integers compute as 64-bit integers and floats as doubles; ``/`` is true division and
dividing by zero gives null; ``x in (a, b)`` is ``x == a or x == b``. Integer arithmetic never
wraps: ``try_add``/``try_subtract``/``try_multiply`` give null on overflow, as the other engines'
checked arithmetic does.

Type errors (``'a' + 1``, ``and`` on numbers) raise ``TypeError`` from the column types given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, assert_never

from pyspark.sql import functions as f  # this module loads only with the Spark engine

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

if TYPE_CHECKING:
    from pyspark.sql import Column

__all__ = ["to_spark"]

_INTEGER = {"tinyint", "smallint", "int", "bigint", "byte", "short", "integer", "long"}
_FLOAT = {"float", "double"}


def to_spark(expr: Expr, types: Mapping[str, str]) -> Column:
    """The assertion as a Boolean column; null where the row cannot be decided. ``types`` maps
    each field the assertion reads to its Spark type name (``DataType.simpleString()``)."""
    column, kind = _build(expr, types)
    if kind not in ("bool", "null"):
        raise TypeError(f"an assertion needs true/false values, got {kind}")
    return column


def _kind_of(type_name: str) -> str:
    if type_name in _INTEGER:
        return "int"
    if type_name in _FLOAT or type_name.startswith("decimal"):
        return "float"
    if type_name == "boolean":
        return "bool"
    if type_name == "string":
        return "string"
    return "other"


def _build(expr: Expr, types: Mapping[str, str]) -> tuple[Column, str]:
    match expr:
        case Literal(value):
            return _literal(value)
        case FieldRef(name):
            kind = _kind_of(types[name])
            column = f.col(f"`{name.replace('`', '``')}`")
            if kind == "int":
                return column.cast("bigint"), kind
            if kind == "float":  # decimals compute as doubles, as on the other engines
                return f.nanvl(column.cast("double"), f.lit(None).cast("double")), kind
            return column, kind
        case Negate(operand):
            column, kind = _number(_build(operand, types), "negation")
            if kind == "int":  # -(-2**63) does not fit: null, never a wrap
                return f.try_subtract(f.lit(0).cast("bigint"), column), kind
            return -column, kind
        case Arithmetic(op, left, right):
            return _arithmetic(op, _build(left, types), _build(right, types))
        case Comparison(op, left, right):
            return _compare(op, _build(left, types)[0], _build(right, types)[0]), "bool"
        case Not(operand):
            return ~_condition(_build(operand, types), "'not'"), "bool"
        case Logical(op, left, right):
            lhs = _condition(_build(left, types), f"'{op}'")
            rhs = _condition(_build(right, types), f"'{op}'")
            return (lhs & rhs if op == "and" else lhs | rhs), "bool"
        case IsNull(operand, negated):
            built, _ = _build(operand, types)
            return (built.isNotNull() if negated else built.isNull()), "bool"
        case InList(operand, values, negated):
            built, _ = _build(operand, types)
            hits = [_compare("==", built, _literal(item.value)[0]) for item in values]
            found = hits[0]
            for hit in hits[1:]:
                found = found | hit  # Kleene: true if one hit is, null if none is but one is null
            return (~found if negated else found), "bool"
        case _:
            assert_never(expr)


def _literal(value: LiteralValue) -> tuple[Column, str]:
    if isinstance(value, bool):
        return f.lit(value), "bool"
    if isinstance(value, int):
        return f.lit(value).cast("bigint"), "int"
    if isinstance(value, float):
        return f.lit(None if math.isnan(value) else value).cast("double"), "float"
    if isinstance(value, str):
        return f.lit(value), "string"
    return f.lit(None), "null"


def _number(built: tuple[Column, str], what: str) -> tuple[Column, str]:
    if built[1] not in ("int", "float", "null"):
        raise TypeError(f"{what} needs numbers, got {built[1]}")
    return built


def _condition(built: tuple[Column, str], what: str) -> Column:
    if built[1] == "null":
        return built[0].cast("boolean")
    if built[1] != "bool":
        raise TypeError(f"{what} needs true/false values, got {built[1]}")
    return built[0]


def _arithmetic(op: str, left: tuple[Column, str], right: tuple[Column, str]) -> tuple[Column, str]:
    (lhs, lkind), (rhs, rkind) = _number(left, f"'{op}'"), _number(right, f"'{op}'")
    integers = lkind in ("int", "null") and rkind in ("int", "null") and op != "/"
    if integers:
        checked = {"+": f.try_add, "-": f.try_subtract, "*": f.try_multiply}[op]
        return checked(lhs.cast("bigint"), rhs.cast("bigint")), "int"
    lhs, rhs = lhs.cast("double"), rhs.cast("double")
    if op == "+":
        result = lhs + rhs
    elif op == "-":
        result = lhs - rhs
    elif op == "*":
        result = lhs * rhs
    else:
        result = f.when(rhs != 0, lhs / rhs)
    # inf - inf and inf / inf give NaN, which must read as null like a NaN in the data
    return f.nanvl(result, f.lit(None).cast("double")), "float"


def _compare(op: str, left: Column, right: Column) -> Column:
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
