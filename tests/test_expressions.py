"""The row-rule expression language: parser, errors, render, field references and type checks."""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.contract.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Arithmetic,
    Comparison,
    ComparisonOp,
    Expr,
    ExpressionSyntaxError,
    FieldRef,
    InList,
    IsNull,
    Kind,
    Literal,
    Logical,
    Negate,
    Not,
    infer_kind,
    parse,
    referenced_fields,
    render,
)

a, b, c = FieldRef("a"), FieldRef("b"), FieldRef("c")


def lit(value: int | float | str | bool) -> Literal:
    return Literal(value)


# ------------------------------------------------------------------------------------ parsing
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a", a),
        ("a + b * c", Arithmetic("+", a, Arithmetic("*", b, c))),
        ("(a + b) * c", Arithmetic("*", Arithmetic("+", a, b), c)),
        ("a - b - c", Arithmetic("-", Arithmetic("-", a, b), c)),
        ("a / b / c", Arithmetic("/", Arithmetic("/", a, b), c)),
        ("a or b and c", Logical("or", a, Logical("and", b, c))),
        ("a and b or c", Logical("or", Logical("and", a, b), c)),
        ("not a and b", Logical("and", Not(a), b)),
        ("not a == b", Not(Comparison("==", a, b))),
        ("not not a", Not(Not(a))),
        ("a + 1 > b * 2", Comparison(">", Arithmetic("+", a, lit(1)), Arithmetic("*", b, lit(2)))),
        ("-a * b", Arithmetic("*", Negate(a), b)),
        ("--a", Negate(Negate(a))),
        ("-(5)", Negate(lit(5))),
        ("-5", lit(-5)),
        ("a - -5", Arithmetic("-", a, lit(-5))),
        ("a is null", IsNull(a, negated=False)),
        ("a + b is not null", IsNull(Arithmetic("+", a, b), negated=True)),
        ("a in (1, -2, 'x', true)", InList(a, (lit(1), lit(-2), lit("x"), lit(True)), False)),
        ("a not in (2.5)", InList(a, (lit(2.5),), True)),
        ("a is null or a > 0", Logical("or", IsNull(a, False), Comparison(">", a, lit(0)))),
        ("(a > 1) == true", Comparison("==", Comparison(">", a, lit(1)), lit(True))),
    ],
)
def test_precedence_and_associativity(text: str, expected: Expr) -> None:
    assert parse(text) == expected


def test_spec_examples() -> None:
    assert parse("amount >= 0 or parent_id is not null") == Logical(
        "or",
        Comparison(">=", FieldRef("amount"), lit(0)),
        IsNull(FieldRef("parent_id"), negated=True),
    )
    assert parse("temp_min <= temp_max") == Comparison(
        "<=", FieldRef("temp_min"), FieldRef("temp_max")
    )


@pytest.mark.parametrize(
    ("text", "op"),
    [("a = b", "=="), ("a == b", "=="), ("a <> b", "!="), ("a != b", "!="), ("a<=b", "<=")],
)
def test_comparison_synonyms_are_normalised(text: str, op: ComparisonOp) -> None:
    assert parse(text) == Comparison(op, a, b)


def test_keywords_are_case_insensitive() -> None:
    assert parse("a IS NOT NULL AND NOT b Or c iS nUlL") == parse(
        "a is not null and not b or c is null"
    )
    assert parse("a NOT IN (TRUE, False)") == InList(a, (lit(True), lit(False)), True)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("007", 7),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("2.5E-3", 0.0025),
        ("-9223372036854775808", -(2**63)),
        ("9223372036854775807", 2**63 - 1),
        ("'a\\'b'", "a'b"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("'back\\\\slash'", "back\\slash"),
        ("'mixed \"quotes\"'", 'mixed "quotes"'),
        ("true", True),
        ("FALSE", False),
    ],
)
def test_literals(text: str, value: object) -> None:
    parsed = parse(text)
    assert isinstance(parsed, Literal)
    assert type(parsed.value) is type(value)
    assert parsed.value == value


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("`od280/od315`", "od280/od315"),
        ("`a.b`", "a.b"),
        ("`unit price`", "unit price"),
        ("`café`", "café"),
        ("`with``tick`", "with`tick"),
        ("`and`", "and"),
        ("`NULL`", "NULL"),
        ("`1st`", "1st"),
        ("`plain`", "plain"),
        ("_private_9", "_private_9"),
    ],
)
def test_field_names(text: str, name: str) -> None:
    assert parse(f"{text} > 0") == Comparison(">", FieldRef(name), lit(0))


