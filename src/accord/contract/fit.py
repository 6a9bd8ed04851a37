"""Engine-neutral facts about a declared type: how a column may relate to it, and its report text.

Every engine answers "does this column satisfy the field's type?" with a :data:`Fit`; the runner
and the schema-only path read only that answer, so they never need an engine's dtypes.
"""

from __future__ import annotations

from typing import Literal

from accord.contract.model import Field_
from accord.contract.params import UTC_NAMES

Fit = Literal["ok", "convert", "mismatch"]
"""``ok``: the column satisfies the type as stored. ``convert``: it may, value by value (a float
column declared integer, an int64 column declared int8); values that do not fit are ``field.type``
failures on their rows. ``mismatch``: the column as a whole has another type; its checks are
skipped."""


def describe(spec: Field_) -> str:
    """The declared type as reports show it: ``timestamp[tz=UTC]``, ``decimal(10,2)``."""
    if spec.type == "timestamp":
        return f"timestamp[tz={spec.tz}]" if spec.tz else "timestamp (tz-naive)"
    if spec.type == "decimal":
        return f"decimal({spec.precision or 38},{spec.scale or 0})"
    if spec.type == "list" and spec.items is not None:
        return f"list<{describe(spec.items)}>"
    return spec.type


def same_zone(declared: str | None, actual: str | None) -> bool:
    """Whether a column's time zone is the declared one; UTC under any of its names is UTC."""
    if declared is None or actual is None:
        return declared is actual
    return declared == actual or (declared in UTC_NAMES and actual in UTC_NAMES)
