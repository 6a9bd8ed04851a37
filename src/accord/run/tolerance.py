"""How reports show ``mostly: F`` (SPEC 1.4). The judgement itself is in
``accord.compile.tolerance``: exact, from the decimal the contract writes, so ``mostly: 0.9``
over 10 values tolerates exactly 1 failure, where ``(1 - 0.9) * 10`` in floats tolerates none.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accord.compile.tolerance import allowed_failures, tolerated

__all__ = ["allowed_failures", "tolerance_details", "tolerance_text", "tolerated"]


def tolerance_details(failures: int, present: int, mostly: Decimal) -> dict[str, Any]:
    """What a report shows of the tolerance, whichever way the check went."""
    return {
        "mostly": float(mostly),
        "non_null": present,
        "allowed_failures": allowed_failures(present, mostly),
        "pass_fraction": (present - failures) / present if present else None,
    }


def tolerance_text(failures: int, present: int, mostly: Decimal) -> str:
    allowed = allowed_failures(present, mostly)
    return (
        f"{failures} of {present} non-null values fail; mostly {mostly} "
        f"allows {allowed} failure{'s' if allowed != 1 else ''}"
    )