def test_literal_equality_sees_the_type() -> None:
    assert Literal(1) != Literal(1.0)
    assert Literal(1) != Literal(True)
    assert Literal(0) != Literal(False)
    assert Literal("1") != Literal(1)
    assert Literal(1.5) == Literal(1.5)
    assert len({Literal(1), Literal(1.0), Literal(True)}) == 3
    assert parse("a == 1") != parse("a == 1.0")


# ------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("", 0, "empty expression"),
        ("   \n ", 0, "empty expression"),
        ("amount >= 0)", 11, "unexpected token ')'"),
        ("a > 'abc", 4, "unterminated string"),
        ("a > 'abc\\'", 4, "unterminated string"),
        ("`unit price > 1", 0, "unterminated backquoted name"),
        ("a € 1", 2, "unknown character '€'"),
        ("a && b", 2, "unknown character '&'; use 'and'"),
        ("a || b", 2, "unknown character '|'; use 'or'"),
        ("!a", 0, "unknown character '!'"),
        ("a.b > 1", 1, "unknown character '.'"),
        ("a >", 3, "unexpected end of expression"),
        ("(a > 1", 6, "expected ')' to close the '(' opened at column 1"),
        ("a in ()", 6, "'in' list is empty"),
        ("a in (1, null)", 9, "null cannot be in an 'in' list"),
        ("a in (b)", 6, "'in' list items must be numbers, strings, true or false"),
        ("a in 1", 5, "expected '(' after 'in'"),
        ("a in (1 2)", 8, "expected ',' or ')' in the 'in' list"),
        ("a in (1,", 8, "unexpected end of expression"),
        ("a == null", 5, "use 'is null' to test for null"),
        ("null", 0, "use 'is null' to test for null"),
        ("a is 1", 5, "expected 'null' or 'not null' after 'is'"),
        ("0 < a < 9", 6, "comparisons cannot be chained"),
        ("a is null is null", 10, "comparisons cannot be chained"),
        ("a + not b", 4, "'not' needs parentheses here"),
        ("a b", 2, "unexpected token 'b'"),
        ("a and", 5, "unexpected end of expression"),
        ("() > 1", 1, "unexpected token ')'"),
        ("1.2.3 > a", 0, "malformed number '1.2.3'"),
        ("3x > 1", 0, "malformed number '3x'"),
        ("1e > 1", 0, "malformed number '1e'"),
        ("a > 9223372036854775808", 4, "does not fit in 64 bits"),
        ("a > -9223372036854775809", 5, "does not fit in 64 bits"),
        ("a > " + "9" * 5000, 4, "does not fit in 64 bits"),
        ("a > 1e999", 4, "out of range"),
        ("a == '\\n'", 6, "unknown escape '\\n'"),
        ("`` > 1", 0, "empty field name"),
        ("a == +1", 5, "unexpected token '+'"),
        ("'it''s' == a", 4, "unexpected token 's'"),  # no SQL-style doubled quote
    ],
)
def test_syntax_errors_name_the_position(text: str, position: int, reason: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(text)
    error = caught.value
    assert reason in error.reason
    assert error.position == position
    assert error.expression == text
    assert str(error) == f"{error.reason} at column {position + 1}"


def test_error_message_and_caret() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("amount >= 0)")
    assert str(caught.value) == "unexpected token ')' at column 12"
    assert caught.value.caret() == "amount >= 0)\n           ^"
    assert isinstance(caught.value, ValueError)


def test_caret_flattens_newlines_and_points_past_the_end() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("a >\n\tb and")
    assert caught.value.caret() == "a >  b and\n          ^"


def test_caret_windows_long_expressions() -> None:
    text = "a > 1 and " * 60 + "b >"
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(text)
    line, marker = caught.value.caret().split("\n")
    assert line.startswith("...")
    assert len(line) <= 110
    assert marker.index("^") == len(line)  # the end of the text, just past its last character


def test_error_survives_pickling() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("a >")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.expression, copy.position, copy.reason) == ("a >", 3, caught.value.reason)
    assert str(copy) == str(caught.value)


