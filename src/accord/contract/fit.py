"""Engine-neutral facts about a declared type: how a column may relate to it, and its report text.

Every engine answers "does this column satisfy the field's type?" with a :data:`Fit`; the runner
and the schema-only path read only that answer, so they never need an engine's dtypes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Literal, TypeVar

from accord.contract.model import Field_
from accord.contract.params import DECIMAL_DIGITS, UTC_NAMES

Fit = Literal["ok", "convert", "mismatch"]
"""``ok``: the column satisfies the type as stored. ``convert``: it may, value by value (a float
column declared integer, an int64 column declared int8); values that do not fit are ``field.type``
failures on their rows. ``mismatch``: the column as a whole has another type; its checks are
skipped."""

T = TypeVar("T")


def describe(spec: Field_) -> str:
    """The declared type as reports show it: ``timestamp[tz=UTC]``, ``decimal(10,2)``."""
    if spec.type == "timestamp":
        return f"timestamp[tz={spec.tz}]" if spec.tz else "timestamp (tz-naive)"
    if spec.type == "decimal":
        return f"decimal({spec.precision or 38},{spec.scale or 0})"
    if spec.type == "list" and spec.items is not None:
        return f"list<{describe(spec.items)}>"
    if spec.type == "struct" and spec.fields:
        members = ", ".join(f"{name}: {describe(m)}" for name, m in spec.fields.items())
        return f"struct<{members}>"
    return spec.type


def same_zone(declared: str | None, actual: str | None) -> bool:
    """Whether a column's time zone is the declared one; UTC under any of its names is UTC."""
    if declared is None or actual is None:
        return declared is actual
    return declared == actual or (declared in UTC_NAMES and actual in UTC_NAMES)


def worst(fits: Iterable[Fit]) -> Fit:
    """The fit of a whole made of parts: a mismatch anywhere, else a conversion anywhere."""
    found = set(fits)
    return "mismatch" if "mismatch" in found else "convert" if "convert" in found else "ok"


def decimal_width_fit(spec: Field_, precision: int | None, scale: int | None) -> Fit:
    """A decimal column of ``(precision, scale)`` against the declared one: ``ok`` when every
    value it can hold fits, ``convert`` when values must say (as text values do in a CSV)."""
    if spec.precision is None and spec.scale is None:
        return "ok"
    want_scale = spec.scale if spec.scale is not None else 0
    want_whole = (spec.precision or DECIMAL_DIGITS) - want_scale
    have_scale = scale or 0
    have_whole = (precision or DECIMAL_DIGITS) - have_scale
    return "ok" if have_scale <= want_scale and have_whole <= want_whole else "convert"


def members_fit(spec: Field_, actual: Mapping[str, T], fit: Callable[[Field_, T], Fit]) -> Fit:
    """A struct column against the declared members: a required member the column lacks is a
    mismatch; members it has beyond the declared ones are allowed, as open columns are."""
    found: list[Fit] = []
    for name, member in (spec.fields or {}).items():
        if name in actual:
            found.append(fit(member, actual[name]))
        elif member.required:
            return "mismatch"
    return worst(found)
