"""A GX expectation's arguments read in accord's terms: which arguments matter, ``mostly`` as an
exact decimal, bounds, and regexes as accord patterns. What has no accord reading raises
:class:`Unmappable` with the reason the import reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accord.compile.gx_common import accord_pattern
from accord.interop.bounds import bounds_to_check

# Arguments that change nothing accord judges (how GX shows or catches results).
IGNORED = frozenset(
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
UNSUPPORTED_ARGS = {
    "row_condition": "a row condition limits the rows checked; accord checks every row",
    "condition_parser": "a row condition limits the rows checked; accord checks every row",
    "parse_strings_as_datetimes": "values are parsed as dates by GX first",
    "column_index": "a column position is not an accord rule",
}


class Unmappable(Exception):  # noqa: N818 - read as "this expectation is unmappable"
    """An expectation accord cannot express; the message says why."""


def is_parameter(value: Any) -> bool:
    return isinstance(value, dict) and "$PARAMETER" in value


def show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def mostly(kwargs: dict[str, Any]) -> Decimal | None:
    value = kwargs.get("mostly")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Unmappable(f"mostly {value!r} is not a number")
    mostly = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if mostly > 1 or mostly < 0:
        raise Unmappable(f"mostly {value} is outside 0..1")
    return None if mostly == 1 else mostly


def bounds(kwargs: dict[str, Any]) -> dict[str, Any]:
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


def between(kwargs: dict[str, Any]) -> dict[str, Any]:
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


def pattern(kwargs: dict[str, Any]) -> str:
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
