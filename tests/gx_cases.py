"""Great Expectations' own expectation test cases, translated into accord contracts and frames.

The cases are GX's ``tests/test_definitions/**/*.json`` (vendored, Apache-2.0, see the README
beside them). Each case holds a dataset, one expectation with its arguments, and GX's expected
``success`` and unexpected values. :func:`translate` turns a case into an accord contract holding
that one rule plus the frame's columns, or says why accord cannot express it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.contract.checks import BaseCheck

DEFINITIONS = Path(__file__).parent / "fixtures" / "gx_test_definitions"
HEADER = "accord: 1\nname: gx\nversion: 1.0.0\n"
MOSTLY_SUPPORTED = "mostly" in BaseCheck.model_fields
# Arguments that change nothing about the verdict of a single run.
IGNORED_ARGS = frozenset({"column", "result_format", "catch_exceptions", "include_config", "meta"})


@dataclass(frozen=True)
class Case:
    expectation: str
    title: str
    data: dict[str, list[Any]]
    pandas_dtypes: dict[str, str]
    args: dict[str, Any]
    out: dict[str, Any]
    error: bool  # GX expects the expectation to raise (bad arguments or data of the wrong kind)

    @property
    def case_id(self) -> str:
        return f"{self.expectation}::{self.title}"

    @property
    def gx_count(self) -> int | None:
        for key in ("unexpected_list", "unexpected_index_list"):
            if key in self.out and self.out[key] is not None:
                return len(self.out[key])
        return None


@dataclass
class Translated:
    contract: str
    columns: dict[str, list[Any]]
    via_csv: bool = False  # a strict `format` applies to text sources only


class NotExpressible(Exception):  # noqa: N818 - a verdict about a case, not an error
    """accord has no rule for this expectation or for one of its arguments."""


def _applies(item: dict[str, Any]) -> bool:
    only = item.get("only_for")
    if only is not None and not any(name.startswith("pandas") for name in only):
        return False
    return "pandas" not in item.get("suppress_test_for", [])


def load_cases() -> Iterator[Case]:
    """Every case GX runs on pandas, in file order."""
    for path in sorted(DEFINITIONS.rglob("*.json")):
        definition = json.loads(path.read_text(encoding="utf-8"))
        seen: dict[str, int] = {}
        expectation = definition["expectation_type"]
        for dataset in definition["datasets"]:
            if not _applies(dataset):
                continue
            dtypes = dataset.get("schemas", {}).get("pandas", {})
            for test in dataset["tests"]:
                if _applies(test):
                    out = test.get("out") or {}
                    error = "error" in test or "traceback_substring" in out
                    data = dataset["data"]
                    # GX repeats a title once; the second copy becomes "title#2"
                    seen[test["title"]] = seen.get(test["title"], 0) + 1
                    title = test["title"] + (
                        f"#{seen[test['title']]}" if seen[test["title"]] > 1 else ""
                    )
                    yield Case(expectation, title, data, dtypes, test["in"], out, error)


def _type_of(values: list[Any], *, numeric: bool) -> str:
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not present:  # no value says what it holds: the type the expectation reads
        return "float64" if numeric else "string"
    if all(isinstance(v, bool) for v in present) and present:
        return "bool"
    if any(isinstance(v, bool) for v in present):
        raise NotExpressible("a column mixing booleans with other values")
    if all(isinstance(v, int) for v in present) and present:
        return "int64"
    if all(isinstance(v, int | float) for v in present) and present:
        return "float64"
    if all(isinstance(v, str) for v in present):
        return "string"
    raise NotExpressible("a column mixing value types")


def _name(column: str) -> str:
    return json.dumps(column)


def _ref(column: str) -> str:
    return column if column.isidentifier() else f"`{column}`"


def _fields(case: Case, columns: list[str], *, nullable: bool = True, extra: str = "") -> str:
    """The ``fields`` block declaring ``columns``; ``extra`` lines go under the first one."""
    text = "fields:\n"
    for position, column in enumerate(columns):
        dtype = case.pandas_dtypes.get(column, "")
        if "datetime" in dtype or dtype in ("date", "timestamp"):
            raise NotExpressible("a datetime column GX's harness builds from text")
        numeric = case.expectation in _NUMERIC
        declared = _type_of(case.data[column], numeric=numeric) if column in case.data else "string"
        text += f"  {_name(column)}:\n    type: {declared}\n    nullable: {str(nullable).lower()}\n"
        if position == 0:
            text += extra
    return text


def _mostly(case: Case) -> str:
    if "mostly" not in case.args:
        return ""
    if not MOSTLY_SUPPORTED:
        raise NotExpressible("'mostly' is not implemented in this accord yet")
    return f"\n        mostly: {case.args['mostly']}"


def _bounds(case: Case, low: str = "min_value", high: str = "max_value") -> dict[str, Any]:
    bounds = {}
    if case.args.get(low) is not None:
        bounds["min"] = case.args[low]
    if case.args.get(high) is not None:
        bounds["max"] = case.args[high]
    return bounds


def _flow(mapping: dict[str, Any]) -> str:
    return json.dumps(mapping)


def _column_check(case: Case) -> str:
    args, kind = case.args, case.expectation.removeprefix("expect_column_")
    if kind == "values_to_be_between":
        strict_min, strict_max = args.get("strict_min", False), args.get("strict_max", False)
        inclusive = {(False, False): "both", (True, True): "neither"}.get(
            (strict_min, strict_max), "right" if strict_min else "left"
        )
        return "between: " + _flow({**_bounds(case), "inclusive": inclusive}) + _mostly(case)
    if kind in ("values_to_be_in_set", "values_to_not_be_in_set"):
        name = "in" if kind == "values_to_be_in_set" else "not_in"
        return f"{name}: {json.dumps(args['value_set'])}" + _mostly(case)
    if kind == "values_to_match_regex":
        # GX searches (re.search); accord matches the whole value
        return f"pattern: {json.dumps('(?s:.*?)(?:' + args['regex'] + ')(?s:.*)')}" + _mostly(case)
    if kind == "value_lengths_to_be_between":
        return "length: " + _flow(_bounds(case)) + _mostly(case)
    if kind == "value_lengths_to_equal":
        return "length: " + _flow({"min": args["value"], "max": args["value"]}) + _mostly(case)
    aggregates = {
        "mean_to_be_between": "mean_between",
        "median_to_be_between": "median_between",
        "stdev_to_be_between": "stddev_between",
        "unique_value_count_to_be_between": "distinct_count_between",
    }
    if kind in aggregates:
        if args.get("strict_min") or args.get("strict_max"):
            raise NotExpressible("strict bounds on an aggregate")
        return f"{aggregates[kind]}: " + _flow(_bounds(case))
    raise NotExpressible(f"no accord check for {case.expectation}")


def translate(case: Case) -> Translated:
    args = case.args
    if case.expectation not in _KNOWN_ARGS:
        raise NotExpressible(f"no accord check for {case.expectation}")
    unknown = set(args) - IGNORED_ARGS - _KNOWN_ARGS.get(case.expectation, set())
    if unknown:
        raise NotExpressible(f"argument {sorted(unknown)[0]}")
    data = {name: list(values) for name, values in case.data.items()}
    kind = case.expectation
    if kind in ("expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"):
        rows = (
            _bounds(case)
            if kind.endswith("between")
            else {"min": args["value"], "max": args["value"]}
        )
        fields = _fields(case, list(data)[:1]) if data else ""
        return Translated(HEADER + f"dataset:\n  row_count: {_flow(rows)}\n" + fields, data)
    if kind == "expect_column_to_exist":
        return Translated(HEADER + _fields(case, [args["column"]]), data)
    if kind == "expect_compound_columns_to_be_unique":
        columns = args["column_list"]
        unique = f"dataset:\n  unique: [{json.dumps(columns)}]\n"
        return Translated(HEADER + unique + _fields(case, list(dict.fromkeys(columns))), data)
    if kind in _ROW_RULES:
        columns, expression = _ROW_RULES[kind](args)
        rule = json.dumps(expression)
        dataset = f"dataset:\n  rules:\n    - name: gx\n      assert: {rule}\n"
        return Translated(HEADER + dataset + _fields(case, list(dict.fromkeys(columns))), data)
    if "column" not in args:
        raise NotExpressible("no column named")
    column = args["column"]
    if kind == "expect_column_values_to_not_be_null":
        if "mostly" in args:
            raise NotExpressible("'mostly' on nullable")
        return Translated(HEADER + _fields(case, [column], nullable=False), data)
    if kind == "expect_column_values_to_be_unique":
        if "mostly" in args:
            raise NotExpressible("'mostly' on unique")
        return Translated(HEADER + _fields(case, [column], extra="    unique: true\n"), data)
    if kind == "expect_column_values_to_match_strftime_format":
        if "mostly" in args:
            raise NotExpressible("'mostly' on a type")
        fmt = args["strftime_format"]
        declared = "timestamp" if any(part in fmt for part in ("%H", "%M", "%S")) else "date"
        field = f"  {_name(column)}:\n    type: {declared}\n    nullable: true\n"
        text = HEADER + "fields:\n" + field + f"    format: {json.dumps(fmt)}\n"
        return Translated(text, {column: data[column]}, via_csv=True)
    check = f"    checks:\n      - {_column_check(case)}\n"
    return Translated(HEADER + _fields(case, [column], extra=check), data)


def _pair(args: dict[str, Any], op: str) -> tuple[list[str], str]:
    a, b = args["column_A"], args["column_B"]
    comparison = f"{_ref(a)} {op} {_ref(b)}"
    ignore = args.get("ignore_row_if", "both_values_are_missing")
    guard = {
        "both_values_are_missing": f"({_ref(a)} is null and {_ref(b)} is null) or ",
        "either_value_is_missing": f"{_ref(a)} is null or {_ref(b)} is null or ",
        "neither": "",
    }[ignore]
    return [a, b], guard + comparison


def _sum(args: dict[str, Any]) -> tuple[list[str], str]:
    columns = args["column_list"]
    total = " + ".join(_ref(c) for c in columns) + f" == {args['sum_total']}"
    ignore = args.get("ignore_row_if", "all_values_are_missing")
    joiner = {"all_values_are_missing": " and ", "any_value_is_missing": " or "}.get(ignore)
    if joiner is None:
        return columns, total
    return columns, "(" + joiner.join(f"{_ref(c)} is null" for c in columns) + ") or " + total


_ROW_RULES = {
    "expect_column_pair_values_a_to_be_greater_than_b": lambda args: _pair(
        args, ">=" if args.get("or_equal") else ">"
    ),
    "expect_column_pair_values_to_be_equal": lambda args: _pair(args, "=="),
    "expect_multicolumn_sum_to_equal": _sum,
}
_BETWEEN = {"min_value", "max_value", "strict_min", "strict_max"}
_NUMERIC = frozenset(
    {
        "expect_column_values_to_be_between",
        "expect_column_mean_to_be_between",
        "expect_column_median_to_be_between",
        "expect_column_stdev_to_be_between",
    }
)
_KNOWN_ARGS: dict[str, set[str]] = {
    "expect_column_values_to_be_between": _BETWEEN | {"mostly"},
    "expect_column_values_to_be_in_set": {"value_set", "mostly"},
    "expect_column_values_to_not_be_in_set": {"value_set", "mostly"},
    "expect_column_values_to_match_regex": {"regex", "mostly"},
    "expect_column_value_lengths_to_be_between": {"min_value", "max_value", "mostly"},
    "expect_column_value_lengths_to_equal": {"value", "mostly"},
    "expect_column_values_to_not_be_null": {"mostly"},
    "expect_column_values_to_be_unique": {"mostly"},
    "expect_column_values_to_match_strftime_format": {"strftime_format", "mostly"},
    "expect_column_mean_to_be_between": _BETWEEN,
    "expect_column_median_to_be_between": _BETWEEN,
    "expect_column_stdev_to_be_between": _BETWEEN,
    "expect_column_unique_value_count_to_be_between": _BETWEEN,
    "expect_table_row_count_to_be_between": {"min_value", "max_value"},
    "expect_table_row_count_to_equal": {"value"},
    "expect_column_to_exist": set(),
    "expect_compound_columns_to_be_unique": {"column_list"},
    "expect_column_pair_values_a_to_be_greater_than_b": {
        "column_A",
        "column_B",
        "or_equal",
        "ignore_row_if",
    },
    "expect_column_pair_values_to_be_equal": {"column_A", "column_B", "ignore_row_if"},
    "expect_multicolumn_sum_to_equal": {"column_list", "sum_total", "ignore_row_if"},
}
