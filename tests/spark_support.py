"""What the Spark tests compare a Spark run's output with polars' by."""

from __future__ import annotations

import math
from typing import Any


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A JSON report without what two engines' runs of the same data may differ in."""
    for key in ("engine", "started_at", "duration_s"):
        report.pop(key)
    for found in report["violations"]:
        found["details"].pop("actual", None)  # each engine's own dtype name
    return report


def close(one: Any, other: Any) -> bool:
    """Equal, floats within the rounding of a sum taken in another order (NaN equals NaN)."""
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(close(one[k], other[k]) for k in one)
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(close(a, b) for a, b in zip(one, other, strict=True))
    if isinstance(one, float) and isinstance(other, float):
        if math.isnan(one) or math.isnan(other):
            return math.isnan(one) and math.isnan(other)
        return math.isclose(one, other, rel_tol=1e-9, abs_tol=1e-12)
    return bool(one == other)
