"""``mostly: F`` (SPEC 1.4): a row-level check passes while at least the fraction F of the
field's non-null values pass.

The boundary is judged in exact arithmetic: F is the decimal the contract writes, so
``mostly: 0.7`` over 10 values tolerates exactly 3 failures, where ``1 - 0.7`` in floats
(0.30000000000000004) would tolerate a different number at some sizes.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import Any


def allowed_failures(present: int, mostly: Decimal) -> int:
    """The most values that may fail while the check still passes: floor((1 - F) * present)."""
    with localcontext() as context:
        context.prec = max(28, len(str(present)) + len(mostly.as_tuple().digits) + 2)
        return int(((1 - mostly) * present).to_integral_value(rounding=ROUND_FLOOR))


def tolerated(failures: int, present: int, mostly: Decimal | None) -> bool:
    """Whether ``failures`` of ``present`` non-null values are within the tolerance."""
    return mostly is not None and failures <= allowed_failures(present, mostly)


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
