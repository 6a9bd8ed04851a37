"""One function per kind of GX expectation accord can say: each reads the expectation's
arguments and adds to the contract under way (a field's type or check, a key, a dataset rule),
or raises :class:`~accord.interop.gx_args.Unmappable` with the reason."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from accord.compile.gx_common import text_check
from accord.interop import gx_args
from accord.interop.gx_args import Unmappable
from accord.interop.gx_importer import Importer
from accord.interop.gx_suite import Expectation, accord_type, accord_type_of_list

AGGREGATES = {
    "expect_column_mean_to_be_between": "mean_between",
    "expect_column_median_to_be_between": "median_between",
    "expect_column_stdev_to_be_between": "stddev_between",
    "expect_column_unique_value_count_to_be_between": "distinct_count_between",
    "expect_column_proportion_of_unique_values_to_be_between": "unique_fraction_between",
    "expect_column_min_to_be_between": "min_between",
    "expect_column_max_to_be_between": "max_between",
}


def freshness(importer: Importer, e: Expectation) -> bool:
    """The freshness rule of a suite accord exported: a column max above a parameter the
    suite's ``meta.accord.suite_parameters`` describes."""
    bound = e.kwargs.get("min_value")
    if e.kind != "expect_column_max_to_be_between" or not isinstance(bound, dict):
        return False
    described = importer.exported.get("suite_parameters", {}).get(bound.get("$PARAMETER"))
    if not isinstance(described, dict) or described.get("field") != e.kwargs.get("column"):
        return False
    if set(e.kwargs) - {"column", "min_value"}:
        return False
    importer.field(described["field"])
    importer.dataset["freshness"] = {
        "field": described["field"],
        "max_age": described.get("max_age"),
    }
    return True


def exists(importer: Importer, e: Expectation, _options: dict[str, Any]) -> None:
    importer.known(e, {"column"})
    importer.field(e.kwargs.get("column"))["required"] = True