# ------------------------------------------------------------------------------------- limits
def test_length_limit() -> None:
    parse("a" * MAX_LENGTH)
    with pytest.raises(ExpressionSyntaxError, match="longer than 10000 characters"):
        parse("a" * (MAX_LENGTH + 1))


@pytest.mark.parametrize(
    "build",
    [
        lambda n: "(" * n + "a" + ")" * n,
        lambda n: "not " * n + "a",
        lambda n: "-" * n + "a",
        lambda n: " + ".join(["a"] * n) + " > 0",
        lambda n: " and ".join(["a"] * n),
        lambda n: "a + (" * n + "a" + ")" * n,
    ],
    ids=["parentheses", "not", "minus", "sum", "and-chain", "right-nested"],
)
def test_nesting_limit(build: Callable[[int], str]) -> None:
    parse(build(MAX_DEPTH // 2 - 2))
    for depth in (MAX_DEPTH + 1, 1500):  # 1500 levels would overflow a naive recursive parser
        with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
            parse(build(depth))


# ------------------------------------------------------------------------- render and fields
@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("((a))", "a"),
        ("(a + b) + c", "a + b + c"),
        ("a + (b + c)", "a + (b + c)"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a * b) + c", "a * b + c"),
        ("(a + b) * c", "(a + b) * c"),
        ("(a and b) or c", "a and b or c"),
        ("a and (b or c)", "a and (b or c)"),
        ("not (a == b)", "not a == b"),
        ("not (a and b)", "not (a and b)"),
        ("(not a) and b", "not a and b"),
        ("(not a) == b", "(not a) == b"),
        ("(a == b) == c", "(a == b) == c"),
        ("a = 1 AND b <> 'x'", "a == 1 and b != 'x'"),
        ("-(5)", "-(5)"),
        ("-(-5)", "-(-5)"),
        ("- 5", "-5"),
        ("-(a + b)", "-(a + b)"),
        ("(-a) * b", "-a * b"),
        ("a  IS  NOT  NULL", "a is not null"),
        ("(a + 1) is null", "a + 1 is null"),
        ("(a > 1) is null", "(a > 1) is null"),
        ("a NOT IN (1,2.5,'it\\'s')", "a not in (1, 2.5, 'it\\'s')"),
        ("`unit price` > `od280/od315`", "`unit price` > `od280/od315`"),
        ("`plain` > `Or`", "plain > `Or`"),
        ("`a``b` > 1", "`a``b` > 1"),
        ("1e3 > .5", "1000.0 > 0.5"),
        ("a > 1e20", "a > 1e+20"),
        ("'\\\\' == \"'\"", "'\\\\' == '\\''"),
    ],
)
def test_render_is_canonical(text: str, canonical: str) -> None:
    assert render(parse(text)) == canonical
    assert parse(canonical) == parse(text)


def test_render_rejects_non_finite_numbers() -> None:
    with pytest.raises(ValueError, match="non-finite"):
        render(Comparison(">", a, Literal(math.inf)))


def test_referenced_fields_in_order_of_first_appearance() -> None:
    expr = parse("c + a > b or a is null or `x y` in (1) or not c")
    assert referenced_fields(expr) == ("c", "a", "b", "x y")
    assert referenced_fields(parse("1 < 2")) == ()


# ---------------------------------------------------------------------------------- type check
KINDS: dict[str, Kind] = {
    "amount": "number",
    "qty": "number",
    "name": "string",
    "flag": "bool",
    "day": "temporal",
    "other_day": "temporal",
    "blob": "other",
}


