"""A Great Expectations suite as an accord contract (``accord import gx``, INTEROP B.3).

Expectations with an accord equivalent become checks, keys and dataset rules; every other one is
kept verbatim under ``x-gx.unmapped`` with the reason, so nothing is dropped without a word.
Column types come from type expectations, or from ``meta.accord.fields`` in a suite accord
exported; the caller supplies the rest (``--data``) or is told which columns lack one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accord.compile.gx_common import ACCORD_SEVERITY, accord_pattern, text_check
from accord.interop.bounds import bounds_to_check
from accord.interop.gx_suite import Expectation, Suite, accord_type, accord_type_of_list

# Arguments that change nothing accord judges (how GX shows or catches results).
_IGNORED = frozenset(
    {
        "result_format",
        "include_config",
        "catch_exceptions",
        "meta",
        "output_strftime_format",
        "batch_id",
        "allow_cross_type_comparisons",
        "auto",
        "profiler_config",
        "rendered_content",
        "windows",
        "notes",
        "id",
        "description",
        "severity",
    }
)
# Arguments that change the meaning in a way accord cannot follow.
_UNSUPPORTED_ARGS = {
    "row_condition": "a row condition limits the rows checked; accord checks every row",
    "condition_parser": "a row condition limits the rows checked; accord checks every row",
    "parse_strings_as_datetimes": "values are parsed as dates by GX first",
    "column_index": "a column position is not an accord rule",
}
_AGGREGATES = {
    "expect_column_mean_to_be_between": "mean_between",
    "expect_column_median_to_be_between": "median_between",
    "expect_column_stdev_to_be_between": "stddev_between",
    "expect_column_unique_value_count_to_be_between": "distinct_count_between",
    "expect_column_proportion_of_unique_values_to_be_between": "unique_fraction_between",
    "expect_column_min_to_be_between": "min_between",
    "expect_column_max_to_be_between": "max_between",
}
_KEY_ORDER = ["type", "tz", "precision", "scale", "format", "required", "nullable", "unique", "pii"]
_NAME = re.compile(r"[^a-z0-9_.-]+")


class Unmappable(Exception):  # noqa: N818 - read as "this expectation is unmappable"
    """An expectation accord cannot express; the message says why."""


@dataclass
class Imported:
    """The contract as plain data, and what could not be said in it."""

    document: dict[str, Any]
    untyped: list[str]
    """Columns with no type from the suite: ``--data`` must give them one."""
    unmapped: list[tuple[str, str]] = field(default_factory=list)
    """(where, reason) for each expectation kept under ``x-gx`` only."""
    notes: list[str] = field(default_factory=list)
    mapped: list[int] = field(default_factory=list)
    """Indexes of the expectations that became part of the contract."""
    moved: list[int] = field(default_factory=list)
    """Indexes of mapped expectations the loader refused, kept under ``x-gx`` after all."""
    origins: dict[str, int] = field(default_factory=dict)
    """Contract path of each imported check, rule or key (``fields.a.checks[0]``,
    ``dataset.rules[1]``, ``dataset.unique[0]``) to the expectation it came from."""


def contract_from_suite(suite: Suite, *, fallback_name: str) -> Imported:
    return _Importer(suite, fallback_name).run()


class _Importer:
    def __init__(self, suite: Suite, fallback_name: str) -> None:
        self.suite = suite
        self.fallback = fallback_name
        self.fields: dict[str, dict[str, Any]] = {}
        self.typed: set[str] = set()
        self.dataset: dict[str, Any] = {}
        self.rules: list[dict[str, Any]] = []
        self.unmapped: list[dict[str, Any]] = []
        self.reasons: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.exported = _accord_meta(suite)
        self.origins: dict[str, int] = {}
        self.mapped: list[int] = []

    def run(self) -> Imported:
        for name, spec in self.exported.get("fields", {}).items():
            self.fields[name] = {**spec, "checks": []}
            self.typed.add(name)
        for expectation in self.suite.expectations:
            try:
                self.expectation(expectation)
            except Unmappable as why:
                self.unmap(expectation, str(why))
            else:
                self.mapped.append(expectation.index)
        if self.rules:
            self.dataset["rules"] = self.rules
        return Imported(
            self.document(),
            self.untyped(),
            self.reasons,
            self.notes,
            mapped=self.mapped,
            origins=self.origins,
        )

    # -- the document -------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        contract = self.exported.get("contract", {})
        name = contract.get("name") or _contract_name(self.suite.name or self.fallback)
        document: dict[str, Any] = {
            "accord": 1,
            "name": name,
            "version": contract.get("version") or "0.1.0",
            "description": f"Imported from Great Expectations suite "
            f"{self.suite.name or self.fallback!r} (GX {self.suite.flavor}).",
        }
        if self.dataset:
            document["dataset"] = self.dataset
        fields = {}
        for name, spec in self.fields.items():
            # keys in the order people write them: type first, checks last
            ordered = sorted(spec, key=lambda k: _KEY_ORDER.index(k) if k in _KEY_ORDER else 50)
            fields[name] = {k: spec[k] for k in ordered if k != "checks" or spec[k]}
        document["fields"] = fields
        gx: dict[str, Any] = {"suite": self.suite.name, "format": self.suite.flavor}
        if self.unmapped:
            gx["unmapped"] = self.unmapped
        if self.notes:
            gx["notes"] = self.notes
        document["x-gx"] = gx
        return document

    def untyped(self) -> list[str]:
        return [name for name, spec in self.fields.items() if "type" not in spec]

    def unmap(self, expectation: Expectation, reason: str) -> None:
        where = f"expectations[{expectation.index}] {expectation.kind}"
        column = expectation.kwargs.get("column")
        if isinstance(column, str):
            where += f" ({column})"
        self.reasons.append((where, reason))
        self.unmapped.append({"expectation": expectation.raw, "reason": reason})

    def field(self, name: Any) -> dict[str, Any]:
        if not isinstance(name, str) or not name:
            raise Unmappable("the expectation names no column")
        # a suite says nothing of nulls unless it expects none: nullable until told otherwise
        return self.fields.setdefault(name, {"nullable": True, "checks": []})

    # -- one expectation ----------------------------------------------------------------------
    def expectation(self, e: Expectation) -> None:
        if self.freshness(e):
            return
        for key, value in e.kwargs.items():
            if key in _UNSUPPORTED_ARGS and value not in (None, False, ""):
                raise Unmappable(f"{key}: {_UNSUPPORTED_ARGS[key]}")
            if _is_parameter(value):
                raise Unmappable(
                    f"{key} is a suite parameter ({_show(value)}), known only at run time"
                )
        handler = _HANDLERS.get(e.kind) or (_Importer.aggregate if e.kind in _AGGREGATES else None)
        if handler is None:
            raise Unmappable("accord has no equivalent check")
        handler(self, e, self.options(e))

    def freshness(self, e: Expectation) -> bool:
        """The freshness rule of a suite accord exported: a column max above a parameter the
        suite's ``meta.accord.suite_parameters`` describes."""
        bound = e.kwargs.get("min_value")
        if e.kind != "expect_column_max_to_be_between" or not isinstance(bound, dict):
            return False
        described = self.exported.get("suite_parameters", {}).get(bound.get("$PARAMETER"))
        if not isinstance(described, dict) or described.get("field") != e.kwargs.get("column"):
            return False
        if set(e.kwargs) - {"column", "min_value"}:
            return False
        self.field(described["field"])
        self.dataset["freshness"] = {
            "field": described["field"],
            "max_age": described.get("max_age"),
        }
        return True

    def exists(self, e: Expectation, _options: dict[str, Any]) -> None:
        self.known(e, {"column"})
        self.field(e.kwargs.get("column"))["required"] = True

    def unique(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column", "mostly"})
        if _mostly(e.kwargs) is not None or options.get("severity") == "warning":
            raise Unmappable("accord's 'unique' is a key: it takes no mostly and no severity")
        self.field(e.kwargs.get("column"))["unique"] = True

    def in_set(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column", "value_set", "values_set", "mostly"})
        values = e.kwargs.get("value_set", e.kwargs.get("values_set"))
        if not isinstance(values, list):
            raise Unmappable("value_set is not a list")
        if any(v is None for v in values):
            values = [v for v in values if v is not None]
            self.note(e, "null removed from the value set: nulls are 'nullable' business")
        check = "not_in" if "not_be" in e.kind else "in"
        self.add(e, {check: values}, options, row_level=True)

    def between(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column", "min_value", "max_value", "strict_min", "strict_max", "mostly"})
        self.add(e, _between(e.kwargs), options, row_level=True)

    def regex(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column", "regex", "regex_list", "match_on", "mostly"})
        regex = e.kwargs.get("regex")
        literal = text_check(regex) if isinstance(regex, str) else None
        if literal is not None:
            self.add(e, {literal[0]: literal[1]}, options, row_level=True)
            return
        self.add(e, {"pattern": _pattern(e.kwargs)}, options, row_level=True)

    def lengths(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column", "min_value", "max_value", "value", "mostly"})
        if "value" in e.kwargs:
            bounds = {"min": e.kwargs["value"], "max": e.kwargs["value"]}
        else:
            bounds = _bounds(e.kwargs)
        self.add(e, {"length": bounds}, options, row_level=True)

    def aggregate(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column", "min_value", "max_value", "strict_min", "strict_max"})
        for side, bound in (("strict_min", "min_value"), ("strict_max", "max_value")):
            if e.kwargs.get(side) and e.kwargs.get(bound) is not None:
                raise Unmappable(f"{side}: accord's aggregate bounds are inclusive")
        self.add(e, {_AGGREGATES[e.kind]: _bounds(e.kwargs)}, options, row_level=False)

    def row_count(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"min_value", "max_value", "value"})
        self.table_level(options)
        value = e.kwargs.get("value")
        self.dataset["row_count"] = (
            {"min": value, "max": value} if "value" in e.kwargs else _bounds(e.kwargs)
        )

    def known(self, e: Expectation, allowed: set[str]) -> None:
        extra = sorted(
            k
            for k in e.kwargs
            if k not in allowed and k not in _IGNORED and k not in _UNSUPPORTED_ARGS
        )
        if extra:
            raise Unmappable(f"argument {', '.join(extra)} has no accord meaning")

    def note(self, e: Expectation, text: str) -> None:
        self.notes.append(f"expectations[{e.index}] {e.kind}: {text}")

    def options(self, e: Expectation) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if e.severity is not None:
            severity = ACCORD_SEVERITY.get(e.severity.lower())
            if severity is None:
                self.note(e, f"severity {e.severity!r} read as error")
            elif severity == "warning":
                options["severity"] = "warning"
        if e.description:
            options["name"] = e.description
        return options

    def table_level(self, options: dict[str, Any]) -> None:
        if options.get("severity") == "warning":
            raise Unmappable("accord's dataset keys are errors: they take no warning severity")

    def add(
        self, e: Expectation, check: dict[str, Any], options: dict[str, Any], *, row_level: bool
    ) -> None:
        mostly = _mostly(e.kwargs)
        if mostly is not None:
            if not row_level:
                raise Unmappable("mostly on an aggregate has no accord meaning")
            if mostly <= 0:
                raise Unmappable("mostly 0 never fails")
            options = {**options, "mostly": float(mostly)}
        self.check(e, {**check, **options})

    def check(self, e: Expectation, check: dict[str, Any]) -> None:
        name = e.kwargs.get("column")
        checks = self.field(name)["checks"]
        self.origins[f"fields.{name}.checks[{len(checks)}]"] = e.index
        checks.append(check)

    def not_null(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column", "mostly"})
        spec = self.field(e.kwargs.get("column"))
        mostly = _mostly(e.kwargs)
        if mostly is None and "severity" not in options and "name" not in options:
            spec["nullable"] = False
            return
        fraction = Decimal(1) - (mostly if mostly is not None else Decimal(1))
        self.check(e, {"max_null_fraction": float(fraction), **options})

    def columns(self, e: Expectation, options: dict[str, Any]) -> None:
        kwargs = e.kwargs
        self.table_level(options)
        ordered = e.kind.endswith("ordered_list")
        self.known(e, {"column_list"} if ordered else {"column_set", "exact_match"})
        listed = kwargs.get("column_list" if ordered else "column_set")
        if not isinstance(listed, list) or not all(isinstance(c, str) for c in listed):
            raise Unmappable("the column list is not a list of names")
        exact = kwargs.get("exact_match")
        closed = ordered or exact is True or (exact is None and self.suite.flavor == "0.x")
        for name in listed:
            self.field(name)["required"] = True
        if closed:
            self.dataset["columns"] = "closed"
        if ordered:
            self.dataset["ordered"] = True
            self.fields = {
                **{name: self.fields[name] for name in listed},
                **{k: v for k, v in self.fields.items() if k not in listed},
            }

    def compound(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column_list", "ignore_row_if", "mostly"})
        self.table_level(options)
        if _mostly(e.kwargs) is not None:
            raise Unmappable("accord's dataset 'unique' is a key: it takes no mostly")
        columns = e.kwargs.get("column_list")
        if not isinstance(columns, list) or not columns:
            raise Unmappable("column_list is not a list of names")
        for name in columns:
            self.field(name)
        ignore = e.kwargs.get("ignore_row_if", "all_values_are_missing")
        if ignore != "any_value_is_missing":
            self.note(
                e,
                f"ignore_row_if {ignore!r}: GX compares rows with some nulls; accord leaves any "
                "row with a null out of the comparison, as SQL does",
            )
        groups = self.dataset.setdefault("unique", [])
        self.origins[f"dataset.unique[{len(groups)}]"] = e.index
        groups.append(list(columns))

    def pair(self, e: Expectation, options: dict[str, Any]) -> None:
        self.known(e, {"column_A", "column_B", "or_equal", "ignore_row_if", "mostly"})
        if _mostly(e.kwargs) is not None:
            raise Unmappable("accord's row rules take no mostly")
        a, b = e.kwargs.get("column_A"), e.kwargs.get("column_B")
        self.field(a)
        self.field(b)
        equal = e.kind.endswith("to_be_equal")
        op = "==" if equal else (">=" if e.kwargs.get("or_equal") else ">")
        test = f"`{a}` {op} `{b}`"
        ignore = e.kwargs.get("ignore_row_if", "both_values_are_missing")
        # GX leaves rows out by their nulls; in accord a null the rule does not handle fails
        guard = {
            "neither": "",
            "both_values_are_missing": f"(`{a}` is null and `{b}` is null) or ",
            "either_value_is_missing": f"`{a}` is null or `{b}` is null or ",
        }.get(str(ignore))
        if guard is None:
            raise Unmappable(f"ignore_row_if {ignore!r} is not a GX choice accord knows")
        rule: dict[str, Any] = {
            "name": options.get("name") or f"{e.kind.removeprefix('expect_')}_{len(self.rules)}",
            "assert": guard + test,
        }
        if options.get("severity"):
            rule["severity"] = options["severity"]
        self.origins[f"dataset.rules[{len(self.rules)}]"] = e.index
        self.rules.append(rule)

    def type(self, e: Expectation, _options: dict[str, Any]) -> None:
        self.known(e, {"column", "type_", "type_list", "mostly"})
        if _mostly(e.kwargs) is not None:
            raise Unmappable("a type with mostly: accord types hold for every value")
        column = e.kwargs.get("column")
        listed = e.kwargs.get("type_list")
        found = (
            accord_type_of_list(listed)
            if isinstance(listed, list)
            else accord_type(str(e.kwargs.get("type_")))
        )
        if found is None:
            raise Unmappable(f"no accord type for {_show(listed or e.kwargs.get('type_'))}")
        spec = self.field(column)
        if column in self.typed and spec.get("type") != found["type"]:
            raise Unmappable(f"a second type for {column}; kept {spec.get('type')}")
        spec.update(found)
        self.typed.add(str(column))


Handler = Callable[[_Importer, Expectation, dict[str, Any]], None]
_HANDLERS: dict[str, Handler] = {
    "expect_column_to_exist": _Importer.exists,
    "expect_column_values_to_not_be_null": _Importer.not_null,
    "expect_column_values_to_be_unique": _Importer.unique,
    "expect_column_values_to_be_in_set": _Importer.in_set,
    "expect_column_values_to_not_be_in_set": _Importer.in_set,
    "expect_column_distinct_values_to_be_in_set": _Importer.in_set,
    "expect_column_values_to_be_between": _Importer.between,
    "expect_column_values_to_match_regex": _Importer.regex,
    "expect_column_values_to_match_regex_list": _Importer.regex,
    "expect_column_value_lengths_to_be_between": _Importer.lengths,
    "expect_column_value_lengths_to_equal": _Importer.lengths,
    "expect_table_row_count_to_be_between": _Importer.row_count,
    "expect_table_row_count_to_equal": _Importer.row_count,
    "expect_table_columns_to_match_set": _Importer.columns,
    "expect_table_columns_to_match_ordered_list": _Importer.columns,
    "expect_compound_columns_to_be_unique": _Importer.compound,
    "expect_column_pair_values_a_to_be_greater_than_b": _Importer.pair,
    "expect_column_pair_values_to_be_equal": _Importer.pair,
    "expect_column_values_to_be_of_type": _Importer.type,
    "expect_column_values_to_be_in_type_list": _Importer.type,
    "expect_column_type_to_be": _Importer.type,
}


def _accord_meta(suite: Suite) -> dict[str, Any]:
    """What a suite accord exported says of its contract (types, name, version)."""
    accord = suite.meta.get("accord")
    return accord if isinstance(accord, dict) else {}


def _contract_name(text: str) -> str:
    name = _NAME.sub("_", text.lower()).strip("_.-")
    return name if name[:1].isalpha() else f"gx_{name}".rstrip("_")


def _is_parameter(value: Any) -> bool:
    return isinstance(value, dict) and "$PARAMETER" in value


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _mostly(kwargs: dict[str, Any]) -> Decimal | None:
    value = kwargs.get("mostly")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unmappable(f"mostly {value!r} is not a number")
    mostly = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if mostly > 1 or mostly < 0:
        raise Unmappable(f"mostly {value} is outside 0..1")
    return None if mostly == 1 else mostly


def _bounds(kwargs: dict[str, Any]) -> dict[str, Any]:
    bounds = {
        key: kwargs[gx]
        for key, gx in (("min", "min_value"), ("max", "max_value"))
        if kwargs.get(gx) is not None
    }
    if not bounds:
        raise Unmappable(
            "neither min_value nor max_value is given: it never fails, nothing to check"
        )
    return bounds


def _between(kwargs: dict[str, Any]) -> dict[str, Any]:
    check = bounds_to_check(
        kwargs.get("min_value"),
        kwargs.get("max_value"),
        low_strict=bool(kwargs.get("strict_min")),
        high_strict=bool(kwargs.get("strict_max")),
    )
    if check is None:
        raise Unmappable(
            "neither min_value nor max_value is given: it never fails, nothing to check"
        )
    return check


def _pattern(kwargs: dict[str, Any]) -> str:
    if "regex_list" in kwargs:
        regexes = kwargs["regex_list"]
        if kwargs.get("match_on", "any") != "any":
            raise Unmappable("match_on 'all' has no accord form")
        if not isinstance(regexes, list) or not all(isinstance(r, str) for r in regexes):
            raise Unmappable("regex_list is not a list of regexes")
        return accord_pattern("|".join(f"(?:{r})" for r in regexes))
    regex = kwargs.get("regex")
    if not isinstance(regex, str):
        raise Unmappable("regex is not text")
    return accord_pattern(regex)
