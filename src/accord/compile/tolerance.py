"""``mostly: F`` judged exactly (SPEC 1.4): a row-level check passes while at most
floor((1 - F) * n) of its n non-null values fail, F being the decimal the contract writes.

The runner counts failures over every batch and asks :func:`tolerated`; the compiled pandera
schemas ask the same question inside the check (``tolerance_expr`` on polars), so a compiled
schema judges a tolerated check as passed too.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext


def allowed_failures(present: int, mostly: Decimal) -> int:
    """The most values that may fail while the check still passes: floor((1 - F) * present)."""
    with localcontext() as context:
        context.prec = max(28, len(str(present)) + len(mostly.as_tuple().digits) + 2)
        return int(((1 - mostly) * present).to_integral_value(rounding=ROUND_FLOOR))


def tolerated(failures: int, present: int, mostly: Decimal | None) -> bool:
    """Whether ``failures`` of ``present`` non-null values are within the tolerance."""
    return mostly is not None and failures <= allowed_failures(present, mostly)


def as_ratio(mostly: Decimal) -> tuple[int, int]:
    """F as numerator and denominator, so ``failures * q <= (q - p) * present`` decides in
    integers (an engine expression cannot hold a Decimal)."""
    numerator, denominator = mostly.as_integer_ratio()
    return numerator, denominator
