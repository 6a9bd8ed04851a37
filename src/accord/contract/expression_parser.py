"""The tokenizer and precedence-climbing parser of the row-rule assertion language (SPEC 1.5).

Assertions come from contract files that may be untrusted, so they are parsed here and never handed
to ``eval``, ``ast`` or a dataframe ``query``. Pure Python: ``accord lint`` imports it.
"""

from __future__ import annotations

import math
import re
import typing
from dataclasses import dataclass

from accord.contract.expressions import (
    BINARY_PRECEDENCE,
    KEYWORDS,
    MAX_DEPTH,
    MAX_LENGTH,
    PREC_COMPARE,
    PREC_NOT,
    Arithmetic,
    ArithmeticOp,
    Comparison,
    ComparisonOp,
    Expr,
    ExpressionSyntaxError,
    FieldRef,
    InList,
    IsNull,
    Literal,
    Logical,
    LogicalOp,
    Negate,
    Not,
)

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
            if lower in KEYWORDS:
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
            if precedence == PREC_COMPARE:
                left, height = self.comparison(left, height)
                if self.infix_precedence() == PREC_COMPARE:
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
            return PREC_COMPARE if token.text in _COMPARISON_OPS else BINARY_PRECEDENCE[token.text]
        if token.kind == "keyword":
            if token.text in ("and", "or"):
                return BINARY_PRECEDENCE[token.text]
            if token.text in ("is", "in") or (
                token.text == "not" and self.peek(1).kind == "keyword" and self.peek(1).text == "in"
            ):
                return PREC_COMPARE
        return None

    def prefix(self, min_precedence: int) -> _Parsed:
        token = self.peek()
        if token.kind == "keyword" and token.text == "not":
            if min_precedence > PREC_NOT:
                raise self.error("'not' needs parentheses here, as in a == (not b)")
            self.advance()
            operand, height = self.expression(PREC_NOT)
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
            right, right_height = self.expression(PREC_COMPARE + 1)
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


def parse_assertion(text: str) -> Expr:
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