@pytest.mark.parametrize(
    "text",
    [
        "amount >= 0 or name is not null",
        "amount * 2 + qty / 3 > -1.5",
        "day < other_day",
        "flag and not flag or flag == true",
        "name in ('a', 'b') and amount not in (1, 2.5)",
        "blob == 'x' and blob > 3 and blob + 1 > 0",
        "unknown_field + 1 > amount and unknown_field",
        "flag",
        "name is null",
    ],
)
def test_well_typed_assertions_have_no_problems(text: str) -> None:
    assert infer_kind(parse(text), KINDS) == []


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("amount == 'x'", ["cannot compare amount (number) with 'x' (string)"]),
        ("name + 1 > 0", ["arithmetic on string field name"]),
        ("'a' * 2 > 0", ["arithmetic on string value 'a'"]),
        ("flag - 1 > 0", ["arithmetic on bool field flag"]),
        ("amount and flag", ["'and' needs boolean operands, got amount (number)"]),
        ("flag or name", ["'or' needs boolean operands, got name (string)"]),
        ("not amount", ["'not' needs a boolean operand, got amount (number)"]),
        ("-name < 0", ["negation needs a number, got name (string)"]),
        ("day > '2024-01-01'", ["cannot compare day (temporal) with '2024-01-01' (string)"]),
        ("day > amount", ["cannot compare day (temporal) with amount (number)"]),
        ("flag == 1", ["cannot compare flag (bool) with 1 (number)"]),
        (
            "amount in (1, 'x', true)",
            [
                "cannot compare amount (number) with 'x' (string)",
                "cannot compare amount (number) with true (bool)",
            ],
        ),
        ("amount + 1", ["an assertion must be true or false, got amount + 1 (number)"]),
        ("name", ["an assertion must be true or false, got name (string)"]),
        (
            "name + 1 > 0 and name + 1 > 0",  # the same problem twice is reported once
            ["arithmetic on string field name"],
        ),
        (
            "(a > 1) + 1 > 0",
            ["arithmetic on bool value a > 1"],
        ),
    ],
)
def test_type_problems(text: str, problems: list[str]) -> None:
    assert infer_kind(parse(text), KINDS) == problems


def test_module_does_not_import_dataframe_libraries() -> None:
    code = (
        "import sys, accord.contract.expressions as e; e.parse('a > 1');"
        "print(sorted(m for m in ('pandas', 'polars', 'pyarrow', 'pandera', 'numpy')"
        " if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------- properties
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_syntax_errors(text: str) -> None:
    try:
        parsed = parse(text)
    except ExpressionSyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert error.caret().count("\n") == 1
    else:
        assert parse(render(parsed)) == parsed


TOKENS = [
    *("a", "b", "`x y`", "`", "1", "-", "2.5", ".5", "1e3", "'s'", "'", '"q"', "(", ")", ","),
    *("+", "*", "/", "==", "=", "!=", "<>", "<", "<=", ">", ">=", "and", "OR", "not", "is"),
    *("null", "in", "true", "false", "\\", "!", ".", "é"),
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=14), st.sampled_from(["", " "]))
def test_token_soup_raises_only_syntax_errors(tokens: list[str], glue: str) -> None:
    text = glue.join(tokens)
    try:
        parsed = parse(text)
    except ExpressionSyntaxError as error:
        assert 0 <= error.position <= len(text)
    else:
        assert parse(render(parsed)) == parsed


literal_values = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    st.booleans(),
)
literals = literal_values.map(Literal)


def _compound(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        children.map(Negate),
        children.map(Not),
        st.builds(Arithmetic, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(
            Comparison, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), children, children
        ),
        st.builds(Logical, st.sampled_from(["and", "or"]), children, children),
        st.builds(IsNull, children, st.booleans()),
        st.builds(
            InList, children, st.lists(literals, min_size=1, max_size=3).map(tuple), st.booleans()
        ),
    )


expressions = st.recursive(
    st.one_of(literals, st.text(min_size=1, max_size=6).map(FieldRef)), _compound, max_leaves=12
)


@settings(max_examples=200, deadline=None)
@given(expressions)
def test_render_round_trips(expr: Expr) -> None:
    text = render(expr)
    assert parse(text) == expr
    assert render(parse(text)) == text
