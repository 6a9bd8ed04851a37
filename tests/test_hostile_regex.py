"""Patterns mean one thing on every engine (SPEC 1.4, docs/semantics.md), or are refused at load.

``\\w+`` on "José" used to pass on polars (Rust ``regex``, Unicode classes) and fail on pandas
(RE2 through pyarrow, ASCII classes); ``\\Z`` passed lint and failed at run time on both. The
acceptance table below pins the meaning value by value and runs it on every engine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import accord
from accord.contract.regex_safety import regex_problem
from accord.contract.regex_syntax import PatternRefusedError, to_rust
from accord.errors import ContractError
from fault_support import HEADER, cli, write

VALUES: list[str | None] = [
    "José",  # 0  precomposed é
    "Jose\u0301",  # 1  e + combining acute accent: five code points
    "٣٤٥",  # 2  Arabic-Indic digits
    "१२३",  # 3  Devanagari digits
    "a\u00a0b",  # 4  no-break space
    "abc\n",  # 5  trailing newline
    "",  # 6  empty string
    "abc",  # 7
    "x²",  # 8  superscript two: a number (No), not a decimal digit, not a word character
    "a\u2003b",  # 9  em space
    "Δ-δ",  # 10 Greek with a hyphen
    "a\x1cb",  # 11 file separator: Python's str.isspace says yes, Unicode White_Space says no
    "a\u203fb",  # 12 undertie, connector punctuation: a word character in Unicode, not in Python
    "ǅa",  # 13 titlecase letter
    None,  # 14 null: the business of `nullable` alone, never a pattern failure
]
ALL = frozenset(range(len(VALUES) - 1))

# pattern -> the rows (indexes into VALUES) that match it in full
MATCHES: list[tuple[str, frozenset[int]]] = [
    (r"\w+", frozenset({0, 1, 2, 3, 7, 12, 13})),
    (r"\d+", frozenset({2, 3})),
    (r"\w\s\w", frozenset({4, 9})),
    (r"\S+", frozenset({0, 1, 2, 3, 7, 8, 10, 11, 12, 13})),
    (r"[^\W\d_]+", frozenset({0, 1, 7, 12, 13})),  # word characters but digits and "_"
    (r"\b\w+\b", frozenset({0, 1, 2, 3, 7, 12, 13})),
    (r"a\b.+", frozenset({4, 9, 11})),  # a word boundary after "a" needs a non-word next
    (r"x\W", frozenset({8})),
    (r"abc", frozenset({7})),  # a full match: "abc\n" is not "abc"
    (r"abc$", frozenset({7})),  # a trailing newline does not match $
    (r"abc\Z", frozenset({7})),  # Python's end of string, rewritten
    (r"abc\n?", frozenset({5, 7})),
    (r"(?m)abc$", frozenset({7})),  # multiline $ before a newline, but the value must end
    (r"(?m)abc$\n", frozenset({5})),
    (r".*", ALL - {5}),  # . never matches a newline
    (r"(?s).*", ALL),
    (r"", frozenset({6})),
    (r".{4}", frozenset({0})),  # code points, not user-perceived characters
    (r"(?i)JOSÉ", frozenset({0})),
    (r"Jos\N{LATIN SMALL LETTER E WITH ACUTE}", frozenset({0})),  # Python-only escape
    (r"(?#a comment)abc", frozenset({7})),  # Python-only comment group
    (r"(?x) a b c  # verbose", frozenset({7})),
    (r"ab{,1}c", frozenset({7})),  # Python-only {,n}
    (r"[^\d\s]+", frozenset({0, 1, 7, 8, 10, 11, 12, 13})),
    (r"\D+", ALL - {2, 3, 6}),
]


def _contract_text(patterns: list[str]) -> str:
    checks = "".join(
        f"  f{i}:\n    type: string\n    nullable: true\n    checks:\n"
        f"      - pattern: {json.dumps(p, ensure_ascii=False)}\n"
        for i, p in enumerate(patterns)
    )
    return HEADER + "fields:\n" + checks


def _frame(kind: str, columns: dict[str, list[Any]]) -> Any:
    if kind == "polars":
        return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    dtype = "string[pyarrow]" if kind == "pandas-arrow" else object
    return pd.DataFrame({name: pd.Series(v, dtype=dtype) for name, v in columns.items()})


def _failing_rows(kind: str) -> dict[str, set[int]]:
    contract = accord.load(_contract_text([p for p, _ in MATCHES]))
    frame = _frame(kind, {f"f{i}": list(VALUES) for i in range(len(MATCHES))})
    report = contract.validate(frame, max_examples=len(VALUES))
    failing: dict[str, set[int]] = {f"f{i}": set() for i in range(len(MATCHES))}
    for violation in report.violations:
        assert violation.check == "pattern", violation
        rows = {example.row for example in violation.examples}
        assert violation.failure_count == len(rows)
        failing[str(violation.field)] = {int(row) for row in rows if row is not None}
    return failing


@pytest.mark.parametrize("kind", ["pandas", "pandas-arrow", "polars"])
def test_engines_agree_on_regex(kind: str) -> None:
    failing = _failing_rows(kind)
    for i, (pattern, matches) in enumerate(MATCHES):
        expected = ALL - matches
        assert failing[f"f{i}"] == expected, (pattern, sorted(failing[f"f{i}"]), kind)


REFUSED: list[tuple[str, str]] = [
    (r"(a)\1", "backreferences cannot run in a linear-time regex engine"),
    (r"(?P<x>a)(?P=x)", "backreferences cannot run in a linear-time regex engine"),
    (r"a(?=b)b", "lookahead/lookbehind cannot run in a linear-time regex engine"),
    (r"(?<!a)b", "negative lookahead/lookbehind cannot run in a linear-time regex engine"),
    (r"(?>a+)", "atomic groups cannot run in a linear-time regex engine"),
    (r"a++", "possessive quantifiers cannot run in a linear-time regex engine"),
    (r"(a)?(?(1)b|c)", "conditional backreferences cannot run in a linear-time regex engine"),
    (r"(?a)\w+", "the ASCII flag (?a) is not supported"),
    (r"x(?a:\d)", "write the ASCII class out instead, such as [A-Za-z0-9_] or [0-9]"),
    (r"\w{300}", "pattern too large for a linear-time regex engine"),
    (r"(a{1000}){1000}", "lower its repeat counts"),
    ("(" * 120 + "a" + ")" * 120, "nests groups and repeats 120 deep, more than the 100"),
    (r"\ud800", "surrogate code point U+D800 can never occur in text"),
    (r"\p{L}", "bad escape \\p at position 0"),  # Python's syntax is the contract's syntax
    (r"[a-", "unterminated character set at position 0"),
]


@pytest.mark.parametrize(("pattern", "reason"), REFUSED)
def test_syntax_no_engine_can_run_alike_is_refused_at_load(pattern: str, reason: str) -> None:
    with pytest.raises(ContractError) as refused:
        accord.load(_contract_text([pattern]))
    (problem,) = refused.value.problems
    assert problem.location == "fields.f0.checks[0].pattern"
    assert (problem.line, problem.column) == (9, 9)
    assert problem.message.startswith("invalid pattern for field f0: ")
    assert reason in problem.message


def test_refused_pattern_exits_2_naming_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contract = write(tmp_path / "contract.yaml", _contract_text([r"\w{300}"]))
    data = write(tmp_path / "data.csv", "f0\nabc\n")
    for args in (("lint", contract), ("validate", contract, data)):
        run = cli(capsys, *args)
        assert run.code == 2
        assert f"{contract}:9:9 fields.f0.checks[0].pattern: invalid pattern" in run.err
        assert "pattern too large" in run.err


@pytest.mark.parametrize(
    "atom", [r"\w", r"\W", r"\d", r"\D", r"\s", r"\S", ".", "[^a]", "a", "é", "(?i:[Ā-ɏ])"]
)
def test_every_size_the_load_accepts_compiles_on_the_engine(atom: str) -> None:
    # The size estimate is an upper bound: whatever the loader lets through, polars compiles.
    def accepted(count: int) -> str | None:
        try:
            return to_rust(f"(?:{atom}){{{count}}}").text
        except PatternRefusedError:
            return None

    low, high = 1, 1 << 20
    assert accepted(high) is None
    while high - low > 1:  # the largest count the loader accepts
        middle = (low + high) // 2
        low, high = (middle, high) if accepted(middle) else (low, middle)
    assert low >= 128  # reasonable repeats such as \w{128} stay allowed
    text = accepted(low)
    assert text is not None and regex_problem(f"(?:{atom}){{{low}}}") is None
    assert pl.Series(["x"]).str.contains(text).len() == 1  # compiles: no size-limit error
    assert regex_problem(f"(?:{atom}){{{high}}}") is not None


def test_rewrite_reads_python_only_syntax_as_python_does() -> None:
    assert to_rust(r"a\Z").text == r"\A(?:a\z)\z"
    assert to_rust("[a&&b]").text == r"\A(?:[a\x{26}b])\z"  # Rust would read && as "and"
    assert to_rust(r"\w+").text == r"\A(?:(?:\w){1,})\z"
    # a literal brace and set-operation look-alikes stay literal characters
    for pattern, value in [("a{", "a{"), ("[a&&b]+", "a&&b"), ("[[a]+", "[a["), (r"\0", "\0")]:
        assert pl.Series([value]).str.contains(to_rust(pattern).text).item(), pattern


_PATTERN_PIECES = [
    *"ab{},019[]^$.*+?|()&-_ ",
    *("\\s", "\\d", "\\w", "\\W", "\\b", "\\B", "\\A", "\\Z", "\\0"),
    *("(?i)", "(?s)", "(?#x)", "{,2}", "(?:", "(?P<n>"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    pieces=st.lists(st.sampled_from(_PATTERN_PIECES), max_size=10),
    values=st.lists(st.text(alphabet="ab{},019&-_ A\t.", max_size=6), min_size=1, max_size=20),
)
def test_rewrite_keeps_pythons_meaning_where_the_classes_agree(
    pieces: list[str], values: list[str]
) -> None:
    # On ASCII text without newlines, Python's re and the pinned Unicode meaning coincide, so the
    # rewritten pattern run by Rust must give exactly re.fullmatch's verdicts.
    pattern = "".join(pieces)
    assume(regex_problem(pattern) is None)
    if "\\B" in pattern:  # Python before 3.14 finds no \B in "", though "" has no \b either
        values = [value for value in values if value]
    expected = [re.fullmatch(pattern, value) is not None for value in values]
    found = pl.Series(values, dtype=pl.String).str.contains(to_rust(pattern).text).to_list()
    assert found == expected, pattern