def unique(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column", "mostly"})
    if gx_args.mostly(e.kwargs) is not None or options.get("severity") == "warning":
        raise Unmappable("accord's 'unique' is a key: it takes no mostly and no severity")
    importer.field(e.kwargs.get("column"))["unique"] = True


def in_set(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column", "value_set", "values_set", "mostly"})
    values = e.kwargs.get("value_set", e.kwargs.get("values_set"))
    if not isinstance(values, list):
        raise Unmappable("value_set is not a list")
    if any(v is None for v in values):
        values = [v for v in values if v is not None]
        importer.note(e, "null removed from the value set: nulls are 'nullable' business")
    check = "not_in" if "not_be" in e.kind else "in"
    importer.add(e, {check: values}, options, row_level=True)


def between(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column", "min_value", "max_value", "strict_min", "strict_max", "mostly"})
    importer.add(e, gx_args.between(e.kwargs), options, row_level=True)


def regex(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column", "regex", "regex_list", "match_on", "mostly"})
    regex = e.kwargs.get("regex")
    literal = text_check(regex) if isinstance(regex, str) else None
    if literal is not None:
        importer.add(e, {literal[0]: literal[1]}, options, row_level=True)
        return
    importer.add(e, {"pattern": gx_args.pattern(e.kwargs)}, options, row_level=True)


def lengths(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column", "min_value", "max_value", "value", "mostly"})
    if "value" in e.kwargs:
        bounds = {"min": e.kwargs["value"], "max": e.kwargs["value"]}
    else:
        bounds = gx_args.bounds(e.kwargs)
    importer.add(e, {"length": bounds}, options, row_level=True)


def aggregate(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column", "min_value", "max_value", "strict_min", "strict_max"})
    for side, bound in (("strict_min", "min_value"), ("strict_max", "max_value")):
        if e.kwargs.get(side) and e.kwargs.get(bound) is not None:
            raise Unmappable(f"{side}: accord's aggregate bounds are inclusive")
    importer.add(e, {AGGREGATES[e.kind]: gx_args.bounds(e.kwargs)}, options, row_level=False)


def row_count(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"min_value", "max_value", "value"})
    importer.table_level(options)
    value = e.kwargs.get("value")
    importer.dataset["row_count"] = (
        {"min": value, "max": value} if "value" in e.kwargs else gx_args.bounds(e.kwargs)
    )


def not_null(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column", "mostly"})
    spec = importer.field(e.kwargs.get("column"))
    mostly = gx_args.mostly(e.kwargs)
    if mostly is None and "severity" not in options and "name" not in options:
        spec["nullable"] = False
        return
    fraction = Decimal(1) - (mostly if mostly is not None else Decimal(1))
    importer.check(e, {"max_null_fraction": float(fraction), **options})


def columns(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    kwargs = e.kwargs
    importer.table_level(options)
    ordered = e.kind.endswith("ordered_list")
    importer.known(e, {"column_list"} if ordered else {"column_set", "exact_match"})
    listed = kwargs.get("column_list" if ordered else "column_set")
    if not isinstance(listed, list) or not all(isinstance(c, str) for c in listed):
        raise Unmappable("the column list is not a list of names")
    exact = kwargs.get("exact_match")
    closed = ordered or exact is True or (exact is None and importer.suite.flavor == "0.x")
    for name in listed:
        importer.field(name)["required"] = True
    if closed:
        importer.dataset["columns"] = "closed"
    if ordered:
        importer.dataset["ordered"] = True
        importer.fields = {
            **{name: importer.fields[name] for name in listed},
            **{k: v for k, v in importer.fields.items() if k not in listed},
        }


def compound(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column_list", "ignore_row_if", "mostly"})
    importer.table_level(options)
    if gx_args.mostly(e.kwargs) is not None:
        raise Unmappable("accord's dataset 'unique' is a key: it takes no mostly")
    columns = e.kwargs.get("column_list")
    if not isinstance(columns, list) or not columns:
        raise Unmappable("column_list is not a list of names")
    for name in columns:
        importer.field(name)
    ignore = e.kwargs.get("ignore_row_if", "all_values_are_missing")
    if ignore != "any_value_is_missing":
        importer.note(
            e,
            f"ignore_row_if {ignore!r}: GX compares rows with some nulls; accord leaves any "
            "row with a null out of the comparison, as SQL does",
        )
    groups = importer.dataset.setdefault("unique", [])
    importer.origins[f"dataset.unique[{len(groups)}]"] = e.index
    groups.append(list(columns))


def pair(importer: Importer, e: Expectation, options: dict[str, Any]) -> None:
    importer.known(e, {"column_A", "column_B", "or_equal", "ignore_row_if", "mostly"})
    if gx_args.mostly(e.kwargs) is not None:
        raise Unmappable("accord's row rules take no mostly")
    a, b = e.kwargs.get("column_A"), e.kwargs.get("column_B")
    importer.field(a)
    importer.field(b)
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
        "name": options.get("name") or f"{e.kind.removeprefix('expect_')}_{len(importer.rules)}",
        "assert": guard + test,
    }
    if options.get("severity"):
        rule["severity"] = options["severity"]
    importer.origins[f"dataset.rules[{len(importer.rules)}]"] = e.index
    importer.rules.append(rule)


def column_type(importer: Importer, e: Expectation, _options: dict[str, Any]) -> None:
    importer.known(e, {"column", "type_", "type_list", "mostly"})
    if gx_args.mostly(e.kwargs) is not None:
        raise Unmappable("a type with mostly: accord types hold for every value")
    column = e.kwargs.get("column")
    listed = e.kwargs.get("type_list")
    found = (
        accord_type_of_list(listed)
        if isinstance(listed, list)
        else accord_type(str(e.kwargs.get("type_")))
    )
    if found is None:
        raise Unmappable(f"no accord type for {gx_args.show(listed or e.kwargs.get('type_'))}")
    spec = importer.field(column)
    if column in importer.typed and spec.get("type") != found["type"]:
        raise Unmappable(f"a second type for {column}; kept {spec.get('type')}")
    spec.update(found)
    importer.typed.add(str(column))


Handler = Callable[[Importer, Expectation, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {
    "expect_column_to_exist": exists,
    "expect_column_values_to_not_be_null": not_null,
    "expect_column_values_to_be_unique": unique,
    "expect_column_values_to_be_in_set": in_set,
    "expect_column_values_to_not_be_in_set": in_set,
    "expect_column_distinct_values_to_be_in_set": in_set,
    "expect_column_values_to_be_between": between,
    "expect_column_values_to_match_regex": regex,
    "expect_column_values_to_match_regex_list": regex,
    "expect_column_value_lengths_to_be_between": lengths,
    "expect_column_value_lengths_to_equal": lengths,
    "expect_table_row_count_to_be_between": row_count,
    "expect_table_row_count_to_equal": row_count,
    "expect_table_columns_to_match_set": columns,
    "expect_table_columns_to_match_ordered_list": columns,
    "expect_compound_columns_to_be_unique": compound,
    "expect_column_pair_values_a_to_be_greater_than_b": pair,
    "expect_column_pair_values_to_be_equal": pair,
    "expect_column_values_to_be_of_type": column_type,
    "expect_column_values_to_be_in_type_list": column_type,
    "expect_column_type_to_be": column_type,
}


def handler_for(kind: str) -> Handler | None:
    """The handler of an expectation kind, or None when accord has no equivalent."""
    return HANDLERS.get(kind) or (aggregate if kind in AGGREGATES else None)
