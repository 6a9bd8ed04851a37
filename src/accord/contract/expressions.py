"""The row-rule assertion language (SPEC 1.5): its syntax tree, type checking and tools.

The tokenizer and the precedence-climbing parser live apart, in ``expression_parser``.

Assertions come from contract files that may be untrusted, so they are parsed here and never handed
to ``eval``, ``ast`` or a dataframe ``query``. The grammar, loosest binding first::

    or  <  and  <  not  <  == != < <= > >= / is [not] null / [not] in (...)  <  + -  <  * /  <  -x

Comparisons do not chain (``0 < x < 9`` is an error, not Python's chain). This module is imported by
``accord lint``, so it must stay pure Python: no dataframe library is imported here.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, assert_never

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Arithmetic",
    "ArithmeticOp",
    "Comparison",
    "ComparisonOp",
    "Expr",
    "ExpressionSyntaxError",
    "FieldRef",
    "InList",
    "IsNull",
    "Kind",
    "Literal",
    "Logical",
    "LogicalOp",
    "Negate",
    "Not",
    "infer_kind",
    "parse",
    "referenced_fields",
    "render",
]

MAX_LENGTH: Final = 10_000
MAX_DEPTH: Final = 100

ArithmeticOp = typing.Literal["+", "-", "*", "/"]
ComparisonOp = typing.Literal["==", "!=", "<", "<=", ">", ">="]
LogicalOp = typing.Literal["and", "or"]
Kind = typing.Literal["number", "string", "bool", "temporal", "other"]
LiteralValue = int | float | str | bool | None

# The grammar's facts that parsing and rendering share: binding strength, loosest first, and the
# words and names that need no backquotes.
PREC_OR, PREC_AND, PREC_NOT, PREC_COMPARE, PREC_ADD, PREC_MULTIPLY, PREC_UNARY, PREC_ATOM = range(
    1, 9
)
BINARY_PRECEDENCE = {
    "or": PREC_OR,
    "and": PREC_AND,
    "+": PREC_ADD,
    "-": PREC_ADD,
    "*": PREC_MULTIPLY,
    "/": PREC_MULTIPLY,
}
KEYWORDS = frozenset({"and", "or", "not", "is", "null", "in", "true", "false"})
PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, slots=True)
class Literal:
    value: LiteralValue

    # Python's 1 == 1.0 == True would make Literal(1), Literal(1.0) and Literal(True) equal although
    # they render and evaluate differently; AST equality has to see the type.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Literal):
            return NotImplemented
        return type(self.value) is type(other.value) and self.value == other.value

    def __hash__(self) -> int:
        return hash((type(self.value), self.value))


@dataclass(frozen=True, slots=True)
class FieldRef:
    name: str


@dataclass(frozen=True, slots=True)
class Negate:
    operand: Expr


@dataclass(frozen=True, slots=True)
class Arithmetic:
    op: ArithmeticOp
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Comparison:
    op: ComparisonOp
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class Logical:
    op: LogicalOp
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class IsNull:
    operand: Expr
    negated: bool


@dataclass(frozen=True, slots=True)
class InList:
    operand: Expr
    values: tuple[Literal, ...]
    negated: bool


Expr = Literal | FieldRef | Negate | Arithmetic | Comparison | Not | Logical | IsNull | InList


class ExpressionSyntaxError(ValueError):
    """An assertion that does not parse; ``position`` is the 0-based offset of the culprit."""

    def __init__(self, expression: str, position: int, reason: str) -> None:
        self.expression = expression
        self.position = position
        self.reason = reason
        super().__init__(f"{reason} at column {position + 1}")

    def __reduce__(self) -> tuple[type[ExpressionSyntaxError], tuple[str, int, str]]:
        # The default would re-create the error from the message alone and fail to unpickle.
        return type(self), (self.expression, self.position, self.reason)

    def caret(self, width: int = 100) -> str:
        """The expression and a ``^`` under the culprit, windowed so long expressions stay short."""
        text = "".join(" " if ch.isspace() else ch for ch in self.expression)
        start = max(0, min(self.position - width // 2, len(text) - width))
        line = text[start : start + width]
        offset = self.position - start
        if start > 0:
            line, offset = "..." + line, offset + 3
        if start + width < len(text):
            line += "..."
        return f"{line}\n{' ' * offset}^"


def parse(text: str) -> Expr:
    """Parse an assertion; raise :class:`ExpressionSyntaxError` for anything else (see
    :mod:`accord.contract.expression_parser`)."""
    from accord.contract.expression_parser import parse_assertion  # noqa: PLC0415 - one-way

    return parse_assertion(text)


# ----------------------------------------------------------------------------------------- tools
def _children(expr: Expr) -> tuple[Expr, ...]:
    match expr:
        case Literal() | FieldRef():
            return ()
        case Negate(operand) | Not(operand) | IsNull(operand) | InList(operand):
            return (operand,)
        case Arithmetic(_, left, right) | Comparison(_, left, right) | Logical(_, left, right):
            return (left, right)
        case _:
            assert_never(expr)


def referenced_fields(expr: Expr) -> tuple[str, ...]:
    """Field names in order of first appearance, each once."""
    seen: dict[str, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, FieldRef):
            seen.setdefault(node.name)
        stack.extend(reversed(_children(node)))
    return tuple(seen)


def render(expr: Expr) -> str:
    """Canonical text with only the parentheses needed; ``parse(render(e)) == e``.

    ``Literal(None)`` renders as ``null``, which ``parse`` rejects: the parser never produces it.
    """
    return _render(expr)[0]


def _render(expr: Expr) -> tuple[str, int]:
    match expr:
        case Literal(value):
            return _render_literal(value), PREC_ATOM
        case FieldRef(name):
            plain = PLAIN_NAME.match(name) and name.lower() not in KEYWORDS
            return (name if plain else "`" + name.replace("`", "``") + "`"), PREC_ATOM
        case Negate(operand):
            # Parentheses stop -(5) from being read back as the folded literal -5.
            numeric = isinstance(operand, Literal) and _is_number(operand.value)
            return "-" + (
                f"({render(operand)})" if numeric else _wrap(operand, PREC_UNARY)
            ), PREC_UNARY
        case Arithmetic(op, left, right) | Logical(op, left, right):
            precedence = BINARY_PRECEDENCE[op]
            return f"{_wrap(left, precedence)} {op} {_wrap(right, precedence + 1)}", precedence
        case Comparison(op, left, right):
            return f"{_wrap(left, PREC_ADD)} {op} {_wrap(right, PREC_ADD)}", PREC_COMPARE
        case Not(operand):
            return f"not {_wrap(operand, PREC_NOT)}", PREC_NOT
        case IsNull(operand, negated):
            return f"{_wrap(operand, PREC_ADD)} is {'not ' * negated}null", PREC_COMPARE
        case InList(operand, values, negated):
            items = ", ".join(_render_literal(v.value) for v in values)
            return f"{_wrap(operand, PREC_ADD)} {'not ' * negated}in ({items})", PREC_COMPARE
        case _:
            assert_never(expr)


def _wrap(expr: Expr, min_precedence: int) -> str:
    text, precedence = _render(expr)
    return f"({text})" if precedence < min_precedence else text


def _is_number(value: LiteralValue) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _render_literal(value: LiteralValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot render the non-finite number {value!r}")
    return repr(value)


# -------------------------------------------------------------------------------- type checking
def infer_kind(expr: Expr, field_kinds: Mapping[str, Kind]) -> list[str]:
    """Static type problems, worded for contract authors; empty when the assertion type-checks.

    Unknown fields count as ``other``, compatible with anything: the loader reports them itself.
    """
    problems: list[str] = []
    kind = _kind(expr, field_kinds, problems)
    if kind not in ("bool", "other"):
        problems.append(f"an assertion must be true or false, got {render(expr)} ({kind})")
    return list(dict.fromkeys(problems))


def _kind(expr: Expr, kinds: Mapping[str, Kind], problems: list[str]) -> Kind:
    match expr:
        case Literal(value):
            return _literal_kind(value)
        case FieldRef(name):
            return kinds.get(name, "other")
        case Negate(operand):
            kind = _kind(operand, kinds, problems)
            if kind not in ("number", "other"):
                problems.append(f"negation needs a number, got {render(operand)} ({kind})")
            return "number"
        case Arithmetic(_, left, right):
            for side in (left, right):
                kind = _kind(side, kinds, problems)
                if kind not in ("number", "other"):
                    what = "field" if isinstance(side, FieldRef) else "value"
                    problems.append(f"arithmetic on {kind} {what} {render(side)}")
            return "number"
        case Comparison(_, left, right):
            _compare_kinds(left, right, kinds, problems)
            return "bool"
        case InList(operand, values):
            for item in values:
                _compare_kinds(operand, item, kinds, problems)
            return "bool"
        case IsNull(operand):
            _kind(operand, kinds, problems)
            return "bool"
        case Not(operand):
            kind = _kind(operand, kinds, problems)
            if kind not in ("bool", "other"):
                problems.append(f"'not' needs a boolean operand, got {render(operand)} ({kind})")
            return "bool"
        case Logical(op, left, right):
            for side in (left, right):
                kind = _kind(side, kinds, problems)
                if kind not in ("bool", "other"):
                    problems.append(f"'{op}' needs boolean operands, got {render(side)} ({kind})")
            return "bool"
        case _:
            assert_never(expr)


def _compare_kinds(left: Expr, right: Expr, kinds: Mapping[str, Kind], problems: list[str]) -> None:
    left_kind, right_kind = _kind(left, kinds, problems), _kind(right, kinds, problems)
    if "other" not in (left_kind, right_kind) and left_kind != right_kind:
        problems.append(
            f"cannot compare {render(left)} ({left_kind}) with {render(right)} ({right_kind})"
        )


def _literal_kind(value: LiteralValue) -> Kind:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    return "other" if value is None else "number"
