"""The row-rule assertion language (SPEC 1.5): a tokenizer, a precedence-climbing parser and tools.

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


# ---------------------------------------------------------------------------------------- tokens
TokenKind = typing.Literal["number", "string", "name", "keyword", "op", "punct", "end"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: TokenKind
    text: str  # keywords lower-cased, '=' and '<>' already normalised
    start: int
    end: int
    value: int | float | str | None = None


_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NUMBER_TAIL = re.compile(r"[A-Za-z0-9_.]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KEYWORDS = frozenset({"and", "or", "not", "is", "null", "in", "true", "false"})
_OPERATORS = ("<=", ">=", "==", "!=", "<>", "<", ">", "=", "+", "-", "*", "/")
_SYNONYMS = {"=": "==", "<>": "!="}
_HINTS = {"!": "; use '!=' or 'not'", "&": "; use 'and'", "|": "; use 'or'"}
_INT64 = (-(2**63), 2**63 - 1)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "'\"":
            token = _read_string(text, i)
        elif ch == "`":
            token = _read_backquoted(text, i)
        elif number := _NUMBER.match(text, i):
            token = _read_number(text, i, number.end())
        elif word := _WORD.match(text, i):
            lower = word.group().lower()
            if lower in _KEYWORDS:
                token = _Token("keyword", lower, i, word.end())
            else:
                token = _Token("name", word.group(), i, word.end(), word.group())
        elif ch in "(),":
            token = _Token("punct", ch, i, i + 1)
        else:
            op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
            if op is None:
                hint = _HINTS.get(ch, " (backquote field names that contain spaces or symbols)")
                raise ExpressionSyntaxError(text, i, f"unknown character {ch!r}{hint}")
            token = _Token("op", _SYNONYMS.get(op, op), i, i + len(op))
        tokens.append(token)
        i = token.end
    tokens.append(_Token("end", "", len(text), len(text)))
    return tokens


def _read_number(text: str, start: int, end: int) -> _Token:
    tail = _NUMBER_TAIL.match(text, end)
    if tail is not None and tail.end() > end:
        source = text[start : tail.end()]
        raise ExpressionSyntaxError(text, start, f"malformed number {source!r}")
    source = text[start:end]
    if source.isdigit():
        # The digit-count guard keeps int() away from its own limit on very long literals.
        if len(source.lstrip("0")) > 19:
            raise ExpressionSyntaxError(text, start, f"integer {source} does not fit in 64 bits")
        return _Token("number", source, start, end, int(source))
    value = float(source)
    if math.isinf(value):
        raise ExpressionSyntaxError(text, start, f"number {source} is out of range")
    return _Token("number", source, start, end, value)


def _read_string(text: str, start: int) -> _Token:
    quote, i = text[start], start + 1
    chars: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return _Token("string", text[start : i + 1], start, i + 1, "".join(chars))
        if ch == "\\" and i + 1 < len(text):
            if text[i + 1] not in "\\'\"":
                reason = f"unknown escape '\\{text[i + 1]}' in string (only \\\\, \\' and \\\")"
                raise ExpressionSyntaxError(text, i, reason)
            i += 1
            ch = text[i]
        chars.append(ch)
        i += 1
    raise ExpressionSyntaxError(text, start, "unterminated string")


def _read_backquoted(text: str, start: int) -> _Token:
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        if text[i] == "`":
            if text.startswith("``", i):
                chars.append("`")
                i += 2
                continue
            if not chars:
                raise ExpressionSyntaxError(text, start, "empty field name ``")
            return _Token("name", text[start : i + 1], start, i + 1, "".join(chars))
        chars.append(text[i])
        i += 1
    raise ExpressionSyntaxError(text, start, "unterminated backquoted name")


# ---------------------------------------------------------------------------------------- parser
_OR, _AND, _NOT, _COMPARE, _ADD, _MULTIPLY, _UNARY, _ATOM = range(1, 9)
_BINARY = {"or": _OR, "and": _AND, "+": _ADD, "-": _ADD, "*": _MULTIPLY, "/": _MULTIPLY}
_COMPARISON_OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})
_Parsed = tuple[Expr, int]  # a subtree and its height, kept so depth is checked while parsing


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.nesting = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.peek()
        self.index += 1
        return token

    def error(self, reason: str, token: _Token | None = None) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(self.text, (token or self.peek()).start, reason)

    def unexpected(self, token: _Token) -> ExpressionSyntaxError:
        if token.kind == "end":
            return self.error("unexpected end of expression", token)
        source = self.text[token.start : token.end]
        source = source if len(source) <= 30 else source[:27] + "..."
        shown = source if token.kind == "string" or source.startswith("`") else f"'{source}'"
        return self.error(f"unexpected token {shown}", token)

    def checked(self, node: Expr, height: int, token: _Token) -> _Parsed:
        if height > MAX_DEPTH:
            raise self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)", token)
        return node, height

    def enter(self, token: _Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.error(f"expression nested too deeply (more than {MAX_DEPTH} levels)", token)

    def expression(self, min_precedence: int) -> _Parsed:
        # Every recursion passes through here or unary minus, so counting both bounds the Python
        # stack: deep input fails with a syntax error, never a RecursionError.
        self.enter(self.peek())
        left, height = self.prefix(min_precedence)
        while (precedence := self.infix_precedence()) is not None and precedence >= min_precedence:
            token = self.peek()
            if precedence == _COMPARE:
                left, height = self.comparison(left, height)
                if self.infix_precedence() == _COMPARE:
                    raise self.error("comparisons cannot be chained; join them with 'and'")
                continue
            self.advance()
            right, right_height = self.expression(precedence + 1)
            node: Expr
            if token.text in ("and", "or"):
                node = Logical(typing.cast(LogicalOp, token.text), left, right)
            else:
                node = Arithmetic(typing.cast(ArithmeticOp, token.text), left, right)
            left, height = self.checked(node, 1 + max(height, right_height), token)
        self.nesting -= 1
        return left, height

    def infix_precedence(self) -> int | None:
        token = self.peek()
        if token.kind == "op":
            return _COMPARE if token.text in _COMPARISON_OPS else _BINARY[token.text]
        if token.kind == "keyword":
            if token.text in ("and", "or"):
                return _BINARY[token.text]
            if token.text in ("is", "in") or (
                token.text == "not" and self.peek(1).kind == "keyword" and self.peek(1).text == "in"
            ):
                return _COMPARE
        return None

    def prefix(self, min_precedence: int) -> _Parsed:
        token = self.peek()
        if token.kind == "keyword" and token.text == "not":
            if min_precedence > _NOT:
                raise self.error("'not' needs parentheses here, as in a == (not b)")
            self.advance()
            operand, height = self.expression(_NOT)
            return self.checked(Not(operand), height + 1, token)
        return self.unary()

    def unary(self) -> _Parsed:
        token = self.peek()
        if token.kind != "op" or token.text != "-":
            return self.primary()
        self.advance()
        if self.peek().kind == "number":
            # Folding '-5' into one literal lets render print Literal(-5) as -5 and read it back.
            return self.literal_number(self.advance(), negative=True), 1
        self.enter(token)
        operand, height = self.unary()
        self.nesting -= 1
        return self.checked(Negate(operand), height + 1, token)

    def literal_number(self, token: _Token, *, negative: bool = False) -> Literal:
        value = token.value
        assert isinstance(value, int | float)
        value = -value if negative else value
        if isinstance(value, int) and not _INT64[0] <= value <= _INT64[1]:
            raise self.error(f"integer {'-' * negative}{token.text} does not fit in 64 bits", token)
        return Literal(value)

    def primary(self) -> _Parsed:
        token = self.advance()
        if token.kind == "number":
            return self.literal_number(token), 1
        if token.kind == "string":
            return Literal(token.value), 1
        if token.kind == "name":
            assert isinstance(token.value, str)
            return FieldRef(token.value), 1
        if token.kind == "keyword" and token.text in ("true", "false"):
            return Literal(token.text == "true"), 1
        if token.kind == "keyword" and token.text == "null":
            raise self.error("null is not a value; use 'is null' to test for null", token)
        if token.text == "(" and token.kind == "punct":
            inner, height = self.expression(0)
            if self.peek().text != ")" or self.peek().kind != "punct":
                closing = self.peek()
                found = "end of expression" if closing.kind == "end" else f"'{closing.text}'"
                reason = f"expected ')' to close the '(' opened at column {token.start + 1}"
                raise self.error(f"{reason}, found {found}")
            self.advance()
            return inner, height
        raise self.unexpected(token)

    def comparison(self, left: Expr, height: int) -> _Parsed:
        token = self.advance()
        if token.kind == "op":
            right, right_height = self.expression(_COMPARE + 1)
            node = Comparison(typing.cast(ComparisonOp, token.text), left, right)
            return self.checked(node, 1 + max(height, right_height), token)
        if token.text == "is":
            negated = self.peek().kind == "keyword" and self.peek().text == "not"
            if negated:
                self.advance()
            if self.peek().kind != "keyword" or self.peek().text != "null":
                raise self.error("expected 'null' or 'not null' after 'is'")
            self.advance()
            return self.checked(IsNull(left, negated), height + 1, token)
        negated = token.text == "not"
        if negated:
            self.advance()  # the 'in' that infix_precedence saw after 'not'
        return self.checked(InList(left, self.in_list(), negated), height + 1, token)

    def in_list(self) -> tuple[Literal, ...]:
        opening = self.advance()
        if opening.text != "(" or opening.kind != "punct":
            raise self.error("expected '(' after 'in'", opening)
        if self.peek().text == ")" and self.peek().kind == "punct":
            raise self.error("'in' list is empty")
        values: list[Literal] = []
        while True:
            token = self.advance()
            if token.kind == "op" and token.text == "-" and self.peek().kind == "number":
                values.append(self.literal_number(self.advance(), negative=True))
            elif token.kind == "number":
                values.append(self.literal_number(token))
            elif token.kind == "string":
                values.append(Literal(token.value))
            elif token.kind == "keyword" and token.text in ("true", "false"):
                values.append(Literal(token.text == "true"))
            elif token.kind == "keyword" and token.text == "null":
                raise self.error(
                    "null cannot be in an 'in' list; use 'x is null or x in (...)'", token
                )
            elif token.kind == "end":
                raise self.unexpected(token)
            else:
                raise self.error("'in' list items must be numbers, strings, true or false", token)
            separator = self.advance()
            if separator.kind == "punct" and separator.text == ")":
                return tuple(values)
            if separator.kind != "punct" or separator.text != ",":
                raise self.error("expected ',' or ')' in the 'in' list", separator)


def parse(text: str) -> Expr:
    """Parse an assertion; raise :class:`ExpressionSyntaxError` for anything else."""
    if len(text) > MAX_LENGTH:
        reason = f"expression is longer than {MAX_LENGTH} characters"
        raise ExpressionSyntaxError(text, MAX_LENGTH, reason)
    if not text.strip():
        raise ExpressionSyntaxError(text, 0, "empty expression")
    parser = _Parser(text)
    expr, _ = parser.expression(0)
    if parser.peek().kind != "end":
        raise parser.unexpected(parser.peek())
    return expr


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
            return _render_literal(value), _ATOM
        case FieldRef(name):
            plain = _PLAIN_NAME.match(name) and name.lower() not in _KEYWORDS
            return (name if plain else "`" + name.replace("`", "``") + "`"), _ATOM
        case Negate(operand):
            # Parentheses stop -(5) from being read back as the folded literal -5.
            numeric = isinstance(operand, Literal) and _is_number(operand.value)
            return "-" + (f"({render(operand)})" if numeric else _wrap(operand, _UNARY)), _UNARY
        case Arithmetic(op, left, right) | Logical(op, left, right):
            precedence = _BINARY[op]
            return f"{_wrap(left, precedence)} {op} {_wrap(right, precedence + 1)}", precedence
        case Comparison(op, left, right):
            return f"{_wrap(left, _ADD)} {op} {_wrap(right, _ADD)}", _COMPARE
        case Not(operand):
            return f"not {_wrap(operand, _NOT)}", _NOT
        case IsNull(operand, negated):
            return f"{_wrap(operand, _ADD)} is {'not ' * negated}null", _COMPARE
        case InList(operand, values, negated):
            items = ", ".join(_render_literal(v.value) for v in values)
            return f"{_wrap(operand, _ADD)} {'not ' * negated}in ({items})", _COMPARE
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
