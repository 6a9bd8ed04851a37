"""Human messages for violations: what failed, how often, and against what."""

from __future__ import annotations

from typing import Any

from accord.compile.plan import CheckSpec


def _bound(value: Any) -> str:
    return "-inf" if value is None else str(value)


def check_message(spec: CheckSpec, count: int) -> str:
    """``117 values outside [0, 1000000]`` and friends, for row-level checks."""
    values = spec.values
    noun = "value" if count == 1 else "values"
    do = "does" if count == 1 else "do"
    rows = "1 row" if count == 1 else f"{count:,} rows"
    kind = spec.kind
    if kind == "nullable":
        return f"{count:,} null {noun} in a non-nullable field"
    if kind == "unique":
        return f"{rows} {'holds' if count == 1 else 'hold'} a value that another row holds too"
    if kind == "between":
        low, high = values["min"], values["max"]
        brackets = {"both": "[]", "neither": "()", "left": "[)", "right": "(]"}[values["inclusive"]]
        high_text = "inf" if high is None else str(high)
        return f"{count:,} {noun} outside {brackets[0]}{_bound(low)}, {high_text}{brackets[1]}"
    comparisons = {
        "equal_to": "not equal to",
        "not_equal_to": "equal to",
        "greater_than": "not greater than",
        "greater_than_or_equal_to": "less than",
        "less_than": "not less than",
        "less_than_or_equal_to": "greater than",
    }
    if kind in comparisons:
        return f"{count:,} {noun} {comparisons[kind]} {values['value']}"
    if kind == "in":
        return f"{count:,} {noun} not in the allowed set {_short(values['values'])}"
    if kind == "not_in":
        return f"{count:,} {noun} in the forbidden set {_short(values['values'])}"
    if kind == "pattern":
        return f"{count:,} {noun} {do} not fully match pattern {values['value']!r}"
    if kind == "length":
        return (
            f"{count:,} {noun} with length outside [{_bound(values['min'])}, "
            f"{'inf' if values['max'] is None else values['max']}]"
        )
    text_verbs = {"starts_with": "start with", "ends_with": "end with", "contains": "contain"}
    if kind in text_verbs:
        return f"{count:,} {noun} {do} not {text_verbs[kind]} {values['value']!r}"
    if kind == "in_reference":
        return f"{count:,} {noun} not found in {values['dataset']}.{values['field']}"
    if kind == "custom":
        return (
            f"{count:,} {noun} {'fails' if count == 1 else 'fail'} custom check {values['check']!r}"
        )
    if kind == "primary_key":
        return f"{count:,} rows share a primary key ({', '.join(spec.columns)}) with another row"
    if kind == "unique_together":
        return f"{count:,} rows share ({', '.join(spec.columns)}) with another row"
    if kind == "rule":
        verb = "breaks" if count == 1 else "break"
        return f"{rows} {verb} rule {spec.name!r} ({spec.params['assert']})"
    return f"{count:,} {noun} fail {spec.shown_kind}"


def _short(values: list[Any], limit: int = 8) -> str:
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in values[:limit])
    more = f", ... ({len(values) - limit} more)" if len(values) > limit else ""
    return "{" + shown + more + "}"


def aggregate_message(spec: CheckSpec, observed: Any) -> str:
    kind = spec.kind
    values = spec.values
    if kind == "row_count":
        return f"{observed:,} rows, expected [{values.get('min', 0)}, {values.get('max', 'inf')}]"
    if kind == "freshness":
        if observed is None:
            return f"no value in {spec.field} to judge freshness (as of {values['as_of']})"
        return (
            f"newest {spec.field} is {observed}, older than {spec.params['max_age']} "
            f"before {values['as_of']:%Y-%m-%dT%H:%M:%S%z}"
        )
    if kind == "max_null_fraction":
        return f"null fraction {observed:.6g} exceeds {values['value']}"
    statistic = kind.removesuffix("_between").replace("_", " ")
    if observed is None:
        return f"{statistic} of {spec.field} is not evaluable: no non-null values"
    shown = observed if isinstance(observed, str) else f"{observed:.6g}"  # str: redacted
    return (
        f"{statistic} of {spec.field} is {shown}, expected "
        f"[{_bound(values['min'])}, {'inf' if values['max'] is None else values['max']}]"
    )


def not_a(kind: str) -> str:
    """``not a date``, ``not an int64``: why a value cannot be read as the declared type."""
    return f"not {'an' if kind[0] in 'aeiou' else 'a'} {kind}"
