"""Which logical types are wider than which, for judging a field's type change.

A type is wider than another when every value the narrower one admits is also admitted by the
wider one: ``int32`` to ``int64`` lets more data through (relaxed), the reverse rejects some
(tightened). Types that are neither (``string`` to ``int64``, ``date`` to ``timestamp``) are a
plain ``changed``: some old data fails and some new data is unfamiliar.
"""

from __future__ import annotations

from functools import cache

from accord.diff.model import Direction

# Each type's immediately wider types. Widening is the transitive closure of these edges.
_WIDER: dict[str, frozenset[str]] = {
    "int8": frozenset({"int16"}),
    "int16": frozenset({"int32"}),
    "int32": frozenset({"int64"}),
    "int64": frozenset({"integer"}),
    # An unsigned width fits in the signed type of twice its width.
    "uint8": frozenset({"uint16", "int16"}),
    "uint16": frozenset({"uint32", "int32"}),
    "uint32": frozenset({"uint64", "int64"}),
    "uint64": frozenset({"integer"}),
    "integer": frozenset({"number"}),
    "float32": frozenset({"float64"}),
    "float64": frozenset({"number"}),
    # Text is text however it is stored (SPEC 1.3); a category is a string with a closed set.
    "category": frozenset({"string"}),
}


@cache
def wider_types(logical_type: str) -> frozenset[str]:
    """Every type strictly wider than ``logical_type``."""
    found: set[str] = set()
    pending = list(_WIDER.get(logical_type, ()))
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(_WIDER.get(current, ()))
    return frozenset(found)


def is_wider(candidate: str, than: str) -> bool:
    """True when ``candidate`` admits every value of ``than`` and more."""
    return candidate in wider_types(than)


def type_direction(old: str, new: str) -> Direction | None:
    """Direction of a type change from ``old`` to ``new``; None when they are the same."""
    if old == new:
        return None
    if is_wider(new, old):
        return "relaxed"
    if is_wider(old, new):
        return "tightened"
    return "changed"
