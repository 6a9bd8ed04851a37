"""A range another format states with bounds and strictness, as the accord check that means it."""

from __future__ import annotations

from typing import Any

_INCLUSIVE = {
    (False, False): "both",
    (True, True): "neither",
    (False, True): "left",
    (True, False): "right",
}
"""(low strict, high strict) to ``between``'s ``inclusive``."""


def bounds_to_check(
    low: Any, high: Any, *, low_strict: bool, high_strict: bool
) -> dict[str, Any] | None:
    """``between`` when both bounds are given, a one-sided comparison when one is, else None."""
    if low is not None and high is not None:
        params: dict[str, Any] = {"min": low, "max": high}
        inclusive = _INCLUSIVE[(low_strict, high_strict)]
        if inclusive != "both":
            params["inclusive"] = inclusive
        return {"between": params}
    if low is not None:
        return {"greater_than" if low_strict else "greater_than_or_equal_to": low}
    if high is not None:
        return {"less_than" if high_strict else "less_than_or_equal_to": high}
    return None
