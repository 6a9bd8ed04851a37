"""ODCS value constraints and ``quality[]`` rules to accord checks and back (INTEROP A.3, A.4).

Import functions return accord YAML forms; anything they cannot map exactly returns None and the
caller keeps the original under ``x-odcs``. Export functions write the native ODCS form.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from accord.interop.bounds import bounds_to_check

OPERATORS = (
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
)
# Legacy v3.0 ``rule:`` names and their v3.1 ``metric``.
LEGACY_RULES = {
    "nullValues": "nullValues",
    "nullCheck": "nullValues",
    "missingValues": "missingValues",
    "rowCount": "rowCount",
    "duplicateCount": "duplicateValues",
    "duplicateValues": "duplicateValues",
    "validValues": "invalidValues",
    "invalidValues": "invalidValues",
}
ERROR_SEVERITIES = frozenset({"error", "critical", "high", "blocker"})
WARNING_SEVERITIES = frozenset({"warning", "warn", "medium", "low", "info", "minor"})
# Keys of a rule that become check keys; everything else rides along under the check's x-odcs.
_IDENTITY = ("name", "severity")
_WRAPPED = re.compile(r"^\^\(\?:(.*)\)\$$", re.DOTALL)


def operator(rule: dict[str, Any]) -> tuple[str, Any] | None:
    found = [(k, rule[k]) for k in OPERATORS if k in rule]
    if len(found) == 1:
        return found[0]
    if not found and rule.get("rule") == "nullCheck":
        return "mustBe", 0
    return None


def metric(rule: dict[str, Any]) -> str | None:
    if rule.get("type", "library") != "library":
        return None
    name = rule.get("metric", rule.get("rule"))
    return LEGACY_RULES.get(str(name)) if name is not None else None


def severity(rule: dict[str, Any]) -> str | None:
    """accord severity of a rule, or None when its severity word is unknown."""
    word = str(rule.get("severity", "error")).lower()
    if word in ERROR_SEVERITIES:
        return "error"
    if word in WARNING_SEVERITIES:
        return "warning"
    return None


def check_options(rule: dict[str, Any], level: str) -> dict[str, Any] | None:
    """``name``, ``severity`` and the rule's other descriptive keys, as check keys."""
    level_severity = severity(rule)
    if level_severity is None:
        return None
    options: dict[str, Any] = {}
    if rule.get("name") is not None:
        options["name"] = str(rule["name"])
    if level_severity == "warning":
        options["severity"] = "warning"
    used = {*_IDENTITY, *OPERATORS, "metric", "rule", "type", "arguments", "unit", "validValues"}
    used |= {"engine", "implementation"} if level == "custom" else set()
    rest = {k: v for k, v in rule.items() if k not in used}
    if rest:
        options["x-odcs"] = rest
    return options


def anchored_pattern(pattern: str) -> tuple[str, bool]:
    """An ODCS (search) pattern as an accord (full match) pattern; True when approximated."""
    wrapped = _WRAPPED.match(pattern)
    if wrapped:
        return wrapped.group(1), False
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern, False
    return f"(?s:.*)(?:{pattern})(?s:.*)", True


def range_check(options: dict[str, Any], integral: bool) -> dict[str, Any] | None:
    """``minimum``/``maximum``/``exclusive*`` as one accord range check.

    ``integral``: the field holds integers, so a bound written ``1299.0`` is read as 1299.
    """
    options = {k: _whole_number(v) if integral else v for k, v in options.items()}
    low, low_strict = options.get("minimum"), False
    high, high_strict = options.get("maximum"), False
    ex_low, ex_high = options.get("exclusiveMinimum"), options.get("exclusiveMaximum")
    # read by JSON type, not by version: a boolean makes the bound strict, a value is the bound
    if isinstance(ex_low, bool):
        low_strict = ex_low and low is not None
    elif ex_low is not None:
        low, low_strict = ex_low, True
    if isinstance(ex_high, bool):
        high_strict = ex_high and high is not None
    elif ex_high is not None:
        high, high_strict = ex_high, True
    return bounds_to_check(low, high, low_strict=low_strict, high_strict=high_strict)


def write_range(check: dict[str, Any]) -> dict[str, Any] | None:
    """The reverse of :func:`range_check`, in the v3.1 form: a strict bound is its own key."""
    ((kind, params),) = check.items()
    if kind == "between":
        if not isinstance(params, dict):
            return None
        inclusive = params.get("inclusive", "both")
        out: dict[str, Any] = {}
        if params.get("min") is not None:
            strict = inclusive in ("neither", "right")
            out["exclusiveMinimum" if strict else "minimum"] = params["min"]
        if params.get("max") is not None:
            strict = inclusive in ("neither", "left")
            out["exclusiveMaximum" if strict else "maximum"] = params["max"]
        return out or None
    key = {
        "greater_than": "exclusiveMinimum",
        "greater_than_or_equal_to": "minimum",
        "less_than": "exclusiveMaximum",
        "less_than_or_equal_to": "maximum",
    }.get(kind)
    return {key: params} if key else None


def _whole_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def percent_to_fraction(value: Any) -> float | None:
    try:
        return float(Decimal(str(value)) / 100)
    except (InvalidOperation, ValueError):
        return None


def fraction_to_percent(value: float) -> float | int:
    percent = Decimal(str(value)) * 100
    return int(percent) if percent == percent.to_integral_value() else float(percent)


def row_count_bounds(op: str, value: Any) -> tuple[int | None, int | None] | None:
    """A ``rowCount`` rule as inclusive (min, max); None when accord cannot say it."""
    if op == "mustBeBetween" and isinstance(value, list) and len(value) == 2:
        low, high = value
        if _whole(low) and _whole(high):
            return int(low), int(high)
        return None
    if not _whole(value):
        return None
    n = int(value)
    return {
        "mustBe": (n, n),
        "mustBeGreaterOrEqualTo": (n, None),
        "mustBeGreaterThan": (n + 1, None),
        "mustBeLessOrEqualTo": (None, n),
        "mustBeLessThan": (None, n - 1),
    }.get(op)


def _whole(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and float(value).is_integer()
        and value >= 0
    )


def null_rule(op: str, value: Any, unit: str) -> tuple[str, Any] | None:
    """A ``nullValues`` rule as ("not_null", None) or ("fraction", f) or None."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if unit == "rows":
        if (op in ("mustBe", "mustBeLessOrEqualTo") and value == 0) or (
            op == "mustBeLessThan" and value == 1
        ):
            return "not_null", None
        return None
    if unit == "percent" and op in ("mustBeLessOrEqualTo", "mustBeLessThan"):
        fraction = percent_to_fraction(value)
        if fraction is None or not 0 <= fraction <= 1:
            return None
        return ("fraction" if op == "mustBeLessOrEqualTo" else "fraction_lt"), fraction
    if unit == "percent" and op == "mustBe" and value == 0:
        return "not_null", None
    return None
